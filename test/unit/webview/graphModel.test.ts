import * as assert from 'node:assert/strict';
import { buildGraph } from '../../../webview/graphModel';
import { buildTrace, toTraceData } from '../core/waterfall/buildTrace';

describe('graphModel', () => {
  it('makes spans with the same path of service and operation one node, children in pre-order after their parent', () => {
    const specs: Parameters<typeof buildTrace>[0] = [['r', undefined, 0, 100]];
    for (let i = 0; i < 1000; i++) specs.push([`q${i}`, 'r', i * 0.05, 0.04]);
    specs.push(['b', 'r', 60, 30]);
    const trace = buildTrace(specs);
    for (const s of trace.spans) if (s.spanId.startsWith('q')) s.name = 'SELECT';
    const data = toTraceData(trace);
    const graph = buildGraph(data, -1, undefined);
    assert.deepEqual(
      graph.nodes.map((n) => [n.name, n.calls, n.depth, n.parent]),
      [
        ['op-r', 1, 0, -1],
        ['SELECT', 1000, 1, 0],
        ['op-b', 1, 1, 0],
      ],
    );
    assert.ok(Math.abs(graph.nodes[1]!.totalUs - 40_000) < 1e-3, `${graph.nodes[1]!.totalUs}`);
    assert.equal(graph.nodeOf[data.rowOfSpanId('b')], 2);
    // Under a focused subtree, only its spans.
    assert.deepEqual(
      buildGraph(data, data.rowOfSpanId('b'), undefined).nodes.map((n) => n.name),
      ['op-b'],
    );
  });
});
