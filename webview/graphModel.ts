/**
 * The trace as a graph of service/operation nodes, for the trace graph tab: spans with the same path of
 * (service, operation) from the root are one node, so that 10,000 calls to `SELECT` under the same caller
 * are one node with a count. Per node: calls, total and self time, errors, whether it is on the critical
 * path, and its slowest span (what a click selects and Go to Code opens). DOM-free, one pass in pre-order.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import type { TraceData } from './traceData';

export interface GraphNode {
  id: number;
  service: number;
  name: string;
  /** -1 for a node of top-level spans */
  parent: number;
  depth: number;
  children: number[];
  calls: number;
  totalUs: number;
  selfUs: number;
  errors: number;
  critical: boolean;
  /** its longest span */
  slowest: number;
}

export interface TraceGraph {
  /** in pre-order: a node before its children, children in the order first called */
  nodes: GraphNode[];
  /** node of each row (rows outside the graph: -1) */
  nodeOf: Int32Array;
}

/** The graph of the subtree under `root` (-1: every span received); `onPath` marks the critical path's rows. */
export function buildGraph(data: TraceData, root: number, onPath: Uint8Array | undefined): TraceGraph {
  const from = root >= 0 ? root : 0;
  const to = root >= 0 ? Math.min(data.subtreeEnd[root]!, data.loaded) : data.loaded;
  const nodeOf = new Int32Array(data.n).fill(-1);
  const found: GraphNode[] = [];
  const byKey = new Map<string, number>();
  for (let r = from; r < to; r++) {
    const p = data.parent[r]!;
    const parentNode = p >= from && p < to ? nodeOf[p]! : -1;
    const name = data.nameOf(r);
    const key = `${parentNode}\u0000${data.service[r]}\u0000${name}`;
    let id = byKey.get(key);
    if (id === undefined) {
      id = found.length;
      byKey.set(key, id);
      found.push({
        id,
        service: data.service[r]!,
        name,
        parent: parentNode,
        depth: parentNode >= 0 ? found[parentNode]!.depth + 1 : 0,
        children: [],
        calls: 0,
        totalUs: 0,
        selfUs: 0,
        errors: 0,
        critical: false,
        slowest: r,
      });
      if (parentNode >= 0) found[parentNode]!.children.push(id);
    }
    const node = found[id]!;
    nodeOf[r] = id;
    node.calls++;
    node.totalUs += data.durationUs[r]!;
    node.selfUs += data.selfUs[r]!;
    if ((data.flags[r]! & SpanFlags.error) !== 0) node.errors++;
    if (onPath?.[r] === 1) node.critical = true;
    if (data.durationUs[r]! > data.durationUs[node.slowest]!) node.slowest = r;
  }
  // Pre-order of the nodes (found order is by first span, which may come after a later sibling's children).
  const nodes: GraphNode[] = [];
  const renumber = new Int32Array(found.length);
  const stack = found.filter((n) => n.parent < 0).reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    renumber[node.id] = nodes.length;
    nodes.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(found[node.children[i]!]!);
  }
  for (const node of nodes) {
    node.id = renumber[node.id]!;
    if (node.parent >= 0) node.parent = renumber[node.parent]!;
    node.children = node.children.map((c) => renumber[c]!);
  }
  for (let r = from; r < to; r++) nodeOf[r] = renumber[nodeOf[r]!]!;
  return { nodes, nodeOf };
}
