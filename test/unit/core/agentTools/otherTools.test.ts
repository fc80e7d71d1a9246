import * as assert from 'node:assert/strict';
import { runAgentTool } from '../../../../src/core/agentTools/runAgentTool';
import { remoteSource } from '../../../../src/core/agentTools/sources';
import { statsLatencyPort } from '../../../../src/core/agentTools/statsLatency';
import { createBackend } from '../../../../src/core/backends/createBackend';
import { locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { LatencyStats } from '../../../../src/core/stats/latencyStats';
import { LocationResolver, withoutErrorStacks } from '../../../../src/core/stats/locationResolver';
import { StoreStatsFeed } from '../../../../src/core/stats/storeStatsFeed';
import { refusedUrl } from '../../../fakes/fakeBackend';
import { CHECKOUT_TRACE, checkoutTraces, SAMPLE_WORKSPACE, sampleWorkspaceIndex, testContext } from './agentFixtures';

describe('agent tools', () => {
  describe('search_traces', () => {
    it('lists matching traces as a table with the source and the window searched', async () => {
      const ctx = testContext({ traces: checkoutTraces() });
      const { text, isError } = await runAgentTool(ctx, 'search_traces', { query: 'service:checkout error' });
      assert.equal(isError, false, text);
      assert.match(text, /^Source: trace file test\.json \(trace file "file"\)\.$/m);
      assert.match(
        text,
        /^Window: everything the store holds \(1 trace with 5 spans held now\)\. Query: service checkout · errors only · limit 20\.$/m,
      );
      assert.match(
        text,
        /^5b8efff798038103d269b633813fc60c \| "checkout" \| "GET \/checkout" \| 2023-11-14T22:13:20\.000Z \| 1\.25 s \| 5 \| 3$/m,
      );
    });

    it('searches the lookback asked for, and says so', async () => {
      const now = Date.parse('2023-11-14T23:00:00Z');
      const ctx = testContext({ traces: checkoutTraces(), now });
      const hour = await runAgentTool(ctx, 'search_traces', { lookback: '30m' });
      assert.match(
        hour.text,
        /^Window: traces that started from 2023-11-14T22:30:00\.000Z to 2023-11-14T23:00:00\.000Z \(the last 30 min\)/m,
      );
      assert.match(hour.text, /no trace matches/);
      const day = await runAgentTool(ctx, 'search_traces', { lookback: '1d' });
      assert.match(day.text, /^1 trace, newest first/m);
    });

    it('says what is wrong with a query, and that the local store runs no TraceQL', async () => {
      const ctx = testContext({ traces: checkoutTraces() });
      const bad = await runAgentTool(ctx, 'search_traces', { query: '>200xs' });
      assert.equal(bad.isError, true);
      assert.match(bad.text, /^Error \(invalidInput\): The query cannot be read: '>200xs': unknown unit 'xs'/);
      const traceQl = await runAgentTool(ctx, 'search_traces', { query: '{ duration > 1s }' });
      assert.match(traceQl.text, /^Error \(invalidQuery\): The local receiver does not run TraceQL/);
    });
  });

  it('refuses bad arguments with a message naming each problem and the arguments the tool takes', async () => {
    const ctx = testContext();
    const { text, isError } = await runAgentTool(ctx, 'get_trace', { trace_id: 'abc', maxChars: 'lots' });
    assert.equal(isError, true);
    assert.equal(
      text,
      'Error (invalidInput): Invalid arguments for get_trace: traceId: is required; maxChars: expected number, received string; ' +
        'unknown argument "trace_id" (did you mean traceId?). Its arguments: traceId, spanId, maxChars, source.',
    );
  });

  it('answers a dead backend with the UI message, not a hang', async function () {
    this.timeout(20_000);
    const url = await refusedUrl();
    const backend = createBackend({ type: 'jaeger', url, jaegerApi: 'v1', http: { retries: 0, totalTimeoutMs: 5000 } });
    const ctx = testContext({ sources: [remoteSource('jaeger', `Jaeger at ${url}`, backend)] });
    const started = Date.now();
    const { text, isError } = await runAgentTool(ctx, 'list_services', { source: 'jaeger' });
    assert.equal(isError, true);
    assert.match(text, /^Error \(unreachable\): .*refused/);
    // the connection's remedies include the URL, a setting: the agent is told how to configure a source here
    assert.ok(text.endsWith(' (test: configure a source)'), text);
    assert.ok(Date.now() - started < 5000);
    await backend.dispose?.();
  });

  it('list_services names the sources and each service with its operations', async () => {
    const { text } = await runAgentTool(testContext({ traces: checkoutTraces() }), 'list_services', {});
    assert.match(text, /^Sources: "file" \(trace file test\.json, active\)\.$/m);
    assert.match(text, /^"payments": 1 operation: "POST \/charge"$/m);
    const one = await runAgentTool(testContext({ traces: checkoutTraces() }), 'list_services', { service: 'nope' });
    assert.match(
      one.text,
      /^Error \(notFound\): trace file test\.json has no service "nope"; it has 2 services: "checkout", "payments"\.$/,
    );
  });

  describe('locate_span', () => {
    it('gives the match with its evidence', async () => {
      const ctx = testContext({ traces: checkoutTraces(), index: await sampleWorkspaceIndex() });
      const { text } = await runAgentTool(ctx, 'locate_span', { traceId: CHECKOUT_TRACE, spanId: 'eee19b7ec3c1b178' });
      assert.match(
        text,
        /^ {2}1\. src\/payments\.js:10 · confidence 0\.8 · "http\.route \/charge matches the express route POST \/charge/m,
      );
      assert.match(text, /^ {2}- http route: "http\.route \/charge" → mapped/m);
    });

    it('explains why nothing maps, and says when there is no workspace', async () => {
      const [trace] = checkoutTraces();
      const span = trace!.spans[0]!;
      trace!.spans[0] = { ...span, name: 'mystery', attributes: {} };
      const ctx = testContext({ traces: [trace!], index: await sampleWorkspaceIndex() });
      const { text } = await runAgentTool(ctx, 'locate_span', { traceId: CHECKOUT_TRACE, spanId: span.spanId });
      assert.match(text, /no match: nothing in the workspace fits this span credibly/);
      assert.match(
        text,
        /- span name: "span name \\"mystery\\"" → not found: "no span-start call in the workspace gives this name"/,
      );
      const none = await runAgentTool(testContext({ traces: [trace!] }), 'locate_span', {
        traceId: CHECKOUT_TRACE,
        spanId: span.spanId,
      });
      assert.equal(
        none.text,
        'Error (noWorkspace): No workspace is indexed, so spans cannot be mapped to code: test: no workspace.',
      );
    });
  });

  describe('code_latency', () => {
    async function latencyContext(): Promise<ReturnType<typeof testContext>> {
      const index = await sampleWorkspaceIndex();
      const ctx = testContext({ traces: checkoutTraces(), index });
      const stats = new LatencyStats();
      new StoreStatsFeed(ctx.store, stats, new LocationResolver((s) => locateSpan(withoutErrorStacks(s), index))).start();
      ctx.latency = statsLatencyPort({
        label: 'the test store',
        stats,
        folders: () => [{ name: 'sample-workspace', root: SAMPLE_WORKSPACE }],
      });
      return ctx;
    }

    it('gives the figures of each function of a file, with the failing traces', async () => {
      const { text } = await runAgentTool(await latencyContext(), 'code_latency', {
        file: `${SAMPLE_WORKSPACE}/src/orders.js`,
        function: 'charge',
      });
      assert.match(text, /^Latency of src\/orders\.js from the test store/m);
      assert.match(text, /^"charge" \(src\/orders\.js, spans started at line 13\); figures from the stored spans/m);
      assert.match(text, /^ {2}p50 1\.1\d s · .*1 call .* · 1 error \(100%\)/m);
      assert.match(text, /^ {2}failing: trace 5b8efff798038103d269b633813fc60c span eee19b7ec3c1b177 "402 Payment Required"$/m);
      assert.ok(!text.includes('"placeOrder"'), 'only the function asked for');
    });

    it('names the files that have figures when this one has none', async () => {
      const { text } = await runAgentTool(await latencyContext(), 'code_latency', { file: 'src/nothing.js' });
      assert.match(
        text,
        /No figures for src\/nothing\.js: no span in the window was mapped to it\. Files with figures: .*src\/orders\.js/,
      );
      const outside = await runAgentTool(await latencyContext(), 'code_latency', { file: '/etc/passwd' });
      assert.match(outside.text, /^Error \(invalidInput\): "\/etc\/passwd" is not a file of the workspace/);
    });
  });
});
