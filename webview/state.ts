/**
 * The webview's state in one place: the trace as received, the model the views draw, and what the user set
 * up (focus, search, the view shown, the size of the detail pane). The controllers change it; the views
 * read it; savedState.ts persists the part that outlives a reload.
 */
import type { SpanColumnKey, ViewId } from '../src/protocol/messages';
import type { WaterfallModel } from './model';
import type { TraceData } from './traceData';

export type SearchMode = 'highlight' | 'hide';

export class AppState {
  data: TraceData | undefined;
  model: WaterfallModel | undefined;
  /** rows focused on, the innermost last; the views show the last one's subtree */
  focusStack: number[] = [];
  /** what the search field holds (persisted as typed, trimmed when searched) */
  searchQuery = '';
  /** the rows matching the search whose results are shown; undefined with no search */
  searchRows: Int32Array | undefined;
  searchMode: SearchMode = 'highlight';
  criticalOnly = false;
  view: ViewId = 'waterfall';
  /** the spans table's order: slowest first until the user picks another column */
  tableSort: { sort: SpanColumnKey; descending: boolean } = { sort: 'duration', descending: true };
  /** the row whose subtree the flame graph is zoomed into, or -1 */
  flameZoom = -1;
  /** CSS pixels of the detail pane beside the views */
  detailWidth = 380;
  /** height of the detail pane in the narrow layout; undefined until the user drags it */
  detailHeight: number | undefined;

  /** The row whose subtree is shown alone, or -1. */
  get focusRow(): number {
    return this.focusStack.length > 0 ? this.focusStack[this.focusStack.length - 1]! : -1;
  }
}
