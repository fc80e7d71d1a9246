/**
 * Server-side latency per code location from Tempo's TraceQL metrics: `quantile_over_time(duration, …)` and
 * `count_over_time()` grouped by the span's `code.file.path` and `code.function.name`, over one step as long as
 * the window, so that each series holds one value. The HTTP call is the Tempo client's (a `TempoMetricsClient`);
 * this module builds the queries and reads the answers. Durations in Tempo's answers are seconds.
 */
import type { Span } from '../model/types';
import type { ResolvedLocation } from './codeKey';
import type { LocationSummary, StatsSource } from './locationSummary';

/** The one call the Tempo client must offer: GET /api/metrics/query_range, the parsed JSON body returned. */
export interface TempoMetricsClient {
  metricsQueryRange(
    query: string,
    range: { startUs: number; endUs: number; stepSeconds: number },
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
}

/** Figures a backend computed for one code location. Microseconds. */
export interface RemoteLocationMetric {
  filePath?: string;
  functionName?: string;
  p50Us: number;
  p90Us: number;
  p95Us: number;
  p99Us: number;
  count: number;
  errors: number;
}

/** A backend that aggregates latency itself (Tempo TraceQL metrics; Jaeger SPM would be another). */
export interface MetricsSource {
  /** for the hover: "Tempo" */
  readonly backend: string;
  /** for the hover: "TraceQL metrics" */
  readonly method: string;
  locationMetrics(
    query: { service?: string; windowMinutes: number; nowUs: number },
    options?: { signal?: AbortSignal },
  ): Promise<RemoteLocationMetric[]>;
}

const FILE = 'span.code.file.path';
const FUNCTION = 'span.code.function.name';
const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

/** The three TraceQL metrics queries: quantiles, calls, failed calls; of one service when given. */
export function tempoLatencyQueries(service?: string): { quantiles: string; counts: string; errors: string } {
  const scope = service === undefined ? '' : ` && resource.service.name = ${traceQlString(service)}`;
  const by = `by (${FILE}, ${FUNCTION})`;
  const spans = `{ ${FUNCTION} != nil${scope} }`;
  return {
    quantiles: `${spans} | quantile_over_time(duration, ${QUANTILES.join(', ')}) ${by}`,
    counts: `${spans} | count_over_time() ${by}`,
    errors: `{ ${FUNCTION} != nil${scope} && status = error } | count_over_time() ${by}`,
  };
}

/** A TraceQL string literal: double quotes, backslash and quote escaped. */
export function traceQlString(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

export interface MetricsSeries {
  labels: Record<string, string | number>;
  /** in time order */
  values: number[];
}

/**
 * The series of a Tempo metrics answer, range (`samples`) or instant (`value`). Labels carry `stringValue`,
 * `doubleValue` or `intValue`; a label without a value (the attribute was absent) is left out. Anything else
 * in the body is ignored; a body that is not an answer gives no series.
 */
export function parseTempoMetrics(body: unknown): MetricsSeries[] {
  const series = isObject(body) && Array.isArray(body.series) ? body.series : [];
  const out: MetricsSeries[] = [];
  for (const s of series) {
    if (!isObject(s)) continue;
    const labels: Record<string, string | number> = Object.create(null) as Record<string, string | number>;
    for (const l of Array.isArray(s.labels) ? s.labels : []) {
      if (!isObject(l) || typeof l.key !== 'string' || !isObject(l.value)) continue;
      const v = l.value;
      const value =
        typeof v.stringValue === 'string'
          ? v.stringValue
          : v.doubleValue !== undefined
            ? Number(v.doubleValue)
            : v.intValue !== undefined
              ? Number(v.intValue)
              : undefined;
      if (value !== undefined && !(typeof value === 'number' && Number.isNaN(value))) labels[l.key] = value;
    }
    const values: number[] = [];
    if (Array.isArray(s.samples)) {
      for (const sample of s.samples) if (isObject(sample)) pushNumber(values, sample.value);
    } else {
      pushNumber(values, s.value);
    }
    if (values.length > 0) out.push({ labels, values });
  }
  return out;
}

/** Joins the three answers per (file, function). A location with no count answer takes 0 calls. */
export function tempoLocationMetrics(quantiles: unknown, counts: unknown, errors: unknown): RemoteLocationMetric[] {
  const byKey = new Map<string, RemoteLocationMetric>();
  const entry = (labels: Record<string, string | number>): RemoteLocationMetric => {
    const filePath = labelText(labels[FILE]);
    const functionName = labelText(labels[FUNCTION]);
    const key = `${filePath ?? ''}\u0000${functionName ?? ''}`;
    let m = byKey.get(key);
    if (!m) {
      m = { p50Us: NaN, p90Us: NaN, p95Us: NaN, p99Us: NaN, count: 0, errors: 0 };
      if (filePath !== undefined) m.filePath = filePath;
      if (functionName !== undefined) m.functionName = functionName;
      byKey.set(key, m);
    }
    return m;
  };
  for (const s of parseTempoMetrics(quantiles)) {
    const p = Number(s.labels.p);
    const us = s.values[s.values.length - 1]! * 1_000_000;
    const m = entry(s.labels);
    if (p === 0.5) m.p50Us = us;
    else if (p === 0.9) m.p90Us = us;
    else if (p === 0.95) m.p95Us = us;
    else if (p === 0.99) m.p99Us = us;
  }
  for (const s of parseTempoMetrics(counts)) entry(s.labels).count += sum(s.values);
  for (const s of parseTempoMetrics(errors)) entry(s.labels).errors += sum(s.values);
  return [...byKey.values()].filter((m) => m.count > 0 || Number.isFinite(m.p50Us));
}

/** TraceQL metrics through a Tempo client. */
export class TempoMetricsSource implements MetricsSource {
  readonly backend = 'Tempo';
  readonly method = 'TraceQL metrics';

  constructor(private readonly client: TempoMetricsClient) {}

  async locationMetrics(
    query: { service?: string; windowMinutes: number; nowUs: number },
    options: { signal?: AbortSignal } = {},
  ): Promise<RemoteLocationMetric[]> {
    const q = tempoLatencyQueries(query.service);
    const range = {
      startUs: query.nowUs - query.windowMinutes * 60_000_000,
      endUs: query.nowUs,
      stepSeconds: query.windowMinutes * 60,
    };
    const [quantiles, counts, errors] = await Promise.all([
      this.client.metricsQueryRange(q.quantiles, range, options),
      this.client.metricsQueryRange(q.counts, range, options),
      this.client.metricsQueryRange(q.errors, range, options),
    ]);
    return tempoLocationMetrics(quantiles, counts, errors);
  }
}

/**
 * Backend metrics as summaries the editor shows, each placed in the workspace by `resolve` (a LocationResolver's,
 * given a span that carries only the location's code attributes). Metrics no resolver places are left out.
 */
export function metricsSummaries(
  metrics: readonly RemoteLocationMetric[],
  resolve: (span: Span) => ResolvedLocation | undefined,
  source: Extract<StatsSource, { kind: 'metrics' }>,
  windowMinutes: number,
): LocationSummary[] {
  const out: LocationSummary[] = [];
  for (const m of metrics) {
    const attributes: Span['attributes'] = {};
    if (m.filePath !== undefined) attributes['code.file.path'] = m.filePath;
    if (m.functionName !== undefined) attributes['code.function.name'] = m.functionName;
    const location = resolve({
      traceId: '',
      spanId: '',
      name: m.functionName ?? '',
      service: '',
      kind: 'unspecified',
      startUs: 0,
      durationUs: 0,
      status: { code: 'unset' },
      attributes,
      resource: {},
      events: [],
      links: [],
    });
    if (!location) continue;
    out.push({
      key: location.key,
      id: location.id,
      count: m.count,
      errors: m.errors,
      perMinute: m.count / windowMinutes,
      p50Us: m.p50Us,
      p90Us: m.p90Us,
      p95Us: m.p95Us,
      p99Us: m.p99Us,
      minUs: NaN,
      maxUs: NaN,
      meanUs: NaN,
      lastSeenUs: NaN,
      lines: location.line === undefined ? [] : [location.line],
      reason: location.reason,
      confidence: location.confidence,
      source,
    });
  }
  return out;
}

function labelText(v: string | number | undefined): string | undefined {
  return v === undefined || v === '' || v === 'nil' ? undefined : String(v);
}

function pushNumber(out: number[], v: unknown): void {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (Number.isFinite(n)) out.push(n);
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
