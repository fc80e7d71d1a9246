/**
 * The compact form in which the host hands a trace to the waterfall: one header, then the spans in rows of
 * the waterfall (depth-first pre-order) as typed-array columns plus a string table, in chunks. The webview
 * never sees a Span object; details of one span are asked for when the user selects it.
 *
 * A "row" is a span's position in pre-order; the rows of span r's subtree are r .. subtreeEnd[r] - 1, so
 * collapsing, focusing and walking children need no other index. `spanIndex` maps a row back to
 * `trace.spans` for everything the host answers.
 */

export interface WaterfallHeader {
  traceId: string;
  spanCount: number;
  /** how many chunks will follow, in row order */
  chunkCount: number;
  /** epoch microseconds of the earliest span start; every time in the columns is relative to it */
  startUs: number;
  /** microseconds from the earliest start to the latest end */
  durationUs: number;
  /** service names; `service` columns index into this */
  services: string[];
  /** trace-level warnings: what the reader repaired, and what the span tree repaired */
  warnings: string[];
  /** set when the backend said the trace is incomplete */
  partial?: string;
  /** whether "Open in Backend UI" can do anything for this trace */
  hasBackendUi: boolean;
}

/** Rows `offset .. offset + count - 1`. Every column has `count` entries. */
export interface WaterfallChunk {
  offset: number;
  count: number;
  /** strings first used by this chunk; they extend the table left by earlier chunks, in order */
  strings: string[];
  /** index into trace.spans */
  spanIndex: Int32Array;
  /** row of the parent; -1 for rows shown at the top level (roots and orphans) */
  parent: Int32Array;
  /** 0 at the top level */
  depth: Int32Array;
  /** the row just after this row's last descendant */
  subtreeEnd: Int32Array;
  /** microseconds since the header's startUs */
  startUs: Float64Array;
  /** microseconds, ≥ 0 */
  durationUs: Float64Array;
  /** microseconds of the span not covered by its children, ≥ 0 */
  selfUs: Float64Array;
  /** string-table index of the span name (names longer than MAX_LABEL_CHARS are cut, with "…") */
  name: Int32Array;
  /** string-table index of the span id */
  spanId: Int32Array;
  /** index into header.services */
  service: Int32Array;
  /** SpanFlags bits, with the kind in bits KIND_SHIFT.. */
  flags: Uint16Array;
}

/** Bits of `WaterfallChunk.flags`. */
export const SpanFlags = {
  error: 1,
  hasEvents: 2,
  hasLinks: 4,
  /** shown at the top level although it names a parent (missing, itself, or in a cycle) */
  orphan: 8,
  /** a Zipkin server half sharing its client's id */
  shared: 16,
  /** an event on the span records an exception */
  exception: 32,
} as const;

export const KIND_SHIFT = 8;
export const KIND_MASK = 0x7;
/** Order of kinds in the flags; index 0 is "unspecified". */
export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type WaterfallSpanKind = (typeof SPAN_KINDS)[number];

/** Span names and service names in the columns are cut to this many characters; the detail pane has them whole. */
export const MAX_LABEL_CHARS = 400;

/** Rows per chunk: small enough that the first chunk paints at once, large enough that the count stays low. */
export const CHUNK_ROWS = 16_384;

/** The kind stored in a flags value. */
export function kindOf(flags: number): WaterfallSpanKind {
  return SPAN_KINDS[(flags >> KIND_SHIFT) & KIND_MASK] ?? 'unspecified';
}

/** One attribute as text. `value` may be cut by the host: `length` is the full length in characters. */
export interface DetailValue {
  key: string;
  value: string;
  /** what the value was before it became text */
  type: 'string' | 'number' | 'boolean' | 'bytes' | 'array' | 'map' | 'null';
  /** characters of the full text; greater than value.length when the host cut it */
  length: number;
}

export interface DetailEvent {
  /** microseconds since the span's start (negative or beyond its end when clocks disagree) */
  offsetUs: number;
  name: string;
  attributes: DetailValue[];
}

export interface DetailLink {
  traceId: string;
  spanId: string;
  attributes: DetailValue[];
}

export interface DetailLocation {
  file: string;
  /** 1-based */
  line: number;
  /** why the mapping engine picked it, e.g. "code.filepath attribute" */
  reason: string;
}

/** Everything the detail pane shows about one span; every string is untrusted text. */
export interface SpanDetail {
  row: number;
  name: string;
  service: string;
  spanId: string;
  parentSpanId?: string;
  traceId: string;
  kind: string;
  /** microseconds since the trace start */
  startUs: number;
  durationUs: number;
  selfUs: number;
  status: { code: 'ok' | 'error' | 'unset'; message?: string };
  attributes: DetailValue[];
  resource: DetailValue[];
  scope?: { name: string; version?: string };
  events: DetailEvent[];
  /** events beyond those listed */
  moreEvents: number;
  links: DetailLink[];
  moreLinks: number;
  traceState?: string;
  /** what is odd about this span: orphan, clock skew, repaired values */
  warnings: string[];
  /** where the code is, when the mapping engine knows; undefined when no engine is wired */
  locations?: DetailLocation[];
}
