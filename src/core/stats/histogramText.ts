/**
 * A latency distribution as a few lines of monospace text for a hover: log-spaced rows from the fastest to the
 * slowest call, each with its range, a bar and its count.
 *
 *     1.2 ms –  2.5 ms  ██████████▌          412
 *     2.5 ms –  5.1 ms  ████▏                160
 */
import { formatCount, formatLatency } from './formatStats';
import type { LatencySketch } from './sketch';

export interface HistogramOptions {
  /** rows at most (default 8) */
  rows?: number;
  /** characters of the longest bar (default 20) */
  width?: number;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

export function histogramText(sketch: LatencySketch, options: HistogramOptions = {}): string {
  const rows = Math.max(1, options.rows ?? 8);
  const width = Math.max(1, options.width ?? 20);
  const bins = sketch.bins();
  if (bins.length === 0) return '';
  const minUs = sketch.minUs;
  const maxUs = sketch.maxUs;
  const lo = Math.max(minUs, 1e-3);
  const n = maxUs > lo * 1.05 ? rows : 1;
  const ratio = n === 1 ? 1 : (maxUs / lo) ** (1 / n);
  // row i holds values in (edge(i), edge(i+1)]; row 0 also holds the minimum and zero-length calls
  const edge = (i: number): number => (i === 0 ? minUs : i === n ? maxUs : lo * ratio ** i);
  const counts = new Array<number>(n).fill(0);
  for (const b of bins) {
    const mid = b.highUs === 0 ? 0 : Math.sqrt(b.lowUs * b.highUs);
    let i = mid <= lo ? 0 : Math.floor(Math.log(mid / lo) / Math.log(ratio));
    if (!(i >= 0)) i = 0;
    if (i >= n) i = n - 1;
    counts[i]! += b.count;
  }
  const peak = Math.max(...counts);
  const labels = counts.map((_, i) => [formatLatency(edge(i)), formatLatency(edge(i + 1))] as const);
  const lowWidth = Math.max(...labels.map(([l]) => l.length));
  const highWidth = Math.max(...labels.map(([, h]) => h.length));
  const countText = counts.map((c) => formatCount(c));
  const countWidth = Math.max(...countText.map((c) => c.length));
  return counts
    .map((c, i) => {
      const [low, high] = labels[i]!;
      const range = n === 1 ? low.padStart(lowWidth + 3 + highWidth) : `${low.padStart(lowWidth)} – ${high.padStart(highWidth)}`;
      return `${range}  ${bar(c, peak, width).padEnd(width)}  ${countText[i]!.padStart(countWidth)}`;
    })
    .join('\n');
}

function bar(count: number, peak: number, width: number): string {
  if (count === 0 || peak === 0) return '';
  const eighths = Math.max(1, Math.round((count / peak) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}
