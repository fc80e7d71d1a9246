import * as assert from 'node:assert/strict';
import { computeStatistics, percentile } from '../../../webview/statistics';
import { buildTrace, toTraceData } from '../core/waterfall/buildTrace';

describe('computeStatistics', () => {
  const data = toTraceData(
    buildTrace([
      ['a', undefined, 0, 100, { service: 'web', name: 'GET /' }],
      ['b', 'a', 0, 10, { service: 'db', name: 'SELECT' }],
      ['c', 'a', 20, 30, { service: 'db', name: 'SELECT', status: { code: 'error' } }],
      ['d', 'a', 60, 20, { service: 'db', name: 'INSERT' }],
    ]),
  );
  const stats = computeStatistics(data);

  it('counts and totals per service and operation, largest total first', () => {
    assert.deepEqual(
      stats.byOperation.map((r) => [r.service, r.operation, r.count, r.totalUs, r.errors]),
      [
        ['web', 'GET /', 1, 100_000, 0],
        ['db', 'SELECT', 2, 40_000, 1],
        ['db', 'INSERT', 1, 20_000, 0],
      ],
    );
  });

  it('sums self time: the parent keeps what its children do not cover', () => {
    const web = stats.byService.find((r) => r.service === 'web')!;
    assert.equal(web.selfUs, 40_000);
    const db = stats.byService.find((r) => r.service === 'db')!;
    assert.equal(db.selfUs, 60_000);
    assert.equal(db.count, 3);
  });

  it('reports p95, average and max of durations', () => {
    const select = stats.byOperation.find((r) => r.operation === 'SELECT')!;
    assert.equal(select.p95Us, 30_000);
    assert.equal(select.avgUs, 20_000);
    assert.equal(select.maxUs, 30_000);
  });

  it('limits to the rows given (a focused subtree)', () => {
    const only = computeStatistics(data, [data.rowOfSpanId('d')]);
    assert.deepEqual(
      only.byOperation.map((r) => r.operation),
      ['INSERT'],
    );
  });

  it('uses nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 0.95), 95);
    assert.equal(percentile(Float64Array.of(7), 0.95), 7);
    assert.equal(percentile(new Float64Array(0), 0.95), 0);
  });
});
