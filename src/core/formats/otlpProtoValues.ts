/**
 * The OTLP common messages read from the wire (opentelemetry/proto/common/v1): KeyValue, AnyValue, ArrayValue,
 * KeyValueList, plus ids and nanosecond times, for the trace and log readers built on it. Values mean what
 * `readAnyValue`/`readAttributes` (otlpValues.ts) make of protobufjs-decoded messages, except that an AnyValue
 * with several members set is its last one, as protobuf's oneof rule says.
 */
import { EMPTY_ATTRIBUTES, setAttribute } from '../model/attributes';
import { idFromBytes } from '../model/ids';
import { nanoBitsToMicros } from '../model/time';
import type { AttributeValue, Attributes } from '../model/types';
import { hexOf, int64FromBits, MAX_VALUE_DEPTH, TOO_DEEP } from './otlpValues';
import { fieldTag, FIXED64, LEN, VARINT, WireReader } from './protoWire';

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
const RESOURCE_ATTRIBUTES = fieldTag(1, LEN);

export const TRACE_ID_BYTES = 16;
export const SPAN_ID_BYTES = 8;

export class OtlpValueReader extends WireReader {
  /** One KeyValue into `target`; `depth` counts the arrays and maps it is nested in. */
  protected keyValue(end: number, target: Attributes, depth: number): void {
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
  protected anyValue(end: number, depth: number): AttributeValue {
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

  /** A Resource message's attributes; the shared EMPTY_ATTRIBUTES when it has none. */
  protected resourceAttributes(end: number): Attributes {
    let attributes: Attributes | undefined;
    while (this.pos < end) {
      const t = this.tag(end);
      if (t === RESOURCE_ATTRIBUTES) this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
      else this.skip(t, end);
    }
    return attributes ?? EMPTY_ATTRIBUTES;
  }

  /** An id's bytes as normalised hex ('' when absent): `bytes` long is the usual case, others are padded or kept whole. */
  protected id(start: number, end: number, bytes: number): string {
    if (end - start === bytes) return hexOf(this.buf, start, end);
    return idFromBytes(this.buf.subarray(start, end), bytes * 2);
  }

  /** Unsigned 64-bit nanoseconds, little-endian → microseconds (NaN beyond 2^63). */
  protected fixed64Micros(end: number): number {
    this.fixed64(end);
    return this.low === 0 && this.high === 0 ? 0 : nanoBitsToMicros(this.low, this.high);
  }
}
