/**
 * Request bodies of the receiver → model: ExportTraceServiceRequest → traces with the count of spans that had to
 * be rejected, and ExportLogsServiceRequest → the exception log records in it. Each is read a slice at a time
 * (`step`) so that a large body does not hold the event loop: protobuf straight from the wire into the model
 * (formats/otlpProtoSpans.ts, otlpProtoLogs.ts), JSON value by value (formats/otlpJsonBatch.ts) through the shared
 * OTLP walker. `readTraceRequest` and `readLogsRequest` read a body in one go.
 */
import { TraceFormatError } from '../formats/errors';
import { OtlpJsonBatchReader, type OtlpJsonKeys } from '../formats/otlpJsonBatch';
import { otlpProtoLogReader, type OtlpLogRecord } from '../formats/otlpProtoLogs';
import { otlpProtoSpanReader } from '../formats/otlpProtoSpans';
import { readAnyValue, readAttributes, readNanos, readSpanId, readTraceId, SpanWalker } from '../formats/otlpValues';
import { TraceAssembler } from '../model/assemble';
import { stringAttribute } from '../model/attributes';
import { isNullId } from '../model/ids';
import type { Trace } from '../model/types';
import type { ExceptionRecord } from '../store/traceStore';

export type OtlpEncoding = 'protobuf' | 'json';

export interface TraceRequest {
  traces: Trace[];
  /** spans that could not be kept (no trace id, no span id, not an object) */
  rejectedSpans: number;
  /** the first reasons, for the partial_success error message */
  problems: string[];
}

export interface LogsRequest {
  exceptions: ExceptionRecord[];
  /** log records that could not be read at all */
  rejectedLogRecords: number;
  problems: string[];
}

/** A body being read: `step(sliceBytes)` reads about that much more (whole items), true once it is all read. */
export interface RequestReader<T> {
  step(sliceBytes: number): boolean;
  /** What was read; call once `step` returned true. */
  result(): T;
}

/** Reasons kept for the response message; the rest are only counted. */
const MAX_PROBLEMS = 5;

const TRACE_KEYS: OtlpJsonKeys = {
  resources: 'resourceSpans',
  scopes: 'scopeSpans',
  legacyScopes: 'instrumentationLibrarySpans',
  scope: 'scope',
  legacyScope: 'instrumentationLibrary',
  items: 'spans',
};

const LOG_KEYS: OtlpJsonKeys = { resources: 'resourceLogs', scopes: 'scopeLogs', scope: 'scope', items: 'logRecords' };

/**
 * Counts what the walker drops, and keeps warnings that concern no trace in particular (a span without a
 * trace id) out of the traces: they belong to this request's response, not to other traces of the batch.
 */
class RequestAssembler extends TraceAssembler {
  rejected = 0;
  readonly problems: string[] = [];

  override drop(where: string, reason: string, traceId?: string): void {
    this.rejected++;
    super.drop(where, reason, traceId);
  }

  override warn(traceId: string | undefined, message: string): void {
    if (traceId) super.warn(traceId, message);
    else if (this.problems.length < MAX_PROBLEMS) this.problems.push(message);
  }
}

/** A trace request being read; `step` throws TraceFormatError for a body that is not an ExportTraceServiceRequest. */
export function traceRequestReader(body: Buffer, encoding: OtlpEncoding): RequestReader<TraceRequest> {
  const assembler = new RequestAssembler(`otlp-${encoding}`);
  let reader: { step(sliceBytes: number): boolean };
  if (encoding === 'protobuf') {
    reader = otlpProtoSpanReader(body, assembler, '$.resourceSpans');
  } else {
    const walker = new SpanWalker(assembler);
    reader = new OtlpJsonBatchReader(body, 'otlp-json', 'an ExportTraceServiceRequest object', TRACE_KEYS, {
      ignore: (where, reason) => assembler.warn(undefined, `ignored ${where}: ${reason}`),
      resource: (raw) => walker.resource(raw),
      scope: (raw) => walker.scope(raw),
      item: (raw, path) => {
        const reason = walker.span(raw);
        if (reason !== undefined) walker.drop(path(), reason);
      },
    });
  }
  return {
    step: (sliceBytes) => reader.step(sliceBytes),
    result: () => {
      let traces: Trace[];
      try {
        traces = assembler.finish();
      } catch (e) {
        // Every span was dropped: the request was readable, so this is a partial success of nothing.
        if (!(e instanceof TraceFormatError) || assembler.rejected === 0) throw e;
        traces = [];
      }
      return { traces, rejectedSpans: assembler.rejected, problems: assembler.problems };
    },
  };
}

/**
 * A logs request being read: the log records that describe an exception (`exception.type`, `exception.message`
 * or `exception.stacktrace`) and name their trace. Other log records are read and let go: the receiver is not a
 * log store. `step` throws TraceFormatError for a body that is not an ExportLogsServiceRequest.
 */
export function logsRequestReader(body: Buffer, encoding: OtlpEncoding): RequestReader<LogsRequest> {
  const out: LogsRequest = { exceptions: [], rejectedLogRecords: 0, problems: [] };
  const take = (record: OtlpLogRecord): void => {
    const exception = exceptionOf(record);
    if (exception) out.exceptions.push(exception);
  };
  const reject = (where: string, reason: string): void => {
    out.rejectedLogRecords++;
    if (out.problems.length < MAX_PROBLEMS) out.problems.push(`${where}: ${reason}`);
  };
  let service = 'unknown_service';
  const reader =
    encoding === 'protobuf'
      ? otlpProtoLogReader(body, take)
      : new OtlpJsonBatchReader(body, 'otlp-json', 'an ExportLogsServiceRequest object', LOG_KEYS, {
          ignore: reject,
          resource: (raw) => {
            const resource = isObject(raw) ? readAttributes(raw.attributes) : undefined;
            service = (resource && stringAttribute(resource, 'service.name')) || 'unknown_service';
          },
          scope: () => undefined,
          item: (record, path) => {
            if (!isObject(record)) return reject(path(), 'not an object');
            take({
              service,
              timeUs: readNanos(record.timeUnixNano),
              observedTimeUs: readNanos(record.observedTimeUnixNano),
              severityText: typeof record.severityText === 'string' ? record.severityText : '',
              body: readAnyValue(record.body),
              attributes: readAttributes(record.attributes),
              traceId: readTraceId(record.traceId),
              spanId: readSpanId(record.spanId),
            });
          },
        });
  return { step: (sliceBytes) => reader.step(sliceBytes), result: () => out };
}

/** Reads a whole trace request in one go. Throws TraceFormatError for a body that is not one. */
export function readTraceRequest(body: Buffer, encoding: OtlpEncoding): TraceRequest {
  return readAll(traceRequestReader(body, encoding));
}

/** Reads a whole logs request in one go. Throws TraceFormatError for a body that is not one. */
export function readLogsRequest(body: Buffer, encoding: OtlpEncoding): LogsRequest {
  return readAll(logsRequestReader(body, encoding));
}

function readAll<T>(reader: RequestReader<T>): T {
  while (!reader.step(Infinity));
  return reader.result();
}

/** The exception a log record describes, when it describes one and names its trace. */
function exceptionOf(record: OtlpLogRecord): ExceptionRecord | undefined {
  const { attributes } = record;
  const type = stringAttribute(attributes, 'exception.type');
  const stacktrace = stringAttribute(attributes, 'exception.stacktrace');
  let message = stringAttribute(attributes, 'exception.message');
  if (type === undefined && message === undefined && stacktrace === undefined) return undefined;
  if (isNullId(record.traceId)) return undefined;
  if (message === undefined && typeof record.body === 'string' && record.body !== '') message = record.body;
  const timeUs = record.timeUs || record.observedTimeUs;
  const out: ExceptionRecord = {
    traceId: record.traceId,
    spanId: isNullId(record.spanId) ? '' : record.spanId,
    timeUs: Number.isFinite(timeUs) ? timeUs : 0,
    service: record.service,
    attributes,
  };
  if (type !== undefined) out.type = type;
  if (message !== undefined) out.message = message;
  if (stacktrace !== undefined) out.stacktrace = stacktrace;
  if (record.severityText !== '') out.severity = record.severityText;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
