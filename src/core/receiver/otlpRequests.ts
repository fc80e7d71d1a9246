/**
 * Request bodies of the receiver → model: ExportTraceServiceRequest → traces with the count of spans
 * that had to be rejected, and ExportLogsServiceRequest → the exception log records in it. The readers are
 * the file readers' (src/core/formats): protobuf requests go straight from the wire into the model, JSON ones
 * through the shared OTLP walkers.
 */
import { parseJson, TraceFormatError } from '../formats/errors';
import { otlpProtoLogReader, type OtlpLogRecord } from '../formats/otlpProtoLogs';
import { readOtlpProtoSpans } from '../formats/otlpProtoSpans';
import { readAnyValue, readAttributes, readNanos, readResourceSpans, readSpanId, readTraceId } from '../formats/otlpValues';
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

/** Reasons kept for the response message; the rest are only counted. */
const MAX_PROBLEMS = 5;

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

/** Throws TraceFormatError for a body that is not an ExportTraceServiceRequest at all. */
export function readTraceRequest(body: Buffer, encoding: OtlpEncoding): TraceRequest {
  const assembler = new RequestAssembler(`otlp-${encoding}`);
  if (encoding === 'protobuf') {
    readOtlpProtoSpans(body, assembler, '$.resourceSpans');
  } else {
    const doc = parseJson(body.toString('utf8'), 'otlp-json');
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new TraceFormatError('otlp-json', '$', 'expected an ExportTraceServiceRequest object');
    }
    const resourceSpans = (doc as Record<string, unknown>).resourceSpans;
    if (resourceSpans == null) return { traces: [], rejectedSpans: 0, problems: [] };
    if (!Array.isArray(resourceSpans)) throw new TraceFormatError('otlp-json', '$.resourceSpans', 'expected an array');
    readResourceSpans(resourceSpans, assembler, '$.resourceSpans');
  }
  let traces: Trace[];
  try {
    traces = assembler.finish();
  } catch (e) {
    // Every span was dropped: the request was readable, so this is a partial success of nothing.
    if (!(e instanceof TraceFormatError) || assembler.rejected === 0) throw e;
    traces = [];
  }
  return { traces, rejectedSpans: assembler.rejected, problems: assembler.problems };
}

/**
 * The log records of an ExportLogsServiceRequest that describe an exception (`exception.type`,
 * `exception.message` or `exception.stacktrace`) and name their trace. Other log records are read and
 * let go: the receiver is not a log store.
 */
export function readLogsRequest(body: Buffer, encoding: OtlpEncoding): LogsRequest {
  const out: LogsRequest = { exceptions: [], rejectedLogRecords: 0, problems: [] };
  const take = (record: OtlpLogRecord): void => {
    const exception = exceptionOf(record);
    if (exception) out.exceptions.push(exception);
  };
  if (encoding === 'protobuf') {
    otlpProtoLogReader(body, take).readAll();
    return out;
  }
  const doc = parseJson(body.toString('utf8'), 'otlp-json');
  if (!isObject(doc)) throw new TraceFormatError('otlp-json', '$', 'expected an ExportLogsServiceRequest object');
  const resourceLogs = doc.resourceLogs;
  if (resourceLogs == null) return out;
  if (!Array.isArray(resourceLogs)) throw new TraceFormatError('otlp-json', '$.resourceLogs', 'expected an array');
  const reject = (where: string, reason: string): void => {
    out.rejectedLogRecords++;
    if (out.problems.length < MAX_PROBLEMS) out.problems.push(`${where}: ${reason}`);
  };

  resourceLogs.forEach((rl: unknown, r) => {
    if (!isObject(rl)) return reject(`$.resourceLogs[${r}]`, 'not an object');
    const resource = isObject(rl.resource) ? readAttributes(rl.resource.attributes) : undefined;
    const service = (resource && stringAttribute(resource, 'service.name')) || 'unknown_service';
    const scopeLogs = rl.scopeLogs;
    if (scopeLogs == null) return;
    if (!Array.isArray(scopeLogs)) return reject(`$.resourceLogs[${r}].scopeLogs`, 'not an array');
    scopeLogs.forEach((sl: unknown, s) => {
      const records = isObject(sl) ? sl.logRecords : undefined;
      if (records == null) return;
      if (!Array.isArray(records)) return reject(`$.resourceLogs[${r}].scopeLogs[${s}].logRecords`, 'not an array');
      records.forEach((record: unknown, k) => {
        if (!isObject(record)) return reject(`$.resourceLogs[${r}].scopeLogs[${s}].logRecords[${k}]`, 'not an object');
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
      });
    });
  });
  return out;
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
