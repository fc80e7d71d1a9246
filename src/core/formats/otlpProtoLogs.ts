/**
 * OTLP log protobuf (ExportLogsServiceRequest and LogsData share one wire layout) read straight from the wire,
 * one log record at a time, for the receiver's exception records. Values mean what the shared readers in
 * otlpValues.ts make of the same record decoded by protobufjs (test/unit/core/formats/otlpProtoLogs.test.ts
 * holds the two equal), with OtlpValueReader's stricter reading of odd wire data.
 *
 * Message layout: opentelemetry-proto, opentelemetry/proto/logs/v1 LogRecord.
 */
import { EMPTY_ATTRIBUTES } from '../model/attributes';
import type { AttributeValue, Attributes } from '../model/types';
import { OtlpBatchReader } from './otlpProtoBatch';
import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './otlpProtoValues';
import { fieldTag, FIXED64, LEN } from './protoWire';

const FORMAT = 'otlp-proto';

const RECORD_TIME = fieldTag(1, FIXED64);
const RECORD_SEVERITY_TEXT = fieldTag(3, LEN);
const RECORD_BODY = fieldTag(5, LEN);
const RECORD_ATTRIBUTES = fieldTag(6, LEN);
const RECORD_TRACE_ID = fieldTag(9, LEN);
const RECORD_SPAN_ID = fieldTag(10, LEN);
const RECORD_OBSERVED_TIME = fieldTag(11, FIXED64);

/** One log record with what the receiver reads of it; the same shape whichever encoding it came in. */
export interface OtlpLogRecord {
  /** the resource's `service.name`, "unknown_service" when absent */
  service: string;
  /** epoch microseconds; 0 when absent, NaN when unreadable */
  timeUs: number;
  /** epoch microseconds; 0 when absent, NaN when unreadable */
  observedTimeUs: number;
  /** '' when absent */
  severityText: string;
  /** null when absent */
  body: AttributeValue;
  attributes: Attributes;
  /** normalised hex; '' when absent */
  traceId: string;
  /** normalised hex; '' when absent */
  spanId: string;
}

/**
 * A reader of a binary ExportLogsServiceRequest that hands each record to `onRecord` with its path (e.g.
 * `$.resourceLogs[0].scopeLogs[1].logRecords[7]`); `readAll()` or `step(sliceBytes)` until true (see
 * OtlpBatchReader). Throws TraceFormatError, with the byte offset, for bytes that are not one.
 */
export function otlpProtoLogReader(bytes: Uint8Array, onRecord: (record: OtlpLogRecord, where: string) => void): OtlpBatchReader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new LogDecoder(buf, onRecord);
}

class LogDecoder extends OtlpBatchReader {
  constructor(
    buf: Buffer,
    private readonly onRecord: (record: OtlpLogRecord, where: string) => void,
  ) {
    super(buf, FORMAT);
  }

  protected override item(end: number, r: number, s: number, k: number): void {
    let timeUs = 0;
    let observedTimeUs = 0;
    let severityText = '';
    let body: AttributeValue = null;
    let attributes: Attributes | undefined;
    let traceId = '';
    let spanId = '';
    while (this.pos < end) {
      const t = this.tag(end);
      switch (t) {
        case RECORD_TIME:
          timeUs = this.fixed64Micros(end);
          break;
        case RECORD_OBSERVED_TIME:
          observedTimeUs = this.fixed64Micros(end);
          break;
        case RECORD_SEVERITY_TEXT:
          severityText = this.string(end);
          break;
        case RECORD_BODY:
          body = this.anyValue(this.lengthEnd(end), 0);
          break;
        case RECORD_ATTRIBUTES:
          this.keyValue(this.lengthEnd(end), (attributes ??= {}), 0);
          break;
        case RECORD_TRACE_ID:
        case RECORD_SPAN_ID: {
          const e = this.lengthEnd(end);
          if (t === RECORD_TRACE_ID) traceId = this.id(this.pos, e, TRACE_ID_BYTES);
          else spanId = this.id(this.pos, e, SPAN_ID_BYTES);
          this.pos = e;
          break;
        }
        default:
          this.skip(t, end);
      }
    }
    this.onRecord(
      {
        service: this.service,
        timeUs,
        observedTimeUs,
        severityText,
        body,
        attributes: attributes ?? EMPTY_ATTRIBUTES,
        traceId,
        spanId,
      },
      `$.resourceLogs[${r}].scopeLogs[${s}].logRecords[${k}]`,
    );
  }
}
