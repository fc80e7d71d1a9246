/**
 * Where the flame graph puts each span: the subtree it is zoomed into spans the width (time on x), a span's
 * width is its duration, and each span lies in a band below its parent's (depth on y). Spans of a trace run
 * concurrently, unlike a profile's frames: siblings that overlap in time take separate bands, so that no
 * bar hides another (first fit, in order of start; a fan-out wider than MAX_LANE_SEARCH bands shares the
 * band that frees first). DOM-free. The rows are grouped by band once per zoom, so that drawing and
 * hit-testing touch only the bands on screen.
 */
import type { TraceData } from './traceData';

/** bands below its parent's tried for a free one before a span shares the one that frees first */
const MAX_LANE_SEARCH = 48;

export interface FlameFrame {
  /** the row zoomed into, or -1 for every top-level span */
  readonly root: number;
  /** the time the width spans, microseconds since the trace start */
  readonly startUs: number;
  readonly endUs: number;
  /** depth of the top band's spans (for the levels a screen reader hears) */
  readonly depthBase: number;
  /** the last band: 0 when only the top band holds spans */
  readonly levels: number;
  /** band of each row (rows outside the frame: -1) */
  readonly lane: Int32Array;
  /** rows of band b are byLevel[levelStart[b] .. levelStart[b + 1]), in order of start */
  readonly byLevel: Int32Array;
  readonly levelStart: Int32Array;
}

/** The frame of the subtree under `root` (-1: the whole trace, as received so far). */
export function flameFrame(data: TraceData, root: number): FlameFrame {
  const whole = root < 0 || root >= data.loaded;
  const from = whole ? 0 : root;
  const to = whole ? data.loaded : Math.min(data.subtreeEnd[root]!, data.loaded);
  let base = Infinity;
  for (let r = from; r < to; r++) base = Math.min(base, data.depth[r]!);
  if (!Number.isFinite(base)) base = 0;

  // Spans in order of start, a child never before its parent (a child starting early is clock skew).
  const es = new Float64Array(to - from);
  for (let r = from; r < to; r++) {
    const p = data.parent[r]!;
    const own = data.startUs[r]!;
    es[r - from] = p >= from && p < r ? Math.max(own, es[p - from]!) : own;
  }
  const order = orderByStart(es);

  const lane = new Int32Array(data.n).fill(-1);
  const laneEnd: number[] = [];
  let levels = 0;
  for (let k = 0; k < order.length; k++) {
    const r = order[k]! + from;
    const p = data.parent[r]!;
    const first = p >= from && p < to && lane[p]! >= 0 ? lane[p]! + 1 : 0;
    const start = es[r - from]!;
    let chosen = -1;
    let earliest = first;
    for (let l = first; l < first + MAX_LANE_SEARCH; l++) {
      const end = laneEnd[l];
      if (end === undefined || end <= start) {
        chosen = l;
        break;
      }
      if (end < laneEnd[earliest]!) earliest = l;
    }
    if (chosen < 0) chosen = earliest;
    lane[r] = chosen;
    laneEnd[chosen] = Math.max(laneEnd[chosen] ?? -Infinity, start + Math.max(0, data.durationUs[r]!));
    if (chosen > levels) levels = chosen;
  }

  const levelStart = new Int32Array(levels + 2);
  for (let r = from; r < to; r++) levelStart[lane[r]! + 1]!++;
  for (let b = 0; b <= levels; b++) levelStart[b + 1]! += levelStart[b]!;
  const fill = levelStart.slice(0, levels + 1);
  const byLevel = new Int32Array(to - from);
  for (let k = 0; k < order.length; k++) {
    const r = order[k]! + from;
    byLevel[fill[lane[r]!]!++] = r;
  }
  let startUs: number;
  let endUs: number;
  if (whole) {
    startUs = 0;
    endUs = data.header.durationUs;
    // Spans outside the header's extent (clock skew) widen the frame rather than fall off it.
    for (let r = from; r < to; r++) {
      if (data.startUs[r]! < startUs) startUs = data.startUs[r]!;
      if (data.endUs(r) > endUs) endUs = data.endUs(r);
    }
  } else {
    startUs = data.startUs[root]!;
    endUs = data.endUs(root);
  }
  if (!(endUs > startUs)) endUs = startUs + 1;
  return { root: whole ? -1 : root, startUs, endUs, depthBase: base, levels, lane, byLevel, levelStart };
}

/** Rows up to this many sort as one number each (rank and index packed in a double), by the engine's numeric sort. */
const PACK = 2 ** 21;

/** Indices of `es` in order of value, ties in index order (the engine's numeric sort, not a comparator). */
function orderByStart(es: Float64Array): Int32Array {
  const n = es.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n >= PACK) return order.sort((a, b) => es[a]! - es[b]! || a - b);
  const sorted = es.slice().sort();
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = es[i]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    packed[i] = lo * PACK + i;
  }
  packed.sort();
  for (let i = 0; i < n; i++) order[i] = packed[i]! % PACK;
  return order;
}

/** The row of band `level` at time `us`, or -1; where bars share a band, the last drawn (on top) wins. */
export function rowAt(data: TraceData, frame: FlameFrame, level: number, us: number, minUs = 0): number {
  if (level < 0 || level > frame.levels) return -1;
  for (let i = frame.levelStart[level + 1]! - 1; i >= frame.levelStart[level]!; i--) {
    const r = frame.byLevel[i]!;
    const s = data.startUs[r]!;
    if (us >= s && us <= s + Math.max(data.durationUs[r]!, minUs)) return r;
  }
  return -1;
}

/** The zoom stack from the frame's root up to (not including) `base`: what "zoom out" goes back through. */
export function zoomPath(data: TraceData, root: number, base: number): number[] {
  const path: number[] = [];
  for (let r = root; r >= 0 && r !== base; r = data.parent[r]!) {
    path.unshift(r);
    if (path.length > data.n) break;
  }
  return path;
}

/** The sibling listed just before (`-1`) or after (`+1`) `row` under the same parent, or -1. */
export function sibling(data: TraceData, row: number, direction: 1 | -1): number {
  const p = data.parent[row]!;
  if (p < 0) {
    // Top-level spans: siblings in row order.
    let prev = -1;
    for (let r = 0; r < data.loaded; r = Math.max(r + 1, data.subtreeEnd[r]!)) {
      if (direction === 1 && prev === row) return r;
      if (direction === -1 && r === row) return prev;
      prev = r;
    }
    return -1;
  }
  let prev = -1;
  let found = -1;
  data.forEachChild(p, (c) => {
    if (found >= 0) return;
    if (direction === 1 && prev === row) found = c;
    if (direction === -1 && c === row) found = prev;
    prev = c;
  });
  return found;
}

/** The first child of `row` (children follow their parent in pre-order), or -1. */
export function firstChild(data: TraceData, row: number): number {
  return data.hasChildren(row) && row + 1 < data.loaded ? row + 1 : -1;
}
