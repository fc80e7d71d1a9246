import * as assert from 'node:assert/strict';
import {
  BackendHttpError,
  BackendMalformedError,
  BackendNotFoundError,
  BackendQueryError,
} from '../../../../src/core/backends/backendErrors';
import { JaegerBackend, parseSpmMetricFamily, type SpmQuery } from '../../../../src/core/backends/jaegerBackend';
import { startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';
import { withJaegerOptions, type FakeJaegerOptions } from '../../../fakes/fakeJaeger';

/** 2025-01-01T12:00:00Z, in ms */
const NOW_MS = 1_735_732_800_000;
const HOUR_MS = 3_600_000;

/**
 * An SPM answer as jaeger-query writes it (gogo jsonpb of a MetricFamily), shaped like the recorded answers in
 * jaeger-ui's packages/jaeger-ui/src/reducers/metrics.mock.js (`serviceOpsLatencies`, `serviceOpsLatenciesWithNull`):
 * labels in either order, values as numbers, numeric strings, "NaN" or null.
 */
const LATENCIES = {
  name: 'service_operation_latencies',
  type: 'GAUGE',
  help: '0.95th quantile latency, grouped by service \u0026 operation',
  metrics: [
    {
      labels: [
        { name: 'operation', value: '/PlaceOrder' },
        { name: 'service_name', value: 'checkoutservice' },
      ],
      metricPoints: [
        { gaugeValue: { doubleValue: 737.3333333333333 }, timestamp: '2021-09-13T12:00:36.235Z' },
        { gaugeValue: { doubleValue: '735' }, timestamp: '2021-09-13T12:01:36.235Z' },
      ],
    },
    {
      labels: [
        { name: 'service_name', value: 'checkoutservice' },
        { name: 'operation', value: '/Checkout' },
      ],
      metricPoints: [
        { gaugeValue: { doubleValue: null }, timestamp: '2021-09-13T12:00:36.235Z' },
        { gaugeValue: { doubleValue: 'NaN' }, timestamp: '2021-09-13T12:01:36.235Z' },
      ],
    },
  ],
};

/** Spans of service "shop" that ended in the last hour: three server spans `GET /orders/{id}`, one failing; one client span. */
function shopTrace(): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const spans = [0, 1, 2].map((n) => {
    const startNs = BigInt(NOW_MS - 600_000 + n * 1000) * 1_000_000n;
    return {
      traceId: 'e'.repeat(31) + String(n),
      spanId: 'f'.repeat(15) + String(n),
      name: 'GET /orders/{id}',
      kind: 2,
      startTimeUnixNano: String(startNs),
      endTimeUnixNano: String(startNs + BigInt(10 + n * 10) * 1_000_000n),
      status: n === 2 ? { code: 2 } : {},
    };
  });
  spans.push({ ...spans[0]!, spanId: 'a'.repeat(16), name: 'SELECT orders', kind: 3 });
  return { resourceSpans: [{ resource: { attributes: [str('service.name', 'shop')] }, scopeSpans: [{ spans }] }] };
}

const QUERY: SpmQuery = {
  services: ['shop', 'payments'],
  endMs: NOW_MS,
  lookbackMs: HOUR_MS,
  stepMs: HOUR_MS,
  ratePerMs: HOUR_MS,
  spanKinds: ['server', 'internal'],
};

describe('JaegerBackend SPM metrics', () => {
  let fake: FakeBackend | undefined;
  let jaeger: JaegerBackend | undefined;
  afterEach(async () => {
    await jaeger?.dispose();
    await fake?.close();
    jaeger = fake = undefined;
  });
  const start = async (options: FakeJaegerOptions): Promise<JaegerBackend> => {
    fake = await startFakeBackend('jaeger-v3', withJaegerOptions({ withoutFixtures: true, documents: [shopTrace()] }, options));
    return (jaeger = new JaegerBackend({ url: fake.url, retries: 0 }));
  };

  it('asks with the parameters jaeger-query reads and hands back the series per service and operation', async () => {
    const backend = await start({ spm: 'enabled' });
    const p95 = await backend.spmMetrics('latencies', { ...QUERY, quantile: 0.95 });
    assert.deepEqual(fake!.requestsTo('/api/metrics/latencies')[0]!.query, {
      service: ['shop', 'payments'],
      groupByOperation: ['true'],
      quantile: ['0.95'],
      endTs: [String(NOW_MS)],
      lookback: [String(HOUR_MS)],
      step: [String(HOUR_MS)],
      ratePer: [String(HOUR_MS)],
      spanKind: ['SPAN_KIND_SERVER', 'SPAN_KIND_INTERNAL'],
    });
    assert.deepEqual(
      p95.map((s) => [s.service, s.operation, s.points.map((p) => p.value)]),
      [['shop', 'GET /orders/{id}', [30]]],
      'the client span is not of the kinds asked; the start point had no data (NaN)',
    );
    assert.equal(p95[0]!.points[0]!.timestampMs, NOW_MS);
    const [calls] = await backend.spmMetrics('calls', QUERY);
    assert.equal(Math.round(calls!.points.at(-1)!.value * 3600), 3, 'calls per second over the hour');
    const [errors] = await backend.spmMetrics('errors', QUERY);
    assert.equal(errors!.points.at(-1)!.value, 1 / 3, 'the fraction of calls that failed');
  });

  it('says a Jaeger without SPM has no metrics, in Jaeger’s words, and so for one older than SPM', async () => {
    let backend = await start({});
    await assert.rejects(
      backend.spmMetrics('calls', QUERY),
      (e: unknown) =>
        e instanceof BackendNotFoundError &&
        e.what === 'endpoint' &&
        /has no SPM metrics \(metrics querying is currently disabled\)/.test(e.message) &&
        /enable Jaeger's Service Performance Monitoring/.test(e.message),
    );
    await jaeger!.dispose();
    await fake!.close();
    backend = await start({ spm: 'absent' });
    await assert.rejects(
      backend.spmMetrics('calls', QUERY),
      (e: unknown) => e instanceof BackendNotFoundError && /UI page/.test(e.message),
    );
  });

  it('keeps the credentials out of what a Jaeger without SPM said, as for any other status', async () => {
    await start({});
    fake!.inject(
      {
        kind: 'status',
        status: 501,
        contentType: 'text/plain',
        body: '{"errors":[{"code":501,"msg":"metrics querying is currently disabled (request had Authorization: Bearer s3cret-token-42)"}]}',
      },
      { path: '/api/metrics/calls' },
    );
    const backend = new JaegerBackend({ url: fake!.url, retries: 0, headers: { Authorization: 'Bearer s3cret-token-42' } });
    try {
      await assert.rejects(
        backend.spmMetrics('calls', QUERY),
        (e: unknown) =>
          e instanceof BackendNotFoundError &&
          !e.message.includes('s3cret-token-42') &&
          /metrics querying is currently disabled \(request had Authorization: <redacted>\)/.test(e.message),
      );
    } finally {
      await backend.dispose();
    }
  });

  it('refuses to ask without a service or with a quantile outside 0..1', async () => {
    const backend = await start({ spm: 'enabled' });
    await assert.rejects(backend.spmMetrics('calls', { ...QUERY, services: [] }), BackendQueryError);
    await assert.rejects(backend.spmMetrics('latencies', { ...QUERY, quantile: 95 }), BackendQueryError);
    await assert.rejects(backend.spmMetrics('latencies', QUERY), BackendQueryError);
    assert.equal(fake!.requests.filter((r) => r.path.startsWith('/api/metrics')).length, 0);
  });

  it('has a fake that checks the parameters as jaeger-query does, before it finds SPM disabled', async () => {
    await start({});
    const ask = async (query: string): Promise<[number, string]> => {
      const res = await fetch(`${fake!.url}/api/metrics/${query}`);
      const body = (await res.json()) as { errors: { msg: string }[] };
      return [res.status, body.errors[0]!.msg];
    };
    assert.deepEqual(await ask('calls?groupByOperation=true'), [
      400,
      "unable to parse param 'service': please provide at least one service name",
    ]);
    assert.deepEqual(await ask('calls?service=shop&spanKind=server'), [
      400,
      "unable to parse param 'spanKind': unsupported span kind: 'server'",
    ]);
    assert.deepEqual(await ask('latencies?service=shop'), [
      400,
      'unable to parse param \'quantile\': strconv.ParseFloat: parsing "": invalid syntax',
    ]);
    assert.deepEqual(await ask('errors?service=shop&endTs=now'), [
      400,
      'unable to parse param \'endTs\': strconv.ParseInt: parsing "now": invalid syntax',
    ]);
    assert.deepEqual(await ask('errors?service=shop'), [501, 'metrics querying is currently disabled']);
  });

  it('has a fake whose Prometheus reads the services as one unescaped regex, as Jaeger writes it', async () => {
    const backend = await start({ spm: 'enabled' });
    for (const name of ['c++-gw', 'say "hi"', 'back\\slash', 'pay(ments']) {
      await assert.rejects(
        backend.spmMetrics('calls', { ...QUERY, services: ['shop', name] }),
        (e: unknown) =>
          e instanceof BackendHttpError && e.status === 500 && /bad_data: invalid parameter "query"/.test(e.message),
        name,
      );
    }
    const calls = await backend.spmMetrics('calls', { ...QUERY, services: ['sh.p'] });
    assert.deepEqual(
      calls.map((s) => s.service),
      ['shop'],
      'a dot matches any character',
    );
  });

  it('says where an answer that is not a MetricFamily broke', async () => {
    const backend = await start({ spm: 'enabled' });
    fake!.inject(
      { kind: 'status', status: 200, contentType: 'application/json', body: '{"metrics":[{"labels":{}}]}' },
      { path: '/api/metrics/calls' },
    );
    await assert.rejects(
      backend.spmMetrics('calls', QUERY),
      (e: unknown) => e instanceof BackendMalformedError && /\$\.metrics\[0\]\.labels/.test(e.message),
    );
  });
});

describe('parseSpmMetricFamily', () => {
  it('reads the series, keeping only points with a value', () => {
    assert.deepEqual(parseSpmMetricFamily(LATENCIES), [
      {
        service: 'checkoutservice',
        operation: '/PlaceOrder',
        points: [
          { timestampMs: Date.parse('2021-09-13T12:00:36.235Z'), value: 737.3333333333333 },
          { timestampMs: Date.parse('2021-09-13T12:01:36.235Z'), value: 735 },
        ],
      },
      { service: 'checkoutservice', operation: '/Checkout', points: [] },
    ]);
  });

  it('drops a point whose timestamp is missing or unreadable, which could not be placed in the window', () => {
    const point = (value: number, timestamp?: unknown) => ({ gaugeValue: { doubleValue: value }, timestamp });
    const [series] = parseSpmMetricFamily({
      metrics: [
        {
          labels: [
            { name: 'service_name', value: 'shop' },
            { name: 'operation', value: 'GET /orders/{id}' },
          ],
          metricPoints: [point(5, '2021-09-13T12:00:36.235Z'), point(9), point(7, 'yesterday'), point(8, 1631534436)],
        },
      ],
    });
    assert.deepEqual(series?.points, [{ timestampMs: Date.parse('2021-09-13T12:00:36.235Z'), value: 5 }]);
  });

  it('reads an empty answer (jsonpb leaves out the empty list) and refuses what is not one', () => {
    assert.deepEqual(parseSpmMetricFamily({ name: 'service_operation_call_rate', type: 'GAUGE', help: 'calls/sec' }), []);
    assert.throws(() => parseSpmMetricFamily([]), /jaeger-spm document at \$: expected a MetricFamily/);
    assert.throws(() => parseSpmMetricFamily({ metrics: {} }), /at \$\.metrics: expected a list/);
    assert.throws(() => parseSpmMetricFamily({ metrics: [{ metricPoints: [7] }] }), /at \$\.metrics\[0\]\.metricPoints\[0\]/);
  });
});
