/**
 * The statistics tab: per service, and per service and operation, how many spans, their total and self
 * time, and the 95th percentile of their durations. DOM-free; one pass to group, then one sort per group.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import type { TraceData } from './traceData';

export interface StatRow {
  service: string;
  /** undefined in the per-service table */
  operation?: string;
  count: number;
  errors: number;
  /** microseconds */
  totalUs: number;
  selfUs: number;
  avgUs: number;
  p95Us: number;
  maxUs: number;
}

export interface TraceStatistics {
  byService: StatRow[];
  byOperation: StatRow[];
}

interface Acc {
  service: number;
  name: number;
  count: number;
  errors: number;
  totalUs: number;
  selfUs: number;
  durations: number[];
}

/** Statistics over `rows` (all loaded rows when omitted); each table sorted by total time, largest first. */
export function computeStatistics(data: TraceData, rows?: ArrayLike<number>): TraceStatistics {
  const byOp = new Map<number, Map<number, Acc>>();
  const bySvc = new Map<number, Acc>();
  const count = rows ? rows.length : data.loaded;
  for (let i = 0; i < count; i++) {
    const row = rows ? rows[i]! : i;
    const svc = data.service[row]!;
    const name = data.name[row]!;
    let ops = byOp.get(svc);
    if (!ops) byOp.set(svc, (ops = new Map()));
    let op = ops.get(name);
    if (!op) ops.set(name, (op = newAcc(svc, name)));
    let s = bySvc.get(svc);
    if (!s) bySvc.set(svc, (s = newAcc(svc, -1)));
    const d = data.durationUs[row]!;
    const self = data.selfUs[row]!;
    const error = (data.flags[row]! & SpanFlags.error) !== 0 ? 1 : 0;
    for (const acc of [op, s]) {
      acc.count++;
      acc.errors += error;
      acc.totalUs += d;
      acc.selfUs += self;
      acc.durations.push(d);
    }
  }
  const byOperation: StatRow[] = [];
  for (const ops of byOp.values()) for (const acc of ops.values()) byOperation.push(finish(data, acc, true));
  const byService = [...bySvc.values()].map((acc) => finish(data, acc, false));
  const order = (a: StatRow, b: StatRow): number => b.totalUs - a.totalUs || a.service.localeCompare(b.service);
  return { byService: byService.sort(order), byOperation: byOperation.sort(order) };
}

function newAcc(service: number, name: number): Acc {
  return { service, name, count: 0, errors: 0, totalUs: 0, selfUs: 0, durations: [] };
}

function finish(data: TraceData, acc: Acc, withOperation: boolean): StatRow {
  const sorted = Float64Array.from(acc.durations).sort();
  const row: StatRow = {
    service: data.header.services[acc.service] ?? '',
    count: acc.count,
    errors: acc.errors,
    totalUs: acc.totalUs,
    selfUs: acc.selfUs,
    avgUs: acc.count > 0 ? acc.totalUs / acc.count : 0,
    p95Us: percentile(sorted, 0.95),
    maxUs: sorted.length > 0 ? sorted[sorted.length - 1]! : 0,
  };
  if (withOperation) row.operation = data.strings[acc.name] ?? '';
  return row;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..1): the smallest value with at least p of the values at or below it. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
