/**
 * The flame graph in headless Chromium: the trace drawn on a canvas with time on x and depth on y, each
 * span as wide as it lasted and its self time solid, click to zoom into a subtree and back, the selection
 * shared with the other views, a tree a screen reader can follow from the keyboard, Go to Code, its zoom
 * kept across a reload, 20,000 spans with no element per span, and trace data shown as text only.
 */
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { parseTraces } from '../../src/core/formats/parse';
import type { Span, Trace } from '../../src/core/model/types';
import { encodeTrace } from '../../src/core/waterfall/encodeTrace';
import { serviceColor } from '../../webview/colors';
import { generateTrace, renderTrace } from '../fixtures/generateTraces';
import { launchBrowser, openWaterfallPage, type WaterfallPage } from './waterfallPage';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the page's app holds, as far as these tests read it. */
type PageApp = {
  flame: { barOf(row: number): Box | undefined; current?: { levels: number; root: number } };
  state: {
    data: { parent: Int32Array; depth: Int32Array; subtreeEnd: Int32Array; loaded: number; nameOf(r: number): string };
    flameZoom: number;
    model: { selected: number };
  };
};

const barOf = (page: Page, row: number): Promise<Box | undefined> =>
  page.evaluate((r) => (window as unknown as { traceLensWaterfall: PageApp }).traceLensWaterfall.flame.barOf(r), row);
const caption = (page: Page) => page.$eval('.flame-caption', (e) => e.textContent);
const crumbs = (page: Page) => page.$$eval('.flame-path .crumb', (b) => b.map((e) => e.textContent));
const selected = (page: Page) =>
  page.evaluate(() => (window as unknown as { traceLensWaterfall: PageApp }).traceLensWaterfall.state.model.selected);
const zoom = (page: Page) =>
  page.evaluate(() => (window as unknown as { traceLensWaterfall: PageApp }).traceLensWaterfall.state.flameZoom);

/** The colour of the canvas pixel at page point (x, y), as #rrggbb. */
function pixel(page: Page, x: number, y: number): Promise<string> {
  return page.evaluate(
    ([px, py]) => {
      const canvas = document.querySelector('.flame-canvas') as HTMLCanvasElement;
      const box = canvas.getBoundingClientRect();
      const dpr = canvas.width / box.width;
      const d = canvas
        .getContext('2d')!
        .getImageData(Math.floor((px! - box.left) * dpr), Math.floor((py! - box.top) * dpr), 1, 1).data;
      return `#${[d[0], d[1], d[2]].map((c) => c!.toString(16).padStart(2, '0')).join('')}`;
    },
    [x, y],
  );
}

describe('flame graph (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wf: WaterfallPage | undefined;
  const trace: Trace = parseTraces(renderTrace(generateTrace(300, 7), 'otlp-json'))[0]!;
  const encoded = encodeTrace(trace);
  const rows = encoded.chunks.flatMap((c) => Array.from(c.parent)).length;
  const parent = Int32Array.from(encoded.chunks.flatMap((c) => Array.from(c.parent)));
  const depth = Int32Array.from(encoded.chunks.flatMap((c) => Array.from(c.depth)));
  const durationUs = Float64Array.from(encoded.chunks.flatMap((c) => Array.from(c.durationUs)));
  const service = Int32Array.from(encoded.chunks.flatMap((c) => Array.from(c.service)));
  const children = (row: number): number[] => Array.from({ length: rows }, (_, r) => r).filter((r) => parent[r] === row);
  const nameOf = (row: number): string => trace.spans[encoded.spanOfRow[row]!]!.name;
  /** the longest span with children below the root: a subtree worth zooming into */
  const inner = Array.from({ length: rows }, (_, r) => r)
    .filter((r) => depth[r] === 1 && children(r).length > 0)
    .sort((a, b) => durationUs[b]! - durationUs[a]!)[0]!;

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

  async function openFlame(options: Parameters<typeof openWaterfallPage>[1] = {}, shown: Trace = trace): Promise<Page> {
    wf = await openWaterfallPage(browser, options);
    await wf.show(shown);
    await wf.page.click('[role="tab"] >> text=Flame graph');
    await wf.settle();
    return wf.page;
  }

  for (const theme of ['dark', 'light'] as const) {
    it(`draws time on x, depth on y, width = duration, self time solid and children's time shaded (${theme} theme)`, async () => {
      const page = await openFlame({ theme });
      assert.equal(await page.getAttribute('[role="tab"] >> text=Flame graph', 'aria-selected'), 'true');
      assert.equal(await caption(page), '300 spans');
      assert.deepEqual(await crumbs(page), ['Whole trace']);
      const canvasWidth = await page.$eval('.flame-canvas', (c) => c.getBoundingClientRect().width);
      const root = (await barOf(page, 0))!;
      assert.ok(Math.abs(root.width - canvasWidth) < 1.5, `the root spans the width: ${root.width} of ${canvasWidth}`);
      const child = (await barOf(page, inner))!;
      assert.ok(child.y >= root.y + 20, 'a child lies below its parent');
      assert.ok(
        Math.abs(child.width / root.width - durationUs[inner]! / durationUs[0]!) < 0.01,
        `width is duration: ${child.width / root.width}`,
      );
      // A leaf is solid; its parent is shaded where it runs, and solid where the parent runs alone.
      // (Bands below the screen are not drawn: the widest leaf among those on screen.)
      const bottom = await page.$eval('.flame-canvas', (c) => c.getBoundingClientRect().bottom);
      let leaf = -1;
      let leafBar: Box | undefined;
      for (const r of Array.from({ length: rows }, (_, k) => k)
        .filter((k) => children(k).length === 0)
        .sort((a, b) => durationUs[b]! - durationUs[a]!)) {
        const b = await barOf(page, r);
        if (b && b.y + b.height < bottom) {
          [leaf, leafBar] = [r, b];
          break;
        }
      }
      assert.ok(leafBar && leafBar.width > 4, `a leaf wide enough to sample: ${JSON.stringify(leafBar)}`);
      const leafParent = (await barOf(page, parent[leaf]!))!;
      assert.equal(await pixel(page, leafBar.x + leafBar.width / 2, leafBar.y + 2), serviceColor(service[leaf]!));
      const under = await pixel(page, leafBar.x + leafBar.width / 2, leafParent.y + 2);
      assert.notEqual(under, serviceColor(service[parent[leaf]!]!), 'the parent is shaded above its child');
      // The span whose own time before its first child is widest on screen: solid there.
      const startUs = Float64Array.from(encoded.chunks.flatMap((c) => Array.from(c.startUs)));
      const gap = (r: number): number => Math.min(...children(r).map((c) => startUs[c]!)) - startUs[r]!;
      const busy = Array.from({ length: rows }, (_, r) => r)
        .filter((r) => children(r).length > 0)
        .sort((a, b) => gap(b) - gap(a))[0]!;
      const busyBar = (await barOf(page, busy))!;
      const selfX = busyBar.x + ((gap(busy) / durationUs[busy]!) * busyBar.width) / 2;
      assert.ok((gap(busy) / durationUs[busy]!) * busyBar.width > 4, 'a self-time gap wide enough to sample');
      assert.equal(await pixel(page, selfX, busyBar.y + 2), serviceColor(service[busy]!), 'self time is solid');
      // The tree's buttons do not apply here: only the search.
      assert.equal(await page.$eval('.controls [role="toolbar"]', (e) => (e as HTMLElement).hidden), true);
      await wf!.screenshot(`flame-${theme}`);
      assert.deepEqual(wf!.errors, []);
    });
  }

  it('zooms into the subtree clicked and back out by the top bar, the path and Escape; the selection is every view’s', async () => {
    const page = await openFlame();
    const bar = (await barOf(page, inner))!;
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await wf!.settle();
    assert.equal(await zoom(page), inner);
    assert.equal(await selected(page), inner);
    const under = Math.min(encoded.chunks[0]!.subtreeEnd[inner]!, rows) - inner;
    assert.equal(await caption(page), `${under} spans under ${nameOf(inner)}`);
    assert.deepEqual(await crumbs(page), ['Whole trace', nameOf(0), nameOf(inner)]);
    const canvasWidth = await page.$eval('.flame-canvas', (c) => c.getBoundingClientRect().width);
    const zoomed = (await barOf(page, inner))!;
    assert.ok(Math.abs(zoomed.width - canvasWidth) < 1.5, 'the zoomed span spans the width');
    assert.equal(await barOf(page, 0), undefined, 'the root is not drawn while zoomed below it');
    await page.waitForSelector('.detail .detail-name');
    assert.equal(await page.$eval('.detail .detail-name', (e) => e.textContent), nameOf(inner));
    await wf!.screenshot('flame-zoomed');

    // The top bar zooms out one level.
    await page.mouse.click(zoomed.x + 40, zoomed.y + zoomed.height / 2);
    await wf!.settle();
    assert.equal(await zoom(page), 0);
    assert.deepEqual(await crumbs(page), ['Whole trace', nameOf(0)]);

    // The path above goes back to any level; Escape goes out one.
    await page.click('.flame-path .crumb >> text=Whole trace');
    await wf!.settle();
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await wf!.settle();
    assert.equal(await zoom(page), inner);
    await page.click('.flame-path .crumb >> text=Whole trace');
    await wf!.settle();
    assert.equal(await zoom(page), -1);
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await wf!.settle();
    assert.equal(await zoom(page), -1);

    // The waterfall shows the span selected in the flame graph.
    await page.click('[role="tab"] >> text=Waterfall');
    await wf!.settle();
    assert.equal(await page.$eval('.names .row.selected .name', (e) => e.textContent), nameOf(inner));
    assert.deepEqual(wf!.errors, []);
  });

  it('is a tree a screen reader can follow, driven from the keyboard, with Go to Code and the span ID to copy', async () => {
    const page = await openFlame({
      actions: {
        resolveLocation: (_t, i) => (i === encoded.spanOfRow[0] ? [{ file: 'src/app.ts', line: 3, reason: 'test' }] : []),
      },
    });
    const tree = page.getByRole('tree', { name: 'Flame graph' });
    await tree.focus();
    const active = () =>
      page.evaluate(() => {
        const id = document.querySelector('.flame-scroller')!.getAttribute('aria-activedescendant');
        const item = id ? document.getElementById(id) : null;
        return item && { level: item.getAttribute('aria-level'), text: item.textContent };
      });
    assert.equal(await active(), null, 'nothing selected yet');
    await page.keyboard.press('ArrowDown');
    await wf!.settle();
    assert.equal(await selected(page), 0);
    const rootText = (await active())!;
    assert.equal(rootText.level, '1');
    assert.match(
      rootText.text!,
      new RegExp(`^${nameOf(0)}, ${trace.spans[encoded.spanOfRow[0]!]!.service}, .+, self .+, \\d+ children`),
    );
    await page.keyboard.press('ArrowDown');
    await wf!.settle();
    const firstChild = children(0)[0]!;
    assert.equal(await selected(page), firstChild);
    assert.equal((await active())!.level, '2');
    await page.keyboard.press('ArrowRight');
    await wf!.settle();
    assert.equal(await selected(page), children(0)[1], 'Right: the next sibling');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await wf!.settle();
    assert.equal(await selected(page), 0, 'Up: the parent');

    // Enter zooms into the selected span, Escape back out; G goes to its code, Y copies its span ID.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await wf!.settle();
    if (children(firstChild).length > 0) assert.equal(await zoom(page), firstChild);
    await page.keyboard.press('Escape');
    await wf!.settle();
    assert.equal(await zoom(page), 0, 'one level out: the root');
    await page.keyboard.press('Escape');
    await wf!.settle();
    assert.equal(await zoom(page), -1);
    await page.keyboard.press('g');
    await page.keyboard.press('y');
    await wf!.settle();
    assert.deepEqual(
      wf!.actions.filter((a) => a[0] === 'goToCode' || (a[0] === 'copy' && a[2] === 'span ID')).map((a) => a.slice(0, 2)),
      [
        ['goToCode', encoded.spanOfRow[firstChild]],
        ['copy', trace.spans[encoded.spanOfRow[firstChild]!]!.spanId],
      ],
    );

    // A span with a code location carries a mark at its right end, which goes to its code.
    await page.waitForFunction(() => {
      const app = (window as unknown as { traceLensWaterfall: { state: { model: { mapped: Uint8Array } } } }).traceLensWaterfall;
      return app.state.model.mapped[0] === 1;
    });
    await page.keyboard.press('Home');
    await wf!.settle();
    assert.match((await active())?.text ?? '', /, has code$/);
    const root = (await barOf(page, 0))!;
    await page.mouse.move(root.x + root.width - 6, root.y + root.height / 2);
    await wf!.settle();
    assert.match((await page.$eval('.flame .bar-tooltip', (e) => e.textContent)) ?? '', /Click: Go to Code/);
    await page.mouse.click(root.x + root.width - 6, root.y + root.height / 2);
    await wf!.settle();
    assert.deepEqual(wf!.actions.at(-1), ['goToCode', encoded.spanOfRow[0]]);
    assert.deepEqual(wf!.errors, []);
  });

  it('keeps its zoom, the view and the selection across a reload', async () => {
    const page = await openFlame();
    const bar = (await barOf(page, inner))!;
    await page.mouse.click(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await wf!.settle();
    await new Promise((r) => setTimeout(r, 400));
    const state = await page.evaluate(() => (window as unknown as { __savedState: unknown }).__savedState);
    await wf!.close();
    wf = await openWaterfallPage(browser, { state });
    await wf.show(trace);
    await wf.settle();
    const restored = wf.page;
    assert.equal(await restored.getAttribute('[role="tab"] >> text=Flame graph', 'aria-selected'), 'true');
    assert.equal(await zoom(restored), inner);
    assert.equal(await selected(restored), inner);
    assert.deepEqual(await crumbs(restored), ['Whole trace', nameOf(0), nameOf(inner)]);
    assert.deepEqual(wf.errors, []);
  });

  it('draws 20,000 spans with no element per span, and the search dims the spans that do not match', async () => {
    const big = parseTraces(renderTrace(generateTrace(20_000, 3), 'otlp-json'))[0]!;
    const page = await openFlame({ height: 700 }, big);
    assert.equal(await caption(page), '20,000 spans');
    assert.ok((await page.$$eval('.flame *', (e) => e.length)) < 30, 'a canvas, not an element per span');
    const painted = await page.evaluate(() => {
      const app = (window as unknown as { traceLensWaterfall: { flame: { metrics: { shownAt: number; paintedAt: number } } } })
        .traceLensWaterfall;
      return app.flame.metrics.paintedAt >= app.flame.metrics.shownAt;
    });
    assert.ok(painted);
    await page.keyboard.press('/');
    await page.keyboard.type('service=cart-service');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /\d/.test(document.querySelector('.search-count')?.textContent ?? ''));
    await wf!.settle();
    assert.equal(await page.getAttribute('[role="tab"] >> text=Flame graph', 'aria-selected'), 'true');
    await wf!.screenshot('flame-search');
    assert.deepEqual(wf!.errors, []);
  });

  it('shows markup in names as text: on the path above, in the tooltip and to a screen reader', async () => {
    const payload = '<img src=x onerror="window.__pwned = 1">';
    const t0 = 1_700_000_000_000_000;
    const span = (id: string, parentId: string | undefined, name: string, svc: string, start: number, dur: number): Span => ({
      traceId: 'ab'.repeat(16),
      spanId: id.padStart(16, '0'),
      ...(parentId === undefined ? {} : { parentSpanId: parentId.padStart(16, '0') }),
      name,
      service: svc,
      kind: 'server',
      startUs: t0 + start,
      durationUs: dur,
      status: { code: 'unset' },
      attributes: {},
      resource: {},
      events: [],
      links: [],
    });
    const hostile: Trace = {
      traceId: 'ab'.repeat(16),
      spans: [
        span('1', undefined, payload, '<b>svc</b>', 0, 1000),
        span('2', '1', '<script>window.__pwned = 2</script>', 'svc', 100, 800),
        span('3', '2', 'leaf', 'svc', 200, 300),
      ],
      services: ['<b>svc</b>', 'svc'],
      startUs: t0,
      durationUs: 1000,
      warnings: [],
    };
    const page = await openFlame({}, hostile);
    const second = (await barOf(page, 1))!;
    await page.mouse.move(second.x + 10, second.y + 5);
    await wf!.settle();
    assert.equal(await page.$eval('.flame .bar-tooltip .tt-name', (e) => e.textContent), '<script>window.__pwned = 2</script>');
    await page.mouse.click(second.x + 10, second.y + 5);
    await wf!.settle();
    assert.deepEqual(await crumbs(page), ['Whole trace', payload, '<script>window.__pwned = 2</script>']);
    assert.match((await page.$eval('#flame-active', (e) => e.textContent)) ?? '', /^<script>window.__pwned = 2<\/script>, svc,/);
    assert.equal(await page.$$eval('.flame img, .flame script, .flame b', (e) => e.length), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.deepEqual(wf!.errors, []);
  });
});
