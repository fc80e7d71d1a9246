/**
 * Which rows the waterfall lists, given what is collapsed, focused and filtered. DOM-free and linear: a
 * collapsed row skips its whole subtree in one step because a subtree is a contiguous run of rows.
 */
import type { TraceData } from './traceData';

export interface RowFilter {
  /** collapsed[row] = 1 hides the row's descendants */
  collapsed: Uint8Array;
  /** show only this row's subtree; -1 for the whole trace */
  focusRow: number;
  /** when set, only rows with keep[row] = 1 are listed (matches and their ancestors, or the critical path) */
  keep?: Uint8Array;
}

/** Rows to list, in order. */
export function visibleRows(data: TraceData, filter: RowFilter): Int32Array {
  const { collapsed, keep } = filter;
  const focus = filter.focusRow >= 0 && filter.focusRow < data.loaded ? filter.focusRow : -1;
  const from = focus >= 0 ? focus : 0;
  const to = focus >= 0 ? Math.min(data.subtreeEnd[focus]!, data.loaded) : data.loaded;
  const out = new Int32Array(Math.max(0, to - from));
  let k = 0;
  let row = from;
  while (row < to) {
    if (keep && keep[row] !== 1) {
      row++;
      continue;
    }
    out[k++] = row;
    row = collapsed[row] === 1 ? Math.max(row + 1, data.subtreeEnd[row]!) : row + 1;
  }
  return out.subarray(0, k);
}

/** keep-mask of `rows` and all their ancestors: what "hide non-matching" lists. */
export function withAncestors(data: TraceData, rows: ArrayLike<number>): Uint8Array {
  const keep = new Uint8Array(data.n);
  for (let i = 0; i < rows.length; i++) {
    // Each walk stops at the first row already kept, so every row is visited once in all: O(n).
    for (let r = rows[i]!; r >= 0 && r < data.n && keep[r] !== 1; r = data.parent[r]!) keep[r] = 1;
  }
  return keep;
}

/** Clears `collapsed` on every ancestor of `row`, so that the row is listed. Returns whether anything changed. */
export function expandAncestors(data: TraceData, collapsed: Uint8Array, row: number): boolean {
  let changed = false;
  for (let p = data.parent[row] ?? -1; p >= 0; p = data.parent[p]!) {
    if (collapsed[p] === 1) {
      collapsed[p] = 0;
      changed = true;
    }
  }
  return changed;
}

/** Collapses every row with children: only the top level stays listed. */
export function collapseAll(data: TraceData, collapsed: Uint8Array): void {
  for (let row = 0; row < data.loaded; row++) collapsed[row] = data.hasChildren(row) ? 1 : 0;
}

/** Collapses every row with children that lasts less than `thresholdUs`; returns how many it collapsed. */
export function collapseShorterThan(data: TraceData, collapsed: Uint8Array, thresholdUs: number): number {
  let count = 0;
  for (let row = 0; row < data.loaded; row++) {
    if (data.durationUs[row]! < thresholdUs && data.hasChildren(row) && collapsed[row] !== 1) {
      collapsed[row] = 1;
      count++;
    }
  }
  return count;
}

/**
 * "Collapse one level": of the listed rows that have children and are open, the deepest ones are collapsed
 * (as Jaeger's −1 level). Returns whether anything changed.
 */
export function collapseOneLevel(data: TraceData, collapsed: Uint8Array, listed: Int32Array): boolean {
  let deepest = -1;
  for (const row of listed) if (data.hasChildren(row) && collapsed[row] !== 1) deepest = Math.max(deepest, data.depth[row]!);
  if (deepest < 0) return false;
  for (const row of listed) if (data.depth[row] === deepest && data.hasChildren(row)) collapsed[row] = 1;
  return true;
}

/** "Expand one level": the shallowest listed collapsed rows are opened. Returns whether anything changed. */
export function expandOneLevel(data: TraceData, collapsed: Uint8Array, listed: Int32Array): boolean {
  let shallowest = Infinity;
  for (const row of listed)
    if (collapsed[row] === 1 && data.hasChildren(row)) shallowest = Math.min(shallowest, data.depth[row]!);
  if (shallowest === Infinity) return false;
  for (const row of listed) if (data.depth[row] === shallowest) collapsed[row] = 0;
  return true;
}
