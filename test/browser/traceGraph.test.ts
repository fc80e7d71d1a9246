/**
 * The trace graph in headless Chromium: spans with the same service/operation path as one node with a
 * count, total and self time and errors, the critical path outlined, a tree a screen reader can follow
 * from the keyboard, the selection shared with the other views, Go to Code, and names shown as text only.
 */
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Span, Trace } from '../../src/core/model/types';
import { launchBrowser, openWaterfallPage, type WaterfallPage } from './waterfallPage';

const T0 = 1_700_000_000_000_000;

function span(
  id: string,
  parent: string | undefined,
  name: string,
  service: string,
  start: number,
  dur: number,
  error = false,
): Span {
  return {
    traceId: 'cd'.repeat(16),
    spanId: id.padStart(16, '0'),
    ...(parent === undefined ? {} : { parentSpanId: parent.padStart(16, '0') }),
    name,
    service,
    kind: 'server',
    startUs: T0 + start,
    durationUs: dur,
    status: error ? { code: 'error', message: 'boom' } : { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
  };
}

/** An N+1: a handler that runs SELECT 10,000 times, then calls a payment service that fails once. */
function nPlusOne(): Trace {
  const spans: Span[] = [span('1', undefined, 'GET /orders', 'api', 0, 100_000)];
  for (let i = 0; i < 10_000; i++) spans.push(span(`a${i}`, '1', 'SELECT', 'db', 10 + i * 5, 4));
  spans.push(span('p', '1', 'charge', 'payments', 60_000, 39_000, true));
  spans.push(span('q', 'p', '<img src=x onerror="window.__pwned = 1">', 'payments', 61_000, 1_000));
  return { traceId: 'cd'.repeat(16), spans, services: ['api', 'db', 'payments'], startUs: T0, durationUs: 100_000, warnings: [] };
}

const labels = (page: Page) => page.$$eval('.graph [role="treeitem"]', (g) => g.map((e) => e.getAttribute('aria-label')));

describe('trace graph (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wf: WaterfallPage | undefined;

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

  for (const theme of ['dark', 'light'] as const) {
    it(`draws 10,000 identical calls as one node with a count, times, errors and the critical path (${theme} theme)`, async () => {
      wf = await openWaterfallPage(browser, { theme });
      await wf.show(nPlusOne());
      await wf.page.click('[role="tab"] >> text=Trace graph');
      await wf.settle();
      const page = wf.page;
      assert.equal(await page.$eval('.graph-caption', (e) => e.textContent), '4 nodes for 10,003 spans');
      assert.deepEqual(await labels(page), [
        'GET /orders, api, 1 call, total 100ms, self 21ms, on the critical path',
        'SELECT, db, 10,000 calls, total 40ms, self 40ms, on the critical path',
        'charge, payments, 1 call, total 39ms, self 38ms, 1 error, on the critical path',
        '<img src=x onerror="window.__pwned = 1">, payments, 1 call, total 1ms, self 1ms, on the critical path',
      ]);
      // The last SELECT ended before the charge began: the path runs through it.
      assert.equal(await page.$$eval('.graph .node.critical', (e) => e.length), 4);
      assert.match((await page.$eval('.graph', (e) => e.textContent)) ?? '', /×10,000 · 40ms/);
      assert.equal(await page.$$eval('.graph img', (e) => e.length), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      await wf.screenshot(`graph-${theme}`);
      assert.deepEqual(wf.errors, []);
    });
  }

  it('is a tree driven from the keyboard; a node selects its slowest span for every view, with Go to Code', async () => {
    wf = await openWaterfallPage(browser);
    const trace = nPlusOne();
    await wf.show(trace);
    const page = wf.page;
    await page.click('[role="tab"] >> text=Trace graph');
    await wf.settle();
    await page.getByRole('tree', { name: 'Trace graph' }).focus();
    const active = () =>
      page.evaluate(() => {
        const id = document.querySelector('.graph-scroller')!.getAttribute('aria-activedescendant');
        return id ? document.getElementById(id)!.getAttribute('aria-label') : null;
      });
    await page.keyboard.press('ArrowDown');
    await wf.settle();
    assert.match((await active()) ?? '', /^GET \/orders, api/);
    await page.keyboard.press('ArrowRight');
    await wf.settle();
    assert.match((await active()) ?? '', /^SELECT, db, 10,000 calls/);
    await page.keyboard.press('ArrowDown');
    await wf.settle();
    assert.match((await active()) ?? '', /^charge/);
    await page.waitForSelector('.detail .detail-name');
    assert.equal(await page.$eval('.detail .detail-name', (e) => e.textContent), 'charge');
    await page.keyboard.press('g');
    await wf.settle();
    assert.deepEqual(wf.actions.at(-1), ['goToCode', trace.spans.findIndex((s) => s.name === 'charge')]);
    await page.keyboard.press('ArrowLeft');
    await wf.settle();
    assert.match((await active()) ?? '', /^GET \/orders/);

    // A click on a node selects its span; the waterfall shows the same span selected.
    await page.click('.graph [role="treeitem"] >> nth=1');
    await wf.settle();
    assert.match((await active()) ?? '', /^SELECT/);
    await page.click('[role="tab"] >> text=Waterfall');
    await wf.settle();
    assert.equal(await page.$eval('.names .row.selected .name', (e) => e.textContent), 'SELECT');
    assert.deepEqual(wf.errors, []);
  });
});
