/**
 * Trace and span id normalisation. Backends write the same id as lowercase hex, upper-case hex, hex with
 * its leading zeros dropped, or base64 of the raw bytes; everything is brought to lowercase hex
 * left-padded to 32 (trace) or 16 (span) chars. An id that is none of these (Jaeger UI test data uses
 * "span-A") is kept verbatim, so that parent links written the same way still resolve.
 */

export const TRACE_ID_HEX_LENGTH = 32;
export const SPAN_ID_HEX_LENGTH = 16;

const LOWER_HEX = /^[0-9a-f]+$/;
const ANY_HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const ZEROS = '00000000000000000000000000000000';

/**
 * Hex length → byte count: a base64 id must decode to exactly this many bytes to be taken as base64.
 * Hex wins over base64 when a string is both (a 32-char hex id is also valid base64), as every backend
 * that writes base64 pads it (24 chars for a trace id, 12 for a span id).
 */
function normalizeId(raw: string, hexLength: number): string {
  const len = raw.length;
  if (len === hexLength && LOWER_HEX.test(raw)) return raw;
  if (len === 0) return '';
  if (len <= hexLength && ANY_HEX.test(raw)) {
    const lower = raw.toLowerCase();
    return len === hexLength ? lower : ZEROS.slice(0, hexLength - len) + lower;
  }
  const byteLength = hexLength / 2;
  if ((BASE64.test(raw) || BASE64URL.test(raw)) && base64ByteLength(raw) === byteLength) {
    return Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64').toString('hex');
  }
  return raw;
}

function base64ByteLength(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  return Math.floor((end * 3) / 4);
}

export function normalizeTraceId(raw: string | undefined | null): string {
  return raw ? normalizeId(String(raw), TRACE_ID_HEX_LENGTH) : '';
}

export function normalizeSpanId(raw: string | undefined | null): string {
  return raw ? normalizeId(String(raw), SPAN_ID_HEX_LENGTH) : '';
}

/** Raw id bytes (OTLP protobuf) → lowercase hex left-padded to `hexLength`. */
export function idFromBytes(bytes: Uint8Array | undefined | null, hexLength: number): string {
  if (!bytes || bytes.length === 0) return '';
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return hex.length >= hexLength ? hex : ZEROS.slice(0, hexLength - hex.length) + hex;
}

/** True for an id that says "no id" (empty, or all zeros as some encoders write for a root's parent). */
export function isNullId(id: string | undefined): boolean {
  if (!id) return true;
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 48 /* 0 */) return false;
  return true;
}
