/**
 * The critical path of a span's subtree: the chain of work that decided when it ended, as Jaeger computes
 * it. From the root's end, walk back in time: at each span, the child that finished last before the cursor
 * is on the path from its end to the cursor is the parent's own time, and so on down and back up. Children
 * are first clipped to their parent's (clipped) window; ones wholly outside it are ignored.
 *
 * No recursion (a 100,000-deep chain is an input like any other), and each span's children are sorted once
 * and consumed once: O(n log n).
 */
import type { TraceData } from './traceData';

export interface CriticalPath {
  /** onPath[row] = 1 for rows with time on the critical path */
  onPath: Uint8Array;
  /** segments of row r are segStart/segEnd[first[r] .. first[r + 1]), microseconds since the trace start */
  first: Int32Array;
  segStart: Float64Array;
  segEnd: Float64Array;
  /** total microseconds on the path (the root's clipped duration) */
  totalUs: number;
}

export function criticalPath(data: TraceData, root: number): CriticalPath {
  const n = data.loaded;
  const empty: CriticalPath = {
    onPath: new Uint8Array(n),
    first: new Int32Array(n + 1),
    segStart: new Float64Array(0),
    segEnd: new Float64Array(0),
    totalUs: 0,
  };
  if (root < 0 || root >= n) return empty;
  const last = Math.min(data.subtreeEnd[root]!, n);
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const valid = new Uint8Array(n);
  cs[root] = data.startUs[root]!;
  ce[root] = data.endUs(root);
  valid[root] = 1;
  for (let r = root + 1; r < last; r++) {
    const p = data.parent[r]!;
    if (p < 0 || valid[p] !== 1) continue;
    const s = Math.max(data.startUs[r]!, cs[p]!);
    const e = Math.min(data.endUs(r), ce[p]!);
    if (!(e >= s)) continue;
    cs[r] = s;
    ce[r] = e;
    valid[r] = 1;
  }

  const segRow: number[] = [];
  const segS: number[] = [];
  const segE: number[] = [];
  const push = (row: number, s: number, e: number): void => {
    if (e > s) {
      segRow.push(row);
      segS.push(s);
      segE.push(e);
    }
  };
  const sorted = new Map<number, Int32Array>();
  const next = new Int32Array(n);
  const entered = new Uint8Array(n);
  const kidsOf = (row: number): Int32Array => {
    let kids = sorted.get(row);
    if (!kids) {
      const list: number[] = [];
      data.forEachChild(row, (c) => {
        if (valid[c] === 1) list.push(c);
      });
      list.sort((a, b) => ce[b]! - ce[a]! || cs[b]! - cs[a]!);
      kids = Int32Array.from(list);
      sorted.set(row, kids);
    }
    return kids;
  };

  let cur = root;
  let cursor = ce[root]!;
  entered[root] = 1;
  for (;;) {
    const kids = kidsOf(cur);
    let i = next[cur]!;
    while (i < kids.length && ce[kids[i]!]! > cursor) i++;
    if (i < kids.length) {
      const child = kids[i]!;
      next[cur] = i + 1;
      push(cur, ce[child]!, cursor);
      cur = child;
      cursor = ce[child]!;
      entered[cur] = 1;
    } else {
      next[cur] = i;
      push(cur, cs[cur]!, cursor);
      if (cur === root) break;
      cursor = Math.min(cursor, cs[cur]!);
      cur = data.parent[cur]!;
    }
  }

  const onPath = new Uint8Array(n);
  for (let r = root; r < last; r++) if (entered[r] === 1 && ce[r]! > cs[r]!) onPath[r] = 1;
  // A zero-length root still is the path's start.
  onPath[root] = 1;

  // Segments grouped by row (counting sort), each row's in time order.
  const first = new Int32Array(n + 1);
  for (const r of segRow) first[r + 1]!++;
  for (let r = 0; r < n; r++) first[r + 1]! += first[r]!;
  const fill = first.slice(0, n);
  const segStart = new Float64Array(segRow.length);
  const segEnd = new Float64Array(segRow.length);
  // Segments were found from the end backwards: walk them in reverse so that each row's come out ascending.
  for (let k = segRow.length - 1; k >= 0; k--) {
    const at = fill[segRow[k]!]!++;
    segStart[at] = segS[k]!;
    segEnd[at] = segE[k]!;
  }
  return { onPath, first, segStart, segEnd, totalUs: ce[root]! - cs[root]! };
}

/** The top-level row the trace's critical path starts from: the longest of them (orphans are usually short). */
export function criticalRoot(data: TraceData, focusRow: number): number {
  if (focusRow >= 0) return focusRow;
  let best = -1;
  for (let row = 0; row < data.loaded; row = Math.max(row + 1, data.subtreeEnd[row]!)) {
    if (best < 0 || data.durationUs[row]! > data.durationUs[best]!) best = row;
  }
  return best;
}
