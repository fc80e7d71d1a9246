/**
 * The waterfall panel in a real workbench: a real upstream trace imported from its file, a generated
 * 50,000-span trace, Go to Code from a span, and hostile attribute values, each checked by the text the
 * webview rendered (screenshots in test-results/screenshots/waterfall-*.png).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseTraces } from '../../src/core/formats/parse';
import { encodeTrace } from '../../src/core/waterfall/encodeTrace';
import type { WaterfallPanel } from '../../src/vscode/waterfall/waterfallPanel';
import { generateTrace, toOtlpJson } from '../fixtures/generateTraces';
import { buildTrace, detailPane, sharedFixtureUri, waitForWebviewText } from './waterfallFixtures';
import { workbench } from './workbench';

/** zipkin/smartthings-mobile-web-install.json: its one trace, and a server span with a unique id in it */
const SMARTTHINGS_ID = '000000000000000014b60fd9ae504820';
const FINALIZE_SPAN_ID = 'cfcd115a2af18bd9';

describe('Waterfall', function () {
  this.timeout(90_000);

  before(async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('shows an imported Zipkin trace of 1,041 spans: header, rows, legend, and the detail of a selected span', async function () {
    const file = sharedFixtureUri(this, 'zipkin/smartthings-mobile-web-install.json');
    await vscode.commands.executeCommand('traceLens.importTraceFile', file);

    const text = await waitForWebviewText('the waterfall of the imported trace', (t) =>
      t.includes('coreSrv: get /login/tokenauth'),
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('1,041 spans'), 'the header counts the spans');
    assert.ok(lines.includes('16 services'), 'the header counts the services');
    assert.ok(lines.includes('5m 6s'), 'the header gives the trace duration, 306 s');
    assert.ok(lines.includes('2 errors'), 'the header counts the error spans');
    // The legend is one line: the services that fit, then "+N more" for the rest (all 16 when they fit).
    const legendAt = lines.indexOf('coreSrv');
    assert.ok(legendAt !== -1, 'the legend starts with the root service');
    const moreAt = lines.findIndex((l, i) => i > legendAt && /^\+\d+ more$/.test(l));
    const shown = moreAt === -1 ? lines.slice(legendAt, legendAt + 16) : lines.slice(legendAt, moreAt);
    const hidden = moreAt === -1 ? 0 : Number(/\d+/.exec(lines[moreAt]!)![0]);
    assert.ok(shown.length >= 4, `the legend shows services: ${JSON.stringify(shown)}`);
    for (const service of ['coreSrv', 'auth', 'strongman']) assert.ok(shown.includes(service), `the legend names ${service}`);
    assert.equal(
      shown.length + hidden,
      16,
      `the legend names or counts every service: ${JSON.stringify(lines.slice(legendAt, moreAt + 1))}`,
    );
    const rows = lines.filter((l) => /^(get|post|put|delete|receive|process)\b/.test(l));
    assert.equal(rows[0], 'get /login/tokenauth', 'the root is the first row');
    assert.ok(rows.length >= 10, `rows drawn: ${JSON.stringify(rows)}`);
    assert.match(text, /Select a span to see its attributes, events and links\./);

    // Selecting a span from the host goes through the protocol: the panel asks the webview to reveal it.
    await vscode.commands.executeCommand('traceLens.openWaterfall', SMARTTHINGS_ID, { focusSpanId: FINALIZE_SPAN_ID });
    const selected = await waitForWebviewText('the detail of get authorize/finalize', (t) =>
      t.includes(`Span ID\n${FINALIZE_SPAN_ID}`),
    );
    const detail = detailPane(selected, 'get authorize/finalize');
    assert.match(detail, /^get authorize\/finalize\nstrongman\nserver\nUnset\nGo to Code\n/);
    assert.match(detail, /^Duration\n957ms$/m);
    assert.match(detail, /^Parent ID\nc72e2e52c3cdcb92$/m);
    assert.match(detail, /^ends 1\.08 s after its parent$/m, 'the span warns that it outlives its parent');
    assert.match(detail, /^http\.path\tauthorize\/finalize$/m);
    assert.match(detail, /^oauth\.client_id\t8f4dbe6d-9066-4d0e-99d0-XXXXXXXXXXXX$/m);
    // Importing showed the Traces view and "Imported 1 trace … with 85 warnings"; give the waterfall the window
    // for the rest of the suite, as someone reading a 1,000-span trace would.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await workbench.screenshot('waterfall-upstream');
  });

  it('draws the first rows of a generated 50,000-span trace', async () => {
    const trace = parseTraces(toOtlpJson(generateTrace(50_000, 7)))[0]!;
    assert.equal(trace.spans.length, 50_000);
    const root = trace.spans.find((s) => s.parentSpanId === undefined)!;

    const panel = await vscode.commands.executeCommand<WaterfallPanel>('traceLens.openWaterfall', trace);
    const rendered = await panel.whenRendered();
    assert.ok(rendered.rows > 0, 'the webview reported rows');

    const text = await waitForWebviewText('the large waterfall', (t) => t.includes('50,000 spans'), 20_000);
    const lines = text.split('\n');
    assert.ok(lines.includes(`${root.service}: ${root.name}`), 'the title names the root');
    assert.ok(lines.includes(root.name), `the first row (${root.name}) is drawn`);
    assert.ok(lines.includes(`${trace.services.length} services`));
    await workbench.screenshot('waterfall-large');
  });

  it('imports a generated 20,000-span file through the trace worker: rows first, then the detail of a span', async () => {
    // Over 2 MB, so read in the trace worker, the waterfall opened from the encoded rows before the spans arrive.
    const doc = toOtlpJson(generateTrace(20_000, 13));
    const trace = parseTraces(doc)[0]!;
    const root = trace.spans.find((s) => s.parentSpanId === undefined)!;
    const leaf = trace.spans.find((s) => s.parentSpanId !== undefined && s.name !== root.name)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-import-'));
    const file = path.join(dir, 'generated-20k.json');
    fs.writeFileSync(file, doc);
    assert.ok(fs.statSync(file).size > 2 * 1024 * 1024, 'the file is large enough for the worker');
    try {
      await vscode.commands.executeCommand('traceLens.importTraceFile', vscode.Uri.file(file));
      // the header can show before the frame that draws the rows: wait for both
      const text = await waitForWebviewText(
        `the imported waterfall with its first row (${root.name})`,
        (t) => t.includes('20,000 spans') && t.split('\n').includes(root.name),
        30_000,
      );
      assert.ok(text.split('\n').includes(root.name), `the first row (${root.name}) is drawn`);
      await vscode.commands.executeCommand('traceLens.openWaterfall', trace.traceId, { focusSpanId: leaf.spanId });
      const selected = await waitForWebviewText('the detail of a span', (t) => t.includes(`Span ID\n${leaf.spanId}`), 30_000);
      assert.match(detailPane(selected, leaf.name), new RegExp(`^${leaf.service}$`, 'm'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes to the code of a span named in code (charge card → src/payments.js)', async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) this.skip();
    const trace = buildTrace('5b8efff798038103d269b633813fc60d', [
      { spanId: 'a1a1a1a1a1a1a1a1', name: 'POST /charge', service: 'payments', kind: 'server', offsetUs: 0, durationUs: 48_000 },
      {
        spanId: 'b2b2b2b2b2b2b2b2',
        parentSpanId: 'a1a1a1a1a1a1a1a1',
        name: 'charge card',
        service: 'payments',
        offsetUs: 2_000,
        durationUs: 41_500,
      },
    ]);
    const payments = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src/payments.js'));
    const startLine = lineContaining(payments, "tracer.startActiveSpan('charge card'");

    const panel = await vscode.commands.executeCommand<WaterfallPanel>('traceLens.openWaterfall', trace, {
      focusSpanId: 'b2b2b2b2b2b2b2b2',
    });
    const text = await waitForWebviewText('the detail of charge card', (t) => t.includes('Span ID\nb2b2b2b2b2b2b2b2'));
    const detail = detailPane(text, 'charge card');
    assert.match(detail, /^Duration\n41\.5ms$/m);
    assert.match(
      detail,
      new RegExp(`^src/payments\\.js:${startLine + 1}\\n.*span name "charge card".*$`, 'm'),
      'the detail pane names the code it will open',
    );
    await workbench.screenshot('waterfall-go-to-code-detail');

    // The extension host cannot click inside the webview's iframe. Pressing the button (or G) makes the
    // webview post { type: 'goToCode', row }; the panel hands every message it receives to its session, so
    // the test hands it the same message. Rows are the spans in tree order.
    const row = encodeTrace(trace).spanOfRow.indexOf(1);
    await panel.session.handle({ type: 'goToCode', row });

    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(vscode.workspace.asRelativePath(editor.document.uri, false), 'src/payments.js');
    assert.equal(editor.selection.start.line, startLine);
    await workbench.screenshot('waterfall-go-to-code');
  });

  it('shows markup in attribute values as text', async () => {
    const img = '<img src=x onerror="document.body.dataset.pwned=1">';
    const script = '<script>document.body.dataset.pwned=2</script>';
    const trace = buildTrace('deadbeefdeadbeefdeadbeefdeadbeee', [
      {
        spanId: 'c3c3c3c3c3c3c3c3',
        name: '<b>render</b> profile',
        service: 'web',
        offsetUs: 0,
        durationUs: 5_000,
        attributes: { 'user.bio': img, 'http.user_agent': script },
      },
    ]);
    await vscode.commands.executeCommand('traceLens.openWaterfall', trace, { focusSpanId: 'c3c3c3c3c3c3c3c3' });

    const text = await waitForWebviewText('the detail of the hostile span', (t) => t.includes('Span ID\nc3c3c3c3c3c3c3c3'));
    const lines = text.split('\n');
    assert.ok(lines.includes('web: <b>render</b> profile'), 'the title shows the name as text');
    const detail = detailPane(text, '<b>render</b> profile');
    assert.ok(detail.split('\n').includes(`user.bio\t${img}`), detail);
    assert.ok(detail.split('\n').includes(`http.user_agent\t${script}`), detail);
    await workbench.screenshot('waterfall-hostile');
  });
});

function lineContaining(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i;
  return assert.fail(`${doc.uri.path} has no line with ${text}`);
}
