/**
 * Grafana Tempo. Search is /api/search, which returns summaries natively: with the query's TraceQL (`q`)
 * when it has one, else with logfmt `tags` built from the service, span name and tag fields. Traces come
 * from /api/v2/traces/{id} (Tempo 2.7+: `{trace, status, message}`, where status PARTIAL is passed on as
 * Trace.partial), falling back to /api/traces/{id}; every body shape Tempo has served is read by the
 * OTLP reader. Tag names and values come from the v2 search-tag API (scoped names, for TraceQL), else v1.
 * A tenant is sent as X-Scope-OrgID.
 */
import { parseOtlpJsonDocument } from '../formats/otlpJson';
import { parseTempoSearch } from '../formats/tempoSearch';
import type { Trace, TraceSummary } from '../model/types';
import {
  BackendNotFoundError,
  BackendPartialError,
  BackendQueryError,
  BackendUnauthorizedError,
  settingsRemedies,
} from './backendErrors';
import { HttpClient, type HttpResponse, type RemoteBackendOptions } from './http/httpClient';
import {
  DEFAULT_SEARCH_LIMIT,
  goDuration,
  isHexTraceId,
  newestFirst,
  pickTrace,
  searchWindow,
  summaryMatchesText,
} from './searchWindow';
import type { TraceQuery } from '../model/traceQuery';
import type { BackendCapabilities, RequestOptions, TraceBackend } from './types';
import { isObject } from '../formats/json';

export interface TempoBackendOptions extends RemoteBackendOptions {
  /** sent as X-Scope-OrgID (multi-tenant Tempo) */
  tenant?: string;
}

/** TraceQL intrinsics: tag names without a scope. */
const INTRINSICS = new Set([
  'duration',
  'kind',
  'name',
  'status',
  'statusMessage',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'event:name',
  'link:traceID',
  'span:id',
  'trace:id',
]);
const SCOPED = /^(resource|span|event|link|instrumentation)\./;

export class TempoBackend implements TraceBackend {
  readonly type = 'tempo';
  readonly url: string;
  readonly capabilities: BackendCapabilities = { summaries: true, traceQl: true, tagSearch: true, spanFiltering: true };
  private readonly http: HttpClient;
  private readonly now: () => number;
  /** false once /api/v2/traces answered 404 where /api/traces had the trace */
  private tracesV2 = true;
  /** false once /api/v2/search/tags answered 404 */
  private tagsV2 = true;

  constructor(options: TempoBackendOptions) {
    const headers = { ...options.headers };
    if (options.tenant) headers['X-Scope-OrgID'] = options.tenant;
    this.http = new HttpClient({
      ...options,
      headers,
      backend: 'Tempo',
      baseUrl: options.url,
      serviceNoun: 'Tempo',
      forbiddenHint: 'for a multi-tenant Tempo, check the tenant (X-Scope-OrgID)',
    });
    this.url = this.http.displayUrl;
    this.now = options.now ?? Date.now;
  }

  async listServices(options: RequestOptions = {}): Promise<string[]> {
    return this.tagValues('resource.service.name', options);
  }

  async listOperations(service: string, options: RequestOptions = {}): Promise<string[]> {
    if (this.tagsV2) {
      // v2 tag values can be narrowed by a TraceQL query; v1 cannot, so there it is every span name.
      const values = await this.tagValuesV2('name', options, `{ resource.service.name = ${traceQlString(service)} }`);
      if (values) return values;
    }
    return this.tagValuesV1('name', options);
  }

  async searchTraces(query: TraceQuery, options: RequestOptions = {}): Promise<TraceSummary[]> {
    const { startUs, endUs } = searchWindow(query, this.now());
    const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
    const { response, doc } = await this.call(() =>
      this.http.getJson('/api/search', 'tempo-search', {
        ...options,
        query: {
          q: query.traceQl || undefined,
          tags: query.traceQl ? undefined : logfmtTags(query),
          minDuration: query.minDurationUs !== undefined ? goDuration(query.minDurationUs) : undefined,
          maxDuration: query.maxDurationUs !== undefined ? goDuration(query.maxDurationUs) : undefined,
          limit,
          start: Math.floor(startUs / 1e6),
          end: Math.ceil(endUs / 1e6),
        },
      }),
    );
    const summaries = this.http.read(response, () => parseTempoSearch(doc));
    return summaries
      .filter((s) => summaryMatchesText(s, query.text))
      .sort(newestFirst)
      .slice(0, limit);
  }

  async getTrace(
    traceId: string,
    window: { startUs?: number; endUs?: number } = {},
    options: RequestOptions = {},
  ): Promise<Trace> {
    const id = traceId.trim();
    if (!isHexTraceId(id)) {
      throw new BackendQueryError(`"${id.slice(0, 64)}" is not a Tempo trace id (1 to 32 hex digits)`, {
        backend: 'Tempo',
        url: this.url,
      });
    }
    const query = {
      start: window.startUs !== undefined ? Math.floor(window.startUs / 1e6) : undefined,
      end: window.endUs !== undefined ? Math.ceil(window.endUs / 1e6) : undefined,
    };
    let response: HttpResponse | undefined;
    if (this.tracesV2) {
      response = await this.call(() => this.http.get(`/api/v2/traces/${id}`, { ...options, query, passStatuses: [404] }));
    }
    if (response === undefined || response.status === 404) {
      const v1 = await this.call(() => this.http.get(`/api/traces/${id}`, { ...options, query, passStatuses: [404] }));
      if (v1.status === 404) throw this.traceNotFound(id, v1);
      if (response !== undefined) this.tracesV2 = false; // v2 said 404 to a trace v1 has: no v2 here
      response = v1;
    }
    const doc = this.http.parseBody(response, 'tempo');
    const traces = this.http.read(response!, () => parseOtlpJsonDocument(doc, 'tempo'));
    const trace = pickTrace(id, traces);
    if (trace) return trace;
    if (isObject(doc) && (doc.status === 'PARTIAL' || doc.status === 1)) {
      const said = typeof doc.message === 'string' && doc.message !== '' ? `: ${doc.message}` : '';
      throw new BackendPartialError(
        `${this.http.where} returned only part of trace ${id}, and none of its spans${said} — raise Tempo's max_bytes_per_trace, or open the trace in Grafana`,
        { backend: 'Tempo', url: response.url },
      );
    }
    throw this.traceNotFound(id, response);
  }

  /** Scoped names as TraceQL writes them ("resource.service.name", "span.http.method") and intrinsics ("name"). */
  async tagKeys(options: RequestOptions = {}): Promise<string[]> {
    if (this.tagsV2) {
      const response = await this.call(() => this.http.get('/api/v2/search/tags', { ...options, passStatuses: [404] }));
      if (response.status !== 404) {
        const doc = this.http.parseBody(response, 'tempo-tags');
        return this.http.read(response, () => scopedTagNames(doc));
      }
      this.tagsV2 = false;
    }
    const { response, doc } = await this.call(() => this.http.getJson('/api/search/tags', 'tempo-tags', options));
    return this.http.read(response, () => stringList(isObject(doc) ? doc.tagNames : undefined, 'tagNames'));
  }

  async tagValues(key: string, options: RequestOptions = {}): Promise<string[]> {
    if (this.tagsV2) {
      const values = await this.tagValuesV2(key, options, undefined);
      if (values) return values;
    }
    return this.tagValuesV1(key, options);
  }

  /**
   * A TraceQL metrics query over a time range (GET /api/metrics/query_range), the parsed JSON body returned as is
   * for `parseTempoMetrics`. Times are sent as unix seconds and the step as a Go duration in whole seconds.
   */
  async metricsQueryRange(
    query: string,
    range: { startUs: number; endUs: number; stepSeconds: number },
    options: RequestOptions = {},
  ): Promise<unknown> {
    const { doc } = await this.call(() =>
      this.http.getJson('/api/metrics/query_range', 'tempo-metrics', {
        ...options,
        query: {
          q: query,
          start: Math.floor(range.startUs / 1e6),
          end: Math.ceil(range.endUs / 1e6),
          step: `${Math.max(1, Math.round(range.stepSeconds))}s`,
        },
      }),
    );
    return doc;
  }

  dispose(): Promise<void> {
    return this.http.close();
  }

  /** undefined when this Tempo has no v2 tag API (then remembered). */
  private async tagValuesV2(key: string, options: RequestOptions, traceQl: string | undefined): Promise<string[] | undefined> {
    const scoped = SCOPED.test(key) || INTRINSICS.has(key) || key.startsWith('.') ? key : `.${key}`;
    const response = await this.call(() =>
      this.http.get(`/api/v2/search/tag/${encodeURIComponent(scoped)}/values`, {
        ...options,
        query: { q: traceQl },
        passStatuses: [404],
      }),
    );
    if (response.status === 404) {
      this.tagsV2 = false;
      return undefined;
    }
    const doc = this.http.parseBody(response, 'tempo-tags');
    return this.http.read(response, () => {
      const list = isObject(doc) ? doc.tagValues : undefined;
      if (list === undefined || list === null) return [];
      if (!Array.isArray(list)) throw new Error('expected {tagValues: [{type, value}]}');
      const values = list.map((v) => (isObject(v) && v.value !== undefined && v.value !== null ? String(v.value) : undefined));
      return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
    });
  }

  private async tagValuesV1(key: string, options: RequestOptions): Promise<string[]> {
    const bare = key.replace(SCOPED, '').replace(/^\./, '');
    const { response, doc } = await this.call(() =>
      this.http.getJson(`/api/search/tag/${encodeURIComponent(bare)}/values`, 'tempo-tags', options),
    );
    return this.http.read(response, () =>
      [...new Set(stringList(isObject(doc) ? doc.tagValues : undefined, 'tagValues'))].sort(),
    );
  }

  /** Tempo's 401 "no org id" means a tenant is needed, not a credential: said so. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof BackendUnauthorizedError && e.status === 401 && /org ?id/i.test(e.serverMessage ?? '')) {
        throw new BackendUnauthorizedError(
          `${this.http.where} is multi-tenant and the request named no tenant (HTTP 401: ${e.serverMessage}) — set the tenant (X-Scope-OrgID) for this backend`,
          { backend: 'Tempo', url: e.url, cause: e, remedies: settingsRemedies('checkSettings') },
          401,
          e.serverMessage,
        );
      }
      throw e;
    }
  }

  private traceNotFound(id: string, response: HttpResponse): BackendNotFoundError {
    return new BackendNotFoundError(
      `Trace ${id} was not found in ${this.http.where} — it may be older than Tempo's retention, outside the time range searched, or belong to another tenant`,
      { backend: 'Tempo', url: response.url },
      'trace',
    );
  }
}

/** Tempo's tag search: `service.name`, `name` (span name), `status.code=error`, and span/resource attributes. */
function logfmtTags(query: TraceQuery): string | undefined {
  const pairs: [string, string][] = [];
  if (query.service) pairs.push(['service.name', query.service]);
  if (query.operation) pairs.push(['name', query.operation]);
  for (const [k, v] of Object.entries(query.tags ?? {})) pairs.push([k.replace(SCOPED, '').replace(/^\./, ''), v]);
  if (query.errorsOnly) pairs.push(['status.code', 'error']);
  if (pairs.length === 0) return undefined;
  return pairs.map(([k, v]) => `${logfmtKey(k)}=${logfmtValue(v)}`).join(' ');
}

function logfmtKey(key: string): string {
  // logfmt keys cannot hold spaces, '=' or '"'; such a key could never match a Tempo tag.
  return key.replace(/[\s="]/g, '_');
}

function logfmtValue(value: string): string {
  return value !== '' && /^[^\s="\\]+$/.test(value) ? value : JSON.stringify(value);
}

function traceQlString(value: string): string {
  return JSON.stringify(value);
}

/** v2 `{scopes: [{name, tags}]}` → "resource.k", "span.k" and bare intrinsics. */
function scopedTagNames(doc: unknown): string[] {
  const scopes = isObject(doc) ? doc.scopes : undefined;
  if (scopes === undefined || scopes === null) return [];
  if (!Array.isArray(scopes)) throw new Error('expected {scopes: [{name, tags}]}');
  const out = new Set<string>();
  for (const scope of scopes) {
    if (!isObject(scope) || !Array.isArray(scope.tags)) continue;
    const name = typeof scope.name === 'string' ? scope.name : '';
    for (const tag of scope.tags) {
      if (typeof tag !== 'string') continue;
      out.add(name === 'intrinsic' || name === '' || name === 'none' ? tag : `${name}.${tag}`);
    }
  }
  return [...out].sort();
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`expected {${field}: [...]}`);
  return value.filter((v): v is string => typeof v === 'string').sort();
}
