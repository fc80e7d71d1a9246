import * as assert from 'node:assert/strict';
import { resultsHeading, showsResults } from '../../../../src/vscode/search/resultsHeading';

describe('Search Traces… results heading', () => {
  it('counts the results of the query in the box', () => {
    assert.equal(resultsHeading(3, 'service:payments error', 'service:payments error '), '3 traces');
    assert.equal(resultsHeading(1, 'error', 'error'), '1 trace');
    assert.equal(resultsHeading(0, 'service:ghost', 'service:ghost'), 'no traces match service:ghost');
  });

  it('marks results found for an earlier query while another is typed', () => {
    assert.equal(
      resultsHeading(3, 'service:payments', 'service:payments error'),
      '3 traces for the earlier search service:payments',
    );
    assert.equal(
      resultsHeading(0, 'service:ghost', 'service:gh'),
      'no traces match service:ghost for the earlier search service:ghost',
    );
    assert.equal(resultsHeading(12, '', 'error'), '12 traces for the earlier search (everything)');
  });

  it('shows no results while the query does not parse', () => {
    assert.equal(showsResults(1), false);
    assert.equal(showsResults(0), true);
  });
});
