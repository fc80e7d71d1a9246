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
 * The envelope (resources and scopes) is walked by OtlpBatchReader, which can also read a request a slice at a
 * time; common values are read by OtlpValueReader. Message layouts: opentelemetry-proto,
 * opentelemetry/proto/{trace,common,resource}/v1.
 */
import { type TraceAssembler } from '../model/assemble';
import { EMPTY_ATTRIBUTES, EMPTY_LIST } from '../model/attributes';
import { isNullId } from '../model/ids';
import type { Attributes, InstrumentationScope, Span, SpanEvent, SpanLink, SpanStatus } from '../model/types';
import { OtlpBatchReader } from './otlpProtoBatch';
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './otlpProtoValues';
import { readSpanKind, readStatusCode, spanDuration, STATUS_UNSET, statusOf } from './otlpValues';
import { fieldTag, FIXED64, LEN, VARINT } from './protoWire';

const FORMAT = 'otlp-proto';

// The fields read here; every other field is skipped.
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

/**
 * Reads every span of a binary ExportTraceServiceRequest / TracesData into `assembler`. `path` names the
 * `resource_spans` list in drop messages, e.g. `$.resourceSpans` → `$.resourceSpans[0].scopeSpans[1].spans[7]`.
 * Throws TraceFormatError, with the byte offset, for bytes that are not a protobuf message.
 */
export function readOtlpProtoSpans(bytes: Uint8Array, assembler: TraceAssembler, path: string): void {
  otlpProtoSpanReader(bytes, assembler, path).readAll();
}

/** The same, read a slice at a time: `step(sliceBytes)` until it returns true (see OtlpBatchReader). */
export function otlpProtoSpanReader(bytes: Uint8Array, assembler: TraceAssembler, path: string): OtlpBatchReader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new SpanDecoder(buf, assembler, path);
}

class SpanDecoder extends OtlpBatchReader {
  private scopeValue: InstrumentationScope | undefined;

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

  protected override item(end: number, r: number, s: number, k: number): void {
    const reason = this.span(end);
    if (reason !== undefined) this.assembler.drop(`${this.path}[${r}].scopeSpans[${s}].spans[${k}]`, reason);
  }

  protected override resetScope(): void {
    this.scopeValue = undefined;
  }

  protected override scope(end: number): void {
    this.scopeValue = this.instrumentationScope(end);
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
      scope: this.scopeValue,
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

  // ---- ids and times ----

  private isLastTrace(start: number): boolean {
    const buf = this.buf;
    const last = this.lastTraceBytes;
    for (let i = 0; i < TRACE_ID_BYTES; i++) if (buf[start + i] !== last[i]) return false;
    return true;
  }
}
