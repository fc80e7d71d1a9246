/**
 * Jaeger through api_v3 (/api/v3/…) where the server has it, else the query service's JSON API (/api/…).
 * Which one is decided by one probe of /api/v3/services: a JSON `{services}` answer means api_v3; a 404
 * or the UI's HTML page (what an old Jaeger serves for unknown paths) means the JSON API. Searches use
 * /api/v3/trace-summaries where it exists (Jaeger 2026 and later), so no whole trace is downloaded;
 * otherwise whole traces come back and are summarised here. Service Performance Monitoring (SPM) metrics come
 * from /api/metrics/{latencies,calls,errors} where the server has a metrics store.
 */
import { parseJaegerDocument } from '../formats/jaeger';
import { parseJaegerV3Summaries } from '../formats/jaegerV3Summaries';
import { parseOtlpJsonDocument } from '../formats/otlpJson';
import { TraceFormatError } from '../formats/errors';
import { summarizeTrace } from '../model/summary';
import type { SpanKind, Trace, TraceSummary } from '../model/types';
import { BackendCancelledError, BackendNotFoundError, BackendQueryError } from './backendErrors';
import { awaitWithSignal, bodyText, HttpClient, type HttpResponse, type RemoteBackendOptions } from './http/httpClient';
import {
  DEFAULT_SEARCH_LIMIT,
  goDuration,
  newestFirst,
  pickTrace,
  queryTags,
  rfc3339,
  searchWindow,
  summaryMatchesText,
  traceHasTags,
  traceMatchesText,
} from './searchWindow';
import type { TraceQuery } from '../model/traceQuery';
import type { BackendCapabilities, RequestOptions, TraceBackend } from './types';
import { isObject } from '../formats/json';

export type JaegerApi = 'v3' | 'v1';

export interface JaegerBackendOptions extends RemoteBackendOptions {
  /** skip the probe */
  api?: JaegerApi;
}

/**
 * The SPM endpoints, as jaeger-query serves them (cmd/query/app/http_handler.go, the Prometheus metrics reader in
 * plugin/metricstore/prometheus/metricstore/reader.go): `latencies` is a quantile of span durations in
 * milliseconds (`histogram_quantile` over the spanmetrics duration histogram; the Jaeger UI shows it as ms);
 * `calls` is a rate in calls per second (PromQL `rate()` over a `ratePer` range); `errors` is not a rate but the
 * fraction of calls that failed, 0..1 (errors/sec over calls/sec, reported as 0 where there were calls and no
 * errors).
 */
export type SpmMetricName = 'latencies' | 'calls' | 'errors';

export interface SpmQuery {
  /** at least one; sent as repeated `service` parameters */
  services: readonly string[];
  /** epoch milliseconds: the last data point is at most here */
  endMs: number;
  /** milliseconds before `endMs` the points start */
  lookbackMs: number;
  /** milliseconds between points */
  stepMs: number;
  /** milliseconds each point's rate (and latency histogram) is computed over */
  ratePerMs: number;
  /** the span kinds counted; Jaeger's default is server spans only */
  spanKinds?: readonly SpanKind[];
  /** latencies only: which quantile, 0 < q < 1 */
  quantile?: number;
}

/** One series of an SPM answer, grouped by service and operation (span name). */
export interface SpmSeries {
  service: string;
  operation: string;
  /** the points that carry a value, in the order served (time order); see SpmMetricName for the unit */
  points: { timestampMs: number; value: number }[];
}

export class JaegerBackend implements TraceBackend {
  readonly type = 'jaeger';
  readonly url: string;
  private readonly http: HttpClient;
  private readonly now: () => number;
  private api: Promise<JaegerApi> | undefined;
  /** the probe's answer, handed to the first listServices instead of asking again */
  private probedServices: string[] | undefined;
  /** whether /api/v3/trace-summaries exists; undefined until a search found out */
  private summariesEndpoint: boolean | undefined;

  constructor(options: JaegerBackendOptions) {
    this.http = new HttpClient({ ...options, backend: 'Jaeger', baseUrl: options.url, serviceNoun: 'the query service' });
    this.url = this.http.displayUrl;
    this.now = options.now ?? Date.now;
    if (options.api) this.api = Promise.resolve(options.api);
  }

  get capabilities(): BackendCapabilities {
    return { summaries: this.summariesEndpoint === true, traceQl: false, tagSearch: false, spanFiltering: true };
  }

  /** Which API this server speaks; probed once (a failed probe is tried again next time). */
  detectApi(options: RequestOptions = {}): Promise<JaegerApi> {
    if (!this.api) {
      const probe = this.probe();
      this.api = probe;
      probe.catch(() => {
        if (this.api === probe) this.api = undefined;
      });
    }
    return awaitWithSignal(this.api, options.signal, () => this.cancelled('/api/v3/services'));
  }

  async listServices(options: RequestOptions = {}): Promise<string[]> {
    if ((await this.detectApi(options)) === 'v3') {
      const cached = this.probedServices;
      this.probedServices = undefined;
      if (cached) return cached;
      const { response, doc } = await this.http.getJson('/api/v3/services', 'jaeger-v3', options);
      return this.http.read(response, () => v3Services(doc));
    }
    const { response, doc } = await this.http.getJson('/api/services', 'jaeger', options);
    return this.http.read(response, () => stringList(envelopeData(doc), '$.data')).sort();
  }

  async listOperations(service: string, options: RequestOptions = {}): Promise<string[]> {
    if ((await this.detectApi(options)) === 'v3') {
      const { response, doc } = await this.http.getJson('/api/v3/operations', 'jaeger-v3', { ...options, query: { service } });
      return this.http.read(response, () => {
        const ops = isObject(doc) ? doc.operations : undefined;
        if (ops === undefined || ops === null) return [];
        if (!Array.isArray(ops)) throw new Error('expected {operations: [{name, spanKind}]}');
        return [
          ...new Set(ops.map((o) => (isObject(o) && typeof o.name === 'string' ? o.name : undefined)).filter(isString)),
        ].sort();
      });
    }
    const path = `/api/services/${encodeURIComponent(service)}/operations`;
    const { response, doc } = await this.http.getJson(path, 'jaeger', options);
    return this.http.read(response, () => [...new Set(stringList(envelopeData(doc), '$.data'))].sort());
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSummary[]> {
    if (query.traceQl) {
      throw new BackendQueryError(
        `${this.http.where} does not understand TraceQL — search by service, operation and tags instead`,
        {
          backend: 'Jaeger',
          url: this.url,
        },
      );
    }
    const api = await this.detectApi(options);
    if (api === 'v3') {
      if (this.summariesEndpoint !== false) {
        const summaries = await this.searchSummaries(query, options);
        if (summaries) return summaries;
      }
      return this.searchV3Traces(query, options);
    }
    return this.searchV1(query, options);
  }

  async getTrace(
    traceId: string,
    window: { startUs?: number; endUs?: number } = {},
    options: RequestOptions = {},
  ): Promise<Trace> {
    const id = traceId.trim();
    if (id === '') throw new BackendQueryError('A trace id is needed to open a trace', { backend: 'Jaeger', url: this.url });
    if ((await this.detectApi(options)) === 'v3') {
      const response = await this.http.get(`/api/v3/traces/${encodeURIComponent(id)}`, {
        ...options,
        query: {
          start_time: window.startUs !== undefined ? rfc3339(window.startUs) : undefined,
          end_time: window.endUs !== undefined ? rfc3339(window.endUs) : undefined,
        },
        passStatuses: [404],
      });
      if (response.status === 404) throw this.traceNotFound(id, response);
      const doc = this.http.parseBody(response, 'jaeger-v3');
      return this.pick(
        id,
        response,
        this.http.read(response, () => parseOtlpJsonDocument(doc, 'jaeger-v3')),
      );
    }
    const response = await this.http.get(`/api/traces/${encodeURIComponent(id)}`, {
      ...options,
      query: { start: floorOrUndefined(window.startUs), end: floorOrUndefined(window.endUs) },
      passStatuses: [404],
    });
    if (response.status === 404) throw this.traceNotFound(id, response);
    const doc = this.http.parseBody(response, 'jaeger');
    return this.pick(
      id,
      response,
      this.http.read(response, () => parseJaegerDocument(doc)),
    );
  }

  /**
   * One SPM metric per service and operation (GET /api/metrics/{metric}?groupByOperation=true; times and durations
   * in ms, as query_parser.go's parseMetricsQueryParams reads them). A server without SPM — the default: its
   * "disabled" metrics reader (plugin/metricstore/disabled/reader.go) fails every call with "metrics querying is
   * currently disabled", which http_handler.go's handleError sends as 501 — or one older than SPM (its UI page, or
   * 404) gives a BackendNotFoundError for the endpoint.
   */
  async spmMetrics(metric: SpmMetricName, query: SpmQuery, options: RequestOptions = {}): Promise<SpmSeries[]> {
    if (query.services.length === 0) {
      throw new BackendQueryError('Jaeger SPM metrics are asked for one or more services, and none was given', {
        backend: 'Jaeger',
        url: this.url,
      });
    }
    if (metric === 'latencies' && !(query.quantile !== undefined && query.quantile > 0 && query.quantile < 1)) {
      throw new BackendQueryError(`A latency quantile between 0 and 1 is needed, not ${query.quantile}`, {
        backend: 'Jaeger',
        url: this.url,
      });
    }
    const path = `/api/metrics/${metric}`;
    const response = await this.http.get(path, {
      ...options,
      query: {
        service: query.services,
        groupByOperation: 'true',
        quantile: metric === 'latencies' ? query.quantile : undefined,
        endTs: Math.floor(query.endMs),
        lookback: Math.max(1, Math.round(query.lookbackMs)),
        step: Math.max(1, Math.round(query.stepMs)),
        ratePer: Math.max(1, Math.round(query.ratePerMs)),
        spanKind: query.spanKinds?.map((k) => `SPAN_KIND_${k.toUpperCase()}`),
      },
      passStatuses: [501],
    });
    if (response.status === 501) throw this.noSpm(response, this.http.serverMessage(response) ?? 'HTTP 501');
    if (/html/i.test(response.headers['content-type'] ?? '') || /^\s*</.test(bodyText(response.body.subarray(0, 64)))) {
      throw this.noSpm(response, 'it answers with its UI page: this Jaeger predates SPM');
    }
    const doc = this.http.parseBody(response, 'jaeger-spm');
    return this.http.read(response, () => parseSpmMetricFamily(doc));
  }

  /** Jaeger has no tag-name API. */
  async tagKeys(): Promise<string[]> {
    return [];
  }

  async tagValues(): Promise<string[]> {
    return [];
  }

  dispose(): Promise<void> {
    return this.http.close();
  }

  private async probe(): Promise<JaegerApi> {
    const response = await this.http.get('/api/v3/services', { passStatuses: [404, 405, 501] });
    if (response.status !== 200) return 'v1';
    try {
      this.probedServices = v3Services(JSON.parse(bodyText(response.body)));
      return 'v3';
    } catch {
      return 'v1'; // the UI's index.html, or some other page: no api_v3 here
    }
  }

  /** undefined when the server has no trace-summaries endpoint (then remembered). */
  private async searchSummaries(query: TraceQuery, options: RequestOptions): Promise<TraceSummary[] | undefined> {
    const { startUs, endUs } = searchWindow(query, this.now());
    const tags = queryTags(query, ['error', 'true']);
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const response = await this.http.get('/api/v3/trace-summaries', {
      ...options,
      // The endpoint came with the camelCase parameter names, so only those are sent.
      query: {
        'query.serviceName': query.service,
        'query.operationName': query.operation,
        'query.attributes': Object.keys(tags).length > 0 ? JSON.stringify(tags) : undefined,
        'query.startTimeMin': rfc3339(startUs),
        'query.startTimeMax': rfc3339(endUs),
        'query.durationMin': optionalDuration(query.minDurationUs),
        'query.durationMax': optionalDuration(query.maxDurationUs),
        'query.searchDepth': limit,
      },
      passStatuses: [404],
    });
    let doc: unknown;
    try {
      doc = JSON.parse(bodyText(response.body));
    } catch {
      doc = undefined;
    }
    if (response.status === 404) {
      if (isNoTracesFound(doc)) {
        this.summariesEndpoint = true;
        return [];
      }
      this.summariesEndpoint = false;
      return undefined;
    }
    if (!isObject(doc)) {
      this.summariesEndpoint = false; // the UI page: an api_v3 from before trace-summaries
      return undefined;
    }
    this.summariesEndpoint = true;
    const summaries = this.http.read(response, () => parseJaegerV3Summaries(doc));
    return summaries
      .filter((s) => summaryMatchesText(s, query.text))
      .sort(newestFirst)
      .slice(0, limit);
  }

  private async searchV3Traces(query: TraceQuery, options: RequestOptions): Promise<TraceSummary[]> {
    const { startUs, endUs } = searchWindow(query, this.now());
    const tags = queryTags(query, ['error', 'true']);
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    // snake_case names: the only ones before 2026, still accepted since.
    const response = await this.http.get('/api/v3/traces', {
      ...options,
      query: {
        'query.service_name': query.service,
        'query.operation_name': query.operation,
        'query.attributes': Object.keys(tags).length > 0 ? JSON.stringify(tags) : undefined,
        'query.start_time_min': rfc3339(startUs),
        'query.start_time_max': rfc3339(endUs),
        'query.duration_min': optionalDuration(query.minDurationUs),
        'query.duration_max': optionalDuration(query.maxDurationUs),
        'query.num_traces': limit,
      },
      passStatuses: [404],
    });
    if (response.status === 404) {
      let doc: unknown;
      try {
        doc = JSON.parse(bodyText(response.body));
      } catch {
        doc = undefined;
      }
      if (isNoTracesFound(doc)) return [];
      throw this.http.statusError(response);
    }
    const doc = this.http.parseBody(response, 'jaeger-v3');
    const traces = this.http.read(response, () => parseOtlpJsonDocument(doc, 'jaeger-v3'));
    // Servers before 2026 ignore query.attributes: the tags are checked here too.
    return summarize(
      traces.filter((t) => traceHasTags(t, tags) && traceMatchesText(t, query.text)),
      limit,
    );
  }

  private async searchV1(query: TraceQuery, options: RequestOptions): Promise<TraceSummary[]> {
    if (!query.service) {
      throw new BackendQueryError(`${this.http.where} can only search within one service — choose a service first`, {
        backend: 'Jaeger',
        url: this.url,
      });
    }
    const { startUs, endUs } = searchWindow(query, this.now());
    const tags = queryTags(query, ['error', 'true']);
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const { response, doc } = await this.http.getJson('/api/traces', 'jaeger', {
      ...options,
      query: {
        service: query.service,
        operation: query.operation,
        tags: Object.keys(tags).length > 0 ? JSON.stringify(tags) : undefined,
        start: startUs,
        end: endUs,
        minDuration: optionalDuration(query.minDurationUs),
        maxDuration: optionalDuration(query.maxDurationUs),
        limit,
      },
    });
    const traces = this.http.read(response, () => parseJaegerDocument(doc));
    return summarize(
      traces.filter((t) => traceMatchesText(t, query.text)),
      limit,
    );
  }

  /** The asked-for trace among those parsed (a body may hold fragments of others); none → not found. */
  private pick(id: string, response: HttpResponse, traces: Trace[]): Trace {
    const trace = pickTrace(id, traces);
    if (!trace) throw this.traceNotFound(id, response);
    return trace;
  }

  private traceNotFound(id: string, response: HttpResponse): BackendNotFoundError {
    return new BackendNotFoundError(
      `Trace ${id} was not found in ${this.http.where} — it may be older than the storage keeps traces, or not written yet`,
      { backend: 'Jaeger', url: response.url },
      'trace',
    );
  }

  private noSpm(response: HttpResponse, said: string): BackendNotFoundError {
    return new BackendNotFoundError(
      `${this.http.where} has no SPM metrics (${said}) — lenses count sampled traces instead; for figures over every span, enable Jaeger's Service Performance Monitoring (a Prometheus metrics store fed by the spanmetrics connector)`,
      { backend: 'Jaeger', url: response.url },
      'endpoint',
    );
  }

  /** What the server said, with the configured secrets scrubbed out as in every status error (a proxy may echo them). */
  private cancelled(path: string): BackendCancelledError {
    return new BackendCancelledError(`The request to ${this.http.where} for ${path} was cancelled.`, {
      backend: 'Jaeger',
      url: this.url,
    });
  }
}

/**
 * An SPM answer: a MetricFamily in protobuf JSON (gogo jsonpb, cmd/query/app/json_marshaler.go), shaped as in the
 * Jaeger UI's recorded answers (jaeger-ui packages/jaeger-ui/src/reducers/metrics.mock.js):
 * `{name, type: "GAUGE", help, metrics: [{labels: [{name: "service_name" | "operation", value}], metricPoints:
 * [{gaugeValue: {doubleValue}, timestamp: RFC 3339}]}]}`. jsonpb leaves out an empty `metrics`, writes NaN as the
 * string "NaN" and may write numbers as strings; a point without a finite value (no data then) or without a readable
 * timestamp (it cannot be placed in the window) is dropped. A metric without a service label is one the grouping
 * does not know and is left out; a shape that is not this one throws a TraceFormatError saying where.
 */
export function parseSpmMetricFamily(doc: unknown): SpmSeries[] {
  const fail = (where: string, reason: string): TraceFormatError => new TraceFormatError('jaeger-spm', where, reason);
  if (!isObject(doc)) throw fail('$', 'expected a MetricFamily object {name, type, metrics}');
  if (doc.metrics === undefined || doc.metrics === null) return [];
  if (!Array.isArray(doc.metrics)) throw fail('$.metrics', 'expected a list of metrics');
  const out: SpmSeries[] = [];
  for (const [i, metric] of doc.metrics.entries()) {
    const at = `$.metrics[${i}]`;
    if (!isObject(metric)) throw fail(at, 'expected a metric {labels, metricPoints}');
    const labels = metric.labels ?? [];
    const rawPoints = metric.metricPoints ?? [];
    if (!Array.isArray(labels)) throw fail(`${at}.labels`, 'expected a list of {name, value}');
    if (!Array.isArray(rawPoints)) throw fail(`${at}.metricPoints`, 'expected a list of points');
    let service: string | undefined;
    let operation = '';
    for (const [j, label] of labels.entries()) {
      if (!isObject(label) || typeof label.name !== 'string') throw fail(`${at}.labels[${j}]`, 'expected {name, value}');
      const value = typeof label.value === 'string' ? label.value : '';
      if (label.name === 'service_name') service = value;
      else if (label.name === 'operation') operation = value;
    }
    const points: SpmSeries['points'] = [];
    for (const [j, point] of rawPoints.entries()) {
      if (!isObject(point)) throw fail(`${at}.metricPoints[${j}]`, 'expected {gaugeValue, timestamp}');
      const gauge = point.gaugeValue;
      const raw = isObject(gauge) ? (gauge.doubleValue ?? gauge.intValue) : undefined;
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
      const timestampMs = typeof point.timestamp === 'string' ? Date.parse(point.timestamp) : NaN;
      if (!Number.isFinite(value) || !Number.isFinite(timestampMs)) continue;
      points.push({ timestampMs, value });
    }
    if (service !== undefined) out.push({ service, operation, points });
  }
  return out;
}

function summarize(traces: Trace[], limit: number): TraceSummary[] {
  return traces.map(summarizeTrace).sort(newestFirst).slice(0, limit);
}

function v3Services(doc: unknown): string[] {
  if (!isObject(doc)) throw new Error('expected {services: [...]}');
  if (doc.services === undefined || doc.services === null) return []; // protojson leaves out an empty list
  return stringList(doc.services, '$.services').sort();
}

/** The JSON API's {data, errors} envelope; `data` is null when empty. */
function envelopeData(doc: unknown): unknown {
  if (!isObject(doc) || !('data' in doc)) throw new Error('expected {data: [...]}');
  return doc.data ?? [];
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new Error(`expected a list of names at ${where}`);
  return value.filter(isString);
}

/** api_v3 answers an empty search with 404 {"error":{"httpCode":404,"message":"No traces found"}}. */
function isNoTracesFound(doc: unknown): boolean {
  return (
    isObject(doc) && isObject(doc.error) && typeof doc.error.message === 'string' && /no traces found/i.test(doc.error.message)
  );
}

function optionalDuration(us: number | undefined): string | undefined {
  return us === undefined ? undefined : goDuration(us);
}

function floorOrUndefined(us: number | undefined): number | undefined {
  return us === undefined ? undefined : Math.floor(us);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
