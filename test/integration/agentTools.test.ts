// Host test of the language model tools: called through vscode.lm.invokeTool, as a chat agent calls them, against
// the local receiver fed by the real OpenTelemetry SDK (as the demo app feeds it) and fake Jaeger backends.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as vscode from 'vscode';
import { refusedUrl, startFakeBackend, type FakeBackend } from '../fakes/fakeBackend';
import { CHECKOUT_ID, forgetBackends, jaegerTraces, waitFor } from './explorerFixtures';

const TOOLS = ['search_traces', 'get_trace', 'code_latency', 'locate_span', 'list_services'].map((n) => `traceLens_${n}`);

async function invoke(tool: string, input: object): Promise<string> {
  const token = new vscode.CancellationTokenSource().token;
  const result = await vscode.lm.invokeTool(`traceLens_${tool}`, { input, toolInvocationToken: undefined }, token);
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

async function invokeFails(tool: string, input: object): Promise<string> {
  try {
    await invoke(tool, input);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  assert.fail(`${tool} did not fail`);
}

describe('Language model tools', () => {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const receiver = () => vscode.workspace.getConfiguration('traceLens.receiver');
  let ids: { traceId: string; chargeSpanId: string };
  let fake: FakeBackend | undefined;

  before(async function () {
    if (!folder) this.skip();
    const port = await freePort();
    await receiver().update('port', port, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('traceLens.useLocalReceiver');
    await vscode.commands.executeCommand('notifications.clearAll');
    ids = await sendCheckout(port);
  });

  after(async () => {
    await fake?.close();
    await forgetBackends();
    await vscode.commands.executeCommand('traceLens.clearLocalTraces');
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    await vscode.commands.executeCommand('traceLens.selectBackend', 'none');
    await receiver().update('port', undefined, vscode.ConfigurationTarget.Global);
  });

  it('are registered with their input schemas', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('traceLens_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), [...TOOLS].sort());
    const getTrace = ours.find((t) => t.name === 'traceLens_get_trace')!;
    assert.deepEqual((getTrace.inputSchema as { required: string[] }).required, ['traceId']);
  });

  it('search_traces lists the trace the app sent, naming the local receiver and the window', async () => {
    const text = await waitFor('the checkout trace in search_traces', async () => {
      const t = await invoke('search_traces', { query: 'service:checkout error' });
      return t.includes(ids.traceId) ? t : undefined;
    });
    assert.match(text, /^Source: the local receiver's store \(http:\/\/127\.0\.0\.1:\d+\)/m);
    assert.match(text, /^Window: everything the store holds \(\d+ traces? with \d+ spans held now\)/m);
    assert.match(text, new RegExp(`^${ids.traceId} \\| "checkout" \\| "POST /api/checkout" \\| .* \\| 3 \\| 1$`, 'm'));
  });

  it('get_trace on the failing trace names the file and line that threw', async () => {
    const text = await invoke('get_trace', { traceId: ids.traceId });
    assert.match(text, /errors \(1 span; 1 where the error started, listed first\):/);
    assert.match(
      text,
      /"charge" at \+[\d.]+ ms, [\d.]+ ms status "card declined \(402\)" exception "Error": "card declined \(402\)" → src\/orders\.js:15/,
    );
  });

  it('locate_span gives the line with its evidence', async () => {
    const text = await invoke('locate_span', { traceId: ids.traceId, spanId: ids.chargeSpanId });
    assert.match(text, /^ {2}1\. src\/orders\.js:15 "charge" · confidence [\d.]+ · "stack frame 1 of exception event \(Error\)/m);
    assert.match(text, /^ {2}- stack trace: "1 stack trace\(s\)" → mapped/m);
  });

  it('list_services and code_latency answer from the same data the views show', async () => {
    assert.match(
      await invoke('list_services', {}),
      /^"checkout": 3 operations: "POST \/api\/checkout", "charge", "placeOrder"$/m,
    );
    const latency = await waitFor('figures of placeOrder', async () => {
      const t = await invoke('code_latency', { file: 'src/orders.js' });
      return t.includes('"placeOrder"') ? t : undefined;
    });
    assert.match(latency, /^"placeOrder" \(src\/orders\.js, spans started at line 2\); figures from the stored spans/m);
    assert.match(latency, /^ {2}p50 [\d.]+ ms · .* · 1 call \(1\/min\) · 0 errors \(0%\)/m);
  });

  it('reads a configured Jaeger by name, and reports a dead one with the UI message', async () => {
    fake = await startFakeBackend('jaeger-v1', { withoutFixtures: true, documents: jaegerTraces(Date.now() - 5 * 60_000) });
    const dead = await refusedUrl();
    await vscode.workspace.getConfiguration('traceLens').update(
      'backends',
      [
        { name: 'Fake Jaeger', type: 'jaeger', url: fake.url },
        { name: 'Dead Jaeger', type: 'jaeger', url: dead },
      ],
      vscode.ConfigurationTarget.Global,
    );
    let last = '';
    const text = await waitFor('the named backend', async () => {
      const t = await invoke('search_traces', { source: 'Fake Jaeger', query: 'service:frontend' }).catch((e: unknown) => {
        last = e instanceof Error ? e.message : String(e);
        return undefined;
      });
      if (t !== undefined) last = t;
      return t?.includes(CHECKOUT_ID) ? t : undefined;
    }).catch((e: unknown) => assert.fail(`${String(e)}; last answer: ${last}`));
    assert.match(
      text,
      new RegExp(`^Source: Jaeger at ${fake.url.replace(/[.]/g, '\\.')} \\(remote backend "Fake Jaeger"\\)`, 'm'),
    );
    assert.match(text, /^Window: traces that started from .* \(the last 1 h\)/m);
    const failure = await invokeFails('list_services', { source: 'Dead Jaeger' });
    assert.match(failure, /Error \(unreachable\): Jaeger at http:\/\/127\.0\.0\.1:\d+ refused the connection/);
  });

  it('refuses bad arguments with a message naming them', async () => {
    const failure = await invokeFails('get_trace', { trace_id: 'x' });
    assert.match(
      failure,
      /Invalid arguments for get_trace: traceId: is required; unknown argument "trace_id" \(did you mean traceId\?\)/,
    );
  });
});

/** POST /api/checkout → placeOrder → charge, which throws; the exception's stack is the only code evidence on charge. */
async function sendCheckout(port: number): Promise<{ traceId: string; chargeSpanId: string }> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'telemetry.sdk.language': 'nodejs' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` }))],
  });
  const tracer = provider.getTracer('agent-host-test');
  const t0 = Date.now() - 30_000;
  const root = tracer.startSpan('POST /api/checkout', { startTime: t0, kind: 1 });
  const rootCtx = trace.setSpan(context.active(), root);
  const place = tracer.startSpan(
    'placeOrder',
    {
      startTime: t0 + 2,
      attributes: { 'code.file.path': '/app/src/orders.js', 'code.function.name': 'placeOrder', 'code.line.number': 2 },
    },
    rootCtx,
  );
  const charge = tracer.startSpan('charge', { startTime: t0 + 5 }, trace.setSpan(rootCtx, place));
  charge.recordException(
    {
      name: 'Error',
      message: 'card declined (402)',
      stack:
        'Error: card declined (402)\n    at charge (/app/src/orders.js:15:22)\n    at async placeOrder (/app/src/orders.js:4:3)',
    },
    t0 + 40,
  );
  charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined (402)' });
  charge.end(t0 + 40);
  place.end(t0 + 41);
  root.end(t0 + 45);
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: charge.spanContext().traceId, chargeSpanId: charge.spanContext().spanId };
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
