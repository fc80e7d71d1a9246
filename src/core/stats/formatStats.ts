/**
 * Numbers as people read them in a CodeLens: durations as everywhere else (core/formatDuration.ts), counts as
 * 1.2k/3.4M, rates as 3.1%, and the lens template (`traceLens.codeLens.format`) that puts them together.
 */
import { formatDuration } from '../formatDuration';
import type { LocationSummary } from './locationSummary';

/** A latency, in microseconds, in the one duration style: 850 → "850 µs", 12_345 → "12.3 ms", 1_250_000 → "1.25 s". */
export const formatLatency = formatDuration;

/** 950 → "950", 1_234 → "1.2k", 12_345 → "12k", 1_250_000 → "1.3M". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  if (n < 1_000) return String(Math.round(n));
  if (n < 999_500) return `${twoDigits(n / 1_000)}k`;
  if (n < 999_500_000) return `${twoDigits(n / 1_000_000)}M`;
  return `${twoDigits(n / 1_000_000_000)}G`;
}

/** A fraction 0..1 as a percentage: 0 → "0%", 0.0004 → "<0.1%", 0.031 → "3.1%", 0.125 → "13%", 1 → "100%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction) || fraction < 0) return '–';
  if (fraction === 0) return '0%';
  const pct = fraction * 100;
  if (pct < 0.1) return '<0.1%';
  if (pct < 9.95) return `${Number(pct.toFixed(1))}%`;
  return `${Math.round(pct)}%`;
}

/** Calls per minute as "0.2/min", "12/min", or per second once there are at least 100 a minute: "3.4/s". */
export function formatRate(perMinute: number): string {
  if (!Number.isFinite(perMinute) || perMinute < 0) return '–';
  if (perMinute >= 100) return `${formatCount(perMinute / 60)}/s`;
  if (perMinute >= 1) return `${twoDigits(perMinute)}/min`;
  return `${Number(perMinute.toPrecision(1))}/min`;
}

/** How long ago, coarsely: "just now", "45 s ago", "12 min ago", "3 h ago", "2 d ago". Both times epoch µs. */
export function formatAge(thenUs: number, nowUs: number): string {
  const s = Math.max(0, (nowUs - thenUs) / 1_000_000);
  if (s < 5) return 'just now';
  if (s < 60) return `${Math.floor(s)} s ago`;
  if (s < 3_600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Two significant digits, three from 100 up (no "1.2e+2"); trailing zeros dropped. */
function twoDigits(value: number): string {
  if (value >= 99.5) return String(Math.round(value));
  return String(Number(value.toPrecision(2)));
}

export const DEFAULT_LENS_FORMAT = 'p50 ${p50} · p95 ${p95} · ${count} calls · ${errorRate} errors';

/** The variables a lens format may use, and what each shows. */
export const LENS_VARIABLES = {
  p50: 'median latency',
  p90: '90th percentile latency',
  p95: '95th percentile latency',
  p99: '99th percentile latency',
  min: 'fastest call',
  max: 'slowest call',
  mean: 'mean latency',
  count: 'calls in the window',
  errors: 'failed calls in the window',
  errorRate: 'share of calls that failed',
  rate: 'calls per minute (or second)',
} as const;

export type LensVariable = keyof typeof LENS_VARIABLES;

const VALUE: Record<LensVariable, (s: LocationSummary) => string> = {
  p50: (s) => formatLatency(s.p50Us),
  p90: (s) => formatLatency(s.p90Us),
  p95: (s) => formatLatency(s.p95Us),
  p99: (s) => formatLatency(s.p99Us),
  min: (s) => formatLatency(s.minUs),
  max: (s) => formatLatency(s.maxUs),
  mean: (s) => formatLatency(s.meanUs),
  count: (s) => formatCount(s.count),
  errors: (s) => formatCount(s.errors),
  errorRate: (s) => formatPercent(s.count > 0 ? s.errors / s.count : 0),
  rate: (s) => formatRate(s.perMinute),
};

/** A compiled lens format: renders a summary without parsing the template again. */
export type LensFormat = (summary: LocationSummary) => string;

const PLACEHOLDER = /\$\{(\w+)\}/g;

/**
 * Compiles a template such as `p50 ${p50} · p95 ${p95} · ${count} calls` (variables: LENS_VARIABLES). An unknown
 * variable is left as written, so that a typo shows in the lens instead of vanishing.
 */
export function compileLensFormat(template: string): LensFormat {
  const literals: string[] = [];
  const getters: ((s: LocationSummary) => string)[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!Object.prototype.hasOwnProperty.call(VALUE, name)) continue;
    literals.push(template.slice(last, m.index));
    getters.push(VALUE[name as LensVariable]);
    last = m.index + m[0].length;
  }
  const tail = template.slice(last);
  return (summary) => {
    let out = '';
    for (let i = 0; i < getters.length; i++) out += literals[i]! + getters[i]!(summary);
    return out + tail;
  };
}

/** `formatLens(summary, template)`: compiles and renders once; keep a compiled LensFormat for repeated use. */
export function formatLens(summary: LocationSummary, template: string = DEFAULT_LENS_FORMAT): string {
  return compileLensFormat(template)(summary);
}
