import * as assert from 'node:assert/strict';
import { criticalPath } from '../../../../src/core/agentTools/criticalPath';
import { buildSpanTree } from '../../../../src/core/model/spanTree';
import { buildTrace, type SpanSpec } from '../waterfall/buildTrace';

/** "id:ms on the path", in time order. */
function path(specs: SpanSpec[]): string[] {
  const trace = buildTrace(specs);
  return criticalPath(trace, buildSpanTree(trace)).entries.map((e) => `${trace.spans[e.span]!.spanId}:${e.onPathUs / 1000}`);
}

describe('agent critical path', () => {
  it('follows sequential children and gives the gaps to the parent', () => {
    assert.deepEqual(
      path([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 30],
        ['c', 'a', 50, 40],
      ]),
      ['a:30', 'b:30', 'c:40'],
    );
  });

  it('takes the last-finishing of parallel children, as the waterfall does', () => {
    assert.deepEqual(
      path([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 60],
        ['c', 'a', 20, 70],
      ]),
      ['a:30', 'c:70'],
    );
  });

  it('walks a 100,000-deep chain without recursion', () => {
    // every span starts 1 µs after its parent and all end together
    const trace = buildTrace([['s0', undefined, 0, 200]]);
    const root = trace.spans[0]!;
    for (let i = 1; i < 100_000; i++) {
      trace.spans.push({
        ...root,
        spanId: `s${i}`,
        parentSpanId: `s${i - 1}`,
        startUs: root.startUs + i,
        durationUs: 200_000 - i,
      });
    }
    assert.equal(criticalPath(trace, buildSpanTree(trace)).entries.length, 100_000);
  });
});
