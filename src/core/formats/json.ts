/** The checks every JSON format reader makes of parsed, untrusted values. */
import { normalizeTraceId } from '../model/ids';

export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a value is, for error messages: "null", "an array", "an object with keys a, b", "a string". */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 6).join(', ') || '(none)'}`;
  return `a ${typeof v}`;
}

/**
 * Normalises trace ids as they are read, remembering the last one: spans of one trace repeat the same id
 * string, so most lookups skip the normalisation. Not a string → ''.
 */
export class TraceIdReader {
  private lastRaw: unknown = undefined;
  private last = '';

  read(raw: unknown): string {
    if (raw === this.lastRaw) return this.last;
    this.lastRaw = raw;
    this.last = typeof raw === 'string' ? normalizeTraceId(raw) : '';
    return this.last;
  }
}
