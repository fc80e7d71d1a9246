/**
 * The snapshot file's lines (version 2): gzip-compressed JSON Lines, written and read one line at a time, so that
 * no single string holds the whole store. The first line is the header; every other line is one piece of a trace,
 * newest trace first, whole in itself:
 *
 *   {"format":"trace-lens-store","version":2,"savedAtUs":…}
 *   {"t":"<trace id>","w":"<writer>","at":<ms>,"r":[resources],"s":[scopes],"spans":[…],"warnings":[…],"x":[exceptions]}
 *
 * `w` names the window (process) that wrote the line and `at` when the trace was last written to, so that windows
 * sharing a file keep each other's traces (snapshotWriter.ts). Spans name their resource and scope by index in
 * the line's `r` and `s`, which keeps the model's invariant that the spans of one resource share one object. A
 * large trace takes several lines; exception records of a trace ride on its first line, or on a line of their
 * own (no `spans`) when the trace is not held. Bytes and non-finite numbers, which JSON cannot hold, are written
 * as one-key objects tagged with a key that starts with NUL.
 *
 * Reading never throws: a line that does not parse, a span that lacks what every span has, a value of the wrong
 * type are dropped or repaired and counted, and the rest is kept.
 */
import { EMPTY_ATTRIBUTES, EMPTY_LIST, setAttribute } from '../model/attributes';
import type {
  AttributeValue,
  Attributes,
  InstrumentationScope,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanStatus,
} from '../model/types';
import { statusOf } from '../formats/otlpValues';
import type { ExceptionRecord } from './traceStore';

export const SNAPSHOT_FORMAT = 'trace-lens-store';
export const SNAPSHOT_VERSION = 2;

const BYTES_TAG = '\u0000bytes';
const NUMBER_TAG = '\u0000number';
const KINDS: ReadonlySet<string> = new Set<SpanKind>(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);

export function headerLine(savedAtUs: number): string {
  return JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, savedAtUs });
}

/** Why a first line is not this version's header, or undefined when it is. */
export function headerProblem(line: string): string | undefined {
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    return 'not a Trace Lens snapshot';
  }
  if (!isObject(header) || header.format !== SNAPSHOT_FORMAT) return 'not a Trace Lens snapshot';
  if (header.version !== SNAPSHOT_VERSION) {
    return `saved by ${header.version === 1 ? 'an earlier' : 'another'} version of Trace Lens (snapshot version ${String(header.version)}, not ${SNAPSHOT_VERSION})`;
  }
  return undefined;
}

/** What a trace line holds. */
export interface TraceLine {
  traceId: string;
  writer: string;
  /** epoch ms */
  writtenAtMs: number;
  spans: Span[];
  warnings: string[];
  partial?: string;
  exceptions: ExceptionRecord[];
}

/** One line for (a piece of) a trace. */
export function traceLine(line: TraceLine): string {
  const resources = new Interner<Attributes>();
  const scopes = new Interner<InstrumentationScope>();
  const spans = line.spans.map((span) => encodeSpan(span, resources, scopes));
  const out: Record<string, unknown> = { t: line.traceId, w: line.writer, at: line.writtenAtMs };
  if (resources.values.length > 0) out.r = resources.values.map(encodeAttributes);
  if (scopes.values.length > 0) {
    out.s = scopes.values.map((s) => (s.attributes ? { ...s, attributes: encodeAttributes(s.attributes) } : s));
  }
  if (spans.length > 0) out.spans = spans;
  if (line.warnings.length > 0) out.warnings = line.warnings;
  if (line.partial !== undefined) out.partial = line.partial;
  if (line.exceptions.length > 0) out.x = line.exceptions.map((r) => ({ ...r, attributes: encodeAttributes(r.attributes) }));
  return JSON.stringify(out);
}

const PREFIX = /^\{"t":("(?:[^"\\]|\\.)*"),"w":("(?:[^"\\]|\\.)*"),"at":(\d+)[,}]/;

/** The trace id, writer and time of a line, read from its start without parsing the rest; undefined when it has none. */
export function linePrefix(line: string): { traceId: string; writer: string; writtenAtMs: number } | undefined {
  const m = PREFIX.exec(line.slice(0, 512));
  if (!m) return undefined;
  try {
    return { traceId: JSON.parse(m[1]!) as string, writer: JSON.parse(m[2]!) as string, writtenAtMs: Number(m[3]) };
  } catch {
    return undefined;
  }
}

/** Counts of what reading lines dropped. */
export interface Dropped {
  /** lines that are not JSON or not a trace line */
  lines: number;
  /** spans without a span id or a start time */
  spans: number;
  /** exception records without a trace id */
  exceptions: number;
}

/** A trace line read back, or undefined (counted in `dropped.lines`) when it is not one. Never throws. */
export function readTraceLine(text: string, dropped: Dropped): TraceLine | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    dropped.lines++;
    return undefined;
  }
  if (!isObject(doc) || typeof doc.t !== 'string' || doc.t === '') {
    dropped.lines++;
    return undefined;
  }
  const traceId = doc.t;
  const resources = Array.isArray(doc.r) ? doc.r.map((r) => decodeAttributes(asAttributes(r))) : [];
  const scopes = Array.isArray(doc.s) ? doc.s.map(readScope) : [];
  const spans: Span[] = [];
  for (const raw of Array.isArray(doc.spans) ? doc.spans : []) {
    const span = readSpan(raw, traceId, resources, scopes);
    if (span) spans.push(span);
    else dropped.spans++;
  }
  const exceptions: ExceptionRecord[] = [];
  for (const raw of Array.isArray(doc.x) ? doc.x : []) {
    const record = readException(raw);
    if (record) exceptions.push(record);
    else dropped.exceptions++;
  }
  const line: TraceLine = {
    traceId,
    writer: typeof doc.w === 'string' ? doc.w : '',
    writtenAtMs: typeof doc.at === 'number' && Number.isFinite(doc.at) ? doc.at : 0,
    spans,
    warnings: Array.isArray(doc.warnings) ? doc.warnings.filter((w): w is string => typeof w === 'string') : [],
    exceptions,
  };
  if (typeof doc.partial === 'string') line.partial = doc.partial;
  return line;
}

// ---- spans ----

/** A span as written: resource and scope by index into the line's tables. */
type EncodedSpan = Omit<Span, 'resource' | 'scope'> & { resource: number; scope?: number };

function encodeSpan(span: Span, resources: Interner<Attributes>, scopes: Interner<InstrumentationScope>): EncodedSpan {
  const { resource, scope, ...rest } = span;
  const out: EncodedSpan = { ...rest, resource: resources.id(resource), attributes: encodeAttributes(span.attributes) };
  if (!Number.isFinite(out.startUs)) out.startUs = 0;
  if (!Number.isFinite(out.durationUs)) out.durationUs = 0;
  if (span.events.some((e) => hasUntagged(e.attributes))) {
    out.events = span.events.map((e) => ({ ...e, attributes: encodeAttributes(e.attributes) }));
  }
  if (span.links.some((l) => hasUntagged(l.attributes))) {
    out.links = span.links.map((l) => ({ ...l, attributes: encodeAttributes(l.attributes) }));
  }
  if (scope) out.scope = scopes.id(scope);
  return out;
}

/** A span read back, its missing or mistyped parts repaired; undefined without a span id or a start time. */
function readSpan(
  raw: unknown,
  traceId: string,
  resources: Attributes[],
  scopes: (InstrumentationScope | undefined)[],
): Span | undefined {
  if (!isObject(raw) || typeof raw.spanId !== 'string' || raw.spanId === '' || !isFiniteNumber(raw.startUs)) return undefined;
  const span: Span = {
    traceId,
    spanId: raw.spanId,
    parentSpanId: typeof raw.parentSpanId === 'string' && raw.parentSpanId !== '' ? raw.parentSpanId : undefined,
    name: typeof raw.name === 'string' ? raw.name : '',
    service: typeof raw.service === 'string' && raw.service !== '' ? raw.service : 'unknown_service',
    kind: typeof raw.kind === 'string' && KINDS.has(raw.kind) ? (raw.kind as SpanKind) : 'unspecified',
    startUs: raw.startUs,
    durationUs: isFiniteNumber(raw.durationUs) && raw.durationUs >= 0 ? raw.durationUs : 0,
    status: readStatus(raw.status),
    attributes: readAttributes(raw.attributes),
    resource: (typeof raw.resource === 'number' ? resources[raw.resource] : undefined) ?? EMPTY_ATTRIBUTES,
    scope: typeof raw.scope === 'number' ? scopes[raw.scope] : undefined,
    events: readEvents(raw.events),
    links: readLinks(raw.links),
    traceState: typeof raw.traceState === 'string' && raw.traceState !== '' ? raw.traceState : undefined,
  };
  if (raw.shared === true) span.shared = true;
  return span;
}

function readStatus(raw: unknown): SpanStatus {
  if (!isObject(raw)) return statusOf('unset', '');
  return statusOf(
    raw.code === 'ok' || raw.code === 'error' ? raw.code : 'unset',
    typeof raw.message === 'string' ? raw.message : '',
  );
}

function readEvents(raw: unknown): SpanEvent[] {
  if (!Array.isArray(raw) || raw.length === 0) return EMPTY_LIST;
  const out: SpanEvent[] = [];
  for (const e of raw) {
    if (!isObject(e)) continue;
    out.push({
      name: typeof e.name === 'string' ? e.name : '',
      timeUs: isFiniteNumber(e.timeUs) ? e.timeUs : 0,
      attributes: readAttributes(e.attributes),
    });
  }
  return out.length > 0 ? out : EMPTY_LIST;
}

function readLinks(raw: unknown): SpanLink[] {
  if (!Array.isArray(raw) || raw.length === 0) return EMPTY_LIST;
  const out: SpanLink[] = [];
  for (const l of raw) {
    if (!isObject(l) || typeof l.traceId !== 'string' || typeof l.spanId !== 'string') continue;
    out.push({ traceId: l.traceId, spanId: l.spanId, attributes: readAttributes(l.attributes) });
  }
  return out.length > 0 ? out : EMPTY_LIST;
}

function readScope(raw: unknown): InstrumentationScope | undefined {
  if (!isObject(raw)) return undefined;
  const scope: InstrumentationScope = { name: typeof raw.name === 'string' ? raw.name : '' };
  if (typeof raw.version === 'string') scope.version = raw.version;
  if (isObject(raw.attributes)) scope.attributes = decodeAttributes(asAttributes(raw.attributes));
  return scope;
}

function readException(raw: unknown): ExceptionRecord | undefined {
  if (!isObject(raw) || typeof raw.traceId !== 'string' || raw.traceId === '') return undefined;
  const record: ExceptionRecord = {
    traceId: raw.traceId,
    spanId: typeof raw.spanId === 'string' ? raw.spanId : '',
    timeUs: isFiniteNumber(raw.timeUs) ? raw.timeUs : 0,
    service: typeof raw.service === 'string' ? raw.service : 'unknown_service',
    attributes: readAttributes(raw.attributes),
  };
  for (const key of ['type', 'message', 'stacktrace', 'severity'] as const) {
    const value = raw[key];
    if (typeof value === 'string') record[key] = value;
  }
  return record;
}

/** Attributes read back: the shared empty object when there are none, as the parsers make them. */
function readAttributes(raw: unknown): Attributes {
  if (!isObject(raw) || Array.isArray(raw) || isEmptyObject(raw)) return EMPTY_ATTRIBUTES;
  return decodeAttributes(raw as Attributes);
}

function asAttributes(raw: unknown): Attributes {
  return isObject(raw) && !Array.isArray(raw) ? (raw as Attributes) : {};
}

// ---- attribute values JSON cannot hold ----

// Bytes and non-finite numbers are rare, so attributes are checked first and copied only when one is
// there: a replacer or reviver function would cost a call for every value of every span.

/** True when some value (at any depth) is bytes or a non-finite number, which JSON cannot hold. */
function hasUntagged(attrs: Attributes): boolean {
  for (const key in attrs) if (needsTag(attrs[key]!)) return true;
  return false;
}

function needsTag(v: AttributeValue): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  if (v instanceof Uint8Array) return true;
  if (Array.isArray(v)) return v.some(needsTag);
  return hasUntagged(v);
}

function encodeAttributes(attrs: Attributes): Attributes {
  return hasUntagged(attrs) ? mapAttributes(attrs, encodeValue) : attrs;
}

function encodeValue(v: AttributeValue): AttributeValue {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { [NUMBER_TAG]: String(v) };
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(encodeValue);
  return mapAttributes(v, encodeValue);
}

function decodeAttributes(attrs: Attributes): Attributes {
  for (const key in attrs) if (hasTag(attrs[key]!)) return mapAttributes(attrs, decodeValue);
  return attrs;
}

function hasTag(v: AttributeValue): boolean {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return false;
  if (Array.isArray(v)) return v.some(hasTag);
  if (tagOf(v) !== undefined) return true;
  for (const key in v) if (hasTag(v[key]!)) return true;
  return false;
}

function decodeValue(v: AttributeValue): AttributeValue {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const tag = tagOf(v);
  if (tag === BYTES_TAG) return new Uint8Array(Buffer.from(v[BYTES_TAG] as string, 'base64'));
  if (tag === NUMBER_TAG) return Number(v[NUMBER_TAG]);
  return mapAttributes(v, decodeValue);
}

/** The tag of a one-key object written by encodeValue, or undefined. */
function tagOf(v: Attributes): string | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return (key === BYTES_TAG || key === NUMBER_TAG) && typeof v[key] === 'string' ? key : undefined;
}

function mapAttributes(attrs: Attributes, f: (v: AttributeValue) => AttributeValue): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attrs)) setAttribute(out, key, f(attrs[key]!));
  return out;
}

class Interner<T extends object> {
  readonly values: T[] = [];
  private readonly ids = new Map<T, number>();

  id(value: T): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isEmptyObject(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
