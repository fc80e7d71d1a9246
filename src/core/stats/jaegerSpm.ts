/**
 * Server-side latency from Jaeger's Service Performance Monitoring: the latency quantiles, call rates and error
 * ratios jaeger-query serves per service and operation (span name) from its metrics store. SPM knows no code
 * attributes, so each figure is placed in the workspace by its span name and service. One point per series is
 * read: the one at the end of the window, computed over the whole window.
 *
 * What the numbers are (jaeger-query's cmd/query/app/http_handler.go and query_parser.go, and the Prometheus reader
 * plugin/metricstore/prometheus/metricstore/reader.go): latencies are milliseconds; calls are per second, a PromQL
 * `rate()` over `ratePer`; errors are the fraction of calls that failed. So the calls in the window are the rate
 * times the window — an estimate, which the hover says — and the failed ones that fraction of them. Jaeger's
 * reader writes `ratePer` as a PromQL duration cut after its first unit (1h30m becomes 1h), so for windows over
 * an hour that are not whole hours the rate is that of the whole hours.
 */
import type { SpmMetricName, SpmQuery, SpmSeries } from '../backends/jaegerBackend';
import type { RequestOptions } from '../backends/types';
import type { SpanKind } from '../model/types';
import { spanKindFromName, type MetricsQuery, type MetricsSource, type RemoteLocationMetric } from './metricsSource';

/** The calls the source makes; JaegerBackend has them. */
export interface JaegerSpmClient {
  listServices(options?: RequestOptions): Promise<string[]>;
  spmMetrics(metric: SpmMetricName, query: SpmQuery, options?: RequestOptions): Promise<SpmSeries[]>;
}

/**
 * Every span kind but client (Jaeger's default is server only, which would leave out the spans code starts itself).
 * A client span's latency is the callee's and its name is often the callee's route, which would put those figures
 * on the callee's handler when the workspace holds it.
 */
export const SPM_SPAN_KINDS: readonly SpanKind[] = ['server', 'internal', 'producer', 'consumer', 'unspecified'];

const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;
/** The service list is asked for again after this long, in ms. */
const SERVICES_TTL_MS = 10 * 60_000;
/**
 * Characters of `service=…` parameters per request: Jaeger turns the services into one Prometheus regex, and
 * proxies in front of it limit URLs to about 8 kB. More services take more requests.
 */
const SERVICE_PARAM_CHARS = 6000;
/** Groups of services asked per refresh at most (six requests each); services beyond are left out, and said so. */
const MAX_GROUPS = 8;

export interface SpmAnswers {
  /** the `latencies` answer for each of 0.5, 0.9, 0.95 and 0.99 */
  latencies: ReadonlyMap<number, readonly SpmSeries[]>;
  calls: readonly SpmSeries[];
  errors: readonly SpmSeries[];
}

export interface SpmWindow {
  /** epoch ms: the window's end, where the point read is */
  endMs: number;
  /** ms: the window's length, which is also the step and the rate's range */
  windowMs: number;
}

/**
 * The figures per (service, operation). An operation with a call rate and no latency keeps NaN quantiles; one with
 * neither is left out, as is a series without an operation (it cannot be placed).
 */
export function spmLocationMetrics(answers: SpmAnswers, window: SpmWindow): RemoteLocationMetric[] {
  const byKey = new Map<string, { metric: RemoteLocationMetric; errorRatio: number }>();
  const entry = (s: SpmSeries): { metric: RemoteLocationMetric; errorRatio: number } | undefined => {
    if (s.operation === '') return undefined;
    const key = `${s.service}\u0000${s.operation}`;
    let e = byKey.get(key);
    if (!e) {
      const metric: RemoteLocationMetric = {
        spanName: s.operation,
        service: s.service,
        p50Us: NaN,
        p90Us: NaN,
        p95Us: NaN,
        p99Us: NaN,
        count: 0,
        errors: 0,
      };
      const kind = spanKindFromName(s.operation);
      if (kind) metric.spanKind = kind;
      byKey.set(key, (e = { metric, errorRatio: 0 }));
    }
    return e;
  };
  for (const [p, series] of answers.latencies) {
    for (const s of series) {
      const ms = latestValue(s, window);
      const e = ms === undefined ? undefined : entry(s);
      if (!e || ms === undefined) continue;
      const us = ms * 1000;
      if (p === 0.5) e.metric.p50Us = us;
      else if (p === 0.9) e.metric.p90Us = us;
      else if (p === 0.95) e.metric.p95Us = us;
      else if (p === 0.99) e.metric.p99Us = us;
    }
  }
  for (const s of answers.calls) {
    const perSecond = latestValue(s, window);
    const e = perSecond === undefined ? undefined : entry(s);
    if (e && perSecond !== undefined) e.metric.count = Math.round(Math.max(0, perSecond) * (window.windowMs / 1000));
  }
  for (const s of answers.errors) {
    const ratio = latestValue(s, window);
    const e = ratio === undefined ? undefined : entry(s);
    if (e && ratio !== undefined) e.errorRatio = Math.min(1, Math.max(0, ratio));
  }
  const out: RemoteLocationMetric[] = [];
  for (const { metric, errorRatio } of byKey.values()) {
    metric.errors = Math.round(errorRatio * metric.count);
    if (metric.count > 0 || Number.isFinite(metric.p50Us)) out.push(metric);
  }
  return out;
}

/**
 * The value of the series' newest point, when that point is the window's end. With the step as long as the window
 * a series has two points, at its start and its end; one with only the start point had no data in the window.
 */
function latestValue(s: SpmSeries, window: SpmWindow): number | undefined {
  let latest: SpmSeries['points'][number] | undefined;
  for (const p of s.points) if (!latest || !(p.timestampMs < latest.timestampMs)) latest = p;
  if (!latest) return undefined;
  if (latest.timestampMs < window.endMs - window.windowMs / 2) return undefined;
  return latest.value;
}

/** Services in groups whose `service=` parameters fit one URL. */
export function serviceGroups(services: readonly string[], maxChars = SERVICE_PARAM_CHARS): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let chars = 0;
  for (const s of services) {
    const n = encodeURIComponent(s).length + '&service='.length;
    if (group.length > 0 && chars + n > maxChars) {
      groups.push(group);
      group = [];
      chars = 0;
    }
    group.push(s);
    chars += n;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

export interface JaegerSpmSourceOptions {
  /** epoch milliseconds (default Date.now) */
  clock?: () => number;
  /** something the user should know that is no failure: services left out */
  onWarning?: (message: string) => void;
}

/** SPM metrics through a Jaeger client, of the services asked for, or of every service it lists. */
export class JaegerSpmSource implements MetricsSource {
  readonly backend = 'Jaeger';
  readonly method = 'SPM metrics';
  readonly estimatedCounts = true;
  private readonly clock: () => number;
  private services: { list: string[]; atMs: number } | undefined;
  private warnedGroups = false;

  constructor(
    private readonly client: JaegerSpmClient,
    private readonly options: JaegerSpmSourceOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  async locationMetrics(query: MetricsQuery, options: RequestOptions = {}): Promise<RemoteLocationMetric[]> {
    const services = query.service !== undefined ? [query.service] : await this.listServices(options);
    let groups = serviceGroups(services);
    if (groups.length > MAX_GROUPS) {
      const asked = groups.slice(0, MAX_GROUPS);
      if (!this.warnedGroups) {
        this.warnedGroups = true;
        const n = asked.reduce((sum, g) => sum + g.length, 0);
        this.options.onWarning?.(
          `Jaeger lists ${services.length} services; SPM metrics are asked for the first ${n} only (the others count sampled traces)`,
        );
      }
      groups = asked;
    }
    const window: SpmWindow = { endMs: Math.floor(query.nowUs / 1000), windowMs: query.windowMinutes * 60_000 };
    const base = {
      endMs: window.endMs,
      lookbackMs: window.windowMs,
      stepMs: window.windowMs,
      ratePerMs: window.windowMs,
      spanKinds: SPM_SPAN_KINDS,
    };
    const out: RemoteLocationMetric[] = [];
    // one group at a time: six requests in flight at most
    for (const group of groups) {
      const q: SpmQuery = { ...base, services: group };
      const [calls, errors, latencies] = await Promise.all([
        this.client.spmMetrics('calls', q, options),
        this.client.spmMetrics('errors', q, options),
        Promise.all(QUANTILES.map((quantile) => this.client.spmMetrics('latencies', { ...q, quantile }, options))),
      ]);
      const byQuantile = new Map(QUANTILES.map((p, i): [number, SpmSeries[]] => [p, latencies[i] ?? []]));
      out.push(...spmLocationMetrics({ latencies: byQuantile, calls, errors }, window));
    }
    return out;
  }

  private async listServices(options: RequestOptions): Promise<string[]> {
    const now = this.clock();
    if (!this.services || now - this.services.atMs > SERVICES_TTL_MS) {
      this.services = { list: await this.client.listServices(options), atMs: now };
    }
    return this.services.list;
  }
}
