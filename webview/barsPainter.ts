/**
 * What the waterfall draws on its canvases each frame: row backgrounds, grid, bars with their error edges,
 * critical-path segments and event ticks, duration labels, and the time axis. Only the rows on screen.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import { serviceColor } from './colors';
import type { EventTicks, WaterfallModel } from './model';
import type { Theme } from './theme';
import { formatDuration, ticks } from './timeScale';
import { AXIS_HEIGHT, BAR_HEIGHT, MAX_TICKS_PER_ROW, ROW_HEIGHT, TICK_OVERHANG } from './waterfallLayout';

/** Where to draw: the canvas's CSS size and pixel ratio, and the state of the rows that changes the look. */
export interface Surface {
  width: number;
  height: number;
  dpr: number;
  /** the list has the keyboard: the selection shows in the active colour */
  focused: boolean;
  hoverRow: number;
}

export class BarsPainter {
  private theme: Theme;
  /** widths of the characters of labels, measured once per font */
  private readonly charWidths = new Map<string, number>();

  constructor(theme: Theme) {
    this.theme = theme;
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.charWidths.clear();
  }

  /** The listed rows `first .. first + count - 1`, the first one `offset` pixels from the top. */
  drawBars(canvas: HTMLCanvasElement, s: Surface, model: WaterfallModel, first: number, count: number, offset: number): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const { data, window: win } = model;
    const t = this.theme;
    const w = s.width;
    ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
    ctx.clearRect(0, 0, w, s.height);
    const span = win.endUs - win.startUs || 1;
    const scale = w / span;
    const x = (us: number): number => (us - win.startUs) * scale;

    // Row backgrounds: hover, matches, selection.
    for (let k = 0; k < count; k++) {
      const row = model.rows[first + k]!;
      const y = offset + k * ROW_HEIGHT;
      let fill: string | undefined;
      if (row === model.selected) fill = s.focused ? t.selection : t.selectionInactive;
      else if (model.match?.[row] === 1) fill = row === model.currentMatch ? t.currentMatch : t.match;
      else if (row === s.hoverRow) fill = t.hover;
      if (fill) {
        ctx.fillStyle = fill;
        ctx.fillRect(0, y, w, ROW_HEIGHT);
      }
    }

    // Grid lines at the axis ticks.
    ctx.fillStyle = t.grid;
    for (const tick of ticks(win.startUs, win.endUs, w)) ctx.fillRect(Math.round(x(tick)), 0, 1, s.height);

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
          for (let seg = cp.first[row]!; seg < cp.first[row + 1]!; seg++) {
            const sx = Math.max(-2, x(cp.segStart[seg]!));
            const sw = Math.max(1, Math.min(w + 2, x(cp.segEnd[seg]!)) - sx);
            ctx.fillRect(sx, y + ROW_HEIGHT / 2 - 1.5, sw, 3);
          }
        }
        const events = model.eventTicks.get(row);
        if (events) this.drawTicks(ctx, events, x, start, y + barTop - TICK_OVERHANG, w);
      }
      // Duration beside the bar: right of it when there is room, else left of it.
      const label = formatDuration(dur);
      const lw = this.labelWidth(ctx, label);
      ctx.fillStyle = error ? t.error : row === model.selected && s.focused ? t.foreground : t.muted;
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

  drawAxis(canvas: HTMLCanvasElement, s: Surface, model: WaterfallModel): void {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const t = this.theme;
    const { window: win, data } = model;
    const w = s.width;
    ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
    ctx.clearRect(0, 0, w, AXIS_HEIGHT);
    const scale = w / (win.endUs - win.startUs || 1);
    const x = (us: number): number => (us - win.startUs) * scale;
    // The selected span's extent, so that the eye finds it on the axis.
    if (model.selected >= 0) {
      const start = data.startUs[model.selected]!;
      const end = start + data.durationUs[model.selected]!;
      ctx.fillStyle = t.selectionInactive;
      ctx.fillRect(Math.max(0, x(start)), 0, Math.max(1, Math.min(w, x(end)) - Math.max(0, x(start))), AXIS_HEIGHT);
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
      let cw = this.charWidths.get(ch);
      if (cw === undefined) {
        cw = ctx.measureText(ch).width;
        this.charWidths.set(ch, cw);
      }
      width += cw;
    }
    return width;
  }
}
