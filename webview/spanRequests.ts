/**
 * What the webview asks the host about single spans: the details of the selected span, the times of the
 * events of spans on screen (ticks on their bars, which the chunks mark but do not carry), and which rows
 * on screen have a code location. Each is a request on the channel; moving on cancels what is no longer
 * wanted, and another trace cancels everything.
 */
import { MAX_LOCATION_ROWS } from '../src/protocol/messages';
import { SpanFlags, type SpanDetail } from '../src/protocol/waterfallData';
import { isCancelled } from '../src/protocol/requests';
import type { HostChannel } from './hostChannel';
import type { EventTicks } from './model';
import type { AppState } from './state';

/** A selection that moves faster than this (an arrow key held down) asks only once it rests. */
const DETAIL_DEBOUNCE_MS = 60;
const EVENTS_DEBOUNCE_MS = 200;
const LOCATIONS_DEBOUNCE_MS = 100;
/** The mapping engine may read files and git history for each of up to 2,000 rows. */
const LOCATIONS_TIMEOUT_MS = 120_000;

export interface SpanRequestHooks {
  /** the details of the selected span arrived */
  detail(detail: SpanDetail): void;
  /** the selected span's details cannot be had; `message` says why */
  detailFailed(row: number, message: string): void;
  /** event ticks or code-mapped markers changed: the rows are to be drawn again */
  redraw(content: boolean): void;
}

export class SpanRequests {
  private detailTimer = 0;
  private detailRequest: AbortController | undefined;
  /** rows on screen whose event times are still to be asked for, one request at a time */
  private eventQueue: number[] = [];
  private eventsBusy = false;
  private eventsTimer = 0;
  private askedEvents = new Uint8Array(0);
  private locationsTimer = 0;
  private askedLocations = new Uint8Array(0);

  constructor(
    private readonly channel: Pick<HostChannel, 'request' | 'cancelRequests'>,
    private readonly state: AppState,
    private readonly hooks: SpanRequestHooks,
  ) {}

  /** Another trace: every request of the last one is cancelled and nothing counts as asked. */
  reset(rows: number): void {
    window.clearTimeout(this.detailTimer);
    window.clearTimeout(this.eventsTimer);
    window.clearTimeout(this.locationsTimer);
    this.channel.cancelRequests();
    this.eventQueue = [];
    this.askedEvents = new Uint8Array(rows);
    this.askedLocations = new Uint8Array(rows);
  }

  /** Asks for the details of `row` (the new selection), after a moment when the user is moving it. */
  askDetail(row: number, fromUser: boolean): void {
    this.cancelDetail();
    const request = new AbortController();
    this.detailRequest = request;
    this.detailTimer = window.setTimeout(
      () => {
        this.channel.request('detail', { row }, { signal: request.signal }).then(
          ({ detail }) => {
            this.learnEvents(detail);
            if (!request.signal.aborted) this.hooks.detail(detail);
          },
          (e: unknown) => {
            if (!isCancelled(e)) this.hooks.detailFailed(row, e instanceof Error ? e.message : String(e));
          },
        );
      },
      fromUser ? DETAIL_DEBOUNCE_MS : 0,
    );
  }

  /** The selection is gone: its details are no longer wanted. */
  cancelDetail(): void {
    window.clearTimeout(this.detailTimer);
    this.detailRequest?.abort();
    this.detailRequest = undefined;
  }

  /** `rows` are on screen (in any view): their event times and code locations are asked for once they rest. */
  rowsOnScreen(rows: ArrayLike<number>): void {
    const shown = Array.from(rows);
    window.clearTimeout(this.eventsTimer);
    this.eventsTimer = window.setTimeout(() => this.queueEvents(shown), EVENTS_DEBOUNCE_MS);
    window.clearTimeout(this.locationsTimer);
    this.locationsTimer = window.setTimeout(() => this.askLocations(shown), LOCATIONS_DEBOUNCE_MS);
  }

  /** Keeps the event times of a span's details, for the ticks on that span's bar. */
  private learnEvents(detail: SpanDetail): void {
    const model = this.state.model;
    if (!model || detail.events.length === 0 || detail.row >= model.data.n || model.eventTicks.has(detail.row)) return;
    const ticks: EventTicks = {
      offsetUs: Float64Array.from(detail.events, (e) => e.offsetUs),
      exception: Uint8Array.from(detail.events, (e) => (e.name === 'exception' ? 1 : 0)),
    };
    model.eventTicks.set(detail.row, ticks);
    this.hooks.redraw(false);
  }

  /**
   * Rows on screen that have events are asked for one at a time, so that a detail the user asks for waits
   * for at most one of them; scrolling on replaces the rows still waiting.
   */
  private queueEvents(rows: number[]): void {
    const data = this.state.data;
    if (!data) return;
    const asked = this.askedEvents;
    this.eventQueue = rows.filter(
      (row) => row < data.loaded && asked[row] === 0 && (data.flags[row]! & SpanFlags.hasEvents) !== 0,
    );
    void this.askEvents();
  }

  private async askEvents(): Promise<void> {
    if (this.eventsBusy) return;
    this.eventsBusy = true;
    try {
      // The queue may be replaced while a request is out (scrolling, another trace): it is read afresh each time.
      for (let row = this.eventQueue.shift(); row !== undefined; row = this.eventQueue.shift()) {
        this.askedEvents[row] = 1;
        try {
          this.learnEvents((await this.channel.request('detail', { row })).detail);
        } catch {
          // Cancelled with its trace, refused or unanswered: the bar just has no ticks.
        }
      }
    } finally {
      this.eventsBusy = false;
    }
  }

  private askLocations(rows: number[]): void {
    const asked = this.askedLocations;
    const ask = rows.filter((row) => row < asked.length && asked[row] === 0).slice(0, MAX_LOCATION_ROWS);
    if (ask.length === 0) return;
    for (const row of ask) asked[row] = 1;
    this.channel.request('locations', { rows: ask }, { timeoutMs: LOCATIONS_TIMEOUT_MS }).then(
      ({ mapped }) => {
        const target = this.state.model?.mapped;
        if (!target || asked !== this.askedLocations) return;
        ask.forEach((row, i) => (target[row] = mapped[i] ?? 0));
        this.hooks.redraw(true);
      },
      (e: unknown) => {
        // Asked again when the rows next come on screen, unless another trace came.
        if (!isCancelled(e)) for (const row of ask) asked[row] = 0;
      },
    );
  }
}
