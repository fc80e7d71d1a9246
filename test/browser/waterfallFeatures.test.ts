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

/** A trace of `count` spans, each of its own service: service-0, service-1, ... */
function servicesTrace(count: number): Trace {
  const traceId = 'e1'.repeat(16);
  const start = 1_700_000_000_000_000;
  const spans = Array.from({ length: count }, (_, i): Trace['spans'][number] => ({
    traceId,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    ...(i > 0 ? { parentSpanId: '1'.padStart(16, '0') } : {}),
    name: `op ${i}`,
    service: `service-${i}`,
    kind: 'internal',
    startUs: start + i * 10,
    durationUs: 100_000 - i * 10,
    status: { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
  }));
  return { traceId, spans, services: spans.map((s) => s.service), startUs: start, durationUs: 100_000, warnings: [] };
}

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
    const hideOthers = '.controls [aria-label="Hide non-matching spans"]';
    assert.equal(await wf.page.getAttribute(hideOthers, 'aria-pressed'), 'false');
    await wf.page.click(hideOthers);
    await wf.settle();
    assert.equal(await wf.page.getAttribute(hideOthers, 'aria-pressed'), 'true');
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
    await wf.page.click('.controls [aria-label="Collapse all"]');
    await wf.settle();
    const collapsed = await rowTexts(wf.page);
    assert.ok(collapsed.length < 10, collapsed.join(' | '));
    await wf.page.click('.controls [aria-label="Expand all"]');
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
    /** Labels of the toolbar controls shown above or below the toolbar's row, or past its right end. */
    const controlsOffTheRow = () =>
      wf!.page.$eval('.controls', (bar) => {
        const row = bar.getBoundingClientRect();
        return Array.from(bar.querySelectorAll('button, vscode-text-field'))
          .filter((e) => (e as HTMLElement).offsetParent !== null)
          .filter((e) => {
            const r = e.getBoundingClientRect();
            return r.top < row.top || r.bottom > row.bottom || r.right > row.right;
          })
          .map((e) => e.getAttribute('aria-label'));
      });
    /** Names of the services whose chips show, in order: not cut off by the legend's line. */
    const legendChips = () =>
      wf!.page.$$eval('.legend-item', (chips) =>
        chips
          .filter(
            (c) =>
              !(c as HTMLElement).hidden &&
              c.getBoundingClientRect().bottom <= c.parentElement!.getBoundingClientRect().bottom + 0.5,
          )
          .map((c) => c.textContent),
      );

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
        // The toolbar and the legend take one line each, so that the span rows keep about half the panel.
        const toolbar = await box('.controls');
        assert.ok(toolbar.height <= 40, `toolbar ${toolbar.height} px high`);
        assert.deepEqual(await controlsOffTheRow(), [], 'every toolbar control on the one row');
        assert.equal(await wf.page.$eval('.controls .more', (e) => (e as HTMLElement).hidden), true);
        const legend = await box('.trace-strip');
        assert.ok(legend.height <= 28, `legend ${legend.height} px high`);
        assert.ok(scroller.height >= 800 * 0.45, `span rows ${scroller.height} px of 800`);

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

    it('keeps the service legend to one line, with "+N more" that reveals the rest from the keyboard', async () => {
      wf = await openWaterfallPage(browser, { width: 600, height: 800 });
      await wf.show(trace);
      const services = trace.services.length;
      const shown = await legendChips();
      assert.ok(shown.length >= 2 && shown.length < services, `chips on the line: ${shown.join(', ')}`);
      assert.ok((await box('.legend')).height <= 22, 'one line of chips');
      const more = await wf.page.$eval('.legend-more', (e) => ({
        text: e.textContent,
        expanded: e.getAttribute('aria-expanded'),
        top: e.getBoundingClientRect().top,
        firstChipTop: document.querySelector('.legend-item')!.getBoundingClientRect().top,
      }));
      assert.equal(more.text, `+${services - shown.length} more`);
      assert.equal(more.expanded, 'false');
      assert.equal(more.top, more.firstChipTop, '"+N more" is on the line of chips');

      // The chips cut off the line are out of the tab order until the legend opens.
      await wf.page.focus(`.legend-item >> nth=${shown.length - 1}`);
      await wf.page.keyboard.press('Tab');
      assert.equal(await wf.page.evaluate(() => document.activeElement?.className), 'legend-more');
      const before = await box('.scroller');
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      assert.equal((await legendChips()).length, services, 'every service is shown');
      assert.equal(await wf.page.getAttribute('.legend-more', 'aria-expanded'), 'true');
      assert.equal(await wf.page.textContent('.legend-more'), 'Show less');
      assert.equal(
        await wf.page.evaluate(() => document.activeElement?.textContent),
        (await legendChips())[shown.length],
        'the keyboard moves on to the first service revealed',
      );
      assert.ok((await box('.scroller')).height < before.height, 'the open legend takes rows from the waterfall');
      await wf.screenshot('narrow-legend');

      await wf.page.focus('.legend-more');
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      assert.deepEqual(await legendChips(), shown);
      assert.equal(await wf.page.evaluate(() => document.activeElement?.className), 'legend-more');
      assert.equal((await box('.scroller')).height, before.height);
      assert.deepEqual(wf.errors, []);
    });

    it('counts the services past the line, and past the chips a legend has, in "+N more"', async () => {
      wf = await openWaterfallPage(browser, { width: 600, height: 800 });
      const legend = wf.page.getByRole('group', { name: 'Services' });
      const more = () =>
        wf!.page.$eval('.legend-more', (e) => ({
          text: e.textContent,
          title: (e as HTMLElement).title,
        }));
      /** What a screen reader finds in the legend, one line per control or text. */
      const heard = async () => (await legend.ariaSnapshot()).split('\n').filter((line) => !line.startsWith('- group'));
      const chipsListed = () => wf!.page.$$eval('.legend-item:not([hidden])', (chips) => chips.map((c) => c.textContent));

      await wf.show(servicesTrace(100));
      const shown = await legendChips();
      assert.ok(shown.length >= 2 && shown.length < 60, `chips on the line: ${shown.length}`);
      assert.deepEqual(await more(), { text: `+${100 - shown.length} more`, title: 'Show all 100 services' });
      assert.deepEqual(
        await heard(),
        [...shown.map((name) => `  - button "${name}"`), `  - button "+${100 - shown.length} more"`],
        'the chips on the line and the control, nothing cut off',
      );
      await wf.page.click('.legend-more');
      await wf.settle();
      assert.deepEqual(await chipsListed(), servicesTrace(100).services, 'open, the legend lists every service');
      assert.equal((await heard()).at(-1), '  - button "Show less" [expanded]');

      // Past MAX_CHIPS (1,000) services have no chip: the count says so, and the open legend ends with them.
      await wf.show(servicesTrace(1500));
      const line = await legendChips();
      assert.deepEqual(await more(), {
        text: `+${(1500 - line.length).toLocaleString('en-US')} more`,
        title: 'Show the first 1,000 of 1,500 services',
      });
      assert.equal((await heard()).length, line.length + 1);
      await wf.page.click('.legend-more');
      await wf.settle();
      assert.equal((await chipsListed()).length, 1000);
      assert.deepEqual((await heard()).slice(-3), [
        '  - button "service-999"',
        '  - text: and 500 more',
        '  - button "Show less" [expanded]',
      ]);
      assert.ok((await box('.legend')).height <= 110, 'the open legend scrolls rather than push the waterfall away');
      await wf.page.$eval('.legend', (e) => (e.scrollTop = e.scrollHeight));
      await wf.screenshot('narrow-legend-many');
      assert.deepEqual(wf.errors, []);
    });

    it('moves the controls that do not fit a 420 px panel into a "More actions" menu that works from the keyboard', async () => {
      wf = await openWaterfallPage(browser, { width: 420, height: 700 });
      await wf.show(trace);
      assert.ok((await box('.controls')).height <= 40, 'the toolbar is still one row');
      assert.deepEqual(await controlsOffTheRow(), []);
      const inRow = await wf.page.$$eval('.controls button[aria-label]', (els) =>
        els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.getAttribute('aria-label')),
      );
      for (const label of ['Previous match (Shift+Enter)', 'Next match (Enter)', 'Hide non-matching spans', 'More actions'])
        assert.ok(inRow.includes(label), `${label} stays on the row: ${inRow.join(', ')}`);

      await wf.page.focus('.controls [aria-label="More actions"]');
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      const menu = await wf.page.$$eval('[role="menu"] [role^="menuitem"]', (els) => els.map((e) => e.textContent));
      const hidden = await wf.page.$$eval('.controls button[aria-label]', (els) =>
        els.filter((e) => (e as HTMLElement).offsetParent === null).map((e) => e.getAttribute('aria-label')),
      );
      assert.ok(menu.length > 0, 'the menu lists the controls the row has no room for');
      assert.deepEqual(
        menu.map((m) => m!.replace(/…$/, '')),
        hidden.filter((l) => l !== 'Open in Backend UI').map((l) => l!.replace(/…$/, '')),
      );
      assert.equal(await wf.page.evaluate(() => document.activeElement?.getAttribute('role')), 'menuitem');
      assert.equal(await wf.page.getAttribute('.controls [aria-label="More actions"]', 'aria-expanded'), 'true');
      await wf.screenshot('narrow-menu');

      // Escape closes the menu and gives the keyboard back to its button.
      await wf.page.keyboard.press('Escape');
      await wf.settle();
      assert.equal(await wf.page.$$eval('[role="menu"]:popover-open', (e) => e.length), 0);
      assert.equal(await wf.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'More actions');

      // "Collapse spans shorter than…" from the menu: a wrong duration is explained in place; a right one folds rows.
      const rowsBefore = (await rowTexts(wf.page)).length;
      await wf.page.keyboard.press('Enter');
      await wf.page.keyboard.press('End');
      assert.match((await wf.page.evaluate(() => document.activeElement?.textContent)) ?? '', /^Collapse spans shorter than/);
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      assert.equal(
        await wf.page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
        'Collapse spans shorter than',
      );
      // The menu's close arrives after the dialog opened under the same button, and leaves the button to it.
      const moreActions = async () =>
        wf!.page.$eval('.controls [aria-label="More actions"]', (e) => [
          e.getAttribute('aria-expanded'),
          e.getAttribute('aria-haspopup'),
        ]);
      assert.deepEqual(await moreActions(), ['true', 'dialog'], 'the button says a dialog is open under it');
      await wf.page.keyboard.type('soon');
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      assert.match((await wf.page.textContent('.threshold-popup .hint')) ?? '', /"soon" is not a duration/);
      assert.equal((await rowTexts(wf.page)).length, rowsBefore, 'nothing collapsed');
      await wf.page.keyboard.press('Control+A');
      await wf.page.keyboard.type('2ms');
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      assert.equal(await wf.page.$$eval('.threshold-popup:popover-open', (e) => e.length), 0);
      assert.ok((await rowTexts(wf.page)).length < rowsBefore, 'spans shorter than 2 ms are collapsed');
      assert.match((await wf.page.textContent('.message')) ?? '', /^Collapsed \d+ spans shorter than 2ms\.$/);
      assert.equal(await wf.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'More actions');
      assert.deepEqual(await moreActions(), ['false', 'menu'], 'closed, the button opens its menu again');
      assert.deepEqual(wf.errors, []);
    });

    it('asks for the collapse threshold in a popup that Escape and Tab leave for its button', async () => {
      wf = await openWaterfallPage(browser, { width: 600 });
      await wf.show(trace);
      const button = '.controls [aria-label="Collapse spans shorter than…"]';
      const open = () => wf!.page.$$eval('.threshold-popup:popover-open', (e) => e.length);
      const focused = () => wf!.page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      await wf.page.focus(button);
      await wf.page.keyboard.press('Enter');
      await wf.settle();
      assert.equal(await open(), 1);
      assert.equal(await wf.page.getAttribute(button, 'aria-expanded'), 'true');
      assert.equal(await focused(), 'Collapse spans shorter than');
      const popup = await box('.threshold-popup');
      const anchor = await box(button);
      assert.ok(popup.top >= anchor.bottom && popup.left + popup.width <= 600, 'under its button, inside the panel');
      await wf.page.keyboard.press('Escape');
      await wf.settle();
      assert.equal(await open(), 0);
      assert.equal(await wf.page.getAttribute(button, 'aria-expanded'), 'false');
      assert.equal(await focused(), 'Collapse spans shorter than…');

      await wf.page.keyboard.press('Enter');
      await wf.page.keyboard.press('Tab');
      assert.equal(await wf.page.evaluate(() => document.activeElement?.textContent), 'Collapse');
      await wf.page.keyboard.press('Tab');
      await wf.settle();
      assert.equal(await open(), 0, 'Tab past the last control closes the popup');
      assert.equal(await focused(), 'Collapse spans shorter than…');
      assert.deepEqual(wf.errors, []);
    });

    it('is one tab stop after the search field, with the arrow keys, Home and End between its buttons', async () => {
      wf = await openWaterfallPage(browser, { width: 600, height: 700 });
      await wf.show(trace);
      const page = wf.page;
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      const inToolbar = () => page.evaluate(() => document.activeElement?.closest('[role="toolbar"]') !== null);
      const tabStops = () =>
        page.$$eval('[role="toolbar"] [tabindex="0"]', (els) => els.map((e) => e.getAttribute('aria-label')));
      const press = async (key: string) => {
        await page.keyboard.press(key);
        return focused();
      };
      assert.equal(await page.getByRole('toolbar', { name: 'Waterfall controls' }).getByRole('textbox').count(), 0);

      await page.keyboard.press('/');
      assert.equal(await press('Tab'), 'Previous match (Shift+Enter)', 'Tab goes from the search field into the toolbar');
      await page.keyboard.press('Tab');
      assert.equal(await inToolbar(), false, 'and Tab again out of it');
      assert.equal(await press('Shift+Tab'), 'Previous match (Shift+Enter)');
      assert.equal(await press('ArrowRight'), 'Next match (Enter)');
      assert.equal(await press('ArrowRight'), 'Hide non-matching spans');
      assert.equal(await press('ArrowRight'), 'Collapse all', 'over the separator to the next group');
      assert.equal(await press('End'), 'Reset zoom (0)');
      assert.equal(await press('ArrowRight'), 'Previous match (Shift+Enter)', 'round the end');
      assert.equal(await press('ArrowLeft'), 'Reset zoom (0)');
      assert.equal(await press('Home'), 'Previous match (Shift+Enter)');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      assert.equal(await press('ArrowRight'), 'Collapse one level');
      assert.deepEqual(await tabStops(), ['Collapse one level']);
      await page.keyboard.press('Tab');
      assert.equal(await press('Shift+Tab'), 'Collapse one level', 'back in, on the button last used');
      assert.equal(await press('Shift+Tab'), 'Search spans: words, key=value, >10ms', 'and before it, the search field');

      // The button with the tab stop moves into the menu: "More actions" takes the tab stop and the keyboard.
      await page.keyboard.press('Tab');
      await page.setViewportSize({ width: 420, height: 700 });
      await wf.settle();
      assert.equal(await page.$eval('.controls [aria-label="Collapse one level"]', (e) => (e as HTMLElement).hidden), true);
      assert.equal(await focused(), 'More actions');
      assert.deepEqual(await tabStops(), ['More actions']);
      assert.equal(await press('ArrowRight'), 'Previous match (Shift+Enter)');
      assert.equal(await press('End'), 'More actions');
      assert.deepEqual(wf.errors, []);
    });

    it('shows the toolbar settings as toggle buttons that screen readers hear as pressed', async () => {
      wf = await openWaterfallPage(browser, { width: 600 });
      await wf.show(trace);
      const pressed = () =>
        wf!.page.$$eval('.controls button[aria-pressed]', (els) =>
          Object.fromEntries(els.map((e) => [e.getAttribute('aria-label'), e.getAttribute('aria-pressed')])),
        );
      assert.deepEqual(await pressed(), {
        'Hide non-matching spans': 'false',
        'Highlight the critical path (C)': 'true',
        'Only the critical path': 'false',
      });
      // What assistive technology is told: names and pressed states, and the search field's own name.
      const page = wf.page;
      assert.equal(await page.getByRole('button', { name: 'Only the critical path', pressed: false }).count(), 1);
      assert.equal(await page.getByRole('button', { name: 'Highlight the critical path (C)', pressed: true }).count(), 1);
      assert.equal(await page.getByRole('textbox', { name: 'Search spans: words, key=value, >10ms' }).count(), 1);
      assert.equal(await page.getByRole('button', { name: 'Collapse spans shorter than…', expanded: false }).count(), 1);
      const rowsBefore = (await rowTexts(wf.page)).length;
      await wf.page.focus('.controls [aria-label="Only the critical path"]');
      await wf.page.keyboard.press('Space');
      await wf.settle();
      assert.equal((await pressed())['Only the critical path'], 'true');
      assert.ok((await rowTexts(wf.page)).length < rowsBefore, 'only the critical path is listed');
      await wf.page.focus('.scroller');
      await wf.page.keyboard.press('c');
      await wf.settle();
      assert.equal((await pressed())['Highlight the critical path (C)'], 'false', 'the C key flips the toggle too');
      assert.deepEqual(wf.errors, []);
    });

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
