/**
 * Hostile traces in the real webview bundle, in headless Chromium: markup and script in every field,
 * javascript: URLs, 1 MB values, a 100,000-deep chain, 100,000 siblings, cycles, missing parents and
 * negative durations. Each must render as text, run nothing from the data, and leave the page responsive.
 */
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { setAttribute } from '../../src/core/model/attributes';
import { parseTraces } from '../../src/core/formats/parse';
import type { Attributes, Span, Trace } from '../../src/core/model/types';
import { launchBrowser, openWaterfallPage, rowTexts, type WaterfallPage } from './waterfallPage';

const TRACE_ID = 'deadbeefdeadbeefdeadbeefdeadbeef';
const T0 = 1_700_000_000_000_000;

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<svg onload="window.__pwned = \'svg\'"></svg>',
  '"><iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '{{constructor.constructor("window.__pwned=\'template\'")()}}',
];

function span(id: string, parent: string | undefined, startMs: number, durMs: number, extra: Partial<Span> = {}): Span {
  return {
    traceId: TRACE_ID,
    spanId: id,
    ...(parent === undefined ? {} : { parentSpanId: parent }),
    name: `op ${id}`,
    service: 'svc',
    kind: 'internal',
    startUs: T0 + startMs * 1000,
    durationUs: durMs * 1000,
    status: { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
    ...extra,
  };
}

function traceOf(spans: Span[], warnings: string[] = []): Trace {
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.startUs);
    end = Math.max(end, s.startUs + s.durationUs);
  }
  return {
    traceId: TRACE_ID,
    spans,
    services: [...new Set(spans.map((s) => s.service))],
    startUs: start,
    durationUs: end - start,
    warnings,
  };
}

function markupTrace(): Trace {
  const attributes: Attributes = {};
  PAYLOADS.forEach((p, i) => setAttribute(attributes, `payload.${i}`, p));
  setAttribute(attributes, '__proto__', PAYLOADS[0]!);
  setAttribute(attributes, '<b onmouseover=alert(1)>key</b>', 'value');
  setAttribute(attributes, 'url.javascript', 'javascript:window.__pwned="href"');
  setAttribute(attributes, 'url.data', 'data:text/html,<script>window.__pwned=1</script>');
  setAttribute(attributes, 'url.ok', 'https://example.com/orders/42');
  setAttribute(attributes, 'huge', 'A'.repeat(1_048_576));
  const spans = [
    span('root', undefined, 0, 100, {
      name: PAYLOADS[0]!,
      service: PAYLOADS[1]!,
      attributes,
      status: { code: 'error', message: PAYLOADS[2]! },
    }),
    span('child', 'root', 10, 50, {
      name: PAYLOADS[1]!,
      events: [{ name: PAYLOADS[2]!, timeUs: T0 + 20_000, attributes: { msg: PAYLOADS[3]! } }],
      links: [{ traceId: PAYLOADS[3]!, spanId: PAYLOADS[4]!, attributes: {} }],
    }),
    span('long', 'root', 20, 30, { name: 'N'.repeat(1_048_576), attributes: { note: PAYLOADS[4]! } }),
  ];
  return traceOf(spans, [PAYLOADS[0]!]);
}

function chainTrace(depth: number): Trace {
  const spans: Span[] = [];
  for (let i = 0; i < depth; i++) spans.push(span(`c${i}`, i === 0 ? undefined : `c${i - 1}`, i * 0.001, 200 - i * 0.001));
  return traceOf(spans);
}

function siblingsTrace(count: number): Trace {
  const spans: Span[] = [span('root', undefined, 0, 1000)];
  for (let i = 0; i < count; i++)
    spans.push(span(`k${i}`, 'root', (i % 1000) * 0.9, 1 + (i % 7), i % 97 === 0 ? { status: { code: 'error' } } : {}));
  return traceOf(spans);
}

function brokenTrace(): Trace {
  return traceOf([
    span('a', 'c', 0, 10),
    span('b', 'a', 1, 5),
    span('c', 'b', 2, 3),
    span('self', 'self', 3, 1),
    span('orphan', 'ffffffffffffffff', 4, 2),
    span('root', undefined, 0, 20),
  ]);
}

/** Through the real reader: OTLP/JSON spans ending before they start. */
function negativeDurationTrace(): Trace {
  const id = (n: number): string => n.toString(16).padStart(16, '0');
  const doc = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'clock-drift' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE_ID,
                spanId: id(1),
                name: 'root',
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000100000000',
              },
              {
                traceId: TRACE_ID,
                spanId: id(2),
                parentSpanId: id(1),
                name: 'backwards',
                startTimeUnixNano: '1700000000050000000',
                endTimeUnixNano: '1700000000010000000',
              },
            ],
          },
        ],
      },
    ],
  };
  const [trace] = parseTraces(JSON.stringify(doc));
  return trace!;
}

describe('waterfall with hostile traces (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wf: WaterfallPage;
  let dialogs: string[];

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    wf = await openWaterfallPage(browser);
    dialogs = [];
    wf.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterEach(async () => {
    await wf?.close();
  });

  async function assertNothingRan(): Promise<void> {
    assert.equal(await wf.page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, 'a payload ran');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(wf.blockedRequests, [], 'the page asked for something outside its own files');
    assert.deepEqual(wf.errors, []);
  }

  /** The page still answers, and arrow keys still move the selection, within a few seconds. */
  async function assertResponsive(): Promise<void> {
    const started = Date.now();
    await wf.page.focus('.scroller');
    await wf.page.keyboard.press('Home');
    await wf.page.keyboard.press('ArrowDown');
    await wf.settle();
    const selected = await wf.page.$$eval('.names .row.selected', (rows) => rows.length);
    assert.equal(selected, 1, 'keyboard selection works');
    assert.ok(Date.now() - started < 20_000, 'page stayed responsive');
  }

  it('shows markup, scripts and URLs in every field as text and runs none of it', async () => {
    await wf.show(markupTrace());
    const rows = await rowTexts(wf.page);
    assert.ok(rows[0]!.includes(PAYLOADS[0]!), rows[0]);
    assert.ok(rows[1]!.includes(PAYLOADS[1]!), rows[1]);
    assert.equal(await wf.page.$$eval('.names img, .names script, .names svg:not(.icon), .names iframe', (e) => e.length), 0);

    await wf.page.click('.names .row:nth-child(1)');
    await wf.page.waitForSelector('.detail table.kv');
    const detail = await wf.page.$eval('.detail', (e) => (e as HTMLElement).innerText);
    for (const p of PAYLOADS) assert.ok(detail.includes(p.slice(0, 40)), `detail shows ${p}`);
    assert.ok(detail.includes('Showing the first 64 KB of 1.0 MB'), 'a 1 MB value says it was cut');
    assert.equal(await wf.page.$$eval('.detail img, .detail script, .detail iframe, .detail a', (e) => e.length), 0);

    // Only the https value is a link; clicking it asks the host, which opens http(s) only.
    const links = await wf.page.$$eval('.detail .value button.link:not(.more)', (b) => b.map((x) => x.textContent));
    assert.deepEqual(
      links.filter((t) => !t?.startsWith('Copy')),
      ['https://example.com/orders/42'],
    );
    await wf.page.click('.detail .value button.link:not(.more) >> text=https://example.com/orders/42');
    await wf.settle();
    assert.deepEqual(
      wf.actions.filter((a) => a[0] === 'openExternal'),
      [['openExternal', 'https://example.com/orders/42']],
    );

    // "Show all" puts the long value in as text.
    await wf.page.click('.detail button.more');
    await wf.settle();
    await wf.screenshot('hostile-markup');
    await assertNothingRan();
    await assertResponsive();
  });

  it('renders a 100,000-deep parent chain', async () => {
    await wf.show(chainTrace(100_000));
    await wf.page.focus('.scroller');
    await wf.page.keyboard.press('End');
    await wf.settle();
    const rows = await rowTexts(wf.page);
    assert.ok(
      rows.some((r) => r.includes('op c99999')),
      rows.slice(-3).join(' | '),
    );
    await wf.screenshot('hostile-deep-chain');
    await assertNothingRan();
    await assertResponsive();
  });

  it('renders 100,000 siblings and collapses them', async () => {
    await wf.show(siblingsTrace(100_000));
    const count = await wf.page.evaluate(
      () => (window as unknown as { traceLensWaterfall: { metrics: { rows: number } } }).traceLensWaterfall.metrics.rows,
    );
    assert.ok(count > 0);
    await wf.page.focus('.scroller');
    await wf.page.keyboard.press('Home');
    await wf.page.keyboard.press('ArrowLeft');
    await wf.settle();
    assert.deepEqual(await rowTexts(wf.page), ['op root svc']);
    await wf.page.keyboard.press('ArrowRight');
    await wf.settle();
    await wf.screenshot('hostile-siblings');
    await assertNothingRan();
    await assertResponsive();
  });

  it('shows cycles, self-parents and missing parents at the top level with warnings', async () => {
    await wf.show(brokenTrace());
    const rows = await rowTexts(wf.page);
    assert.equal(rows.length, 6, rows.join(' | '));
    const warnings = await wf.page.$eval('.warnings', (e) => (e as HTMLElement).textContent ?? '');
    assert.match(warnings, /warnings about this trace/);
    await assertNothingRan();
    await assertResponsive();
  });

  it('draws spans with negative durations from a real reader as zero-length', async () => {
    await wf.show(negativeDurationTrace());
    const rows = await rowTexts(wf.page);
    assert.deepEqual(rows, ['root clock-drift', 'backwards']);
    await assertNothingRan();
    await assertResponsive();
  });
});
