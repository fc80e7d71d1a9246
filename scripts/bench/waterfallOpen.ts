/// <reference lib="dom" />
// The page-side functions below run in Chromium; the DOM types describe them.
/**
 * One cold open of a trace file for `npm run bench:waterfall`, run in a fresh Node process per size (spawned
 * by waterfall.ts) so that the host's parser and encoder start as cold as they do in the extension host.
 * Arguments: the trace file and the size's label; `--in-host` reads and encodes on the host's thread instead, as
 * before the trace worker (for comparison). stdout: figures, one JSON object per line.
 *
 * - e2e_ms: from the file's bytes in the host's memory to the first rows painted in the page (the page's
 *   firstPaintAt, a task after the frame that drew them), host work and the hand-over to the page included;
 *   the host's path is the extension's: a fresh trace worker (dist/traceWorker.js) reads and encodes, the
 *   rows are shown when the encoded form arrives, the spans follow in slices;
 * - e2e_ratio_vs_json_parse: e2e_ms over JSON.parse of the same bytes (decoding included) in this process,
 *   the median of three after the open;
 * - host_max_block_ms: the longest the host's event loop was held up, from the bytes until the whole trace
 *   is read on the host and in the page (every chunk in); the page hand-over (Playwright's serialization of
 *   each message) stands in for VS Code's postMessage and is included;
 * - page_longest_task_ms: the longest task in the page over the same span ("long tasks" of 50 ms and more;
 *   0 when there was none).
 */
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { launchBrowser, openWaterfallPage, REPO } from '../../test/browser/waterfallPage';
import { readTracesOffThread, type OffThreadTimings } from '../../src/core/traceWorker/readTracesOffThread';
import type { Figure } from './registry';

interface PageStamps {
  firstPaintAt: number;
  completeAt: number;
  longestTask: number;
}

function report(name: string, value: number, unit: string): void {
  const figure: Figure = { name, value: Math.round(value * 100) / 100, unit };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Wall-clock milliseconds, comparable between this process and the page. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

async function main(file: string, label: string, inHost: boolean): Promise<void> {
  const bytes = new Uint8Array(fs.readFileSync(file));
  // The worker is handed `bytes` without a copy; JSON.parse, the baseline, reads this one.
  const baseline = bytes.slice();
  const browser = await launchBrowser();
  try {
    const wf = await openWaterfallPage(browser, { width: 1400, height: 900 });
    const page = wf.page;
    await page.evaluate('window.__name = (f) => f');
    while (!wf.posted.some((m) => m.type === 'ready')) await new Promise((r) => setTimeout(r, 10));
    await page.evaluate(() => {
      const w = window as unknown as { __longestTask: number };
      w.__longestTask = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longestTask = Math.max(w.__longestTask, e.duration);
      }).observe({ type: 'longtask' });
    });

    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const t0 = now();
    // Where the longest block was, for the progress line.
    let lastTick = now();
    let worst = { ms: 0, at: 0 };
    const ticker = setInterval(() => {
      const t = now();
      if (t - lastTick > worst.ms) worst = { ms: t - lastTick, at: lastTick - t0 };
      lastTick = t;
    }, 1);
    // The host's open path: the trace worker reads the bytes and encodes the first trace, whose rows are shown
    // as soon as they arrive, while its spans cross to the host.
    let shown = false;
    let timings: OffThreadTimings | undefined;
    const traces = readTracesOffThread(
      bytes,
      {
        workerFile: path.join(REPO, 'dist', 'traceWorker.js'),
        ...(inHost ? { inThreadBytes: Infinity } : {}),
        onEncoded: (frame, parts) => {
          shown = true;
          wf.session.showEncoded(
            frame,
            parts,
            traces.then((t) => t[0]!),
          );
        },
      },
      (t) => (timings = t),
    );
    const [trace] = await traces;
    const readAt = now();
    if (!shown) wf.session.show(trace!);
    await wf.settle();
    await page.waitForFunction(
      () => {
        const m = (window as unknown as { traceLensWaterfall: { metrics: PageStamps } }).traceLensWaterfall.metrics;
        return m.firstPaintAt > 0 && m.completeAt > 0;
      },
      undefined,
      { timeout: 300_000, polling: 20 },
    );
    delay.disable();
    clearInterval(ticker);
    const stamps = await page.evaluate(() => {
      const w = window as unknown as {
        __longestTask: number;
        traceLensWaterfall: { metrics: { firstPaintAt: number; headerAt: number; drawnAt: number } };
      };
      const m = w.traceLensWaterfall.metrics;
      return {
        paintedAt: performance.timeOrigin + m.firstPaintAt,
        headerAt: performance.timeOrigin + m.headerAt,
        drawnAt: performance.timeOrigin + m.drawnAt,
        longestTask: w.__longestTask,
      };
    });
    const e2e = stamps.paintedAt - t0;
    process.stderr.write(
      `waterfall.${label}: ${timings?.worker === true ? 'worker' : 'in-thread'} start ${timings?.startMs.toFixed(0)} ms, parse ${timings?.parseMs.toFixed(0)} ms, encode ${timings?.encodeMs.toFixed(0)} ms; ` +
        `header in the page at ${(stamps.headerAt - t0).toFixed(0)} ms, rows drawn at ${(stamps.drawnAt - t0).toFixed(0)} ms, ` +
        `painted at ${e2e.toFixed(0)} ms, all spans on the host at ${(readAt - t0).toFixed(0)} ms; ` +
        `the longest host block began at ${worst.at.toFixed(0)} ms\n`,
    );

    const jsonTimes: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      JSON.parse(new TextDecoder().decode(baseline));
      jsonTimes.push(performance.now() - t);
    }
    const jsonParse = jsonTimes.sort((a, b) => a - b)[1]!;
    process.stderr.write(`waterfall.${label}: JSON.parse ${jsonTimes.map((t) => t.toFixed(0)).join(' / ')} ms\n`);
    report(`waterfall.${label}.e2e_ms`, e2e, 'ms');
    report(`waterfall.${label}.e2e_ratio_vs_json_parse`, e2e / jsonParse, 'ratio');
    // The histogram misses a block before its first sample (a read on this thread right at the start).
    report(`waterfall.${label}.host_max_block_ms`, Math.max(delay.max / 1e6, worst.ms), 'ms');
    report(`waterfall.${label}.page_longest_task_ms`, stamps.longestTask, 'ms');
    if (wf.errors.length > 0) process.stderr.write(`waterfall.${label}: page errors: ${wf.errors.join('; ')}\n`);
    await wf.close();
  } finally {
    await browser.close();
  }
}

const [file, label] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const inHost = process.argv.includes('--in-host');
if (file === undefined || label === undefined) {
  process.stderr.write('usage: waterfallOpen.ts <trace file> <size label>\n');
  process.exitCode = 2;
} else {
  main(file, label, inHost).catch((e: unknown) => {
    process.stderr.write(`waterfallOpen: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
