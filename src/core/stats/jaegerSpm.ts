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
import { isBackendError, type BackendErrorKind } from '../backends/backendErrors';
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
/**
 * What a service name cannot carry into Jaeger's query: its Prometheus reader joins the names with `|` and writes
 * them unescaped into `service_name =~ "…"` (buildPromQuery in reader.go), so a quote, a backslash or a control
 * character breaks the PromQL string and a regex metacharacter (`c++-gw`) the RE2 pattern, and Prometheus refuses
 * the whole query. A dot only widens the match, and answers are kept to the services asked, so it is let through.
 */
const UNSAFE_IN_QUERY = /["\\+*?()[\]{}|^$\p{Cc}]/u;
/**
 * Failures that say the backend as a whole cannot answer (no SPM endpoint, credentials refused, unreachable,
 * cancelled, misconfigured): every other group would fail alike, so the refresh ends there. Any other failure (an
 * HTTP error, an unreadable body, a timeout) may be one group's alone.
 */
const WHOLE_BACKEND_FAILURES: ReadonlySet<BackendErrorKind> = new Set([
  'notFound',
  'unauthorized',
  'unreachable',
  'cancelled',
  'config',
]);

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
    // a rate above 0 is at least one call: the latency read with it stands on spans that were there
    if (e && perSecond !== undefined)
      e.metric.count = perSecond > 0 ? Math.max(1, Math.round(perSecond * (window.windowMs / 1000))) : 0;
  }
  for (const s of answers.errors) {
    const ratio = latestValue(s, window);
    const e = ratio === undefined ? undefined : entry(s);
    if (e && ratio !== undefined) e.errorRatio = Math.min(1, Math.max(0, ratio));
  }
  const out: RemoteLocationMetric[] = [];
  for (const { metric, errorRatio } of byKey.values()) {
    // likewise a ratio above 0 is at least one failed call (of at most `count`)
    metric.errors = errorRatio > 0 ? Math.min(metric.count, Math.max(1, Math.round(errorRatio * metric.count))) : 0;
    if (metric.count > 0 || Number.isFinite(metric.p50Us)) out.push(metric);
  }
  return out;
}

/**
 * The value of the series' newest point, when that point is the window's end. With the step as long as the window
 * a series has two points, at its start and its end; one with only the start point had no data in the window. A
 * point without a finite timestamp cannot be placed and is passed over.
 */
function latestValue(s: SpmSeries, window: SpmWindow): number | undefined {
  let latest: SpmSeries['points'][number] | undefined;
  for (const p of s.points) {
    if (Number.isFinite(p.timestampMs) && (!latest || p.timestampMs >= latest.timestampMs)) latest = p;
  }
  if (!latest) return undefined;
  if (latest.timestampMs < window.endMs - window.windowMs / 2) return undefined;
  return latest.value;
}

/**
 * Services in groups whose `service=` parameters fit one URL. A name unsafe in Jaeger's Prometheus query is asked
 * alone, after the others, so that it fails no query but its own (and is the first left out of too many groups).
 */
export function serviceGroups(services: readonly string[], maxChars = SERVICE_PARAM_CHARS): string[][] {
  const groups: string[][] = [];
  const alone: string[][] = [];
  let group: string[] = [];
  let chars = 0;
  for (const s of services) {
    if (isUnsafeInQuery(s)) {
      alone.push([s]);
      continue;
    }
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
  return [...groups, ...alone];
}

function isUnsafeInQuery(service: string): boolean {
  return UNSAFE_IN_QUERY.test(service);
}

export interface JaegerSpmSourceOptions {
  /** epoch milliseconds (default Date.now) */
  clock?: () => number;
  /** something the user should know that is no failure of the whole: services left out, or whose requests failed this time */
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
  /** the last failure of some groups warned of; a refresh without one forgets it */
  private warnedFailure: string | undefined;

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
    const failures: { services: readonly string[]; error: unknown }[] = [];
    // one group at a time, each settled before the next: six requests in flight at most
    for (const services of groups) {
      try {
        out.push(...spmLocationMetrics(await this.groupAnswers({ ...base, services }, options), window));
      } catch (error) {
        if (options.signal?.aborted || (isBackendError(error) && WHOLE_BACKEND_FAILURES.has(error.kind))) throw error;
        failures.push({ services, error });
      }
    }
    const [first] = failures;
    if (first && failures.length === groups.length) throw first.error;
    this.warnFailures(failures, groups.length);
    return out;
  }

  /** One group's six answers, kept to the services asked (a dot in a name matches others too); any failure throws. */
  private async groupAnswers(q: SpmQuery, options: RequestOptions): Promise<SpmAnswers> {
    const settled = await Promise.allSettled([
      this.client.spmMetrics('calls', q, options),
      this.client.spmMetrics('errors', q, options),
      ...QUANTILES.map((quantile) => this.client.spmMetrics('latencies', { ...q, quantile }, options)),
    ]);
    const asked = new Set(q.services);
    const answers: SpmSeries[][] = [];
    for (const r of settled) {
      if (r.status === 'rejected') throw r.reason;
      answers.push(r.value.filter((s) => asked.has(s.service)));
    }
    const [calls = [], errors = [], ...latencies] = answers;
    return { latencies: new Map(QUANTILES.map((p, i): [number, SpmSeries[]] => [p, latencies[i] ?? []])), calls, errors };
  }

  /** Says once per distinct failure which services have no figures this time, and why. */
  private warnFailures(failures: readonly { services: readonly string[]; error: unknown }[], groups: number): void {
    const [first] = failures;
    if (!first) {
      this.warnedFailure = undefined;
      return;
    }
    const services = failures.flatMap((f) => f.services);
    const said = first.error instanceof Error ? first.error.message : String(first.error);
    const unsafe = services.filter(isUnsafeInQuery);
    const why =
      unsafe.length > 0
        ? `; Jaeger writes service names unescaped into a Prometheus regex, which ${nameList(unsafe)} may break`
        : '';
    const message = `SPM metrics failed for ${failures.length} of ${groups} groups of services (${nameList(services)}), whose lenses count sampled traces until the next query: ${said}${why}`;
    if (message === this.warnedFailure) return;
    this.warnedFailure = message;
    this.options.onWarning?.(message);
  }

  private async listServices(options: RequestOptions): Promise<string[]> {
    const now = this.clock();
    if (!this.services || now - this.services.atMs > SERVICES_TTL_MS) {
      this.services = { list: await this.client.listServices(options), atMs: now };
    }
    return this.services.list;
  }
}

/** `"a", "b", "c" and 4 more` */
function nameList(names: readonly string[]): string {
  const shown = names
    .slice(0, 3)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
