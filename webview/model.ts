/**
 * The model the trace's views draw: the rows listed and what the user set up around them. The app owns it
 * and changes it; views (the waterfall, its minimap, and views to come) read it and are told to redraw.
 * Free of DOM code.
 */
import type { CriticalPath } from './criticalPath';
import type { TimeWindow } from './timeScale';
import type { TraceData } from './traceData';

/** Times of a span's events, as far as the webview knows them (from the host's span details). */
export interface EventTicks {
  /** microseconds since the span's start */
  offsetUs: Float64Array;
  /** 1 where the event records an exception */
  exception: Uint8Array;
}

/** The critical path of the subtree under `root` (-1: the whole trace). */
export type RootedCriticalPath = CriticalPath & { root: number };

/** What the waterfall draws; the app owns it and calls the view's `invalidate` after changing it. */
export interface WaterfallModel {
  data: TraceData;
  /** rows listed, in order */
  rows: Int32Array;
  collapsed: Uint8Array;
  selected: number;
  window: TimeWindow;
  /** rows matching the search, when there is one */
  match: Uint8Array | undefined;
  currentMatch: number;
  /** dim bars of rows that do not match (highlight mode) */
  dimNonMatches: boolean;
  critical: RootedCriticalPath | undefined;
  showCritical: boolean;
  /** mapped[row] = 1: the mapping engine has a code location for it */
  mapped: Uint8Array;
  /** depth of the focused row, so that a focused subtree starts at the left */
  depthBase: number;
  /** event times of the rows whose details the host has sent, drawn as ticks on their bars */
  eventTicks: Map<number, EventTicks>;
}

/** What the waterfall asks of the app. */
export interface WaterfallHost {
  select(row: number): void;
  toggle(row: number): void;
  goToCode(row: number): void;
  setWindow(window: TimeWindow): void;
  /** the rows on screen changed (for the code-mapped markers and the persisted scroll position) */
  viewportChanged(rows: Int32Array): void;
  /** a key the view does not handle itself; returns true when handled */
  key(event: KeyboardEvent): boolean;
}

/** Index of `row` in the ascending `rows`, or -1 (listed rows are always ascending). */
export function indexOf(rows: Int32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rows[mid]!;
    if (v === row) return mid;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
