import * as assert from 'node:assert/strict';
import { BackendHttpError, BackendNotFoundError } from '../../../../src/core/backends/backendErrors';
import { JaegerBackend } from '../../../../src/core/backends/jaegerBackend';
import { TempoBackend } from '../../../../src/core/backends/tempoBackend';
import type { Trace, TraceSummary } from '../../../../src/core/model/types';
import { LatencyStats } from '../../../../src/core/stats/latencyStats';
import { LocationResolver } from '../../../../src/core/stats/locationResolver';
import { JaegerSpmSource } from '../../../../src/core/stats/jaegerSpm';
import { RemoteStatsFeed } from '../../../../src/core/stats/remoteStatsFeed';
import { TempoMetricsSource } from '../../../../src/core/stats/tempoMetrics';
import type { SamplingBackend } from '../../../../src/core/stats/traceSampler';
import { startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';
import { withJaegerOptions } from '../../../fakes/fakeJaeger';

/** 2025-01-01T12:00:00Z, in ms: the feed's clock */
const NOW_MS = 1_735_732_800_000;

interface SpanSpec {
  fn: string;
  durationMs: number;
  error?: boolean;
}

/** An OTLP/JSON document of trace n of service "shop", started 60 − 10·n s before NOW_MS, its spans in orders.js. */
function otlpTrace(n: number, spans: SpanSpec[]): unknown {
  const traceId = n.toString(16).padStart(32, '0');
  const startNs = BigInt(NOW_MS - 60_000 + n * 10_000) * 1_000_000n;
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'shop')] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s, i) => ({
              traceId,
              spanId: (n * 100 + i + 1).toString(16).padStart(16, '0'),
              ...(i > 0 ? { parentSpanId: (n * 100 + 1).toString(16).padStart(16, '0') } : {}),
              name: s.fn,
              kind: 1,
              startTimeUnixNano: String(startNs),
              endTimeUnixNano: String(startNs + BigInt(s.durationMs) * 1_000_000n),
              attributes: [str('code.function.name', s.fn), str('code.file.path', '/app/src/orders.js')],
              status: s.error ? { code: 2, message: 'boom' } : {},
            })),
          },
        ],
      },
    ],
  };
}

/** orders.js of the workspace for spans whose code.file.path ends so; nothing else. */
const resolver = (): LocationResolver =>
  new LocationResolver((span) =>
    String(span.attributes['code.file.path']).endsWith('/src/orders.js')
      ? [
          {
            file: 'src/orders.js',
            function: String(span.attributes['code.function.name']),
            confidence: 0.9,
            reason: 'path suffix',
          },
        ]
      : [],
  );

/** The same places by span name and service alone, as Jaeger SPM's figures must be found (span-start evidence). */
const byNameResolver = (): LocationResolver => {
  const byAttributes = resolver();
  return new LocationResolver((span) => {
    if (span.attributes['code.file.path'] !== undefined) {
      const located = byAttributes.resolve(span);
      return located ? [{ file: located.key.file, function: located.key.function, confidence: 0.9, reason: 'path suffix' }] : [];
    }
    return span.service === 'shop' && ['placeOrder', 'charge'].includes(span.name)
      ? [{ file: 'src/orders.js', function: span.name, confidence: 0.8, reason: `span name "${span.name}"` }]
      : [];
  });
};

describe('RemoteStatsFeed', () => {
  let fake: FakeBackend | undefined;
  let tempo: TempoBackend | undefined;
  afterEach(async () => {
    await tempo?.dispose();
    await fake?.close();
    tempo = undefined;
    fake = undefined;
  });

  const startTempo = async (traces: number): Promise<TempoBackend> => {
    const documents = Array.from({ length: traces }, (_, i) =>
      otlpTrace(i + 1, [
        { fn: 'placeOrder', durationMs: 40 + i },
        { fn: 'charge', durationMs: 30, error: i === 0 },
      ]),
    );
    fake = await startFakeBackend('tempo', { withoutFixtures: true, documents });
    tempo = new TempoBackend({ url: fake.url });
    return tempo;
  };

  it('counts sampled traces within the budget and says where the figures come from and how many traces', async () => {
    const backend = await startTempo(8);
    let now = NOW_MS;
    let changes = 0;
    const stats = new LatencyStats({ windowMinutes: 60, clock: () => now * 1000 });
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Staging Tempo',
      stats,
      resolver: resolver(),
      tracesPerMinute: 3,
      isIdle: () => false,
      onDidChange: () => changes++,
      clock: () => now,
    });
    try {
      assert.equal(await feed.round(), 3);
      assert.equal(await feed.round(), 0, 'the minute’s budget is spent');
      assert.equal(fake!.requests.filter((r) => r.path.startsWith('/api/v2/traces/')).length, 3);
      now += 60_000;
      assert.equal(await feed.round(), 2, 'the two traces started since the last look');
      assert.equal(feed.sampled, 5);
      assert.equal(changes, 2);

      const [placeOrder, charge] = feed.summariesIn('src/orders.js').sort((a, b) => b.p50Us - a.p50Us);
      assert.equal(placeOrder?.count, 5);
      assert.equal(charge?.count, 5);
      assert.deepEqual(placeOrder?.source, { kind: 'sampled', backend: 'Staging Tempo', traces: 5 });
      assert.equal(feed.hasFile('src/server.js'), false);
      assert.ok(feed.tracesAt(placeOrder.id).slowest.length > 0, 'sampled traces can be opened');

      // an hour later, the traces the figures stand on are still named (the window ends at the newest data)
      now += 61 * 60_000;
      assert.equal(await feed.round(), 0);
      assert.deepEqual(feed.summariesIn('src/orders.js')[0]?.source, { kind: 'sampled', backend: 'Staging Tempo', traces: 5 });
    } finally {
      feed.dispose();
    }
  });

  it('prefers Tempo’s TraceQL metrics where it has them, over every span rather than the sample', async () => {
    const backend = await startTempo(8);
    const later = NOW_MS + 120_000; // every trace has started
    const stats = new LatencyStats({ windowMinutes: 60, clock: () => later * 1000 });
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Staging Tempo',
      stats,
      resolver: resolver(),
      tracesPerMinute: 2,
      metrics: new TempoMetricsSource(backend),
      isIdle: () => false,
      onDidChange: () => undefined,
      clock: () => later,
    });
    try {
      await feed.round();
      assert.equal(fake!.requestsTo('/api/metrics/query_range').length, 6, 'by code attributes and by span name');
      const byFn = new Map(feed.summariesIn('src/orders.js').map((s) => [s.key.function, s]));
      const placeOrder = byFn.get('placeOrder');
      assert.deepEqual(placeOrder?.source, {
        kind: 'metrics',
        backend: 'Staging Tempo',
        system: 'Tempo',
        method: 'TraceQL metrics',
      });
      assert.equal(placeOrder?.count, 8, 'all 8 traces, not the 2 sampled');
      assert.equal(placeOrder?.p99Us, 47_000);
      assert.equal(byFn.get('charge')?.errors, 1);
      assert.equal(feed.summariesIn('src/orders.js').length, 2, 'a location is shown once');
      await feed.round();
      assert.equal(fake!.requestsTo('/api/metrics/query_range').length, 6, 'metrics are asked once a minute');
    } finally {
      feed.dispose();
    }
  });

  it('goes on sampling when the backend has no metrics, says so once, and stops asking for them', async () => {
    const backend = await startTempo(2);
    let now = NOW_MS;
    const errors: string[] = [];
    const unavailable: string[] = [];
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Old Tempo',
      stats: new LatencyStats({ clock: () => now * 1000 }),
      resolver: resolver(),
      tracesPerMinute: 30,
      // a Tempo that refuses metrics queries (no local-blocks processor) answers 400 to any
      metrics: new TempoMetricsSource({
        metricsQueryRange: (_query, range, options) => backend.metricsQueryRange('{ refused', range, options),
      }),
      isIdle: () => false,
      onDidChange: () => undefined,
      onError: (_e, what) => errors.push(what),
      onMetricsUnavailable: (e) => unavailable.push(String(e)),
      clock: () => now,
    });
    try {
      assert.equal(await feed.round(), 2);
      now += 120_000;
      await feed.round();
      assert.deepEqual(errors, [], 'a backend without metrics is no failure');
      assert.equal(unavailable.length, 1);
      assert.equal(fake!.requestsTo('/api/metrics/query_range').length, 6, 'the queries of the first round, no more');
    } finally {
      feed.dispose();
    }
  });

  it('asks for metrics again after a gateway error instead of giving them up', async () => {
    const backend = await startTempo(3);
    let now = NOW_MS + 120_000;
    const errors: string[] = [];
    let failNext = true;
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Tempo',
      stats: new LatencyStats({ clock: () => now * 1000 }),
      resolver: resolver(),
      tracesPerMinute: 1,
      metrics: new TempoMetricsSource({
        metricsQueryRange: (query, range, options) => {
          if (!failNext) return backend.metricsQueryRange(query, range, options);
          return Promise.reject(new BackendHttpError('Tempo answered 503', { backend: 'Tempo' }, 503));
        },
      }),
      isIdle: () => false,
      onDidChange: () => undefined,
      onError: (_e, what) => errors.push(what),
      onMetricsUnavailable: () => assert.fail('a 503 does not mean the backend has no metrics'),
      clock: () => now,
    });
    try {
      await feed.round();
      assert.deepEqual(errors, ['metrics']);
      failNext = false;
      now += 120_000;
      await feed.round();
      const placeOrder = feed.summariesIn('src/orders.js').find((s) => s.key.function === 'placeOrder');
      assert.equal(placeOrder?.source.kind, 'metrics');
      assert.equal(placeOrder?.count, 3);
    } finally {
      feed.dispose();
    }
  });

  describe('with Jaeger', () => {
    let jaeger: JaegerBackend | undefined;
    afterEach(async () => {
      await jaeger?.dispose();
      jaeger = undefined;
    });

    const startJaeger = async (spm: 'enabled' | 'disabled'): Promise<JaegerBackend> => {
      const documents = Array.from({ length: 8 }, (_, i) =>
        otlpTrace(i + 1, [
          { fn: 'placeOrder', durationMs: 40 + i },
          { fn: 'charge', durationMs: 30, error: i === 0 },
        ]),
      );
      fake = await startFakeBackend('jaeger-v3', withJaegerOptions({ withoutFixtures: true, documents }, { spm }));
      jaeger = new JaegerBackend({ url: fake.url, retries: 0 });
      return jaeger;
    };

    it('prefers Jaeger’s SPM metrics, placed by span name, over every span, and says the counts are estimates', async () => {
      const backend = await startJaeger('enabled');
      const later = NOW_MS + 120_000;
      const feed = new RemoteStatsFeed({
        backend,
        backendName: 'Staging Jaeger',
        stats: new LatencyStats({ windowMinutes: 60, clock: () => later * 1000 }),
        resolver: byNameResolver(),
        tracesPerMinute: 2,
        metrics: new JaegerSpmSource(backend, { clock: () => later }),
        isIdle: () => false,
        onDidChange: () => undefined,
        onError: (e) => assert.fail(String(e)),
        clock: () => later,
      });
      try {
        await feed.round();
        assert.equal(fake!.requestsTo('/api/metrics/latencies').length, 4);
        assert.equal(fake!.requestsTo('/api/metrics/calls').length, 1);
        const byFn = new Map(feed.summariesIn('src/orders.js').map((s) => [s.key.function, s]));
        const placeOrder = byFn.get('placeOrder');
        assert.deepEqual(placeOrder?.source, {
          kind: 'metrics',
          backend: 'Staging Jaeger',
          system: 'Jaeger',
          method: 'SPM metrics',
          estimated: true,
        });
        assert.equal(placeOrder?.count, 8, 'all 8 traces, not the 2 sampled');
        assert.equal(placeOrder?.p99Us, 47_000);
        assert.equal(byFn.get('charge')?.errors, 1);
      } finally {
        feed.dispose();
      }
    });

    it('reports a Jaeger whose metrics store fails (500) or throttles (429), and asks again after the interval', async () => {
      const backend = await startJaeger('enabled');
      let now = NOW_MS + 120_000;
      const errors: string[] = [];
      const unavailable: unknown[] = [];
      const feed = new RemoteStatsFeed({
        backend,
        backendName: 'Jaeger',
        stats: new LatencyStats({ windowMinutes: 60, clock: () => now * 1000 }),
        resolver: byNameResolver(),
        tracesPerMinute: 1,
        metrics: new JaegerSpmSource(backend, { clock: () => now }),
        isIdle: () => false,
        onDidChange: () => undefined,
        onError: (e, what) => errors.push(`${what}: ${(e as Error).message}`),
        onMetricsUnavailable: (e) => unavailable.push(e),
        clock: () => now,
      });
      const storeDown = JSON.stringify({ errors: [{ code: 500, msg: 'failed executing metrics query: connection refused' }] });
      fake!.inject({ kind: 'status', status: 500, body: storeDown }, { path: '/api/metrics/', times: 6 });
      fake!.inject({ kind: 'status', status: 429, body: 'slow down' }, { path: '/api/metrics/', times: 6 });
      try {
        for (let round = 0; round < 3; round++) {
          await feed.round();
          now += 120_000;
        }
        assert.deepEqual(unavailable, [], 'a failing metrics store is no Jaeger without metrics');
        assert.equal(errors.length, 2);
        assert.match(errors[0]!, /^metrics: .*HTTP 500.*connection refused/);
        assert.match(errors[1]!, /^metrics: .*HTTP 429/);
        assert.equal(fake!.requestsTo('/api/metrics/calls').length, 3, 'asked again each round');
        const placeOrder = feed.summariesIn('src/orders.js').find((s) => s.key.function === 'placeOrder');
        assert.equal(placeOrder?.source.kind, 'metrics');
      } finally {
        feed.dispose();
      }
    });

    it('goes on sampling a Jaeger whose SPM is disabled, says so once, and stops asking', async () => {
      const backend = await startJaeger('disabled');
      let now = NOW_MS + 120_000;
      const unavailable: unknown[] = [];
      const feed = new RemoteStatsFeed({
        backend,
        backendName: 'Jaeger',
        stats: new LatencyStats({ clock: () => now * 1000 }),
        resolver: byNameResolver(),
        tracesPerMinute: 30,
        metrics: new JaegerSpmSource(backend, { clock: () => now }),
        isIdle: () => false,
        onDidChange: () => undefined,
        onError: (e) => assert.fail(`not a failure: ${String(e)}`),
        onMetricsUnavailable: (e) => unavailable.push(e),
        clock: () => now,
      });
      try {
        assert.equal(await feed.round(), 8, 'sampling goes on');
        now += 120_000;
        await feed.round();
        assert.equal(unavailable.length, 1);
        assert.ok(unavailable[0] instanceof BackendNotFoundError);
        assert.match((unavailable[0] as Error).message, /metrics querying is currently disabled/);
        const asked = fake!.requests.filter((r) => r.path.startsWith('/api/metrics/')).length;
        assert.ok(asked > 0 && asked <= 6, `one round of SPM requests, not more: ${asked}`);
        assert.equal(feed.summariesIn('src/orders.js')[0]?.source.kind, 'sampled');
      } finally {
        feed.dispose();
      }
    });
  });

  it('places the traces it sampled again when the workspace mapping changes, without fetching them again', async () => {
    const backend = await startTempo(3);
    const stats = new LatencyStats({ clock: () => NOW_MS * 1000 });
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Tempo',
      stats,
      resolver: new LocationResolver(() => []),
      tracesPerMinute: 30,
      isIdle: () => false,
      onDidChange: () => undefined,
      clock: () => NOW_MS,
    });
    try {
      assert.equal(await feed.round(), 3);
      assert.equal(feed.hasFile('src/orders.js'), false, 'the first mapping places nothing');
      const requests = fake!.requests.length;
      feed.relocate(resolver());
      assert.deepEqual(
        feed
          .summariesIn('src/orders.js')
          .map((s) => [s.key.function, s.count])
          .sort(),
        [
          ['charge', 3],
          ['placeOrder', 3],
        ],
      );
      assert.equal(fake!.requests.length, requests);
    } finally {
      feed.dispose();
    }
  });

  it('makes no request while the editor is idle, and runs a round at once when looked at again', async () => {
    const { backend, calls } = countingBackend();
    let idle = true;
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Jaeger',
      stats: new LatencyStats(),
      resolver: resolver(),
      tracesPerMinute: 30,
      isIdle: () => idle,
      onDidChange: () => undefined,
    });
    try {
      assert.equal(await feed.round(), 0);
      assert.deepEqual(calls, []);
      idle = false;
      const woken = new Promise<void>((resolve) => (backend.onCall = resolve));
      feed.wake();
      await woken;
      assert.deepEqual(calls, ['services']);
    } finally {
      feed.dispose();
    }
  });

  it('aborts the request in flight and asks nothing more once disposed', async () => {
    const { backend, calls } = countingBackend({ hang: true });
    const feed = new RemoteStatsFeed({
      backend,
      backendName: 'Jaeger',
      stats: new LatencyStats(),
      resolver: resolver(),
      tracesPerMinute: 30,
      isIdle: () => false,
      onDidChange: () => assert.fail('nothing arrives after dispose'),
      onError: () => assert.fail('a cancelled round is no failure'),
    });
    const round = feed.round();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, ['services', 'search', 'get']);
    feed.dispose();
    assert.equal(await round, 0);
    assert.equal(await feed.round(), 0);
    assert.equal(calls.length, 3);
  });
});

/** A backend of one service and two traces that records its calls; with `hang`, getTrace waits for its abort. */
function countingBackend(options: { hang?: boolean } = {}) {
  const calls: string[] = [];
  const backend: SamplingBackend & { onCall?: () => void } = {
    async listServices() {
      calls.push('services');
      backend.onCall?.();
      return ['shop'];
    },
    async searchTraces() {
      calls.push('search');
      return ['a', 'b'].map((traceId): TraceSummary => ({
        traceId,
        rootService: 'shop',
        rootName: 'x',
        startUs: 1,
        durationUs: 1,
      }));
    },
    getTrace(traceId, _window, request) {
      calls.push('get');
      if (!options.hang) {
        return Promise.resolve({ traceId, spans: [], services: [], startUs: 1, durationUs: 1, warnings: [] } satisfies Trace);
      }
      return new Promise<Trace>((_resolve, reject) =>
        request?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    },
  };
  return { backend, calls };
}
