/**
 * The trace model every format is normalised into. Units are in the names: `*Us` is microseconds,
 * epoch-based for points in time. Ids are lowercase hex left-padded to 32 (trace) / 16 (span) chars,
 * except ids that were never hex (e.g. Jaeger UI test data's "span-A"), which are kept verbatim.
 */

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type StatusCode = 'ok' | 'error' | 'unset';

export interface SpanStatus {
  code: StatusCode;
  message?: string;
}

/**
 * An attribute value. OTLP int64 values within ±2^53 are numbers; beyond that they are kept exact as
 * decimal strings. Bytes are Uint8Array. Arrays may nest (OTLP arrayValue); kvlistValue becomes a nested
 * Attributes object.
 */
export type AttributeValue = string | number | boolean | Uint8Array | null | AttributeValue[] | Attributes;

/** Key → value. Built with `setAttribute` so that a hostile key such as `__proto__` stays an ordinary key. */
export interface Attributes {
  [key: string]: AttributeValue;
}

export interface SpanEvent {
  name: string;
  /** epoch microseconds */
  timeUs: number;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface InstrumentationScope {
  name: string;
  version?: string;
  attributes?: Attributes;
}

export interface Span {
  traceId: string;
  spanId: string;
  /** undefined for roots */
  parentSpanId?: string;
  name: string;
  /** resource `service.name`, Jaeger process serviceName or Zipkin localEndpoint.serviceName; "unknown_service" when absent */
  service: string;
  kind: SpanKind;
  /** epoch microseconds (may carry a sub-microsecond fraction) */
  startUs: number;
  /** microseconds, ≥ 0 (a negative duration in the input is clamped to 0 and warned) */
  durationUs: number;
  status: SpanStatus;
  attributes: Attributes;
  /** resource attributes; one object shared by every span of the same resource */
  resource: Attributes;
  scope?: InstrumentationScope;
  events: SpanEvent[];
  links: SpanLink[];
  traceState?: string;
  /** Zipkin: the server half of an RPC that reuses its client's span id */
  shared?: boolean;
}

export interface Trace {
  traceId: string;
  /** in input order */
  spans: Span[];
  /** distinct service names, in order of first appearance */
  services: string[];
  /** epoch microseconds of the earliest span start */
  startUs: number;
  /** microseconds from the earliest start to the latest end */
  durationUs: number;
  /** what was odd, repaired or dropped while reading this trace; empty when all was well */
  warnings: string[];
  /** set when the backend said the trace is incomplete (e.g. Tempo `status: PARTIAL`) */
  partial?: string;
}

/** A search hit without the whole trace (Tempo search, Jaeger trace-summaries, local store). */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  /** epoch microseconds */
  startUs: number;
  /** microseconds */
  durationUs: number;
  /** undefined when the backend does not say */
  spanCount?: number;
  errorCount?: number;
  services?: { name: string; spanCount?: number; errorCount?: number }[];
}
