/**
 * The overview above the waterfall: every listed row as a thin line across the whole trace, drawn once per
 * layout into an offscreen bitmap, with the visible time window and scroll position drawn over it each
 * frame. Drag the window to pan, drag elsewhere to pick a new window, click to centre it there.
 */
import { serviceColor } from './colors';
import type { Theme } from './theme';
import { clampWindow, type TimeWindow } from './timeScale';
import type { WaterfallModel } from './model';

export const MINIMAP_HEIGHT = 40;

export interface MinimapHost {
  setWindow(window: TimeWindow): void;
  /** scroll so that the top of the view is at this fraction of all rows */
  scrollToFraction(fraction: number): void;
}

export class Minimap {
  readonly canvas: HTMLCanvasElement;
  private readonly bitmap: HTMLCanvasElement;
  private width = 0;
  private dpr = 1;
  private theme: Theme | undefined;
  private model: WaterfallModel | undefined;
  private scrollFraction = 0;
  private viewFraction = 1;

  constructor(private readonly host: MinimapHost) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Trace overview; drag to move the visible window');
    this.bitmap = document.createElement('canvas');
    this.installPointer();
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    if (this.model) this.rebuild(this.model);
  }

  resize(width: number, dpr: number): void {
    this.width = width;
    this.dpr = dpr;
    for (const c of [this.canvas, this.bitmap]) {
      c.width = Math.max(1, Math.round(width * dpr));
      c.height = Math.round(MINIMAP_HEIGHT * dpr);
    }
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${MINIMAP_HEIGHT}px`;
  }

  /** Redraws the bitmap of all listed rows: one rect per row, batched by colour. */
  rebuild(model: WaterfallModel): void {
    this.model = model;
    const ctx = this.bitmap.getContext('2d');
    if (!ctx || this.width === 0) return;
    const { data, rows } = model;
    const total = data.header.durationUs || 1;
    const w = this.width;
    const hgt = MINIMAP_HEIGHT - 2;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, w, MINIMAP_HEIGHT);
    const n = rows.length;
    if (n === 0) return;
    const rowH = Math.max(hgt / n, 1 / this.dpr);
    const scale = w / total;
    // Rows grouped per service so that each colour is one fill of one path.
    const byService = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const svc = data.service[rows[i]!]!;
      let list = byService.get(svc);
      if (!list) byService.set(svc, (list = []));
      list.push(i);
    }
    for (const [svc, list] of byService) {
      ctx.beginPath();
      for (const i of list) {
        const row = rows[i]!;
        const x = data.startUs[row]! * scale;
        ctx.rect(x, 1 + (i * hgt) / n, Math.max(1 / this.dpr, data.durationUs[row]! * scale), rowH);
      }
      ctx.fillStyle = serviceColor(svc);
      ctx.fill();
    }
  }

  /** Copies the bitmap and draws the visible window over it. */
  draw(model: WaterfallModel, scrollFraction: number, viewFraction: number): void {
    if (this.model !== model) this.rebuild(model);
    this.scrollFraction = scrollFraction;
    this.viewFraction = viewFraction;
    const ctx = this.canvas.getContext('2d');
    const t = this.theme;
    if (!ctx || !t) return;
    const w = this.width;
    const total = model.data.header.durationUs || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.bitmap, 0, 0);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const x0 = (model.window.startUs / total) * w;
    const x1 = (model.window.endUs / total) * w;
    const y0 = Math.max(0, Math.min(1, scrollFraction)) * MINIMAP_HEIGHT;
    const y1 = Math.min(MINIMAP_HEIGHT, y0 + Math.max(2, Math.min(1, viewFraction) * MINIMAP_HEIGHT));
    ctx.fillStyle = t.minimapShade;
    ctx.fillRect(0, 0, x0, MINIMAP_HEIGHT);
    ctx.fillRect(x1, 0, w - x1, MINIMAP_HEIGHT);
    ctx.strokeStyle = t.minimapWindow;
    ctx.lineWidth = 1;
    ctx.strokeRect(Math.max(0.5, x0 + 0.5), 0.5, Math.max(2, x1 - x0 - 1), MINIMAP_HEIGHT - 1);
    // The rows on screen, as a band inside the window.
    ctx.globalAlpha = 0.25;
    ctx.fillStyle = t.minimapWindow;
    ctx.fillRect(x0, y0, Math.max(2, x1 - x0), y1 - y0);
    ctx.globalAlpha = 1;
  }

  private installPointer(): void {
    type Drag = { mode: 'move'; x: number; y: number; window: TimeWindow; scroll: number } | { mode: 'select'; x: number };
    let drag: Drag | undefined;
    const usAt = (clientX: number): number => {
      const total = this.model?.data.header.durationUs ?? 0;
      const rect = this.canvas.getBoundingClientRect();
      return (Math.max(0, Math.min(rect.width, clientX - rect.left)) / Math.max(1, rect.width)) * total;
    };
    this.canvas.addEventListener('pointerdown', (e) => {
      const model = this.model;
      if (!model || e.button !== 0) return;
      this.canvas.setPointerCapture(e.pointerId);
      const at = usAt(e.clientX);
      drag =
        at >= model.window.startUs && at <= model.window.endUs
          ? { mode: 'move', x: e.clientX, y: e.clientY, window: model.window, scroll: this.scrollFraction }
          : { mode: 'select', x: e.clientX };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      const model = this.model;
      if (!model || !drag) return;
      const total = model.data.header.durationUs;
      if (drag.mode === 'move') {
        const rect = this.canvas.getBoundingClientRect();
        const dUs = ((e.clientX - drag.x) / Math.max(1, rect.width)) * total;
        this.host.setWindow(clampWindow({ startUs: drag.window.startUs + dUs, endUs: drag.window.endUs + dUs }, total));
        const maxScroll = Math.max(1e-9, 1 - this.viewFraction);
        const f = drag.scroll + (e.clientY - drag.y) / MINIMAP_HEIGHT;
        this.host.scrollToFraction(Math.max(0, Math.min(1, f / maxScroll)));
      } else {
        const a = usAt(drag.x);
        const b = usAt(e.clientX);
        if (Math.abs(e.clientX - drag.x) > 3)
          this.host.setWindow(clampWindow({ startUs: Math.min(a, b), endUs: Math.max(a, b) }, total));
      }
    });
    this.canvas.addEventListener('pointerup', (e) => {
      const model = this.model;
      if (model && drag?.mode === 'select' && Math.abs(e.clientX - drag.x) <= 3) {
        const span = model.window.endUs - model.window.startUs;
        const at = usAt(e.clientX);
        this.host.setWindow(clampWindow({ startUs: at - span / 2, endUs: at + span / 2 }, model.data.header.durationUs));
      }
      drag = undefined;
    });
  }
}
