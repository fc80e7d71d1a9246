// trace-lens-mcp driven over stdio by the official SDK's own client, as Claude Code, Cursor or Copilot CLI would.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startFakeBackend, refusedUrl, type FakeBackend } from '../../fakes/fakeBackend';
import { PROJECT_ROOT } from '../fixtures';
import { CHECKOUT_TRACE, SAMPLE_WORKSPACE } from '../core/agentTools/agentFixtures';

const MAIN = path.join(PROJECT_ROOT, 'src/mcp/main.ts');
const CHECKOUT_FILE = path.join(SAMPLE_WORKSPACE, 'traces/checkout.otlp.json');

/** The server from source (tsx), as `node dist/mcp.js` runs the same code bundled. */
async function connect(args: string[], env: Record<string, string> = {}): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', MAIN, ...args],
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'trace-lens-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as { type: string; text: string }[];
  assert.equal(content[0]?.type, 'text');
  return content[0]!.text;
}

describe('trace-lens-mcp over stdio', function () {
  this.timeout(60_000);

  describe('with a trace file and a workspace', () => {
    let client: Client;
    before(async () => {
      ({ client } = await connect(['--file', CHECKOUT_FILE, '--workspace', SAMPLE_WORKSPACE]));
    });
    after(() => client.close());

    it('lists the five read-only tools with their input schemas', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ['search_traces', 'get_trace', 'code_latency', 'locate_span', 'list_services'],
      );
      for (const tool of tools) assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      const getTrace = tools.find((t) => t.name === 'get_trace')!;
      assert.deepEqual(getTrace.inputSchema.required, ['traceId']);
      assert.equal((getTrace.inputSchema.properties as Record<string, { type: string }>).maxChars?.type, 'integer');
    });

    it('answers each tool from the file, with code locations from the workspace', async () => {
      const search = text(await client.callTool({ name: 'search_traces', arguments: { query: 'error' } }));
      assert.match(search, new RegExp(`^${CHECKOUT_TRACE} \\| "checkout" \\| "GET /checkout"`, 'm'));
      const trace = text(await client.callTool({ name: 'get_trace', arguments: { traceId: CHECKOUT_TRACE } }));
      assert.match(trace, /status "402 Payment Required" → src\/orders\.js:13 "charge"/);
      const located = text(
        await client.callTool({ name: 'locate_span', arguments: { traceId: CHECKOUT_TRACE, spanId: 'eee19b7ec3c1b176' } }),
      );
      assert.match(located, /1\. src\/orders\.js:8 "selectOrders" · confidence/);
      const latency = text(await client.callTool({ name: 'code_latency', arguments: { file: 'src/orders.js' } }));
      assert.match(latency, /^"charge" \(src\/orders\.js, spans started at line 13\)/m);
      const services = text(await client.callTool({ name: 'list_services', arguments: {} }));
      assert.match(services, /^"checkout": 4 operations: /m);
    });

    it('answers bad arguments with a tool error that names the argument', async () => {
      const result = await client.callTool({ name: 'get_trace', arguments: { traceId: 42 } });
      assert.equal(result.isError, true);
      assert.match(text(result), /Invalid arguments for tool get_trace: .*expected string, received number at traceId/);
      const unknown = await client.callTool({ name: 'search_traces', arguments: { qurey: 'x' } });
      assert.equal(unknown.isError, true);
      assert.match(text(unknown), /Unrecognized key: "qurey"/);
      const notFound = await client.callTool({ name: 'get_trace', arguments: { traceId: 'feedbeef' } });
      assert.equal(notFound.isError, true);
      assert.match(text(notFound), /^Error \(notFound\): Trace feedbeef is not in the local receiver's store\./);
    });
  });

  describe('with backends that fail', () => {
    let fake: FakeBackend | undefined;
    afterEach(() => fake?.close());

    it('reports a backend that refuses connections at once, in the words the UI uses', async () => {
      const { client } = await connect(['--backend', `jaeger=${await refusedUrl()}`]);
      const started = Date.now();
      const result = await client.callTool({ name: 'search_traces', arguments: { query: 'service:checkout' } });
      assert.equal(result.isError, true);
      assert.match(text(result), /^Error \(unreachable\): Jaeger at http:\/\/127\.0\.0\.1:\d+ refused the connection/);
      assert.ok(Date.now() - started < 10_000);
      await client.close();
    });

    it('gives up on a backend that never answers after --timeout, with an error', async () => {
      fake = await startFakeBackend('jaeger-v1', { withoutFixtures: true });
      fake.inject({ kind: 'hang' });
      const { client } = await connect(['--backend', `jaeger=${fake.url}`, '--timeout', '2']);
      const started = Date.now();
      const result = await client.callTool({ name: 'list_services', arguments: {} });
      assert.equal(result.isError, true);
      assert.match(text(result), /^Error \(timeout\): /);
      assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
      await client.close();
    });
  });

  it('exits 2 with the usage when its arguments cannot work', () => {
    const run = cp.spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--backend', 'elastic=http://x'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--backend wants <type>=<url> with type jaeger, tempo or zipkin/);
    assert.match(run.stderr, /Usage: trace-lens-mcp/);
  });
});
