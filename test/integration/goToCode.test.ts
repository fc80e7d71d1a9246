import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { setAttribute } from '../../src/core/model/attributes';
import type { AttributeValue, Attributes, Span, SpanKind, Trace } from '../../src/core/model/types';
import { Selectors, workbench } from './workbench';

const EXPLANATION_SCHEME = 'trace-lens-explanation';
const QUICK_PICK_ROWS = '.quick-input-widget .monaco-list-row';

describe('Go to Code', () => {
  const folder = vscode.workspace.workspaceFolders?.[0];

  before(async function () {
    if (!folder) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('opens the line a container path names (code.file.path /app/src/orders.js:13)', async () => {
    const trace = traceOf([
      span('charge', 'internal', {
        'code.file.path': '/app/src/orders.js',
        'code.line.number': 13,
        'code.function.name': 'charge',
      }),
    ]);
    await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 });

    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(vscode.workspace.asRelativePath(editor.document.uri, false), 'src/orders.js');
    assert.equal(editor.selection.start.line, 12, 'line 13 of the trace is line 12 of VS Code');
    assert.equal(editor.document.getText(editor.selection), 'async function charge(amountCents) {');
  });

  it('shows a long line from its start, with the cursor there, not scrolled sideways to its end', async function () {
    const trace = traceOf([span('fetch', 'client', { 'code.file.path': '/app/src/orders.js', 'code.line.number': 14 })]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(editor.selection.active.line, 13);
    assert.equal(editor.selection.active.character, 2, 'the cursor at the first character of the line');
    assert.match(editor.document.getText(editor.selection), /^const res = await fetch\(.*\);$/, 'the line is selected');
    if (!workbench.available) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [lines] = await workbench.html('.editor-instance .monaco-editor .lines-content');
    assert.match(lines ?? '', /left: -?0px/, `not scrolled sideways: ${(lines ?? '').slice(0, 300)}`);
    await workbench.screenshot('go-to-code-long-line');
  });

  it('finds a span that carries only its name, by the startActiveSpan call that names it', async () => {
    const trace = traceOf([span('GET /checkout', 'server', {}), span('charge card', 'internal', {}, '00f067aa0ba902b7')]);
    const payments = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder!.uri, 'src/payments.js'));
    const expected = lineContaining(payments, "tracer.startActiveSpan('charge card'");

    await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 1 });

    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(vscode.workspace.asRelativePath(editor.document.uri, false), 'src/payments.js');
    assert.equal(editor.selection.start.line, expected);
    assert.match(editor.document.getText(editor.selection), /^return tracer\.startActiveSpan\('charge card'/);
    if (workbench.available) await workbench.screenshot('go-to-code');
  });

  it('lets the person choose between close candidates, showing why each is one', async function () {
    workbench.require(this);
    const trace = traceOf([span('charge card', 'internal', { 'code.file.path': '/app/src/orders.js', 'code.line.number': 13 })]);
    const going = vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 });

    const rows = await workbench.waitForTexts(QUICK_PICK_ROWS, (t) => t.length === 2, { what: 'the candidates' });
    assert.match(rows[0]!, /orders\.js:13[\s\S]*code\.file\.path \/app\/src\/orders\.js:13 → src\/orders\.js/);
    assert.match(rows[1]!, /payments\.js:19[\s\S]*span name "charge card" matches startActiveSpan in src\/payments\.js:19/);
    await workbench.screenshot('go-to-code-candidates');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await going;

    const editor = vscode.window.activeTextEditor;
    assert.equal(editor && vscode.workspace.asRelativePath(editor.document.uri, false), 'src/payments.js');
    assert.equal(editor?.selection.start.line, 18);
  });

  it('warns when the span ran a revision this clone does not have', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('notifications.clearAll');
    const recorded = span('charge', 'internal', { 'code.file.path': '/app/src/orders.js', 'code.line.number': 13 });
    const trace = traceOf([
      { ...recorded, resource: attributes({ 'service.name': 'checkout', 'vcs.ref.head.revision': 'abcdef1234567890' }) },
    ]);
    await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 });

    assert.equal(vscode.window.activeTextEditor?.selection.start.line, 12, 'the recorded line is still where it goes');
    const texts = await workbench.waitForTexts(Selectors.notifications, (t) => t.some((m) => m.includes('recorded at abcdef1')), {
      what: 'the revision warning',
    });
    assert.ok(
      texts.some((m) =>
        /^Span "charge" was recorded at abcdef1, you are at [0-9a-f]{7} \(not in this clone\): the line may have moved\.$/.test(
          m,
        ),
      ),
      JSON.stringify(texts),
    );
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('says when nothing credible maps a span, and explains which evidence was tried', async function () {
    this.timeout(60_000); // the Markdown preview's first use activates its extension, which is slow headless
    const trace = traceOf([
      span('reconcile ledger', 'internal', { 'code.file.path': '/app/lib/billing.py', 'code.line.number': 40 }),
    ]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 });

    assert.equal(vscode.window.activeTextEditor, undefined, 'no file should open');
    if (workbench.available) {
      await workbench.waitForTexts(
        Selectors.notifications,
        (t) => t.includes('No source location for span "reconcile ledger".'),
        {
          what: 'the "no source location" notification',
        },
      );
      await workbench.waitForTexts(Selectors.notificationButtons, (t) => t.includes('Why?'), { what: 'the Why? button' });
    }

    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('traceLens.explainSpan', { trace, spanIndex: 0 });

    assert.equal(uri?.scheme, EXPLANATION_SCHEME, 'explainSpan returns the URI of its report');
    const report = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(report, /^# Code location of span `reconcile ledger`$/m);
    assert.match(report, /\*\*Not mapped\.\*\*/);
    assert.match(
      report,
      /✘ \*\*code attributes\*\*: `code\.file\.path \/app\/lib\/billing\.py` → not found\s+no workspace file has this path or ends like it/,
    );
    assert.match(
      // as read: trace data and the details that quote it are backslash-escaped in the Markdown
      report.replace(/\\([!-/:-@[-`{-~])/g, '$1'),
      /✘ \*\*span name\*\*: `span name "reconcile ledger"` → not found\s+no span-start call in the workspace gives this name/,
    );
    assert.match(report, /`"\/app": "\$\{workspaceFolder\}"`/, 'suggests the path mapping that would fix it');

    if (workbench.available) {
      const deadline = Date.now() + 30_000;
      let rendered: string | undefined;
      while (rendered === undefined && Date.now() < deadline) {
        rendered = (await workbench.webviewTexts()).find((t) => t.includes('Evidence tried'));
        if (rendered === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(rendered, 'the report did not render in the Markdown preview');
      assert.match(rendered, /code\.file\.path \/app\/lib\/billing\.py → not found/);
      await workbench.screenshot('explain-span');
    }
  });
});

describe('Workspace index', () => {
  const folder = vscode.workspace.workspaceFolders?.[0];

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('follows files created and deleted while VS Code is open', async function () {
    if (!folder) this.skip();
    this.timeout(60_000);
    const file = vscode.Uri.joinPath(folder.uri, 'src/audit.js');
    const trace = traceOf([span('audit trail', 'internal', {})]);
    const opensAudit = async (): Promise<boolean> => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 });
      await vscode.commands.executeCommand('notifications.clearAll');
      return vscode.window.activeTextEditor?.document.uri.path === file.path;
    };
    await vscode.commands.executeCommand('traceLens.goToCode', { trace, spanIndex: 0 }); // builds the index first
    try {
      const source =
        "const tracer = require('@opentelemetry/api').trace.getTracer('audit');\n\nfunction audit() {\n  return tracer.startActiveSpan('audit trail', (span) => span.end());\n}\n";
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(source));
      assert.ok(await eventually(opensAudit), 'a span-start call in a new file was not found');
      assert.equal(vscode.window.activeTextEditor?.selection.start.line, 3);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
    assert.ok(await eventually(async () => !(await opensAudit())), 'a deleted file is still offered');
  });
});

/** Polls `check` for up to 15 s (file events are debounced and reach the extension host asynchronously). */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function lineContaining(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i;
  return assert.fail(`${doc.uri.path} has no line with ${text}`);
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const START_US = 1_700_000_000_000_000;

function attributes(entries: Record<string, AttributeValue>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(entries)) setAttribute(out, k, v);
  return out;
}

function span(name: string, kind: SpanKind, attrs: Record<string, AttributeValue>, spanId = '00f067aa0ba902b6'): Span {
  return {
    traceId: TRACE_ID,
    spanId,
    name,
    service: 'checkout',
    kind,
    startUs: START_US,
    durationUs: 1_000,
    status: { code: 'unset' },
    attributes: attributes(attrs),
    resource: attributes({ 'service.name': 'checkout', 'telemetry.sdk.language': 'nodejs' }),
    events: [],
    links: [],
  };
}

function traceOf(spans: Span[]): Trace {
  return { traceId: TRACE_ID, spans, services: ['checkout'], startUs: START_US, durationUs: 1_000, warnings: [] };
}
