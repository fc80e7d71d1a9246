/**
 * Jaeger through api_v3 (/api/v3/…) where the server has it, else the query service's JSON API (/api/…).
 * Which one is decided by one probe of /api/v3/services: a JSON `{services}` answer means api_v3; a 404
 * or the UI's HTML page (what an old Jaeger serves for unknown paths) means the JSON API. Searches use
 * /api/v3/trace-summaries where it exists (Jaeger 2026 and later), so no whole trace is downloaded;
 * otherwise whole traces come back and are summarised here.
 */
import { parseJaegerDocument } from '../formats/jaeger';
import { parseJaegerV3Summaries } from '../formats/jaegerV3Summaries';
import { parseOtlpJsonDocument } from '../formats/otlpJson';
import { summarizeTrace } from '../model/summary';
import type { Trace, TraceSummary } from '../model/types';
import { BackendCancelledError, BackendNotFoundError, BackendQueryError } from './backendErrors';
import { awaitWithSignal, bodyText, HttpClient, type HttpResponse, type RemoteBackendOptions } from './http';
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
import type { BackendCapabilities, RequestOptions, TraceBackend, TraceQuery } from './types';

export type JaegerApi = 'v3' | 'v1';

export interface JaegerBackendOptions extends RemoteBackendOptions {
  /** skip the probe */
  api?: JaegerApi;
}

type Json = Record<string, unknown>;

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

  private cancelled(path: string): BackendCancelledError {
    return new BackendCancelledError(`The request to ${this.http.where} for ${path} was cancelled.`, {
      backend: 'Jaeger',
      url: this.url,
    });
  }
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

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
