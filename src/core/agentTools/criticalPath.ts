/**
 * The critical path of a trace over its span tree, as Jaeger computes it and the waterfall draws it
 * (webview/criticalPath.ts, which works on the webview's row arrays and cannot be imported from the core): from
 * the root's end, walk back in time; at each span the child that finished last before the cursor is on the path
 * from its end to the cursor, the gaps are the parent's own time. Children are clipped to their parent's clipped
 * window first; ones wholly outside it are ignored. No recursion; each span's children are sorted once.
 */
import { childrenOf, type SpanTree } from '../model/spanTree';
import type { Trace } from '../model/types';

export interface CriticalPathEntry {
  /** index into trace.spans */
  span: number;
  /** microseconds of this span's own time on the path */
  onPathUs: number;
  /** epoch µs of the first moment of it on the path */
  firstUs: number;
}

export interface CriticalPath {
  /** the spans with time on the path, in time order */
  entries: CriticalPathEntry[];
  /** the root span the path starts from; -1 for an empty trace */
  root: number;
  /** the root's duration, microseconds */
  totalUs: number;
}

export function criticalPath(trace: Trace, tree: SpanTree): CriticalPath {
  const spans = trace.spans;
  const n = spans.length;
  const root = longestRoot(trace, tree);
  if (root < 0) return { entries: [], root, totalUs: 0 };
  const end = (i: number): number => spans[i]!.startUs + Math.max(0, spans[i]!.durationUs);
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const valid = new Uint8Array(n);
  cs[root] = spans[root]!.startUs;
  ce[root] = end(root);
  valid[root] = 1;
  // pre-order: a parent is clipped before its children
  for (const i of tree.order) {
    const p = tree.parent[i]!;
    if (p < 0 || valid[p] !== 1) continue;
    const s = Math.max(spans[i]!.startUs, cs[p]!);
    const e = Math.min(end(i), ce[p]!);
    if (!(e >= s)) continue;
    cs[i] = s;
    ce[i] = e;
    valid[i] = 1;
  }

  const onPath = new Float64Array(n);
  const first = new Float64Array(n).fill(Infinity);
  const add = (i: number, s: number, e: number): void => {
    if (!(e > s)) return;
    onPath[i]! += e - s;
    if (s < first[i]!) first[i] = s;
  };
  const sorted: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(n);
  const next = new Int32Array(n);
  const entered = new Uint8Array(n);
  const kidsOf = (i: number): Int32Array => {
    let kids = sorted[i];
    if (!kids) {
      const all = childrenOf(tree, i);
      let valids = 0;
      for (const c of all) valids += valid[c]!;
      kids = valids === all.length ? all.slice() : all.filter((c) => valid[c] === 1);
      if (kids.length > 1) kids.sort((a, b) => ce[b]! - ce[a]! || cs[b]! - cs[a]!);
      sorted[i] = kids;
    }
    return kids;
  };

  let cur = root;
  let cursor = ce[root]!;
  entered[root] = 1;
  for (;;) {
    const kids = kidsOf(cur);
    let k = next[cur]!;
    while (k < kids.length && ce[kids[k]!]! > cursor) k++;
    if (k < kids.length) {
      const child = kids[k]!;
      next[cur] = k + 1;
      add(cur, ce[child]!, cursor);
      cur = child;
      cursor = ce[child]!;
      entered[cur] = 1;
    } else {
      next[cur] = k;
      add(cur, cs[cur]!, cursor);
      if (cur === root) break;
      cursor = Math.min(cursor, cs[cur]!);
      cur = tree.parent[cur]!;
    }
  }

  const entries: CriticalPathEntry[] = [];
  for (let i = 0; i < n; i++) {
    if (entered[i] === 1 && (onPath[i]! > 0 || i === root)) {
      entries.push({ span: i, onPathUs: onPath[i]!, firstUs: Number.isFinite(first[i]!) ? first[i]! : cs[i]! });
    }
  }
  entries.sort((a, b) => a.firstUs - b.firstUs || a.span - b.span);
  return { entries, root, totalUs: ce[root]! - cs[root]! };
}

/** The top-level span with the longest duration (orphans are usually short); -1 when there is none. */
function longestRoot(trace: Trace, tree: SpanTree): number {
  let best = -1;
  for (const r of tree.roots) {
    if (best < 0 || trace.spans[r]!.durationUs > trace.spans[best]!.durationUs) best = r;
  }
  return best;
}
