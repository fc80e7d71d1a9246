import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createBackend } from '../../src/core/backends/createBackend';
import { startFakeBackend, type FakeBackend } from '../fakes/fakeBackend';
import { Selectors, workbench } from './workbench';

const STATUS_BAR = '.statusbar-item[id$="traceLens.backend"]';
const TRACES_VIEW = Selectors.view('traceLens', 'Traces');
const SECRET = 'tl-host-test-token-7f3a9c';

describe('Trace backends', () => {
  let jaeger: FakeBackend;
  let secured: FakeBackend;

  before(async () => {
    jaeger = await startFakeBackend('jaeger-v1', { withoutFixtures: true, documents: [jaegerTrace()] });
    secured = await startFakeBackend('jaeger-v1', {
      withoutFixtures: true,
      documents: [jaegerTrace()],
      requireHeader: { name: 'authorization', value: `Bearer ${SECRET}` },
    });
  });

  afterEach(() => vscode.commands.executeCommand('notifications.clearAll'));

  after(async () => {
    for (const name of ['Team Jaeger', 'Secured Jaeger', 'Down'])
      await vscode.commands.executeCommand('traceLens.removeBackend', name);
    await vscode.commands.executeCommand('traceLens.selectBackend', 'none');
    await Promise.all([jaeger.close(), secured.close()]);
  });

  it('offers Use Local Receiver and Add Backend… while there is nothing to show', async function () {
    workbench.require(this);
    await workbench.show('workbench.view.extension.traceLens', TRACES_VIEW);
    const [welcome] = await workbench.waitForTexts(Selectors.welcome(TRACES_VIEW), (texts) => texts.length > 0, {
      what: 'the Traces welcome',
    });
    assert.match(welcome ?? '', /Import Trace File…/);
    assert.match(welcome ?? '', /Use Local Receiver/);
    assert.match(welcome ?? '', /Add Backend…/);
    await workbench.screenshot('backends-welcome');
  });

  it('adds a Jaeger backend, makes it active, and Test Backend Connection reports its services', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.addBackend', {
      type: 'jaeger',
      url: jaeger.url,
      name: 'Team Jaeger',
      auth: 'none',
    });
    await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes('Team Jaeger ✓')), {
      what: 'the active backend in the status bar',
    });
    await vscode.commands.executeCommand('notifications.clearAll');

    await vscode.commands.executeCommand('traceLens.testBackend');
    const texts = await workbench.waitForTexts(Selectors.notifications, (all) => all.some((t) => t.startsWith('Jaeger at')), {
      what: 'the test result',
    });
    assert.equal(
      texts.find((t) => t.startsWith('Jaeger at')),
      `Jaeger at ${jaeger.url} ✓ 2 services`,
    );
    await workbench.screenshot('backends-status-bar');
  });

  it('selects a configured backend by name and shows a refused connection with the typed error and its actions', async function () {
    workbench.require(this);
    const url = `http://127.0.0.1:${await closedPort()}`;
    const entries = vscode.workspace.getConfiguration('traceLens').inspect<unknown[]>('backends')?.globalValue ?? [];
    await vscode.workspace
      .getConfiguration('traceLens')
      .update('backends', [...entries, { name: 'Down', type: 'jaeger', url }], vscode.ConfigurationTarget.Global);
    const expected = await refusalMessage(url);

    void vscode.commands.executeCommand('traceLens.selectBackend', 'Down');
    const [message] = await workbench.waitForTexts(Selectors.notifications, (texts) => texts.some((t) => t.includes('refused')), {
      what: 'the refused-connection error',
    });
    assert.equal(message, expected);
    const buttons = await workbench.waitForTexts(Selectors.notificationButtons, (texts) => texts.includes('Retry'), {
      what: 'the actions',
    });
    assert.deepEqual(buttons.slice(0, 3), ['Retry', 'Select Backend…', 'Open Settings']);
    await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes('Down ✗')), { what: 'the failed health' });
    await workbench.screenshot('backends-refused');
  });

  it('keeps a bearer token in the secret store: it reaches the backend and never a settings file', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.addBackend', {
      type: 'jaeger',
      url: secured.url,
      name: 'Secured Jaeger',
      auth: 'bearer',
      secret: SECRET,
    });
    await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes('Secured Jaeger ✓')), {
      what: 'the secured backend, healthy',
    });
    assert.ok(
      secured.requests.some((r) => r.headers.authorization === `Bearer ${SECRET}`),
      'the token was sent',
    );

    const userSettings = path.resolve(os.tmpdir(), '../user-data/User/settings.json');
    assert.ok(fs.existsSync(userSettings), `user settings at ${userSettings}`);
    const text = fs.readFileSync(userSettings, 'utf8');
    assert.match(text, /"Secured Jaeger"/);
    assert.match(text, /"kind": "bearer"/);
    assert.ok(!text.includes(SECRET), 'the token is not in user settings');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const workspaceSettings = folder ? path.join(folder, '.vscode/settings.json') : undefined;
    if (workspaceSettings && fs.existsSync(workspaceSettings)) {
      assert.ok(!fs.readFileSync(workspaceSettings, 'utf8').includes(SECRET), 'the token is not in workspace settings');
    }
  });
});

/** What the core's client says when nothing listens at `url`: the message the user must see. */
async function refusalMessage(url: string): Promise<string> {
  const backend = createBackend({ type: 'jaeger', url });
  try {
    await backend.listServices();
  } catch (e) {
    return (e as Error).message;
  } finally {
    await backend.dispose?.();
  }
  return assert.fail(`expected ${url} to refuse`);
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One Jaeger trace over two services. */
function jaegerTrace(): unknown {
  const traceID = '5b8efff798038103d269b633813fc60c';
  const start = 1_700_000_000_000_000; // epoch µs
  return {
    traceID,
    spans: [
      {
        traceID,
        spanID: 'eee19b7ec3c1b174',
        operationName: 'GET /checkout',
        references: [],
        startTime: start,
        duration: 1250,
        tags: [],
        processID: 'p1',
      },
      {
        traceID,
        spanID: 'eee19b7ec3c1b175',
        operationName: 'PlaceOrder',
        references: [{ refType: 'CHILD_OF', traceID, spanID: 'eee19b7ec3c1b174' }],
        startTime: start + 10,
        duration: 1200,
        tags: [],
        processID: 'p2',
      },
    ],
    processes: { p1: { serviceName: 'frontend', tags: [] }, p2: { serviceName: 'checkout', tags: [] } },
  };
}
