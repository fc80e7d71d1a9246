/**
 * Reading the protobuf wire format (https://protobuf.dev/programming-guides/encoding/) from a Buffer: tags,
 * varints, fixed-width numbers, length-delimited fields and skipping what a reader does not use. Every read
 * is bounded by the end of the message it is in and fails with a TraceFormatError naming the byte offset.
 * Message readers extend WireReader; see otlpProtoSpans.ts.
 */
import { constants } from 'node:buffer';
import { TraceFormatError } from './errors';
import { cachedUtf8 } from './utf8Cache';

// Wire types.
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
export const FIXED32 = 5;

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** A field's tag: its number and wire type in one varint. */
export function fieldTag(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

export class WireReader {
  /** the next byte to read */
  protected pos = 0;
  /** the halves of the last 64-bit number read by `varint64` or `fixed64` */
  protected low = 0;
  protected high = 0;

  constructor(
    protected readonly buf: Buffer,
    /** the format named in errors, e.g. "otlp-proto" */
    private readonly format: string,
  ) {}

  protected tag(end: number): number {
    const at = this.pos;
    const t = this.varint(end);
    if (t >>> 3 === 0) throw this.error(at, `field number 0 (tag ${t}) is not a protobuf field`);
    return t;
  }

  /** A varint's low 32 bits, unsigned; the bits above are read and dropped, as protobuf does for 32-bit fields. */
  protected varint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < end && buf[pos]! < 0x80) {
      this.pos = pos + 1;
      return buf[pos]!;
    }
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) throw this.error(this.pos, 'a varint runs past the end of its message');
      if (shift > 63) throw this.error(this.pos, 'a varint is longer than 10 bytes');
      const b = buf[pos++]!;
      if (shift < 32) value |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    return value >>> 0;
  }

  /** A 64-bit varint into `low` and `high`. */
  protected varint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let low = 0;
    let high = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) throw this.error(this.pos, 'a varint runs past the end of its message');
      if (shift > 63) throw this.error(this.pos, 'a varint is longer than 10 bytes');
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (shift < 28) low |= bits << shift;
      else if (shift === 28) {
        low |= bits << 28;
        high |= bits >>> 4;
      } else high |= bits << (shift - 32);
      if (b < 0x80) break;
    }
    this.pos = pos;
    this.low = low >>> 0;
    this.high = high >>> 0;
  }

  /** A little-endian 64-bit number into `low` and `high`. */
  protected fixed64(end: number): void {
    this.need(8, end);
    const buf = this.buf;
    const p = this.pos;
    this.low = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
    this.high = (buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16) | (buf[p + 7]! << 24)) >>> 0;
    this.pos = p + 8;
  }

  protected double(end: number): number {
    this.need(8, end);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix; returns where the field ends, leaving `pos` at its first byte. */
  protected lengthEnd(end: number): number {
    const at = this.pos;
    const length = this.varint(end);
    const fieldEnd = this.pos + length;
    if (fieldEnd > end) {
      const left = end - this.pos;
      throw this.error(
        at,
        `a field of ${length} bytes runs past the end of its message (${left} byte${left === 1 ? '' : 's'} left)`,
      );
    }
    return fieldEnd;
  }

  protected string(end: number): string {
    const e = this.lengthEnd(end);
    if (e - this.pos > MAX_STRING_LENGTH) {
      throw this.error(this.pos, `a string of ${e - this.pos} bytes is longer than JavaScript strings can be`);
    }
    const s = cachedUtf8(this.buf, this.pos, e);
    this.pos = e;
    return s;
  }

  protected need(bytes: number, end: number): void {
    if (this.pos + bytes > end) throw this.error(this.pos, `a ${bytes}-byte field runs past the end of its message`);
  }

  /** Skips a field this reader does not use, whatever its wire type; groups are skipped whole. */
  protected skip(t: number, end: number): void {
    let depth = 0;
    for (let wireType = t & 7; ;) {
      switch (wireType) {
        case VARINT:
          this.varint64(end);
          break;
        case FIXED64:
          this.need(8, end);
          this.pos += 8;
          break;
        case LEN:
          this.pos = this.lengthEnd(end);
          break;
        case FIXED32:
          this.need(4, end);
          this.pos += 4;
          break;
        case START_GROUP:
          depth++;
          break;
        case END_GROUP:
          if (depth === 0) throw this.error(this.pos, 'an end-group marker without its start');
          depth--;
          break;
        default:
          throw this.error(this.pos, `invalid wire type ${wireType}`);
      }
      if (depth === 0) return;
      wireType = this.tag(end) & 7;
    }
  }

  protected error(at: number, reason: string): TraceFormatError {
    return new TraceFormatError(this.format, `byte ${at}`, reason);
  }
}
