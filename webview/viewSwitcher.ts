/**
 * The views of one trace and the tabs that switch between them. A view is a component: an element, a name,
 * whether spans are selected in it (then the detail pane shows beside it), which toolbar controls apply, and
 * a way to bring it up to date with the shared state (AppState) when it is shown. It reads the trace from
 * TraceData's columns (spanColumns.ts has the values views share) and acts through SpanActions, so that
 * adding a view is adding a component to the list in app.ts.
 *
 * The tabs are a WAI-ARIA tab list: one tab stop, the arrow keys, Home and End between tabs.
 */
import type { ViewId } from '../src/protocol/messages';
import { h } from './dom';

/** What a view may do to the trace: the same from every view. Rows are the waterfall's rows (pre-order). */
export interface SpanActions {
  /** selects `row` (-1: none) for every view; the detail pane shows it */
  select(row: number): void;
  goToCode(row: number): void;
  copy(text: string, what: string): void;
  /** these rows are on screen: their code locations and event times are worth asking for */
  rowsOnScreen(rows: ArrayLike<number>): void;
  /** something of the saved view state changed */
  save(): void;
}

export interface TraceView {
  readonly id: ViewId;
  /** the tab's text */
  readonly label: string;
  /** the view's element, shown while its tab is selected */
  readonly root: HTMLElement;
  /** spans are selected in this view: the detail pane shows beside it */
  readonly showsDetail: boolean;
  /** the toolbar controls that apply: all of them, or only the search field (which then filters the view) */
  readonly tools: 'all' | 'search';
  /** The view is shown: it catches up with the shared state. */
  shown(): void;
  /** The rows, focus or search changed while the view is shown. */
  refresh(): void;
  /** The selection changed while the view is shown. */
  selectionChanged?(): void;
  /** What is known about rows changed (code locations): draw them again. */
  redraw?(): void;
  /** Gives the view the keyboard. */
  focus(): void;
}

export class ViewSwitcher {
  readonly tablist: HTMLElement;
  private readonly tabs = new Map<ViewId, HTMLButtonElement>();
  private activeView: TraceView;

  constructor(
    private readonly views: readonly TraceView[],
    private readonly switched: (view: TraceView) => void,
  ) {
    this.activeView = views[0]!;
    for (const view of views) {
      view.root.id ||= `view-${view.id}`;
      view.root.setAttribute('role', 'tabpanel');
      view.root.setAttribute('aria-labelledby', `tab-${view.id}`);
      const tab = h('button', {
        className: 'tab',
        text: view.label,
        attrs: { role: 'tab', id: `tab-${view.id}`, 'aria-controls': view.root.id },
      });
      tab.addEventListener('click', () => this.show(view.id));
      this.tabs.set(view.id, tab);
    }
    this.tablist = h('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Views' } }, [...this.tabs.values()]);
    this.tablist.addEventListener('keydown', (e) => this.onKey(e));
    this.mark();
  }

  get active(): TraceView {
    return this.activeView;
  }

  /** Shows view `id` (one not offered is ignored). */
  show(id: ViewId): void {
    const view = this.views.find((v) => v.id === id);
    if (!view) return;
    this.activeView = view;
    this.mark();
    view.shown();
    this.switched(view);
  }

  private mark(): void {
    for (const view of this.views) {
      const selected = view === this.activeView;
      const tab = this.tabs.get(view.id)!;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      view.root.hidden = !selected;
    }
  }

  /** Left and Right go to the tab before and after, round the ends, Home and End to the first and last; each shows its view. */
  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const at = this.views.indexOf(this.activeView);
    const last = this.views.length - 1;
    const moves: Partial<Record<string, number>> = {
      ArrowRight: at === last ? 0 : at + 1,
      ArrowLeft: at === 0 ? last : at - 1,
      Home: 0,
      End: last,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const view = this.views[to]!;
    this.show(view.id);
    this.tabs.get(view.id)!.focus();
  }
}
