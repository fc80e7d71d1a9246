// Host test of the latency CodeLens: spans go through the real OpenTelemetry SDK to the receiver, and the lenses
// and hints they produce are read from the provider and from what the editor draws.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as vscode from 'vscode';
import { startFakeBackend, type FakeBackend } from '../fakes/fakeBackend';
import { withJaegerOptions } from '../fakes/fakeJaeger';
import { forgetBackends, useBackend, waitFor } from './explorerFixtures';
import { Selectors, workbench } from './workbench';

const QUICK_PICK_ROWS = '.quick-input-widget .monaco-list-row';
/** what the lenses must say for the spans sent below (default format) */
const PLACE_ORDER_LENS = 'p50 10 ms · p95 20 ms · 20 calls · 5% errors';
/** the exact p50 and p95 are 330 and 800 ms; the sketch answers within its 1%: 329 and 792 */
const CHARGE_LENS = 'p50 329 ms · p95 792 ms · 10 calls · 0% errors';
/** A function name from a hostile trace: a blank line, then an image and a link, then HTML. */
const HOSTILE_FUNCTION =
  'Object.handler\n\n![pixel](https://evil.example/p.png) [click me](https://evil.example/phish) <img src=x onerror=alert(1)>';

describe('Latency CodeLens', () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const receiver = () => vscode.workspace.getConfiguration('traceLens.receiver');
  let orders: vscode.Uri;
  let routes: vscode.Uri;

  before(async function () {
    if (!folder) this.skip();
    orders = vscode.Uri.joinPath(folder.uri, 'src/orders.js');
    routes = vscode.Uri.joinPath(folder.uri, 'src/orderRoutes.js');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const port = await freePort();
    await receiver().update('port', port, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('traceLens.useLocalReceiver');
    await vscode.commands.executeCommand('notifications.clearAll');
    await sendSpans(port);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.clearLocalTraces');
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    await vscode.commands.executeCommand('traceLens.selectBackend', 'none');
    await receiver().update('port', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration().update('traceLens.codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('puts lenses with the figures of the spans an app sent above the functions that started them', async function () {
    // placed above the declarations once the language server has named the symbols: slow to start on a busy machine
    this.timeout(60_000);
    const lenses = await waitForLenses(orders, (ours) => ours.length === 2 && ours[0]!.range.start.line === 1, 45_000);
    // 0-based: `async function placeOrder` is line 2 of orders.js, `async function charge` line 13
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [1, PLACE_ORDER_LENS],
        [12, CHARGE_LENS],
      ],
    );
    const server = vscode.Uri.joinPath(folder!.uri, 'src/server.js');
    assert.deepEqual(await ourLenses(server), [], 'nothing shows for a file without data');
  });

  it('shows the lens text and the inline hints in the editor', async function () {
    workbench.require(this);
    const document = await vscode.workspace.openTextDocument(orders);
    await vscode.window.showTextDocument(document, { preview: false });
    await workbench.waitForTexts(Selectors.codeLenses, (texts) => texts.some((t) => t.includes(PLACE_ORDER_LENS)), {
      what: 'the placeOrder lens',
    });
    const rendered = await workbench.texts(Selectors.codeLenses);
    assert.ok(
      rendered.some((t) => t.includes(CHARGE_LENS)),
      `rendered lenses: ${JSON.stringify(rendered)}`,
    );
    // hints are ::after content of decorations on the start lines (3 and 14); their CSS carries the text
    const css = (await workbench.html('.monaco-editor .view-lines')).join('');
    assert.match(css, /class="[^"]*ced-[^"]*"/, 'decorations are drawn on the lines');
    await workbench.screenshot('codelens-latency');
  });

  it('opens the slowest and failing traces of a location from its lens', async function () {
    workbench.require(this);
    const [placeOrder] = await ourLenses(orders);
    const command = placeOrder!.command!;
    void vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const rows = await workbench.waitForTexts(QUICK_PICK_ROWS, (texts) => texts.some((t) => t.includes('card declined')), {
      what: 'the traces of placeOrder',
    });
    assert.ok(rows[0]?.includes('200 ms · placeOrder'), `first row: ${rows[0]}`);
    await workbench.screenshot('codelens-traces-pick');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('keeps the figures of two anonymous handlers, and of two spans started in one function, apart', async function () {
    this.timeout(60_000);
    // 0-based lines of orderRoutes.js: both handlers are `Object.handler` to Node, so their lenses sit above the
    // lines their spans start at; placeOrder (line 21) starts two spans, each with a lens naming it
    // once the language server has named placeOrder's symbol, which takes a while on a busy machine
    const lenses = await waitForLenses(
      routes,
      (ours) => ours.length === 6 && ours.filter((l) => l.range.start.line === 21).length === 2,
      45_000,
    );
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [9, 'p50 40 ms · p95 40 ms · 10 calls · 0% errors'],
        [10, 'p50 90 ms · p95 90 ms · 10 calls · 20% errors'],
        [15, 'p50 8 ms · p95 8 ms · 5 calls · 0% errors'],
        [21, 'price order: p50 15 ms · p95 15 ms · 10 calls · 0% errors'],
        [21, 'db.insert orders: p50 12 ms · p95 12 ms · 10 calls · 0% errors'],
        [28, 'p50 1 ms · p95 1 ms · 1 calls · 0% errors'],
      ],
    );
    // past the end of each call's line, the hover speaks of that call only
    const inventory = await hoverText(routes, endOf(routes, 9));
    assert.match(inventory, /^Trace Lens · POST \/reservations$/m);
    assert.match(inventory, /Object\.handler · src\/orderRoutes\.js:10 · _local receiver: 10 spans/);
    assert.doesNotMatch(inventory, /charges|card declined|db\.select/);
    const payments = await hoverText(routes, endOf(routes, 10));
    assert.match(payments, /^Trace Lens · POST \/charges$/m);
    assert.match(payments, /card declined/);
    assert.doesNotMatch(payments, /reservations/);
    // on placeOrder's declaration, both of its spans
    const placeOrder = await hoverText(routes, new vscode.Position(21, 16));
    assert.match(placeOrder, /Trace Lens · price order[\s\S]*Trace Lens · db\.insert orders/);
  });

  it('draws each line’s own figures, and shows hostile trace data in the hover as text', async function () {
    workbench.require(this);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(routes), { preview: false });
    await workbench.waitForTexts(Selectors.codeLenses, (texts) => texts.some((t) => t.includes('price order: p50 15 ms')), {
      what: 'the lenses of orderRoutes.js',
    });
    await workbench.screenshot('codelens-per-line');
    const hostile = endOf(routes, 28);
    editor.selection = new vscode.Selection(hostile, hostile);
    await vscode.commands.executeCommand('editor.action.showHover');
    const [hover] = await workbench.waitForTexts('.monaco-hover', (texts) => texts.some((t) => t.includes('evil.example')), {
      what: 'the hover of the hostile span',
    });
    assert.ok(hover?.includes('[click me](https://evil.example/phish) <img src=x onerror=alert(1)>'), hover);
    const html = (await workbench.html('.monaco-hover')).join('');
    assert.doesNotMatch(html, /<img/, 'no image rendered');
    // the one link is the command opening the location's traces (whose argument holds the name, encoded)
    assert.deepEqual(
      [...html.matchAll(/<a [^>]*data-href="([^":]*):/g)].map((m) => m[1]),
      ['command'],
      'no link of the trace data’s making',
    );
    await workbench.screenshot('codelens-hostile-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  it('hides every lens when toggled off, and shows them again when toggled on', async () => {
    await vscode.commands.executeCommand('traceLens.toggleCodeLens');
    await waitForLenses(orders, (ours) => ours.length === 0);
    await vscode.commands.executeCommand('traceLens.toggleCodeLens');
    await waitForLenses(orders, (ours) => ours.length === 2);
  });
});

/** The position just past the end of a line (0-based) of a document: where its hint is. */
function endOf(uri: vscode.Uri, line: number): vscode.Position {
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!document) throw new Error(`${uri.fsPath} is not open`);
  return document.lineAt(line).range.end;
}

/**
 * placeOrder: 10 calls of 10 ms, 9 of 20 ms (one failing) and 1 of 200 ms; charge: 10 calls from 300 to 900 ms.
 * Started a minute ago, with the code attributes an instrumented app sends from a container (/app).
 */
async function sendSpans(port: number): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }))],
  });
  const tracer = provider.getTracer('host-test');
  const t0 = Date.now() - 60_000;
  const placeOrder = [...Array<number>(10).fill(10), ...Array<number>(9).fill(20), 200];
  placeOrder.forEach((ms, i) => {
    const start = t0 + i * 100;
    const span = tracer.startSpan('placeOrder', {
      startTime: start,
      attributes: { 'code.file.path': '/app/src/orders.js', 'code.function.name': 'placeOrder', 'code.line.number': 3 },
    });
    if (i === 12) span.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined (402)' });
    span.end(start + ms);
  });
  const charge = [300, 310, 320, 320, 330, 400, 500, 600, 800, 900];
  charge.forEach((ms, i) => {
    const start = t0 + 5_000 + i * 1000;
    tracer
      .startSpan('charge', {
        startTime: start,
        attributes: { 'code.file.path': '/app/src/orders.js', 'code.function.name': 'charge', 'code.line.number': 14 },
      })
      .end(start + ms);
  });
  await provider.forceFlush();
  await provider.shutdown();
  await sendRouteSpans(port, t0);
}

/**
 * What the sample app's orders service sends (demo/sample-app/orders.js), in src/orderRoutes.js: its two anonymous
 * handlers, both `Object.handler` to Node, start `POST /reservations` (10 × 40 ms, line 10), `POST /charges`
 * (10 × 90 ms, two declined, line 11) and `db.select orders` (5 × 8 ms, line 16); placeOrder starts `price order`
 * (10 × 15 ms, line 23) and `db.insert orders` (10 × 12 ms, line 24). One span carries a hostile function name.
 */
async function sendRouteSpans(port: number, t0: number): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'orders' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }))],
  });
  const tracer = provider.getTracer('host-test');
  const send = (name: string, fn: string, line: number, ms: number, n: number, failing = 0): void => {
    for (let i = 0; i < n; i++) {
      const start = t0 + 10_000 + i * 500;
      const span = tracer.startSpan(name, {
        startTime: start,
        attributes: { 'code.file.path': '/app/src/orderRoutes.js', 'code.function.name': fn, 'code.line.number': line },
      });
      if (i < failing) span.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      span.end(start + ms);
    }
  };
  send('POST /reservations', 'Object.handler', 10, 40, 10);
  send('POST /charges', 'Object.handler', 11, 90, 10, 2);
  send('db.select orders', 'Object.handler', 16, 8, 5);
  send('price order', 'placeOrder', 23, 15, 10);
  send('db.insert orders', 'placeOrder', 24, 12, 10);
  send(HOSTILE_FUNCTION, HOSTILE_FUNCTION, 29, 1, 1);
  await provider.forceFlush();
  await provider.shutdown();
}

async function ourLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri); // the provider command needs the document loaded
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return lenses
    .filter((l) => l.command?.command === 'traceLens.showLocationTraces')
    .sort((a, b) => a.range.start.line - b.range.start.line);
}

/** Lenses are refreshed at most once a second and placed by symbols once the language provider answers: poll. */
async function waitForLenses(
  uri: vscode.Uri,
  accept: (ours: vscode.CodeLens[]) => boolean,
  timeoutMs = 15_000,
): Promise<vscode.CodeLens[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ours = await ourLenses(uri);
    if (accept(ours)) return ours;
    if (Date.now() > deadline) {
      assert.fail(
        `lenses not as expected within ${timeoutMs} ms: ${JSON.stringify(ours.map((l) => [l.range.start.line, l.command?.title]))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('Latency CodeLens from a remote backend', () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  let orders: vscode.Uri;
  let jaeger: FakeBackend | undefined;
  let tempo: FakeBackend | undefined;
  let jaegerSpm: FakeBackend | undefined;
  let payments: vscode.Uri;

  before(async function () {
    if (!folder) this.skip();
    orders = vscode.Uri.joinPath(folder.uri, 'src/orders.js');
    payments = vscode.Uri.joinPath(folder.uri, 'src/payments.js');
    const documents = [remoteTraces(Date.now() - 120_000)];
    jaeger = await startFakeBackend('jaeger-v3', { withoutFixtures: true, documents });
    tempo = await startFakeBackend('tempo', { withoutFixtures: true, documents });
    jaegerSpm = await startFakeBackend(
      'jaeger-v3',
      withJaegerOptions({ withoutFixtures: true, documents: [paymentsTraces(Date.now() - 120_000)] }, { spm: 'enabled' }),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // sampling only runs while a file is open
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(orders), { preview: false });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await forgetBackends();
    await jaeger?.close();
    await tempo?.close();
    await jaegerSpm?.close();
  });

  it('samples traces from a remote backend and says so, with the number of traces, in the hover', async function () {
    // Sampling rounds are 10 s apart, and a round may come before the workspace index places every span.
    this.timeout(45_000);
    await useBackend('Fake Jaeger', 'jaeger', jaeger!.url);
    // placed on the declarations once the symbol provider answered, with every sampled trace counted
    const lenses = await waitForLenses(
      orders,
      (ours) => ours.length === 2 && ours[0]!.range.start.line === 1 && /6 calls/.test(ours[0]!.command?.title ?? ''),
      35_000,
    );
    assert.deepEqual(
      lenses.map((l) => l.range.start.line),
      [1, 12],
    );
    assert.match(lenses[0]!.command!.title, /6 calls/);
    // on the declaration of placeOrder, which carries the lens
    const hover = await hoverText(orders, new vscode.Position(1, 10));
    assert.match(hover, /sampled from Fake Jaeger: 6 spans from 6 traces in the last hour/);
    assert.ok(
      jaeger!.requests.some((r) => r.path.includes('/traces/')),
      'whole traces were fetched',
    );
  });

  it('shows the sampled source in the rendered hover', async function () {
    workbench.require(this);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(orders), { preview: false });
    editor.selection = new vscode.Selection(1, 20, 1, 20);
    await vscode.commands.executeCommand('editor.action.showHover');
    await workbench.waitForTexts('.monaco-hover', (texts) => texts.some((t) => t.includes('sampled from Fake Jaeger')), {
      what: 'the latency hover',
    });
    await workbench.screenshot('codelens-remote-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  it('prefers Tempo’s TraceQL metrics and names them in the hover', async () => {
    await useBackend('Fake Tempo', 'tempo', tempo!.url);
    const hover = await waitFor('the TraceQL metrics hover', async () => {
      const text = await hoverText(orders, new vscode.Position(1, 10));
      return /TraceQL metrics/.test(text) ? text : undefined;
    });
    assert.match(hover, /Tempo TraceQL metrics of Fake Tempo: 6 spans in the last hour/);
    assert.ok(tempo!.requestsTo('/api/metrics/query_range').length >= 3);
  });

  it('prefers Jaeger’s SPM metrics, placed by span name, and names them in the hover', async function () {
    this.timeout(30_000);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(payments), { preview: false });
    await useBackend('Staging', 'jaeger', jaegerSpm!.url);
    // `charge card` is named in chargeCard's startActiveSpan; `POST /charge` is the Express route's span
    const lenses = await waitForLenses(payments, (ours) => ours.some((l) => l.range.start.line === 17), 20_000);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [9, 'p50 90 ms · p95 150 ms · 6 calls · 17% errors'],
        [17, 'p50 40 ms · p95 70 ms · 6 calls · 17% errors'],
      ],
    );
    // on the declaration of chargeCard, which carries the lens
    const hover = await hoverText(payments, new vscode.Position(17, 18));
    assert.match(hover, /Jaeger SPM metrics of Staging: about 6 spans in the last hour/);
    assert.match(hover, /span name "charge card"/);
    assert.equal(jaegerSpm!.requestsTo('/api/metrics/latencies').length % 4, 0, 'four quantiles a round');
    assert.ok(jaegerSpm!.requestsTo('/api/metrics/calls').length >= 1);
  });

  it('shows the SPM source in the rendered hover', async function () {
    workbench.require(this);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(payments), { preview: false });
    editor.selection = new vscode.Selection(17, 20, 17, 20);
    await vscode.commands.executeCommand('editor.action.showHover');
    await workbench.waitForTexts('.monaco-hover', (texts) => texts.some((t) => t.includes('Jaeger SPM metrics')), {
      what: 'the SPM hover',
    });
    await workbench.screenshot('codelens-spm-hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
  });
});

/**
 * Six traces of service "payments", a minute apart up to `t0Ms`, without code attributes (SPM knows none): the
 * Express route's server span `POST /charge` (50–150 ms) and its child `charge card` (20–70 ms), the first failing.
 */
function paymentsTraces(t0Ms: number): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const spans = Array.from({ length: 6 }, (_, n) => {
    const traceId = `${n + 1}`.padStart(32, 'c');
    const startMs = t0Ms - (5 - n) * 60_000;
    const span = (id: number, name: string, kind: number, ms: number) => ({
      traceId,
      spanId: `${n * 10 + id}`.padStart(16, 'd'),
      ...(id > 1 ? { parentSpanId: `${n * 10 + 1}`.padStart(16, 'd') } : {}),
      name,
      kind,
      startTimeUnixNano: `${startMs}000000`,
      endTimeUnixNano: `${startMs + ms}000000`,
      status: n === 0 ? { code: 2, message: 'card declined' } : {},
    });
    return [span(1, 'POST /charge', 2, 50 + n * 20), span(2, 'charge card', 1, 20 + n * 10)];
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'payments'), str('telemetry.sdk.language', 'nodejs')] },
        scopeSpans: [{ scope: { name: 'payments' }, spans: spans.flat() }],
      },
    ],
  };
}

/** Six traces of service "shop", a minute apart up to `t0Ms`: placeOrder (line 3) calling charge (line 14), one failing. */
function remoteTraces(t0Ms: number): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
  const spans = Array.from({ length: 6 }, (_, n) => {
    const traceId = `${n + 1}`.padStart(32, 'a');
    const startMs = t0Ms - (5 - n) * 60_000;
    const span = (id: number, fn: string, line: number, ms: number, error = false) => ({
      traceId,
      spanId: `${n * 10 + id}`.padStart(16, 'b'),
      ...(id > 1 ? { parentSpanId: `${n * 10 + 1}`.padStart(16, 'b') } : {}),
      name: fn,
      kind: 1,
      startTimeUnixNano: `${startMs}000000`,
      endTimeUnixNano: `${startMs + ms}000000`,
      attributes: [str('code.file.path', '/app/src/orders.js'), str('code.function.name', fn), int('code.line.number', line)],
      status: error ? { code: 2, message: 'card declined' } : {},
    });
    return [span(1, 'placeOrder', 3, 20 + n * 10), span(2, 'charge', 14, 15, n === 0)];
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'shop')] },
        scopeSpans: [{ scope: { name: 'host-test' }, spans: spans.flat() }],
      },
    ],
  };
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  // as a reader sees it: without the backslashes that keep trace data from being read as Markdown
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\*\*/g, '');
}
