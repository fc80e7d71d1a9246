/**
 * What a search asks for, whoever answers it: a backend, the local store, or the Jaeger query API the receiver
 * serves. Times are epoch microseconds and durations microseconds, as in the model.
 */
export interface TraceQuery {
  service?: string;
  /** span (operation) name */
  operation?: string;
  /** tag filters, all of which must match (http.status_code=500) */
  tags?: Record<string, string>;
  /** only traces with at least one error span */
  errorsOnly?: boolean;
  minDurationUs?: number;
  maxDurationUs?: number;
  /** window, epoch µs; backends that need both bounds get defaults (last hour) */
  startUs?: number;
  endUs?: number;
  /** most traces to return */
  limit?: number;
  /** a TraceQL query, for backends with `capabilities.traceQl` */
  traceQl?: string;
  /** free text matched against span names, services and attribute values where the backend can */
  text?: string;
}
