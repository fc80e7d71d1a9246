/**
 * The only contract between the extension host and the waterfall webview. Both sides import these
 * discriminated unions; the host posts nothing before the webview's `ready`. Rows are positions in the
 * waterfall's pre-order (see waterfallData.ts); the host maps them back to spans.
 *
 * Most messages are notifications. What the webview asks the host for is a request (WaterfallRequests):
 * it carries a `messageId`, and the host answers it exactly once, with a reply of the same `type` whose
 * `inReplyTo` is that id, or with `failed`. A `cancel` tells the host that the answer is no longer wanted.
 * The runtime checks of every message are derived from these types in messageChecks.ts.
 */
import type { SpanDetail, WaterfallChunk, WaterfallHeader } from './waterfallData';

/** What the webview asks the host, by method: the request's fields and the reply's. */
export interface WaterfallRequests {
  /** everything the detail pane shows about the span at `row` (and the times of its events) */
  detail: { params: { row: number }; result: { detail: SpanDetail } };
  /** the rows matching a query of the in-trace search language, ascending */
  search: { params: { query: string }; result: { rows: Int32Array } };
  /** which of `rows` (at most MAX_LOCATION_ROWS) have a code location: mapped[i] is 1 when rows[i] has one */
  locations: { params: { rows: number[] }; result: { mapped: Uint8Array } };
}

export type RequestMethod = keyof WaterfallRequests;
export type RequestParams<M extends RequestMethod> = WaterfallRequests[M]['params'];
export type RequestResult<M extends RequestMethod> = WaterfallRequests[M]['result'];

/** A request on the wire: its method as `type`, a `messageId` unique among the webview's requests, its params. */
export type RequestMessage<M extends RequestMethod = RequestMethod> = {
  [K in M]: { type: K; messageId: number } & RequestParams<K>;
}[M];

/** The answer to request `inReplyTo`, of the same type. */
export type ReplyMessage<M extends RequestMethod = RequestMethod> = {
  [K in M]: { type: K; inReplyTo: number } & RequestResult<K>;
}[M];

/** Webview → host, without an answer. */
export type WebviewNotification =
  | { type: 'ready' }
  /** the first rows are on screen (for the log and for tests); `ms` since the header arrived */
  | { type: 'rendered'; rows: number; ms: number }
  | { type: 'goToCode'; row: number }
  | { type: 'openLinkedTrace'; traceId: string; spanId?: string }
  /** a URL the user clicked in an attribute value; the host opens http(s) only */
  | { type: 'openExternal'; url: string }
  | { type: 'openInBackend'; row?: number }
  | { type: 'copy'; text: string; what: string }
  /** the full text of one attribute value, for "Copy value" on a value the host cut */
  | { type: 'copyValue'; row: number; section: 'attributes' | 'resource'; key: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Webview → host. */
export type WebviewMessage =
  | WebviewNotification
  | RequestMessage
  /** the webview no longer wants the answer to request `messageId`; the host may skip it */
  | { type: 'cancel'; messageId: number };

/** Host → webview, unasked. */
export type HostNotification =
  | { type: 'traceHeader'; header: WaterfallHeader; focusSpanId?: string }
  | { type: 'traceChunk'; chunk: WaterfallChunk }
  /** the trace could not be (re)loaded, e.g. after a reload when the backend no longer has it */
  | { type: 'loadError'; message: string }
  /** the host moved selection, e.g. a command "reveal span" */
  | { type: 'revealSpan'; spanId: string };

/** Host → webview. */
export type HostMessage =
  | HostNotification
  | ReplyMessage
  /** request `inReplyTo` has no answer: `message` says why, for the log */
  | { type: 'failed'; inReplyTo: number; message: string };

/** One side of the channel: what it sends and what it receives, typed by the unions above. */
export interface Channel<Send, Receive> {
  post(message: Send): void;
  /** returns a function that stops listening */
  listen(handler: (message: Receive) => void): () => void;
}

/** The UI state the webview persists (VS Code keeps it across hiding and reloads); never trace data. */
export interface WaterfallViewState {
  version: 1;
  traceId: string;
  scrollTop: number;
  /** the visible time window, microseconds since the trace start */
  viewStartUs: number;
  viewEndUs: number;
  selectedSpanId?: string;
  /** collapsed rows as a base64 bitset over rows */
  collapsed: string;
  /** row whose subtree is shown alone */
  focusSpanId?: string;
  searchQuery: string;
  searchMode: 'highlight' | 'hide';
  criticalOnly: boolean;
  /** the view shown (one of the tabs) */
  tab: ViewId;
  detailWidth: number;
  /** how the spans table is sorted (absent in states saved before it existed) */
  table?: { sort: SpanColumnKey; descending: boolean };
  /** the span whose subtree the flame graph is zoomed into */
  flameZoomSpanId?: string;
}

/** The views of a trace the webview offers, in the order of their tabs. */
export const VIEW_IDS = ['waterfall', 'table', 'flame', 'graph', 'statistics'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

/** The columns of the spans table, in their order. */
export const SPAN_COLUMN_KEYS = ['service', 'name', 'duration', 'self', 'start', 'kind', 'status'] as const;
export type SpanColumnKey = (typeof SPAN_COLUMN_KEYS)[number];

/** Rows one `locations` request may ask about: more than any screen shows. */
export const MAX_LOCATION_ROWS = 2_000;

/** Longest text the webview may hand the host to copy (ids, names, values it shows; whole values go by copyValue). */
export const MAX_COPY_CHARS = 1 << 20;
