/**
 * The waterfall itself: a virtualized list of rows whose names are a small pool of DOM elements (so that
 * screen readers and tests read them) and whose bars, grid and labels are drawn on one canvas per frame.
 * Only the rows on screen are touched; a frame costs the same at 1,000 spans as at 100,000. Drawing is in
 * rowNames.ts and barsPainter.ts, keyboard and pointer handling in waterfallInput.ts.
 */
import { BarsPainter, type Surface } from './barsPainter';
import { h } from './dom';
import { Minimap } from './minimap';
import { indexOf, type WaterfallHost, type WaterfallModel } from './model';
import { RowNames } from './rowNames';
import type { Theme } from './theme';
import type { TraceView } from './viewSwitcher';
import { installWaterfallInput, type WaterfallElements, type WaterfallInputTarget } from './waterfallInput';
import { AXIS_HEIGHT, DEFAULT_NAME_WIDTH, ROW_HEIGHT, SPLITTER, nameColumnWidth } from './waterfallLayout';

export class WaterfallView implements WaterfallInputTarget, TraceView {
  readonly id = 'waterfall';
  readonly label = 'Waterfall';
  readonly showsDetail = true;
  readonly tools = 'all';
  readonly root: HTMLElement;
  readonly minimap: Minimap;
  /** per-frame work in milliseconds, for the benchmark */
  readonly frameTimes: number[] = [];
  readonly elements: WaterfallElements;
  private readonly scroller: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly names: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly axis: HTMLCanvasElement;
  private readonly namesHeader: HTMLDivElement;
  private readonly minimapLabel: HTMLDivElement;
  private readonly rowNames: RowNames;
  private readonly painter: BarsPainter;
  private modelValue: WaterfallModel | undefined;
  private nameWidth = DEFAULT_NAME_WIDTH;
  /** the name column's share of the width once the user has dragged its splitter */
  private nameShare: number | undefined;
  private readonly surface: Surface = { width: 0, height: 0, dpr: 1, focused: false, hoverRow: -1 };
  private frame = 0;
  private contentVersion = 0;
  private lastViewport = '';
  /** scroll the selected row into view at the next resize (the view was hidden, so it had no height) */
  private revealPending = false;

  constructor(
    readonly host: WaterfallHost,
    theme: Theme,
  ) {
    this.painter = new BarsPainter(theme);
    const namesInner = h('div', { className: 'names-inner' });
    this.names = h('div', { className: 'names' }, [namesInner]);
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
    this.rowNames = new RowNames(namesInner, this.scroller);
    this.axis = h('canvas', { className: 'axis', attrs: { 'aria-hidden': 'true' } });
    this.namesHeader = h('div', { className: 'names-header', text: 'Service & operation' });
    const axisRow = h('div', { className: 'axis-row' }, [this.namesHeader, h('div', { className: 'splitter-gap' }), this.axis]);
    this.minimap = new Minimap({
      setWindow: (w) => this.host.setWindow(w),
      scrollToFraction: (f) => {
        this.scroller.scrollTop = f * (this.scroller.scrollHeight - this.scroller.clientHeight);
      },
    });
    this.minimap.setTheme(theme);
    this.minimapLabel = h('div', { className: 'minimap-label', text: 'Overview' });
    const minimapRow = h('div', { className: 'minimap-row' }, [
      this.minimapLabel,
      h('div', { className: 'splitter-gap' }),
      this.minimap.canvas,
    ]);
    const tooltip = h('div', { className: 'bar-tooltip', attrs: { role: 'tooltip' } });
    tooltip.hidden = true;
    this.root = h('div', { className: 'waterfall' }, [minimapRow, axisRow, this.scroller, tooltip]);
    this.elements = { root: this.root, scroller: this.scroller, names: this.names, canvas: this.canvas, splitter, tooltip };

    this.scroller.addEventListener('scroll', () => this.invalidate(false));
    this.scroller.addEventListener('focus', () => {
      this.surface.focused = true;
      this.invalidate(true);
    });
    this.scroller.addEventListener('blur', () => {
      this.surface.focused = false;
      this.invalidate(true);
    });
    installWaterfallInput(this);
    new ResizeObserver(() => this.resize()).observe(this.scroller);
  }

  get model(): WaterfallModel | undefined {
    return this.modelValue;
  }

  setTheme(theme: Theme): void {
    this.painter.setTheme(theme);
    this.minimap.setTheme(theme);
    this.invalidate(true);
  }

  setModel(model: WaterfallModel): void {
    this.modelValue = model;
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

  /** CSS pixels of the bars' canvas. */
  get barsWidth(): number {
    return this.surface.width;
  }

  focus(): void {
    this.scroller.focus();
  }

  /** Shown again: once it has its size back, the selected row is scrolled into view. */
  shown(): void {
    this.revealPending = true;
    this.invalidate(true);
  }

  /** The tree controller lists the rows again itself (rowsChanged); here only a redraw is due. */
  refresh(): void {
    this.invalidate(true);
  }

  /** Rows listed changed (collapse, filter, more data): the minimap is redrawn too. */
  rowsChanged(): void {
    if (this.modelValue) this.minimap.rebuild(this.modelValue);
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
    const model = this.modelValue;
    if (!model) return;
    const height = this.surface.height;
    const total = model.rows.length * ROW_HEIGHT;
    this.spacer.style.height = `${Math.max(0, total - height)}px`;
    const top = this.scroller.scrollTop;
    const first = Math.floor(top / ROW_HEIGHT);
    const offset = first * ROW_HEIGHT - top;
    const count = Math.max(0, Math.min(model.rows.length - first, Math.ceil(height / ROW_HEIGHT) + 1));
    this.rowNames.render(model, first, count, offset, this.nameWidth, this.contentVersion, this.surface.focused);
    this.painter.drawBars(this.canvas, this.surface, model, first, count, offset);
    this.painter.drawAxis(this.axis, this.surface, model);
    this.minimap.draw(model, top / Math.max(1, total), height / Math.max(1, total));
    const lastRow = first + count - 1;
    const viewport = `${first}:${lastRow}:${model.rows.length}`;
    if (viewport !== this.lastViewport) {
      this.lastViewport = viewport;
      if (count > 0) this.host.viewportChanged(model.rows.subarray(first, first + count));
    }
    this.frameTimes.push(performance.now() - t0);
    if (this.frameTimes.length > 2000) this.frameTimes.splice(0, 1000);
  }

  /** Scrolls so that listed index `index` is on screen, near the middle if it was far away. */
  revealIndex(index: number): void {
    if (this.surface.height === 0) {
      // Hidden, the list has no height to scroll in; done when it is shown and sized.
      this.revealPending = true;
      return;
    }
    const y = index * ROW_HEIGHT;
    const top = this.scroller.scrollTop;
    const height = this.surface.height;
    if (y < top || y + ROW_HEIGHT > top + height) {
      const far = y < top - height || y > top + 2 * height;
      this.scroller.scrollTop = far ? y - height / 2 : y < top ? y : y + ROW_HEIGHT - height;
    }
  }

  /** Listed rows that fit on one screen (for Page Up / Page Down). */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.surface.height / ROW_HEIGHT) - 1);
  }

  /** The row under the pointer at `clientY`, or -1. */
  rowAt(clientY: number): number {
    const model = this.modelValue;
    if (!model) return -1;
    const rect = this.scroller.getBoundingClientRect();
    const index = Math.floor((clientY - rect.top + this.scroller.scrollTop) / ROW_HEIGHT);
    return index >= 0 && index < model.rows.length ? model.rows[index]! : -1;
  }

  /** Highlights the row under the pointer on the bars (-1: none). */
  hover(row: number): void {
    if (row === this.surface.hoverRow) return;
    this.surface.hoverRow = row;
    this.invalidate(false);
  }

  /** The name column takes `share` of the width, as the user dragged its splitter. */
  setNameShare(share: number): void {
    this.nameShare = share;
    this.resize();
  }

  private resize(): void {
    const shrank = this.scroller.clientHeight < this.surface.height;
    const height = this.scroller.clientHeight;
    const full = this.scroller.clientWidth;
    this.nameWidth = nameColumnWidth(full, this.nameShare);
    this.surface.height = height;
    this.surface.width = Math.max(0, full - this.nameWidth - SPLITTER);
    this.surface.dpr = window.devicePixelRatio || 1;
    const { width, dpr } = this.surface;
    this.layer.style.height = `${height}px`;
    this.names.style.width = `${this.nameWidth}px`;
    this.namesHeader.style.width = `${this.nameWidth}px`;
    this.minimapLabel.style.width = `${this.nameWidth}px`;
    sizeCanvas(this.canvas, width, height, dpr);
    sizeCanvas(this.axis, width, AXIS_HEIGHT, dpr);
    this.minimap.resize(width, dpr);
    if (this.modelValue) this.minimap.rebuild(this.modelValue);
    this.rowNames.ensureSlots(Math.ceil(height / ROW_HEIGHT) + 2);
    // A drawer opening under the rows must not hide the row it was opened for, nor a view shown again its selection.
    const model = this.modelValue;
    if ((shrank || this.revealPending) && height > 0 && model && model.selected >= 0) {
      this.revealPending = false;
      const index = indexOf(model.rows, model.selected);
      if (index >= 0) this.revealIndex(index);
    }
    this.invalidate(true);
  }
}

function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number, dpr: number): void {
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
}
