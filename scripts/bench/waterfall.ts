/// <reference lib="dom" />
// The page-side functions below run in Chromium; the DOM types describe them.
/**
 * `npm run bench:waterfall`: the waterfall webview bundle (dist/webview.js) in headless Chromium with
 * generated traces of 1k, 10k and 100k spans. stdout: one JSON object per line, {"name", "value", "unit"};
 * progress goes to stderr.
 *
 * What is measured, per size, in a fresh page:
 * - first_paint_ms: from the moment the encoded trace (header + chunks, as the host posts them) is handed
 *   to the page as window messages, until the webview has drawn its first rows;
 * - interactive_ms: until every chunk is in, the rows are listed and drawn, and input is handled again;
 * - scroll_frame_p95_ms / zoom_frame_p95_ms: main-thread work per frame (the view's render plus the style
 *   and layout it forces) over 300 scripted frames of scrolling (6 rows per frame) and of wheel-zooming
 *   around a point; p95 of the frames;
 * - heap_mb: JS heap plus ArrayBuffer memory in use after a full GC, trace shown;
 * - table.<size>.sort_ms: in the spans table, from a click on a column heading to the rows sorted by it and
 *   drawn (layout included), the first click on each of five columns (so sort keys are computed, as for a
 *   user); the median of the five;
 * - flamegraph.<size>.first_paint_ms: from a click on the Flame graph tab to its first frame drawn (bands laid
 *   out for the whole trace, layout included);
 * - host_encode_ms: the host's share (span tree + columnar encoding), in Node, median of three warm calls;
 *   not part of the figures above;
 * - e2e_ms, e2e_ratio_vs_json_parse, host_max_block_ms, page_longest_task_ms: a cold open from the file's
 *   bytes to the first rows painted, in a fresh process (see waterfallOpen.ts); with `--in-host`, read and
 *   encoded on the host's thread as before the trace worker, for comparison.
 * first_paint_ms is stamped after the browser painted the rows (a task after the next frame).
 * Inputs are deterministic: test/fixtures/generateTraces.ts with a fixed seed, read by the real parser.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateTrace, renderTrace } from '../../test/fixtures/generateTraces';
import { launchBrowser, openWaterfallPage, requireBundle } from '../../test/browser/waterfallPage';
import { parseTraces } from '../../src/core/formats/parse';
import { encodeTrace } from '../../src/core/waterfall/encodeTrace';
import type { HostMessage } from '../../src/protocol/messages';
import type { Figure } from './registry';
import type { Page } from 'playwright-core';

const SIZES: [label: string, spans: number][] = [
  ['1k', 1_000],
  ['10k', 10_000],
  ['100k', 100_000],
];
const FRAMES = 300;
const SEED = 42;

interface PageTimings {
  firstPaintMs: number;
  interactiveMs: number;
}

function report(name: string, value: number, unit: string): void {
  const figure: Figure = { name, value: Math.round(value * 100) / 100, unit };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function p95(samples: number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

async function main(argv: string[]): Promise<number> {
  const only = argv.filter((a) => !a.startsWith('--'));
  requireBundle();
  const browser = await launchBrowser();
  const firstPaint = new Map<string, number>();
  try {
    for (const [label, n] of SIZES) {
      if (only.length > 0 && !only.some((o) => o === label || `waterfall.${label}`.startsWith(o))) continue;
      log(`waterfall.${label}: generating ${n} spans`);
      const bytes = renderTrace(generateTrace(n, SEED), 'otlp-json');
      await coldOpen(bytes, label, argv.includes('--in-host'));
      const trace = parseTraces(bytes)[0]!;
      // Host encoding, median of three calls (the first is a cold call right after generating the input).
      const encodeTimes: number[] = [];
      let encoded = encodeTrace(trace);
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        encoded = encodeTrace(trace);
        encodeTimes.push(performance.now() - t0);
      }
      const encodeMs = encodeTimes.sort((a, b) => a - b)[1]!;
      const messages: HostMessage[] = [
        { type: 'traceHeader', header: encoded.header },
        ...encoded.chunks.map((chunk): HostMessage => ({ type: 'traceChunk', chunk })),
      ];

      const wf = await openWaterfallPage(browser, { width: 1400, height: 900 });
      const page = wf.page;
      // The functions below are sent to the page as source; the TypeScript loader decorates named inner
      // functions with a `__name` helper that exists only in Node.
      await page.evaluate('window.__name = (f) => f');
      // Hand the messages over in one go; the page stamps the moment before it posts them to itself.
      await page.evaluate((msgs) => {
        const w = window as unknown as Record<string, unknown>;
        w['__handoverAt'] = performance.now();
        for (const m of msgs) window.postMessage(m, '*');
      }, messages);
      await page.waitForFunction(
        () => {
          const app = (window as unknown as { traceLensWaterfall: { metrics: { interactiveAt: number } } }).traceLensWaterfall;
          return app.metrics.interactiveAt > 0;
        },
        undefined,
        { timeout: 120_000 },
      );
      const timings: PageTimings = await page.evaluate(() => {
        const w = window as unknown as {
          __handoverAt: number;
          traceLensWaterfall: { metrics: { firstPaintAt: number; interactiveAt: number } };
        };
        const m = w.traceLensWaterfall.metrics;
        return { firstPaintMs: m.firstPaintAt - w.__handoverAt, interactiveMs: m.interactiveAt - w.__handoverAt };
      });
      firstPaint.set(label, timings.firstPaintMs);
      report(`waterfall.${label}.first_paint_ms`, timings.firstPaintMs, 'ms');
      report(`waterfall.${label}.interactive_ms`, timings.interactiveMs, 'ms');

      // Let the deferred work (critical path) finish before timing frames.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      const scroll = await page.evaluate(scriptedFrames, { frames: FRAMES, mode: 'scroll' as const });
      report(`waterfall.${label}.scroll_frame_p95_ms`, p95(scroll.work), 'ms');
      const zoom = await page.evaluate(scriptedFrames, { frames: FRAMES, mode: 'zoom' as const });
      report(`waterfall.${label}.zoom_frame_p95_ms`, p95(zoom.work), 'ms');
      log(
        `waterfall.${label}: rAF interval p95 scroll ${p95(scroll.intervals).toFixed(1)} ms, zoom ${p95(zoom.intervals).toFixed(1)} ms`,
      );

      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      // JS heap plus ArrayBuffer backing stores, where the columns live (reported by Chromium ≥ 125).
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
      report(`waterfall.${label}.heap_mb`, (heap.usedSize + (heap.backingStorageSize ?? 0)) / 1_048_576, 'MB');
      report(`waterfall.${label}.host_encode_ms`, encodeMs, 'ms');
      // After the heap figure, which is the waterfall's: the table keeps a rank per span for each column sorted.
      const sorts = await page.evaluate(tableSorts);
      report(`table.${label}.sort_ms`, median(sorts), 'ms');
      log(`table.${label}: sort by ${sorts.map((ms) => ms.toFixed(1)).join(' / ')} ms (duration, name, service, self, start)`);
      await reportFlameGraph(page, label);
      if (wf.errors.length > 0) log(`waterfall.${label}: page errors: ${wf.errors.join('; ')}`);
      await wf.close();
    }
    const small = firstPaint.get('1k');
    const large = firstPaint.get('100k');
    if (small !== undefined && large !== undefined) report('waterfall.100k.first_paint_ratio_vs_1k', large / small, 'ratio');
  } finally {
    await browser.close();
  }
  return 0;
}

/** The end-to-end figures of one size, from a cold open in a fresh process (waterfallOpen.ts). */
async function coldOpen(bytes: string | Uint8Array, label: string, inHost: boolean): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-bench-'));
  const file = path.join(dir, `trace-${label}.json`);
  try {
    fs.writeFileSync(file, bytes);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'waterfallOpen.ts'), file, label, ...(inHost ? ['--in-host'] : [])],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`the cold open of ${label} failed (exit code ${code})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs in the page: `frames` animation frames, each doing one step of scrolling or zooming through the
 * same paths a wheel event takes, then rendering at once and forcing style and layout so that the work
 * the frame caused is inside the measurement. Also returns the intervals between frames.
 */
function scriptedFrames({
  frames,
  mode,
}: {
  frames: number;
  mode: 'scroll' | 'zoom';
}): Promise<{ work: number[]; intervals: number[] }> {
  type View = { renderNow(): void; scrollTop: number };
  type App = { view: View; metrics: unknown };
  const app = (window as unknown as { traceLensWaterfall: App }).traceLensWaterfall;
  const scroller = document.querySelector('.scroller') as HTMLElement;
  const bars = document.querySelector('canvas.bars') as HTMLCanvasElement;
  const rect = bars.getBoundingClientRect();
  const work: number[] = [];
  const intervals: number[] = [];
  let last = 0;
  let i = 0;
  return new Promise((resolve) => {
    const step = (now: number): void => {
      if (last > 0) intervals.push(now - last);
      last = now;
      const t0 = performance.now();
      if (mode === 'scroll') {
        scroller.scrollTop += 6 * 18;
      } else {
        const zoomIn = i < frames / 2;
        bars.dispatchEvent(
          new WheelEvent('wheel', {
            deltaY: zoomIn ? -60 : 60,
            ctrlKey: true,
            clientX: rect.left + rect.width * 0.4,
            clientY: rect.top + 100,
            bubbles: true,
            cancelable: true,
          }),
        );
      }
      app.view.renderNow();
      void scroller.getBoundingClientRect();
      void (document.querySelector('.names .row') as HTMLElement | null)?.offsetTop;
      work.push(performance.now() - t0);
      if (++i < frames) requestAnimationFrame(step);
      else resolve({ work, intervals });
    };
    requestAnimationFrame(step);
  });
}

/** Runs in the page: shows the spans table, then clicks five column headings in turn, timing each. */
async function tableSorts(): Promise<number[]> {
  (Array.from(document.querySelectorAll('[role="tab"]')).find((t) => t.textContent === 'Spans') as HTMLElement).click();
  // Two frames: the table takes its size (its rows are drawn only once it has one).
  for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
  const times: number[] = [];
  for (const label of ['Duration', 'Operation', 'Service', 'Self time', 'Start']) {
    const button = Array.from(document.querySelectorAll('.table-header button.sort')).find((b) =>
      b.textContent?.startsWith(label),
    ) as HTMLElement;
    const t0 = performance.now();
    button.click();
    void (document.querySelector('.table-body .table-row') as HTMLElement | null)?.offsetTop;
    times.push(performance.now() - t0);
  }
  return times;
}

/** flamegraph.<size>.first_paint_ms, after the table's figures (the flame graph's bands are its own memory). */
async function reportFlameGraph(page: Page, label: string): Promise<void> {
  report(`flamegraph.${label}.first_paint_ms`, await page.evaluate(flameFirstPaint), 'ms');
}

/** Runs in the page: clicks the Flame graph tab and times it until its first frame is drawn and laid out. */
async function flameFirstPaint(): Promise<number> {
  const tab = Array.from(document.querySelectorAll('[role="tab"]')).find((t) => t.textContent === 'Flame graph') as HTMLElement;
  const metrics = (window as unknown as { traceLensWaterfall: { flame: { metrics: { paintedAt: number } } } }).traceLensWaterfall
    .flame.metrics;
  const t0 = performance.now();
  tab.click();
  void (document.querySelector('.flame-canvas') as HTMLElement).offsetTop;
  // Drawn in the click when the tab had its size at once, else at the next frame.
  while (metrics.paintedAt < t0) await new Promise((r) => requestAnimationFrame(r));
  return Math.max(metrics.paintedAt, performance.now()) - t0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench:waterfall: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
