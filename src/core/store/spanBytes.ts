/**
 * What the store's spans and exception records cost in memory, estimated as they arrive, for its byte budget. The
 * figures approximate V8's object layout on a 64-bit heap with pointer compression (objects, their property
 * slots, strings with their headers) plus the store's own per-span index entries; the bench logs the estimate of a
 * full store beside its measured heap. Strings count one byte per character up to 64 characters and their UTF-8
 * length beyond (V8 keeps non-Latin-1 text at two bytes per character; UTF-8 is within a factor of 1.5 of that).
 */
import type { AttributeValue, Attributes, Span } from '../model/types';
import type { ExceptionRecord } from './exceptionRecord';

/** The span object, its status, its entry in the trace's span list and id set, and its index entries. */
const SPAN_BYTES = 220;
const EVENT_BYTES = 48;
const LINK_BYTES = 48;
/** an attributes object, before its properties */
const OBJECT_BYTES = 24;
/** a property slot, plus the key's share of the object's hidden class */
const PROPERTY_BYTES = 12;
const STRING_HEADER_BYTES = 16;
const NUMBER_BYTES = 12;
const EXCEPTION_BYTES = 120;

/** The span's own cost, without its resource (shared, counted once per trace by `attributesBytes`). */
export function spanBytes(span: Span): number {
  let n = SPAN_BYTES + stringBytes(span.name) + attributesBytes(span.attributes);
  if (span.status.message !== undefined) n += stringBytes(span.status.message);
  for (const event of span.events) n += EVENT_BYTES + stringBytes(event.name) + attributesBytes(event.attributes);
  for (const link of span.links) n += LINK_BYTES + attributesBytes(link.attributes);
  return n;
}

export function exceptionBytes(record: ExceptionRecord): number {
  // type, message and stacktrace are the attributes' own strings, counted there
  return EXCEPTION_BYTES + attributesBytes(record.attributes);
}

export function attributesBytes(attrs: Attributes): number {
  let n = OBJECT_BYTES;
  for (const key in attrs) n += PROPERTY_BYTES + stringBytes(key) + valueBytes(attrs[key]!);
  return n;
}

function valueBytes(value: AttributeValue): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return NUMBER_BYTES;
    case 'boolean':
      return 0;
    default:
      if (value === null) return 0;
      if (value instanceof Uint8Array) return OBJECT_BYTES + 48 + value.byteLength;
      if (Array.isArray(value)) {
        let n = OBJECT_BYTES;
        for (const v of value) n += PROPERTY_BYTES / 2 + valueBytes(v);
        return n;
      }
      return attributesBytes(value);
  }
}

function stringBytes(s: string): number {
  return STRING_HEADER_BYTES + (s.length <= 64 ? s.length : Buffer.byteLength(s, 'utf8'));
}
