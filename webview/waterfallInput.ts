/**
 * Keyboard and pointer on the waterfall: the tree's keys (arrows, Home/End, pages, Enter to fold, + - 0 to
 * zoom, Shift+arrows to pan), clicks on names, twisties and code marks, dragging the bars to pan, wheel
 * zoom and pan, the bar tooltip and the name column's splitter. Everything the user does goes to the
 * view's host; the view only draws.
 */
import { h } from './dom';
import { indexOf, type WaterfallHost, type WaterfallModel } from './model';
import { clampWindow, formatDuration, panWindow, zoomWindow, type TimeWindow } from './timeScale';

/** The elements the handlers listen on. */
export interface WaterfallElements {
  root: HTMLElement;
  scroller: HTMLDivElement;
  names: HTMLDivElement;
  canvas: HTMLCanvasElement;
  splitter: HTMLElement;
  tooltip: HTMLDivElement;
}

/** What the handlers need of the view (WaterfallView). */
export interface WaterfallInputTarget {
  readonly host: WaterfallHost;
  readonly model: WaterfallModel | undefined;
  readonly elements: WaterfallElements;
  readonly barsWidth: number;
  readonly pageRows: number;
  readonly nameColumnWidth: number;
  rowAt(clientY: number): number;
  hover(row: number): void;
  setNameShare(share: number): void;
}

/** pixels a press may move and still be a click rather than a pan */
const CLICK_SLOP = 3;
/** share of the window that Shift+Left/Right pans */
const KEY_PAN_SHARE = 0.2;

export function installWaterfallInput(view: WaterfallInputTarget): void {
  const { scroller, names, canvas, splitter } = view.elements;
  scroller.addEventListener('keydown', (e) => onKey(view, e));
  names.addEventListener('click', (e) => onNameClick(view, e));
  names.addEventListener('dblclick', (e) => {
    const row = view.rowAt(e.clientY);
    if (row >= 0 && view.model?.data.hasChildren(row)) view.host.toggle(row);
  });
  scroller.addEventListener('wheel', (e) => onWheel(view, e), { passive: false });
  installCanvasPointer(view, canvas);
  installSplitter(view, splitter);
}

function onKey(view: WaterfallInputTarget, e: KeyboardEvent): void {
  const host = view.host;
  const model = view.model;
  if (!model || e.altKey || e.ctrlKey || e.metaKey) {
    if (host.key(e)) e.preventDefault();
    return;
  }
  const { data, rows } = model;
  const index = model.selected >= 0 ? indexOf(rows, model.selected) : -1;
  const go = (i: number): void => {
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, i));
    host.select(rows[clamped]!);
  };
  const total = data.header.durationUs;
  const pan = (share: number): void =>
    host.setWindow(panWindow(model.window, (model.window.endUs - model.window.startUs) * share, total));
  let handled = true;
  switch (e.key) {
    case 'ArrowDown':
      go(index + 1);
      break;
    case 'ArrowUp':
      go(index < 0 ? 0 : index - 1);
      break;
    case 'ArrowRight':
      if (e.shiftKey) pan(KEY_PAN_SHARE);
      else if (index >= 0 && data.hasChildren(model.selected)) {
        if (model.collapsed[model.selected] === 1) host.toggle(model.selected);
        else go(index + 1);
      } else if (index < 0) go(0);
      break;
    case 'ArrowLeft':
      if (e.shiftKey) pan(-KEY_PAN_SHARE);
      else if (index >= 0) {
        if (data.hasChildren(model.selected) && model.collapsed[model.selected] !== 1) host.toggle(model.selected);
        else {
          const p = data.parent[model.selected]!;
          if (p >= 0 && indexOf(rows, p) >= 0) host.select(p);
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
      go(index + view.pageRows);
      break;
    case 'PageUp':
      go(index - view.pageRows);
      break;
    case 'Enter':
    case ' ':
      if (model.selected >= 0 && data.hasChildren(model.selected)) host.toggle(model.selected);
      break;
    case '+':
    case '=':
      host.setWindow(zoomWindow(model.window, 0.5, zoomAnchor(model), total));
      break;
    case '-':
    case '_':
      host.setWindow(zoomWindow(model.window, 2, zoomAnchor(model), total));
      break;
    case '0':
      host.setWindow(clampWindow({ startUs: 0, endUs: total }, total));
      break;
    default:
      handled = host.key(e);
  }
  if (handled) e.preventDefault();
}

/** Keyboard zoom keeps the selected span's start in place, else the middle. */
function zoomAnchor(model: WaterfallModel): number {
  if (model.selected >= 0) {
    const s = model.data.startUs[model.selected]!;
    if (s >= model.window.startUs && s <= model.window.endUs) return s;
  }
  return (model.window.startUs + model.window.endUs) / 2;
}

function onNameClick(view: WaterfallInputTarget, e: MouseEvent): void {
  const row = view.rowAt(e.clientY);
  if (row < 0) return;
  const target = e.target as Element;
  if (target.closest('.twisty') && view.model?.data.hasChildren(row)) view.host.toggle(row);
  else if (target.closest('.mark.code')) view.host.goToCode(row);
  else view.host.select(row);
  view.elements.scroller.focus({ preventScroll: true });
}

/** Ctrl/Cmd+wheel over the bars zooms around the pointer; Shift+wheel or a sideways wheel pans. */
function onWheel(view: WaterfallInputTarget, e: WheelEvent): void {
  const model = view.model;
  if (!model) return;
  const total = model.data.header.durationUs;
  const rect = view.elements.canvas.getBoundingClientRect();
  const overBars = e.clientX >= rect.left;
  const width = Math.max(1, view.barsWidth);
  const span = model.window.endUs - model.window.startUs;
  if ((e.ctrlKey || e.metaKey) && overBars) {
    e.preventDefault();
    const anchor = model.window.startUs + ((e.clientX - rect.left) / width) * span;
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    view.host.setWindow(zoomWindow(model.window, Math.exp(delta * 0.002), anchor, total));
  } else if (overBars && (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY))) {
    e.preventDefault();
    const px = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
    view.host.setWindow(panWindow(model.window, (px / width) * span, total));
  }
}

/** A press on the bars selects its row; a drag pans the window. Hovering shows the row's tooltip. */
function installCanvasPointer(view: WaterfallInputTarget, canvas: HTMLCanvasElement): void {
  const tooltip = view.elements.tooltip;
  let drag: { x: number; window: TimeWindow; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (e) => {
    if (!view.model || e.button !== 0) return;
    drag = { x: e.clientX, window: view.model.window, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const model = view.model;
    if (!model) return;
    if (drag) {
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > CLICK_SLOP) drag.moved = true;
      if (drag.moved) {
        const perPx = (drag.window.endUs - drag.window.startUs) / Math.max(1, view.barsWidth);
        view.host.setWindow(panWindow(drag.window, -dx * perPx, model.data.header.durationUs));
        canvas.classList.add('panning');
      }
      return;
    }
    const row = view.rowAt(e.clientY);
    view.hover(row);
    showTooltip(view, row, e);
  });
  canvas.addEventListener('pointerup', (e) => {
    if (drag && !drag.moved) {
      const row = view.rowAt(e.clientY);
      if (row >= 0) view.host.select(row);
      view.elements.scroller.focus({ preventScroll: true });
    }
    drag = undefined;
    canvas.classList.remove('panning');
  });
  canvas.addEventListener('pointercancel', () => {
    drag = undefined;
  });
  canvas.addEventListener('pointerleave', () => {
    view.hover(-1);
    tooltip.hidden = true;
  });
}

/** Name, service, duration, self time and start of the row under the pointer, beside the pointer. */
function showTooltip(view: WaterfallInputTarget, row: number, e: PointerEvent): void {
  const { tooltip, root } = view.elements;
  const model = view.model;
  if (!model || row < 0) {
    tooltip.hidden = true;
    return;
  }
  const d = model.data;
  if (tooltip.dataset['row'] !== String(row)) {
    tooltip.replaceChildren(
      h('div', { className: 'tt-name', text: d.nameOf(row) }),
      h('div', {
        className: 'tt-meta',
        text: `${d.serviceOf(row)} · ${formatDuration(d.durationUs[row]!)} (self ${formatDuration(d.selfUs[row]!)}) · at ${formatDuration(d.startUs[row]!)}`,
      }),
    );
    tooltip.dataset['row'] = String(row);
  }
  tooltip.hidden = false;
  const rootRect = root.getBoundingClientRect();
  const left = Math.min(e.clientX - rootRect.left + 12, rootRect.width - tooltip.offsetWidth - 8);
  tooltip.style.transform = `translate(${Math.max(0, left)}px, ${e.clientY - rootRect.top + 14}px)`;
}

/** Dragging the splitter sets the name column's share of the width. */
function installSplitter(view: WaterfallInputTarget, splitter: HTMLElement): void {
  splitter.addEventListener('pointerdown', (e) => {
    const startX = e.clientX;
    const startWidth = view.nameColumnWidth;
    splitter.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent): void =>
      view.setNameShare((startWidth + ev.clientX - startX) / Math.max(1, view.elements.scroller.clientWidth));
    const up = (): void => {
      splitter.removeEventListener('pointermove', move);
      splitter.removeEventListener('pointerup', up);
    };
    splitter.addEventListener('pointermove', move);
    splitter.addEventListener('pointerup', up);
  });
}
