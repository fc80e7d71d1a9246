/**
 * Writing a store's snapshot (snapshotFormat.ts), streaming: one line per piece of a trace through gzip into a
 * temporary file, renamed over the snapshot when complete, so that neither memory nor the event loop ever holds
 * the whole store at once. Newest traces first: when the file would pass its size cap, the remaining (oldest)
 * traces are left out, and counted, before a byte past the cap is written.
 *
 * Several windows may save the same snapshot (one workspace open twice): under a lock (snapshotLock.ts) each
 * writer merges in the lines of the others, by the time their traces were last written to, rather than dropping
 * them. It leaves out only the lines it wrote itself for traces it no longer holds, and lines for traces it holds
 * or has loaded (its own copy, or its decision to drop them, wins).
 */
import { once } from 'node:events';
import { createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Span, Trace } from '../model/types';
import { headerLine, linePrefix, traceLine } from './snapshotFormat';
import { withSnapshotLock } from './snapshotLock';
import { readSnapshotLines } from './snapshotReader';
import type { ExceptionRecord, TraceStore } from './traceStore';

/** zlib level: 3 compresses 100,000 spans about twice as fast as the default 6, for ~15% more bytes. */
const GZIP_LEVEL = 3;
/** A trace is written in pieces of at most this many spans, or about this many bytes of JSON. */
const LINE_SPANS = 2000;
const LINE_BYTES = 1024 * 1024;
/** Spans encoded between two turns of the event loop (a few milliseconds of work). */
const SPANS_PER_SLICE = 2000;
/** How long a save waits for another window's save of the same file, in ms. */
const LOCK_WAIT_MS = 30_000;
/** gzip's trailer and the empty last block that ends the stream, in bytes, with room to spare. */
const END_BYTES = 64;

export interface SaveOptions {
  /** the largest file written, in bytes */
  maxBytes: number;
  /** this window's name in the file's lines */
  writer: string;
  /** trace ids this window loaded from the file: the others' lines for them are not carried over */
  loaded: ReadonlySet<string>;
}

export interface SaveResult {
  traces: number;
  /** traces left out to stay under maxBytes, oldest first */
  omittedTraces: number;
  /** traces of other windows carried over from the file */
  mergedTraces: number;
  bytes: number;
}

/** A trace line to write: this window's, or another window's carried over as it was. */
interface Pending {
  traceId: string;
  writtenAtMs: number;
  /** the line's text, for another window's line */
  text?: string;
}

/**
 * Writes `store` to `file` (atomically: a temporary file renamed over it), merging the lines of other windows
 * already there. Rejects when the file cannot be written (disk full, no permission) or stays locked.
 */
export async function writeSnapshot(store: TraceStore, file: string, options: SaveOptions): Promise<SaveResult> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  return withSnapshotLock(file, LOCK_WAIT_MS, async () => {
    const others = await othersLines(store, file, options);
    return writeFile(store, file, options, others);
  });
}

/** The other windows' lines in `file` to carry over, newest first. */
async function othersLines(store: TraceStore, file: string, options: SaveOptions): Promise<Pending[]> {
  const out: Pending[] = [];
  let bytes = 0;
  await readSnapshotLines(file, { maxFileBytes: Infinity, maxInflatedBytes: Infinity }, (text) => {
    const prefix = linePrefix(text);
    if (!prefix || prefix.writer === options.writer) return;
    if (store.has(prefix.traceId) || options.loaded.has(prefix.traceId)) return;
    out.push({ traceId: prefix.traceId, writtenAtMs: prefix.writtenAtMs, text });
    bytes += text.length;
    // Beyond what the file may hold compressed several times over, older lines cannot make it in.
    return bytes < options.maxBytes * 64;
  });
  return out;
}

async function writeFile(store: TraceStore, file: string, options: SaveOptions, others: readonly Pending[]): Promise<SaveResult> {
  // This window's traces newest first, by when they were last written to; stored spans are never changed in
  // place, so the list stays good while the event loop runs between slices.
  const mine: Pending[] = [];
  const ids = [...store.traceIds()];
  for (let i = ids.length - 1; i >= 0; i--) mine.push({ traceId: ids[i]!, writtenAtMs: store.writtenAtMs(ids[i]!) ?? 0 });
  const exceptions = groupByTrace(store.allExceptions());
  // Exception records of traces not held get lines of their own, after the traces.
  const orphans = [...exceptions.keys()].filter((id) => !store.has(id));

  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const output = createWriteStream(temporary);
  const gzip = zlib.createGzip({ level: GZIP_LEVEL });
  let compressed = 0;
  gzip.on('data', (chunk: Buffer) => {
    compressed += chunk.length;
  });
  gzip.pipe(output);
  const failed = Promise.race([once(output, 'error'), once(gzip, 'error')]).then(([e]) => {
    throw e as Error;
  });
  failed.catch(() => undefined);

  /** raw bytes written since gzip last said what they compress to */
  let unflushed = 0;
  let full = false;
  /** Whether `bytes` more raw bytes surely fit under the cap; flushes gzip to know when it is close. */
  const fits = async (bytes: number): Promise<boolean> => {
    // At worst bytes do not compress at all (stored blocks: 5 bytes per 16 KiB).
    const worst = (n: number): number => n + Math.ceil(n / 16384) * 5 + 5;
    if (compressed + worst(unflushed) + worst(bytes) + END_BYTES <= options.maxBytes) return true;
    await flush(gzip);
    unflushed = 0;
    return compressed + worst(bytes) + END_BYTES <= options.maxBytes;
  };
  const put = async (text: string): Promise<void> => {
    const line = `${text}\n`;
    unflushed += Buffer.byteLength(line);
    if (!gzip.write(line)) await Promise.race([once(gzip, 'drain'), failed]);
  };
  /** Writes the lines when they all fit; false (nothing written) when they do not. */
  const write = async (lines: readonly string[]): Promise<boolean> => {
    let bytes = 0;
    for (const text of lines) bytes += Buffer.byteLength(text) + 1;
    if (!(await fits(bytes))) return false;
    for (const text of lines) await put(text);
    return true;
  };

  let written = 0;
  let merged = 0;
  let omitted = 0;
  try {
    await write([headerLine(Date.now() * 1000)]);
    let sliceSpans = 0;
    let m = 0;
    let o = 0;
    while (m < mine.length || o < others.length) {
      const takeMine = o >= others.length || (m < mine.length && mine[m]!.writtenAtMs >= others[o]!.writtenAtMs);
      const next = takeMine ? mine[m++]! : others[o++]!;
      if (full) {
        omitted++;
        continue;
      }
      if (next.text !== undefined) {
        if (await write([next.text])) merged++;
        else {
          full = true;
          omitted++;
        }
        continue;
      }
      const trace = store.get(next.traceId);
      if (!trace) continue;
      const lines = traceLines(trace, next.writtenAtMs, options.writer, exceptions.get(trace.traceId) ?? []);
      // a trace is kept whole or not at all
      if (!(await write(lines))) {
        full = true;
        omitted++;
        continue;
      }
      written++;
      sliceSpans += trace.spans.length;
      if (sliceSpans >= SPANS_PER_SLICE) {
        sliceSpans = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    for (const traceId of orphans) {
      if (full) break;
      const text = traceLine({
        traceId,
        writer: options.writer,
        writtenAtMs: Date.now(),
        spans: [],
        warnings: [],
        exceptions: exceptions.get(traceId)!,
      });
      if (!(await write([text]))) full = true;
    }
    gzip.end();
    await Promise.race([once(output, 'close'), failed]);
    await fs.rename(temporary, file);
  } catch (e) {
    gzip.destroy();
    output.destroy();
    await fs.rm(temporary, { force: true });
    throw e;
  }
  return { traces: written + merged, omittedTraces: omitted, mergedTraces: merged, bytes: compressed };
}

/** The lines of one trace: pieces of at most LINE_SPANS spans or about LINE_BYTES; the first carries warnings and exceptions. */
function traceLines(trace: Trace, writtenAtMs: number, writer: string, exceptions: ExceptionRecord[]): string[] {
  const lines: string[] = [];
  let from = 0;
  do {
    let to = Math.min(trace.spans.length, from + LINE_SPANS);
    let spans: Span[] = trace.spans.slice(from, to);
    const first = from === 0;
    let text = line(trace, spans, writtenAtMs, writer, first ? exceptions : []);
    while (text.length > LINE_BYTES && spans.length > 1) {
      to = from + Math.ceil(spans.length / 2);
      spans = trace.spans.slice(from, to);
      text = line(trace, spans, writtenAtMs, writer, first ? exceptions : []);
    }
    lines.push(text);
    from = to;
  } while (from < trace.spans.length);
  return lines;
}

function line(trace: Trace, spans: Span[], writtenAtMs: number, writer: string, exceptions: ExceptionRecord[]): string {
  const first = spans[0] === trace.spans[0];
  return traceLine({
    traceId: trace.traceId,
    writer,
    writtenAtMs,
    spans,
    warnings: first ? trace.warnings : [],
    ...(first && trace.partial !== undefined ? { partial: trace.partial } : {}),
    exceptions,
  });
}

function flush(gzip: zlib.Gzip): Promise<void> {
  return new Promise((resolve) => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
}

function groupByTrace(records: Iterable<ExceptionRecord>): Map<string, ExceptionRecord[]> {
  const out = new Map<string, ExceptionRecord[]>();
  for (const record of records) {
    let list = out.get(record.traceId);
    if (!list) out.set(record.traceId, (list = []));
    list.push(record);
  }
  return out;
}
