/**
 * A read-only subset of the Jaeger query API over the receiver's store, so that tools people already use (Grafana's
 * Jaeger data source, Jaeger UI, trace-lens-mcp) can read what the embedded receiver holds:
 *
 *   GET /api/services                         service names
 *   GET /api/services/{service}/operations    its span names
 *   GET /api/operations?service=…             the same as [{name, spanKind}] (newer Jaeger UIs)
 *   GET /api/traces?service=…&operation=…&tags=…&start=…&end=…&lookback=…&minDuration=…&maxDuration=…&limit=…
 *   GET /api/traces/{traceId}
 *
 * A pure function of the request and the store. Security first, checked before anything is read: the receiver
 * must listen on loopback and the peer be local; the Host header must name a loopback host (a page on another site
 * that rebinds its DNS name to 127.0.0.1 still sends its own name); a request from a browser page (Origin, or
 * Sec-Fetch-Site other than same-origin/none) is refused and no CORS header is ever sent; with a token configured,
 * `Authorization: Bearer <token>` is required.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeTraceId } from '../model/ids';
import type { TraceQuery } from '../model/traceQuery';
import type { TraceStore } from '../store/traceStore';
import { toJaegerTrace } from './jaegerJson';

export interface JaegerQueryApiOptions {
  /** when set, requests must carry `Authorization: Bearer <token>` */
  token?: string;
}

export interface QueryApiRequest {
  method: string;
  /** the request target, e.g. `/api/traces?service=cart` */
  url: string;
  /** lower-case names, as Node gives them */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the peer's address */
  remoteAddress: string | undefined;
  /** whether the receiver listens on a loopback address only */
  listeningOnLoopback: boolean;
}

export interface QueryApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const DEFAULT_API_LIMIT = 20;
export const MAX_API_LIMIT = 1500;

/** Whether a request target belongs to this API (anything else is the OTLP receiver's). */
export function isJaegerQueryPath(url: string): boolean {
  const path = pathOf(url);
  return (
    path === '/api/services' ||
    path.startsWith('/api/services/') ||
    path === '/api/operations' ||
    path === '/api/traces' ||
    path.startsWith('/api/traces/')
  );
}

export function answerJaegerQuery(
  store: TraceStore,
  req: QueryApiRequest,
  options: JaegerQueryApiOptions = {},
): QueryApiResponse {
  const refused = checkAccess(req, options);
  if (refused) return refused;
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return error(405, `${req.method} is not supported: this API is read-only (GET)`, { allow: 'GET, HEAD' });
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '');
  const params = url.searchParams;
  const segments = path.split('/').slice(1).map(decode);
  if (segments.some((s) => s === undefined)) return error(400, 'the path is not valid percent-encoding');
  const [, resource, name, sub] = segments as string[];

  if (resource === 'services' && name === undefined) return data(store.services());
  if (resource === 'services' && sub === 'operations' && segments.length === 4) return data(store.operations(name!));
  if (resource === 'operations' && name === undefined) {
    const service = params.get('service');
    if (!service) return error(400, 'parameter service is required');
    return data(store.operations(service).map((op) => ({ name: op, spanKind: '' })));
  }
  if (resource === 'traces' && name !== undefined && segments.length === 3) {
    const trace = store.get(normalizeTraceId(name));
    if (!trace) return error(404, 'trace not found');
    return data([toJaegerTrace(trace)]);
  }
  if (resource === 'traces' && name === undefined) {
    const query = readQuery(params);
    if (typeof query === 'string') return error(400, query);
    const traces = store
      .list(query)
      .map((s) => store.get(s.traceId))
      .filter((t) => t !== undefined);
    return data(traces.map(toJaegerTrace), { limit: query.limit ?? DEFAULT_API_LIMIT });
  }
  return error(
    404,
    `no such endpoint: ${path}; this API serves /api/services, /api/services/{service}/operations, /api/operations, /api/traces and /api/traces/{id}`,
  );
}

/** The reason to refuse, as a response; undefined when the request may read. */
function checkAccess(req: QueryApiRequest, options: JaegerQueryApiOptions): QueryApiResponse | undefined {
  if (!req.listeningOnLoopback)
    return error(403, 'the query API is served only while the receiver listens on a loopback address');
  if (!isLoopbackAddress(req.remoteAddress)) return error(403, 'the query API answers only this machine');
  const host = single(req.headers.host);
  if (host === undefined || !isLoopbackHostHeader(host)) {
    return error(
      403,
      `the Host header must name this machine (localhost, 127.0.0.1 or [::1]), not ${JSON.stringify(host ?? '')}`,
    );
  }
  const origin = single(req.headers.origin);
  const site = single(req.headers['sec-fetch-site']);
  if (origin !== undefined || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
    return error(403, 'requests from web pages are refused: the query API sends no CORS headers');
  }
  if (options.token !== undefined && options.token !== '') {
    const auth = single(req.headers.authorization) ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (!m || !sameSecret(m[1]!.trim(), options.token)) {
      return error(401, 'a bearer token is required (Authorization: Bearer <token>)', {
        'www-authenticate': 'Bearer realm="trace-lens"',
      });
    }
  }
  return undefined;
}

/** The search parameters of /api/traces as a store query, or what is wrong with them. */
function readQuery(params: URLSearchParams): TraceQuery | string {
  const query: TraceQuery = {};
  const service = params.get('service');
  if (service) query.service = service;
  const operation = params.get('operation');
  if (operation) query.operation = operation;
  const limit = params.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 0) return `limit must be a whole number, not "${limit}"`;
    query.limit = Math.min(n === 0 ? DEFAULT_API_LIMIT : n, MAX_API_LIMIT);
  } else {
    query.limit = DEFAULT_API_LIMIT;
  }
  for (const [key, bound] of [
    ['start', 'startUs'],
    ['end', 'endUs'],
  ] as const) {
    const v = params.get(key);
    if (v === null || v === '') continue;
    const us = Number(v);
    if (!Number.isFinite(us)) return `${key} must be epoch microseconds, not "${v}"`;
    query[bound] = us;
  }
  const lookback = params.get('lookback');
  if (lookback && lookback !== 'custom' && query.startUs === undefined) {
    const us = goDurationUs(lookback);
    if (us === undefined) return `lookback must be a duration such as 1h or 30m, not "${lookback}"`;
    query.startUs = (query.endUs ?? Date.now() * 1000) - us;
  }
  for (const [key, bound] of [
    ['minDuration', 'minDurationUs'],
    ['maxDuration', 'maxDurationUs'],
  ] as const) {
    const v = params.get(key);
    if (v === null || v === '') continue;
    const us = goDurationUs(v);
    if (us === undefined) return `${key} must be a duration such as 100ms or 1.5s, not "${v}"`;
    query[bound] = us;
  }
  const tags: Record<string, string> = {};
  for (const raw of params.getAll('tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return `tags must be a JSON object such as {"http.status_code":"500"}, not ${JSON.stringify(raw)}`;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return 'tags must be a JSON object of key → value';
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) tags[k] = String(v);
  }
  for (const raw of params.getAll('tag')) {
    const colon = raw.indexOf(':');
    if (colon <= 0) return `tag must be key:value, not "${raw}"`;
    tags[raw.slice(0, colon)] = raw.slice(colon + 1);
  }
  if (tags.error === 'true') {
    query.errorsOnly = true;
    delete tags.error;
  }
  if (Object.keys(tags).length > 0) query.tags = tags;
  return query;
}

const GO_UNITS: Readonly<Record<string, number>> = { ns: 0.001, us: 1, µs: 1, μs: 1, ms: 1000, s: 1e6, m: 60e6, h: 3600e6 };

/** A Go duration (`1h30m`, `1.5s`, `250ms`) in microseconds. */
function goDurationUs(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * GO_UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? total : undefined;
}

function data(items: unknown[], extra: { limit?: number } = {}): QueryApiResponse {
  return json(200, { data: items, total: items.length, limit: extra.limit ?? 0, offset: 0, errors: null });
}

function error(status: number, msg: string, headers: Record<string, string> = {}): QueryApiResponse {
  const response = json(status, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg }] });
  Object.assign(response.headers, headers);
  return response;
}

function json(status: number, doc: unknown): QueryApiResponse {
  const body = JSON.stringify(doc);
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}

/** `localhost`, `127.x.y.z`, `[::1]`, each with or without a port. */
export function isLoopbackHostHeader(host: string): boolean {
  const h = host.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d+$/, '');
  const rest = h.slice(name.length);
  if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return false;
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase();
  return a === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(a);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return (q === -1 ? url : url.slice(0, q)).replace(/\/+$/, '') || '/';
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Answers one HTTP request of the receiver's server through `answerJaegerQuery` (the receiver's only hook into this API). */
export function serveJaegerQuery(
  store: TraceStore,
  req: IncomingMessage,
  res: ServerResponse,
  listeningOnLoopback: boolean,
  options: JaegerQueryApiOptions,
): void {
  req.resume(); // a GET has no body worth reading
  let response: QueryApiResponse;
  try {
    response = answerJaegerQuery(
      store,
      {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        remoteAddress: req.socket.remoteAddress,
        listeningOnLoopback,
      },
      options,
    );
  } catch (e) {
    response = error(500, `the query API failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : response.body);
}
