import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TraceFormatError } from '../../src/core/formats/errors';
import { parseTraces } from '../../src/core/formats/parse';
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

  it('lists imported traces newest first, with duration, span count and errors', async function () {
    workbench.require(this);
    const file = path.join(dir, 'checkout.json');
    fs.writeFileSync(file, JSON.stringify(otlpDocument()));
    await vscode.commands.executeCommand('traceLens.importTraceFile', vscode.Uri.file(file));

    const labels = await workbench.waitForTexts(Selectors.rowLabels(TRACES_VIEW), (texts) => texts.length === 2, {
      what: 'the imported traces',
    });
    assert.deepEqual(labels, ['GET /checkout', 'GET /health']);
    assert.deepEqual(await workbench.texts(Selectors.rowDescriptions(TRACES_VIEW)), [
      '1.25 s · 4 spans · 1 error',
      '3 ms · 1 span',
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
    assert.equal((await workbench.texts(Selectors.rows(TRACES_VIEW))).length, 2, 'the imported traces stay');
    await workbench.screenshot('traces-import-error');
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
