/**
 * The spans table in headless Chromium: every span as a row, sorted by any column, filtered by the search,
 * read by a screen reader as a grid, driven from the keyboard, Go to Code, its order kept across a reload,
 * 20,000 spans with a screenful of row elements, and trace data shown as text only, in both themes.
 */
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { parseTraces } from '../../src/core/formats/parse';
import type { Span, Trace } from '../../src/core/model/types';
import { encodeTrace } from '../../src/core/waterfall/encodeTrace';
import { searchSpans } from '../../src/core/waterfall/searchSpans';
import { formatDuration } from '../../webview/timeScale';
import { generateTrace, renderTrace } from '../fixtures/generateTraces';
import { launchBrowser, openWaterfallPage, type WaterfallPage } from './waterfallPage';

/** The cells of the rows on screen, in order: [service, operation, duration, self, start, kind, status]. */
function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('.table-body .table-row:not([hidden])', (rows) =>
    rows
      .sort((a, b) => (a as HTMLElement).offsetTop - (b as HTMLElement).offsetTop)
      .map((r) => Array.from(r.querySelectorAll('[role="gridcell"]'), (c) => (c.textContent ?? '').trim())),
  );
}

const caption = (page: Page) => page.$eval('.table-caption', (e) => e.textContent);
const sortState = (page: Page) =>
  page.$$eval('.table-header [role="columnheader"]', (cells) =>
    Object.fromEntries(
      cells
        .filter((c) => c.getAttribute('aria-sort') !== 'none')
        .map((c) => [c.textContent?.replace(/[▾▴]/, ''), c.getAttribute('aria-sort')]),
    ),
  );

/** Microseconds from a duration label as the table shows it ("1.25s", "850µs", "12.3ms"). */
function micros(label: string): number {
  const m = /^(-?[\d.]+)(ns|µs|ms|s)$/.exec(label);
  if (!m) return label === '0' ? 0 : NaN;
  return Number(m[1]) * { ns: 0.001, µs: 1, ms: 1000, s: 1_000_000 }[m[2] as 'ns' | 'µs' | 'ms' | 's'];
}

describe('spans table (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wf: WaterfallPage | undefined;
  const trace: Trace = parseTraces(renderTrace(generateTrace(300, 7), 'otlp-json'))[0]!;

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

  async function openTable(options: Parameters<typeof openWaterfallPage>[1] = {}, shown: Trace = trace): Promise<Page> {
    wf = await openWaterfallPage(browser, options);
    await wf.show(shown);
    await wf.page.click('[role="tab"] >> text=Spans');
    await wf.settle();
    return wf.page;
  }

  for (const theme of ['dark', 'light'] as const) {
    it(`lists every span, slowest first, and sorts by the column clicked (${theme} theme)`, async () => {
      const page = await openTable({ theme });
      assert.equal(await page.getAttribute('[role="tab"] >> text=Spans', 'aria-selected'), 'true');
      assert.equal(await caption(page), '300 spans · sorted by duration, largest first');
      assert.deepEqual(await sortState(page), { Duration: 'descending' });
      let rows = await tableRows(page);
      assert.ok(rows.length > 20, `${rows.length} rows on screen`);
      const durations = rows.map((r) => micros(r[2]!));
      assert.deepEqual(
        durations,
        [...durations].sort((a, b) => b - a),
      );
      assert.equal(rows[0]![1], 'POST /checkout', 'the root is the slowest');
      // The toolbar keeps only the search field: the tree's buttons do not apply to a table.
      assert.equal(await page.$eval('.controls [role="toolbar"]', (e) => (e as HTMLElement).hidden), true);
      await wf!.screenshot(`table-${theme}`);

      await page.click('.table-header >> text=Operation');
      await wf!.settle();
      assert.deepEqual(await sortState(page), { Operation: 'ascending' });
      rows = await tableRows(page);
      const names = rows.map((r) => r[1]!);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      await page.click('.table-header >> text=Operation');
      await wf!.settle();
      assert.deepEqual(await sortState(page), { Operation: 'descending' });
      assert.equal(await caption(page), '300 spans · sorted by operation, Z to A');
      assert.deepEqual(wf!.errors, []);
    });
  }

  it('lists only the spans matching the search, and all of them again once it is cleared', async () => {
    const page = await openTable();
    const query = 'service=cart-service';
    const matching = searchSpans(encodeTrace(trace), query).length;
    await page.keyboard.press('/');
    await page.keyboard.type(query);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /matching/.test(document.querySelector('.table-caption')?.textContent ?? ''));
    await wf!.settle();
    assert.equal(await caption(page), `${matching} spans matching the search, of 300 · sorted by duration, largest first`);
    const rows = await tableRows(page);
    assert.equal(rows.length, matching);
    assert.ok(
      rows.every((r) => r[0] === 'cart-service'),
      rows.map((r) => r[0]).join(', '),
    );

    await page.keyboard.type(' nothing-has-this');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /No spans/.test(document.querySelector('.table-caption')?.textContent ?? ''));
    await wf!.settle(); // the caption changes at once, the rows on the next frame
    assert.equal((await tableRows(page)).length, 0);

    await page.keyboard.press('Escape');
    await page.waitForFunction(() => /^300 spans/.test(document.querySelector('.table-caption')?.textContent ?? ''));
    assert.equal(await page.$eval('.search-count', (e) => e.textContent), '');
    assert.equal(
      await page.evaluate(() => document.activeElement?.className),
      'table-grid',
      'Escape gives the keyboard to the table',
    );
    assert.deepEqual(wf!.errors, []);
  });

  it('is a grid a screen reader can follow, driven from the keyboard, with Go to Code and the span ID to copy', async () => {
    const page = await openTable({
      actions: { resolveLocation: (_t, i) => (i % 2 === 0 ? [{ file: 'src/app.ts', line: 3, reason: 'test' }] : []) },
    });
    const grid = page.getByRole('grid', { name: 'Spans' });
    assert.equal(await grid.getAttribute('aria-rowcount'), '301');
    assert.equal(await grid.getAttribute('aria-colcount'), '7');
    assert.equal(await page.getByRole('columnheader').count(), 7);
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await wf!.settle();
    const active = async () =>
      page.evaluate(() => {
        const id = document.querySelector('.table-grid')!.getAttribute('aria-activedescendant');
        const row = id ? document.getElementById(id) : null;
        return (
          row && { index: row.getAttribute('aria-rowindex'), selected: row.getAttribute('aria-selected'), text: row.textContent }
        );
      });
    assert.deepEqual(await active(), { index: '2', selected: 'true', text: (await tableRows(page))[0]!.join('') });
    await page.waitForSelector('.detail .detail-name');
    assert.equal(await page.$eval('.detail .detail-name', (e) => e.textContent), 'POST /checkout');

    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    await wf!.settle();
    assert.equal((await active())?.index, '300', 'the last row but one');
    const lastButOne = await page.$eval('.table-row.selected', (e) => Number((e as HTMLElement).dataset['row']));
    const spanIndex = encodeTrace(trace).spanOfRow[lastButOne];
    await page.keyboard.press('Enter');
    await page.keyboard.press('y');
    await wf!.settle();
    assert.deepEqual(
      wf!.actions.filter((a) => a[0] !== 'copy' || a[2] === 'span ID').map((a) => a.slice(0, 2)),
      [
        ['goToCode', spanIndex],
        ['copy', trace.spans[spanIndex!]!.spanId],
      ],
    );

    // Rows with a code location carry the mark, which goes to the code of its row.
    await page.keyboard.press('Home');
    await page.waitForSelector('.table-row:not([hidden]) .mark.code:not([hidden])');
    const marked = await page.$eval('.table-row:not([hidden]) .mark.code:not([hidden])', (m) =>
      Number((m.closest('.table-row') as HTMLElement).dataset['row']),
    );
    await page.click('.table-row:not([hidden]) .mark.code:not([hidden])');
    await wf!.settle();
    assert.deepEqual(wf!.actions.at(-1), ['goToCode', encodeTrace(trace).spanOfRow[marked]]);
    assert.deepEqual(wf!.errors, []);
  });

  it('keeps its order, the view and the selection across a reload', async () => {
    const page = await openTable();
    await page.click('.table-header >> text=Self time');
    await page.click('.table-header >> text=Self time');
    await page.focus('.table-grid');
    await page.keyboard.press('ArrowDown');
    await wf!.settle();
    await new Promise((r) => setTimeout(r, 400));
    const state = await page.evaluate(() => (window as unknown as { __savedState: unknown }).__savedState);
    const before = await tableRows(page);
    await wf!.close();
    wf = await openWaterfallPage(browser, { state });
    await wf.show(trace);
    await wf.settle();
    const restored = wf.page;
    assert.equal(await restored.getAttribute('[role="tab"] >> text=Spans', 'aria-selected'), 'true');
    assert.deepEqual(await sortState(restored), { 'Self time': 'ascending' });
    assert.deepEqual(await tableRows(restored), before);
    assert.equal(await restored.$$eval('.table-row.selected', (r) => r.length), 1);
    // Back in the waterfall, the span selected in the table is selected and on screen there too.
    await restored.click('[role="tab"] >> text=Waterfall');
    await wf.settle();
    assert.equal(await restored.$$eval('.names .row.selected', (r) => r.length), 1);
    assert.deepEqual(wf.errors, []);
  });

  it('lists 20,000 spans with a screenful of row elements and scrolls to the last', async () => {
    const big = parseTraces(renderTrace(generateTrace(20_000, 3), 'otlp-json'))[0]!;
    const page = await openTable({ height: 700 }, big);
    assert.match((await caption(page)) ?? '', /^20,000 spans/);
    assert.ok((await page.$$eval('.table-body .table-row', (r) => r.length)) < 60, 'rows are reused');
    await page.focus('.table-grid');
    await page.keyboard.press('End');
    await wf!.settle();
    const rows = await tableRows(page);
    const last = rows.at(-1)!;
    const shortest = Math.min(...encodeTrace(big).chunks.flatMap((c) => Array.from(c.durationUs)));
    assert.equal(last[2], formatDuration(shortest), 'the shortest span is last');
    assert.equal(await page.$eval('.table-row.selected', (e) => e.getAttribute('aria-rowindex')), '20001');
    assert.deepEqual(wf!.errors, []);
  });

  it('shows markup in names and services as text, in a narrow panel without the Start and Kind columns', async () => {
    const payload = '<img src=x onerror="window.__pwned = 1">';
    const t0 = 1_700_000_000_000_000;
    const span = (id: string, parent: string | undefined, name: string, service: string): Span => ({
      traceId: 'ab'.repeat(16),
      spanId: id.padStart(16, '0'),
      ...(parent === undefined ? {} : { parentSpanId: parent.padStart(16, '0') }),
      name,
      service,
      kind: 'server',
      startUs: t0,
      durationUs: 1000,
      status: { code: 'unset' },
      attributes: {},
      resource: {},
      events: [],
      links: [],
    });
    const hostile: Trace = {
      traceId: 'ab'.repeat(16),
      spans: [span('1', undefined, payload, '<b>svc</b>'), span('2', '1', '<script>window.__pwned = 2</script>', 'svc')],
      services: ['<b>svc</b>', 'svc'],
      startUs: t0,
      durationUs: 1000,
      warnings: [],
    };
    const page = await openTable({ width: 500 }, hostile);
    const rows = await tableRows(page);
    assert.deepEqual(
      rows.map((r) => r.slice(0, 2)),
      [
        ['<b>svc</b>', payload],
        ['svc', '<script>window.__pwned = 2</script>'],
      ],
    );
    assert.equal(await page.$$eval('.table-body img, .table-body script, .table-body b', (e) => e.length), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.getByRole('grid').getAttribute('aria-colcount'), '5');
    assert.equal(await page.$eval('.table-row:not([hidden]) .col-kind', (e) => getComputedStyle(e).display), 'none');
    await wf!.screenshot('table-narrow');
    assert.deepEqual(wf!.errors, []);
  });
});
