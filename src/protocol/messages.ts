/**
 * The only contract between the extension host and the waterfall webview. Both sides import these
 * discriminated unions; the host posts nothing before the webview's `ready`. Rows are positions in the
 * waterfall's pre-order (see waterfallData.ts); the host maps them back to spans. The runtime checks of
 * every message are derived from these types in messageChecks.ts.
 */
import type { SpanDetail, WaterfallChunk, WaterfallHeader } from './waterfallData';

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready' }
  /** the first rows are on screen (for the log and for tests); `ms` since the header arrived */
  | { type: 'rendered'; rows: number; ms: number }
  | { type: 'requestDetail'; row: number; seq: number }
  | { type: 'search'; query: string; seq: number }
  /** which rows in `from .. to - 1` have a code location, for the code-mapped marker */
  | { type: 'requestLocations'; from: number; to: number }
  | { type: 'goToCode'; row: number }
  | { type: 'openLinkedTrace'; traceId: string; spanId?: string }
  /** a URL the user clicked in an attribute value; the host opens http(s) only */
  | { type: 'openExternal'; url: string }
  | { type: 'openInBackend'; row?: number }
  | { type: 'copy'; text: string; what: string }
  /** the full text of one attribute value, for "Copy value" on a value the host cut */
  | { type: 'copyValue'; row: number; section: 'attributes' | 'resource'; key: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Host → webview. */
export type HostMessage =
  | { type: 'traceHeader'; header: WaterfallHeader; focusSpanId?: string }
  | { type: 'traceChunk'; chunk: WaterfallChunk }
  /** the trace could not be (re)loaded, e.g. after a reload when the backend no longer has it */
  | { type: 'loadError'; message: string }
  | { type: 'spanDetail'; seq: number; detail: SpanDetail }
  /** rows matching the query, ascending */
  | { type: 'searchResult'; seq: number; query: string; rows: Int32Array }
  /** mapped[i] is 1 when row from + i has a code location */
  | { type: 'locations'; from: number; mapped: Uint8Array }
  /** the host moved selection, e.g. a command "reveal span" */
  | { type: 'revealSpan'; spanId: string };

/** One side of the channel: what it sends and what it receives, typed by the unions above. */
export interface Channel<Send, Receive> {
  post(message: Send): void;
  /** returns a function that stops listening */
  listen(handler: (message: Receive) => void): () => void;
}

export type HostChannel = Channel<HostMessage, WebviewMessage>;
export type WebviewChannel = Channel<WebviewMessage, HostMessage>;

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
  tab: 'waterfall' | 'statistics';
  detailWidth: number;
}

/** Longest text the webview may hand the host to copy (ids, names, values it shows; whole values go by copyValue). */
export const MAX_COPY_CHARS = 1 << 20;
