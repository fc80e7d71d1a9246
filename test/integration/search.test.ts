import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeBackend, type FakeBackend } from '../fakes/fakeBackend';
import { CHECKOUT_ID, QuickInput, forgetBackends, otlpTraces, useBackend, waitFor, webviewTabs } from './explorerFixtures';
import { workbench } from './workbench';

describe('Search Traces…', () => {
  let fake: FakeBackend;

  before(async () => {
    fake = await startFakeBackend('jaeger-v3', { withoutFixtures: true, documents: [otlpTraces(Date.now() - 270_000)] });
    await useBackend('Fake Jaeger v3', 'jaeger', fake.url);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await forgetBackends();
    await fake.close();
  });

  it('runs the query, shows duration, span count and errors, and opens the chosen trace', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.searchTraces', 'service:payments error last:1h');
    const rows = await workbench.waitForTexts(QuickInput.rows, (texts) => texts.some((t) => t.includes('GET /checkout')), {
      what: 'the search results',
    });
    const hit = rows.find((t) => t.includes('GET /checkout')) ?? '';
    assert.match(hit, /frontend · 1\.25 s · 4 spans · 1 error/);
    assert.match(hit, new RegExp(`4 min ago · ${CHECKOUT_ID}`));
    assert.ok(!rows.some((t) => t.includes('GET /health')), 'the health check has no error: not a hit');
    // The Traces view lists recent traces from the same backend; the search is the request with a service.
    const request = fake.requestsTo('/api/v3/trace-summaries').find((r) => r.query['query.serviceName'] !== undefined);
    assert.deepEqual(request?.query['query.serviceName'], ['payments']);
    assert.deepEqual(request?.query['query.attributes'], ['{"error":"true"}']);
    await workbench.screenshot('search-results');

    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await waitFor('the waterfall of GET /checkout', () => webviewTabs().some((t) => t.includes('GET /checkout')));
    assert.equal(fake.requestsTo(`/api/v3/traces/${CHECKOUT_ID}`).length, 1, 'the chosen trace was fetched once');
  });

  it('explains an invalid query inline', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.searchTraces', 'service:frontend >200xs');
    const rows = await workbench.waitForTexts(QuickInput.rows, (texts) => texts.some((t) => t.includes('xs')), {
      what: 'the explanation',
    });
    assert.ok(
      rows.some((t) => t.includes("'>200xs': unknown unit 'xs'")),
      `rows: ${JSON.stringify(rows)}`,
    );
    await workbench.screenshot('search-invalid');
  });

  it("suggests the backend's services as you type", async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.searchTraces', 'service:wor');
    const rows = await workbench.waitForTexts(QuickInput.labels, (texts) => texts.includes('worker'), {
      what: 'the service suggestion',
    });
    assert.ok(!rows.includes('payments'), 'only services that match what was typed');
  });
});
