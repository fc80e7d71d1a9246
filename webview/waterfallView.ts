/**
 * The waterfall itself: a virtualized list of rows whose names are a small pool of DOM elements (so that
 * screen readers and tests read them) and whose bars, grid and labels are drawn on one canvas per frame.
 * Only the rows on screen are touched; a frame costs the same at 1,000 spans as at 100,000.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import { serviceColor } from './colors';
import type { CriticalPath } from './criticalPath';
import { h, icon } from './dom';
import { Minimap } from './minimap';
import type { Theme } from './theme';
import { clampWindow, formatDuration, panWindow, ticks, zoomWindow, type TimeWindow } from './timeScale';
import type { TraceData } from './traceData';

/** pixels per row: dense, as traces of thousands of spans want */
export const ROW_HEIGHT = 18;
/**
 * pixels of indentation per level, up to MAX_INDENT_LEVELS levels and never more than INDENT_SHARE of the name
 * column, so that deep rows keep room for their names; deeper rows show their depth instead
 */
const INDENT = 12;
const MAX_INDENT_LEVELS = 24;
const INDENT_SHARE = 0.4;
const BAR_HEIGHT = 10;
const AXIS_HEIGHT = 22;
const SPLITTER = 5;
/**
 * Name column: until the user drags its splitter it takes NAME_SHARE of the waterfall's width within
 * [MIN_NAME_WIDTH, DEFAULT_NAME_WIDTH]; a dragged width is kept as a share of the width, so that it follows
 * the panel as it narrows. The bars always keep at least MIN_BARS_WIDTH pixels.
 */
const NAME_SHARE = 0.32;
const MIN_NAME_WIDTH = 120;
const DEFAULT_NAME_WIDTH = 360;
const MIN_BARS_WIDTH = 160;
/** event ticks: pixels above and below the bar, and at most this many per row */
const TICK_OVERHANG = 2;
const MAX_TICKS_PER_ROW = 500;

/** Times of a span's events, as far as the webview knows them (from the host's span details). */
export interface EventTicks {
  /** microseconds since the span's start */
  offsetUs: Float64Array;
  /** 1 where the event records an exception */
  exception: Uint8Array;
}

/** What the view draws; the app owns it and calls `invalidate` after changing it. */
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
  critical: CriticalPath | undefined;
  showCritical: boolean;
  /** mapped[row] = 1: the mapping engine has a code location for it */
  mapped: Uint8Array;
  /** depth of the focused row, so that a focused subtree starts at the left */
  depthBase: number;
  /** event times of the rows whose details the host has sent, drawn as ticks on their bars */
  eventTicks: Map<number, EventTicks>;
}

/** What the view asks of the app. */
export interface WaterfallHost {
  select(row: number): void;
  toggle(row: number): void;
  goToCode(row: number): void;
  setWindow(window: TimeWindow): void;
  /** the rows on screen changed (for the code-mapped markers and the persisted scroll position) */
  viewportChanged(firstRow: number, lastRow: number): void;
  /** a key the view does not handle itself; returns true when handled */
  key(event: KeyboardEvent): boolean;
}

interface Slot {
  el: HTMLDivElement;
  indent: HTMLSpanElement;
  twisty: HTMLSpanElement;
  swatch: HTMLSpanElement;
  name: HTMLSpanElement;
  service: HTMLSpanElement;
  deep: HTMLSpanElement;
  error: HTMLSpanElement;
  code: HTMLSpanElement;
  row: number;
  key: string;
}

export class WaterfallView {
  readonly root: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly names: HTMLDivElement;
  private readonly namesInner: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly axis: HTMLCanvasElement;
  private readonly namesHeader: HTMLDivElement;
  private readonly minimapLabel: HTMLDivElement;
  private readonly tooltip: HTMLDivElement;
  readonly minimap: Minimap;
  private readonly slots: Slot[] = [];
  private model: WaterfallModel | undefined;
  private theme: Theme;
  private nameWidth = DEFAULT_NAME_WIDTH;
  /** the name column's share of the width once the user has dragged its splitter */
  private nameShare: number | undefined;
  /** position among listed siblings and their count, per listed index, for aria-posinset / aria-setsize */
  private treePos: { rows: Int32Array; pos: Int32Array; size: Int32Array } | undefined;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private frame = 0;
  private hoverRow = -1;
  private contentVersion = 0;
  private focused = false;
  private digitWidths = new Map<string, number>();
  private lastViewport = '';
  /** per-frame work in milliseconds, for the benchmark */
  readonly frameTimes: number[] = [];

  constructor(
    private readonly host: WaterfallHost,
    theme: Theme,
  ) {
    this.theme = theme;
    this.namesInner = h('div', { className: 'names-inner' });
    this.names = h('div', { className: 'names' }, [this.namesInner]);
    this.canvas = h('canvas', { className: 'bars', attrs: { 'aria-hidden': 'true' } });
    const splitter = h('div', {
      className: 'splitter',
      attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': 'Resize name column' },
    });
    this.layer = h('div', { className: 'layer' }, [this.names, splitter, this.canvas]);
    this.spacer = h('div', { className: 'spacer' });
    this.scroller = h(
      'div',
      {
        className: 'scroller',
        attrs: { role: 'tree', tabindex: '0', 'aria-label': 'Spans', 'aria-multiselectable': 'false' },
      },
      [this.layer, this.spacer],
    );
    this.axis = h('canvas', { className: 'axis', attrs: { 'aria-hidden': 'true' } });
    this.namesHeader = h('div', { className: 'names-header', text: 'Service & operation' });
    const axisRow = h('div', { className: 'axis-row' }, [this.namesHeader, h('div', { className: 'splitter-gap' }), this.axis]);
    this.minimap = new Minimap({
      setWindow: (w) => this.host.setWindow(w),
      scrollToFraction: (f) => {
        this.scroller.scrollTop = f * (this.scroller.scrollHeight - this.scroller.clientHeight);
      },
    });
    this.minimapLabel = h('div', { className: 'minimap-label', text: 'Overview' });
    const minimapRow = h('div', { className: 'minimap-row' }, [
      this.minimapLabel,
      h('div', { className: 'splitter-gap' }),
      this.minimap.canvas,
    ]);
    this.tooltip = h('div', { className: 'bar-tooltip', attrs: { role: 'tooltip' } });
    this.tooltip.hidden = true;
    this.root = h('div', { className: 'waterfall' }, [minimapRow, axisRow, this.scroller, this.tooltip]);

    this.scroller.addEventListener('scroll', () => this.invalidate(false));
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.scroller.addEventListener('focus', () => {
      this.focused = true;
      this.invalidate(true);
    });
    this.scroller.addEventListener('blur', () => {
      this.focused = false;
      this.invalidate(true);
    });
    this.names.addEventListener('click', (e) => this.onNameClick(e));
    this.names.addEventListener('dblclick', (e) => {
      const row = this.rowAt(e.clientY);
      if (row >= 0 && this.model?.data.hasChildren(row)) this.host.toggle(row);
    });
    this.scroller.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.installCanvasPointer();
    this.installSplitter(splitter);
    new ResizeObserver(() => this.resize()).observe(this.scroller);
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.digitWidths.clear();
    this.minimap.setTheme(theme);
    this.invalidate(true);
  }

  setModel(model: WaterfallModel): void {
    this.model = model;
    this.invalidate(true);
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  set scrollTop(value: number) {
    this.scroller.scrollTop = value;
  }

  get nameColumnWidth(): number {
    return this.nameWidth;
  }

  focus(): void {
    this.scroller.focus();
  }

  /** Rows listed changed (collapse, filter, more data): the minimap is redrawn too. */
  rowsChanged(): void {
    if (this.model) this.minimap.rebuild(this.model);
    this.invalidate(true);
  }

  /** Schedules a frame; `content` says that rows' text may have changed, not only their positions. */
  invalidate(content = true): void {
    if (content) this.contentVersion++;
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.renderNow());
  }

  /** Draws now (the benchmark times this; the app calls it for the first paint). */
  renderNow(): void {
    if (this.frame !== 0) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const t0 = performance.now();
    const model = this.model;
    if (!model) return;
    const total = model.rows.length * ROW_HEIGHT;
    this.spacer.style.height = `${Math.max(0, total - this.height)}px`;
    const top = this.scroller.scrollTop;
    const first = Math.floor(top / ROW_HEIGHT);
    const offset = first * ROW_HEIGHT - top;
    const count = Math.min(model.rows.length - first, Math.ceil(this.height / ROW_HEIGHT) + 1);
    this.renderNames(model, first, Math.max(0, count), offset);
    this.drawBars(model, first, Math.max(0, count), offset);
    this.drawAxis(model);
    this.minimap.draw(model, top / Math.max(1, total), this.height / Math.max(1, total));
    const lastRow = first + Math.max(0, count) - 1;
    const viewport = `${first}:${lastRow}:${model.rows.length}`;
    if (viewport !== this.lastViewport) {
      this.lastViewport = viewport;
      if (count > 0) this.host.viewportChanged(model.rows[first]!, model.rows[Math.min(lastRow, model.rows.length - 1)]!);
    }
    this.frameTimes.push(performance.now() - t0);
    if (this.frameTimes.length > 2000) this.frameTimes.splice(0, 1000);
  }

  /** Scrolls so that listed index `index` is on screen, near the middle if it was far away. */
  revealIndex(index: number): void {
    const y = index * ROW_HEIGHT;
    const top = this.scroller.scrollTop;
    if (y < top || y + ROW_HEIGHT > top + this.height) {
      const far = y < top - this.height || y > top + 2 * this.height;
      this.scroller.scrollTop = far ? y - this.height / 2 : y < top ? y : y + ROW_HEIGHT - this.height;
    }
  }

  /** Listed rows that fit on one screen (for Page Up / Page Down). */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.height / ROW_HEIGHT) - 1);
  }

  private resize(): void {
    const shrank = this.scroller.clientHeight < this.height;
    this.height = this.scroller.clientHeight;
    const full = this.scroller.clientWidth;
    this.nameWidth = nameColumnWidth(full, this.nameShare);
    this.width = Math.max(0, full - this.nameWidth - SPLITTER);
    this.dpr = window.devicePixelRatio || 1;
    this.layer.style.height = `${this.height}px`;
    this.names.style.width = `${this.nameWidth}px`;
    this.namesHeader.style.width = `${this.nameWidth}px`;
    this.minimapLabel.style.width = `${this.nameWidth}px`;
    sizeCanvas(this.canvas, this.width, this.height, this.dpr);
    sizeCanvas(this.axis, this.width, AXIS_HEIGHT, this.dpr);
    this.minimap.resize(this.width, this.dpr);
    if (this.model) this.minimap.rebuild(this.model);
    this.ensureSlots(Math.ceil(this.height / ROW_HEIGHT) + 2);
    // A drawer opening under the rows must not hide the row it was opened for.
    if (shrank && this.model && this.model.selected >= 0) {
      const index = indexOf(this.model.rows, this.model.selected);
      if (index >= 0) this.revealIndex(index);
    }
    this.invalidate(true);
  }

  private ensureSlots(count: number): void {
    while (this.slots.length < count) {
      const k = this.slots.length;
      // One chevron per row, turned by CSS when collapsed: nothing is created while scrolling.
      const twisty = h('span', { className: 'twisty' }, [icon('chevronDown')]);
      const slot: Slot = {
        el: h('div', { className: 'row', attrs: { role: 'treeitem', id: `wf-row-${k}` } }),
        indent: h('span', { className: 'indent' }),
        twisty,
        swatch: h('span', { className: 'swatch' }),
        name: h('span', { className: 'name' }),
        service: h('span', { className: 'service' }),
        deep: h('span', { className: 'deep' }),
        error: h('span', { className: 'mark error', title: 'Error', attrs: { 'aria-hidden': 'true' } }, [icon('error')]),
        code: h('span', { className: 'mark code', title: 'Go to Code', attrs: { 'aria-hidden': 'true' } }, [icon('code')]),
        row: -1,
        key: '',
      };
      slot.el.style.top = `${k * ROW_HEIGHT}px`;
      slot.el.hidden = true;
      slot.el.append(slot.indent, slot.twisty, slot.deep, slot.swatch, slot.name, slot.service, slot.error, slot.code);
      this.namesInner.appendChild(slot.el);
      this.slots.push(slot);
    }
  }

  private renderNames(model: WaterfallModel, first: number, count: number, offset: number): void {
    const { data } = model;
    this.namesInner.style.transform = `translateY(${offset}px)`;
    const levels = Math.max(1, Math.min(MAX_INDENT_LEVELS, Math.floor((this.nameWidth * INDENT_SHARE) / INDENT)));
    const tree = this.siblingPositions(model);
    let active = '';
    for (let k = 0; k < this.slots.length; k++) {
      const slot = this.slots[k]!;
      if (k >= count) {
        if (!slot.el.hidden) {
          slot.el.hidden = true;
          slot.row = -1;
          slot.key = '';
        }
        continue;
      }
      const row = model.rows[first + k]!;
      const selected = row === model.selected;
      if (selected) active = slot.el.id;
      const key = `${this.contentVersion}:${row}`;
      if (slot.key === key) continue;
      slot.key = key;
      slot.row = row;
      slot.el.hidden = false;
      const depth = Math.max(0, data.depth[row]! - model.depthBase);
      const parent = data.parent[row]!;
      const hasChildren = data.hasChildren(row);
      const collapsed = model.collapsed[row] === 1;
      const flags = data.flags[row]!;
      const error = (flags & SpanFlags.error) !== 0;
      const name = data.nameOf(row);
      const service = data.serviceOf(row);
      slot.indent.style.width = `${Math.min(depth, levels) * INDENT}px`;
      slot.deep.textContent = depth > levels ? `${depth}` : '';
      slot.deep.title = depth > levels ? `depth ${depth}` : '';
      slot.twisty.className = hasChildren ? (collapsed ? 'twisty collapsed' : 'twisty') : 'twisty leaf';
      slot.swatch.style.background = serviceColor(data.service[row]!);
      slot.name.textContent = name;
      // The service is named where it changes, as a trace reader scans for hops.
      const showService = parent < 0 || data.service[parent] !== data.service[row] || depth === 0;
      slot.service.textContent = showService ? service : '';
      slot.error.hidden = !error;
      slot.code.hidden = model.mapped[row] !== 1;
      let cls = 'row';
      if (selected) cls += this.focused ? ' selected focused' : ' selected';
      if (model.match)
        cls +=
          model.match[row] === 1 ? (row === model.currentMatch ? ' match current' : ' match') : model.dimNonMatches ? ' dim' : '';
      if (model.showCritical && model.critical?.onPath[row] === 1) cls += ' critical';
      if (error) cls += ' has-error';
      slot.el.className = cls;
      slot.el.setAttribute('aria-level', String(depth + 1));
      slot.el.setAttribute('aria-posinset', String(tree.pos[first + k]!));
      slot.el.setAttribute('aria-setsize', String(tree.size[first + k]!));
      slot.el.setAttribute('aria-selected', selected ? 'true' : 'false');
      if (hasChildren) slot.el.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
      else slot.el.removeAttribute('aria-expanded');
      slot.el.setAttribute(
        'aria-label',
        `${name}, ${service}, ${formatDuration(data.durationUs[row]!)}${error ? ', error' : ''}${model.mapped[row] === 1 ? ', has code location' : ''}`,
      );
      slot.el.dataset['row'] = String(row);
    }
    if (active) this.scroller.setAttribute('aria-activedescendant', active);
    else this.scroller.removeAttribute('aria-activedescendant');
  }

  /**
   * Each listed row's position among its listed siblings and their count: the tree is virtualized, so
   * assistive technology cannot count the items itself. One pass over the listed rows, once per listing.
   */
  private siblingPositions(model: WaterfallModel): { pos: Int32Array; size: Int32Array } {
    const rows = model.rows;
    if (this.treePos?.rows === rows) return this.treePos;
    const { data } = model;
    const n = rows.length;
    const pos = new Int32Array(n);
    const size = new Int32Array(n);
    // Rows listed at the top of the list (roots, orphans, the focused row) share the key data.n.
    const top = model.depthBase;
    const counts = new Int32Array(data.n + 1);
    const keyOf = (row: number): number => {
      const p = data.parent[row]!;
      return p < 0 || data.depth[row]! <= top ? data.n : p;
    };
    for (let i = 0; i < n; i++) pos[i] = ++counts[keyOf(rows[i]!)]!;
    for (let i = 0; i < n; i++) size[i] = counts[keyOf(rows[i]!)]!;
    this.treePos = { rows, pos, size };
    return this.treePos;
  }

  private drawBars(model: WaterfallModel, first: number, count: number, offset: number): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { data, window: win } = model;
    const t = this.theme;
    const w = this.width;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, w, this.height);
    const span = win.endUs - win.startUs || 1;
    const scale = w / span;
    const x = (us: number): number => (us - win.startUs) * scale;

    // Row backgrounds: hover, matches, selection.
    for (let k = 0; k < count; k++) {
      const row = model.rows[first + k]!;
      const y = offset + k * ROW_HEIGHT;
      let fill: string | undefined;
      if (row === model.selected) fill = this.focused ? t.selection : t.selectionInactive;
      else if (model.match?.[row] === 1) fill = row === model.currentMatch ? t.currentMatch : t.match;
      else if (row === this.hoverRow) fill = t.hover;
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fillRect(0, y, w, ROW_HEIGHT);
      }
    }

    // Grid lines at the axis ticks.
    ctx.fillStyle = t.grid;
    for (const tick of ticks(win.startUs, win.endUs, w)) ctx.fillRect(Math.round(x(tick)), 0, 1, this.height);

    ctx.font = t.font;
    ctx.textBaseline = 'middle';
    const barTop = (ROW_HEIGHT - BAR_HEIGHT) / 2;
    for (let k = 0; k < count; k++) {
      const row = model.rows[first + k]!;
      const y = offset + k * ROW_HEIGHT;
      const start = data.startUs[row]!;
      const dur = data.durationUs[row]!;
      const x0 = x(start);
      const x1 = x(start + dur);
      const bx = Math.max(-2, x0);
      const bw = Math.max(1, Math.min(w + 2, x1) - bx);
      const error = (data.flags[row]! & SpanFlags.error) !== 0;
      const dim = model.dimNonMatches && model.match !== undefined && model.match[row] !== 1;
      ctx.globalAlpha = dim ? 0.3 : 1;
      if (x1 >= -2 && x0 <= w + 2) {
        ctx.fillStyle = serviceColor(data.service[row]!);
        ctx.fillRect(bx, y + barTop, bw, BAR_HEIGHT);
        if (error) {
          ctx.fillStyle = t.error;
          ctx.fillRect(bx, y + barTop + BAR_HEIGHT - 2, bw, 2);
          ctx.fillRect(bx, y + barTop, Math.min(bw, 2), BAR_HEIGHT);
        }
        const cp = model.showCritical ? model.critical : undefined;
        if (cp && cp.onPath[row] === 1) {
          ctx.fillStyle = t.critical;
          for (let s = cp.first[row]!; s < cp.first[row + 1]!; s++) {
            const sx = Math.max(-2, x(cp.segStart[s]!));
            const sw = Math.max(1, Math.min(w + 2, x(cp.segEnd[s]!)) - sx);
            ctx.fillRect(sx, y + ROW_HEIGHT / 2 - 1.5, sw, 3);
          }
        }
        const events = model.eventTicks.get(row);
        if (events) this.drawTicks(ctx, events, x, start, y + barTop - TICK_OVERHANG, w);
      }
      // Duration beside the bar: right of it when there is room, else left of it.
      const label = formatDuration(dur);
      const lw = this.labelWidth(ctx, label);
      ctx.fillStyle = error ? t.error : row === model.selected && this.focused ? t.foreground : t.muted;
      if (x1 + 4 + lw <= w) ctx.fillText(label, Math.max(0, x1) + 4, y + ROW_HEIGHT / 2 + 0.5);
      else if (x0 - 4 - lw >= 0) ctx.fillText(label, Math.min(w, x0) - 4 - lw, y + ROW_HEIGHT / 2 + 0.5);
      else if (bw > lw + 8) {
        ctx.fillStyle = '#fff';
        ctx.fillText(label, bx + 4, y + ROW_HEIGHT / 2 + 0.5);
      }
    }
    ctx.globalAlpha = 1;
  }

  /** One 1-pixel tick per event, with a background-coloured edge so that it shows on any bar colour. */
  private drawTicks(
    ctx: CanvasRenderingContext2D,
    events: EventTicks,
    x: (us: number) => number,
    startUs: number,
    top: number,
    w: number,
  ): void {
    const t = this.theme;
    const height = BAR_HEIGHT + 2 * TICK_OVERHANG;
    const count = Math.min(events.offsetUs.length, MAX_TICKS_PER_ROW);
    // Exceptions last, so that an error is never hidden under an ordinary event at the same pixel.
    for (const exceptions of [0, 1]) {
      for (let i = 0; i < count; i++) {
        if (events.exception[i] !== exceptions) continue;
        const tx = Math.round(x(startUs + events.offsetUs[i]!));
        if (tx < 0 || tx >= w) continue;
        ctx.fillStyle = t.background;
        ctx.fillRect(tx - 1, top, 3, height);
        ctx.fillStyle = exceptions === 1 ? t.error : t.foreground;
        ctx.fillRect(tx, top, 1, height);
      }
    }
  }

  private drawAxis(model: WaterfallModel): void {
    const ctx = this.axis.getContext('2d');
    if (!ctx) return;
    const t = this.theme;
    const { window: win, data } = model;
    const w = this.width;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, w, AXIS_HEIGHT);
    const scale = w / (win.endUs - win.startUs || 1);
    const x = (us: number): number => (us - win.startUs) * scale;
    // The selected span's extent, so that the eye finds it on the axis.
    if (model.selected >= 0) {
      const s = data.startUs[model.selected]!;
      const e = s + data.durationUs[model.selected]!;
      ctx.fillStyle = t.selectionInactive;
      ctx.fillRect(Math.max(0, x(s)), 0, Math.max(1, Math.min(w, x(e)) - Math.max(0, x(s))), AXIS_HEIGHT);
    }
    ctx.font = t.font;
    ctx.textBaseline = 'middle';
    for (const tick of ticks(win.startUs, win.endUs, w)) {
      const tx = Math.round(x(tick));
      ctx.fillStyle = t.grid;
      ctx.fillRect(tx, AXIS_HEIGHT - 6, 1, 6);
      const label = formatDuration(tick);
      const lw = this.labelWidth(ctx, label);
      ctx.fillStyle = t.muted;
      ctx.fillText(label, Math.min(w - lw - 2, Math.max(2, tx + 3)), AXIS_HEIGHT / 2 - 1);
    }
    ctx.fillStyle = t.grid;
    ctx.fillRect(0, AXIS_HEIGHT - 1, w, 1);
  }

  /** Label widths from per-character widths measured once per font: labels are digits, units and a few signs. */
  private labelWidth(ctx: CanvasRenderingContext2D, text: string): number {
    let width = 0;
    for (const ch of text) {
      let cw = this.digitWidths.get(ch);
      if (cw === undefined) {
        cw = ctx.measureText(ch).width;
        this.digitWidths.set(ch, cw);
      }
      width += cw;
    }
    return width;
  }

  private rowAt(clientY: number): number {
    const model = this.model;
    if (!model) return -1;
    const rect = this.scroller.getBoundingClientRect();
    const index = Math.floor((clientY - rect.top + this.scroller.scrollTop) / ROW_HEIGHT);
    return index >= 0 && index < model.rows.length ? model.rows[index]! : -1;
  }

  private onNameClick(e: MouseEvent): void {
    const row = this.rowAt(e.clientY);
    if (row < 0) return;
    const target = e.target as Element;
    if (target.closest('.twisty') && this.model?.data.hasChildren(row)) this.host.toggle(row);
    else if (target.closest('.mark.code')) this.host.goToCode(row);
    else this.host.select(row);
    this.scroller.focus({ preventScroll: true });
  }

  private onWheel(e: WheelEvent): void {
    const model = this.model;
    if (!model) return;
    const total = model.data.header.durationUs;
    const rect = this.canvas.getBoundingClientRect();
    const overBars = e.clientX >= rect.left;
    if ((e.ctrlKey || e.metaKey) && overBars) {
      e.preventDefault();
      const anchor =
        model.window.startUs + ((e.clientX - rect.left) / Math.max(1, this.width)) * (model.window.endUs - model.window.startUs);
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      this.host.setWindow(zoomWindow(model.window, Math.exp(delta * 0.002), anchor, total));
    } else if (overBars && (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY))) {
      e.preventDefault();
      const px = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      this.host.setWindow(
        panWindow(model.window, (px / Math.max(1, this.width)) * (model.window.endUs - model.window.startUs), total),
      );
    }
  }

  private installCanvasPointer(): void {
    let drag: { x: number; window: TimeWindow; moved: boolean } | undefined;
    this.canvas.addEventListener('pointerdown', (e) => {
      if (!this.model || e.button !== 0) return;
      drag = { x: e.clientX, window: this.model.window, moved: false };
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      const model = this.model;
      if (!model) return;
      if (drag) {
        const dx = e.clientX - drag.x;
        if (Math.abs(dx) > 3) drag.moved = true;
        if (drag.moved) {
          const perPx = (drag.window.endUs - drag.window.startUs) / Math.max(1, this.width);
          this.host.setWindow(panWindow(drag.window, -dx * perPx, model.data.header.durationUs));
          this.canvas.classList.add('panning');
        }
        return;
      }
      const row = this.rowAt(e.clientY);
      if (row !== this.hoverRow) {
        this.hoverRow = row;
        this.invalidate(false);
      }
      this.showTooltip(row, e);
    });
    const end = (e: PointerEvent): void => {
      if (drag && !drag.moved) {
        const row = this.rowAt(e.clientY);
        if (row >= 0) this.host.select(row);
        this.scroller.focus({ preventScroll: true });
      }
      drag = undefined;
      this.canvas.classList.remove('panning');
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', () => {
      drag = undefined;
    });
    this.canvas.addEventListener('pointerleave', () => {
      this.hoverRow = -1;
      this.tooltip.hidden = true;
      this.invalidate(false);
    });
  }

  private showTooltip(row: number, e: PointerEvent): void {
    const model = this.model;
    if (!model || row < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const d = model.data;
    const lines = [
      d.nameOf(row),
      `${d.serviceOf(row)} · ${formatDuration(d.durationUs[row]!)} (self ${formatDuration(d.selfUs[row]!)}) · at ${formatDuration(d.startUs[row]!)}`,
    ];
    if (this.tooltip.dataset['row'] !== String(row)) {
      this.tooltip.replaceChildren(
        h('div', { className: 'tt-name', text: lines[0] }),
        h('div', { className: 'tt-meta', text: lines[1] }),
      );
      this.tooltip.dataset['row'] = String(row);
    }
    this.tooltip.hidden = false;
    const rootRect = this.root.getBoundingClientRect();
    const left = Math.min(e.clientX - rootRect.left + 12, rootRect.width - this.tooltip.offsetWidth - 8);
    this.tooltip.style.transform = `translate(${Math.max(0, left)}px, ${e.clientY - rootRect.top + 14}px)`;
  }

  private installSplitter(splitter: HTMLElement): void {
    let startX = 0;
    let startWidth = 0;
    splitter.addEventListener('pointerdown', (e) => {
      startX = e.clientX;
      startWidth = this.nameWidth;
      splitter.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent): void => {
        this.nameShare = (startWidth + ev.clientX - startX) / Math.max(1, this.scroller.clientWidth);
        this.resize();
      };
      const up = (): void => {
        splitter.removeEventListener('pointermove', move);
        splitter.removeEventListener('pointerup', up);
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
  }

  private onKey(e: KeyboardEvent): void {
    const model = this.model;
    if (!model || e.altKey || e.ctrlKey || e.metaKey) {
      if (this.host.key(e)) e.preventDefault();
      return;
    }
    const { data, rows } = model;
    const index = model.selected >= 0 ? indexOf(rows, model.selected) : -1;
    const go = (i: number): void => {
      if (rows.length === 0) return;
      const clamped = Math.max(0, Math.min(rows.length - 1, i));
      this.host.select(rows[clamped]!);
    };
    const total = data.header.durationUs;
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        go(index + 1);
        break;
      case 'ArrowUp':
        go(index < 0 ? 0 : index - 1);
        break;
      case 'ArrowRight':
        if (e.shiftKey) this.host.setWindow(panWindow(model.window, (model.window.endUs - model.window.startUs) * 0.2, total));
        else if (index >= 0 && data.hasChildren(model.selected)) {
          if (model.collapsed[model.selected] === 1) this.host.toggle(model.selected);
          else go(index + 1);
        } else if (index < 0) go(0);
        break;
      case 'ArrowLeft':
        if (e.shiftKey) this.host.setWindow(panWindow(model.window, -(model.window.endUs - model.window.startUs) * 0.2, total));
        else if (index >= 0) {
          if (data.hasChildren(model.selected) && model.collapsed[model.selected] !== 1) this.host.toggle(model.selected);
          else {
            const p = data.parent[model.selected]!;
            if (p >= 0 && indexOf(rows, p) >= 0) this.host.select(p);
          }
        }
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'PageDown':
        go(index + this.pageRows);
        break;
      case 'PageUp':
        go(index - this.pageRows);
        break;
      case 'Enter':
      case ' ':
        if (model.selected >= 0 && data.hasChildren(model.selected)) this.host.toggle(model.selected);
        break;
      case '+':
      case '=':
        this.host.setWindow(zoomWindow(model.window, 0.5, this.zoomAnchor(model), total));
        break;
      case '-':
      case '_':
        this.host.setWindow(zoomWindow(model.window, 2, this.zoomAnchor(model), total));
        break;
      case '0':
        this.host.setWindow(clampWindow({ startUs: 0, endUs: total }, total));
        break;
      default:
        handled = this.host.key(e);
    }
    if (handled) e.preventDefault();
  }

  /** Keyboard zoom keeps the selected span's start in place, else the middle. */
  private zoomAnchor(model: WaterfallModel): number {
    if (model.selected >= 0) {
      const s = model.data.startUs[model.selected]!;
      if (s >= model.window.startUs && s <= model.window.endUs) return s;
    }
    return (model.window.startUs + model.window.endUs) / 2;
  }
}

/**
 * Pixels of the name column in a waterfall `full` pixels wide: the user's share when they dragged the
 * splitter, else NAME_SHARE of the width, up to DEFAULT_NAME_WIDTH; the bars keep MIN_BARS_WIDTH.
 */
export function nameColumnWidth(full: number, share: number | undefined): number {
  const wanted =
    share !== undefined ? share * full : Math.min(DEFAULT_NAME_WIDTH, Math.max(MIN_NAME_WIDTH, Math.round(full * NAME_SHARE)));
  return Math.round(Math.min(Math.max(MIN_NAME_WIDTH, wanted), Math.max(MIN_NAME_WIDTH, full - SPLITTER - MIN_BARS_WIDTH)));
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

function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number, dpr: number): void {
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
}
