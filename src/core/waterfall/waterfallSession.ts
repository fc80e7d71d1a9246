/**
 * The host's half of one waterfall, free of VS Code: holds the encoded trace, answers the webview's
 * messages, and calls out through injected actions for everything that touches the editor. The VS Code
 * panel (src/vscode/waterfall) and the headless browser tests both drive this same class.
 */
import type { Trace } from '../model/types';
import type { EncodedParts, TraceFrame } from '../traceWorker/workerMessages';
import type { HostMessage, RequestMessage, WebviewMessage } from '../../protocol/messages';
import { isWebviewMessage } from '../../protocol/messageChecks';
import { refuse, replyTo } from '../../protocol/requests';
import type { DetailLocation } from '../../protocol/waterfallData';
import { encodeTrace, type EncodedTrace } from './encodeTrace';
import { takeEncoding } from './encodedTraces';
import { searchSpans } from './searchSpans';
import { fullValue, spanDetail } from './spanDetail';

/** What the session may ask of its surroundings; every action is optional. */
export interface WaterfallActions {
  /** code locations of one span (mapping engine); may be async */
  resolveLocation?(trace: Trace, spanIndex: number): DetailLocation[] | undefined | Promise<DetailLocation[] | undefined>;
  goToCode?(trace: Trace, spanIndex: number): void | Promise<void>;
  openLinkedTrace?(traceId: string, spanId: string | undefined): void | Promise<void>;
  /** only ever called with an http: or https: URL */
  openExternal?(url: string): void | Promise<void>;
  /** whether openInBackend can do anything for this trace */
  hasBackendUi?(trace: Trace): boolean;
  openInBackend?(trace: Trace, spanIndex: number | undefined): void | Promise<void>;
  copy?(text: string, what: string): void | Promise<void>;
  log?(level: 'info' | 'warn' | 'error', message: string): void;
  /** the first rows are on screen */
  onRendered?(rows: number, ms: number): void;
}

export class WaterfallSession {
  private encoded: EncodedTrace | undefined;
  private focusSpanId: string | undefined;
  private ready = false;
  /** counts the sendTrace calls; an older one stops */
  private sending = 0;
  /** set while the spans of a trace shown by showEncoded are still being read; never rejects */
  private spansArriving: Promise<void> | undefined;
  private loadError: string | undefined;
  /** per row: 0 not asked yet, 1 mapped, 2 not mapped */
  private located: Uint8Array = new Uint8Array(0);
  /** requests being answered, by messageId; true once the webview cancelled one */
  private readonly inFlight = new Map<number, boolean>();

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly actions: WaterfallActions = {},
  ) {}

  get trace(): Trace | undefined {
    return this.encoded?.trace;
  }

  get encodedTrace(): EncodedTrace | undefined {
    return this.encoded;
  }

  /** Shows `trace`, now if the webview is ready, else once it is. */
  show(trace: Trace, options: { focusSpanId?: string } = {}): void {
    this.spansArriving = undefined;
    const hasBackendUi = this.actions.hasBackendUi?.(trace) ?? false;
    // Made by the trace worker when the trace was read; else encoded here.
    const early = takeEncoding(trace);
    this.encoded = early ? { ...early, header: { ...early.header, hasBackendUi } } : encodeTrace(trace, { hasBackendUi });
    this.located = new Uint8Array(trace.spans.length);
    this.focusSpanId = options.focusSpanId;
    this.loadError = undefined;
    if (this.ready) void this.sendTrace();
  }

  /**
   * Shows a trace whose encoded form is ready while its spans are still being read (the trace worker sends it
   * first): the rows are drawn at once, and whatever needs the spans (details, search, code) waits for `trace`.
   * When `trace` fails, the webview says why.
   */
  showEncoded(frame: TraceFrame, parts: EncodedParts, trace: Promise<Trace>, options: { focusSpanId?: string } = {}): void {
    const interim: EncodedTrace = { ...parts, trace: { ...frame, spans: [] } };
    interim.header = { ...parts.header, hasBackendUi: this.actions.hasBackendUi?.(interim.trace) ?? false };
    this.encoded = interim;
    this.located = new Uint8Array(parts.spanOfRow.length);
    this.focusSpanId = options.focusSpanId;
    this.loadError = undefined;
    const arriving = trace.then(
      (full) => {
        if (this.encoded === interim) this.encoded = { ...interim, trace: full };
      },
      (e: unknown) => {
        if (this.encoded === interim) this.fail(`The trace could not be read: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
    this.spansArriving = arriving;
    void arriving.then(() => {
      if (this.spansArriving === arriving) this.spansArriving = undefined;
    });
    if (this.ready) void this.sendTrace();
  }

  /** Says in the webview that there is nothing to show, e.g. when a restored panel's trace is gone. */
  fail(message: string): void {
    this.spansArriving = undefined;
    this.loadError = message;
    this.encoded = undefined;
    if (this.ready) this.post({ type: 'loadError', message });
  }

  revealSpan(spanId: string): void {
    if (this.ready) this.post({ type: 'revealSpan', spanId });
  }

  /** Handles one message from the webview; anything that is not a WebviewMessage is logged and dropped. */
  async handle(message: unknown): Promise<void> {
    if (!isWebviewMessage(message)) {
      this.actions.log?.('warn', 'waterfall: dropped a message that is not part of the protocol');
      return;
    }
    const msg: WebviewMessage = message;
    // Answers about spans wait for the spans of a trace shown from its encoded form.
    if (this.spansArriving && msg.type !== 'ready' && msg.type !== 'rendered' && msg.type !== 'cancel' && msg.type !== 'log')
      await this.spansArriving;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        if (this.loadError !== undefined) this.post({ type: 'loadError', message: this.loadError });
        else if (this.encoded) await this.sendTrace();
        return;
      case 'rendered':
        this.actions.onRendered?.(msg.rows, msg.ms);
        return;
      case 'detail':
      case 'search':
      case 'locations':
        await this.answer(msg);
        return;
      case 'cancel':
        if (this.inFlight.has(msg.messageId)) this.inFlight.set(msg.messageId, true);
        return;
      case 'goToCode':
        if (this.encoded && this.isRow(msg.row))
          await this.actions.goToCode?.(this.encoded.trace, this.encoded.spanOfRow[msg.row]!);
        return;
      case 'openLinkedTrace':
        if (typeof msg.traceId === 'string' && msg.traceId !== '') await this.actions.openLinkedTrace?.(msg.traceId, msg.spanId);
        return;
      case 'openExternal':
        if (isWebUrl(msg.url)) await this.actions.openExternal?.(msg.url);
        else this.actions.log?.('warn', `waterfall: refused to open a URL that is not http(s): ${String(msg.url).slice(0, 200)}`);
        return;
      case 'openInBackend':
        if (this.encoded) {
          const spanIndex = msg.row !== undefined && this.isRow(msg.row) ? this.encoded.spanOfRow[msg.row] : undefined;
          await this.actions.openInBackend?.(this.encoded.trace, spanIndex);
        }
        return;
      case 'copy':
        if (typeof msg.text === 'string') await this.actions.copy?.(msg.text, String(msg.what));
        return;
      case 'copyValue': {
        if (!this.encoded || !this.isRow(msg.row)) return;
        const span = this.encoded.trace.spans[this.encoded.spanOfRow[msg.row]!]!;
        const text = fullValue(span, msg.section === 'resource' ? 'resource' : 'attributes', String(msg.key));
        if (text !== undefined) await this.actions.copy?.(text, `value of ${msg.key}`);
        return;
      }
      case 'log':
        this.actions.log?.(
          msg.level === 'error' || msg.level === 'warn' ? msg.level : 'info',
          `waterfall: ${String(msg.message)}`,
        );
        return;
      default: {
        const unreachable: never = msg;
        void unreachable;
      }
    }
  }

  /** Answers a request exactly once, unless the webview cancelled it meanwhile. */
  private async answer(request: RequestMessage): Promise<void> {
    this.inFlight.set(request.messageId, false);
    let reply: HostMessage;
    try {
      reply = await this.reply(request);
    } catch (e) {
      reply = refuse(request, e instanceof Error ? e.message : String(e));
    }
    const cancelled = this.inFlight.get(request.messageId) === true;
    this.inFlight.delete(request.messageId);
    if (!cancelled) this.post(reply);
  }

  private async reply(request: RequestMessage): Promise<HostMessage> {
    const enc = this.encoded;
    if (!enc) return refuse(request, 'no trace is shown');
    switch (request.type) {
      case 'detail': {
        if (!this.isRow(request.row)) return refuse(request, `no span at row ${request.row}`);
        const locations = await this.locate(request.row);
        if (this.encoded !== enc) return refuse(request, 'the trace changed');
        return replyTo(request, { detail: spanDetail(enc, request.row, locations) });
      }
      case 'search':
        return replyTo(request, { rows: searchSpans(enc, request.query) });
      case 'locations': {
        const mapped = await this.mappedRows(request.rows, () => this.inFlight.get(request.messageId) === true);
        if (this.encoded !== enc) return refuse(request, 'the trace changed');
        return replyTo(request, { mapped });
      }
    }
  }

  /**
   * Posts the header and the chunks, one chunk per turn of the event loop: posting serializes the message on
   * this thread, and all the chunks of a large trace at once would hold it up for long. Stops when another
   * trace is shown, or the trace sent again (a reloaded webview said ready), meanwhile.
   */
  private async sendTrace(): Promise<void> {
    const enc = this.encoded!;
    const sending = ++this.sending;
    const header: HostMessage = { type: 'traceHeader', header: enc.header };
    if (this.focusSpanId !== undefined) header.focusSpanId = this.focusSpanId;
    this.post(header);
    for (const [i, chunk] of enc.chunks.entries()) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      if (sending !== this.sending || this.encoded?.chunks !== enc.chunks) return;
      this.post({ type: 'traceChunk', chunk });
    }
  }

  private isRow(row: unknown): row is number {
    return typeof row === 'number' && Number.isInteger(row) && row >= 0 && row < (this.encoded?.spanOfRow.length ?? 0);
  }

  private async locate(row: number): Promise<DetailLocation[] | undefined> {
    const resolve = this.actions.resolveLocation;
    const enc = this.encoded;
    if (!resolve || !enc) return undefined;
    try {
      const found = (await resolve(enc.trace, enc.spanOfRow[row]!)) ?? [];
      this.located[row] = found.length > 0 ? 1 : 2;
      return found;
    } catch (e) {
      this.actions.log?.('warn', `waterfall: locating span failed: ${e instanceof Error ? e.message : String(e)}`);
      this.located[row] = 2;
      return [];
    }
  }

  /**
   * Which of `rows` have a code location, asking the mapping engine about each row not asked about yet,
   * until `stop` says the answer is no longer wanted. With no mapping engine, none has.
   */
  private async mappedRows(rows: readonly number[], stop: () => boolean): Promise<Uint8Array> {
    const enc = this.encoded;
    const mapped = new Uint8Array(rows.length);
    if (!enc || !this.actions.resolveLocation) return mapped;
    for (const row of rows) {
      if (this.isRow(row) && this.located[row] === 0) await this.locate(row);
      if (this.encoded !== enc || stop()) break;
    }
    rows.forEach((row, i) => (mapped[i] = this.isRow(row) && this.located[row] === 1 ? 1 : 0));
    return mapped;
  }
}

/** True for http: and https: URLs only; javascript:, data:, file:, command: and the rest are refused. */
export function isWebUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 8192) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}
