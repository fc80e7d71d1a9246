/**
 * OTLP trace protobuf (ExportTraceServiceRequest and TracesData share one wire layout) read straight into the
 * model. The receiver's hot path: decoding with protobufjs' generated classes and then walking the decoded
 * messages built every KeyValue, AnyValue and Long as an object only to throw it away, about three times the
 * work of reading the wire format once.
 *
 * It means what `readResourceSpans` over protobufjs-decoded messages means (test/unit/core/formats/
 * otlpProtoSpans.test.ts holds the two equal on valid messages), except where protobufjs' generated code is lax:
 * - a field with an unexpected wire type is skipped like an unknown one, not misread;
 * - an AnyValue with several members set is its last one, as protobuf's oneof rule says (the walker, which also
 *   reads JSON, picks by a fixed order);
 * - field number 0 is an error, not a field to skip.
 * Like protobufjs, it takes fields in any order (a scope after its spans, a span's events before its name) and
 * keeps the last of a repeated singular field, messages included (protobuf would merge those).
 *
 * Message layouts: opentelemetry-proto, opentelemetry/proto/{trace,common,resource}/v1.
 */
import { type TraceAssembler } from '../model/assemble';
import { EMPTY_ATTRIBUTES, EMPTY_LIST, setAttribute } from '../model/attributes';
import { idFromBytes, isNullId } from '../model/ids';
import { nanoBitsToMicros } from '../model/time';
import type { AttributeValue, Attributes, InstrumentationScope, Span, SpanEvent, SpanLink, SpanStatus } from '../model/types';
import {
  hexOf,
  int64FromBits,
  MAX_VALUE_DEPTH,
  readSpanKind,
  readStatusCode,
  spanDuration,
  STATUS_UNSET,
  statusOf,
  TOO_DEEP,
} from './otlpValues';
import { fieldTag, FIXED64, LEN, VARINT, WireReader } from './protoWire';

const FORMAT = 'otlp-proto';

// The fields read here; every other field is skipped.
const REQUEST_RESOURCE_SPANS = fieldTag(1, LEN);
const RESOURCE_SPANS_RESOURCE = fieldTag(1, LEN);
const RESOURCE_SPANS_SCOPE_SPANS = fieldTag(2, LEN);
const RESOURCE_ATTRIBUTES = fieldTag(1, LEN);
const SCOPE_SPANS_SCOPE = fieldTag(1, LEN);
const SCOPE_SPANS_SPANS = fieldTag(2, LEN);
const SCOPE_NAME = fieldTag(1, LEN);
const SCOPE_VERSION = fieldTag(2, LEN);
const SCOPE_ATTRIBUTES = fieldTag(3, LEN);
const SPAN_TRACE_ID = fieldTag(1, LEN);
const SPAN_SPAN_ID = fieldTag(2, LEN);
const SPAN_TRACE_STATE = fieldTag(3, LEN);
const SPAN_PARENT_SPAN_ID = fieldTag(4, LEN);
const SPAN_NAME = fieldTag(5, LEN);
const SPAN_KIND = fieldTag(6, VARINT);
const SPAN_START_TIME = fieldTag(7, FIXED64);
const SPAN_END_TIME = fieldTag(8, FIXED64);
const SPAN_ATTRIBUTES = fieldTag(9, LEN);
const SPAN_EVENTS = fieldTag(11, LEN);
const SPAN_LINKS = fieldTag(13, LEN);
const SPAN_STATUS = fieldTag(15, LEN);
const EVENT_TIME = fieldTag(1, FIXED64);
const EVENT_NAME = fieldTag(2, LEN);
const EVENT_ATTRIBUTES = fieldTag(3, LEN);
const LINK_TRACE_ID = fieldTag(1, LEN);
const LINK_SPAN_ID = fieldTag(2, LEN);
const LINK_ATTRIBUTES = fieldTag(4, LEN);
const STATUS_MESSAGE = fieldTag(2, LEN);
const STATUS_CODE = fieldTag(3, VARINT);
const KEY_VALUE_KEY = fieldTag(1, LEN);
const KEY_VALUE_VALUE = fieldTag(2, LEN);
const ANY_STRING = fieldTag(1, LEN);
const ANY_BOOL = fieldTag(2, VARINT);
const ANY_INT = fieldTag(3, VARINT);
const ANY_DOUBLE = fieldTag(4, FIXED64);
const ANY_ARRAY = fieldTag(5, LEN);
const ANY_KVLIST = fieldTag(6, LEN);
const ANY_BYTES = fieldTag(7, LEN);
const LIST_VALUES = fieldTag(1, LEN);

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

/**
 * Reads every span of a binary ExportTraceServiceRequest / TracesData into `assembler`. `path` names the
 * `resource_spans` list in drop messages, e.g. `$.resourceSpans` → `$.resourceSpans[0].scopeSpans[1].spans[7]`.
 * Throws TraceFormatError, with the byte offset, for bytes that are not a protobuf message.
 */
export function readOtlpProtoSpans(bytes: Uint8Array, assembler: TraceAssembler, path: string): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  new SpanDecoder(buf, assembler, path).request();
}

class SpanDecoder extends WireReader {
  private resource: Attributes = EMPTY_ATTRIBUTES;
  private service = '';
  private scope: InstrumentationScope | undefined;

  /** the last trace id read, and its bytes: consecutive spans mostly share it */
  private readonly lastTraceBytes = new Uint8Array(TRACE_ID_BYTES);
  private lastTraceId = '';

  /** [start, end) offsets of the current span's events and links, read once its id and name are known */
  private readonly eventRanges: number[] = [];
  private readonly linkRanges: number[] = [];

  constructor(
    buf: Buffer,
    private readonly assembler: TraceAssembler,
    private readonly path: string,
  ) {
    super(buf, FORMAT);
  }

  request(): void {
    const end = this.buf.length;
    for (let r = 0; this.pos < end;) {
      const t = this.tag(end);
      if (t === REQUEST_RESOURCE_SPANS) this.resourceSpans(this.lengthEnd(end), r++);
      else this.skip(t, end);
    }
  }

  // ---- messages ----

  private resourceSpans(end: number, r: number): void {
    const start = this.pos;
    let resource = EMPTY_ATTRIBUTES;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === RESOURCE_SPANS_RESOURCE) resource = this.resourceAttributes(this.lengthEnd(end));
      else this.skip(t, end);
    }
    this.resource = resource;
    const service = resource['service.name'];
    this.service = typeof service === 'string' && service !== '' ? service : 'unknown_service';

    this.pos = start;
    for (let s = 0; this.pos < end;) {
      const t = this.tag(end);
      if (t === RESOURCE_SPANS_SCOPE_SPANS) this.scopeSpans(this.lengthEnd(end), r, s++);
      else this.skip(t, end);
    }
  }

  private resourceAttributes(end: number): Attributes {
    let attributes: Attributes | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === RESOURCE_ATTRIBUTES) this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
      else this.skip(t, end);
    }
    return attributes ?? EMPTY_ATTRIBUTES;
  }

  private scopeSpans(end: number, r: number, s: number): void {
    const start = this.pos;
    let scope: InstrumentationScope | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === SCOPE_SPANS_SCOPE) scope = this.instrumentationScope(this.lengthEnd(end));
      else this.skip(t, end);
    }
    this.scope = scope;

    this.pos = start;
    for (let k = 0; this.pos < end;) {
      const t = this.tag(end);
      if (t !== SCOPE_SPANS_SPANS) {
        this.skip(t, end);
        continue;
      }
      const reason = this.span(this.lengthEnd(end));
      if (reason !== undefined) this.assembler.drop(`${this.path}[${r}].scopeSpans[${s}].spans[${k}]`, reason);
      k++;
    }
  }

  private instrumentationScope(end: number): InstrumentationScope | undefined {
    let name = '';
    let version = '';
    let attributes: Attributes | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === SCOPE_NAME) name = this.string(end);
      else if (t === SCOPE_VERSION) version = this.string(end);
      else if (t === SCOPE_ATTRIBUTES) this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
      else this.skip(t, end);
    }
    if (name === '' && version === '' && attributes === undefined) return undefined;
    const scope: InstrumentationScope = { name };
    if (version !== '') scope.version = version;
    if (attributes !== undefined) scope.attributes = attributes;
    return scope;
  }

  /** Adds one span to the assembler; returns why it was dropped instead, if it was. */
  private span(end: number): string | undefined {
    const buf = this.buf;
    let traceStart = 0;
    let traceEnd = 0;
    let spanStart = 0;
    let spanEnd = 0;
    let parentStart = 0;
    let parentEnd = 0;
    let name = '';
    let traceState = '';
    let kind = 0;
    let startUs = 0;
    let endUs = 0;
    let status = STATUS_UNSET;
    let attributes: Attributes | undefined;
    const events = this.eventRanges;
    const links = this.linkRanges;
    events.length = 0;
    links.length = 0;

    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case SPAN_TRACE_ID:
          traceEnd = this.lengthEnd(end);
          traceStart = this.pos;
          this.pos = traceEnd;
          break;
        case SPAN_SPAN_ID:
          spanEnd = this.lengthEnd(end);
          spanStart = this.pos;
          this.pos = spanEnd;
          break;
        case SPAN_PARENT_SPAN_ID:
          parentEnd = this.lengthEnd(end);
          parentStart = this.pos;
          this.pos = parentEnd;
          break;
        case SPAN_NAME:
          name = this.string(end);
          break;
        case SPAN_TRACE_STATE:
          traceState = this.string(end);
          break;
        case SPAN_KIND:
          kind = this.varint(end) | 0;
          break;
        case SPAN_START_TIME:
          startUs = this.fixed64Micros(end);
          break;
        case SPAN_END_TIME:
          endUs = this.fixed64Micros(end);
          break;
        case SPAN_ATTRIBUTES:
          this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
          break;
        case SPAN_EVENTS:
        case SPAN_LINKS: {
          const e = this.lengthEnd(end);
          (t === SPAN_EVENTS ? events : links).push(this.pos, e);
          this.pos = e;
          break;
        }
        case SPAN_STATUS:
          status = this.status(this.lengthEnd(end));
          break;
        default:
          this.skip(t, end);
      }
    }

    let traceId: string;
    if (traceEnd - traceStart === TRACE_ID_BYTES && this.lastTraceId !== '' && this.isLastTrace(traceStart)) {
      traceId = this.lastTraceId;
    } else {
      traceId = this.id(traceStart, traceEnd, TRACE_ID_BYTES);
      if (traceEnd - traceStart === TRACE_ID_BYTES) {
        this.lastTraceBytes.set(buf.subarray(traceStart, traceEnd));
        this.lastTraceId = traceId;
      }
    }
    if (isNullId(traceId)) return 'no trace id';
    const spanId = this.id(spanStart, spanEnd, SPAN_ID_BYTES);
    if (isNullId(spanId)) return 'no span id';
    const parentSpanId = this.id(parentStart, parentEnd, SPAN_ID_BYTES);

    // Same property order as every other reader's spans (optional ones as undefined): one shape for V8.
    const span: Span = {
      traceId,
      spanId,
      parentSpanId: isNullId(parentSpanId) ? undefined : parentSpanId,
      name,
      service: this.service,
      kind: readSpanKind(kind),
      startUs,
      durationUs: spanDuration(startUs, endUs),
      status,
      attributes: attributes ?? EMPTY_ATTRIBUTES,
      resource: this.resource,
      scope: this.scope,
      events: EMPTY_LIST,
      links: EMPTY_LIST,
      traceState: traceState !== '' ? traceState : undefined,
    };
    if (events.length > 0) span.events = this.events(span);
    if (links.length > 0) span.links = this.links(span);
    this.pos = end;
    this.assembler.add(span);
    return undefined;
  }

  private events(span: Span): SpanEvent[] {
    const ranges = this.eventRanges;
    const out: SpanEvent[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const end = ranges[i + 1]!;
      this.pos = ranges[i]!;
      let name = '';
      let timeUs = 0;
      let attributes: Attributes | undefined;
      while (this.pos < end) {
        const t = this.tag(end);
        if (t === EVENT_TIME) timeUs = this.fixed64Micros(end);
        else if (t === EVENT_NAME) name = this.string(end);
        else if (t === EVENT_ATTRIBUTES) this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
        else this.skip(t, end);
      }
      if (!Number.isFinite(timeUs)) {
        this.assembler.warn(
          span.traceId,
          `span ${span.spanId} "${span.name}": event ${i / 2} has an unreadable time; shown at the span start`,
        );
        timeUs = span.startUs;
      }
      out.push({ name, timeUs, attributes: attributes ?? EMPTY_ATTRIBUTES });
    }
    return out;
  }

  private links(span: Span): SpanLink[] {
    const ranges = this.linkRanges;
    const out: SpanLink[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const end = ranges[i + 1]!;
      this.pos = ranges[i]!;
      let traceStart = 0;
      let traceEnd = 0;
      let spanStart = 0;
      let spanEnd = 0;
      let attributes: Attributes | undefined;
      while (this.pos < end) {
        const t = this.tag(end);
        if (t === LINK_TRACE_ID || t === LINK_SPAN_ID) {
          const e = this.lengthEnd(end);
          if (t === LINK_TRACE_ID) {
            traceStart = this.pos;
            traceEnd = e;
          } else {
            spanStart = this.pos;
            spanEnd = e;
          }
          this.pos = e;
        } else if (t === LINK_ATTRIBUTES) this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
        else this.skip(t, end);
      }
      const traceId = this.id(traceStart, traceEnd, TRACE_ID_BYTES);
      const spanId = this.id(spanStart, spanEnd, SPAN_ID_BYTES);
      if (isNullId(traceId) || isNullId(spanId)) {
        this.assembler.warn(span.traceId, `span ${span.spanId} "${span.name}": ignored link ${i / 2}: no trace id or span id`);
        continue;
      }
      out.push({ traceId, spanId, attributes: attributes ?? EMPTY_ATTRIBUTES });
    }
    return out;
  }

  private status(end: number): SpanStatus {
    let code = 0;
    let message = '';
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === STATUS_CODE) code = this.varint(end) | 0;
      else if (t === STATUS_MESSAGE) message = this.string(end);
      else this.skip(t, end);
    }
    return statusOf(readStatusCode(code), message);
  }

  /** One KeyValue into `target`; `depth` counts the arrays and maps it is nested in. */
  private keyValue(end: number, target: Attributes, depth: number): void {
    let key = '';
    let value: AttributeValue = null;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === KEY_VALUE_KEY) key = this.string(end);
      else if (t === KEY_VALUE_VALUE) value = this.anyValue(this.lengthEnd(end), depth);
      else this.skip(t, end);
    }
    setAttribute(target, key, value);
  }

  /** An AnyValue: the last member set wins; none (or one of an unknown kind) is null. */
  private anyValue(end: number, depth: number): AttributeValue {
    let value: AttributeValue = null;
    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case ANY_STRING:
          value = this.string(end);
          break;
        case ANY_INT:
          this.varint64(end);
          value = int64FromBits(this.low, this.high, false);
          break;
        case ANY_DOUBLE:
          value = this.double(end);
          break;
        case ANY_BOOL:
          value = this.varint(end) !== 0;
          break;
        case ANY_ARRAY:
        case ANY_KVLIST: {
          const e = this.lengthEnd(end);
          if (depth >= MAX_VALUE_DEPTH) {
            value = TOO_DEEP;
            this.pos = e;
          } else {
            value = t === ANY_ARRAY ? this.arrayValue(e, depth + 1) : this.keyValueList(e, depth + 1);
          }
          break;
        }
        case ANY_BYTES: {
          const e = this.lengthEnd(end);
          // a copy, so that the model never pins the request buffer
          value = new Uint8Array(this.buf.subarray(this.pos, e));
          this.pos = e;
          break;
        }
        default:
          this.skip(t, end);
      }
    }
    return value;
  }

  private arrayValue(end: number, depth: number): AttributeValue[] {
    const out: AttributeValue[] = [];
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === LIST_VALUES) out.push(this.anyValue(this.lengthEnd(end), depth));
      else this.skip(t, end);
    }
    return out;
  }

  private keyValueList(end: number, depth: number): Attributes {
    let out: Attributes | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === LIST_VALUES) this.keyValue(this.lengthEnd(end), (out ??= {}), depth);
      else this.skip(t, end);
    }
    return out ?? EMPTY_ATTRIBUTES;
  }

  // ---- ids and times ----

  /** An id's bytes as normalised hex ('' when absent): `bytes` long is the usual case, others are padded or kept whole. */
  private id(start: number, end: number, bytes: number): string {
    if (end - start === bytes) return hexOf(this.buf, start, end);
    return idFromBytes(this.buf.subarray(start, end), bytes * 2);
  }

  private isLastTrace(start: number): boolean {
    const buf = this.buf;
    const last = this.lastTraceBytes;
    for (let i = 0; i < TRACE_ID_BYTES; i++) if (buf[start + i] !== last[i]) return false;
    return true;
  }

  /** Unsigned 64-bit nanoseconds, little-endian → microseconds (NaN beyond 2^63). */
  private fixed64Micros(end: number): number {
    this.fixed64(end);
    return this.low === 0 && this.high === 0 ? 0 : nanoBitsToMicros(this.low, this.high);
  }
}
