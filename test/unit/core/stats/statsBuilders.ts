// Typed builders for the statistics tests: spans at code locations, and a deterministic random source.
import type { Attributes, Span } from '../../../../src/core/model/types';
import { codeKeyId, type CodeKey, type ResolvedLocation } from '../../../../src/core/stats/codeKey';
import type { LocationSummary } from '../../../../src/core/stats/locationSummary';
import { buildSpan, spanIdOf, T0_US, traceIdOf } from '../../../builders';

/** Epoch microseconds of 2025-01-01T00:00:00Z. */
export const T0 = T0_US;
export const MINUTE = 60_000_000;

let next = 1;

/** A span of its own trace, named placeOrder (internal), at T0. */
export function statSpan(overrides: Partial<Span> = {}): Span {
  const n = next++;
  return buildSpan({ traceId: traceIdOf(n), spanId: spanIdOf(n), name: 'placeOrder', kind: 'internal', ...overrides });
}

export function location(key: CodeKey, line?: number): ResolvedLocation {
  const l: { -readonly [K in keyof ResolvedLocation]: ResolvedLocation[K] } = {
    key,
    id: codeKeyId(key),
    reason: `code.file.path ${key.file}`,
    confidence: 0.95,
  };
  if (line !== undefined) l.line = line;
  return l;
}

export function codeAttrs(file: string, fn?: string, line?: number): Attributes {
  const a: Attributes = { 'code.file.path': file };
  if (fn !== undefined) a['code.function.name'] = fn;
  if (line !== undefined) a['code.line.number'] = line;
  return a;
}

/** Park–Miller: the same sequence for the same seed. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/** Log-normal values around `median` (µs). */
export function logNormal(random: () => number, median: number, sigma: number): number {
  const u = Math.max(1e-12, random());
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()));
}

/** The exact value of rank ⌊q·(n−1)⌋, the rank a DDSketch quantile approximates. */
export function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** A summary as LatencyStats makes them, for formatting and placement tests. */
export function summaryOf(overrides: Partial<LocationSummary> = {}): LocationSummary {
  return {
    key: { file: 'src/orders.js', line: 3, function: 'placeOrder', span: 'placeOrder' },
    id: codeKeyId({ file: 'src/orders.js', line: 3, function: 'placeOrder', span: 'placeOrder' }),
    count: 1234,
    errors: 38,
    perMinute: 20.6,
    p50Us: 12_040,
    p90Us: 61_000,
    p95Us: 80_400,
    p99Us: 230_000,
    minUs: 900,
    maxUs: 1_250_000,
    meanUs: 21_000,
    lastSeenUs: 0,
    lines: [3],
    reason: 'code.file.path /app/src/orders.js:3 → src/orders.js (relative path)',
    confidence: 0.95,
    source: { kind: 'local' },
    ...overrides,
  };
}
