/**
 * The waterfall's search field as a fast typist uses it, in headless Chromium: Enter right after typing
 * searches for what the field holds, never steps through the results of the query typed before.
 */
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { parseTraces } from '../../src/core/formats/parse';
import type { Trace } from '../../src/core/model/types';
import { encodeTrace } from '../../src/core/waterfall/encodeTrace';
import { searchSpans } from '../../src/core/waterfall/searchSpans';
import { generateTrace, renderTrace } from '../fixtures/generateTraces';
import { launchBrowser, openWaterfallPage, type WaterfallPage } from './waterfallPage';

describe('waterfall search (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wf: WaterfallPage | undefined;
  const trace: Trace = parseTraces(renderTrace(generateTrace(300, 7), 'otlp-json'))[0]!;
  const found = (query: string): number => searchSpans(encodeTrace(trace), query).length;
  const count = () => wf!.page.$eval('.search-count', (e) => e.textContent);

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

  it('searches for the new query when Enter comes right after typing it', async () => {
    const first = 'service=web-frontend';
    const second = 'service=cart-service';
    assert.notEqual(found(first), found(second));
    wf = await openWaterfallPage(browser);
    await wf.show(trace);
    const page = wf.page;
    await page.keyboard.press('/');
    await page.keyboard.type(first);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /found/.test(document.querySelector('.search-count')?.textContent ?? ''));
    assert.equal(await count(), `${found(first)} found`);

    // A new query and Enter at once, well within the 150 ms the field waits after a keystroke.
    await page.keyboard.press('Control+A');
    await page.keyboard.type(second);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (text) => document.querySelector('.search-count')?.textContent === text,
      `${found(second)} found`,
      { timeout: 5000 },
    );
    await new Promise((r) => setTimeout(r, 300));
    await wf.settle();
    assert.equal(await count(), `${found(second)} found`, 'the results of what the field holds');
    assert.equal(await page.$$eval('.names .row.selected', (rows) => rows.length), 0, 'no match of the old query selected');
    const matched = await page.$$eval('.names .row.match:not([hidden])', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset['row']),
    );
    const rows = new Set(Array.from(searchSpans(encodeTrace(trace), second), String));
    assert.ok(matched.length > 0 && matched.every((r) => rows.has(r!)), `highlighted rows ${matched.join(',')}`);

    // Enter again now steps through the new results.
    await page.keyboard.press('Enter');
    await wf.settle();
    assert.equal(await count(), `1 of ${found(second)}`);
    assert.deepEqual(wf.errors, []);
  });
});
