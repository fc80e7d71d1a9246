/** Time-axis maths for the waterfall: tick steps people read easily, and durations as short labels. DOM-free. */

/** Steps of 1, 2 and 5 × 10^k microseconds, the smallest one leaving at least `minPx` between ticks. */
export function tickStep(spanUs: number, widthPx: number, minPx: number): number {
  if (!(spanUs > 0) || !(widthPx > 0)) return 1;
  const raw = (spanUs * minPx) / widthPx;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Tick positions (microseconds since the trace start) inside [fromUs, toUs]. */
export function ticks(fromUs: number, toUs: number, widthPx: number, minPx = 80): number[] {
  const step = tickStep(toUs - fromUs, widthPx, minPx);
  const out: number[] = [];
  const first = Math.ceil(fromUs / step) * step;
  for (let t = first; t <= toUs + step * 1e-9 && out.length < 1000; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Microseconds as a short label: "850µs", "12.3ms", "1.25s", "2m 5s". */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const sign = us < 0 ? '-' : '';
  const a = Math.abs(us);
  if (a === 0) return '0';
  if (a < 1) return `${sign}${trim(a * 1000)}ns`;
  if (a < 1_000) return `${sign}${trim(a)}µs`;
  if (a < 1_000_000) return `${sign}${trim(a / 1_000)}ms`;
  if (a < 60_000_000) return `${sign}${trim(a / 1_000_000)}s`;
  const s = Math.round(a / 1_000_000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${sign}${h}h ${m}m`;
  return `${sign}${m}m ${s % 60}s`;
}

/** Three significant digits without trailing zeros. */
function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(3)));
}

/** A zoom window, microseconds since the trace start. */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

/** The narrowest window the zoom allows: 1 µs, or a millionth of the trace. */
export function minWindowUs(totalUs: number): number {
  return Math.max(1, totalUs / 1e6);
}

/** Zooms by `factor` (< 1 zooms in) keeping `anchorUs` where it is on screen, kept inside [0, totalUs]. */
export function zoomWindow(w: TimeWindow, factor: number, anchorUs: number, totalUs: number): TimeWindow {
  const span = w.endUs - w.startUs;
  const next = Math.min(totalUs, Math.max(minWindowUs(totalUs), span * factor));
  const ratio = span > 0 ? (anchorUs - w.startUs) / span : 0.5;
  return clampWindow({ startUs: anchorUs - ratio * next, endUs: anchorUs - ratio * next + next }, totalUs);
}

/** Moves the window by `deltaUs`, kept inside [0, totalUs]. */
export function panWindow(w: TimeWindow, deltaUs: number, totalUs: number): TimeWindow {
  return clampWindow({ startUs: w.startUs + deltaUs, endUs: w.endUs + deltaUs }, totalUs);
}

/** The window moved (not resized) to lie inside [0, totalUs]; one wider than the trace becomes the trace. */
export function clampWindow(w: TimeWindow, totalUs: number): TimeWindow {
  const span = Math.min(Math.max(w.endUs - w.startUs, minWindowUs(totalUs)), totalUs);
  let start = Math.max(0, Math.min(w.startUs, totalUs - span));
  if (!Number.isFinite(start)) start = 0;
  return { startUs: start, endUs: start + span };
}

/** "1ms", "250us", "2s", "1.5" (ms) → microseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor =
    unit === 'ns' ? 0.001 : unit === 'us' || unit === 'µs' ? 1 : unit === 'ms' ? 1000 : unit === 's' ? 1_000_000 : 60_000_000;
  return Number(m[1]) * factor;
}
