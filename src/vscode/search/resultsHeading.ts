/**
 * What the search picker says above its results, and whether it shows them at all: results belong to the query
 * they were found for, which may no longer be the one in the box. Pure, for the unit tests.
 */

/** Whether the last results are shown for the query in the box: not while it does not parse. */
export function showsResults(queryErrors: number): boolean {
  return queryErrors === 0;
}

/**
 * "3 traces", "no traces match service:x", or for results of an earlier query than the one in the box
 * "3 traces for the earlier search service:x".
 */
export function resultsHeading(found: number, resultsFor: string, inTheBox: string): string {
  const what =
    found === 0
      ? `no traces match ${resultsFor || 'the search'}`
      : `${found.toLocaleString('en-US')} trace${found === 1 ? '' : 's'}`;
  const stale = inTheBox.trim() !== resultsFor.trim();
  return stale ? `${what} for the earlier search ${resultsFor.trim() || '(everything)'}` : what;
}
