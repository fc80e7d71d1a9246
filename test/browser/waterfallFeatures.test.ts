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

  // The same browser, trace and page lifecycle, at the width of a panel beside an editor.
  describe('in a narrow panel beside an editor', () => {
    const box = (selector: string) =>
      wf!.page.$eval(selector, (e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, height: r.height, bottom: r.bottom };
      });

    for (const theme of ['dark', 'light'] as const) {
      it(`keeps most of a 600 px panel for the bars and shows the details below them (${theme} theme)`, async () => {
        // No span has a known location: Go to Code must still work, and say why it may not find one.
        wf = await openWaterfallPage(browser, { theme, width: 600, height: 800, actions: { resolveLocation: () => [] } });
        await wf.show(trace);
        const width = await wf.page.evaluate(() => window.innerWidth);
        await wf.page.click('.names .row:nth-child(3)');
        await wf.page.waitForSelector('.detail .go-to-code');
        await wf.settle();

        const bars = await box('.bars');
        const detail = await box('.detail');
        const scroller = await box('.scroller');
        assert.ok(bars.width >= width / 2, `bars ${bars.width} px of ${width}`);
        assert.ok(detail.height >= 120 && detail.width >= width * 0.9, `detail ${detail.width}×${detail.height}`);
        assert.ok(detail.top >= scroller.bottom - 1, 'the detail pane is under the waterfall');
        assert.ok(scroller.height >= 150, `waterfall rows ${scroller.height} px high`);

        const button = await wf.page.$eval('.detail .go-to-code', (b) => ({
          disabled: b.hasAttribute('disabled'),
          appearance: b.getAttribute('appearance'),
          title: (b as HTMLElement).title,
        }));
        assert.deepEqual(button, {
          disabled: false,
          appearance: 'secondary',
          title: 'No code location known — click to see why',
        });
        await wf.screenshot(theme === 'dark' ? 'narrow' : 'narrow-light');
        await wf.page.click('.detail .go-to-code');
        await wf.settle();
        assert.equal(wf.actions.filter((a) => a[0] === 'goToCode').length, 1);

        // Esc in the drawer closes it and gives the bars the height back.
        await wf.page.focus('.detail vscode-button[aria-label="Close details (Esc)"]');
        await wf.page.keyboard.press('Escape');
        await wf.settle();
        assert.equal(await wf.page.$eval('.detail', (e) => e.getBoundingClientRect().height), 0);
        assert.ok((await box('.scroller')).height > scroller.height + 100);
        assert.equal(await wf.page.evaluate(() => document.activeElement?.className), 'scroller');
        assert.deepEqual(wf.errors, []);
      });
    }

    it('keeps the detail pane resizable beside the bars in a wide panel', async () => {
      wf = await openWaterfallPage(browser, { width: 1400 });
      await wf.show(trace);
      const before = await box('.detail');
      const scroller = await box('.scroller');
      assert.ok(before.left >= scroller.left + scroller.width - 1, 'the detail pane is right of the waterfall');
      await wf.page.focus('.detail-splitter');
      await wf.page.keyboard.press('ArrowLeft');
      await wf.page.keyboard.press('ArrowLeft');
      await wf.settle();
      assert.equal((await box('.detail')).width, before.width + 40);
      assert.deepEqual(wf.errors, []);
    });

    it('tells screen readers each row’s level, position and set size', async () => {
      wf = await openWaterfallPage(browser, { width: 600 });
      await wf.show(trace);
      const rows = await wf.page.$$eval('.names .row:not([hidden])', (els) =>
        els.map((e) => ({
          level: Number(e.getAttribute('aria-level')),
          pos: Number(e.getAttribute('aria-posinset')),
          size: Number(e.getAttribute('aria-setsize')),
          row: Number((e as HTMLElement).dataset['row']),
        })),
      );
      assert.ok(rows.length > 10);
      assert.deepEqual(rows[0], { level: 1, pos: 1, size: 1, row: 0 });
      for (const r of rows) assert.ok(r.pos >= 1 && r.pos <= r.size, JSON.stringify(r));
      // The children of the root count 1, 2, 3, ... among themselves.
      const children = rows.filter((r) => r.level === 2);
      assert.deepEqual(
        children.map((r) => r.pos),
        children.map((_, i) => i + 1),
      );
      assert.ok(children.every((r) => r.size === children[0]!.size && r.size >= children.length));
      assert.deepEqual(wf.errors, []);
    });

    it('draws event ticks on the bars, exceptions in the error colour', async () => {
      const start = 1_700_000_000_000_000;
      const span = (
        spanId: string,
        parentSpanId: string | undefined,
        offsetUs: number,
        durationUs: number,
      ): Trace['spans'][number] => ({
        traceId: 'a1'.repeat(16),
        spanId,
        ...(parentSpanId !== undefined ? { parentSpanId } : {}),
        name: `op ${spanId}`,
        service: 'checkout',
        kind: 'server',
        startUs: start + offsetUs,
        durationUs,
        status: { code: 'unset' },
        attributes: {},
        resource: {},
        events: [],
        links: [],
      });
      const root = span('b1'.repeat(8), undefined, 0, 100_000);
      root.events = [
        { name: 'cache miss', timeUs: start + 25_000, attributes: {} },
        { name: 'exception', timeUs: start + 60_000, attributes: {} },
      ];
      const withEvents: Trace = {
        traceId: root.traceId,
        spans: [root, span('c2'.repeat(8), root.spanId, 10_000, 50_000)],
        services: ['checkout'],
        startUs: start,
        durationUs: 100_000,
        warnings: [],
      };
      wf = await openWaterfallPage(browser, { width: 900 });
      await wf.show(withEvents);
      await wf.page.waitForFunction(
        () =>
          (window as unknown as { traceLensWaterfall: { model?: { eventTicks: Map<number, unknown> } } }).traceLensWaterfall.model
            ?.eventTicks.size === 1,
      );
      await wf.settle();
      // The two pixel rows just above the first bar show nothing but ticks.
      const colours = await wf.page.$eval('.bars', (c) => {
        const canvas = c as HTMLCanvasElement;
        const ctx = canvas.getContext('2d')!;
        const line = ctx.getImageData(0, 3, canvas.width, 1).data;
        const seen: string[] = [];
        for (let i = 0; i < line.length; i += 4) {
          if (line[i + 3]! < 200) continue;
          const hex = `#${[line[i]!, line[i + 1]!, line[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
          if (!seen.includes(hex)) seen.push(hex);
        }
        return seen;
      });
      assert.ok(colours.includes('#f85149'), `exception tick in the error colour: ${colours.join(' ')}`);
      assert.ok(colours.includes('#cccccc'), `event tick in the foreground colour: ${colours.join(' ')}`);
      await wf.screenshot('event-ticks');
      assert.deepEqual(wf.errors, []);
    });
  });
});
