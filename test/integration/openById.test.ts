import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeBackend, type FakeBackend } from '../fakes/fakeBackend';
import { CHECKOUT_ID, HEALTH_ID, forgetBackends, otlpTraces, useBackend, waitFor, webviewTabs } from './explorerFixtures';
import { Selectors, workbench } from './workbench';

describe('Open Trace by ID…', () => {
  let fake: FakeBackend;

  before(async () => {
    fake = await startFakeBackend('jaeger-v3', { withoutFixtures: true, documents: [otlpTraces(Date.now() - 270_000)] });
    await useBackend('Fake Jaeger v3', 'jaeger', fake.url);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    await forgetBackends();
    await fake.close();
  });

  it('opens a trace from a pasted Jaeger UI link', async () => {
    await vscode.commands.executeCommand(
      'traceLens.openTraceById',
      `http://jaeger.example:16686/trace/${CHECKOUT_ID}?uiFind=eee19b7ec3c1b176`,
    );
    await waitFor('the waterfall of GET /checkout', () => webviewTabs().some((t) => t.includes('GET /checkout')));
    assert.equal(fake.requestsTo(`/api/v3/traces/${CHECKOUT_ID}`).length, 1);
  });

  it('opens a 64-bit id given as base64', async () => {
    const low = HEALTH_ID.slice(16);
    const base64 = Buffer.from(low, 'hex').toString('base64');
    // The fake holds the 128-bit id, so the padded 64-bit one is not found: what matters is what was asked.
    await vscode.commands.executeCommand('traceLens.openTraceById', base64);
    await waitFor('the request for the padded id', () => fake.requestsTo(`/api/v3/traces/${low.padStart(32, '0')}`).length === 1);
  });

  it("says what is wrong with a value that is no trace id, and shows the backend's message when a trace is missing", async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.openTraceById', 'hello world');
    await workbench.waitForTexts(
      Selectors.notifications,
      (texts) => texts.some((t) => t.startsWith("'hello world' is not a trace id")),
      {
        what: 'the explanation',
      },
    );

    // VS Code stops toasting notifications that arrive more than three in 800 ms: start the second part afresh.
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((r) => setTimeout(r, 1000));
    const missing = 'ffffffffffffffffffffffffffffffff';
    await vscode.commands.executeCommand('traceLens.openTraceById', missing);
    // The progress notification names the id too; wait for the outcome.
    const texts = await workbench.waitForTexts(
      Selectors.notifications,
      (texts) => texts.some((t) => t.includes(missing) && /not found/.test(t)),
      {
        what: 'the not-found message',
      },
    );
    const message = texts.find((t) => t.includes(missing) && /not found/.test(t));
    assert.match(message ?? '', /Jaeger at http:\/\/127\.0\.0\.1:\d+ /);
    const buttons = await workbench.waitForTexts(Selectors.notificationButtons, (texts) => texts.includes('Retry'), {
      what: 'the actions',
    });
    // another backend may hold the trace; no setting makes this one have it
    assert.deepEqual(buttons, ['Retry', 'Select Backend…']);
    await workbench.screenshot('open-by-id-not-found');
  });
});
