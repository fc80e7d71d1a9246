/**
 * The public entry points for trace data of unknown origin: a file the user opened, a backend response,
 * a pasted body. The format is recognised from the document's shape (JSON is parsed once) and the matching
 * reader runs; a caller that knows the format can force it.
 */
import type { Trace, TraceSummary } from '../model/types';
import { summarizeTrace } from '../model/summary';
import { parseJson, TraceFormatError } from './errors';
import { parseJaegerDocument } from './jaeger';
import { parseJaegerV3Summaries } from './jaegerV3Summaries';
import { parseOtlpJsonDocument, parseOtlpJsonLines } from './otlpJson';
import { parseOtlpProto } from './otlpProto';
import { parseTempoSearch } from './tempoSearch';
import { parseZipkinDocument } from './zipkin';
import { isObject, type JsonObject } from './json';

export type TraceFormat =
  | 'jaeger'
  | 'jaeger-v3'
  | 'otlp-json'
  | 'otlp-jsonl'
  | 'otlp-proto'
  | 'tempo'
  | 'zipkin'
  | 'tempo-search'
  | 'jaeger-v3-summaries';

export interface ParseOptions {
  /** Skip detection and read the input as this format; a document of another shape is a TraceFormatError. */
  format?: TraceFormat;
}

const UNKNOWN = 'unknown';

const TRIED = 'Jaeger JSON, Jaeger api_v3, Tempo, OTLP/JSON, OTLP/JSON lines, Zipkin v2, Tempo search and Jaeger trace summaries';

/** The shape each format is recognised by, as said in errors when a forced format does not fit. */
const EXPECTED: Record<TraceFormat, string> = {
  jaeger: 'a Jaeger envelope {data:[...]}, a trace {traceID, spans, processes} or an array of traces',
  'jaeger-v3': 'a Jaeger api_v3 response {result:{resourceSpans:[...]}}',
  'otlp-json': 'an OTLP/JSON document {resourceSpans:[...]}',
  'otlp-jsonl': 'OTLP/JSON documents, one per line',
  'otlp-proto': 'an OTLP protobuf ExportTraceServiceRequest',
  tempo: 'a Tempo trace {batches:[...]}, {resourceSpans:[...]} or {trace:{...}}',
  zipkin: 'a Zipkin v2 span list, a single span {traceId, id} or a list of span lists',
  'tempo-search': 'a Tempo search response {traces:[...]}',
  'jaeger-v3-summaries': 'a Jaeger trace-summaries response {summaries:[...]}',
};

/** Formats read by the same reader: a forced format accepts any shape of its family. */
const FAMILY: Record<TraceFormat, string> = {
  jaeger: 'jaeger',
  'jaeger-v3': 'otlp',
  'otlp-json': 'otlp',
  'otlp-jsonl': 'otlp',
  tempo: 'otlp',
  'otlp-proto': 'otlp-proto',
  zipkin: 'zipkin',
  'tempo-search': 'tempo-search',
  'jaeger-v3-summaries': 'jaeger-v3-summaries',
};

/** An input after the one JSON parse: a document, JSON lines (parsed by their reader), or protobuf bytes. */
type Body = { kind: 'json'; doc: unknown } | { kind: 'jsonl'; text: string } | { kind: 'proto'; bytes: Uint8Array };

/** Which format `input` is in. Throws TraceFormatError when it is none of them (or is not valid JSON). */
export function detectFormat(input: string | Uint8Array): TraceFormat {
  const body = readBody(input, undefined);
  if (body.kind === 'proto') return 'otlp-proto';
  if (body.kind === 'jsonl') return 'otlp-jsonl';
  return detectDocument(body.doc);
}

/** Every trace in `input`. Search results (summary formats) are refused: use parseTraceSummaries. */
export function parseTraces(input: string | Uint8Array, options?: ParseOptions): Trace[] {
  const body = readBody(input, options?.format);
  return readTraces(body, formatOf(body, options?.format));
}

/** Search hits in `input`: Tempo search and Jaeger trace-summaries natively, any full-trace format summarised. */
export function parseTraceSummaries(input: string | Uint8Array, options?: ParseOptions): TraceSummary[] {
  const body = readBody(input, options?.format);
  const format = formatOf(body, options?.format);
  if (body.kind === 'json') {
    if (format === 'tempo-search') return parseTempoSearch(body.doc);
    if (format === 'jaeger-v3-summaries') return parseJaegerV3Summaries(body.doc);
  }
  return readTraces(body, format).map(summarizeTrace);
}

/** The format of an already-parsed JSON document, by its shape. Throws TraceFormatError when none fits. */
export function detectDocument(doc: unknown): TraceFormat {
  if (Array.isArray(doc)) return detectArray(doc);
  if (!isObject(doc)) throw unknownDocument('$', describe(doc));

  if ('data' in doc) return detectJaegerEnvelope(doc);
  if (isJaegerTrace(doc)) return 'jaeger';
  if (doc.result !== undefined) {
    if (isObject(doc.result) && 'resourceSpans' in doc.result) return 'jaeger-v3';
    throw unknownDocument('$.result', describe(doc.result));
  }
  if ('batches' in doc || isObject(doc.trace)) return 'tempo';
  if ('resourceSpans' in doc) return 'otlp-json';
  if (isZipkinSpan(doc)) return 'zipkin';
  if (Array.isArray(doc.traces)) return 'tempo-search';
  if (Array.isArray(doc.summaries)) return 'jaeger-v3-summaries';

  if (isObject(doc.error)) {
    const message = typeof doc.error.message === 'string' ? doc.error.message : JSON.stringify(doc.error);
    throw new TraceFormatError(UNKNOWN, '$.error', `the backend answered with an error, not traces: ${message}`);
  }
  if (Array.isArray(doc.services)) {
    throw new TraceFormatError(UNKNOWN, '$.services', 'this is a list of service names (e.g. GET /api/v3/services), not traces');
  }
  if (Array.isArray(doc.operations)) {
    throw new TraceFormatError(UNKNOWN, '$.operations', 'this is a list of operations (e.g. GET /api/v3/operations), not traces');
  }
  throw unknownDocument('$', describe(doc));
}

function detectArray(doc: unknown[]): TraceFormat {
  if (doc.length === 0) return 'zipkin'; // what GET /api/v2/traces answers when nothing matched
  // The first object decides, so that one broken entry ahead of it is reported by the reader, not here.
  const i = doc.findIndex((e) => typeof e === 'object' && e !== null);
  if (i < 0) {
    const what = typeof doc[0] === 'string' ? ' (a list of names, such as Zipkin /api/v2/services, holds no traces)' : '';
    throw unknownDocument('$[0]', `${describe(doc)}${what}`);
  }
  const first = doc[i];
  if (Array.isArray(first)) {
    const span = first.find((e) => typeof e === 'object' && e !== null);
    if (span === undefined || isZipkinSpan(span)) return 'zipkin';
    throw unknownDocument(`$[${i}]`, `a list of lists holding ${describe(span)}`);
  }
  if (isJaegerTrace(first)) return 'jaeger';
  if (isZipkinSpan(first)) return 'zipkin';
  throw unknownDocument(`$[${i}]`, `an array whose entry ${i} is ${describe(first)}`);
}

/** Jaeger v1 answers everything with {data:...}: traces, but also service and operation names. */
function detectJaegerEnvelope(doc: JsonObject): TraceFormat {
  const data = doc.data;
  if (data === null || data === undefined) {
    if ('errors' in doc || 'total' in doc) return 'jaeger';
    throw unknownDocument('$.data', 'null');
  }
  if (!Array.isArray(data)) throw unknownDocument('$.data', describe(data));
  const first = data[0];
  if (first === undefined || isJaegerTrace(first)) return 'jaeger';
  if (typeof first === 'string') {
    throw new TraceFormatError(
      UNKNOWN,
      '$.data[0]',
      'this is a list of names (Jaeger /api/services or /api/services/{service}/operations), not traces',
    );
  }
  if (isObject(first) && 'name' in first && !('spans' in first)) {
    throw new TraceFormatError(UNKNOWN, '$.data[0]', 'this is a list of operations (Jaeger /api/operations), not traces');
  }
  // A Jaeger envelope with broken traces: the reader says which.
  if (isObject(first) && ('spans' in first || 'traceID' in first)) return 'jaeger';
  throw unknownDocument('$.data[0]', describe(first));
}

function formatOf(body: Body, forced: TraceFormat | undefined): TraceFormat {
  if (body.kind === 'proto') return 'otlp-proto';
  if (body.kind === 'jsonl') return forced !== undefined && FAMILY[forced] === 'otlp' ? forced : 'otlp-jsonl';
  if (forced === undefined) return detectDocument(body.doc);
  let detected: TraceFormat | undefined;
  try {
    detected = detectDocument(body.doc);
  } catch (e) {
    if (!(e instanceof TraceFormatError)) throw e;
    // Not recognisable as anything: let the forced reader say where it fails.
  }
  if (detected !== undefined && FAMILY[detected] !== FAMILY[forced]) {
    throw new TraceFormatError(
      forced,
      '$',
      `expected ${EXPECTED[forced]}; saw ${describe(body.doc)}, which looks like ${detected}`,
    );
  }
  return forced;
}

function readTraces(body: Body, format: TraceFormat): Trace[] {
  if (body.kind === 'proto') return parseOtlpProto(body.bytes);
  if (body.kind === 'jsonl') return parseOtlpJsonLines(body.text, format);
  switch (format) {
    case 'jaeger':
      return parseJaegerDocument(body.doc);
    case 'zipkin':
      return parseZipkinDocument(body.doc);
    case 'jaeger-v3':
    case 'tempo':
    case 'otlp-json':
    case 'otlp-jsonl':
      return parseOtlpJsonDocument(body.doc, format);
    case 'otlp-proto':
      throw new TraceFormatError(format, 'byte 0', 'the input is JSON text, not protobuf');
    case 'tempo-search':
    case 'jaeger-v3-summaries':
      throw new TraceFormatError(
        format,
        '$',
        'the document holds search results (trace summaries), not traces; read it with parseTraceSummaries, then fetch each trace by id',
      );
  }
}

const UTF8 = new TextDecoder('utf-8');

/**
 * Bytes whose first non-whitespace byte cannot start JSON text are protobuf. JSON is parsed here, once;
 * a parse error after a complete first line means JSON Lines, which their reader parses line by line.
 */
function readBody(input: string | Uint8Array, forced: TraceFormat | undefined): Body {
  if (forced !== undefined && !Object.prototype.hasOwnProperty.call(FAMILY, forced)) {
    throw new TraceFormatError(String(forced), '$', `not a format this reads; use one of ${Object.keys(FAMILY).join(', ')}`);
  }
  let text: string;
  if (typeof input === 'string') {
    if (forced === 'otlp-proto') {
      throw new TraceFormatError(forced, 'byte 0', 'protobuf must be given as bytes (a Uint8Array), not a string');
    }
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    const first = firstJsonByte(input);
    if (forced === 'otlp-proto' || (forced === undefined && first !== 0x7b && first !== 0x5b)) {
      // text (a README, a log, YAML) is said to be no trace before the protobuf reader finds it malformed
      if (forced === undefined && first !== -1 && readsAsText(input)) throw notATraceFile(UTF8.decode(input.subarray(0, 200)));
      return { kind: 'proto', bytes: input };
    }
    text = UTF8.decode(input); // drops a UTF-8 byte-order mark
  }
  if (forced === 'otlp-jsonl') return { kind: 'jsonl', text };
  const format = forced ?? 'json';
  try {
    return { kind: 'json', doc: parseJson(text, format) };
  } catch (e) {
    if (e instanceof TraceFormatError && isJsonLines(text)) return { kind: 'jsonl', text };
    throw e;
  }
}

/** The first byte that is not JSON whitespace nor part of a UTF-8 byte-order mark; -1 when there is none. */
function firstJsonByte(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  }
  return -1;
}

/** Bytes looked at to tell text from protobuf. */
const TEXT_PROBE = 1024;

/**
 * Whether the bytes read as text: valid UTF-8 without control characters other than tabs and line breaks, over
 * the first kilobyte. An OTLP protobuf message cannot: its field tags and lengths are small bytes from the start
 * (a resource's attributes begin within its first few bytes).
 */
function readsAsText(bytes: Uint8Array): boolean {
  const probe = bytes.subarray(0, TEXT_PROBE);
  for (const b of probe) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The error for text that is neither JSON nor protobuf, quoting how it starts. */
function notATraceFile(text: string): TraceFormatError {
  const start = text.trim().split(/\r?\n/, 1)[0] ?? '';
  const quoted = start.length > 60 ? `${start.slice(0, 59)}…` : start;
  return new TraceFormatError(
    UNKNOWN,
    'byte 0',
    `not a trace file (JSON or OTLP protobuf expected); this is text that starts "${quoted}"`,
  );
}

/** Several documents one per line: the first non-blank line is an OTLP object of its own, and more follow. */
function isJsonLines(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') {
      if (end >= text.length) return false;
      try {
        const doc: unknown = JSON.parse(line);
        return isObject(doc) && ('resourceSpans' in doc || 'batches' in doc || 'result' in doc || 'trace' in doc);
      } catch {
        return false;
      }
    }
    start = end + 1;
  }
  return false;
}

function isJaegerTrace(v: unknown): boolean {
  return isObject(v) && Array.isArray(v.spans) && ('processes' in v || 'traceID' in v);
}

function isZipkinSpan(v: unknown): boolean {
  return isObject(v) && 'traceId' in v && 'id' in v;
}

function unknownDocument(where: string, saw: string): TraceFormatError {
  return new TraceFormatError(UNKNOWN, where, `found ${saw}, which is none of ${TRIED}`);
}

/** A short description of a JSON value for error messages, e.g. "an object with keys services". */
function describe(v: unknown, depth = 0): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty array';
    return depth < 3 ? `an array whose first entry is ${describe(v[0], depth + 1)}` : 'nested arrays';
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 8).join(', ');
    return `an object with keys ${keys.length > 8 ? `${shown}, …` : shown}`;
  }
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `a ${typeof v} ${String(v)}`;
}
