import type { Attributes } from '../model/types';

/** An exception recorded as an OTLP log record (`exception.*` attributes), tied to the span it happened in. */
export interface ExceptionRecord {
  traceId: string;
  spanId: string;
  /** epoch microseconds; 0 when the record carried no time */
  timeUs: number;
  /** resource `service.name`, "unknown_service" when absent */
  service: string;
  type?: string;
  message?: string;
  stacktrace?: string;
  /** severity text, e.g. "ERROR" */
  severity?: string;
  /** all the record's attributes, `exception.*` included */
  attributes: Attributes;
}
