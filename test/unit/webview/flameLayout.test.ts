import * as assert from 'node:assert/strict';
import { flameFrame, rowAt, sibling, zoomPath } from '../../../webview/flameLayout';
import { buildTrace, toTraceData } from '../core/waterfall/buildTrace';

/** Each span's band, by span id. */
function bands(specs: Parameters<typeof buildTrace>[0], root = -1): Record<string, number> {
  const data = toTraceData(buildTrace(specs));
  const frame = flameFrame(data, root);
  const out: Record<string, number> = {};
  for (let r = 0; r < data.n; r++) if (frame.lane[r]! >= 0) out[data.spanIdOf(r)] = frame.lane[r]!;
  return out;
}

describe('flameLayout', () => {
  it('puts sequential children in the band below their parent, and overlapping siblings in bands of their own', () => {
    assert.deepEqual(
      bands([
        ['a', undefined, 0, 100],
        ['b', 'a', 0, 30],
        ['c', 'a', 40, 30],
        ['d', 'a', 50, 30],
        ['e', 'd', 55, 10],
      ]),
      { a: 0, b: 1, c: 1, d: 2, e: 3 },
    );
  });

  it('spans the zoomed subtree across the width, from its own band 0, and finds the span at a time', () => {
    const data = toTraceData(
      buildTrace([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 50],
        ['c', 'b', 20, 10],
        ['d', 'a', 70, 20],
      ]),
    );
    const b = data.rowOfSpanId('b');
    const frame = flameFrame(data, b);
    assert.deepEqual([frame.startUs, frame.endUs, frame.levels], [10_000, 60_000, 1]);
    assert.equal(frame.lane[data.rowOfSpanId('a')], -1, 'the parent is outside the zoom');
    assert.equal(rowAt(data, frame, 1, 25_000), data.rowOfSpanId('c'));
    assert.equal(rowAt(data, frame, 1, 45_000), -1);
    assert.deepEqual(
      zoomPath(data, data.rowOfSpanId('c'), -1).map((r) => data.spanIdOf(r)),
      ['a', 'b', 'c'],
    );
    assert.equal(sibling(data, b, 1), data.rowOfSpanId('d'));
    assert.equal(sibling(data, b, -1), -1);
  });

  it('lays out 10,000 concurrent children in a bounded number of bands, and a 20,000-deep chain without recursion', () => {
    const fan: Parameters<typeof buildTrace>[0] = [['root', undefined, 0, 1000]];
    for (let i = 0; i < 10_000; i++) fan.push([`c${i}`, 'root', 1, 998]);
    const wide = flameFrame(toTraceData(buildTrace(fan)), -1);
    assert.ok(wide.levels <= 48, `${wide.levels} bands`);
    assert.equal(wide.levelStart[wide.levels + 1], 10_001, 'every span is in a band');

    const chain: Parameters<typeof buildTrace>[0] = [['s0', undefined, 0, 20_000]];
    for (let i = 1; i < 20_000; i++) chain.push([`s${i}`, `s${i - 1}`, i * 0.5, 20_000 - i]);
    const deep = flameFrame(toTraceData(buildTrace(chain)), -1);
    assert.equal(deep.levels, 19_999);
  });
});
