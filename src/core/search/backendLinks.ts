/**
 * "Open in Backend UI": links into Jaeger UI, Zipkin Lens and, for Tempo (which has no UI of its own),
 * Grafana Explore. The Jaeger and Zipkin UIs are served from the same address as their APIs, so the
 * backend URL (with any base path, e.g. /jaeger) is the UI's base. Credentials in a URL never go into a
 * link. When there is no link, whyNoUrl says why in a sentence fit for a notification.
 */
import { normalizeSpanId, normalizeTraceId } from '../model/ids';
import { DEFAULT_LOOKBACK_US, DEFAULT_SEARCH_LIMIT, queryTags } from '../backends/searchWindow';
import type { BackendType } from '../backends/types';
import type { TraceQuery } from '../model/traceQuery';
import { formatDurationValue } from './queryFormat';

export interface LinkableBackend {
  type: BackendType;
  /** the backend's base URL, as configured */
  url: string;
  /** Tempo: the Grafana that has Tempo as a data source */
  grafanaUrl?: string;
  /** Tempo: that data source's uid; without it Grafana opens its default data source */
  tempoDatasourceUid?: string;
}

/** A trace's page in the backend's UI; undefined when there is none (see whyNoUrl). */
export function traceUrl(backend: LinkableBackend, traceId: string, spanId?: string): string | undefined {
  const id = normalizeTraceId(traceId.trim());
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  const span = spanId ? normalizeSpanId(spanId.trim()) : '';
  const validSpan = /^[0-9a-f]{16}$/.test(span) ? span : undefined;
  switch (backend.type) {
    case 'jaeger': {
      const base = uiBase(backend.url);
      if (!base) return undefined;
      const query = validSpan ? `?uiFind=${validSpan}` : '';
      return `${base}/trace/${encodeURIComponent(shortId(id))}${query}`;
    }
    case 'zipkin': {
      const base = uiBase(backend.url);
      return base ? `${base}/zipkin/traces/${encodeURIComponent(shortId(id))}` : undefined;
    }
    case 'tempo': {
      const grafana = backend.grafanaUrl ? uiBase(backend.grafanaUrl) : undefined;
      if (!grafana) return undefined;
      const pane: Record<string, unknown> = {
        ...datasourceField(backend),
        queries: [{ refId: 'A', ...datasourceRef(backend), queryType: 'traceql', query: id }],
        range: { from: 'now-1h', to: 'now' },
      };
      if (validSpan) pane.panelsState = { trace: { spanId: validSpan } };
      return exploreUrl(grafana, pane);
    }
    case 'local':
      return undefined;
  }
}

/**
 * A search's results page in the backend's UI: Jaeger's /search, Zipkin Lens's discover page, or for
 * Tempo a TraceQL search in Grafana Explore. Free text has no place in these UIs and is left out.
 * `nowMs` anchors a query without a window (the last hour, as the backends default to).
 */
export function searchUrl(backend: LinkableBackend, query: TraceQuery, nowMs: number = Date.now()): string | undefined {
  const endUs = query.endUs ?? nowMs * 1000;
  const startUs = query.startUs ?? endUs - DEFAULT_LOOKBACK_US;
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  switch (backend.type) {
    case 'jaeger': {
      const base = uiBase(backend.url);
      if (!base || query.traceQl) return undefined;
      const params = new Map<string, string>();
      if (query.service) params.set('service', query.service);
      if (query.operation) params.set('operation', query.operation);
      const tags = queryTags(query, ['error', 'true']);
      if (Object.keys(tags).length > 0) params.set('tags', JSON.stringify(tags));
      if (query.minDurationUs !== undefined) params.set('minDuration', formatDurationValue(query.minDurationUs));
      if (query.maxDurationUs !== undefined) params.set('maxDuration', formatDurationValue(query.maxDurationUs));
      params.set('limit', String(limit));
      // Jaeger UI reruns the search with start/end (epoch µs) from the URL; `lookback` only labels the form.
      params.set('lookback', 'custom');
      params.set('start', String(Math.floor(startUs)));
      params.set('end', String(Math.ceil(endUs)));
      return `${base}/search?${queryString(params)}`;
    }
    case 'zipkin': {
      const base = uiBase(backend.url);
      if (!base || query.traceQl) return undefined;
      const params = new Map<string, string>();
      if (query.service) params.set('serviceName', query.service);
      if (query.operation) params.set('spanName', query.operation);
      const terms = Object.entries(query.tags ?? {}).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
      if (query.errorsOnly) terms.push('error');
      if (terms.length > 0) params.set('annotationQuery', terms.join(' and '));
      // Lens reads durations as an integer with us, ms or s.
      if (query.minDurationUs !== undefined) params.set('minDuration', lensDuration(Math.floor(query.minDurationUs)));
      if (query.maxDurationUs !== undefined) params.set('maxDuration', lensDuration(Math.ceil(query.maxDurationUs)));
      params.set('lookback', 'range');
      params.set('startTs', String(Math.floor(startUs / 1000)));
      params.set('endTs', String(Math.ceil(endUs / 1000)));
      params.set('limit', String(limit));
      return `${base}/zipkin/?${queryString(params)}`;
    }
    case 'tempo': {
      const grafana = backend.grafanaUrl ? uiBase(backend.grafanaUrl) : undefined;
      if (!grafana) return undefined;
      const pane = {
        ...datasourceField(backend),
        queries: [{ refId: 'A', ...datasourceRef(backend), queryType: 'traceql', query: toTraceQl(query), limit }],
        range: { from: String(Math.floor(startUs / 1000)), to: String(Math.ceil(endUs / 1000)) },
      };
      return exploreUrl(grafana, pane);
    }
    case 'local':
      return undefined;
  }
}

/** Why traceUrl/searchUrl gave no link, or undefined when they give one. */
export function whyNoUrl(backend: LinkableBackend, traceId?: string): string | undefined {
  if (traceId !== undefined && !/^[0-9a-f]{32}$/.test(normalizeTraceId(traceId.trim()))) {
    return `"${traceId.slice(0, 64)}" is not a trace id that a backend UI can open`;
  }
  switch (backend.type) {
    case 'local':
      return 'Traces from the built-in receiver live only in VS Code — there is no backend UI to open them in';
    case 'tempo':
      if (!backend.grafanaUrl) {
        return 'Tempo has no UI of its own — set the Grafana URL (and the Tempo data source uid) for this backend to open traces in Grafana Explore';
      }
      return uiBase(backend.grafanaUrl)
        ? undefined
        : `The Grafana URL "${redact(backend.grafanaUrl)}" is not a valid http(s) URL`;
    default:
      return uiBase(backend.url) ? undefined : `The ${backend.type} URL "${redact(backend.url)}" is not a valid http(s) URL`;
  }
}

/** The query as TraceQL, for Grafana's Tempo search. Numbers and booleans are written bare, as TraceQL types them. */
export function toTraceQl(query: TraceQuery): string {
  if (query.traceQl) return query.traceQl;
  const conditions: string[] = [];
  if (query.service !== undefined) conditions.push(`resource.service.name = ${traceQlString(query.service)}`);
  if (query.operation !== undefined) conditions.push(`name = ${traceQlString(query.operation)}`);
  for (const [k, v] of Object.entries(query.tags ?? {})) {
    const key = /^(\.|span\.|resource\.)/.test(k) ? k : `.${k}`;
    conditions.push(`${key} = ${/^-?\d+(\.\d+)?$|^(true|false)$/.test(v) ? v : traceQlString(v)}`);
  }
  if (query.errorsOnly) conditions.push('status = error');
  const spanset = conditions.length > 0 ? `{ ${conditions.join(' && ')} }` : '{}';
  const duration: string[] = [];
  if (query.minDurationUs !== undefined) duration.push(`traceDuration >= ${formatDurationValue(query.minDurationUs)}`);
  if (query.maxDurationUs !== undefined) duration.push(`traceDuration <= ${formatDurationValue(query.maxDurationUs)}`);
  return duration.length > 0 ? `${spanset} && { ${duration.join(' && ')} }` : spanset;
}

/** Whole µs → the largest of s, ms, us that holds it exactly (Zipkin Lens reads nothing else). */
function lensDuration(us: number): string {
  if (us > 0 && us % 1e6 === 0) return `${us / 1e6}s`;
  if (us > 0 && us % 1e3 === 0) return `${us / 1e3}ms`;
  return `${Math.max(0, us)}us`;
}

/** Percent-encodes with %20 for spaces: Grafana and Jaeger UI decode with decodeURIComponent, which keeps '+'. */
function queryString(params: Map<string, string>): string {
  return [...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function traceQlString(value: string): string {
  return JSON.stringify(value);
}

/** Jaeger UI and Zipkin show a 128-bit id whose high half is zero as its 16-digit low half. */
function shortId(id: string): string {
  return id.startsWith('0000000000000000') ? id.slice(16) : id;
}

function datasourceField(backend: LinkableBackend): { datasource?: string } {
  return backend.tempoDatasourceUid ? { datasource: backend.tempoDatasourceUid } : {};
}

function datasourceRef(backend: LinkableBackend): { datasource?: { type: string; uid: string } } {
  return backend.tempoDatasourceUid ? { datasource: { type: 'tempo', uid: backend.tempoDatasourceUid } } : {};
}

/** Explore's URL state, schema 1 (Grafana 10+): panes={"<id>": pane}. */
function exploreUrl(grafanaBase: string, pane: Record<string, unknown>): string {
  const params = new Map<string, string>();
  params.set('schemaVersion', '1');
  params.set('panes', JSON.stringify({ tl: pane }));
  return `${grafanaBase}/explore?${queryString(params)}`;
}

/** origin + base path without a trailing slash, credentials, query or fragment; undefined unless http(s). */
function uiBase(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function redact(raw: string): string {
  return raw.replace(/\/\/[^/@]*@/, '//');
}
