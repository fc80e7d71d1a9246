/**
 * Zipkin API v2. Zipkin has no summaries endpoint: /api/v2/traces returns whole traces, which are
 * summarised here (capabilities.summaries is false so callers can keep limits modest). Durations go out
 * in µs, endTs and lookback in ms; tags become an annotationQuery ("http.status_code=500 and error").
 * Tag names and values come from the autocomplete API, which answers only for keys the server was
 * configured to index (AUTOCOMPLETE_KEYS).
 */
import { parseZipkinDocument } from '../formats/zipkin';
import { summarizeTrace } from '../model/summary';
import type { Trace, TraceSummary } from '../model/types';
import { BackendNotFoundError, BackendQueryError } from './backendErrors';
import { HttpClient, type HttpResponse, type RemoteBackendOptions } from './http/httpClient';
import { DEFAULT_SEARCH_LIMIT, isHexTraceId, newestFirst, pickTrace, searchWindow, traceMatchesText } from './searchWindow';
import type { TraceQuery } from '../model/traceQuery';
import type { BackendCapabilities, RequestOptions, TraceBackend } from './types';

export type ZipkinBackendOptions = RemoteBackendOptions;

export class ZipkinBackend implements TraceBackend {
  readonly type = 'zipkin';
  readonly url: string;
  readonly capabilities: BackendCapabilities = { summaries: false, traceQl: false, tagSearch: true, spanFiltering: false };
  private readonly http: HttpClient;
  private readonly now: () => number;

  constructor(options: ZipkinBackendOptions) {
    this.http = new HttpClient({ ...options, backend: 'Zipkin', baseUrl: options.url, serviceNoun: 'the Zipkin server' });
    this.url = this.http.displayUrl;
    this.now = options.now ?? Date.now;
  }

  listServices(options: RequestOptions = {}): Promise<string[]> {
    return this.names('/api/v2/services', {}, options);
  }

  listOperations(service: string, options: RequestOptions = {}): Promise<string[]> {
    return this.names('/api/v2/spans', { serviceName: service }, options);
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSummary[]> {
    if (query.traceQl) {
      throw new BackendQueryError(
        `${this.http.where} does not understand TraceQL — search by service, span name and tags instead`,
        {
          backend: 'Zipkin',
          url: this.url,
        },
      );
    }
    const { startUs, endUs } = searchWindow(query, this.now());
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const endTs = Math.ceil(endUs / 1000);
    // Zipkin wants a positive minDuration whenever maxDuration is set.
    const minDuration =
      query.minDurationUs !== undefined || query.maxDurationUs !== undefined
        ? Math.max(1, Math.floor(query.minDurationUs ?? 1))
        : undefined;
    const { response, doc } = await this.http.getJson('/api/v2/traces', 'zipkin', {
      ...options,
      query: {
        serviceName: query.service,
        spanName: query.operation,
        annotationQuery: annotationQuery(query),
        minDuration,
        maxDuration: query.maxDurationUs !== undefined ? Math.max(minDuration ?? 1, Math.ceil(query.maxDurationUs)) : undefined,
        endTs,
        lookback: Math.max(1, endTs - Math.floor(startUs / 1000)),
        limit,
      },
    });
    const traces = this.http.read(response, () => {
      if (!Array.isArray(doc)) throw new Error('expected a list of traces (each a list of spans)');
      return doc.length === 0 ? [] : parseZipkinDocument(doc);
    });
    return traces
      .filter((t) => traceMatchesText(t, query.text))
      .map(summarizeTrace)
      .sort(newestFirst)
      .slice(0, limit);
  }

  async getTrace(traceId: string, _window?: { startUs?: number; endUs?: number }, options: RequestOptions = {}): Promise<Trace> {
    const id = traceId.trim();
    if (!isHexTraceId(id)) {
      throw new BackendQueryError(`"${id.slice(0, 64)}" is not a Zipkin trace id (1 to 32 hex digits)`, {
        backend: 'Zipkin',
        url: this.url,
      });
    }
    const response = await this.http.get(`/api/v2/trace/${id.toLowerCase()}`, { ...options, passStatuses: [404] });
    if (response.status === 404) throw this.traceNotFound(id, response);
    const doc = this.http.parseBody(response, 'zipkin');
    if (Array.isArray(doc) && doc.length === 0) throw this.traceNotFound(id, response);
    const trace = pickTrace(
      id,
      this.http.read(response, () => parseZipkinDocument(doc)),
    );
    if (!trace) throw this.traceNotFound(id, response);
    return trace;
  }

  /** Older Zipkin servers have no autocomplete API: no keys then. */
  async tagKeys(options: RequestOptions = {}): Promise<string[]> {
    return this.names('/api/v2/autocompleteKeys', {}, options, true);
  }

  async tagValues(key: string, options: RequestOptions = {}): Promise<string[]> {
    return this.names('/api/v2/autocompleteValues', { key }, options, true);
  }

  dispose(): Promise<void> {
    return this.http.close();
  }

  private async names(
    path: string,
    query: Record<string, string>,
    options: RequestOptions,
    missingIsEmpty = false,
  ): Promise<string[]> {
    const response = await this.http.get(path, { ...options, query, passStatuses: missingIsEmpty ? [404] : [] });
    if (response.status === 404) return [];
    const doc = this.http.parseBody(response, 'zipkin');
    return this.http.read(response, () => {
      if (!Array.isArray(doc)) throw new Error('expected a list of names');
      return [...new Set(doc.filter((v): v is string => typeof v === 'string'))].sort();
    });
  }

  private traceNotFound(id: string, response: HttpResponse): BackendNotFoundError {
    return new BackendNotFoundError(
      `Trace ${id} was not found in ${this.http.where} — it may be older than the storage keeps traces, or not reported yet`,
      { backend: 'Zipkin', url: response.url },
      'trace',
    );
  }
}

/** Tags as "key=value", errors-only as the bare "error" key, joined with " and ". */
function annotationQuery(query: TraceQuery): string | undefined {
  const terms = Object.entries(query.tags ?? {}).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
  if (query.errorsOnly) terms.push('error');
  return terms.length > 0 ? terms.join(' and ') : undefined;
}
