/**
 * What the flame graph draws on its canvas each frame: one band per level of depth on screen, a bar per
 * span (service colour, an error edge, the name inside when it fits), the part of each bar where its
 * children run shaded, so that the solid part is its self time, the selected and hovered spans outlined,
 * and a code mark on spans with a code location. Spans narrower than a pixel that fall on a pixel already
 * drawn in their band are skipped: a frame costs what the screen holds, not what the trace holds.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import { serviceColor } from './colors';
import type { FlameFrame } from './flameLayout';
import type { Theme } from './theme';
import type { TraceData } from './traceData';

/** pixels per band */
export const FLAME_ROW = 20;
/** pixels at the right end of a bar that go to the code, when it has a code location */
export const CODE_MARK_WIDTH = 18;
/** bars at least this wide carry their name */
const MIN_LABEL_WIDTH = 28;
/** the most rows reported as on screen (for code locations) */
const MAX_REPORTED = 2_000;

export interface FlameSurface {
  width: number;
  height: number;
  dpr: number;
  scrollTop: number;
  focused: boolean;
  hoverRow: number;
}

/** What besides the frame changes the look. */
export interface FlameMarks {
  selected: number;
  /** mapped[row] = 1: the span has a code location */
  mapped: Uint8Array;
  /** rows matching the search, when there is one: the others are dimmed */
  match: Uint8Array | undefined;
}

export class FlamePainter {
  private theme: Theme;
  private readonly shades = new Map<string, string>();

  constructor(theme: Theme) {
    this.theme = theme;
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.shades.clear();
  }

  /** `colour` half-way to the background: a bar where its children run. */
  private shaded(colour: string): string {
    let out = this.shades.get(colour);
    if (out === undefined) {
      const fallback = this.theme.kind === 'light' ? [255, 255, 255] : [30, 30, 30];
      const bg = rgb(this.theme.background) ?? fallback;
      const fg = rgb(colour) ?? fallback;
      const mix = fg.map((c, i) => Math.round(c + (bg[i]! - c) * 0.55));
      out = `rgb(${mix.join(',')})`;
      this.shades.set(colour, out);
    }
    return out;
  }

  /** Draws the bands on screen; returns the rows drawn wide enough to read (at most MAX_REPORTED). */
  draw(canvas: HTMLCanvasElement, s: FlameSurface, data: TraceData, frame: FlameFrame, marks: FlameMarks): number[] {
    const ctx = canvas.getContext('2d');
    const shown: number[] = [];
    if (!ctx) return shown;
    const t = this.theme;
    const light = t.kind === 'light';
    const w = s.width;
    ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
    ctx.clearRect(0, 0, w, s.height);
    const scale = w / (frame.endUs - frame.startUs);
    const x = (us: number): number => (us - frame.startUs) * scale;
    const firstLevel = Math.max(0, Math.floor(s.scrollTop / FLAME_ROW));
    const lastLevel = Math.min(frame.levels, Math.floor((s.scrollTop + s.height) / FLAME_ROW));
    const y = (level: number): number => level * FLAME_ROW - s.scrollTop;
    const { byLevel, levelStart } = frame;
    const lastPixel = (): ((px: number) => boolean) => {
      let last = -Infinity;
      return (px) => {
        if (px === last) return false;
        last = px;
        return true;
      };
    };

    // Bars.
    for (let level = firstLevel; level <= lastLevel; level++) {
      const top = y(level);
      const fresh = lastPixel();
      for (let i = levelStart[level]!; i < levelStart[level + 1]!; i++) {
        const r = byLevel[i]!;
        const x0 = x(data.startUs[r]!);
        const x1 = x(data.startUs[r]! + data.durationUs[r]!);
        if (x1 < 0 || x0 > w) continue;
        const width = x1 - x0;
        if (width < 1 && !fresh(Math.floor(x0))) continue;
        const bx = Math.max(-1, x0);
        const bw = Math.max(1, Math.min(w + 1, x1) - bx - (width >= 3 ? 1 : 0));
        ctx.globalAlpha = marks.match && marks.match[r] !== 1 ? 0.3 : 1;
        ctx.fillStyle = serviceColor(data.service[r]!);
        ctx.fillRect(bx, top + 1, bw, FLAME_ROW - 2);
        if ((data.flags[r]! & SpanFlags.error) !== 0) {
          ctx.fillStyle = t.error;
          ctx.fillRect(bx, top + FLAME_ROW - 4, bw, 3);
        }
        if (width >= MIN_LABEL_WIDTH && shown.length < MAX_REPORTED) shown.push(r);
      }
    }

    // Where children run, the parent's bar is shaded (one opaque shade, however many overlap): its solid
    // part is its self time.
    ctx.globalAlpha = 1;
    const parentPixel = new Map<number, (px: number) => boolean>();
    for (let level = firstLevel + 1; level <= frame.levels; level++) {
      for (let i = levelStart[level]!; i < levelStart[level + 1]!; i++) {
        const r = byLevel[i]!;
        const p = data.parent[r]!;
        const parentLevel = p >= 0 ? frame.lane[p]! : -1;
        if (parentLevel < firstLevel || parentLevel > lastLevel) continue;
        if (marks.match && marks.match[p] !== 1) continue;
        const top = y(parentLevel);
        let fresh = parentPixel.get(parentLevel);
        if (!fresh) parentPixel.set(parentLevel, (fresh = lastPixel()));
        const s0 = Math.max(data.startUs[r]!, data.startUs[p]!);
        const s1 = Math.min(data.startUs[r]! + data.durationUs[r]!, data.startUs[p]! + data.durationUs[p]!);
        if (!(s1 > s0)) continue;
        const x0 = x(s0);
        const x1 = x(s1);
        if (x1 < 0 || x0 > w) continue;
        if (x1 - x0 < 1 && !fresh(Math.floor(x0))) continue;
        ctx.fillStyle = this.shaded(serviceColor(data.service[p]!));
        ctx.fillRect(Math.max(-1, x0), top + 1, Math.max(1, Math.min(w + 1, x1) - Math.max(-1, x0)), FLAME_ROW - 6);
      }
    }

    // Names, code marks, hover and selection on top.
    ctx.font = t.font;
    ctx.textBaseline = 'middle';
    const ink = light ? 'rgba(0,0,0,0.87)' : '#ffffff';
    for (const r of shown) {
      const level = frame.lane[r]!;
      const x0 = Math.max(0, x(data.startUs[r]!));
      const x1 = Math.min(w, x(data.startUs[r]! + data.durationUs[r]!));
      const mapped = marks.mapped[r] === 1 && x1 - x0 >= MIN_LABEL_WIDTH + CODE_MARK_WIDTH;
      const room = x1 - x0 - 8 - (mapped ? CODE_MARK_WIDTH : 0);
      ctx.globalAlpha = marks.match && marks.match[r] !== 1 ? 0.45 : 1;
      ctx.fillStyle = ink;
      const label = fit(ctx, data.nameOf(r), room);
      if (label) ctx.fillText(label, x0 + 4, y(level) + FLAME_ROW / 2);
      if (mapped) ctx.fillText('</>', x1 - CODE_MARK_WIDTH + 1, y(level) + FLAME_ROW / 2);
    }
    ctx.globalAlpha = 1;
    this.outline(ctx, s, data, frame, s.hoverRow, t.foreground, 1);
    this.outline(ctx, s, data, frame, marks.selected, s.focused ? t.focusBorder : t.foreground, 2);
    return shown;
  }

  private outline(
    ctx: CanvasRenderingContext2D,
    s: FlameSurface,
    data: TraceData,
    frame: FlameFrame,
    row: number,
    colour: string,
    lineWidth: number,
  ): void {
    if (row < 0 || row >= data.loaded) return;
    const level = frame.lane[row]!;
    if (level < 0) return;
    const rect = barRect(data, frame, row, s.width);
    if (!rect) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    const top = level * FLAME_ROW - s.scrollTop;
    ctx.strokeRect(
      rect.x + lineWidth / 2,
      top + lineWidth / 2 + 0.5,
      Math.max(1, rect.width - lineWidth),
      FLAME_ROW - 1 - lineWidth,
    );
  }
}

/** The horizontal extent of `row`'s bar in a canvas `width` pixels wide, or undefined off the frame. */
export function barRect(
  data: TraceData,
  frame: FlameFrame,
  row: number,
  width: number,
): { x: number; width: number } | undefined {
  const scale = width / (frame.endUs - frame.startUs);
  const x0 = (data.startUs[row]! - frame.startUs) * scale;
  const x1 = (data.startUs[row]! + data.durationUs[row]! - frame.startUs) * scale;
  if (x1 < 0 || x0 > width) return undefined;
  const x = Math.max(0, x0);
  return { x, width: Math.max(1, Math.min(width, x1) - x) };
}

/** `text` cut with an ellipsis to fit `room` pixels, or '' when not even a few characters fit. */
function fit(ctx: CanvasRenderingContext2D, text: string, room: number): string {
  if (room < 12) return '';
  const full = ctx.measureText(text).width;
  if (full <= room) return text;
  let keep = Math.floor((text.length * room) / full) - 1;
  while (keep > 0) {
    const cut = `${text.slice(0, keep)}…`;
    if (ctx.measureText(cut).width <= room) return keep >= 2 ? cut : '';
    keep--;
  }
  return '';
}

/** The channels of a #rrggbb colour, or undefined for any other notation. */
function rgb(colour: string): number[] | undefined {
  const m = /^#([0-9a-f]{6})$/i.exec(colour.trim());
  if (!m) return undefined;
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
