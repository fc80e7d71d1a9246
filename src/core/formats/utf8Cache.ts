/**
 * UTF-8 decoding of short byte ranges through a cache that returns one shared string for the same bytes.
 * OTLP batches repeat the same few hundred attribute keys and values (service names, methods, routes, status
 * codes) in every span: a cache hit skips the native decode and a new string, the store keeps one copy
 * instead of one per span, and a key already used as a property name is found by V8 without hashing it again.
 *
 * The cache is keyed by the bytes themselves and every hit compares them, so the string returned is always
 * exactly what `buf.toString('utf8', start, end)` would give.
 */

/** Ranges longer than this, in bytes, are decoded as usual: they rarely repeat and cost more to compare. */
const MAX_CACHED_BYTES = 32;
/** Direct-mapped slots; a power of two. Bounded memory: SLOTS × MAX_CACHED_BYTES bytes plus the strings. */
const SLOTS = 4096;

const slotBytes = new Uint8Array(SLOTS * MAX_CACHED_BYTES);
/** byte length of the string in each slot; -1 when empty */
const slotLengths = new Int32Array(SLOTS).fill(-1);
const slotStrings: string[] = new Array<string>(SLOTS).fill('');

/** Buffer's own UTF-8 decoder; `toString` adds argument checks to every call. */
type Utf8Slicing = Buffer & { utf8Slice(start: number, end: number): string };

/** The UTF-8 text of `buf[start, end)`, invalid sequences replaced by U+FFFD as Buffer does. */
export function cachedUtf8(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > MAX_CACHED_BYTES) return (buf as Utf8Slicing).utf8Slice(start, end);

  // The slot comes from the length and five sampled bytes, not all of them: hashing is per call, the full
  // comparison only on a likely hit, and strings of one batch differ in length or at the ends often enough.
  const last = end - 1;
  let hash = Math.imul(n, 0x9e3779b1) ^ buf[start]!;
  hash = Math.imul(hash, 0x01000193) ^ buf[last]!;
  hash = Math.imul(hash, 0x01000193) ^ buf[start + (n >> 1)]!;
  hash = Math.imul(hash, 0x01000193) ^ buf[start + (n >> 2)]!;
  hash = Math.imul(hash, 0x01000193) ^ buf[last - (n >> 2)]!;
  const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
  const at = slot * MAX_CACHED_BYTES;
  if (slotLengths[slot] === n) {
    let i = 0;
    while (i < n && slotBytes[at + i] === buf[start + i]) i++;
    if (i === n) return slotStrings[slot]!;
  }
  const value = (buf as Utf8Slicing).utf8Slice(start, end);
  for (let i = 0; i < n; i++) slotBytes[at + i] = buf[start + i]!;
  slotLengths[slot] = n;
  slotStrings[slot] = value;
  return value;
}
