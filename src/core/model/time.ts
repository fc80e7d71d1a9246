/**
 * Time conversion. Nanosecond timestamps arrive as decimal strings (OTLP/JSON, Tempo, api_v3) that exceed
 * 2^53, so they are never passed through a JS number whole: the string is split at the microsecond digit,
 * which is exact. Values beyond 2^63 - 1 (Go's zero time written as uint64, e.g. "11651379494838206464")
 * and anything that is not a non-negative integer come back as NaN for the caller to warn about, whether
 * they arrive as text or as a JSON number (`1e308`): the same value reads the same either way.
 */

const INT64_MAX = '9223372036854775807';
/** 2^63: the first number of nanoseconds beyond int64, as a double (INT64_MAX itself rounds to it). */
const TWO_POW_63 = 2 ** 63;
const DIGITS = /^\d+$/;

/** A protobufjs Long, or anything with the same two 32-bit halves. */
export interface LongBits {
  low: number;
  high: number;
  unsigned?: boolean;
}

/** Nanoseconds (decimal string, number, bigint or Long) → microseconds, possibly fractional. NaN when invalid. */
export function nanosToMicros(value: string | number | bigint | LongBits | null | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'string') return nanoStringToMicros(value);
  if (typeof value === 'number') return value >= 0 && value < TWO_POW_63 ? value / 1000 : NaN;
  if (typeof value === 'bigint') return value >= 0n && value <= BigInt(INT64_MAX) ? nanoStringToMicros(value.toString()) : NaN;
  return nanoBitsToMicros(value.low, value.high);
}

/**
 * Unsigned 64-bit nanoseconds given as two 32-bit halves → microseconds; NaN beyond 2^63. ns = high·2^32 + low
 * and 2^32 = 4294967·1000 + 296, so µs = high·4294967 + (high·296 + low) / 1000 — exact, never one double of ns.
 */
export function nanoBitsToMicros(low: number, high: number): number {
  const h = high >>> 0;
  if (h >= 0x80000000) return NaN;
  const rest = h * 296 + (low >>> 0);
  return h * 4294967 + Math.floor(rest / 1000) + (rest % 1000) / 1000;
}

function nanoStringToMicros(s: string): number {
  if (!DIGITS.test(s)) return NaN;
  let start = 0;
  while (start < s.length - 1 && s.charCodeAt(start) === 48 /* 0 */) start++;
  const digits = start === 0 ? s : s.slice(start);
  if (digits.length < 16) return Number(digits) / 1000; // < 2^53: exact as a number
  if (digits.length > 19 || (digits.length === 19 && digits > INT64_MAX)) return NaN;
  return Number(digits.slice(0, -3)) + Number(digits.slice(-3)) / 1000;
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Microseconds as a JSON number or a decimal string (Jaeger, Zipkin) → number; 0 when absent; NaN for
 * anything else ("", " ", "0x10", Infinity), so that the reader warns instead of placing a span at the epoch.
 * Negative values pass: a negative duration is the assembler's to report.
 */
export function toMicros(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string') return DECIMAL.test(value) ? Number(value) : NaN;
  return value === undefined || value === null ? 0 : NaN;
}

/** 1990-01-01 and 2200-01-01 in epoch microseconds: start times outside are flagged as implausible. */
export const PLAUSIBLE_START_MIN_US = 631_152_000_000_000;
export const PLAUSIBLE_START_MAX_US = 7_258_118_400_000_000;

export function isPlausibleStart(us: number): boolean {
  return us >= PLAUSIBLE_START_MIN_US && us <= PLAUSIBLE_START_MAX_US;
}
