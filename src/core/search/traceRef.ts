/**
 * "Open Trace by ID…": whatever a user pastes → a trace id, and where the link came from when it was one.
 *
 * Ids: 1–32 hex digits in any case (64-bit ids and ids with dropped leading zeros are padded to 32),
 * `0x…`, base64 of 8 or 16 bytes, a W3C `traceparent` (header name optional), a UUID-formatted id and an
 * AWS X-Ray id (1-<8 hex>-<24 hex>, which OpenTelemetry maps to 32 hex).
 * URLs: Jaeger UI (`…/trace/<id>[?uiFind=<span>]`, `…/search?traceID=<id>`), Zipkin Lens
 * (`…/zipkin/traces/<id>`), Grafana Explore (`…/explore?left=…` in its JSON or compact array form and
 * `?panes=…`, schema 1), Grafana Traces Drilldown (`…/a/grafana-exploretraces-app/…?traceId=…`), the
 * trace endpoints of the backends' APIs, and failing those any `traceId` query parameter. Base paths
 * before the recognised part are kept in `baseUrl`.
 */
import { SPAN_ID_HEX_LENGTH, isNullId, normalizeSpanId, normalizeTraceId } from '../model/ids';
import { isObject } from '../formats/json';

export type TraceRefBackend = 'jaeger' | 'tempo' | 'zipkin';

export interface TraceRef {
  /** 32 lowercase hex digits */
  traceId: string;
  /** 16 lowercase hex digits: the span the link pointed at (Jaeger uiFind, traceparent, Grafana) */
  spanId?: string;
  /** the backend the link belongs to, when the link says */
  backend?: TraceRefBackend;
  /** the UI's (or API's) address: origin and base path, no credentials, no trailing slash; Grafana's for Grafana links */
  baseUrl?: string;
  /** Grafana links: the data source the trace was opened with */
  datasourceUid?: string;
  /** the time range the link carried, epoch µs */
  startUs?: number;
  endUs?: number;
}

export type TraceRefResult = TraceRef | { error: string };

const EXPECTED = 'a trace id (16 or 32 hex digits, or base64), a traceparent header, or a Jaeger, Zipkin or Grafana trace link';

export function parseTraceRef(input: string): TraceRefResult {
  const s = stripWrapping(input.trim());
  if (s === '') return { error: `Paste ${EXPECTED}.` };
  if (looksLikeUrl(s)) return parseUrl(s);
  return parseId(s);
}

/** Quotes, backticks or angle brackets a copied value often comes wrapped in. */
function stripWrapping(s: string): string {
  const m = /^(["'`<])(.*)(["'`>])$/s.exec(s);
  if (m && (m[1] === m[3] || (m[1] === '<' && m[3] === '>'))) return (m[2] as string).trim();
  return s;
}

function looksLikeUrl(s: string): boolean {
  return (
    /^https?:\/\//i.test(s) || /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]|[a-z0-9-]+(\.[a-z0-9-]+)+)(:\d+)?\//i.test(s)
  );
}

function parseId(s: string): TraceRefResult {
  const traceparent = /^(?:traceparent\s*[:=]\s*)?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/i.exec(s);
  if (traceparent) {
    const [, version, trace, span] = traceparent as unknown as [string, string, string, string];
    if (version.toLowerCase() === 'ff') return { error: `'${short(s)}' is not a valid traceparent — version ff is forbidden` };
    if (isNullId(trace)) return { error: 'That traceparent has an all-zero trace id, which is invalid.' };
    return withSpan({ traceId: trace.toLowerCase() }, span);
  }
  const xray = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i.exec(s);
  if (xray) return idResult((xray[1] as string) + (xray[2] as string), s);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return idResult(s.replace(/-/g, ''), s);
  return idResult(s.replace(/^0x(?=[0-9a-f]+$)/i, ''), s);
}

/** A bare id → 32 hex, or an error that says what was wrong. */
function idResult(raw: string, shown: string): TraceRefResult {
  const id = traceIdFrom(raw);
  if (id === undefined) {
    if (/^[0-9a-f]+$/i.test(raw)) {
      return { error: `'${short(shown)}' has ${raw.length} hex digits — a trace id has 16 or 32` };
    }
    return { error: `'${short(shown)}' is not a trace id — expected ${EXPECTED}` };
  }
  if (isNullId(id)) return { error: 'An all-zero trace id is invalid.' };
  return { traceId: id };
}

/** 1–32 hex digits or base64 of 8 or 16 bytes → 32 lowercase hex; anything else → undefined. */
export function traceIdFrom(raw: string): string | undefined {
  const s = raw.trim();
  if (s === '' || s.length > 44) return undefined;
  if (/^[0-9a-f]{1,32}$/i.test(s)) return normalizeTraceId(s);
  const id = normalizeTraceId(s);
  if (/^[0-9a-f]{32}$/.test(id)) return id;
  // base64 of a 64-bit id: 12 chars with padding, 11 without
  if (/^[A-Za-z0-9+/_-]{11}=?$/.test(s)) {
    const bytes = Buffer.from(s, /[-_]/.test(s) ? 'base64url' : 'base64');
    if (bytes.length === 8) return normalizeTraceId(bytes.toString('hex'));
  }
  return undefined;
}

function withSpan(ref: TraceRef, span: string | null | undefined): TraceRef {
  if (!span) return ref;
  const id = normalizeSpanId(span.trim());
  if (id.length === SPAN_ID_HEX_LENGTH && /^[0-9a-f]+$/.test(id) && !isNullId(id)) ref.spanId = id;
  return ref;
}

// ------------------------------------------------------------------------------------------------- URLs

type Pattern = { re: RegExp; backend?: TraceRefBackend };

/** Path suffixes holding a trace id, most specific first; group 1 is the base path, group 2 the id. */
const PATH_PATTERNS: readonly Pattern[] = [
  { re: /^(.*?)\/zipkin\/traces\/([^/]+)\/?$/i, backend: 'zipkin' },
  { re: /^(.*?)\/api\/v2\/trace\/([^/]+)\/?$/i, backend: 'zipkin' },
  { re: /^(.*?)\/api\/v2\/traces\/([^/]+)\/?$/i, backend: 'tempo' },
  { re: /^(.*?)\/api\/v3\/traces\/([^/]+)\/?$/i, backend: 'jaeger' },
  // Jaeger's /api/traces/<id> and Tempo's are the same path: the link does not say which.
  { re: /^(.*?)\/api\/traces\/([^/]+)\/?$/i },
  { re: /^(.*?)\/trace\/([^/]+)\/?$/i, backend: 'jaeger' },
];

function parseUrl(s: string): TraceRefResult {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(s) ? s : `http://${s}`);
  } catch {
    return { error: `'${short(s)}' is not a valid URL — expected ${EXPECTED}` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  const base = (prefix: string): string => `${url.protocol}//${url.host}${prefix.replace(/\/+$/, '')}`;

  const drilldown = /^(.*?)\/a\/grafana-exploretraces-app(\/.*)?$/i.exec(path);
  if (drilldown) return grafanaDrilldown(url, base(drilldown[1] as string));
  const explore = /^(.*?)\/explore$/i.exec(path);
  if (explore) return grafanaExplore(url, base(explore[1] as string));

  for (const { re, backend } of PATH_PATTERNS) {
    const m = re.exec(path);
    if (!m) continue;
    const rawId = safeDecode(m[2] as string);
    if (backend === 'jaeger' && rawId.includes('...')) {
      return { error: 'That Jaeger link compares two traces — paste the link of one of them' };
    }
    const id = traceIdFrom(rawId);
    if (id === undefined || isNullId(id)) {
      return { error: `'${short(rawId)}' in that link is not a trace id (expected 16 or 32 hex digits)` };
    }
    const ref: TraceRef = { traceId: id, baseUrl: base(m[1] as string) };
    if (backend) ref.backend = backend;
    if (backend === 'jaeger') withSpan(ref, url.searchParams.get('uiFind'));
    if (backend === 'tempo') addSecondsRange(ref, url.searchParams.get('start'), url.searchParams.get('end'));
    return ref;
  }

  const jaegerSearch = /^(.*?)\/search$/i.exec(path);
  const searchIds = url.searchParams.getAll('traceID');
  if (jaegerSearch && searchIds.length > 0) {
    if (searchIds.length > 1) return { error: 'That Jaeger search lists several trace ids — paste one of them' };
    return fromParam(searchIds[0] as string, { backend: 'jaeger', baseUrl: base(jaegerSearch[1] as string) });
  }

  for (const name of ['traceId', 'traceID', 'trace_id', 'traceid']) {
    const value = url.searchParams.get(name);
    if (value) return fromParam(value, {});
  }
  return {
    error:
      'No trace id in that link — expected a Jaeger (…/trace/<id>), Zipkin (…/zipkin/traces/<id>) or Grafana Explore trace link',
  };
}

function fromParam(value: string, extra: Omit<TraceRef, 'traceId'>): TraceRefResult {
  const id = traceIdFrom(value);
  if (id === undefined || isNullId(id)) return { error: `'${short(value)}' in that link is not a trace id` };
  return { traceId: id, ...extra };
}

/** Grafana Traces Drilldown: traceId, spanId, var-ds (the data source uid), from/to. */
function grafanaDrilldown(url: URL, baseUrl: string): TraceRefResult {
  const value = url.searchParams.get('traceId');
  if (!value) return { error: 'That Grafana Traces Drilldown link has no trace open — open one and copy the link again' };
  const id = traceIdFrom(value);
  if (id === undefined || isNullId(id)) return { error: `'${short(value)}' in that link is not a trace id` };
  const ref: TraceRef = { traceId: id, backend: 'tempo', baseUrl };
  withSpan(ref, url.searchParams.get('spanId'));
  const ds = url.searchParams.get('var-ds');
  if (ds) ref.datasourceUid = ds;
  addGrafanaRange(ref, url.searchParams.get('from'), url.searchParams.get('to'));
  return ref;
}

interface Pane {
  datasource?: unknown;
  queries: unknown[];
  range?: { from?: unknown; to?: unknown };
  spanId?: unknown;
}

/**
 * Explore state: `panes={"<id>": {datasource, queries, range, panelsState}}` (Grafana 10+), or the older
 * `left=`/`right=` with the same object or the compact `[from, to, datasource, ...queries]`. The trace is
 * the first query whose `query` is a trace id (the Tempo, Jaeger and Zipkin data sources all keep it there).
 */
function grafanaExplore(url: URL, baseUrl: string): TraceRefResult {
  const panes: Pane[] = [];
  const panesParam = parseJsonParam(url.searchParams.get('panes'));
  if (isObject(panesParam)) for (const pane of Object.values(panesParam)) pushPane(panes, pane);
  for (const name of ['left', 'right']) pushPane(panes, parseJsonParam(url.searchParams.get(name)));
  if (panes.length === 0) {
    return {
      error: 'That Grafana Explore link holds no query Trace Lens can read — open the trace in Grafana and copy its link',
    };
  }
  for (const pane of panes) {
    for (const q of pane.queries) {
      if (!isObject(q) || typeof q.query !== 'string') continue;
      const id = traceIdFrom(q.query);
      if (id === undefined || isNullId(id)) continue;
      const ref: TraceRef = { traceId: id, baseUrl };
      const ds = isObject(q.datasource) ? q.datasource : undefined;
      const type = typeof ds?.type === 'string' ? ds.type.toLowerCase() : undefined;
      const named = typeof pane.datasource === 'string' ? pane.datasource : undefined;
      const backend = asBackend(type) ?? guessBackend(named);
      if (backend) ref.backend = backend;
      const uid = typeof ds?.uid === 'string' ? ds.uid : named;
      if (uid) ref.datasourceUid = uid;
      if (typeof pane.spanId === 'string') withSpan(ref, pane.spanId);
      addGrafanaRange(ref, pane.range?.from, pane.range?.to);
      return ref;
    }
  }
  return { error: 'That Grafana Explore link is a search, not a trace — open the trace in Grafana and copy its link' };
}

function pushPane(panes: Pane[], raw: unknown): void {
  if (Array.isArray(raw)) {
    // compact form: [from, to, datasource, ...queries and {ui}/{mode} objects]
    const [from, to, datasource, ...rest] = raw as unknown[];
    panes.push({ datasource, queries: rest, range: { from, to } });
  } else if (isObject(raw)) {
    const queries = Array.isArray(raw.queries) ? (raw.queries as unknown[]) : [];
    const range = isObject(raw.range) ? { from: raw.range.from, to: raw.range.to } : undefined;
    const panels = isObject(raw.panelsState) ? raw.panelsState : undefined;
    const trace = isObject(panels?.trace) ? panels.trace : undefined;
    panes.push({ datasource: raw.datasource, queries, range, spanId: trace?.spanId });
  }
}

/** Explore state is JSON after one round of URL decoding; links pasted from chat are sometimes encoded twice. */
function parseJsonParam(value: string | null): unknown {
  if (!value) return undefined;
  for (const candidate of [value, safeDecode(value)]) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next decoding
    }
  }
  return undefined;
}

function asBackend(type: string | undefined): TraceRefBackend | undefined {
  return type === 'tempo' || type === 'jaeger' || type === 'zipkin' ? type : undefined;
}

/** The compact form names the data source, not its type: "Tempo", "jaeger-prod". */
function guessBackend(name: string | undefined): TraceRefBackend | undefined {
  const m = name ? /tempo|jaeger|zipkin/i.exec(name) : null;
  return m ? asBackend(m[0].toLowerCase()) : undefined;
}

/** Grafana time: epoch ms (as a number or digits) or an ISO date; "now-1h" is relative and skipped. */
function addGrafanaRange(ref: TraceRef, from: unknown, to: unknown): void {
  const start = grafanaTimeUs(from);
  const end = grafanaTimeUs(to);
  if (start !== undefined) ref.startUs = start;
  if (end !== undefined) ref.endUs = end;
}

function grafanaTimeUs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.round(value * 1000);
  if (typeof value !== 'string') return undefined;
  if (/^\d{10,}$/.test(value)) return Number(value) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms * 1000 : undefined;
  }
  return undefined;
}

/** Tempo's API takes start/end in epoch seconds. */
function addSecondsRange(ref: TraceRef, start: string | null, end: string | null): void {
  if (start && /^\d+$/.test(start)) ref.startUs = Number(start) * 1e6;
  if (end && /^\d+$/.test(end)) ref.endUs = Number(end) * 1e6;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function short(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 59)}…`;
}
