import * as assert from 'node:assert/strict';
import { JaegerBackend, parseSpmMetricFamily, type SpmSeries } from '../../../../src/core/backends/jaegerBackend';
import { JaegerSpmSource, serviceGroups, spmLocationMetrics } from '../../../../src/core/stats/jaegerSpm';
import { startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';
import { withJaegerOptions } from '../../../fakes/fakeJaeger';

/** 2025-01-01T12:00:00Z, in ms */
const NOW_MS = 1_735_732_800_000;
const HOUR_MS = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * One SPM answer per metric, shaped as jaeger-query writes them (a MetricFamily in gogo jsonpb, as recorded in
 * jaeger-ui's packages/jaeger-ui/src/reducers/metrics.mock.js: `serviceOpsLatencies`, `serviceOpsCalls`,
 * `serviceOpsErrors`), with two points: the window's start and its end, as a step as long as the window gives.
 */
function family(name: string, series: [service: string, operation: string, start: unknown, end: unknown][]): unknown {
  return {
    name,
    type: 'GAUGE',
    help: `${name}, grouped by service \u0026 operation`,
    metrics: series.map(([service, operation, start, end]) => ({
      labels: [
        { name: 'operation', value: operation },
        { name: 'service_name', value: service },
      ],
      metricPoints: [
        { gaugeValue: { doubleValue: start }, timestamp: iso(NOW_MS - HOUR_MS) },
        { gaugeValue: { doubleValue: end }, timestamp: iso(NOW_MS) },
      ],
    })),
  };
}

const latencies = (p: number): SpmSeries[] =>
  parseSpmMetricFamily(
    family('service_operation_latencies', [
      ['checkout', '/PlaceOrder', 900, 700 * p],
      ['checkout', 'GET /cart', 5, 'NaN'],
      ['checkout', 'refresh', 12, null],
    ]),
  );
const CALLS = parseSpmMetricFamily(
  family('service_operation_call_rate', [
    ['checkout', '/PlaceOrder', 1, 0.5],
    ['checkout', 'GET /cart', 3, 0.01],
  ]),
);
const ERRORS = parseSpmMetricFamily(family('service_operation_error_rate', [['checkout', '/PlaceOrder', 0, '0.05']]));

describe('Jaeger SPM metrics', () => {
  it('reads latencies in ms, calls as a rate over the window and errors as a fraction of them', () => {
    const metrics = spmLocationMetrics(
      {
        latencies: new Map([0.5, 0.9, 0.95, 0.99].map((p) => [p, latencies(p)])),
        calls: CALLS,
        errors: ERRORS,
      },
      { endMs: NOW_MS, windowMs: HOUR_MS },
    );
    const byName = new Map(metrics.map((m) => [m.spanName, m]));
    assert.deepEqual(byName.get('/PlaceOrder'), {
      spanName: '/PlaceOrder',
      service: 'checkout',
      p50Us: 350_000,
      p90Us: 630_000,
      p95Us: 665_000,
      p99Us: 693_000,
      count: 1800,
      errors: 90,
    });
    // no latency at the end of the window (NaN), but calls: counted, quantiles unknown; a route name is a server span's
    const cart = byName.get('GET /cart');
    assert.deepEqual([cart?.count, cart?.errors, cart?.spanKind, Number.isNaN(cart?.p50Us)], [36, 0, 'server', true]);
    assert.equal(byName.has('refresh'), false, 'a latency only at the window’s start is older than the window');
  });

  it('splits many services over several requests, each within a URL’s length', () => {
    const services = Array.from({ length: 500 }, (_, i) => `service-${i}-${'x'.repeat(20)}`);
    const groups = serviceGroups(services);
    assert.ok(groups.length > 1);
    assert.deepEqual(groups.flat(), services);
    for (const g of groups) assert.ok(g.map((s) => `&service=${s}`).join('').length <= 6000);
    assert.deepEqual(serviceGroups([]), []);
  });

  describe('from a Jaeger', () => {
    let fake: FakeBackend | undefined;
    let jaeger: JaegerBackend | undefined;
    afterEach(async () => {
      await jaeger?.dispose();
      await fake?.close();
      jaeger = fake = undefined;
    });

    it('asks every service it lists, for every kind of span but client, over the window', async () => {
      fake = await startFakeBackend(
        'jaeger-v3',
        withJaegerOptions({ withoutFixtures: true, documents: [shopTraces()] }, { spm: 'enabled' }),
      );
      jaeger = new JaegerBackend({ url: fake.url });
      let now = NOW_MS;
      const source = new JaegerSpmSource(jaeger, { clock: () => now });
      const metrics = await source.locationMetrics({ windowMinutes: 60, nowUs: NOW_MS * 1000 });
      const rows = metrics
        .map((m) => [m.service, m.spanName, m.spanKind ?? '-', m.count, m.errors, m.p50Us, m.p99Us])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
      assert.deepEqual(rows, [
        ['shop', 'GET /orders/{id}', 'server', 4, 1, 20_000, 40_000],
        ['shop', 'loadOrder', '-', 4, 0, 4_000, 8_000],
      ]);
      const calls = fake.requestsTo('/api/metrics/calls');
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0]!.query.service, ['shop']);
      assert.deepEqual(calls[0]!.query.spanKind, [
        'SPAN_KIND_SERVER',
        'SPAN_KIND_INTERNAL',
        'SPAN_KIND_PRODUCER',
        'SPAN_KIND_CONSUMER',
        'SPAN_KIND_UNSPECIFIED',
      ]);
      assert.deepEqual(
        fake
          .requestsTo('/api/metrics/latencies')
          .map((r) => r.query.quantile?.[0])
          .sort(),
        ['0.5', '0.9', '0.95', '0.99'],
      );
      // the service list is asked again only after ten minutes
      await source.locationMetrics({ windowMinutes: 60, nowUs: NOW_MS * 1000 });
      now += 11 * 60_000;
      await source.locationMetrics({ windowMinutes: 60, nowUs: NOW_MS * 1000 });
      assert.equal(fake.requestsTo('/api/v3/services').length, 2, 'the probe, then once after ten minutes');
    });

    it('asks only the service it is given', async () => {
      fake = await startFakeBackend('jaeger-v1', withJaegerOptions({ withoutFixtures: true, documents: [] }, { spm: 'enabled' }));
      jaeger = new JaegerBackend({ url: fake.url });
      assert.deepEqual(await new JaegerSpmSource(jaeger).locationMetrics({ service: 'a b', windowMinutes: 15, nowUs: 1e15 }), []);
      const [calls] = fake.requestsTo('/api/metrics/calls');
      assert.deepEqual([calls!.query.service, calls!.query.ratePer, calls!.query.lookback], [['a b'], ['900000'], ['900000']]);
      assert.equal(fake.requestsTo('/api/services').length, 0);
    });
  });
});

/**
 * Four traces of service "shop" in the last hour: a server span `GET /orders/{id}` of 10–40 ms (one failing), its
 * internal child `loadOrder` of 2–8 ms, and a client call the SPM query leaves out.
 */
function shopTraces(): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const spans = [0, 1, 2, 3].flatMap((n) => {
    const startNs = BigInt(NOW_MS - 900_000 + n * 60_000) * 1_000_000n;
    const span = (id: string, name: string, kind: number, ms: number, error = false) => ({
      traceId: String(n + 1).padStart(32, 'a'),
      spanId: id.padStart(16, '0'),
      name,
      kind,
      startTimeUnixNano: String(startNs),
      endTimeUnixNano: String(startNs + BigInt(ms) * 1_000_000n),
      status: error ? { code: 2 } : {},
    });
    return [
      span(`${n}1`, 'GET /orders/{id}', 2, 10 * (n + 1), n === 3),
      span(`${n}2`, 'loadOrder', 1, 2 * (n + 1)),
      span(`${n}3`, 'SELECT orders', 3, 1),
    ];
  });
  return { resourceSpans: [{ resource: { attributes: [str('service.name', 'shop')] }, scopeSpans: [{ spans }] }] };
}
