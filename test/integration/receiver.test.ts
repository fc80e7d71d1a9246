import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as vscode from 'vscode';
import { loadSnapshot } from '../../src/core/store/persistence';
import { TraceStore } from '../../src/core/store/traceStore';
import { Selectors, workbench } from './workbench';

/** The Trace Lens status bar item (VS Code gives it the id `<extension id>.<item id>`). */
const STATUS_BAR = '.statusbar-item[id$="traceLens.backend"]';

describe('Local receiver', () => {
  const config = () => vscode.workspace.getConfiguration('traceLens.receiver');
  let blocker: net.Server | undefined;

  before(async () => {
    await vscode.commands.executeCommand('traceLens.stopReceiver');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  after(async () => {
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    await vscode.commands.executeCommand('traceLens.selectBackend', 'none');
    await config().update('port', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Use Local Receiver starts it, shows the endpoint line, and the status bar counts the traces an app sends', async function () {
    workbench.require(this);
    const port = await freePort();
    await config().update('port', port, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('traceLens.useLocalReceiver');
    // Earlier suites may have left traces in the store's snapshot: Clear Local Traces empties it.
    await vscode.commands.executeCommand('traceLens.clearLocalTraces');

    const endpoint = `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}`;
    await workbench.waitForTexts(Selectors.notifications, (texts) => texts.some((t) => t.includes(endpoint)), {
      what: 'the endpoint line',
    });
    await workbench.waitForTexts(Selectors.notificationButtons, (texts) => texts.includes('Copy'), { what: 'the Copy button' });
    await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes(`Local :${port} · 0 traces`)), {
      what: 'the status bar item',
    });

    // A real app's exporter, in protobuf, as the OpenTelemetry SDK sends it.
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }))],
    });
    const tracer = provider.getTracer('host-test');
    for (const name of ['GET /cart', 'POST /checkout', 'GET /orders/:id']) {
      const root = tracer.startSpan(name);
      tracer.startSpan('SELECT orders', {}, trace.setSpan(context.active(), root)).end();
      root.end();
    }
    await provider.forceFlush();
    await provider.shutdown();

    const [text] = await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes('3 traces')), {
      what: 'the trace count in the status bar',
    });
    assert.match(text ?? '', new RegExp(`Local :${port} · 3 traces`));
    await workbench.screenshot('receiver-status-bar');

    await vscode.commands.executeCommand('traceLens.copyOtlpEndpoint');
    assert.equal(await vscode.env.clipboard.readText(), endpoint);
  });

  it('keeps its traces in the workspace storage when it stops, so that they survive a window reload', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    const workspaceStorage = path.resolve(os.tmpdir(), '../user-data/User/workspaceStorage');
    const snapshots = fs
      .readdirSync(workspaceStorage)
      .map((folder) => path.join(workspaceStorage, folder, 'trace-lens.trace-lens', 'receiver-store.json.gz'))
      .filter((file) => fs.existsSync(file));
    assert.equal(snapshots.length, 1, `one snapshot under ${workspaceStorage}`);
    const store = new TraceStore();
    const loaded = await loadSnapshot(store, snapshots[0]!);
    assert.equal(loaded.problem, undefined);
    assert.deepEqual(
      store
        .list()
        .map((t) => t.rootName)
        .sort(),
      ['GET /cart', 'GET /orders/:id', 'POST /checkout'],
    );
    await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes('Local (stopped)')), {
      what: 'the stopped receiver in the status bar',
    });
  });

  it('says when its port is taken and offers the next free one, without crashing', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    const port = await freePort();
    blocker = await occupy(port);
    await config().update('port', port, vscode.ConfigurationTarget.Global);
    void vscode.commands.executeCommand('traceLens.startReceiver');

    const [message] = await workbench.waitForTexts(
      Selectors.notifications,
      (texts) => texts.some((t) => t.includes(`Port ${port} is in use`)),
      { what: 'the port-in-use message' },
    );
    assert.match(
      message ?? '',
      new RegExp(
        `^Port ${port} is in use \\(another collector\\?\\), so the Trace Lens receiver could not start\\. Port (\\d+) is free`,
      ),
    );
    const suggested = Number(/Port (\d+) is free/.exec(message ?? '')?.[1]);
    assert.ok(suggested > port, `suggests a port after ${port}, not ${suggested}`);
    const buttons = await workbench.waitForTexts(Selectors.notificationButtons, (texts) => texts.includes(`Use ${suggested}`), {
      what: 'the Use <port> button',
    });
    assert.ok(buttons.includes('Select Backend…') && buttons.includes('Open Settings'), JSON.stringify(buttons));
    await workbench.screenshot('receiver-port-in-use');
    await workbench.waitForTexts(STATUS_BAR, (texts) => texts.some((t) => t.includes('Local (stopped)')), {
      what: 'the stopped receiver in the status bar',
    });
  });
});

/** A port nothing listens on just now, from the ephemeral range. */
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

/** Listens on `port` as another collector would. */
function occupy(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}
