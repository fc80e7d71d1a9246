/**
 * What the user does to the rows of the trace: select and reveal, fold and unfold (one, all, by level, by
 * duration), focus on a subtree and back, the critical path, and the time window. Each changes the state
 * and lists the rows again; the hooks tell the rest of the page.
 */
import { criticalPath, criticalRoot } from './criticalPath';
import { indexOf } from './model';
import type { AppState } from './state';
import { clampWindow, formatDuration, type TimeWindow } from './timeScale';
import {
  collapseAll,
  collapseOneLevel,
  collapseShorterThan,
  expandAncestors,
  expandOneLevel,
  visibleRows,
  withAncestors,
} from './visibleRows';

/** What of the waterfall the controller drives (WaterfallView). */
export interface RowsView {
  rowsChanged(): void;
  invalidate(content?: boolean): void;
  revealIndex(index: number): void;
  scrollTop: number;
}

export interface TreeHooks {
  /** the selection moved to `row` (-1: none); `fromUser` while the user moves it */
  selected(row: number, fromUser: boolean): void;
  /** the rows were listed again */
  relisted(): void;
  /** the focused subtree changed */
  focusChanged(): void;
  /** whether the critical path is highlighted (the toolbar's toggle) */
  showCritical(): boolean;
  message(text: string): void;
  save(): void;
}

export class TreeController {
  constructor(
    private readonly state: AppState,
    private readonly view: RowsView,
    private readonly hooks: TreeHooks,
  ) {}

  /** The rows to list, given what is collapsed, focused and filtered. */
  listRows(): Int32Array {
    const { model, data, criticalOnly, searchMode, searchRows, focusRow } = this.state;
    if (!model || !data) return new Int32Array(0);
    let keep: Uint8Array | undefined;
    if (criticalOnly && model.critical) keep = model.critical.onPath;
    if (searchMode === 'hide' && searchRows) {
      const matched = withAncestors(data, searchRows);
      if (keep) for (let i = 0; i < matched.length; i++) matched[i] = matched[i]! & keep[i]!;
      keep = matched;
    }
    return visibleRows(data, { collapsed: model.collapsed, focusRow, keep });
  }

  /** Recomputes the listed rows, keeping the selected row in view when it is still listed. */
  relist(): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    model.rows = this.listRows();
    model.depthBase = this.state.focusRow >= 0 ? data.depth[this.state.focusRow]! : 0;
    model.dimNonMatches = this.state.searchMode === 'highlight';
    this.view.rowsChanged();
    if (model.selected >= 0) {
      const index = indexOf(model.rows, model.selected);
      if (index >= 0) this.view.revealIndex(index);
    }
    this.hooks.relisted();
    this.hooks.save();
  }

  select(row: number, fromUser: boolean): void {
    const model = this.state.model;
    if (!model || !this.state.data) return;
    model.selected = row;
    this.hooks.selected(row, fromUser);
    if (row >= 0) {
      const index = indexOf(model.rows, row);
      if (index >= 0) this.view.revealIndex(index);
    }
    this.view.invalidate(true);
    this.hooks.save();
  }

  /** Selects `row`, opening its collapsed ancestors and leaving a focus that does not contain it. */
  reveal(row: number): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    const focus = this.state.focusRow;
    if (focus >= 0 && !(row >= focus && row < data.subtreeEnd[focus]!)) this.state.focusStack = [];
    if (indexOf(model.rows, row) < 0) {
      expandAncestors(data, model.collapsed, row);
      this.relist();
      this.hooks.focusChanged();
    }
    this.select(row, false);
  }

  /** Scrolls `row` into view, opening its collapsed ancestors; the selection stays as it is. */
  bringIntoView(row: number): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    if (indexOf(model.rows, row) < 0) {
      const focus = this.state.focusRow;
      if (focus >= 0 && !(row >= focus && row < data.subtreeEnd[focus]!)) return;
      expandAncestors(data, model.collapsed, row);
      this.relist();
    }
    const index = indexOf(model.rows, row);
    if (index >= 0) this.view.revealIndex(index);
  }

  toggle(row: number): void {
    const model = this.state.model;
    if (!model) return;
    model.collapsed[row] = model.collapsed[row] === 1 ? 0 : 1;
    this.relist();
  }

  collapseEverything(): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    collapseAll(data, model.collapsed);
    if (model.selected >= 0) {
      // The selection moves to its top-level ancestor, which stays listed.
      let r = model.selected;
      while (data.parent[r]! >= 0 && r !== this.state.focusRow) r = data.parent[r]!;
      model.selected = r;
    }
    this.relist();
  }

  expandEverything(): void {
    if (!this.state.model) return;
    this.state.model.collapsed.fill(0);
    this.relist();
  }

  /** Expands (1) or collapses (-1) one level of the listed rows. */
  level(direction: 1 | -1): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    const changed =
      direction > 0 ? expandOneLevel(data, model.collapsed, model.rows) : collapseOneLevel(data, model.collapsed, model.rows);
    if (changed) this.relist();
  }

  /** Collapses the spans with children shorter than `us` microseconds and says how many. */
  collapseShorterThan(us: number): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    const count = collapseShorterThan(data, model.collapsed, us);
    this.hooks.message(
      count === 0
        ? `No span with children is shorter than ${formatDuration(us)}.`
        : `Collapsed ${count.toLocaleString('en-US')} spans shorter than ${formatDuration(us)}.`,
    );
    this.relist();
  }

  /** Shows the subtree of `row` alone. */
  focusOn(row: number): void {
    const { data, model } = this.state;
    if (!data || !model || row < 0 || !data.hasChildren(row)) return;
    if (this.state.focusRow === row) return;
    this.state.focusStack.push(row);
    model.collapsed[row] = 0;
    this.afterFocusChange();
  }

  /** Back to the subtree focused before; false when nothing was focused. */
  unfocus(): boolean {
    if (this.state.focusStack.length === 0) return false;
    this.state.focusStack.pop();
    this.afterFocusChange();
    return true;
  }

  private afterFocusChange(): void {
    const model = this.state.model!;
    model.window = this.fullWindow();
    this.hooks.focusChanged();
    this.refreshCritical();
    this.view.scrollTop = 0;
    this.relist();
  }

  /** The critical path of the focused subtree (or the trace), when it is shown or filters the rows. */
  refreshCritical(): void {
    const { model, data } = this.state;
    if (!model || !data || !data.complete) return;
    model.showCritical = this.hooks.showCritical();
    if (model.showCritical || this.state.criticalOnly) {
      const root = criticalRoot(data, this.state.focusRow);
      if (!model.critical || model.critical.root !== root) model.critical = Object.assign(criticalPath(data, root), { root });
    }
    if (this.state.criticalOnly) this.relist();
    else {
      model.rows = this.listRows();
      this.view.rowsChanged();
      this.hooks.save();
    }
  }

  setWindow(w: TimeWindow): void {
    if (!this.state.model) return;
    this.state.model.window = w;
    this.view.invalidate(false);
    this.hooks.save();
  }

  /** The whole focused subtree (or trace) in the window. */
  resetZoom(): void {
    if (this.state.data && this.state.model) this.setWindow(this.fullWindow());
  }

  private fullWindow(): TimeWindow {
    const data = this.state.data!;
    const focus = this.state.focusRow;
    return focus >= 0
      ? clampWindow({ startUs: data.startUs[focus]!, endUs: data.endUs(focus) }, data.header.durationUs)
      : { startUs: 0, endUs: data.header.durationUs };
  }
}
