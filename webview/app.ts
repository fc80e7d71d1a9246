/**
 * The waterfall webview's controller: receives the trace from the host, owns the UI state (collapsed rows,
 * selection, zoom, search, focus), persists it, and wires the toolbar, the waterfall, the detail pane and
 * the statistics tab together.
 */
import type { HostMessage, WaterfallViewState } from '../src/protocol/messages';
import { SpanFlags, type SpanDetail, type WaterfallHeader } from '../src/protocol/waterfallData';
import { decodeBitset, encodeBitset } from './bitset';
import { criticalPath, criticalRoot } from './criticalPath';
import { DetailPane } from './detailPane';
import { h, icon, iconButton, textButton } from './dom';
import type { HostChannel } from './hostChannel';
import { ServiceLegend } from './legend';
import { computeStatistics } from './statistics';
import { StatsView } from './statsView';
import { readTheme, watchTheme } from './theme';
import { clampWindow, formatDuration, type TimeWindow } from './timeScale';
import { TraceData } from './traceData';
import { TraceWarnings } from './traceWarnings';
import { WaterfallToolbar } from './toolbar';
import {
  collapseAll,
  collapseOneLevel,
  collapseShorterThan,
  expandAncestors,
  expandOneLevel,
  visibleRows,
  withAncestors,
} from './visibleRows';
import { indexOf, type EventTicks, type WaterfallModel } from './model';
import { WaterfallView } from './waterfallView';

/** Timings of the last trace shown, in performance.now() milliseconds; read by the benchmark and tests. */
export interface WaterfallMetrics {
  headerAt: number;
  firstPaintAt: number;
  completeAt: number;
  /** everything, including the deferred critical path, is done and the next task runs: input is handled */
  interactiveAt: number;
  rows: number;
}

const DETAIL_DEBOUNCE_MS = 60;
const SEARCH_DEBOUNCE_MS = 150;
const SAVE_DEBOUNCE_MS = 300;
const EVENTS_DEBOUNCE_MS = 200;
/**
 * Below this width (CSS pixels of the panel) the detail pane goes under the waterfall, so that the bars keep
 * the width; above it the pane sits on the right and never takes more than MAX_DETAIL_SHARE of the width.
 */
export const NARROW_WIDTH = 900;
const MAX_DETAIL_SHARE = 0.4;
const MIN_DETAIL_WIDTH = 220;
const MIN_DETAIL_HEIGHT = 120;
/**
 * Share of the height below the toolbars that the detail pane takes in the narrow layout until the user
 * drags it: the rows keep the larger part, as in a drawer under an editor.
 */
const NARROW_DETAIL_SHARE = 0.3;
/** pixels the detail pane opens with at least, when there is room: its heading, actions and first facts */
const NARROW_DETAIL_COMFORT = 200;
/** pixels of the waterfall kept above the detail pane in the narrow layout */
const MIN_WATERFALL_HEIGHT = 160;
/** pixels a splitter moves per arrow key */
const SPLITTER_STEP = 20;
/**
 * Span details asked for only to learn the times of a row's events (for the ticks on its bar) carry a seq
 * from this base up, so that they never match the selection's seq, which counts from 0.
 */
const EVENT_SEQ_BASE = 2 ** 40;

export class WaterfallApp {
  readonly metrics: WaterfallMetrics = { headerAt: 0, firstPaintAt: 0, completeAt: 0, interactiveAt: 0, rows: 0 };
  readonly view: WaterfallView;
  private readonly detail: DetailPane;
  private readonly stats: StatsView;
  private readonly titleEl: HTMLElement;
  private readonly metaEl: HTMLElement;
  private readonly toolbar: WaterfallToolbar;
  private readonly legend: ServiceLegend;
  private readonly warnings: TraceWarnings;
  /** the legend and the warnings control, on one line */
  private readonly traceStrip: HTMLElement;
  private readonly focusBar: HTMLElement;
  private readonly messageEl: HTMLElement;
  private readonly tabs: { waterfall: HTMLElement; statistics: HTMLElement };
  private readonly mainEl: HTMLElement;
  private readonly detailSplitter: HTMLElement;

  private data: TraceData | undefined;
  private model: WaterfallModel | undefined;
  private restored: WaterfallViewState | undefined;
  private focusStack: number[] = [];
  private searchQuery = '';
  private searchSeq = 0;
  private searchRows: Int32Array | undefined;
  private searchMode: 'highlight' | 'hide' = 'highlight';
  private criticalOnly = false;
  private tab: 'waterfall' | 'statistics' = 'waterfall';
  private detailSeq = 0;
  private detailTimer = 0;
  private searchTimer = 0;
  private saveTimer = 0;
  private locationTimer = 0;
  private askedLocations = new Uint8Array(0);
  private detailWidth = 380;
  /** height of the detail pane in the narrow layout; undefined until the user drags it */
  private detailHeight: number | undefined;
  private narrow = false;
  /** rows on screen whose event times are still to be asked for, one request at a time */
  private eventQueue: number[] = [];
  private eventSeq = EVENT_SEQ_BASE;
  private eventPending = false;
  private eventsTimer = 0;
  private askedEvents = new Uint8Array(0);
  private pendingFocusSpanId: string | undefined;

  constructor(
    private readonly channel: HostChannel,
    private readonly container: HTMLElement,
  ) {
    const theme = readTheme();
    this.view = new WaterfallView(
      {
        select: (row) => this.select(row, true),
        toggle: (row) => this.toggle(row),
        goToCode: (row) => this.channel.post({ type: 'goToCode', row }),
        setWindow: (w) => this.setWindow(w),
        viewportChanged: (first, last) => this.viewportChanged(first, last),
        key: (e) => this.onViewKey(e),
      },
      theme,
    );
    this.detail = new DetailPane({
      goToCode: (row) => this.channel.post({ type: 'goToCode', row }),
      focusSubtree: (row) => this.focusOn(row),
      copy: (text, what) => this.channel.post({ type: 'copy', text, what }),
      copyValue: (row, section, key) => this.channel.post({ type: 'copyValue', row, section, key }),
      openExternal: (url) => this.channel.post({ type: 'openExternal', url }),
      openLinkedTrace: (traceId, spanId) => this.channel.post({ type: 'openLinkedTrace', traceId, spanId }),
      openInBackend: (row) => this.channel.post({ type: 'openInBackend', row }),
      close: () => {
        this.select(-1, false);
        this.view.focus();
      },
    });
    this.stats = new StatsView((service) => this.data?.header.services.indexOf(service) ?? 0);

    this.titleEl = h('h1', { className: 'title', text: 'Loading trace…' });
    this.metaEl = h('div', { className: 'meta' });
    this.tabs = {
      waterfall: h('button', { className: 'tab', text: 'Waterfall', attrs: { role: 'tab', 'aria-selected': 'true' } }),
      statistics: h('button', { className: 'tab', text: 'Statistics', attrs: { role: 'tab', 'aria-selected': 'false' } }),
    };
    this.tabs.waterfall.addEventListener('click', () => this.setTab('waterfall'));
    this.tabs.statistics.addEventListener('click', () => this.setTab('statistics'));
    const header = h('header', { className: 'header' }, [
      h('div', { className: 'heading' }, [this.titleEl, this.metaEl]),
      h('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Views' } }, [
        this.tabs.waterfall,
        this.tabs.statistics,
      ]),
    ]);

    this.toolbar = new WaterfallToolbar({
      searchInput: () => this.onSearchInput(),
      searchKey: (e) => this.onSearchKey(e),
      nextMatch: (direction) => this.nextMatch(direction),
      hideOthers: (on) => {
        this.searchMode = on ? 'hide' : 'highlight';
        this.relist();
      },
      critical: () => this.refreshCritical(),
      criticalOnly: (on) => {
        this.criticalOnly = on;
        this.refreshCritical();
      },
      collapseAll: () => this.collapseEverything(),
      expandAll: () => this.expandEverything(),
      level: (direction) => this.level(direction),
      collapseShorter: (us) => this.collapseShort(us),
      resetZoom: () => this.resetZoom(),
      openInBackend: () => this.channel.post({ type: 'openInBackend' }),
    });
    this.toolbar.critical = true;
    this.focusBar = h('div', { className: 'focus-bar', attrs: { role: 'status' } });
    this.focusBar.hidden = true;
    this.legend = new ServiceLegend((service) => {
      this.toolbar.searchField.value = `service=${service.includes(' ') ? `"${service}"` : service}`;
      this.searchQuery = this.toolbar.searchField.value;
      this.postSearch();
    });
    this.warnings = new TraceWarnings();
    this.traceStrip = h('div', { className: 'trace-strip' }, [this.legend.root, this.warnings.button]);
    this.traceStrip.hidden = true;
    this.messageEl = h('div', { className: 'message', attrs: { role: 'alert' } });
    this.messageEl.hidden = true;

    this.detailSplitter = h('div', {
      className: 'detail-splitter',
      attrs: { role: 'separator', tabindex: '0', 'aria-orientation': 'vertical', 'aria-label': 'Resize details' },
    });
    this.installDetailSplitter();
    this.mainEl = h('div', { className: 'main idle' }, [this.view.root, this.detailSplitter, this.detail.root]);
    this.stats.root.hidden = true;
    container.replaceChildren(
      header,
      this.toolbar.root,
      this.focusBar,
      this.traceStrip,
      this.warnings.list,
      this.messageEl,
      this.mainEl,
      this.stats.root,
    );

    watchTheme(() => this.view.setTheme(readTheme()));
    document.addEventListener('keydown', (e) => this.onDocumentKey(e));
    this.restored = channel.getState();
    if (this.restored) {
      this.detailWidth = clampNumber(this.restored.detailWidth, 220, 1200, 380);
    }
    const layoutObserver = new ResizeObserver(() => this.layout());
    layoutObserver.observe(this.container);
    layoutObserver.observe(this.mainEl);
    this.layout();
    this.detail.root.addEventListener('keydown', (e) => {
      // Under the waterfall the pane is a drawer: Escape closes it and gives the keyboard back to the tree.
      if (e.key === 'Escape' && this.narrow && this.model && this.model.selected >= 0) {
        e.preventDefault();
        this.select(-1, false);
        this.view.focus();
      }
    });
    channel.listen((m) => this.onMessage(m));
  }

  private onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'traceHeader':
        this.begin(m.header, m.focusSpanId);
        return;
      case 'traceChunk': {
        const data = this.data;
        if (!data || !data.addChunk(m.chunk)) return;
        this.chunkArrived(data);
        return;
      }
      case 'loadError':
        this.showMessage(m.message);
        return;
      case 'spanDetail':
        if (!this.data) return;
        this.learnEvents(m.detail);
        if (m.seq === this.detailSeq)
          this.detail.show(m.detail as SpanDetail, this.data.service[m.detail.row] ?? 0, this.data.header.hasBackendUi);
        if (m.seq === this.eventSeq) {
          this.eventPending = false;
          this.askNextEvents();
        }
        return;
      case 'searchResult':
        if (m.seq === this.searchSeq) this.applySearch(m.rows);
        return;
      case 'locations':
        if (this.model) {
          const mapped = this.model.mapped;
          mapped.set(m.mapped.subarray(0, Math.max(0, mapped.length - m.from)), m.from);
          this.view.invalidate(true);
        }
        return;
      case 'revealSpan': {
        const row = this.data?.rowOfSpanId(m.spanId) ?? -1;
        if (row >= 0) this.reveal(row);
        return;
      }
    }
  }

  private begin(header: WaterfallHeader, focusSpanId: string | undefined): void {
    this.metrics.headerAt = performance.now();
    this.metrics.firstPaintAt = 0;
    this.metrics.completeAt = 0;
    this.metrics.interactiveAt = 0;
    this.messageEl.hidden = true;
    const data = new TraceData(header);
    this.data = data;
    const state = this.restored?.traceId === header.traceId ? this.restored : undefined;
    const total = header.durationUs;
    this.model = {
      data,
      rows: new Int32Array(0),
      collapsed: state ? decodeBitset(state.collapsed, data.n) : new Uint8Array(data.n),
      selected: -1,
      window: state ? clampWindow({ startUs: state.viewStartUs, endUs: state.viewEndUs }, total) : { startUs: 0, endUs: total },
      match: undefined,
      currentMatch: -1,
      dimNonMatches: true,
      critical: undefined,
      showCritical: this.toolbar.critical,
      mapped: new Uint8Array(data.n),
      depthBase: 0,
      eventTicks: new Map(),
    };
    this.askedLocations = new Uint8Array(data.n);
    this.askedEvents = new Uint8Array(data.n);
    this.eventQueue = [];
    this.eventPending = false;
    this.focusStack = [];
    this.searchRows = undefined;
    this.pendingFocusSpanId = focusSpanId;
    if (state) {
      this.searchQuery = state.searchQuery;
      this.toolbar.searchField.value = state.searchQuery;
      this.searchMode = state.searchMode;
      this.toolbar.hideOthers = state.searchMode === 'hide';
      this.criticalOnly = state.criticalOnly;
      this.toolbar.criticalOnly = state.criticalOnly;
    }
    this.renderHeader(header);
    this.view.setModel(this.model);
  }

  private chunkArrived(data: TraceData): void {
    const model = this.model!;
    const first = this.metrics.firstPaintAt === 0;
    model.rows = this.listRows();
    if (first) {
      this.renderTitle();
      this.view.rowsChanged();
      this.view.renderNow();
      this.metrics.firstPaintAt = performance.now();
      this.metrics.rows = model.rows.length;
      this.channel.post({
        type: 'rendered',
        rows: model.rows.length,
        ms: Math.round(this.metrics.firstPaintAt - this.metrics.headerAt),
      });
    } else if (!data.complete) {
      // Between the first and the last chunk only the list grows; the overview is drawn once at the end.
      this.view.invalidate(true);
    }
    if (data.complete) this.complete(data);
  }

  private complete(data: TraceData): void {
    const model = this.model!;
    const state = this.restored?.traceId === data.header.traceId ? this.restored : undefined;
    if (state?.focusSpanId) {
      const row = data.rowOfSpanId(state.focusSpanId);
      if (row >= 0) this.focusStack = [row];
    }
    const reveal = this.pendingFocusSpanId ?? state?.selectedSpanId;
    model.rows = this.listRows();
    this.applyFocusBar();
    this.view.rowsChanged();
    if (state) this.view.scrollTop = state.scrollTop;
    if (reveal !== undefined) {
      const row = data.rowOfSpanId(reveal);
      if (row >= 0) {
        if (this.pendingFocusSpanId !== undefined) this.reveal(row);
        else this.select(row, false);
      }
    }
    this.pendingFocusSpanId = undefined;
    this.renderTitle();
    if (state?.tab === 'statistics') this.setTab('statistics');
    this.view.renderNow();
    this.metrics.completeAt = performance.now();
    if (this.searchQuery.trim() !== '') this.postSearch();
    // Off the path to interactivity: the critical path costs a sort per span with children.
    setTimeout(() => {
      this.refreshCritical();
      setTimeout(() => (this.metrics.interactiveAt = performance.now()), 0);
    }, 0);
  }

  private listRows(): Int32Array {
    const model = this.model!;
    const data = this.data!;
    let keep: Uint8Array | undefined;
    if (this.criticalOnly && model.critical) keep = model.critical.onPath;
    if (this.searchMode === 'hide' && this.searchRows) {
      const matched = withAncestors(data, this.searchRows);
      if (keep) for (let i = 0; i < matched.length; i++) matched[i] = matched[i]! & keep[i]!;
      keep = matched;
    }
    return visibleRows(data, { collapsed: model.collapsed, focusRow: this.focusRow, keep });
  }

  private get focusRow(): number {
    return this.focusStack.length > 0 ? this.focusStack[this.focusStack.length - 1]! : -1;
  }

  /** Recomputes the listed rows, keeping the selected row in view when it is still listed. */
  private relist(): void {
    const model = this.model;
    if (!model || !this.data) return;
    model.rows = this.listRows();
    model.depthBase = this.focusRow >= 0 ? this.data.depth[this.focusRow]! : 0;
    model.dimNonMatches = this.searchMode === 'highlight';
    this.view.rowsChanged();
    if (model.selected >= 0) {
      const index = indexOf(model.rows, model.selected);
      if (index >= 0) this.view.revealIndex(index);
    }
    if (this.tab === 'statistics') this.refreshStats();
    this.save();
  }

  private select(row: number, fromUser: boolean): void {
    const model = this.model;
    const data = this.data;
    if (!model || !data) return;
    model.selected = row;
    this.mainEl.classList.toggle('idle', row < 0);
    if (row >= 0) {
      const index = indexOf(model.rows, row);
      if (index >= 0) this.view.revealIndex(index);
      this.detail.showLoading(data.nameOf(row));
      window.clearTimeout(this.detailTimer);
      const seq = ++this.detailSeq;
      // Holding an arrow key moves the selection faster than the host needs to answer; ask once it rests.
      this.detailTimer = window.setTimeout(
        () => this.channel.post({ type: 'requestDetail', row, seq }),
        fromUser ? DETAIL_DEBOUNCE_MS : 0,
      );
    } else {
      this.detailSeq++;
      this.detail.showEmpty();
    }
    this.view.invalidate(true);
    this.save();
  }

  /** Selects `row`, opening its collapsed ancestors and leaving a focus that does not contain it. */
  private reveal(row: number): void {
    const model = this.model;
    const data = this.data;
    if (!model || !data) return;
    if (this.focusRow >= 0 && !(row >= this.focusRow && row < data.subtreeEnd[this.focusRow]!)) this.focusStack = [];
    const listed = indexOf(model.rows, row) >= 0;
    if (!listed) {
      expandAncestors(data, model.collapsed, row);
      this.relist();
      this.applyFocusBar();
    }
    this.select(row, false);
  }

  private toggle(row: number): void {
    const model = this.model;
    if (!model) return;
    model.collapsed[row] = model.collapsed[row] === 1 ? 0 : 1;
    this.relist();
  }

  private collapseEverything(): void {
    if (!this.model || !this.data) return;
    collapseAll(this.data, this.model.collapsed);
    if (this.model.selected >= 0) {
      // The selection moves to its top-level ancestor, which stays listed.
      let r = this.model.selected;
      while (this.data.parent[r]! >= 0 && r !== this.focusRow) r = this.data.parent[r]!;
      this.model.selected = r;
    }
    this.relist();
  }

  private expandEverything(): void {
    if (!this.model) return;
    this.model.collapsed.fill(0);
    this.relist();
  }

  private level(direction: 1 | -1): void {
    const model = this.model;
    if (!model || !this.data) return;
    const changed =
      direction > 0
        ? expandOneLevel(this.data, model.collapsed, model.rows)
        : collapseOneLevel(this.data, model.collapsed, model.rows);
    if (changed) this.relist();
  }

  /** Collapses the spans with children shorter than `us` microseconds and says how many. */
  private collapseShort(us: number): void {
    const model = this.model;
    if (!model || !this.data) return;
    const count = collapseShorterThan(this.data, model.collapsed, us);
    this.showMessage(
      count === 0
        ? `No span with children is shorter than ${formatDuration(us)}.`
        : `Collapsed ${count.toLocaleString('en-US')} spans shorter than ${formatDuration(us)}.`,
      true,
    );
    this.relist();
  }

  private focusOn(row: number): void {
    if (!this.data || row < 0 || !this.data.hasChildren(row)) return;
    if (this.focusRow === row) return;
    this.focusStack.push(row);
    this.model!.collapsed[row] = 0;
    this.afterFocusChange();
  }

  private unfocus(): boolean {
    if (this.focusStack.length === 0) return false;
    this.focusStack.pop();
    this.afterFocusChange();
    return true;
  }

  private afterFocusChange(): void {
    const model = this.model!;
    const data = this.data!;
    const focus = this.focusRow;
    if (focus >= 0) {
      model.window = clampWindow({ startUs: data.startUs[focus]!, endUs: data.endUs(focus) }, data.header.durationUs);
    } else {
      model.window = { startUs: 0, endUs: data.header.durationUs };
    }
    this.applyFocusBar();
    this.refreshCritical();
    this.view.scrollTop = 0;
    this.relist();
  }

  private applyFocusBar(): void {
    const data = this.data;
    const focus = this.focusRow;
    if (!data || focus < 0) {
      this.focusBar.hidden = true;
      return;
    }
    const back = textButton('Back (Esc)', () => this.unfocus());
    this.focusBar.replaceChildren(
      icon('focus'),
      h('span', { text: 'Focused on ' }),
      h('strong', { text: data.nameOf(focus) }),
      h('span', {
        className: 'muted',
        text: ` · ${data.serviceOf(focus)} · ${formatDuration(data.durationUs[focus]!)} · ${(Math.min(data.subtreeEnd[focus]!, data.loaded) - focus).toLocaleString('en-US')} spans`,
      }),
      back,
    );
    this.focusBar.hidden = false;
  }

  private refreshCritical(): void {
    const model = this.model;
    const data = this.data;
    if (!model || !data || !data.complete) return;
    model.showCritical = this.toolbar.critical;
    if (model.showCritical || this.criticalOnly) {
      const root = criticalRoot(data, this.focusRow);
      if (!model.critical || model.critical.root !== root) {
        model.critical = Object.assign(criticalPath(data, root), { root });
      }
    }
    if (this.criticalOnly) this.relist();
    else {
      model.rows = this.listRows();
      this.view.rowsChanged();
      this.save();
    }
  }

  private setWindow(w: TimeWindow): void {
    if (!this.model) return;
    this.model.window = w;
    this.view.invalidate(false);
    this.save();
  }

  private resetZoom(): void {
    const data = this.data;
    if (!data || !this.model) return;
    const focus = this.focusRow;
    this.setWindow(
      focus >= 0
        ? clampWindow({ startUs: data.startUs[focus]!, endUs: data.endUs(focus) }, data.header.durationUs)
        : { startUs: 0, endUs: data.header.durationUs },
    );
  }

  // Search ------------------------------------------------------------------------------------------

  private onSearchInput(): void {
    this.searchQuery = this.toolbar.searchField.value ?? '';
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.postSearch(), SEARCH_DEBOUNCE_MS);
  }

  private postSearch(): void {
    const query = this.searchQuery.trim();
    this.searchSeq++;
    if (query === '') {
      this.applySearch(undefined);
      return;
    }
    this.channel.post({ type: 'search', query, seq: this.searchSeq });
  }

  private applySearch(rows: Int32Array | undefined): void {
    const model = this.model;
    const data = this.data;
    if (!model || !data) return;
    this.searchRows = rows;
    if (rows) {
      const match = new Uint8Array(data.n);
      for (const r of rows) match[r] = 1;
      model.match = match;
    } else {
      model.match = undefined;
    }
    model.currentMatch = -1;
    this.updateSearchCount();
    this.relist();
  }

  private updateSearchCount(): void {
    const rows = this.searchRows;
    const model = this.model;
    if (!rows) {
      this.toolbar.searchCount.textContent = '';
      return;
    }
    if (rows.length === 0) {
      this.toolbar.searchCount.textContent = 'No results';
      return;
    }
    const at = model && model.currentMatch >= 0 ? indexOf(rows, model.currentMatch) : -1;
    this.toolbar.searchCount.textContent =
      at >= 0 ? `${at + 1} of ${rows.length.toLocaleString('en-US')}` : `${rows.length.toLocaleString('en-US')} found`;
  }

  private nextMatch(direction: 1 | -1): void {
    const rows = this.searchRows;
    const model = this.model;
    if (!rows || rows.length === 0 || !model) return;
    const from = model.currentMatch >= 0 ? model.currentMatch : model.selected;
    let next: number;
    if (direction > 0) {
      next = rows.find((r) => r > from) ?? rows[0]!;
    } else {
      let prev = -1;
      for (const r of rows) if (r < from || from < 0) prev = r;
      next = prev >= 0 ? prev : rows[rows.length - 1]!;
    }
    model.currentMatch = next;
    this.reveal(next);
    this.updateSearchCount();
  }

  private onSearchKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      window.clearTimeout(this.searchTimer);
      if (this.searchRows === undefined || this.toolbar.searchField.value.trim() !== this.searchQuery.trim()) {
        this.searchQuery = this.toolbar.searchField.value;
        this.postSearch();
      } else this.nextMatch(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (this.toolbar.searchField.value !== '') {
        this.toolbar.searchField.value = '';
        this.searchQuery = '';
        this.postSearch();
      }
      this.view.focus();
    }
  }

  // Keys ----------------------------------------------------------------------------------------------

  private onDocumentKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    const typing =
      target !== null && (target.tagName === 'INPUT' || target.tagName === 'VSCODE-TEXT-FIELD' || target.isContentEditable);
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      this.toolbar.searchField.focus();
    } else if (e.key === 'F3') {
      e.preventDefault();
      this.nextMatch(e.shiftKey ? -1 : 1);
    }
  }

  private onViewKey(e: KeyboardEvent): boolean {
    const model = this.model;
    if (!model) return false;
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case 'f':
        this.focusOn(model.selected);
        return true;
      case 'Escape':
      case 'Backspace':
        return this.unfocus();
      case 'g':
        if (model.selected >= 0) this.channel.post({ type: 'goToCode', row: model.selected });
        return true;
      case 'c':
        this.toolbar.critical = !this.toolbar.critical;
        this.refreshCritical();
        return true;
      case 'n':
        this.nextMatch(1);
        return true;
      case 'N':
        this.nextMatch(-1);
        return true;
      case 'y':
        if (model.selected >= 0 && this.data)
          this.channel.post({ type: 'copy', text: this.data.spanIdOf(model.selected), what: 'span ID' });
        return true;
      case '*':
        this.expandEverything();
        return true;
    }
    return false;
  }

  // Header, legend, messages -------------------------------------------------------------------------

  private renderHeader(header: WaterfallHeader): void {
    this.toolbar.setBackendAvailable(header.hasBackendUi);
    this.titleEl.textContent = `Trace ${shortId(header.traceId)}`;
    this.titleEl.title = header.traceId;
    const copyId = iconButton('copy', 'Copy trace ID', () =>
      this.channel.post({ type: 'copy', text: header.traceId, what: 'trace ID' }),
    );
    this.metaEl.replaceChildren(
      h('span', { text: formatDuration(header.durationUs) }),
      h('span', { text: plural(header.spanCount, 'span') }),
      h('span', { text: plural(header.services.length, 'service') }),
      copyId,
    );
    const warnings = [...(header.partial ? [`Incomplete trace: ${header.partial}`] : []), ...header.warnings];
    this.legend.show(header.services);
    this.warnings.show(warnings);
    this.traceStrip.hidden = header.services.length === 0 && warnings.length === 0;
  }

  /** Title and errors once the rows are known: the first root names the trace. */
  private renderTitle(): void {
    const data = this.data;
    if (!data || data.loaded === 0) return;
    let errors = 0;
    for (let r = 0; r < data.loaded; r++) if ((data.flags[r]! & SpanFlags.error) !== 0) errors++;
    this.titleEl.textContent = `${data.serviceOf(0)}: ${data.nameOf(0)}`;
    this.metaEl.querySelector('.errors')?.remove();
    if (errors > 0) {
      this.metaEl.insertBefore(
        h('span', { className: 'errors', text: `${errors.toLocaleString('en-US')} ${errors === 1 ? 'error' : 'errors'}` }),
        this.metaEl.lastChild,
      );
    }
  }

  private showMessage(text: string, transient = false): void {
    this.messageEl.textContent = text;
    this.messageEl.hidden = false;
    if (transient) setTimeout(() => (this.messageEl.hidden = true), 4000);
  }

  private setTab(tab: 'waterfall' | 'statistics'): void {
    this.tab = tab;
    this.tabs.waterfall.setAttribute('aria-selected', String(tab === 'waterfall'));
    this.tabs.statistics.setAttribute('aria-selected', String(tab === 'statistics'));
    this.mainEl.hidden = tab !== 'waterfall';
    this.stats.root.hidden = tab !== 'statistics';
    if (tab === 'statistics') this.refreshStats();
    this.save();
  }

  private refreshStats(): void {
    const data = this.data;
    if (!data) return;
    const focus = this.focusRow;
    if (focus >= 0) {
      const rows = new Int32Array(Math.min(data.subtreeEnd[focus]!, data.loaded) - focus).map((_, i) => focus + i);
      this.stats.show(
        computeStatistics(data, rows),
        `Spans under ${data.nameOf(focus)} (${rows.length.toLocaleString('en-US')})`,
      );
    } else {
      this.stats.show(computeStatistics(data), `All ${data.loaded.toLocaleString('en-US')} spans`);
    }
  }

  private viewportChanged(first: number, last: number): void {
    this.save();
    window.clearTimeout(this.eventsTimer);
    this.eventsTimer = window.setTimeout(() => this.queueEvents(first, last), EVENTS_DEBOUNCE_MS);
    window.clearTimeout(this.locationTimer);
    this.locationTimer = window.setTimeout(() => {
      const asked = this.askedLocations;
      const lo = Math.max(0, first);
      const hi = Math.min(asked.length, last + 1);
      let any = false;
      for (let r = lo; r < hi; r++) if (asked[r] === 0) any = true;
      if (!any) return;
      asked.fill(1, lo, hi);
      this.channel.post({ type: 'requestLocations', from: lo, to: hi });
    }, 100);
  }

  private save(): void {
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.saveNow(), SAVE_DEBOUNCE_MS);
  }

  private saveNow(): void {
    const data = this.data;
    const model = this.model;
    if (!data || !model) return;
    const state: WaterfallViewState = {
      version: 1,
      traceId: data.header.traceId,
      scrollTop: this.view.scrollTop,
      viewStartUs: model.window.startUs,
      viewEndUs: model.window.endUs,
      collapsed: encodeBitset(model.collapsed),
      searchQuery: this.searchQuery,
      searchMode: this.searchMode,
      criticalOnly: this.criticalOnly,
      tab: this.tab,
      detailWidth: this.detailWidth,
    };
    if (model.selected >= 0) state.selectedSpanId = data.spanIdOf(model.selected);
    if (this.focusRow >= 0) state.focusSpanId = data.spanIdOf(this.focusRow);
    this.restored = state;
    this.channel.setState(state);
  }

  // Event ticks -------------------------------------------------------------------------------------

  /** Keeps the event times of any span detail the host sends, for the ticks on that span's bar. */
  private learnEvents(detail: SpanDetail): void {
    const model = this.model;
    // Messages arrive in order: a detail of an earlier trace lands before the next trace's header.
    if (!model || detail.events.length === 0 || detail.row >= model.data.n || model.eventTicks.has(detail.row)) return;
    const ticks: EventTicks = {
      offsetUs: Float64Array.from(detail.events, (e) => e.offsetUs),
      exception: Uint8Array.from(detail.events, (e) => (e.name === 'exception' ? 1 : 0)),
    };
    model.eventTicks.set(detail.row, ticks);
    this.view.invalidate(false);
  }

  /**
   * The chunks say which spans have events but not when; the times come with a span's details. Rows on
   * screen that have events are asked for one at a time, so that a detail the user asks for waits for at
   * most one of them; scrolling on replaces the rows still waiting.
   */
  private queueEvents(first: number, last: number): void {
    const model = this.model;
    const data = this.data;
    if (!model || !data) return;
    const from = indexOf(model.rows, first);
    const to = indexOf(model.rows, last);
    if (from < 0 || to < 0) return;
    const asked = this.askedEvents;
    this.eventQueue = [];
    for (let i = from; i <= to; i++) {
      const row = model.rows[i]!;
      if (asked[row] === 0 && (data.flags[row]! & SpanFlags.hasEvents) !== 0) this.eventQueue.push(row);
    }
    this.askNextEvents();
  }

  private askNextEvents(): void {
    if (this.eventPending) return;
    const row = this.eventQueue.shift();
    if (row === undefined) return;
    this.askedEvents[row] = 1;
    this.eventPending = true;
    this.channel.post({ type: 'requestDetail', row, seq: ++this.eventSeq });
  }

  // Layout ------------------------------------------------------------------------------------------

  /** Puts the detail pane beside the waterfall, or under it when the panel is narrow, and sizes it. */
  private layout(): void {
    const narrow = this.container.clientWidth < NARROW_WIDTH;
    if (narrow !== this.narrow) {
      this.narrow = narrow;
      this.mainEl.classList.toggle('narrow', narrow);
      this.detailSplitter.setAttribute('aria-orientation', narrow ? 'horizontal' : 'vertical');
    }
    this.applyDetailSize();
  }

  private applyDetailSize(): void {
    const style = this.detail.root.style;
    if (this.narrow) {
      const [min, max] = this.detailHeightRange();
      const preferred = Math.max(NARROW_DETAIL_COMFORT, this.mainEl.clientHeight * NARROW_DETAIL_SHARE);
      const height = Math.round(clampNumber(this.detailHeight ?? preferred, min, max, min));
      style.width = '';
      style.height = `${height}px`;
      this.setSplitterValue(height, min, max);
    } else {
      const [min, max] = this.detailWidthRange();
      const width = Math.round(clampNumber(this.detailWidth, min, max, min));
      style.height = '';
      style.width = `${width}px`;
      this.setSplitterValue(width, min, max);
    }
  }

  private detailWidthRange(): [number, number] {
    return [MIN_DETAIL_WIDTH, Math.max(MIN_DETAIL_WIDTH, Math.floor(this.container.clientWidth * MAX_DETAIL_SHARE))];
  }

  private detailHeightRange(): [number, number] {
    const available = this.mainEl.clientHeight;
    return [MIN_DETAIL_HEIGHT, Math.max(MIN_DETAIL_HEIGHT, available - MIN_WATERFALL_HEIGHT)];
  }

  private setSplitterValue(value: number, min: number, max: number): void {
    this.detailSplitter.setAttribute('aria-valuenow', String(value));
    this.detailSplitter.setAttribute('aria-valuemin', String(min));
    this.detailSplitter.setAttribute('aria-valuemax', String(max));
  }

  /** Grows the detail pane by `delta` pixels: leftwards when it is on the right, upwards when it is below. */
  private resizeDetail(from: number, delta: number): void {
    if (this.narrow) {
      const [min, max] = this.detailHeightRange();
      this.detailHeight = clampNumber(from + delta, min, max, from);
    } else {
      const [min, max] = this.detailWidthRange();
      this.detailWidth = clampNumber(from + delta, min, max, from);
    }
    this.applyDetailSize();
  }

  private currentDetailSize(): number {
    return this.narrow ? this.detail.root.offsetHeight : this.detail.root.offsetWidth;
  }

  private installDetailSplitter(): void {
    this.detailSplitter.addEventListener('pointerdown', (e) => {
      const start = this.narrow ? e.clientY : e.clientX;
      const startSize = this.currentDetailSize();
      this.detailSplitter.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent): void => this.resizeDetail(startSize, start - (this.narrow ? ev.clientY : ev.clientX));
      const up = (): void => {
        this.detailSplitter.removeEventListener('pointermove', move);
        this.detailSplitter.removeEventListener('pointerup', up);
        this.save();
      };
      this.detailSplitter.addEventListener('pointermove', move);
      this.detailSplitter.addEventListener('pointerup', up);
    });
    this.detailSplitter.addEventListener('keydown', (e) => {
      const [bigger, smaller] = this.narrow ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
      const direction = e.key === bigger ? 1 : e.key === smaller ? -1 : 0;
      if (direction === 0) return;
      e.preventDefault();
      this.resizeDetail(this.currentDetailSize(), direction * SPLITTER_STEP);
      this.save();
    });
  }
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}
