/**
 * What the fake backends serve: trace documents in each backend's own wire format (the upstream recorded
 * fixtures, or documents a test adds), indexed just enough to answer searches the way the real server
 * would. The index is read straight from the wire JSON, not through the project's parsers, so that a
 * parser bug cannot hide itself in a backend test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeTraceId } from '../../src/core/model/ids';
import { isObject } from '../../src/core/formats/json';

export interface FakeSpan {
  service: string;
  name: string;
  /** epoch µs; 0 when the wire span has none */
  startUs: number;
  durationUs: number;
  error: boolean;
  kind: string;
  /** span (and, for OTLP, resource) attributes as strings */
  attributes: Map<string, string>;
  resourceKeys: string[];
  spanKeys: string[];
  isRoot: boolean;
}

export interface FakeTrace {
  /** lowercase hex left-padded to 32 (ids that are not hex kept verbatim) */
  traceId: string;
  spans: FakeSpan[];
  services: string[];
  startUs: number;
  durationUs: number;
  /** the wire body for "get trace by id", as recorded where the file held exactly this trace */
  body: unknown;
  /** the file (relative to the fixtures folder) or "test" */
  source: string;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export function readFixture(dir: string, relative: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(dir, relative), 'utf8'));
}

export function listFixtures(dir: string, folder: string): string[] {
  const full = path.join(dir, folder);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}/${f}`);
}

/** Jaeger query JSON: an envelope {data: [trace]}, a bare trace object, or an array of traces. */
export function indexJaeger(doc: unknown, source: string): FakeTrace[] {
  const list = isObject(doc) && Array.isArray(doc.data) ? doc.data : Array.isArray(doc) ? doc : [doc];
  const out: FakeTrace[] = [];
  for (const t of list) {
    if (!isObject(t) || !Array.isArray(t.spans)) continue;
    const processes = isObject(t.processes) ? t.processes : {};
    const spans: FakeSpan[] = [];
    for (const s of t.spans) {
      if (!isObject(s)) continue;
      const process = isObject(s.process) ? s.process : processes[str(s.processID)];
      const attributes = new Map<string, string>();
      for (const tag of Array.isArray(s.tags) ? s.tags : []) if (isObject(tag)) attributes.set(str(tag.key), str(tag.value));
      const references = Array.isArray(s.references) ? s.references : [];
      spans.push({
        service: isObject(process) ? str(process.serviceName) : '',
        name: str(s.operationName),
        startUs: Number(s.startTime) || 0,
        durationUs: Number(s.duration) || 0,
        error: attributes.get('error') === 'true',
        kind: attributes.get('span.kind') ?? '',
        attributes,
        resourceKeys: [],
        spanKeys: [...attributes.keys()],
        isRoot: references.length === 0,
      });
    }
    out.push(makeTrace(normalizeTraceId(str(t.traceID)), spans, t, source));
  }
  return out;
}

/** Zipkin v2: a span list (one trace) or a single span object. */
export function indexZipkin(doc: unknown, source: string): FakeTrace[] {
  const list = Array.isArray(doc) ? doc : [doc];
  const byTrace = new Map<string, FakeSpan[]>();
  for (const s of list) {
    if (!isObject(s)) continue;
    const id = normalizeTraceId(str(s.traceId));
    const tags = isObject(s.tags) ? s.tags : {};
    const attributes = new Map(Object.entries(tags).map(([k, v]) => [k, str(v)] as const));
    const local = isObject(s.localEndpoint) ? s.localEndpoint : {};
    const spans = byTrace.get(id) ?? [];
    spans.push({
      service: str(local.serviceName).toLowerCase(),
      name: str(s.name).toLowerCase(),
      startUs: Number(s.timestamp) || 0,
      durationUs: Number(s.duration) || 0,
      error: 'error' in tags,
      kind: str(s.kind),
      attributes,
      resourceKeys: [],
      spanKeys: [...attributes.keys()],
      isRoot: s.parentId === undefined,
    });
    byTrace.set(id, spans);
  }
  const spansOf = (id: string): unknown[] => list.filter((s) => isObject(s) && normalizeTraceId(str(s.traceId)) === id);
  return [...byTrace].map(([id, spans]) => makeTrace(id, spans, byTrace.size === 1 ? doc : spansOf(id), source));
}

/**
 * OTLP-shaped documents (api_v3 `{result}`, Tempo `{batches}` / `{resourceSpans}`, OTLP/JSON): one
 * FakeTrace per trace id; `body` is the document itself when it holds one trace, else that trace's part.
 */
export function indexOtlp(doc: unknown, source: string): FakeTrace[] {
  const root = isObject(doc) && isObject(doc.result) ? doc.result : doc;
  if (!isObject(root)) return [];
  const key = Array.isArray(root.resourceSpans) ? 'resourceSpans' : 'batches';
  const resources = Array.isArray(root[key]) ? (root[key] as unknown[]) : [];
  const byTrace = new Map<string, { spans: FakeSpan[]; resources: Map<unknown, Json> }>();
  for (const rs of resources) {
    if (!isObject(rs)) continue;
    const resourceAttrs = attributeMap(isObject(rs.resource) ? rs.resource.attributes : undefined);
    const service = resourceAttrs.get('service.name') ?? '';
    const scopeKey = Array.isArray(rs.scopeSpans) ? 'scopeSpans' : 'instrumentationLibrarySpans';
    for (const ss of Array.isArray(rs[scopeKey]) ? (rs[scopeKey] as unknown[]) : []) {
      if (!isObject(ss)) continue;
      for (const s of Array.isArray(ss.spans) ? ss.spans : []) {
        if (!isObject(s)) continue;
        const id = normalizeTraceId(str(s.traceId));
        const spanAttrs = attributeMap(s.attributes);
        const start = nanosToMicros(s.startTimeUnixNano);
        const end = nanosToMicros(s.endTimeUnixNano);
        const status = isObject(s.status) ? s.status.code : undefined;
        const entry = byTrace.get(id) ?? { spans: [], resources: new Map<unknown, Json>() };
        entry.spans.push({
          service,
          name: str(s.name),
          startUs: start,
          durationUs: Math.max(0, end - start),
          error: status === 2 || status === 'STATUS_CODE_ERROR',
          kind: str(s.kind),
          attributes: new Map([...resourceAttrs, ...spanAttrs]),
          resourceKeys: [...resourceAttrs.keys()],
          spanKeys: [...spanAttrs.keys()],
          isRoot: !s.parentSpanId,
        });
        entry.resources.set(rs, rs);
        byTrace.set(id, entry);
      }
    }
  }
  return [...byTrace].map(([id, { spans, resources: used }]) =>
    makeTrace(id, spans, byTrace.size === 1 ? doc : { [key]: filterResources([...used.values()], id) }, source),
  );
}

function filterResources(resources: Json[], traceId: string): Json[] {
  return resources.map((rs) => {
    const scopeKey = Array.isArray(rs.scopeSpans) ? 'scopeSpans' : 'instrumentationLibrarySpans';
    const scopes = (rs[scopeKey] as unknown[]).filter(isObject).map((ss) => ({
      ...ss,
      spans: (Array.isArray(ss.spans) ? ss.spans : []).filter((s) => isObject(s) && normalizeTraceId(str(s.traceId)) === traceId),
    }));
    return { ...rs, [scopeKey]: scopes };
  });
}

function attributeMap(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObject(kv) || !isObject(kv.value)) continue;
    const v = kv.value;
    const value = v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue ?? '';
    out.set(str(kv.key), str(value));
  }
  return out;
}

/** Nanosecond decimal string → µs; Go's zero time (beyond 2^63) and garbage → 0. */
function nanosToMicros(raw: unknown): number {
  const s = str(raw);
  if (!/^\d+$/.test(s)) return 0;
  const ns = BigInt(s);
  return ns > 9223372036854775807n ? 0 : Number(ns / 1000n);
}

function makeTrace(traceId: string, spans: FakeSpan[], body: unknown, source: string): FakeTrace {
  const services: string[] = [];
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    if (s.service !== '' && !services.includes(s.service)) services.push(s.service);
    if (s.startUs > 0) {
      start = Math.min(start, s.startUs);
      end = Math.max(end, s.startUs + s.durationUs);
    }
  }
  if (start === Infinity) start = end = 0;
  return { traceId, spans, services, startUs: start, durationUs: end - start, body, source };
}

/** What a search asks for, in µs; each backend's fake fills it from its own parameters. */
export interface FakeCriteria {
  service?: string;
  operation?: string;
  /** all must match on one span */
  attributes?: Record<string, string>;
  /** every listed attribute key must be present on one span (Zipkin `annotationQuery=error`) */
  keys?: string[];
  errorsOnly?: boolean;
  startUs?: number;
  endUs?: number;
  minDurationUs?: number;
  maxDurationUs?: number;
  /** Jaeger and Zipkin filter durations per span, Tempo per trace */
  durationOf: 'span' | 'trace';
  limit?: number;
}

export function search(traces: readonly FakeTrace[], c: FakeCriteria): FakeTrace[] {
  const out: FakeTrace[] = [];
  for (const t of traces) {
    if (c.startUs !== undefined && t.startUs < c.startUs) continue;
    if (c.endUs !== undefined && t.startUs > c.endUs) continue;
    if (c.durationOf === 'trace' && !inRange(t.durationUs, c)) continue;
    const hit = t.spans.some(
      (s) =>
        (c.service === undefined || s.service === c.service) &&
        (c.operation === undefined || s.name === c.operation) &&
        (!c.errorsOnly || s.error) &&
        (c.durationOf === 'trace' || inRange(s.durationUs, c)) &&
        Object.entries(c.attributes ?? {}).every(([k, v]) => s.attributes.get(k) === v) &&
        (c.keys ?? []).every((k) => s.attributes.has(k)),
    );
    if (hit) out.push(t);
    if (c.limit !== undefined && out.length >= c.limit) break;
  }
  return out;
}

function inRange(us: number, c: FakeCriteria): boolean {
  return (c.minDurationUs === undefined || us >= c.minDurationUs) && (c.maxDurationUs === undefined || us <= c.maxDurationUs);
}

/** Go's time.ParseDuration, in µs; undefined where Go would reject the text ("100" has no unit). */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const m = /^([-+]?)((?:\d*\.?\d+(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  const unitUs: Record<string, number> = { ns: 0.001, us: 1, µs: 1, μs: 1, ms: 1000, s: 1e6, m: 60e6, h: 3600e6 };
  let total = 0;
  for (const part of (m[2] ?? '').matchAll(/(\d*\.?\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (unitUs[part[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? (m[1] === '-' ? -total : total) : undefined;
}

/** Go's time.Parse(time.RFC3339Nano, …), in µs. */
export function parseRfc3339(text: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = m[2] ? Number(`0${m[2]}`) * 1e6 : 0;
  return ms * 1000 + Math.floor(fraction);
}
