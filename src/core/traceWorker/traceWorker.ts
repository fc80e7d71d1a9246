/**
 * The trace worker (bundled to dist/traceWorker.js): reads one document off the extension host's thread and
 * encodes each of its traces for the waterfall. It answers one ReadRequest, then its host ends it. Messages
 * are in workerMessages.ts; errors go back as messages, the format errors with what the host needs to
 * rebuild a TraceFormatError.
 */
import { parentPort } from 'node:worker_threads';
import { TraceFormatError } from '../formats/errors';
import { parseTraces } from '../formats/parse';
import type { Trace } from '../model/types';
import { encodeTrace } from '../waterfall/encodeTrace';
import { buffersOf, SpanPacker, SPANS_PER_SLICE, type ReadRequest, type WorkerMessage } from './workerMessages';

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  let slices: Iterator<WorkerMessage> | undefined;
  // The first message is the request; every later one asks for the next slice of spans.
  port.on('message', (request: ReadRequest | 'more') => {
    try {
      if (request !== 'more') slices = read(request, post);
      const next = slices?.next();
      if (next && !next.done) post(next.value);
    } catch (e) {
      post(
        e instanceof TraceFormatError
          ? { type: 'error', message: e.message, formatError: { format: e.format, where: e.where, reason: e.reason } }
          : { type: 'error', message: e instanceof Error ? e.message : String(e) },
      );
    }
  });
  post({ type: 'ready' });
}

/**
 * Reads the document and posts the traces without their spans; returns the messages that carry the spans,
 * to be posted one at a time as the host asks: a backlog of slices would be received in one long block.
 */
function read(request: ReadRequest, post: (message: WorkerMessage, transfer?: ArrayBuffer[]) => void): Iterator<WorkerMessage> {
  const t0 = performance.now();
  const traces = parseTraces(request.bytes, request.format === undefined ? {} : { format: request.format });
  post({ type: 'traces', count: traces.length, parseMs: performance.now() - t0 });
  // The first trace is the one whose waterfall opens: its encoded form goes before any spans, so that it can
  // be drawn while the spans cross. The others are encoded if and when they are opened.
  traces.forEach((trace, index) => {
    const { spans, ...frame } = trace;
    if (index > 0) return post({ type: 'trace', index, frame, spanCount: spans.length });
    const t1 = performance.now();
    const { trace: _trace, ...encoded } = encodeTrace(trace);
    void _trace;
    post({ type: 'trace', index, frame, spanCount: spans.length, encoded, encodeMs: performance.now() - t1 }, buffersOf(encoded));
  });
  return slicesOf(traces);
}

function* slicesOf(traces: readonly Trace[]): Generator<WorkerMessage> {
  for (const [index, trace] of traces.entries()) {
    const packer = new SpanPacker();
    for (let offset = 0; offset < trace.spans.length; offset += SPANS_PER_SLICE) {
      yield { type: 'spans', index, ...packer.pack(trace.spans.slice(offset, offset + SPANS_PER_SLICE)) };
    }
  }
  yield { type: 'done' };
}
