/**
 * OTLP/JSON readers: one document (OTLP TracesData / ExportTraceServiceRequest, Jaeger api_v3
 * `{result}`, Tempo `{batches}` and Tempo v2 by-id `{trace, status, message}`) or JSON Lines of them
 * (the collector's file exporter). The walking is shared with the protobuf reader in otlpValues.ts.
 */
import { TraceAssembler } from '../model/assemble';
import type { Trace } from '../model/types';
import { TraceFormatError } from './errors';
import { readResourceSpans } from './otlpValues';
import { isObject, kindOf } from './json';

const DEFAULT_FORMAT = 'otlp-json';

/** What Trace.partial says when Tempo marks a trace PARTIAL without a message of its own. */
export const TEMPO_PARTIAL_MESSAGE =
  'Tempo returned only part of this trace: it is over the size limit (max_bytes_per_trace), so spans are missing.';

const EXPECTED = 'expected an OTLP object with resourceSpans, batches (Tempo), result (Jaeger api_v3) or trace (Tempo v2)';

/**
 * Reads one already-parsed OTLP/JSON document. `format` names the format in errors and warnings
 * ("jaeger-v3" and "tempo" for those backends' bodies).
 */
export function parseOtlpJsonDocument(doc: unknown, format: string = DEFAULT_FORMAT): Trace[] {
  const assembler = new TraceAssembler(format);
  const partial = readDocument(doc, assembler, format);
  const traces = assembler.finish();
  if (partial !== undefined) for (const trace of traces) trace.partial = partial;
  return traces;
}

/**
 * Reads OTLP/JSON Lines: one ExportTraceServiceRequest (or any document parseOtlpJsonDocument takes)
 * per line. Spans of one trace spread across lines assemble into one Trace. A bad line is skipped with
 * a warning naming it, unless no line is good, which throws naming the first bad line.
 */
export function parseOtlpJsonLines(text: string, format: string = DEFAULT_FORMAT): Trace[] {
  const assembler = new TraceAssembler(format);
  let goodLines = 0;
  let firstBad: TraceFormatError | undefined;
  let partial: string | undefined;
  let lineNumber = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    const where = `line ${lineNumber}`;
    try {
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch (e) {
        throw new TraceFormatError(format, where, `invalid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      partial = readDocument(doc, assembler, format, `${where}: `) ?? partial;
      goodLines++;
    } catch (e) {
      if (!(e instanceof TraceFormatError)) throw e;
      const reason = e.where === where ? e.reason : `${e.where}: ${e.reason}`;
      firstBad ??= new TraceFormatError(format, where, reason);
      assembler.warn(undefined, `skipped ${where}: ${reason}`);
    }
  }
  if (goodLines === 0) throw firstBad ?? new TraceFormatError(format, 'line 1', 'the input is empty');
  const traces = assembler.finish();
  if (partial !== undefined) for (const trace of traces) trace.partial = partial;
  return traces;
}

/**
 * Finds the resourceSpans of any accepted document shape and walks them; returns Tempo's PARTIAL
 * message when there is one. Throws TraceFormatError (with a `$` path) for a document of another shape,
 * before any span was added. `linePrefix` goes before the paths of dropped spans (`line 3: `).
 */
function readDocument(doc: unknown, assembler: TraceAssembler, format: string, linePrefix = ''): string | undefined {
  if (!isObject(doc)) throw new TraceFormatError(format, '$', `${EXPECTED}; got ${kindOf(doc)}`);
  let trace: Record<string, unknown> = doc;
  let path = '$';
  if (doc.resourceSpans === undefined && doc.batches === undefined) {
    if (doc.result !== undefined) {
      // Jaeger api_v3: {result: {resourceSpans}}
      if (!isObject(doc.result))
        throw new TraceFormatError(format, '$.result', `expected {resourceSpans: [...]}; got ${kindOf(doc.result)}`);
      trace = doc.result;
      path = '$.result';
    } else if (doc.trace !== undefined) {
      // Tempo v2 /api/v2/traces/{id}: {trace: {resourceSpans | batches}, status?: "PARTIAL" | "COMPLETE" | 1 | 0, message?}
      if (!isObject(doc.trace))
        throw new TraceFormatError(format, '$.trace', `expected {resourceSpans: [...]}; got ${kindOf(doc.trace)}`);
      trace = doc.trace;
      path = '$.trace';
    } else if (isObject(doc.error) && typeof doc.error.message === 'string') {
      // Jaeger api_v3 answers a failed query with {error: {httpCode, message}}.
      throw new TraceFormatError(format, '$.error', `the backend answered with an error: ${doc.error.message}`);
    } else {
      throw new TraceFormatError(format, '$', `${EXPECTED}; found keys ${describeKeys(doc)}`);
    }
  }
  // Tempo before 2.6 writes `batches`; protojson omits an empty list, so none at all is no spans.
  const key = trace.resourceSpans === undefined && trace.batches !== undefined ? 'batches' : 'resourceSpans';
  const list = trace[key] ?? [];
  if (!Array.isArray(list)) throw new TraceFormatError(format, `${path}.${key}`, `expected an array; got ${kindOf(list)}`);
  readResourceSpans(list, assembler, `${linePrefix}${path}.${key}`);

  if (path !== '$.trace' || (doc.status !== 'PARTIAL' && doc.status !== 1)) return undefined;
  return typeof doc.message === 'string' && doc.message !== '' ? doc.message : TEMPO_PARTIAL_MESSAGE;
}

function describeKeys(o: Record<string, unknown>): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return 'none';
  return keys
    .slice(0, 5)
    .map((k) => JSON.stringify(k))
    .join(', ')
    .concat(keys.length > 5 ? ', …' : '');
}
