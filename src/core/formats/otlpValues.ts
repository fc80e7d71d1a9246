/**
 * Decoded OTLP trace data → the model. One walker reads every encoding of the same messages, so that the
 * readers cannot drift apart:
 * - OTLP/JSON and protojson (Tempo, Jaeger api_v3): ids as hex, UPPER hex or base64 strings, int64 as
 *   decimal strings (or numbers), enums as numbers or names;
 * - protobufjs-decoded messages: ids as bytes, int64 as Long, enums as numbers, unset fields null.
 * Every field is untrusted: a wrong type reads as absent, never as a crash.
 */
import { type TraceAssembler } from '../model/assemble';
import { EMPTY_ATTRIBUTES, EMPTY_LIST, setAttribute } from '../model/attributes';
import { SPAN_ID_HEX_LENGTH, TRACE_ID_HEX_LENGTH, idFromBytes, isNullId, normalizeSpanId, normalizeTraceId } from '../model/ids';
import { type LongBits, nanosToMicros } from '../model/time';
import type {
  AttributeValue,
  Attributes,
  InstrumentationScope,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanStatus,
  StatusCode,
} from '../model/types';

/** AnyValue arrays and maps nested deeper than this (hostile input) become a marker string, not a stack overflow. */
export const MAX_VALUE_DEPTH = 32;
export const TOO_DEEP = `[nested deeper than ${MAX_VALUE_DEPTH} levels]`;

const TWO_POW_32 = 4294967296;

/**
 * The statuses without a message are shared by every span that has them, and frozen so that sharing is
 * safe: replace `span.status`, never edit it in place.
 */
export const STATUS_UNSET: SpanStatus = Object.freeze<SpanStatus>({ code: 'unset' });
const STATUS_OK: SpanStatus = Object.freeze<SpanStatus>({ code: 'ok' });
const STATUS_ERROR: SpanStatus = Object.freeze<SpanStatus>({ code: 'error' });

/** OTLP SpanKind numbers are the indexes. */
const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null;
}

// ---- ids, times, enums ----

/** A trace id as hex/base64 text or raw bytes → normalised id; '' when absent or of another type. */
export function readTraceId(raw: unknown): string {
  if (typeof raw === 'string') return normalizeTraceId(raw);
  if (raw instanceof Uint8Array) return raw.length === 16 ? hexOf(raw, 0, 16) : idFromBytes(raw, TRACE_ID_HEX_LENGTH);
  return '';
}

/** A span id as hex/base64 text or raw bytes → normalised id; '' when absent or of another type. */
export function readSpanId(raw: unknown): string {
  if (typeof raw === 'string') return normalizeSpanId(raw);
  if (raw instanceof Uint8Array) return raw.length === 8 ? hexOf(raw, 0, 8) : idFromBytes(raw, SPAN_ID_HEX_LENGTH);
  return '';
}

/** Char codes of the lowercase hex digits. */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** by byte count: a char-code array of twice that length, refilled for each id of that length */
const hexScratch: number[][] = [];

/**
 * Lowercase hex of `bytes[start, end)` (an id), as one flat string. Ids of the usual lengths are made here
 * rather than by idFromBytes: a protobuf request has two or three per span, and a Buffer round trip per id
 * costs several times as much.
 */
export function hexOf(bytes: Uint8Array, start: number, end: number): string {
  const scratch = (hexScratch[end - start] ??= new Array<number>((end - start) * 2).fill(0));
  for (let i = start, o = 0; i < end; i++, o += 2) {
    scratch[o] = HEX_CODES[bytes[i]! >> 4]!;
    scratch[o + 1] = HEX_CODES[bytes[i]! & 15]!;
  }
  return String.fromCharCode.apply(null, scratch);
}

/** Whether two byte views hold the same bytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Epoch nanoseconds (decimal string, number, bigint or Long) → epoch microseconds; 0 when absent, NaN when unreadable. */
export function readNanos(raw: unknown): number {
  switch (typeof raw) {
    case 'string':
    case 'number':
    case 'bigint':
      return nanosToMicros(raw);
    case 'undefined':
      return 0;
    case 'object':
      if (raw === null) return 0;
      return isLong(raw as Raw) ? nanosToMicros(raw as LongBits) : Number.NaN;
    default:
      return Number.NaN;
  }
}

function isLong(v: Raw): v is Raw & LongBits {
  return typeof v.low === 'number' && typeof v.high === 'number';
}

export function readSpanKind(raw: unknown): SpanKind {
  if (typeof raw === 'number') return KINDS[raw] ?? 'unspecified';
  switch (raw) {
    case 'SPAN_KIND_INTERNAL':
      return 'internal';
    case 'SPAN_KIND_SERVER':
      return 'server';
    case 'SPAN_KIND_CLIENT':
      return 'client';
    case 'SPAN_KIND_PRODUCER':
      return 'producer';
    case 'SPAN_KIND_CONSUMER':
      return 'consumer';
    default:
      return 'unspecified';
  }
}

export function readStatusCode(raw: unknown): StatusCode {
  if (raw === 2 || raw === 'STATUS_CODE_ERROR') return 'error';
  if (raw === 1 || raw === 'STATUS_CODE_OK') return 'ok';
  return 'unset';
}

/** A span's duration from its start and end (µs); a missing end (0) after a real start is unreadable (NaN), not a huge negative duration. */
export function spanDuration(startUs: number, endUs: number): number {
  return endUs === 0 && startUs !== 0 ? Number.NaN : endUs - startUs;
}

/** OTLP Status `{code, message}` (code a number or an enum name) → SpanStatus. */
export function readStatus(raw: unknown): SpanStatus {
  if (!isObject(raw)) return STATUS_UNSET;
  return statusOf(readStatusCode(raw.code), typeof raw.message === 'string' ? raw.message : '');
}

/** A status with its message, or the shared one of its code when the message is empty. */
export function statusOf(code: StatusCode, message: string): SpanStatus {
  if (message !== '') return { code, message };
  return code === 'error' ? STATUS_ERROR : code === 'ok' ? STATUS_OK : STATUS_UNSET;
}

// ---- values ----

/**
 * An OTLP int64 → a number when it is a safe integer (|n| < 2^53), else the exact decimal string.
 * Text that is not an integer at all is kept as written, so nothing is lost.
 */
export function readInt64(raw: unknown): number | string {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const n = Number(raw);
    if (Number.isSafeInteger(n) && raw !== '') return n;
    return isIntegerText(raw) ? BigInt(raw).toString() : raw;
  }
  if (typeof raw === 'bigint') return bigIntValue(raw);
  if (isObject(raw) && isLong(raw)) return int64FromBits(raw.low, raw.high, raw.unsigned === true);
  return String(raw);
}

/** A 64-bit integer given as two 32-bit halves → a number when it is a safe integer, else the exact decimal string. */
export function int64FromBits(low: number, high: number, unsigned: boolean): number | string {
  const n = (unsigned ? high >>> 0 : high | 0) * TWO_POW_32 + (low >>> 0); // exact when it is a safe integer
  if (Number.isSafeInteger(n)) return n;
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return (unsigned ? bits : BigInt.asIntN(64, bits)).toString();
}

function bigIntValue(v: bigint): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v.toString();
}

function isIntegerText(s: string): boolean {
  let i = s.charCodeAt(0) === 45 /* - */ || s.charCodeAt(0) === 43 /* + */ ? 1 : 0;
  if (i === s.length) return false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** An OTLP AnyValue → AttributeValue; an empty value (or one of an unknown kind) is null. */
export function readAnyValue(raw: unknown): AttributeValue {
  return readValue(raw, 0);
}

function readValue(raw: unknown, depth: number): AttributeValue {
  if (!isObject(raw)) return null;
  // Test the common kinds first; protobufjs leaves unset oneof members null on the prototype.
  const s = raw.stringValue;
  if (s != null) return typeof s === 'string' ? s : String(s);
  const i = raw.intValue;
  if (i != null) return readInt64(i);
  const d = raw.doubleValue;
  if (d != null) return typeof d === 'number' ? d : Number(d); // protojson writes "NaN", "Infinity"
  const b = raw.boolValue;
  if (b != null) return b === true || b === 'true';
  if (raw.arrayValue != null || raw.kvlistValue != null) {
    if (depth >= MAX_VALUE_DEPTH) return TOO_DEEP;
    if (raw.arrayValue != null) return readArrayValue(raw.arrayValue, depth + 1);
    return readKeyValues(isObject(raw.kvlistValue) ? raw.kvlistValue.values : undefined, depth + 1);
  }
  const bytes = raw.bytesValue;
  if (bytes != null) return readBytes(bytes);
  return null;
}

function readArrayValue(raw: unknown, depth: number): AttributeValue[] {
  const values = isObject(raw) ? raw.values : undefined;
  if (!Array.isArray(values)) return [];
  const out: AttributeValue[] = new Array<AttributeValue>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = readValue(values[i], depth);
  return out;
}

/**
 * Bytes (base64 text in JSON, a Buffer view into the request in protobuf) → a Uint8Array of its own,
 * so that the model never pins the whole request buffer.
 */
function readBytes(raw: unknown): Uint8Array | null {
  if (raw instanceof Uint8Array) return new Uint8Array(raw);
  if (typeof raw === 'string') return new Uint8Array(Buffer.from(raw, 'base64'));
  return null;
}

/** An OTLP KeyValue list → Attributes; the shared EMPTY_ATTRIBUTES when there are none. */
export function readAttributes(raw: unknown): Attributes {
  return readKeyValues(raw, 0);
}

function readKeyValues(raw: unknown, depth: number): Attributes {
  if (!Array.isArray(raw) || raw.length === 0) return EMPTY_ATTRIBUTES;
  const out: Attributes = {};
  for (let i = 0; i < raw.length; i++) {
    const kv: unknown = raw[i];
    if (!isObject(kv)) continue;
    const key = kv.key;
    setAttribute(out, typeof key === 'string' ? key : String(key ?? ''), readValue(kv.value, depth));
  }
  return out;
}

/** An OTLP InstrumentationScope (or the older InstrumentationLibrary) → scope; undefined when it is empty. */
export function readScope(raw: unknown): InstrumentationScope | undefined {
  if (!isObject(raw)) return undefined;
  const name = typeof raw.name === 'string' ? raw.name : '';
  const version = typeof raw.version === 'string' && raw.version !== '' ? raw.version : undefined;
  const attributes = readAttributes(raw.attributes);
  if (name === '' && version === undefined && attributes === EMPTY_ATTRIBUTES) return undefined;
  const scope: InstrumentationScope = { name };
  if (version !== undefined) scope.version = version;
  if (attributes !== EMPTY_ATTRIBUTES) scope.attributes = attributes;
  return scope;
}

// ---- the walker ----

/** What the spans of one scope share, plus a one-entry trace id cache (consecutive spans mostly share it). */
interface ScopeContext {
  readonly assembler: TraceAssembler;
  resource: Attributes;
  service: string;
  scope: InstrumentationScope | undefined;
  lastRawTraceId: unknown;
  lastTraceId: string;
}

/**
 * Reads spans one at a time into an assembler, each with the resource and scope set last: for readers that find
 * the envelope themselves (`readResourceSpans` below; the receiver's JSON reader, which reads a body in slices).
 */
export class SpanWalker {
  private readonly ctx: ScopeContext;

  constructor(assembler: TraceAssembler) {
    this.ctx = {
      assembler,
      resource: EMPTY_ATTRIBUTES,
      service: '',
      scope: undefined,
      lastRawTraceId: undefined,
      lastTraceId: '',
    };
  }

  /** The Resource (a ResourceSpans' `resource`) of the spans that follow. */
  resource(raw: unknown): void {
    const ctx = this.ctx;
    ctx.resource = isObject(raw) ? readAttributes(raw.attributes) : EMPTY_ATTRIBUTES;
    const service = ctx.resource['service.name'];
    ctx.service = typeof service === 'string' && service !== '' ? service : 'unknown_service';
  }

  /** The InstrumentationScope (or older InstrumentationLibrary) of the spans that follow. */
  scope(raw: unknown): void {
    this.ctx.scope = readScope(raw);
  }

  /** Adds one span; returns why it could not be kept instead, for the caller to `drop` with its path. */
  span(raw: unknown): string | undefined {
    return readSpan(raw, this.ctx);
  }

  /** A span that could not be kept: `where` is its JSON path. */
  drop(where: string, reason: string): void {
    this.ctx.assembler.drop(where, reason);
  }
}

/**
 * Reads `resourceSpans` (OTLP ResourceSpans, or Tempo's older `batches` entries) into `assembler`.
 * `path` names the array for warnings, e.g. `$.resourceSpans` or `line 3: $.batches`; a span that cannot
 * be kept is dropped with its path, e.g. `$.resourceSpans[0].scopeSpans[1].spans[7]`.
 */
export function readResourceSpans(resourceSpans: readonly unknown[], assembler: TraceAssembler, path: string): void {
  const walker = new SpanWalker(assembler);
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    if (!isObject(rs)) {
      assembler.warn(undefined, `ignored ${path}[${r}]: not an object`);
      continue;
    }
    walker.resource(rs.resource);

    // Tempo 1.x and OTLP before 0.15 wrote instrumentationLibrarySpans / instrumentationLibrary.
    const legacy = rs.scopeSpans == null && rs.instrumentationLibrarySpans != null;
    const scopeKey = legacy ? 'instrumentationLibrarySpans' : 'scopeSpans';
    const scopeSpans = legacy ? rs.instrumentationLibrarySpans : rs.scopeSpans;
    if (scopeSpans == null) continue;
    if (!Array.isArray(scopeSpans)) {
      assembler.warn(undefined, `ignored ${path}[${r}].${scopeKey}: not an array`);
      continue;
    }
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss: unknown = scopeSpans[s];
      const spans = isObject(ss) ? ss.spans : undefined;
      if (spans == null) continue;
      if (!Array.isArray(spans)) {
        assembler.warn(undefined, `ignored ${path}[${r}].${scopeKey}[${s}].spans: not an array`);
        continue;
      }
      walker.scope(legacy ? (ss as Raw).instrumentationLibrary : (ss as Raw).scope);
      for (let k = 0; k < spans.length; k++) {
        const reason = walker.span(spans[k]);
        if (reason !== undefined) walker.drop(`${path}[${r}].${scopeKey}[${s}].spans[${k}]`, reason);
      }
    }
  }
}

/** Adds one span to the assembler; returns why it was dropped instead, if it was. */
function readSpan(raw: unknown, ctx: ScopeContext): string | undefined {
  if (!isObject(raw)) return 'not an object';
  // Protobuf ids are a new byte view per span, so bytes are compared, not identities: the spans of a
  // batch then also share one id string.
  const rawTraceId = raw.traceId;
  const last = ctx.lastRawTraceId;
  let traceId: string;
  if (rawTraceId === last || (rawTraceId instanceof Uint8Array && last instanceof Uint8Array && sameBytes(rawTraceId, last))) {
    traceId = ctx.lastTraceId;
  } else {
    traceId = readTraceId(rawTraceId);
    ctx.lastRawTraceId = rawTraceId;
    ctx.lastTraceId = traceId;
  }
  if (isNullId(traceId)) return 'no trace id';
  const spanId = readSpanId(raw.spanId);
  if (isNullId(spanId)) return 'no span id';
  const parentSpanId = readSpanId(raw.parentSpanId);
  const name = typeof raw.name === 'string' ? raw.name : '';

  const startUs = readNanos(raw.startTimeUnixNano);
  const durationUs = spanDuration(startUs, readNanos(raw.endTimeUnixNano));

  const traceState = raw.traceState;
  // Every span gets the same property order (optional ones as undefined) so that V8 keeps one shape.
  const span: Span = {
    traceId,
    spanId,
    parentSpanId: isNullId(parentSpanId) ? undefined : parentSpanId,
    name,
    service: ctx.service,
    kind: readSpanKind(raw.kind),
    startUs,
    durationUs,
    status: readStatus(raw.status),
    attributes: readAttributes(raw.attributes),
    resource: ctx.resource,
    scope: ctx.scope,
    events: EMPTY_LIST,
    links: EMPTY_LIST,
    traceState: typeof traceState === 'string' && traceState !== '' ? traceState : undefined,
  };
  if (Array.isArray(raw.events) && raw.events.length > 0) span.events = readEvents(raw.events, span, ctx.assembler);
  if (Array.isArray(raw.links) && raw.links.length > 0) span.links = readLinks(raw.links, span, ctx.assembler);
  ctx.assembler.add(span);
  return undefined;
}

function readEvents(raw: readonly unknown[], span: Span, assembler: TraceAssembler): SpanEvent[] {
  const out: SpanEvent[] = [];
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i];
    if (!isObject(e)) {
      assembler.warn(span.traceId, `span ${span.spanId} "${span.name}": ignored event ${i}: not an object`);
      continue;
    }
    let timeUs = readNanos(e.timeUnixNano);
    if (!Number.isFinite(timeUs)) {
      assembler.warn(
        span.traceId,
        `span ${span.spanId} "${span.name}": event ${i} has an unreadable time; shown at the span start`,
      );
      timeUs = span.startUs;
    }
    out.push({ name: typeof e.name === 'string' ? e.name : '', timeUs, attributes: readAttributes(e.attributes) });
  }
  return out;
}

function readLinks(raw: readonly unknown[], span: Span, assembler: TraceAssembler): SpanLink[] {
  const out: SpanLink[] = [];
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i];
    const traceId = isObject(l) ? readTraceId(l.traceId) : '';
    const spanId = isObject(l) ? readSpanId(l.spanId) : '';
    if (isNullId(traceId) || isNullId(spanId)) {
      assembler.warn(span.traceId, `span ${span.spanId} "${span.name}": ignored link ${i}: no trace id or span id`);
      continue;
    }
    out.push({ traceId, spanId, attributes: readAttributes((l as Raw).attributes) });
  }
  return out;
}
