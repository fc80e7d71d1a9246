/**
 * The spans table: every span of the trace (or of the focused subtree) as a row, sortable by any column and
 * filtered by the toolbar's search (the matches, when there is a search). Virtualized like the waterfall:
 * a small pool of row elements reused as the list scrolls, so that 100,000 spans cost what a screenful does.
 * A WAI-ARIA grid: one tab stop, the selected row as its active descendant, arrows, Page Up/Down, Home/End
 * to move, Enter or G for Go to Code, Y to copy the span ID; column headers are buttons that sort.
 */
import type { SpanColumnKey } from '../src/protocol/messages';
import { SPAN_COLUMN_KEYS } from '../src/protocol/messages';
import { h, icon } from './dom';
import { serviceColor } from './colors';
import { SPAN_COLUMNS, sortRows } from './spanColumns';
import type { AppState } from './state';
import type { TraceData } from './traceData';
import type { SpanActions, TraceView } from './viewSwitcher';

/** pixels per row */
export const TABLE_ROW_HEIGHT = 22;
/** Below this width (CSS pixels of the table) the Start and Kind columns give their room to the names. */
const COMPACT_WIDTH = 600;
const COMPACT_HIDDEN: readonly SpanColumnKey[] = ['start', 'kind'];

interface Slot {
  el: HTMLDivElement;
  cells: Map<SpanColumnKey, HTMLDivElement>;
  swatch: HTMLSpanElement;
  service: HTMLSpanElement;
  name: HTMLSpanElement;
  code: HTMLSpanElement;
  key: string;
}

/** What the listed rows were computed from: when none of it changed, the rows stay as they are. */
interface Listing {
  data: TraceData;
  loaded: number;
  focus: number;
  search: Int32Array | undefined;
  sort: SpanColumnKey;
  descending: boolean;
}

export class SpansTable implements TraceView {
  readonly id = 'table';
  readonly label = 'Spans';
  readonly showsDetail = true;
  readonly tools = 'search';
  readonly root: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly headers = new Map<SpanColumnKey, HTMLElement>();
  private readonly scroller: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly slots: Slot[] = [];
  /** the rows listed, in the table's order */
  private rows: Int32Array = new Int32Array(0);
  private listing: Listing | undefined;
  private height = 0;
  private compact = false;
  private version = 0;
  private frame = 0;
  private lastShown = '';

  constructor(
    private readonly state: AppState,
    private readonly actions: SpanActions,
  ) {
    const headerRow = h('div', { className: 'table-row table-header', attrs: { role: 'row', 'aria-rowindex': '1' } });
    for (const key of SPAN_COLUMN_KEYS) {
      const column = SPAN_COLUMNS[key];
      const button = h('button', { className: 'sort', attrs: { type: 'button' } }, [
        h('span', { text: column.label }),
        h('span', { className: 'sort-mark', attrs: { 'aria-hidden': 'true' } }),
      ]);
      button.addEventListener('click', () => this.sortBy(key));
      const cell = h('div', { className: `cell col-${key}${column.numeric ? ' num' : ''}`, attrs: { role: 'columnheader' } }, [
        button,
      ]);
      this.headers.set(key, cell);
      headerRow.appendChild(cell);
    }
    this.body = h('div', { className: 'table-body', attrs: { role: 'rowgroup' } });
    this.spacer = h('div', { className: 'table-spacer' });
    this.scroller = h('div', { className: 'table-scroller' }, [this.body, this.spacer]);
    this.grid = h(
      'div',
      { className: 'table-grid', attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Spans', 'aria-multiselectable': 'false' } },
      [h('div', { attrs: { role: 'rowgroup' } }, [headerRow]), this.scroller],
    );
    this.caption = h('div', { className: 'table-caption', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.root = h('div', { className: 'spans-table' }, [this.caption, this.grid]);

    this.scroller.addEventListener('scroll', () => this.invalidate(false));
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.grid.addEventListener('focus', () => this.invalidate(true));
    this.grid.addEventListener('blur', () => this.invalidate(true));
    this.body.addEventListener('click', (e) => this.onClick(e));
    new ResizeObserver(() => this.resize()).observe(this.root);
  }

  /** The rows listed, in order (for tests and the benchmark). */
  get listedRows(): Int32Array {
    return this.rows;
  }

  shown(): void {
    this.refresh();
  }

  refresh(): void {
    this.relist();
    this.invalidate(true);
  }

  selectionChanged(): void {
    this.revealSelected();
    this.invalidate(true);
  }

  redraw(): void {
    this.invalidate(true);
  }

  focus(): void {
    this.grid.focus();
  }

  /** Sorts by column `key`: again by the same column turns the order round; numbers start largest first. */
  sortBy(key: SpanColumnKey): void {
    const current = this.state.tableSort;
    this.state.tableSort =
      current.sort === key
        ? { sort: key, descending: !current.descending }
        : { sort: key, descending: SPAN_COLUMNS[key].numeric };
    this.refresh();
    this.scroller.scrollTop = 0;
    this.revealSelected();
    this.renderNow();
    this.actions.save();
  }

  /** Lists the spans of the focused subtree (or the trace) that match the search, in the table's order. */
  private relist(): void {
    const { data, focusRow: focus, searchRows: search } = this.state;
    const { sort, descending } = this.state.tableSort;
    if (!data) return;
    const last = this.listing;
    if (
      last &&
      last.data === data &&
      last.loaded === data.loaded &&
      last.focus === focus &&
      last.search === search &&
      last.sort === sort &&
      last.descending === descending
    )
      return;
    const from = focus >= 0 ? focus : 0;
    const to = focus >= 0 ? Math.min(data.subtreeEnd[focus]!, data.loaded) : data.loaded;
    let rows: Int32Array;
    if (search) rows = search.filter((r) => r >= from && r < to);
    else {
      rows = new Int32Array(Math.max(0, to - from));
      for (let i = 0; i < rows.length; i++) rows[i] = from + i;
    }
    this.rows = sortRows(data, rows, sort, descending);
    this.listing = { data, loaded: data.loaded, focus, search, sort, descending };
    this.version++;
    this.describe(data, search !== undefined);
  }

  private describe(data: TraceData, searching: boolean): void {
    const { sort, descending } = this.state.tableSort;
    const column = SPAN_COLUMNS[sort];
    const order = column.numeric ? (descending ? 'largest first' : 'smallest first') : descending ? 'Z to A' : 'A to Z';
    const count = this.rows.length.toLocaleString('en-US');
    const of = searching ? ` matching the search, of ${data.loaded.toLocaleString('en-US')}` : '';
    this.caption.textContent =
      this.rows.length === 0 && searching
        ? 'No spans match the search.'
        : `${count} ${this.rows.length === 1 ? 'span' : 'spans'}${of} · sorted by ${column.label.toLowerCase()}, ${order}`;
    for (const key of SPAN_COLUMN_KEYS) {
      const cell = this.headers.get(key)!;
      cell.setAttribute('aria-sort', key === sort ? (descending ? 'descending' : 'ascending') : 'none');
      cell.querySelector('.sort-mark')!.textContent = key === sort ? (descending ? '▾' : '▴') : '';
    }
    this.grid.setAttribute('aria-rowcount', String(this.rows.length + 1));
  }

  private invalidate(content: boolean): void {
    if (content) this.version++;
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.renderNow());
  }

  /** Draws the rows on screen now. */
  renderNow(): void {
    if (this.frame !== 0) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const data = this.state.data;
    const model = this.state.model;
    if (!data || !model || this.root.hidden) return;
    const rows = this.rows;
    this.spacer.style.height = `${Math.max(0, rows.length * TABLE_ROW_HEIGHT - this.height)}px`;
    const top = this.scroller.scrollTop;
    const first = Math.floor(top / TABLE_ROW_HEIGHT);
    const count = Math.max(0, Math.min(rows.length - first, Math.ceil(this.height / TABLE_ROW_HEIGHT) + 1));
    this.body.style.transform = `translateY(${first * TABLE_ROW_HEIGHT - top}px)`;
    const focused = document.activeElement === this.grid;
    let active = '';
    for (let k = 0; k < this.slots.length; k++) {
      const slot = this.slots[k]!;
      if (k >= count) {
        slot.el.hidden = true;
        slot.key = '';
        continue;
      }
      const row = rows[first + k]!;
      const selected = row === model.selected;
      if (selected) active = slot.el.id;
      const key = `${this.version}:${row}:${selected}:${focused}:${model.mapped[row]}`;
      slot.el.hidden = false;
      if (slot.key === key) continue;
      slot.key = key;
      this.fill(slot, data, row, first + k, selected, focused, model.mapped[row] === 1);
    }
    if (active) this.grid.setAttribute('aria-activedescendant', active);
    else this.grid.removeAttribute('aria-activedescendant');
    const shown = `${this.version}:${first}:${count}`;
    if (count > 0 && shown !== this.lastShown) {
      this.lastShown = shown;
      this.actions.rowsOnScreen(rows.subarray(first, first + count));
    }
  }

  private fill(
    slot: Slot,
    data: TraceData,
    row: number,
    index: number,
    selected: boolean,
    focused: boolean,
    mapped: boolean,
  ): void {
    const error = SPAN_COLUMNS.status.text(data, row) !== '';
    slot.el.className = `table-row${selected ? (focused ? ' selected focused' : ' selected') : ''}${error ? ' has-error' : ''}`;
    slot.el.setAttribute('aria-rowindex', String(index + 2));
    slot.el.setAttribute('aria-selected', String(selected));
    slot.el.dataset['row'] = String(row);
    slot.swatch.style.background = serviceColor(data.service[row]!);
    slot.service.textContent = data.serviceOf(row);
    slot.name.textContent = data.nameOf(row);
    slot.code.hidden = !mapped;
    for (const key of ['duration', 'self', 'start', 'kind', 'status'] as const)
      slot.cells.get(key)!.textContent = SPAN_COLUMNS[key].text(data, row);
  }

  private resize(): void {
    this.height = this.scroller.clientHeight;
    this.body.style.height = `${this.height}px`;
    const compact = this.root.clientWidth < COMPACT_WIDTH;
    if (compact !== this.compact) {
      this.compact = compact;
      this.root.classList.toggle('compact', compact);
      this.grid.setAttribute('aria-colcount', String(SPAN_COLUMN_KEYS.length - (compact ? COMPACT_HIDDEN.length : 0)));
    }
    this.ensureSlots(Math.ceil(this.height / TABLE_ROW_HEIGHT) + 2);
    this.invalidate(true);
  }

  private ensureSlots(count: number): void {
    while (this.slots.length < count) {
      const k = this.slots.length;
      const cells = new Map<SpanColumnKey, HTMLDivElement>();
      for (const key of SPAN_COLUMN_KEYS) {
        const numeric = SPAN_COLUMNS[key].numeric && key !== 'status';
        cells.set(key, h('div', { className: `cell col-${key}${numeric ? ' num' : ''}`, attrs: { role: 'gridcell' } }));
      }
      const slot: Slot = {
        el: h('div', { className: 'table-row', attrs: { role: 'row', id: `tbl-row-${k}` } }),
        cells,
        swatch: h('span', { className: 'swatch' }),
        service: h('span', { className: 'text' }),
        name: h('span', { className: 'text' }),
        code: h('span', { className: 'mark code', title: 'Go to Code (G)', attrs: { 'aria-hidden': 'true' } }, [icon('code')]),
        key: '',
      };
      cells.get('service')!.append(slot.swatch, slot.service);
      cells.get('name')!.append(slot.name, slot.code);
      slot.el.append(...cells.values());
      slot.el.style.top = `${k * TABLE_ROW_HEIGHT}px`;
      slot.el.hidden = true;
      this.body.appendChild(slot.el);
      this.slots.push(slot);
    }
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element;
    const rowEl = target.closest<HTMLElement>('.table-row');
    const row = Number(rowEl?.dataset['row'] ?? -1);
    if (!rowEl || row < 0) return;
    if (target.closest('.mark.code')) this.actions.goToCode(row);
    else this.actions.select(row);
    this.grid.focus({ preventScroll: true });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const model = this.state.model;
    const rows = this.rows;
    if (!model || rows.length === 0) return;
    const selected = model.selected;
    const index = selected >= 0 ? rows.indexOf(selected) : -1;
    const page = Math.max(1, Math.floor(this.height / TABLE_ROW_HEIGHT) - 1);
    const go = (i: number): void => this.actions.select(rows[Math.max(0, Math.min(rows.length - 1, i))]!);
    switch (e.key) {
      case 'ArrowDown':
        go(index + 1);
        break;
      case 'ArrowUp':
        go(index < 0 ? 0 : index - 1);
        break;
      case 'PageDown':
        go(index + page);
        break;
      case 'PageUp':
        go(index - page);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'Enter':
      case 'g':
        if (selected >= 0) this.actions.goToCode(selected);
        break;
      case 'y':
        if (selected >= 0 && this.state.data) this.actions.copy(this.state.data.spanIdOf(selected), 'span ID');
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** Scrolls the selected row into view when it is listed. */
  private revealSelected(): void {
    const selected = this.state.model?.selected ?? -1;
    const index = selected >= 0 ? this.rows.indexOf(selected) : -1;
    if (index < 0) return;
    const y = index * TABLE_ROW_HEIGHT;
    const top = this.scroller.scrollTop;
    if (y < top) this.scroller.scrollTop = y;
    else if (y + TABLE_ROW_HEIGHT > top + this.height) this.scroller.scrollTop = y + TABLE_ROW_HEIGHT - this.height;
  }
}
