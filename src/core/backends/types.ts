/**
 * The one interface every trace source implements: Jaeger, Tempo, Zipkin and the embedded local store.
 * Times are epoch microseconds and durations microseconds, as in the model.
 */
import type { TraceQuery } from '../model/traceQuery';
import type { Trace, TraceSummary } from '../model/types';

export type BackendType = 'jaeger' | 'tempo' | 'zipkin' | 'local';

export interface BackendCapabilities {
  /** searchTraces returns summaries without downloading whole traces */
  summaries: boolean;
  traceQl: boolean;
  /** tagKeys/tagValues answer */
  tagSearch: boolean;
  /** getTrace can be limited to a time window */
  spanFiltering: boolean;
}

/** Cancels a request in flight (the socket is closed). */
export interface RequestOptions {
  signal?: AbortSignal;
}

export interface TraceBackend {
  readonly type: BackendType;
  /** where the backend is, for messages and "Open in Backend UI" (undefined for local) */
  readonly url?: string;
  /** may change after the first calls (e.g. Jaeger's summaries, once trace-summaries is found) */
  readonly capabilities: BackendCapabilities;
  listServices(options?: RequestOptions): Promise<string[]>;
  listOperations(service: string, options?: RequestOptions): Promise<string[]>;
  searchTraces(query: TraceQuery, options?: RequestOptions): Promise<TraceSummary[]>;
  getTrace(traceId: string, window?: { startUs?: number; endUs?: number }, options?: RequestOptions): Promise<Trace>;
  tagKeys(options?: RequestOptions): Promise<string[]>;
  tagValues(key: string, options?: RequestOptions): Promise<string[]>;
  /** closes connection pools; the backend is not used afterwards */
  dispose?(): Promise<void>;
}
