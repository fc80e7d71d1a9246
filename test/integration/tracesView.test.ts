import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TraceFormatError } from '../../src/core/formats/errors';
import { parseTraces } from '../../src/core/formats/parse';
import { refusedUrl, startFakeBackend, type FakeBackend } from '../fakes/fakeBackend';
import { CHECKOUT_ID, forgetBackends, jaegerTraces, useBackend, waitFor, webviewTabs } from './explorerFixtures';
import { Selectors, workbench } from './workbench';

const TRACES_VIEW = Selectors.view('traceLens', 'Traces');

describe('Traces view', () => {
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-host-test-'));
    await workbench.show('workbench.view.extension.traceLens', TRACES_VIEW);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says what to do while there are no traces', async function () {
    workbench.require(this);
    const [welcome] = await workbench.waitForTexts(Selectors.welcome(TRACES_VIEW), (texts) => texts.length > 0, {
      what: 'the Traces welcome',
    });
    assert.match(welcome ?? '', /No traces yet/);
    assert.match(welcome ?? '', /Import Trace File…/);
    await workbench.screenshot('traces-empty');
  });

  it('lists imported traces by root service, newest first, with duration, span count, errors and age', async function () {
    workbench.require(this);
    const file = path.join(dir, 'checkout.json');
    fs.writeFileSync(file, JSON.stringify(otlpDocument()));
    await vscode.commands.executeCommand('traceLens.importTraceFile', vscode.Uri.file(file));

    const labels = await workbench.waitForTexts(Selectors.rowLabels(TRACES_VIEW), (texts) => texts.length === 3, {
      what: 'the imported traces',
    });
    assert.deepEqual(labels, ['frontend', 'GET /checkout', 'GET /health']);
    assert.deepEqual(await workbench.texts(Selectors.rowDescriptions(TRACES_VIEW)), [
      '2 traces · 1 with errors',
      '1.25 s · 4 spans · 1 error · 2023-11-14',
      '3 ms · 1 span · 2023-11-14',
    ]);
    await workbench.screenshot('traces-imported');
  });

  it('explains why a file that holds no trace cannot be imported', async function () {
    workbench.require(this);
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ 'editor.fontSize': 14 }));
    const reason = formatErrorOf(fs.readFileSync(file));
    await vscode.commands.executeCommand('traceLens.importTraceFile', vscode.Uri.file(file));

    const [message] = await workbench.waitForTexts(
      Selectors.notifications,
      (texts) => texts.some((t) => t.includes('settings.json')),
      {
        what: 'the error notification',
      },
    );
    assert.equal(message, `Could not import settings.json: ${reason.message}`);
    await workbench.waitForTexts(Selectors.notificationButtons, (texts) => texts.includes('Show Log'), {
      what: 'the Show Log action',
    });
    assert.equal((await workbench.texts(Selectors.rows(TRACES_VIEW))).length, 3, 'the imported traces stay');
    await workbench.screenshot('traces-import-error');
  });

  it('says a text file that is not JSON is no trace file, instead of a protobuf error', async function () {
    workbench.require(this);
    const file = path.join(dir, 'README.md');
    fs.writeFileSync(file, '# Checkout service\n\nRun it with `npm start`.\n');
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('traceLens.importTraceFile', vscode.Uri.file(file));
    const [message] = await workbench.waitForTexts(
      Selectors.notifications,
      (texts) => texts.some((t) => t.includes('README.md')),
      {
        what: 'the error notification',
      },
    );
    assert.equal(
      message,
      'Could not import README.md: Not a trace document Trace Lens can read (at byte 0): not a trace file (JSON or OTLP protobuf expected); this is text that starts "# Checkout service"',
    );
    await workbench.screenshot('traces-import-not-a-trace');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('opens a .json file "With… Trace Lens": imports it and opens its waterfall, or says in the editor why not', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const file = path.join(dir, 'single.json');
    fs.writeFileSync(file, JSON.stringify(singleTraceDocument()));
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), 'traceLens.traceFile');
    await waitFor('the waterfall of the opened file', () => webviewTabs().some((t) => t.includes('GET /orders')));
    await workbench.waitForTexts(Selectors.rowLabels(TRACES_VIEW), (texts) => texts.includes('GET /orders'), {
      what: 'the opened file in the Traces view',
    });
    // once the waterfall is closed, the page lists the trace with a way back into it
    const waterfall = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.label.includes('GET /orders'));
    await vscode.window.tabGroups.close(waterfall!);
    await waitFor('the waterfall closed', () => !webviewTabs().some((t) => t.includes('GET /orders')));
    const summary = await waitFor('the summary page', async () =>
      (await workbench.webviewTexts()).find((t) => t.includes('Imported single.json')),
    );
    const traceId = /([0-9a-f]{32}) — .* · Open Waterfall/.exec(summary)?.[1];
    assert.ok(traceId, `a trace with its Open Waterfall link: ${summary}`);
    await workbench.screenshot('trace-file-editor-summary');
    // what the link runs (a webview's links cannot be clicked from here)
    await vscode.commands.executeCommand('traceLens.openWaterfall', traceId);
    await waitFor('the waterfall opened again', () => webviewTabs().some((t) => t.includes('GET /orders')));

    const broken = path.join(dir, 'package.json');
    fs.writeFileSync(broken, JSON.stringify({ name: 'not-a-trace' }));
    const reason = formatErrorOf(fs.readFileSync(broken)).message;
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(broken), 'traceLens.traceFile');
    const texts = await waitFor('the error page', async () => {
      const pages = await workbench.webviewTexts();
      return pages.some((t) => t.includes('could not read package.json')) ? pages : undefined;
    });
    const page = texts.find((t) => t.includes('could not read package.json')) ?? '';
    assert.match(page, /Trace Lens could not read package\.json/);
    assert.ok(page.includes(reason), `the page gives the reader's reason: ${reason}`);
    await workbench.screenshot('trace-file-editor-error');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('with a backend', () => {
    let fake: FakeBackend;

    before(async () => {
      fake = await startFakeBackend('jaeger-v1', { withoutFixtures: true, documents: jaegerTraces(Date.now() - 270_000) });
    });

    after(async () => {
      await forgetBackends();
      await fake.close();
    });

    it("lists the backend's recent traces by root service next to the imports, fetching spans only on expand", async function () {
      workbench.require(this);
      await useBackend('Fake Jaeger', 'jaeger', fake.url);
      const labels = await workbench.waitForTexts(Selectors.rowLabels(TRACES_VIEW), (texts) => texts.includes('consume orders'), {
        what: "the backend's traces",
      });
      // With imported traces beside it, the backend's rows sit under a heading with its URL.
      const headed = labels[0] === 'Fake Jaeger';
      const rows = labels.slice(headed ? 1 : 0);
      assert.deepEqual(rows.slice(0, 5), ['frontend', 'GET /checkout', 'GET /health', 'worker', 'consume orders']);
      const descriptions = (await workbench.texts(Selectors.rowDescriptions(TRACES_VIEW))).slice(headed ? 1 : 0);
      assert.deepEqual(descriptions.slice(0, 5), [
        '2 traces · 1 with errors',
        '1.25 s · 4 spans · 1 error · 4 min ago',
        '3 ms · 1 span · 4 min ago',
        '1 trace',
        '12 ms · 1 span · 5 min ago',
      ]);
      assert.equal(fake.requestsTo(`/api/traces/${CHECKOUT_ID}`).length, 0, 'no whole trace is fetched to draw the list');

      // Expand GET /checkout from the keyboard; a trace this small opens its upper levels by itself.
      // Keyboard focus reaches the tree asynchronously: retry until the trace opens.
      for (let attempt = 0; attempt < 5; attempt++) {
        await vscode.commands.executeCommand('traceLens.traces.focus');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await vscode.commands.executeCommand('list.focusFirst');
        for (let i = 0; i < (headed ? 2 : 1); i++) await vscode.commands.executeCommand('list.focusDown');
        await vscode.commands.executeCommand('list.expand');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if ((await workbench.texts(Selectors.rowLabels(TRACES_VIEW))).includes('PlaceOrder')) break;
      }
      const expanded = await workbench.waitForTexts(
        Selectors.rowLabels(TRACES_VIEW),
        (texts) => texts.includes('SELECT orders'),
        {
          what: 'the spans of GET /checkout',
        },
      );
      assert.deepEqual(expanded.slice(headed ? 2 : 1, headed ? 8 : 7), [
        'GET /checkout',
        'GET /checkout',
        'PlaceOrder',
        'POST /charge',
        'SELECT orders',
        'GET /health',
      ]);
      const spanDescriptions = (await workbench.texts(Selectors.rowDescriptions(TRACES_VIEW))).slice(
        headed ? 3 : 2,
        headed ? 7 : 6,
      );
      assert.deepEqual(spanDescriptions, [
        '1.25 s · self 50 ms · frontend',
        '1.2 s · self 560 ms · checkout',
        '600 ms · payments',
        '40 ms · payments',
      ]);
      assert.equal(fake.requestsTo(`/api/traces/${CHECKOUT_ID}`).length, 1, 'expanding fetched the trace once');
      await workbench.screenshot('traces-backend');
    });

    it('lists traceLens.traces.count traces with a Show More row that lists the rest', async function () {
      workbench.require(this);
      const config = vscode.workspace.getConfiguration('traceLens');
      await config.update('traces.count', 2, vscode.ConfigurationTarget.Global);
      try {
        await useBackend('Fake Jaeger', 'jaeger', fake.url);
        const labels = await workbench.waitForTexts(
          Selectors.rowLabels(TRACES_VIEW),
          (texts) => texts.some((t) => t.includes('Show More')),
          { what: 'the Show More row under a full page' },
        );
        assert.ok(labels.includes('2 traces listed · Show More'), labels.join(' | '));
        assert.ok(!labels.includes('consume orders'), 'the oldest trace waits for Show More');
        await workbench.screenshot('traces-show-more');

        await vscode.commands.executeCommand('traceLens.showMoreTraces');
        const more = await workbench.waitForTexts(Selectors.rowLabels(TRACES_VIEW), (texts) => texts.includes('consume orders'), {
          what: 'the next page of traces',
        });
        assert.ok(!more.some((t) => t.includes('Show More')), 'everything the backend holds is listed');
      } finally {
        await config.update('traces.count', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('shows a backend that is down as one line with Retry and Select Backend…, not a spinner', async function () {
      workbench.require(this);
      const url = await refusedUrl();
      await useBackend('Jaeger (down)', 'jaeger', url);
      const labels = await workbench.waitForTexts(
        Selectors.rowLabels(TRACES_VIEW),
        (texts) => texts.some((t) => t.includes('refused')),
        {
          what: 'the connection error',
          timeoutMs: 20_000,
        },
      );
      const rows = labels[0] === 'Jaeger (down)' ? labels.slice(1) : labels;
      assert.deepEqual(rows.slice(0, 4), [
        `Jaeger at ${url} refused the connection — is the query service running?`,
        'Retry',
        'Select Backend…',
        'Open Settings',
      ]);
      await workbench.screenshot('traces-backend-down');
    });
  });
});

/** The TraceFormatError the readers give for `bytes`: what the user must be told. */
function formatErrorOf(bytes: Uint8Array): TraceFormatError {
  try {
    parseTraces(bytes);
  } catch (e) {
    if (e instanceof TraceFormatError) return e;
    throw e;
  }
  return assert.fail('expected the readers to refuse this file');
}

/** Two traces in one OTLP/JSON document: a checkout (4 spans, 3 services, 1 error) and an earlier health check. */
function otlpDocument(): unknown {
  const t0 = 1_700_000_000_000_000_000n; // epoch nanoseconds
  const ms = 1_000_000n;
  const span = (
    traceId: string,
    spanId: string,
    parentSpanId: string,
    name: string,
    startMs: bigint,
    durationMs: bigint,
    error = false,
  ) => ({
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: parentSpanId ? 3 : 2,
    startTimeUnixNano: String(t0 + startMs * ms),
    endTimeUnixNano: String(t0 + (startMs + durationMs) * ms),
    status: error ? { code: 2, message: 'card declined' } : {},
  });
  const service = (name: string, spans: unknown[]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: name } }] },
    scopeSpans: [{ scope: { name: 'host-test' }, spans }],
  });
  const checkout = '5b8efff798038103d269b633813fc60c';
  const health = '0af7651916cd43dd8448eb211c80319c';
  return {
    resourceSpans: [
      service('frontend', [
        span(checkout, 'eee19b7ec3c1b174', '', 'GET /checkout', 1000n, 1250n),
        span(health, 'b7ad6b7169203331', '', 'GET /health', 0n, 3n),
      ]),
      service('checkout', [span(checkout, 'eee19b7ec3c1b175', 'eee19b7ec3c1b174', 'PlaceOrder', 1010n, 1200n)]),
      service('payments', [
        span(checkout, 'eee19b7ec3c1b176', 'eee19b7ec3c1b175', 'POST /charge', 1020n, 600n, true),
        span(checkout, 'eee19b7ec3c1b177', 'eee19b7ec3c1b175', 'SELECT orders', 1700n, 40n),
      ]),
    ],
  };
}

/** One trace (2 spans) in OTLP/JSON. */
function singleTraceDocument(): unknown {
  const t0 = 1_700_000_100_000_000_000n;
  const traceId = '6e0c63257de34c92bf9efcd03927272e';
  const span = (spanId: string, parentSpanId: string, name: string, startMs: bigint, durationMs: bigint) => ({
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: 2,
    startTimeUnixNano: String(t0 + startMs * 1_000_000n),
    endTimeUnixNano: String(t0 + (startMs + durationMs) * 1_000_000n),
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
        scopeSpans: [
          {
            spans: [
              span('1111111111111111', '', 'GET /orders', 0n, 80n),
              span('2222222222222222', '1111111111111111', 'load', 5n, 50n),
            ],
          },
        ],
      },
    ],
  };
}
