/**
 * Server-side latency from Tempo's TraceQL metrics: `quantile_over_time(duration, …)` and `count_over_time()` over one
 * step as long as the window, so that each series holds one value. Spans with `code.function.name` are grouped by
 * their code attributes; the others by service and span name, for the span-name evidence to place (the two filters
 * exclude each other, so no span is counted twice). The HTTP call is the Tempo client's (a `TempoMetricsClient`);
 * this module builds the queries and reads the answers. Durations in Tempo's answers are seconds.
 */
import { BackendHttpError } from '../backends/backendErrors';
import { spanKindFromName, type MetricsQuery, type MetricsSource, type RemoteLocationMetric } from './metricsSource';
import { isObject } from '../formats/json';

/** The one call the Tempo client must offer: GET /api/metrics/query_range, the parsed JSON body returned. */
export interface TempoMetricsClient {
  metricsQueryRange(
    query: string,
    range: { startUs: number; endUs: number; stepSeconds: number },
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
}

/** One grouping's three TraceQL metrics queries: quantiles, calls, failed calls. */
export interface TempoQueries {
  quantiles: string;
  counts: string;
  errors: string;
}

const FILE = 'span.code.file.path';
const FUNCTION = 'span.code.function.name';
const LINE = 'span.code.line.number';
const SERVICE = 'resource.service.name';
const NAME = 'name';
const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

/**
 * The queries by code location (file, function, start line and span name, as the editor keys its figures), of one
 * service when given.
 */
export function tempoLatencyQueries(service?: string): TempoQueries {
  return queries(`${FUNCTION} != nil`, `${FILE}, ${FUNCTION}, ${LINE}, ${NAME}`, service);
}

/**
 * The queries by service and span name, for spans without `code.function.name`. Client spans are left out: their
 * latency is the callee's and their names are often the callee's route, which would put those figures on the
 * callee's handler. (`= nil` needs a recent Tempo; an older one refuses the query with a 400.)
 */
export function tempoSpanNameQueries(service?: string): TempoQueries {
  return queries(`${FUNCTION} = nil && kind != client`, `${SERVICE}, ${NAME}`, service);
}

function queries(filter: string, by: string, service: string | undefined): TempoQueries {
  const spans = `${filter}${service === undefined ? '' : ` && ${SERVICE} = ${traceQlString(service)}`}`;
  return {
    quantiles: `{ ${spans} } | quantile_over_time(duration, ${QUANTILES.join(', ')}) by (${by})`,
    counts: `{ ${spans} } | count_over_time() by (${by})`,
    errors: `{ ${spans} && status = error } | count_over_time() by (${by})`,
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

/**
 * Joins the three answers of one grouping per group: (file, function, line, span name) for the code-attribute
 * queries, (service, span name) for the span-name ones. A group with no count answer takes 0 calls.
 */
export function tempoLocationMetrics(quantiles: unknown, counts: unknown, errors: unknown): RemoteLocationMetric[] {
  const byKey = new Map<string, RemoteLocationMetric>();
  const entry = (labels: Record<string, string | number>): RemoteLocationMetric => {
    const filePath = labelText(labels[FILE]);
    const functionName = labelText(labels[FUNCTION]);
    const service = labelText(labels[SERVICE]);
    const spanName = labelText(labels[NAME]);
    const line = lineNumber(labels[LINE]);
    const key = JSON.stringify([filePath, functionName, line, service, spanName]);
    let m = byKey.get(key);
    if (!m) {
      m = { p50Us: NaN, p90Us: NaN, p95Us: NaN, p99Us: NaN, count: 0, errors: 0 };
      if (filePath !== undefined) m.filePath = filePath;
      if (functionName !== undefined) m.functionName = functionName;
      if (line !== undefined) m.line = line;
      if (service !== undefined) m.service = service;
      if (spanName !== undefined) {
        m.spanName = spanName;
        const kind = spanKindFromName(spanName);
        if (kind) m.spanKind = kind;
      }
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
  return [...byKey.values()].filter(
    (m) => (m.functionName !== undefined || m.spanName !== undefined) && (m.count > 0 || Number.isFinite(m.p50Us)),
  );
}

export interface TempoMetricsSourceOptions {
  /** something the user should know that is no failure: the span-name queries were refused, or failed this once */
  onWarning?: (message: string) => void;
}

/** TraceQL metrics through a Tempo client: by code attributes, and by span name where this Tempo can. */
export class TempoMetricsSource implements MetricsSource {
  readonly backend = 'Tempo';
  readonly method = 'TraceQL metrics';
  /** false once this Tempo refused the span-name queries: not asked again */
  private byName = true;

  constructor(
    private readonly client: TempoMetricsClient,
    private readonly options: TempoMetricsSourceOptions = {},
  ) {}

  async locationMetrics(query: MetricsQuery, options: { signal?: AbortSignal } = {}): Promise<RemoteLocationMetric[]> {
    const range = {
      startUs: query.nowUs - query.windowMinutes * 60_000_000,
      endUs: query.nowUs,
      stepSeconds: query.windowMinutes * 60,
    };
    const ask = (q: TempoQueries): Promise<unknown[]> =>
      Promise.all([q.quantiles, q.counts, q.errors].map((text) => this.client.metricsQueryRange(text, range, options)));
    // Both groupings at once. The span-name answers are settled apart: their failure never loses the others.
    const byName = this.byName ? settle(ask(tempoSpanNameQueries(query.service))) : undefined;
    const [quantiles, counts, errors] = await ask(tempoLatencyQueries(query.service));
    const metrics = tempoLocationMetrics(quantiles, counts, errors);
    if (!byName) return metrics;
    const named = await byName;
    if (named.ok) return [...metrics, ...tempoLocationMetrics(named.value[0], named.value[1], named.value[2])];
    if (options.signal?.aborted) throw named.error;
    const said = named.error instanceof Error ? named.error.message : String(named.error);
    if (named.error instanceof BackendHttpError && named.error.status === 400) {
      this.byName = false;
      this.options.onWarning?.(
        `Tempo refused the metrics query by span name (it predates "= nil" in TraceQL), so spans without code.function.name are counted from sampled traces only: ${said}`,
      );
    } else {
      this.options.onWarning?.(`Tempo's metrics by span name failed this time and are left out until the next query: ${said}`);
    }
    return metrics;
  }
}

async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

function labelText(v: string | number | undefined): string | undefined {
  return v === undefined || v === '' || v === 'nil' ? undefined : String(v);
}

/** A line label: Tempo answers an int attribute as `intValue`; a positive integer or nothing. */
function lineNumber(v: string | number | undefined): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
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
