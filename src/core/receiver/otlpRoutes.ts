/**
 * The OTLP/HTTP endpoints: `POST /v1/traces` and `POST /v1/logs`, protobuf or JSON, gzip, deflate or none, into
 * the store. Answers follow the OTLP/HTTP specification: 200 with an Export*ServiceResponse (partial_success
 * counting what was rejected), 400 malformed, 413 too large (also once inflated), 415 other content types or
 * encodings, 429 with Retry-After when the process's receive budget is spent; error bodies are google.rpc.Status
 * in the request's encoding.
 *
 * A body is read a slice at a time and its traces added to the store a slice at a time, with the event loop
 * turning between slices: in the extension host, a maximum-size body must not stop every other extension for
 * the seconds it takes. Nothing is stored from a body that turns out malformed.
 */
import type * as http from 'node:http';
import type { ExceptionRecord, TraceStore } from '../store/traceStore';
import type { Trace } from '../model/types';
import { checkContentEncoding, readBody, type BodyLimits } from './bodyReader';
import { logsRequestReader, traceRequestReader, type OtlpEncoding, type RequestReader } from './otlpRequests';
import { CONTENT_TYPES, exportResponse, grpcCodeFor, type Signal, statusBody } from './otlpResponses';
import type { ReceiveBudget } from './receiveBudget';
import { ReceiverHttpError } from './receiverErrors';
import type { ErrorAnswer, ReceiverRoute } from './requestHandler';

/** Bytes of a body read between two turns of the event loop (a few milliseconds of work). */
export const READ_SLICE_BYTES = 256 * 1024;
/** Spans (or exception records) added to the store between two turns of the event loop. */
export const STORE_SLICE_SPANS = 2000;

export interface OtlpRouteOptions {
  store: TraceStore;
  limits: BodyLimits;
  budget: ReceiveBudget;
}

export function otlpRoutes(options: OtlpRouteOptions): ReceiverRoute[] {
  return [new OtlpRoute('/v1/traces', 'traces', options), new OtlpRoute('/v1/logs', 'logs', options)];
}

class OtlpRoute implements ReceiverRoute {
  readonly methods = ['POST'] as const;

  constructor(
    readonly path: string,
    private readonly signal: Signal,
    private readonly options: OtlpRouteOptions,
  ) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse, corsHeaders: Record<string, string>): Promise<void> {
    const mediaType = mediaTypeOf(req);
    const encoding = encodingOf(mediaType);
    if (!encoding) {
      throw new ReceiverHttpError(
        415,
        `Content-Type "${mediaType}" is not supported; send application/x-protobuf or application/json`,
      );
    }
    const contentEncoding = checkContentEncoding(req);
    const lease = this.options.budget.lease();
    try {
      const body = await readBody(req, contentEncoding, this.options.limits, lease);
      const { rejected, message } =
        this.signal === 'traces'
          ? await this.acceptTraces(body, encoding, () => lease.release())
          : await this.acceptLogs(body, encoding, () => lease.release());
      const answer = exportResponse(this.signal, encoding, rejected, message);
      res.writeHead(200, { ...corsHeaders, 'content-type': CONTENT_TYPES[encoding], 'content-length': String(answer.length) });
      res.end(answer);
    } finally {
      lease.release();
    }
  }

  errorAnswer(req: http.IncomingMessage, status: number, message: string): ErrorAnswer {
    const encoding = encodingOf(mediaTypeOf(req)) ?? 'json';
    return { contentType: CONTENT_TYPES[encoding], body: statusBody(encoding, grpcCodeFor(status), message) };
  }

  /** `read`: the body is no longer needed (its share of the budget can go). */
  private async acceptTraces(
    body: Buffer,
    encoding: OtlpEncoding,
    read: () => void,
  ): Promise<{ rejected: number; message: string }> {
    const request = await readInSlices(traceRequestReader(body, encoding));
    read();
    const { store } = this.options;
    store.countRejected(request.rejectedSpans);
    const notKept = await addInSlices(store, request.traces);
    const rejected = request.rejectedSpans + notKept;
    const problems =
      notKept > 0 ? [...request.problems, `${notKept} spans exceed the store's per-trace limits`] : request.problems;
    return { rejected, message: rejected > 0 ? `${rejected} spans rejected: ${problems.join('; ')}` : '' };
  }

  private async acceptLogs(
    body: Buffer,
    encoding: OtlpEncoding,
    read: () => void,
  ): Promise<{ rejected: number; message: string }> {
    const request = await readInSlices(logsRequestReader(body, encoding));
    read();
    await addExceptionsInSlices(this.options.store, request.exceptions);
    const rejected = request.rejectedLogRecords;
    return { rejected, message: rejected > 0 ? `${rejected} log records rejected: ${request.problems.join('; ')}` : '' };
  }
}

function mediaTypeOf(req: http.IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function encodingOf(mediaType: string): OtlpEncoding | undefined {
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  return mediaType === 'application/json' ? 'json' : undefined;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function readInSlices<T>(reader: RequestReader<T>): Promise<T> {
  while (!reader.step(READ_SLICE_BYTES)) await nextTurn();
  return reader.result();
}

/**
 * Adds traces to the store at most STORE_SLICE_SPANS spans at a time (a large trace in several pieces, which the
 * store merges as it merges batches); returns the spans it did not keep.
 */
export async function addInSlices(store: TraceStore, traces: readonly Trace[]): Promise<number> {
  let rejected = 0;
  let slice: Trace[] = [];
  let sliceSpans = 0;
  const flush = (): void => {
    if (slice.length === 0) return;
    rejected += store.add(slice).rejectedSpans;
    slice = [];
    sliceSpans = 0;
  };
  for (const trace of traces) {
    for (let from = 0; from < trace.spans.length;) {
      const take = Math.min(trace.spans.length - from, STORE_SLICE_SPANS - sliceSpans);
      const piece: Trace =
        from === 0 && take === trace.spans.length
          ? trace
          : { ...trace, spans: trace.spans.slice(from, from + take), warnings: from === 0 ? trace.warnings : [] };
      slice.push(piece);
      sliceSpans += take;
      from += take;
      if (sliceSpans >= STORE_SLICE_SPANS) {
        flush();
        await nextTurn();
      }
    }
  }
  flush();
  return rejected;
}

async function addExceptionsInSlices(store: TraceStore, records: readonly ExceptionRecord[]): Promise<void> {
  for (let from = 0; from < records.length; from += STORE_SLICE_SPANS) {
    store.addExceptions(records.slice(from, from + STORE_SLICE_SPANS));
    if (from + STORE_SLICE_SPANS < records.length) await nextTurn();
  }
}
