/**
 * Span names in a waterfall narrowed beside an editor, in headless Chromium: each row keeps enough of its
 * name to be read (not "P…"), deep rows too, and the bars keep a usable width.
 */
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { parseTraces } from '../../src/core/formats/parse';
import { MIN_NAME_TEXT } from '../../webview/waterfallLayout';
import { generateTrace, renderTrace } from '../fixtures/generateTraces';
import { launchBrowser, openWaterfallPage, type WaterfallPage } from './waterfallPage';

describe('waterfall span names in a narrow panel (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wf: WaterfallPage | undefined;
  const trace = parseTraces(renderTrace(generateTrace(300, 7), 'otlp-json'))[0]!;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await wf?.close();
    wf = undefined;
  });

  for (const [width, theme] of [
    [420, 'dark'],
    [360, 'light'],
  ] as const) {
    it(`shows at least ten characters of every name in a ${width} px panel, with the bars still usable (${theme} theme)`, async () => {
      // Half the rows map to code, so that their rows carry the Go to Code mark as well.
      wf = await openWaterfallPage(browser, {
        width,
        height: 700,
        theme,
        actions: { resolveLocation: (_t, i) => (i % 2 === 0 ? [{ file: 'src/app.ts', line: 1, reason: 'test' }] : []) },
      });
      await wf.show(trace);
      await new Promise((r) => setTimeout(r, 300));
      await wf.settle();
      const rows = await wf.page.$$eval('.names .row:not([hidden])', (els) =>
        els.map((e) => {
          const name = e.querySelector('.name') as HTMLElement;
          return {
            text: name.textContent ?? '',
            shown: name.clientWidth,
            full: name.scrollWidth,
            level: Number(e.getAttribute('aria-level')),
            code: !(e.querySelector('.mark.code') as HTMLElement).hidden,
          };
        }),
      );
      assert.ok(rows.length > 20, `${rows.length} rows`);
      assert.ok(
        rows.some((r) => r.level >= 5),
        'deep rows are on screen',
      );
      assert.ok(
        rows.some((r) => r.code),
        'rows with the code mark are on screen',
      );
      const cut = rows.filter((r) => r.shown < Math.min(r.full, MIN_NAME_TEXT));
      assert.deepEqual(
        cut.map((r) => `${r.text} (level ${r.level}): ${r.shown} of ${r.full} px`),
        [],
        'names cut to less than ten characters',
      );
      const bars = await wf.page.$eval('.bars', (c) => c.getBoundingClientRect().width);
      assert.ok(bars >= 150 && bars >= width * 0.4, `bars ${bars} px of ${width}`);
      await wf.screenshot(`narrow-names-${width}`);
      assert.deepEqual(wf.errors, []);
    });
  }
});
