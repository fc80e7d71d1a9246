/**
 * A protobufjs reader for request bodies that returns one shared string for each short string it has
 * seen recently. OTLP batches repeat the same few hundred attribute keys and values (service names,
 * methods, routes, status codes) in every span: a cache hit skips the native UTF-8 decode and a new
 * string, the store keeps one copy instead of one per span, and a key already used as a property name
 * is found by V8 without being hashed again.
 *
 * The cache is keyed by the bytes themselves and every hit compares them, so a string read through it is
 * always exactly the one `BufferReader` would return.
 */
import { BufferReader } from 'protobufjs/minimal';

/** Strings longer than this, in bytes, are decoded as usual: they rarely repeat and cost more to compare. */
const MAX_INTERNED_BYTES = 32;
/** Direct-mapped cache slots; a power of two. Bounded memory: SLOTS × MAX_INTERNED_BYTES bytes plus the strings. */
const SLOTS = 4096;

const slotBytes = new Uint8Array(SLOTS * MAX_INTERNED_BYTES);
/** byte length of the string in each slot; -1 when empty */
const slotLengths = new Int32Array(SLOTS).fill(-1);
const slotStrings: string[] = new Array<string>(SLOTS).fill('');

/** Buffer's own UTF-8 decoder, which BufferReader uses too; toString adds argument checks per call. */
type Utf8Slicing = Buffer & { utf8Slice(start: number, end: number): string };

export class InterningReader extends BufferReader {
  override string(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = Math.min(start + length, this.len);
    this.pos = end;
    const n = end - start;
    const buf = this.buf as Utf8Slicing;
    if (n === 0) return '';
    if (n > MAX_INTERNED_BYTES) return buf.utf8Slice(start, end);

    let hash = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
    const at = slot * MAX_INTERNED_BYTES;
    if (slotLengths[slot] === n) {
      let i = 0;
      while (i < n && slotBytes[at + i] === buf[start + i]) i++;
      if (i === n) return slotStrings[slot]!;
    }
    const value = buf.utf8Slice(start, end);
    slotBytes.set(buf.subarray(start, end), at);
    slotLengths[slot] = n;
    slotStrings[slot] = value;
    return value;
  }
}
