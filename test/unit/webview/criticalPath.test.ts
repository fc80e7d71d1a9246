import * as assert from 'node:assert/strict';
import { criticalPath, criticalRoot } from '../../../webview/criticalPath';
import { buildTrace, toTraceData } from '../core/waterfall/buildTrace';

/** Segments as "id:startMs-endMs", in time order. */
function segments(specs: Parameters<typeof buildTrace>[0]): string[] {
  const data = toTraceData(buildTrace(specs));
  const cp = criticalPath(data, criticalRoot(data, -1));
  const out: [number, string][] = [];
  for (let r = 0; r < data.n; r++) {
    for (let s = cp.first[r]!; s < cp.first[r + 1]!; s++)
      out.push([cp.segStart[s]!, `${data.spanIdOf(r)}:${cp.segStart[s]! / 1000}-${cp.segEnd[s]! / 1000}`]);
  }
  return out.sort((x, y) => x[0] - y[0]).map((x) => x[1]);
}

describe('criticalPath', () => {
  it('follows sequential children and gives the gaps to the parent', () => {
    assert.deepEqual(
      segments([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 30],
        ['c', 'a', 50, 40],
      ]),
      ['a:0-10', 'b:10-40', 'a:40-50', 'c:50-90', 'a:90-100'],
    );
  });

  it('takes the last-finishing of parallel children; a sibling still running when it started is not on the path', () => {
    // b and c overlap and c finishes last: waiting for b did not delay the parent, c did (as Jaeger computes it).
    assert.deepEqual(
      segments([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 50],
        ['c', 'a', 20, 60],
      ]),
      ['a:0-20', 'c:20-80', 'a:80-100'],
    );
  });

  it('clips children that outlive their parent', () => {
    assert.deepEqual(
      segments([
        ['a', undefined, 0, 50],
        ['b', 'a', 10, 100],
      ]),
      ['a:0-10', 'b:10-50'],
    );
  });

  it('descends into grandchildren', () => {
    assert.deepEqual(
      segments([
        ['a', undefined, 0, 100],
        ['b', 'a', 0, 100],
        ['c', 'b', 20, 30],
      ]),
      ['b:0-20', 'c:20-50', 'b:50-100'],
    );
  });

  it('marks the rows on the path and sums to the root duration', () => {
    const data = toTraceData(
      buildTrace([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 5],
        ['c', 'a', 20, 60],
        ['z', 'a', 12, 20],
      ]),
    );
    const cp = criticalPath(data, 0);
    assert.deepEqual(
      ['a', 'b', 'c', 'z'].map((id) => cp.onPath[data.rowOfSpanId(id)]),
      [1, 1, 1, 0],
    );
    let sum = 0;
    for (let s = 0; s < cp.segStart.length; s++) sum += cp.segEnd[s]! - cp.segStart[s]!;
    assert.equal(sum, 100_000);
  });

  it('terminates on zero-length children at the cursor and on 100,000 siblings', () => {
    const specs: Parameters<typeof buildTrace>[0] = [['root', undefined, 0, 100]];
    for (let i = 0; i < 100_000; i++) specs.push([`k${i}`, 'root', (i % 100) * 1, i % 3 === 0 ? 0 : 1]);
    const data = toTraceData(buildTrace(specs));
    const cp = criticalPath(data, 0);
    assert.equal(cp.onPath[0], 1);
    assert.ok(cp.segStart.length < 300);
  });
});
