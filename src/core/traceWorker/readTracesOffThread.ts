/**
 * Reads trace documents off the calling thread: a fresh worker (dist/traceWorker.js) parses the bytes and
 * encodes the first trace for the waterfall, and the traces come back in slices small enough that the
 * caller's event loop is never held up for long. The first trace's encoded form is remembered with it
 * (encodedTraces.ts), so that opening its waterfall costs the host nothing more.
 *
 * Small documents are read in the calling thread (IN_THREAD_BYTES). Cancelling (the signal) ends the worker at once. A worker that cannot start (its bundle missing, threads
 * refused) is logged and the document is read in this thread instead, as before there was a worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TraceFormatError } from '../formats/errors';
import { parseTraces, type TraceFormat } from '../formats/parse';
import type { Span, Trace } from '../model/types';
import { rememberEncoding } from '../waterfall/encodedTraces';
import { SpanUnpacker, type EncodedParts, type TraceFrame, type WorkerMessage } from './workerMessages';

/**
 * Documents this small are read in the calling thread: starting a worker takes longer than reading them, and
 * reading them blocks for a few tens of milliseconds at most (about 2,000 spans).
 */
export const IN_THREAD_BYTES = 2 * 1024 * 1024;

export interface OffThreadOptions {
  format?: TraceFormat;
  /** ends the read: the worker is terminated and the promise rejects with an AbortError */
  signal?: AbortSignal;
  /** the worker's bundle; by default traceWorker.js beside the running bundle (dist/) */
  workerFile?: string;
  /** documents of at most this many bytes are read in this thread; by default IN_THREAD_BYTES */
  inThreadBytes?: number;
  /** the first trace's waterfall form has arrived; its spans are still on their way (worker reads only) */
  onEncoded?(frame: TraceFrame, encoded: EncodedParts, traceCount: number): void;
  log?(level: 'info' | 'warn', message: string): void;
}

/** Timings of the last read, for logs and the benchmark. */
export interface OffThreadTimings {
  /** from starting the worker to its being ready for the bytes */
  startMs: number;
  parseMs: number;
  encodeMs: number;
  /** whether the worker did the work (false: the in-thread fallback) */
  worker: boolean;
}

/**
 * The traces in `bytes`, read in a worker. `bytes` is handed to the worker without a copy when it is the whole
 * of its buffer: the caller must not use it afterwards. Rejects with TraceFormatError as parseTraces does.
 */
export async function readTracesOffThread(
  bytes: Uint8Array,
  options: OffThreadOptions = {},
  timings?: (t: OffThreadTimings) => void,
): Promise<Trace[]> {
  options.signal?.throwIfAborted();
  if (bytes.byteLength <= (options.inThreadBytes ?? IN_THREAD_BYTES)) return inThread(bytes, options, timings, undefined);
  const workerFile = options.workerFile ?? path.join(__dirname, 'traceWorker.js');
  let worker: Worker;
  try {
    if (!fs.existsSync(workerFile)) throw new Error(`${workerFile} is missing`);
    worker = new Worker(workerFile);
  } catch (e) {
    return inThread(bytes, options, timings, e);
  }
  return new Promise<Trace[]>((resolve, reject) => {
    let started = false;
    let settled = false;
    const traces: Trace[] = [];
    const unpackers: SpanUnpacker[] = [];
    const spanLists: Span[][] = [];
    const frames: TraceFrame[] = [];
    const encodedParts: EncodedParts[] = [];
    const t: OffThreadTimings = { startMs: 0, parseMs: 0, encodeMs: 0, worker: true };
    const startedAt = performance.now();
    const finish = (error: unknown, result?: Trace[]): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      void worker.terminate();
      if (error !== undefined) reject(error);
      else resolve(result!);
    };
    const abort = (): void => finish(options.signal!.reason ?? new DOMException('The read was cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', abort, { once: true });

    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      switch (message.type) {
        case 'ready': {
          started = true;
          t.startMs = performance.now() - startedAt;
          const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
          const request = { bytes, ...(options.format === undefined ? {} : { format: options.format }) };
          worker.postMessage(request, whole && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : []);
          return;
        }
        case 'traces':
          t.parseMs = message.parseMs;
          for (let i = 0; i < message.count; i++) {
            unpackers.push(new SpanUnpacker());
            spanLists.push([]);
          }
          return;
        case 'trace':
          frames[message.index] = message.frame;
          if (message.encoded !== undefined) {
            t.encodeMs += message.encodeMs ?? 0;
            encodedParts[message.index] = message.encoded;
            options.onEncoded?.(message.frame, message.encoded, spanLists.length);
          }
          return;
        case 'spans':
          unpackers[message.index]!.unpack(message, spanLists[message.index]!);
          // The next slice only after this turn of the event loop: the host's other work comes in between.
          setImmediate(() => {
            if (!settled) worker.postMessage('more');
          });
          return;
        case 'done':
          for (let i = 0; i < spanLists.length; i++) {
            const frame = frames[i];
            if (frame === undefined) return finish(new Error(`the trace worker sent no trace ${i}`));
            traces.push({ ...frame, spans: spanLists[i]! });
            const encoded = encodedParts[i];
            if (encoded !== undefined) rememberEncoding(traces[i]!, encoded);
          }
          timings?.(t);
          return finish(undefined, traces);
        case 'error':
          return finish(
            message.formatError
              ? new TraceFormatError(message.formatError.format, message.formatError.where, message.formatError.reason)
              : new Error(message.message),
          );
      }
    });
    // Before `ready` the bytes are still here: a worker that failed to start leaves the work to this thread.
    const fallBack = (why: unknown): void => {
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      void worker.terminate();
      inThread(bytes, options, timings, why).then(resolve, reject);
    };
    worker.on('error', (e) => {
      if (settled) return;
      if (!started) fallBack(e);
      else finish(new Error(`The trace reader stopped: ${e.message}`));
    });
    worker.on('exit', (code) => {
      if (settled) return;
      if (!started) fallBack(new Error(`it exited with code ${code}`));
      else
        finish(
          new Error(
            `The trace reader stopped (exit code ${code}) before it finished; the file may be too large for the memory available.`,
          ),
        );
    });
  });
}

function inThread(
  bytes: Uint8Array,
  options: OffThreadOptions,
  timings: ((t: OffThreadTimings) => void) | undefined,
  why: unknown,
): Promise<Trace[]> {
  if (why !== undefined)
    options.log?.(
      'warn',
      `trace worker could not start (${why instanceof Error ? why.message : String(why)}); reading in the extension host`,
    );
  const t0 = performance.now();
  const traces = parseTraces(bytes, options.format === undefined ? {} : { format: options.format });
  timings?.({ startMs: 0, parseMs: performance.now() - t0, encodeMs: 0, worker: false });
  return Promise.resolve(traces);
}
