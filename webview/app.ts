/**
 * The webview's composition root: builds the components around one AppState (header and tabs, toolbar,
 * focus bar, legend, the views, the detail pane), wires them to each other and to the host channel, and
 * receives the trace: the header, then the chunks, with the saved view state applied once all are in.
 *
 * Who does what: treeController.ts (rows: select, fold, focus, critical path, zoom), searchController.ts,
 * spanRequests.ts (details, event ticks, code locations), detailLayout.ts (the pane and its splitter),
 * savedState.ts, viewSwitcher.ts (the views and their tabs).
 */
import type { HostNotification, WaterfallViewState } from '../src/protocol/messages';
import type { WaterfallHeader } from '../src/protocol/waterfallData';
import { decodeBitset } from './bitset';
import { DetailLayout } from './detailLayout';
import { DetailPane } from './detailPane';
import { h } from './dom';
import { FlameGraph } from './flameGraph';
import { FocusBar } from './focusBar';
import type { HostChannel } from './hostChannel';
import type { WaterfallModel } from './model';
import { SavedState } from './savedState';
import { SearchController } from './searchController';
import { SpanRequests } from './spanRequests';
import { SpansTable } from './spansTable';
import { AppState } from './state';
import { StatsView } from './statsView';
import { readTheme, watchTheme } from './theme';
import { clampWindow } from './timeScale';
import { WaterfallToolbar } from './toolbar';
import { TraceData } from './traceData';
import { TraceHeader } from './traceHeader';
import { TraceGraphView } from './traceGraphView';
import { TreeController } from './treeController';
import { ViewSwitcher, type SpanActions, type TraceView } from './viewSwitcher';
import { WaterfallView } from './waterfallView';

/** Timings of the last trace shown, in performance.now() milliseconds; read by the benchmark and tests. */
export interface WaterfallMetrics {
  headerAt: number;
  /** the first rows were drawn into the page (not yet painted) */
  drawnAt: number;
  /** the first rows were painted: a task after the next frame */
  firstPaintAt: number;
  completeAt: number;
  /** everything, including the deferred critical path, is done and the next task runs: input is handled */
  interactiveAt: number;
  rows: number;
}

/** Milliseconds a transient message (e.g. how many spans a collapse folded) stays. */
const MESSAGE_MS = 4000;

export class WaterfallApp {
  readonly metrics: WaterfallMetrics = { headerAt: 0, drawnAt: 0, firstPaintAt: 0, completeAt: 0, interactiveAt: 0, rows: 0 };
  readonly state = new AppState();
  readonly view: WaterfallView;
  private readonly table: SpansTable;
  readonly flame: FlameGraph;
  readonly graph: TraceGraphView;
  private readonly stats: StatsView;
  private readonly detail: DetailPane;
  private readonly switcher: ViewSwitcher;
  private readonly header: TraceHeader;
  private readonly toolbar: WaterfallToolbar;
  private readonly focusBar: FocusBar;
  private readonly messageEl: HTMLElement;
  private readonly layout: DetailLayout;
  private readonly saved: SavedState;
  private readonly tree: TreeController;
  private readonly search: SearchController;
  private readonly requests: SpanRequests;
  /** the saved state of the trace being received, applied once all of it is in */
  private restoring: WaterfallViewState | undefined;
  /** the span the host asked to reveal with this trace */
  private pendingFocusSpanId: string | undefined;

  constructor(
    private readonly channel: HostChannel,
    container: HTMLElement,
  ) {
    const state = this.state;
    const post = channel.post.bind(channel);
    this.view = new WaterfallView(
      {
        select: (row) => this.tree.select(row, true),
        toggle: (row) => this.tree.toggle(row),
        goToCode: (row) => post({ type: 'goToCode', row }),
        setWindow: (w) => this.tree.setWindow(w),
        viewportChanged: (rows) => {
          this.saved.save();
          this.requests.rowsOnScreen(rows);
        },
        key: (e) => this.onViewKey(e),
      },
      readTheme(),
    );
    const actions: SpanActions = {
      select: (row) => this.tree.select(row, true),
      goToCode: (row) => post({ type: 'goToCode', row }),
      copy: (text, what) => post({ type: 'copy', text, what }),
      rowsOnScreen: (rows) => this.requests.rowsOnScreen(rows),
      save: () => this.saved.save(),
    };
    this.table = new SpansTable(state, actions);
    this.flame = new FlameGraph(state, actions, readTheme());
    this.graph = new TraceGraphView(state, actions);
    this.stats = new StatsView(state);
    this.detail = new DetailPane({
      goToCode: (row) => post({ type: 'goToCode', row }),
      focusSubtree: (row) => this.tree.focusOn(row),
      copy: (text, what) => post({ type: 'copy', text, what }),
      copyValue: (row, section, key) => post({ type: 'copyValue', row, section, key }),
      openExternal: (url) => post({ type: 'openExternal', url }),
      openLinkedTrace: (traceId, spanId) => post({ type: 'openLinkedTrace', traceId, spanId }),
      openInBackend: (row) => post({ type: 'openInBackend', row }),
      close: () => {
        this.tree.select(-1, false);
        this.switcher.active.focus();
      },
    });
    const views: TraceView[] = [this.view, this.table, this.flame, this.graph, this.stats];
    this.switcher = new ViewSwitcher(views, (view) => this.viewShown(view));
    this.header = new TraceHeader(
      this.switcher.tablist,
      (text, what) => post({ type: 'copy', text, what }),
      (service) => this.search.searchFor(`service=${service.includes(' ') ? `"${service}"` : service}`),
    );
    this.toolbar = new WaterfallToolbar({
      searchInput: () => this.search.onInput(),
      searchKey: (e) => this.search.onKey(e),
      nextMatch: (direction) => this.search.next(direction),
      hideOthers: (on) => {
        state.searchMode = on ? 'hide' : 'highlight';
        this.tree.relist();
      },
      critical: () => this.tree.refreshCritical(),
      criticalOnly: (on) => {
        state.criticalOnly = on;
        this.tree.refreshCritical();
      },
      collapseAll: () => this.tree.collapseEverything(),
      expandAll: () => this.tree.expandEverything(),
      level: (direction) => this.tree.level(direction),
      collapseShorter: (us) => this.tree.collapseShorterThan(us),
      resetZoom: () => this.tree.resetZoom(),
      openInBackend: () => post({ type: 'openInBackend' }),
    });
    this.toolbar.critical = true;
    this.focusBar = new FocusBar(() => this.tree.unfocus());
    this.messageEl = h('div', { className: 'message', attrs: { role: 'alert' } });
    this.messageEl.hidden = true;

    this.saved = new SavedState(channel, state, () => this.view.scrollTop);
    this.layout = new DetailLayout(
      container,
      state,
      this.detail.root,
      views.map((v) => v.root),
      () => this.saved.save(),
    );
    this.tree = new TreeController(state, this.view, {
      selected: (row, fromUser) => this.selected(row, fromUser),
      relisted: () => this.switcher.active.refresh(),
      focusChanged: () => this.focusBar.show(state.data, state.focusRow),
      showCritical: () => this.toolbar.critical,
      message: (text) => this.showMessage(text, true),
      save: () => this.saved.save(),
    });
    this.search = new SearchController(channel, state, this.toolbar, {
      relist: () => this.tree.relist(),
      reveal: (row) => this.tree.reveal(row),
      focusRows: () => this.switcher.active.focus(),
    });
    this.requests = new SpanRequests(channel, state, {
      detail: (detail) => {
        const data = state.data;
        if (data) this.detail.show(detail, data.service[detail.row] ?? 0, data.header.hasBackendUi);
      },
      detailFailed: (row, message) => this.detail.showError(state.data?.nameOf(row) ?? '', message),
      redraw: (content) => {
        this.view.invalidate(content);
        this.switcher.active.redraw?.();
      },
    });

    container.replaceChildren(
      this.header.root,
      this.toolbar.root,
      this.focusBar.root,
      this.header.strip,
      this.header.warningList,
      this.messageEl,
      this.layout.main,
    );
    this.layout.layout();
    watchTheme(() => {
      const theme = readTheme();
      this.view.setTheme(theme);
      this.flame.setTheme(theme);
    });
    document.addEventListener('keydown', (e) => this.onDocumentKey(e));
    this.detail.root.addEventListener('keydown', (e) => {
      // Under the waterfall the pane is a drawer: Escape closes it and gives the keyboard back to the tree.
      if (e.key === 'Escape' && this.layout.narrow && state.model && state.model.selected >= 0) {
        e.preventDefault();
        this.tree.select(-1, false);
        this.switcher.active.focus();
      }
    });
    channel.listen((m) => this.onMessage(m));
  }

  /** The model the views draw (for tests). */
  get model(): WaterfallModel | undefined {
    return this.state.model;
  }

  private onMessage(m: HostNotification): void {
    switch (m.type) {
      case 'traceHeader':
        this.begin(m.header, m.focusSpanId);
        return;
      case 'traceChunk': {
        const data = this.state.data;
        if (data && data.addChunk(m.chunk)) this.chunkArrived(data);
        return;
      }
      case 'loadError':
        this.showMessage(m.message);
        return;
      case 'revealSpan': {
        const row = this.state.data?.rowOfSpanId(m.spanId) ?? -1;
        if (row >= 0) this.tree.reveal(row);
        return;
      }
      default: {
        const unreachable: never = m;
        void unreachable;
      }
    }
  }

  private begin(header: WaterfallHeader, focusSpanId: string | undefined): void {
    this.metrics.headerAt = performance.now();
    this.metrics.drawnAt = 0;
    this.metrics.firstPaintAt = 0;
    this.metrics.completeAt = 0;
    this.metrics.interactiveAt = 0;
    this.messageEl.hidden = true;
    const state = this.state;
    const data = new TraceData(header);
    const saved = this.saved.of(header.traceId);
    this.restoring = saved;
    this.pendingFocusSpanId = focusSpanId;
    this.requests.reset(data.n);
    this.search.reset();
    const total = header.durationUs;
    state.data = data;
    state.model = {
      data,
      rows: new Int32Array(0),
      collapsed: saved ? decodeBitset(saved.collapsed, data.n) : new Uint8Array(data.n),
      selected: -1,
      window: saved ? clampWindow({ startUs: saved.viewStartUs, endUs: saved.viewEndUs }, total) : { startUs: 0, endUs: total },
      match: undefined,
      currentMatch: -1,
      dimNonMatches: true,
      critical: undefined,
      showCritical: this.toolbar.critical,
      mapped: new Uint8Array(data.n),
      depthBase: 0,
      eventTicks: new Map(),
    };
    state.focusStack = [];
    state.flameZoom = -1;
    if (saved) {
      state.searchQuery = saved.searchQuery;
      this.toolbar.searchField.value = saved.searchQuery;
      state.searchMode = saved.searchMode;
      this.toolbar.hideOthers = saved.searchMode === 'hide';
      state.criticalOnly = saved.criticalOnly;
      this.toolbar.criticalOnly = saved.criticalOnly;
      if (saved.table) state.tableSort = { ...saved.table };
    }
    this.toolbar.setBackendAvailable(header.hasBackendUi);
    this.header.showHeader(header);
    this.view.setModel(state.model);
  }

  private chunkArrived(data: TraceData): void {
    const model = this.state.model!;
    const first = this.metrics.drawnAt === 0;
    model.rows = this.tree.listRows();
    if (first) {
      this.header.showRows(data);
      this.view.rowsChanged();
      this.view.renderNow();
      this.metrics.drawnAt = performance.now();
      this.metrics.rows = model.rows.length;
      this.stampFirstPaint(model.rows.length);
    } else if (!data.complete) {
      // Between the first and the last chunk only the list grows; the overview is drawn once at the end.
      this.view.invalidate(true);
    }
    if (data.complete) this.complete(data);
  }

  /**
   * Stamps firstPaintAt once the drawn rows are on screen: the browser paints after the next animation frame's
   * callbacks, and a message posted from that callback is handled only after that paint.
   */
  private stampFirstPaint(rows: number): void {
    const headerAt = this.metrics.headerAt;
    requestAnimationFrame(() => {
      const tick = new MessageChannel();
      tick.port1.onmessage = () => {
        tick.port1.close();
        if (this.metrics.headerAt !== headerAt || this.metrics.firstPaintAt !== 0) return;
        this.metrics.firstPaintAt = performance.now();
        this.channel.post({ type: 'rendered', rows, ms: Math.round(this.metrics.firstPaintAt - headerAt) });
      };
      tick.port2.postMessage(null);
    });
  }

  /** All rows are in: the saved focus, scroll, selection and view are applied, and the search runs again. */
  private complete(data: TraceData): void {
    const state = this.state;
    const model = state.model!;
    const saved = this.restoring;
    this.restoring = undefined;
    if (saved?.focusSpanId) {
      const row = data.rowOfSpanId(saved.focusSpanId);
      if (row >= 0) state.focusStack = [row];
    }
    if (saved?.flameZoomSpanId) state.flameZoom = data.rowOfSpanId(saved.flameZoomSpanId);
    const reveal = this.pendingFocusSpanId ?? saved?.selectedSpanId;
    model.rows = this.tree.listRows();
    this.focusBar.show(data, state.focusRow);
    this.view.rowsChanged();
    if (saved) this.view.scrollTop = saved.scrollTop;
    if (reveal !== undefined) {
      const row = data.rowOfSpanId(reveal);
      if (row >= 0) {
        if (this.pendingFocusSpanId !== undefined) this.tree.reveal(row);
        else this.tree.select(row, false);
      }
    }
    this.pendingFocusSpanId = undefined;
    this.header.showRows(data);
    if (saved && saved.tab !== this.switcher.active.id) this.switcher.show(saved.tab);
    this.view.renderNow();
    this.metrics.completeAt = performance.now();
    if (state.searchQuery.trim() !== '') this.search.searchNow();
    // Off the path to interactivity: the critical path costs a sort per span with children.
    setTimeout(() => {
      this.tree.refreshCritical();
      setTimeout(() => (this.metrics.interactiveAt = performance.now()), 0);
    }, 0);
  }

  /** Another view is shown: the detail pane beside it or not, the toolbar controls that apply to it. */
  private viewShown(view: TraceView): void {
    this.state.view = view.id;
    this.layout.setDetailShown(view.showsDetail);
    this.toolbar.showTools(view.tools === 'all');
    // The waterfall did not follow the selection while hidden: it shows it again, opening what hides it.
    if (view === this.view && this.state.model && this.state.model.selected >= 0)
      this.tree.bringIntoView(this.state.model.selected);
    this.saved.save();
  }

  /** The selection moved: the detail pane shows the span (once the host sends it), or nothing. */
  private selected(row: number, fromUser: boolean): void {
    this.layout.setIdle(row < 0);
    this.switcher.active.selectionChanged?.();
    if (row >= 0) {
      this.detail.showLoading(this.state.data?.nameOf(row) ?? '');
      this.requests.askDetail(row, fromUser);
    } else {
      this.requests.cancelDetail();
      this.detail.showEmpty();
    }
  }

  private showMessage(text: string, transient = false): void {
    this.messageEl.textContent = text;
    this.messageEl.hidden = false;
    if (transient) setTimeout(() => (this.messageEl.hidden = true), MESSAGE_MS);
  }

  /** Keys anywhere on the page: / to search, F3 and Shift+F3 for the next and previous match. */
  private onDocumentKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    const typing =
      target !== null && (target.tagName === 'INPUT' || target.tagName === 'VSCODE-TEXT-FIELD' || target.isContentEditable);
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      this.toolbar.searchField.focus();
    } else if (e.key === 'F3') {
      e.preventDefault();
      this.search.next(e.shiftKey ? -1 : 1);
    }
  }

  /** Keys on the rows the waterfall leaves to the app; true when handled. */
  private onViewKey(e: KeyboardEvent): boolean {
    const model = this.state.model;
    if (!model || e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case 'f':
        this.tree.focusOn(model.selected);
        return true;
      case 'Escape':
      case 'Backspace':
        return this.tree.unfocus();
      case 'g':
        if (model.selected >= 0) this.channel.post({ type: 'goToCode', row: model.selected });
        return true;
      case 'c':
        this.toolbar.critical = !this.toolbar.critical;
        this.tree.refreshCritical();
        return true;
      case 'n':
        this.search.next(1);
        return true;
      case 'N':
        this.search.next(-1);
        return true;
      case 'y':
        if (model.selected >= 0 && this.state.data)
          this.channel.post({ type: 'copy', text: this.state.data.spanIdOf(model.selected), what: 'span ID' });
        return true;
      case '*':
        this.tree.expandEverything();
        return true;
    }
    return false;
  }
}
