import * as assert from 'node:assert/strict';
import {
  formatFilter,
  formatRelativeTime,
  groupByRootService,
  matchesFilter,
  parseFilter,
} from '../../../../src/core/explorer/traceList';
import type { TraceSummary } from '../../../../src/core/model/types';

const T0 = 1_700_000_000_000_000; // epoch µs

function summary(traceId: string, rootService: string, startUs: number, extra: Partial<TraceSummary> = {}): TraceSummary {
  return { traceId, rootService, rootName: `op ${traceId}`, startUs, durationUs: 1000, ...extra };
}

describe('traceList', () => {
  it('groups by root service, newest trace first, the most recently active service on top, each trace once', () => {
    const groups = groupByRootService([
      summary('a', 'api', T0),
      summary('b', 'web', T0 + 2),
      summary('c', 'api', T0 + 1, { errorCount: 1 }),
      summary('c', 'api', T0 + 1, { errorCount: 1 }),
      summary('d', '', T0 - 1),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.service, g.traces.map((t) => t.traceId), g.errorTraces]),
      [
        ['web', ['b'], 0],
        ['api', ['c', 'a'], 1],
        ['unknown service', ['d'], 0],
      ],
    );
  });

  it('filters by root or participating service, errors and minimum duration', () => {
    const s = summary('a', 'gateway', T0, { durationUs: 300_000, errorCount: 0, services: [{ name: 'payments' }] });
    assert.equal(matchesFilter(s, { service: 'payments' }), true, 'a service that took part matches');
    assert.equal(matchesFilter(s, { service: 'cart' }), false);
    assert.equal(matchesFilter(s, { errorsOnly: true }), false);
    assert.equal(matchesFilter(s, { minDurationUs: 300_000 }), true, 'the bound is inclusive');
    assert.equal(matchesFilter(s, { minDurationUs: 300_001 }), false);
  });

  it('reads and writes the filter in the search language, refusing what it cannot filter by', () => {
    assert.deepEqual(parseFilter('service:"my svc" error >200ms'), {
      filter: { service: 'my svc', errorsOnly: true, minDurationUs: 200_000 },
    });
    assert.deepEqual(parseFilter(''), { filter: {} });
    assert.equal(formatFilter({ service: 'my svc', errorsOnly: true, minDurationUs: 200_000 }), 'service:"my svc" error >200ms');
    const refused = parseFilter('http.status_code=500');
    assert.ok('error' in refused);
    assert.match(refused.error, /'http\.status_code=500': the list filters by service:, error and >duration only/);
    const invalid = parseFilter('>200xs');
    assert.ok('error' in invalid);
    assert.match(invalid.error, /unknown unit/);
  });

  it('says how long ago a trace started', () => {
    const now = T0 / 1000;
    assert.equal(formatRelativeTime(T0, now + 2_000), 'just now');
    assert.equal(formatRelativeTime(T0, now - 60_000), 'just now', 'a start in the future (clock skew)');
    assert.equal(formatRelativeTime(T0, now + 42_000), '42 s ago');
    assert.equal(formatRelativeTime(T0, now + 5 * 60_000), '5 min ago');
    assert.equal(formatRelativeTime(T0, now + 3 * 3_600_000), '3 h ago');
    assert.equal(formatRelativeTime(T0, now + 2 * 86_400_000), '2 d ago');
    assert.equal(formatRelativeTime(T0, now + 30 * 86_400_000), '2023-11-14');
  });
});
