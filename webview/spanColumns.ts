/**
 * The values of a span that every view of the trace reads the same way, from TraceData's columns: how each
 * shows as text and how rows sort by it. DOM-free. Text columns sort by a rank computed once per column
 * (code-unit order, which is what a reader expects of ids and routes and costs no collation), numbers by
 * value; ties keep the waterfall's order, so that sorting is stable and deterministic.
 */
import type { SpanColumnKey } from '../src/protocol/messages';
import { KIND_MASK, KIND_SHIFT, kindOf, SpanFlags } from '../src/protocol/waterfallData';
import { formatDuration } from './timeScale';
import type { TraceData } from './traceData';

/** A column of the spans table (kept in the saved view state). */
export type ColumnKey = SpanColumnKey;

export interface SpanColumn {
  key: ColumnKey;
  /** the column's heading */
  label: string;
  /** numbers sort largest first when first chosen, text from A */
  numeric: boolean;
  /** what a cell shows */
  text(data: TraceData, row: number): string;
}

const isError = (data: TraceData, row: number): boolean => (data.flags[row]! & SpanFlags.error) !== 0;

export const SPAN_COLUMNS: Readonly<Record<ColumnKey, SpanColumn>> = {
  service: { key: 'service', label: 'Service', numeric: false, text: (d, r) => d.serviceOf(r) },
  name: { key: 'name', label: 'Operation', numeric: false, text: (d, r) => d.nameOf(r) },
  duration: { key: 'duration', label: 'Duration', numeric: true, text: (d, r) => formatDuration(d.durationUs[r]!) },
  self: { key: 'self', label: 'Self time', numeric: true, text: (d, r) => formatDuration(d.selfUs[r]!) },
  start: { key: 'start', label: 'Start', numeric: true, text: (d, r) => `+${formatDuration(d.startUs[r]!)}` },
  kind: { key: 'kind', label: 'Kind', numeric: false, text: (d, r) => kindOf(d.flags[r]!) },
  status: { key: 'status', label: 'Status', numeric: true, text: (d, r) => (isError(d, r) ? 'Error' : '') },
};

/** Ranks per row of `data`, cached per column until more rows arrive. */
const rankCache = new WeakMap<TraceData, { loaded: number; ranks: Map<ColumnKey, Ranks> }>();

/** Each row's rank in one column (equal values, equal ranks, from 0) and the largest rank. */
export interface Ranks {
  rank: Int32Array;
  max: number;
}

/** Where each row of `data` stands in column `key`: the order of its value among all rows' values. */
export function columnRanks(data: TraceData, key: ColumnKey): Ranks {
  let cached = rankCache.get(data);
  if (!cached || cached.loaded !== data.loaded) {
    cached = { loaded: data.loaded, ranks: new Map() };
    rankCache.set(data, cached);
  }
  let ranks = cached.ranks.get(key);
  if (!ranks) {
    ranks = computeRanks(data, key);
    cached.ranks.set(key, ranks);
  }
  return ranks;
}

function computeRanks(data: TraceData, key: ColumnKey): Ranks {
  const n = data.loaded;
  switch (key) {
    case 'duration':
      return numberRanks(data.durationUs.subarray(0, n));
    case 'self':
      return numberRanks(data.selfUs.subarray(0, n));
    case 'start':
      return numberRanks(data.startUs.subarray(0, n));
    case 'status':
      return numberRanks(Float64Array.from({ length: n }, (_, r) => (isError(data, r) ? 1 : 0)));
    case 'kind':
      return numberRanks(Float64Array.from({ length: n }, (_, r) => (data.flags[r]! >> KIND_SHIFT) & KIND_MASK));
    case 'service':
      return textRanks(n, data.service, data.header.services);
    case 'name':
      return textRanks(n, data.name, data.strings);
  }
}

/** Ranks of numbers by the engine's own numeric sort and a binary search per row; NaN ranks last. */
function numberRanks(values: Float64Array): Ranks {
  const sorted = values.slice().sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (Number.isNaN(v)) break;
    if (unique === 0 || v !== sorted[unique - 1]) sorted[unique++] = v;
  }
  const rank = new Int32Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r]!;
    if (Number.isNaN(v)) {
      rank[r] = unique;
      continue;
    }
    let lo = 0;
    let hi = unique - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    rank[r] = lo;
  }
  return { rank, max: unique };
}

/** Each row's rank of `table[index[row]]` among the texts the rows use, in code-unit order. */
function textRanks(n: number, index: Int32Array, table: readonly string[]): Ranks {
  const used = [...new Set(index.subarray(0, n))];
  used.sort((a, b) => {
    const x = table[a] ?? '';
    const y = table[b] ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const byText = new Map<number, number>();
  let rank = -1;
  used.forEach((textIndex, i) => {
    if (i === 0 || table[textIndex] !== table[used[i - 1]!]) rank++;
    byText.set(textIndex, rank);
  });
  const ranks = new Int32Array(n);
  for (let r = 0; r < n; r++) ranks[r] = byText.get(index[r]!)!;
  return { rank: ranks, max: rank + 1 };
}

/** Rows up to this many sort as one number each (rank and row packed in a double), by the engine's numeric sort. */
const PACK = 2 ** 21;

/** `rows` ordered by column `key`, ties in the waterfall's order either way; a new array. */
export function sortRows(data: TraceData, rows: Int32Array, key: ColumnKey, descending: boolean): Int32Array {
  const { rank, max } = columnRanks(data, key);
  if (data.n >= PACK) {
    const sign = descending ? -1 : 1;
    return Int32Array.from(rows).sort((a, b) => sign * (rank[a]! - rank[b]!) || a - b);
  }
  const packed = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    packed[i] = (descending ? max - rank[row]! : rank[row]!) * PACK + row;
  }
  packed.sort();
  const out = new Int32Array(rows.length);
  for (let i = 0; i < packed.length; i++) out[i] = packed[i]! % PACK;
  return out;
}
