/**
 * The flame graph tab: the trace (or the focused subtree) on one canvas, time on x and depth on y, each
 * span as wide as it lasted, the part where its children run shaded so that its self time stands out.
 * A click selects a span (for every view) and zooms into its subtree; a click on the top bar, Escape or
 * the path above goes back out. Drawing is in flamePainter.ts, placement in flameLayout.ts.
 *
 * For a screen reader the canvas is a tree with one active item, the selected span, described in words
 * (name, service, duration, self time, children). Keys: Up to the parent, Down to the first child, Left
 * and Right to the siblings, Enter to zoom in, Escape or Backspace to zoom out, G for Go to Code, Y to copy
 * the span ID.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import { h, toolButton } from './dom';
import { firstChild, flameFrame, rowAt, sibling, zoomPath, type FlameFrame } from './flameLayout';
import { barRect, CODE_MARK_WIDTH, FLAME_ROW, FlamePainter, type FlameSurface } from './flamePainter';
import type { AppState } from './state';
import type { Theme } from './theme';
import { formatDuration } from './timeScale';
import type { TraceData } from './traceData';
import type { SpanActions, TraceView } from './viewSwitcher';

/** How long the last paint after the tab was shown took, for the benchmark. */
export interface FlameMetrics {
  shownAt: number;
  paintedAt: number;
}

export class FlameGraph implements TraceView {
  readonly id = 'flame';
  readonly label = 'Flame graph';
  readonly showsDetail = true;
  readonly tools = 'search';
  readonly root: HTMLElement;
  readonly metrics: FlameMetrics = { shownAt: 0, paintedAt: 0 };
  private readonly scroller: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly active: HTMLElement;
  private readonly path: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly zoomOutButton: HTMLButtonElement;
  private readonly tooltip: HTMLElement;
  private readonly painter: FlamePainter;
  private readonly surface: FlameSurface = { width: 0, height: 0, dpr: 1, scrollTop: 0, focused: false, hoverRow: -1 };
  private frameValue: FlameFrame | undefined;
  private frameKey = '';
  private frame = 0;
  private lastShown = '';

  constructor(
    private readonly state: AppState,
    private readonly actions: SpanActions,
    theme: Theme,
  ) {
    this.painter = new FlamePainter(theme);
    this.canvas = h('canvas', { className: 'flame-canvas', attrs: { 'aria-hidden': 'true' } });
    this.active = h('div', { className: 'visually-hidden', attrs: { role: 'treeitem', id: 'flame-active' } });
    this.layer = h('div', { className: 'flame-layer' }, [this.canvas, this.active]);
    this.spacer = h('div', { className: 'flame-spacer' });
    this.scroller = h(
      'div',
      {
        className: 'flame-scroller',
        attrs: {
          role: 'tree',
          tabindex: '0',
          'aria-label': 'Flame graph',
          'aria-roledescription': 'flame graph',
          'aria-description':
            'Up: parent, Down: first child, Left and Right: siblings, Enter: zoom in, Escape: zoom out, G: Go to Code',
        },
      },
      [this.layer, this.spacer],
    );
    this.zoomOutButton = toolButton('back', 'Zoom out (Escape)', () => this.zoomOut());
    this.path = h('nav', { className: 'flame-path', attrs: { 'aria-label': 'Zoomed into' } });
    this.caption = h('span', { className: 'flame-caption', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.tooltip = h('div', { className: 'bar-tooltip', attrs: { role: 'tooltip' } });
    this.tooltip.hidden = true;
    this.root = h('div', { className: 'flame' }, [
      h('div', { className: 'flame-bar' }, [this.zoomOutButton, this.path, this.caption]),
      this.scroller,
      this.tooltip,
    ]);

    this.scroller.addEventListener('scroll', () => this.invalidate());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.scroller.addEventListener('focus', () => this.setFocused(true));
    this.scroller.addEventListener('blur', () => this.setFocused(false));
    this.canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.canvas.addEventListener('pointerleave', () => {
      this.hover(-1);
      this.tooltip.hidden = true;
    });
    this.canvas.addEventListener('click', (e) => this.onClick(e));
    new ResizeObserver(() => this.resize()).observe(this.scroller);
  }

  /** The frame drawn (for tests and the benchmark). */
  get current(): FlameFrame | undefined {
    return this.frameValue;
  }

  /** Where `row`'s bar is, in client coordinates of the page (for tests), or undefined when not drawn. */
  barOf(row: number): { x: number; y: number; width: number; height: number } | undefined {
    const data = this.state.data;
    const frame = this.frameValue;
    if (!data || !frame) return undefined;
    const rect = barRect(data, frame, row, this.surface.width);
    const level = frame.lane[row]!;
    if (!rect || level < 0) return undefined;
    const box = this.canvas.getBoundingClientRect();
    return {
      x: box.left + rect.x,
      y: box.top + level * FLAME_ROW - this.surface.scrollTop,
      width: rect.width,
      height: FLAME_ROW,
    };
  }

  setTheme(theme: Theme): void {
    this.painter.setTheme(theme);
    this.invalidate();
  }

  shown(): void {
    this.metrics.shownAt = performance.now();
    this.resize();
    this.revealSelected();
    this.renderNow();
  }

  refresh(): void {
    this.invalidate();
  }

  selectionChanged(): void {
    this.revealSelected();
    this.invalidate();
  }

  redraw(): void {
    this.invalidate();
  }

  focus(): void {
    this.scroller.focus();
  }

  /** Zooms into `row`'s subtree (-1: back to the whole trace or the focused subtree). */
  zoomTo(row: number): void {
    const data = this.state.data;
    if (!data) return;
    const base = this.state.focusRow;
    const inside = row >= 0 && row < data.loaded && (base < 0 || (row >= base && row < data.subtreeEnd[base]!));
    this.state.flameZoom = inside && row !== base ? row : -1;
    this.scroller.scrollTop = 0;
    this.invalidate();
    this.actions.save();
  }

  /** One level back out, towards the whole trace; false when not zoomed. */
  zoomOut(): boolean {
    const data = this.state.data;
    const zoom = this.state.flameZoom;
    if (!data || zoom < 0) return false;
    const parent = data.parent[zoom]!;
    this.zoomTo(parent >= 0 && data.hasChildren(parent) ? parent : -1);
    return true;
  }

  private invalidate(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.renderNow());
  }

  /** The frame for the zoom, the focus and the rows received, computed again only when one of them changed. */
  private currentFrame(data: TraceData): FlameFrame {
    const base = this.state.focusRow;
    let zoom = this.state.flameZoom;
    if (zoom >= data.loaded || (zoom >= 0 && base >= 0 && !(zoom > base && zoom < data.subtreeEnd[base]!))) {
      zoom = -1;
      this.state.flameZoom = -1;
    }
    const root = zoom >= 0 ? zoom : base;
    const key = `${data.header.traceId}:${data.loaded}:${base}:${root}`;
    if (!this.frameValue || key !== this.frameKey) {
      this.frameValue = flameFrame(data, root);
      this.frameKey = key;
      this.describeZoom(data, base, zoom);
    }
    return this.frameValue;
  }

  renderNow(): void {
    if (this.frame !== 0) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const { data, model } = this.state;
    if (!data || !model || this.root.hidden || this.surface.width === 0) return;
    const frame = this.currentFrame(data);
    this.spacer.style.height = `${Math.max(0, (frame.levels + 1) * FLAME_ROW - this.surface.height)}px`;
    this.surface.scrollTop = this.scroller.scrollTop;
    const shown = this.painter.draw(this.canvas, this.surface, data, frame, {
      selected: model.selected,
      mapped: model.mapped,
      match: model.match,
    });
    this.describeActive(data, frame, model.selected);
    this.metrics.paintedAt = performance.now();
    const key = `${this.frameKey}:${this.surface.scrollTop}:${this.surface.width}:${shown.length}`;
    if (shown.length > 0 && key !== this.lastShown) {
      this.lastShown = key;
      this.actions.rowsOnScreen(shown);
    }
  }

  /** The path of zooms above the canvas (each a button back to it) and what the graph shows. */
  private describeZoom(data: TraceData, base: number, zoom: number): void {
    const crumbs: HTMLElement[] = [];
    const crumb = (text: string, row: number, current: boolean): HTMLElement => {
      const button = h('button', { className: 'crumb', text, title: text, attrs: { type: 'button' } });
      if (current) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => this.zoomTo(row));
      return button;
    };
    crumbs.push(crumb(base >= 0 ? data.nameOf(base) : 'Whole trace', -1, zoom < 0));
    if (zoom >= 0) for (const row of zoomPath(data, zoom, base)) crumbs.push(crumb(data.nameOf(row), row, row === zoom));
    this.path.replaceChildren(...crumbs);
    this.zoomOutButton.disabled = zoom < 0;
    const root = zoom >= 0 ? zoom : base;
    const count = root >= 0 ? Math.min(data.subtreeEnd[root]!, data.loaded) - root : data.loaded;
    const what = `${count.toLocaleString('en-US')} ${count === 1 ? 'span' : 'spans'}`;
    this.caption.textContent = zoom >= 0 ? `${what} under ${data.nameOf(zoom)}` : what;
  }

  /** The tree's one item: the selected span in words, as a screen reader reads it. */
  private describeActive(data: TraceData, frame: FlameFrame, row: number): void {
    if (row < 0 || frame.lane[row]! < 0) {
      this.scroller.removeAttribute('aria-activedescendant');
      this.active.textContent = '';
      return;
    }
    let children = 0;
    data.forEachChild(row, () => children++);
    const error = (data.flags[row]! & SpanFlags.error) !== 0;
    const parts = [
      data.nameOf(row),
      data.serviceOf(row),
      formatDuration(data.durationUs[row]!),
      `self ${formatDuration(data.selfUs[row]!)}`,
      ...(error ? ['error'] : []),
      ...(children > 0 ? [`${children.toLocaleString('en-US')} ${children === 1 ? 'child' : 'children'}`] : []),
      ...(this.state.model?.mapped[row] === 1 ? ['has code'] : []),
    ];
    const text = parts.join(', ');
    if (this.active.textContent !== text) this.active.textContent = text;
    this.active.setAttribute('aria-level', String(data.depth[row]! - frame.depthBase + 1));
    this.active.setAttribute('aria-selected', 'true');
    if (children > 0) this.active.setAttribute('aria-expanded', 'true');
    else this.active.removeAttribute('aria-expanded');
    this.active.dataset['row'] = String(row);
    this.scroller.setAttribute('aria-activedescendant', this.active.id);
  }

  private resize(): void {
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (width === this.surface.width && height === this.surface.height && dpr === this.surface.dpr) return;
    this.surface.width = width;
    this.surface.height = height;
    this.surface.dpr = dpr;
    this.layer.style.height = `${height}px`;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.invalidate();
  }

  private setFocused(focused: boolean): void {
    this.surface.focused = focused;
    this.invalidate();
  }

  private hover(row: number): void {
    if (row === this.surface.hoverRow) return;
    this.surface.hoverRow = row;
    this.invalidate();
  }

  /** The row under client point (x, y), and whether the point is on its code mark. */
  private hit(clientX: number, clientY: number): { row: number; code: boolean } {
    const data = this.state.data;
    const frame = this.frameValue;
    if (!data || !frame) return { row: -1, code: false };
    const box = this.canvas.getBoundingClientRect();
    const px = clientX - box.left;
    const level = Math.floor((clientY - box.top + this.surface.scrollTop) / FLAME_ROW);
    const usPerPx = (frame.endUs - frame.startUs) / Math.max(1, this.surface.width);
    // A bar narrower than a pixel is still drawn a pixel wide, so it is hit a pixel wide.
    const row = rowAt(data, frame, level, frame.startUs + px * usPerPx, usPerPx);
    if (row < 0) return { row, code: false };
    const rect = barRect(data, frame, row, this.surface.width);
    const code = this.state.model?.mapped[row] === 1 && rect !== undefined && px >= rect.x + rect.width - CODE_MARK_WIDTH;
    return { row, code: code && rect.width >= 28 + CODE_MARK_WIDTH };
  }

  private onPointerMove(e: PointerEvent): void {
    const data = this.state.data;
    const { row, code } = this.hit(e.clientX, e.clientY);
    this.hover(row);
    this.canvas.style.cursor = row < 0 ? '' : 'pointer';
    if (!data || row < 0) {
      this.tooltip.hidden = true;
      return;
    }
    if (this.tooltip.dataset['row'] !== `${row}:${code}`) {
      const share = data.durationUs[row]! > 0 ? ` (${Math.round((100 * data.selfUs[row]!) / data.durationUs[row]!)}%)` : '';
      this.tooltip.replaceChildren(
        h('div', { className: 'tt-name', text: data.nameOf(row) }),
        h('div', {
          className: 'tt-meta',
          text: `${data.serviceOf(row)} · ${formatDuration(data.durationUs[row]!)} · self ${formatDuration(data.selfUs[row]!)}${share}`,
        }),
        ...(code ? [h('div', { className: 'tt-meta', text: 'Click: Go to Code' })] : []),
      );
      this.tooltip.dataset['row'] = `${row}:${code}`;
    }
    this.tooltip.hidden = false;
    const rootBox = this.root.getBoundingClientRect();
    const left = Math.min(e.clientX - rootBox.left + 12, rootBox.width - this.tooltip.offsetWidth - 8);
    this.tooltip.style.transform = `translate(${Math.max(0, left)}px, ${e.clientY - rootBox.top + 14}px)`;
  }

  /** A click selects; on a span with children it zooms in too; on the top bar of a zoom it zooms out. */
  private onClick(e: MouseEvent): void {
    const data = this.state.data;
    const { row, code } = this.hit(e.clientX, e.clientY);
    this.scroller.focus({ preventScroll: true });
    if (!data || row < 0) return;
    if (code) {
      this.actions.goToCode(row);
      return;
    }
    this.actions.select(row);
    if (row === this.state.flameZoom) this.zoomOut();
    else if (data.hasChildren(row)) this.zoomTo(row);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const { data, model } = this.state;
    const frame = this.frameValue;
    if (!data || !model || !frame) return;
    const selected = model.selected;
    const inFrame = (row: number): boolean => row >= 0 && rowInFrame(data, frame, row);
    const go = (row: number): void => {
      if (inFrame(row)) this.actions.select(row);
    };
    const top = frame.root >= 0 ? frame.root : (frame.byLevel[0] ?? -1);
    switch (e.key) {
      case 'ArrowUp':
        if (selected < 0) go(top);
        else go(data.parent[selected]!);
        break;
      case 'ArrowDown':
        go(selected < 0 ? top : firstChild(data, selected));
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (selected < 0) go(top);
        else go(sibling(data, selected, e.key === 'ArrowRight' ? 1 : -1));
        break;
      case 'Home':
        go(top);
        break;
      case 'Enter':
        if (selected >= 0 && data.hasChildren(selected)) this.zoomTo(selected);
        break;
      case 'Escape':
      case 'Backspace':
        if (!this.zoomOut()) return;
        break;
      case 'g':
        if (selected >= 0) this.actions.goToCode(selected);
        break;
      case 'y':
        if (selected >= 0) this.actions.copy(data.spanIdOf(selected), 'span ID');
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** The selected span is drawn: zoomed out far enough to hold it, its band scrolled into view. */
  private revealSelected(): void {
    const { data, model } = this.state;
    if (!data || !model || model.selected < 0) return;
    const row = model.selected;
    const zoom = this.state.flameZoom;
    if (zoom >= 0 && !(row >= zoom && row < data.subtreeEnd[zoom]!)) {
      this.state.flameZoom = -1;
      this.actions.save();
    }
    const frame = this.currentFrame(data);
    if (!rowInFrame(data, frame, row) || this.surface.height === 0) return;
    const y = frame.lane[row]! * FLAME_ROW;
    const top = this.scroller.scrollTop;
    if (y < top) this.scroller.scrollTop = y;
    else if (y + FLAME_ROW > top + this.surface.height) this.scroller.scrollTop = y + FLAME_ROW - this.surface.height;
  }
}

function rowInFrame(data: TraceData, frame: FlameFrame, row: number): boolean {
  if (row < 0 || row >= data.loaded) return false;
  return frame.root < 0 || (row >= frame.root && row < data.subtreeEnd[frame.root]!);
}
