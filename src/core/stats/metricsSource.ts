/**
 * The backends that aggregate latency themselves (Tempo TraceQL metrics, Jaeger SPM) answer in one shape: figures
 * per code location, or per span name and service where the backend groups by name. `metricsSummaries` places
 * them in the workspace through the same resolver that places spans, so that both kinds of evidence work.
 */
import type { Span, SpanKind } from '../model/types';
import type { ResolvedLocation } from './codeKey';
import type { LocationSummary, StatsSource } from './locationSummary';

/**
 * Figures a backend computed for one group of spans: a code location (`filePath`, `functionName`, with the `line`
 * and `spanName` where the grouping has them), or a span name (`spanName`, with its `service`) for spans without
 * code attributes. Microseconds; NaN where the backend had none.
 */
export interface RemoteLocationMetric {
  filePath?: string;
  functionName?: string;
  /** 1-based line the spans start at (`code.line.number`), when the grouping tells it */
  line?: number;
  /** the span name (Jaeger's "operation") the figures are grouped by */
  spanName?: string;
  service?: string;
  /** the kind of the spans, when the grouping tells it; unspecified otherwise */
  spanKind?: SpanKind;
  p50Us: number;
  p90Us: number;
  p95Us: number;
  p99Us: number;
  /** calls in the window */
  count: number;
  /** failed calls in the window */
  errors: number;
}

export interface MetricsQuery {
  /** only this service's spans; all services when absent */
  service?: string;
  windowMinutes: number;
  /** epoch microseconds: the window ends here */
  nowUs: number;
}

/** A backend that aggregates latency itself. */
export interface MetricsSource {
  /** the kind of backend, for the hover: "Tempo", "Jaeger" */
  readonly backend: string;
  /** for the hover: "TraceQL metrics", "SPM metrics" */
  readonly method: string;
  /** the counts are estimates (a rate times the window), not counted spans */
  readonly estimatedCounts?: boolean;
  locationMetrics(query: MetricsQuery, options?: { signal?: AbortSignal }): Promise<RemoteLocationMetric[]>;
}

/** `GET /orders/{id}`: the name an HTTP server span carries (OpenTelemetry's `{method} {route}`). */
const HTTP_SERVER_SPAN_NAME = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*$/;

/**
 * The kind a by-name metric's spans are taken to have, for sources whose queries leave client spans out: a name
 * shaped like `GET /orders/{id}` is then a server span's, which lets the route index place it; any other name
 * stays unspecified.
 */
export function spanKindFromName(name: string): SpanKind | undefined {
  return HTTP_SERVER_SPAN_NAME.test(name) ? 'server' : undefined;
}

/**
 * Backend metrics as summaries the editor shows, each placed in the workspace by `resolve` (a LocationResolver's,
 * given a span that carries only the metric's code attributes, or its span name, service and kind). Metrics no
 * resolver places are left out; when several land on one location (a span name and a code attribute naming the
 * same function), the one over more calls speaks for it, since their quantiles cannot be merged.
 */
export function metricsSummaries(
  metrics: readonly RemoteLocationMetric[],
  resolve: (span: Span) => ResolvedLocation | undefined,
  source: Extract<StatsSource, { kind: 'metrics' }>,
  windowMinutes: number,
): LocationSummary[] {
  const byId = new Map<string, LocationSummary>();
  for (const m of metrics) {
    const attributes: Span['attributes'] = {};
    if (m.filePath !== undefined) attributes['code.file.path'] = m.filePath;
    if (m.functionName !== undefined) attributes['code.function.name'] = m.functionName;
    if (m.line !== undefined) attributes['code.line.number'] = m.line;
    const location = resolve({
      traceId: '',
      spanId: '',
      name: m.spanName ?? m.functionName ?? '',
      service: m.service ?? '',
      kind: m.spanKind ?? 'unspecified',
      startUs: 0,
      durationUs: 0,
      status: { code: 'unset' },
      attributes,
      resource: {},
      events: [],
      links: [],
    });
    if (!location) continue;
    const seen = byId.get(location.id);
    if (seen && seen.count >= m.count) continue;
    byId.set(location.id, {
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
  return [...byId.values()];
}
