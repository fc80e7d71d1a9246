/**
 * The UI state that outlives hiding the panel and reloading the window (WaterfallViewState): read once
 * from VS Code, written back a moment after each change. Never trace data; rows are saved as span ids.
 */
import type { WaterfallViewState } from '../src/protocol/messages';
import { encodeBitset } from './bitset';
import type { HostChannel } from './hostChannel';
import type { AppState } from './state';

const SAVE_DEBOUNCE_MS = 300;
const DETAIL_WIDTH = { min: 220, max: 1200, fallback: 380 };

export class SavedState {
  /** the last state saved or found: a trace shown again (a restored panel says ready again) picks it up */
  private last: WaterfallViewState | undefined;
  private timer = 0;

  constructor(
    private readonly channel: Pick<HostChannel, 'getState' | 'setState'>,
    private readonly state: AppState,
    private readonly scrollTop: () => number,
  ) {
    this.last = channel.getState();
    if (this.last)
      state.detailWidth = clampNumber(this.last.detailWidth, DETAIL_WIDTH.min, DETAIL_WIDTH.max, DETAIL_WIDTH.fallback);
  }

  /** The saved state of the trace `traceId`, if the last one saved is of that trace. */
  of(traceId: string): WaterfallViewState | undefined {
    return this.last?.traceId === traceId ? this.last : undefined;
  }

  /** Saves a moment from now, once however many changes come before. */
  save(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.saveNow(), SAVE_DEBOUNCE_MS);
  }

  saveNow(): void {
    const { data, model } = this.state;
    if (!data || !model) return;
    const s = this.state;
    const saved: WaterfallViewState = {
      version: 1,
      traceId: data.header.traceId,
      scrollTop: this.scrollTop(),
      viewStartUs: model.window.startUs,
      viewEndUs: model.window.endUs,
      collapsed: encodeBitset(model.collapsed),
      searchQuery: s.searchQuery,
      searchMode: s.searchMode,
      criticalOnly: s.criticalOnly,
      tab: s.view,
      detailWidth: s.detailWidth,
      table: { ...s.tableSort },
    };
    if (model.selected >= 0) saved.selectedSpanId = data.spanIdOf(model.selected);
    if (s.focusRow >= 0) saved.focusSpanId = data.spanIdOf(s.focusRow);
    if (s.flameZoom >= 0 && s.flameZoom < data.loaded) saved.flameZoomSpanId = data.spanIdOf(s.flameZoom);
    this.last = saved;
    this.channel.setState(saved);
  }
}

/** `value` within [min, max] when it is a finite number, else `fallback`. */
export function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
