/**
 * Runtime checks of every message, derived from the types in messages.ts and waterfallData.ts: each table
 * below must name a check for every field of every message (see shape.ts), so that a field added to a type
 * without a check fails to compile.
 *
 * The host checks what the webview sends strictly, with text bounded: the webview is ours, but its messages
 * cross a process boundary and a compromised page must not be able to steer the host. The webview checks
 * what it receives, since its window also receives messages that are not from the host.
 */
import type { HostMessage, WaterfallViewState, WebviewMessage } from './messages';
import { MAX_COPY_CHARS, MAX_LOCATION_ROWS, SPAN_COLUMN_KEYS, VIEW_IDS } from './messages';
import {
  anyNumber,
  arrayOf,
  arrayUpTo,
  bool,
  int,
  num,
  oneOf,
  optional,
  shape,
  str,
  text,
  typed,
  union,
  type Check,
  type UnionShapes,
} from './shape';
import type {
  DetailEvent,
  DetailLink,
  DetailLocation,
  DetailValue,
  SpanDetail,
  WaterfallChunk,
  WaterfallHeader,
} from './waterfallData';

const WEBVIEW_MESSAGES: UnionShapes<WebviewMessage> = {
  ready: {},
  rendered: { rows: int, ms: num },
  goToCode: { row: int },
  openLinkedTrace: { traceId: text(256), spanId: optional(text(256)) },
  openExternal: { url: text(8192) },
  openInBackend: { row: optional(int) },
  copy: { text: text(MAX_COPY_CHARS), what: text(200) },
  copyValue: { row: int, section: oneOf('attributes', 'resource'), key: text(10_000) },
  log: { level: oneOf('info', 'warn', 'error'), message: text(10_000) },
  detail: { messageId: int, row: int },
  search: { messageId: int, query: text(10_000) },
  locations: { messageId: int, rows: arrayUpTo(MAX_LOCATION_ROWS, int) },
  cancel: { messageId: int },
};

/** Narrowing for the host: every field checked, text bounded. */
export const isWebviewMessage: Check<WebviewMessage> = union(WEBVIEW_MESSAGES);

const header: Check<WaterfallHeader> = shape<WaterfallHeader>({
  traceId: str,
  spanCount: int,
  chunkCount: int,
  startUs: anyNumber,
  durationUs: anyNumber,
  services: arrayOf(str),
  warnings: arrayOf(str),
  partial: optional(str),
  hasBackendUi: bool,
});

const chunk: Check<WaterfallChunk> = shape<WaterfallChunk>({
  offset: int,
  count: int,
  strings: arrayOf(str),
  spanIndex: typed(Int32Array),
  parent: typed(Int32Array),
  depth: typed(Int32Array),
  subtreeEnd: typed(Int32Array),
  startUs: typed(Float64Array),
  durationUs: typed(Float64Array),
  selfUs: typed(Float64Array),
  name: typed(Int32Array),
  spanId: typed(Int32Array),
  service: typed(Int32Array),
  flags: typed(Uint16Array),
});

const detailValue: Check<DetailValue> = shape<DetailValue>({
  key: str,
  value: str,
  type: oneOf('string', 'number', 'boolean', 'bytes', 'array', 'map', 'null'),
  length: int,
});

const detail: Check<SpanDetail> = shape<SpanDetail>({
  row: int,
  name: str,
  service: str,
  spanId: str,
  parentSpanId: optional(str),
  traceId: str,
  kind: str,
  startUs: anyNumber,
  durationUs: anyNumber,
  selfUs: anyNumber,
  status: shape<SpanDetail['status']>({ code: oneOf('ok', 'error', 'unset'), message: optional(str) }),
  attributes: arrayOf(detailValue),
  resource: arrayOf(detailValue),
  scope: optional(shape<NonNullable<SpanDetail['scope']>>({ name: str, version: optional(str) })),
  events: arrayOf(shape<DetailEvent>({ offsetUs: anyNumber, name: str, attributes: arrayOf(detailValue) })),
  moreEvents: int,
  links: arrayOf(shape<DetailLink>({ traceId: str, spanId: str, attributes: arrayOf(detailValue) })),
  moreLinks: int,
  traceState: optional(str),
  warnings: arrayOf(str),
  locations: optional(arrayOf(shape<DetailLocation>({ file: str, line: int, reason: str }))),
});

const HOST_MESSAGES: UnionShapes<HostMessage> = {
  traceHeader: { header, focusSpanId: optional(str) },
  traceChunk: { chunk },
  loadError: { message: str },
  revealSpan: { spanId: str },
  detail: { inReplyTo: int, detail },
  search: { inReplyTo: int, rows: typed(Int32Array) },
  locations: { inReplyTo: int, mapped: typed(Uint8Array) },
  failed: { inReplyTo: int, message: str },
};

/** Narrowing for the webview: a message from anything but the host has no business here. */
export const isHostMessage: Check<HostMessage> = union(HOST_MESSAGES);

/** What the webview finds in VS Code's saved state: anything else (another version, a damaged value) is ignored. */
export const isViewState: Check<WaterfallViewState> = shape<WaterfallViewState>({
  version: (v): v is 1 => v === 1,
  traceId: str,
  scrollTop: anyNumber,
  viewStartUs: anyNumber,
  viewEndUs: anyNumber,
  selectedSpanId: optional(str),
  collapsed: str,
  focusSpanId: optional(str),
  searchQuery: str,
  searchMode: oneOf('highlight', 'hide'),
  criticalOnly: bool,
  tab: oneOf(...VIEW_IDS),
  detailWidth: anyNumber,
  table: optional(shape<NonNullable<WaterfallViewState['table']>>({ sort: oneOf(...SPAN_COLUMN_KEYS), descending: bool })),
  flameZoomSpanId: optional(str),
});
