import * as assert from 'node:assert/strict';
import { BackendHttpError, BackendNotFoundError } from '../../../../src/core/backends/backendErrors';
import {
  JaegerBackend,
  parseSpmMetricFamily,
  type SpmMetricName,
  type SpmQuery,
  type SpmSeries,
} from '../../../../src/core/backends/jaegerBackend';
import { JaegerSpmSource, serviceGroups, spmLocationMetrics, type JaegerSpmClient } from '../../../../src/core/stats/jaegerSpm';
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

  it('counts at least one call where the rate is above 0, and one failed call where the error ratio is', () => {
    // 0.0001 calls/s over an hour is 0.36 calls: the p50 read with it stands on at least one span
    const series = (operation: string, value: number): SpmSeries => ({
      service: 'checkout',
      operation,
      points: [{ timestampMs: NOW_MS, value }],
    });
    const [rare, idle] = spmLocationMetrics(
      {
        latencies: new Map([[0.5, [series('rare', 12), series('idle', 3)]]]),
        calls: [series('rare', 0.0001), series('idle', 0)],
        errors: [series('rare', 0.2)],
      },
      { endMs: NOW_MS, windowMs: HOUR_MS },
    );
    assert.deepEqual([rare?.spanName, rare?.count, rare?.errors, rare?.p50Us], ['rare', 1, 1, 12_000]);
    assert.deepEqual([idle?.spanName, idle?.count, idle?.errors], ['idle', 0, 0], 'a rate of 0 stays 0 calls');
  });

  it('reads the newest point that has a timestamp, and passes over one without', () => {
    const read = (points: SpmSeries['points']) =>
      spmLocationMetrics(
        { latencies: new Map(), calls: [{ service: 'checkout', operation: '/PlaceOrder', points }], errors: [] },
        { endMs: NOW_MS, windowMs: HOUR_MS },
      ).map((m) => m.count);
    const start = { timestampMs: NOW_MS - HOUR_MS, value: 5 };
    const end = { timestampMs: NOW_MS, value: 1 };
    const undated = { timestampMs: NaN, value: 5 };
    assert.deepEqual(read([end, undated]), [3600], 'the end point, not the undated one after it');
    assert.deepEqual(read([start, undated]), [], 'no point at the window’s end: no data in the window');
  });

  it('splits many services over several requests, each within a URL’s length', () => {
    const services = Array.from({ length: 500 }, (_, i) => `service-${i}-${'x'.repeat(20)}`);
    const groups = serviceGroups(services);
    assert.ok(groups.length > 1);
    assert.deepEqual(groups.flat(), services);
    for (const g of groups) assert.ok(g.map((s) => `&service=${s}`).join('').length <= 6000);
    assert.deepEqual(serviceGroups([]), []);
  });

  it('asks a service whose name would break Jaeger’s Prometheus regex alone, after the others', () => {
    assert.deepEqual(serviceGroups(['api', 'c++-gw', 'say "hi"', 'web.v2', 'a|b', 'pay(ments', 'back\\slash', 'zeta']), [
      ['api', 'web.v2', 'zeta'],
      ['c++-gw'],
      ['say "hi"'],
      ['a|b'],
      ['pay(ments'],
      ['back\\slash'],
    ]);
  });

  describe('from a client with many services', () => {
    /** 300 services of 40 characters: three requests' worth */
    const SERVICES = Array.from({ length: 300 }, (_, i) => `svc-${String(i).padStart(3, '0')}-${'x'.repeat(32)}`);

    /** A client answering one call per second, no errors and a latency of 10 ms per service, failing as `fail` says. */
    const client = (fail: (q: SpmQuery) => Error | undefined) => {
      const asked: SpmQuery[] = [];
      const c: JaegerSpmClient = {
        listServices: () => Promise.resolve(SERVICES),
        spmMetrics: (metric: SpmMetricName, q: SpmQuery) => {
          asked.push(q);
          const error = fail(q);
          if (error) return Promise.reject(error);
          const value = metric === 'calls' ? 1 : metric === 'errors' ? 0 : 10;
          return Promise.resolve(
            q.services.map((service) => ({ service, operation: 'handle', points: [{ timestampMs: q.endMs, value }] })),
          );
        },
      };
      return { client: c, asked };
    };
    const QUERY = { windowMinutes: 60, nowUs: NOW_MS * 1000 };
    const storeDown = (): BackendHttpError =>
      new BackendHttpError('Jaeger failed with HTTP 500: failed executing metrics query', { backend: 'Jaeger' }, 500);

    it('keeps the groups that answered when one fails, and says which services failed, once', async () => {
      const groups = serviceGroups(SERVICES);
      assert.equal(groups.length, 3);
      const failing = new Set(groups[1]);
      const { client: c } = client((q) => (q.services.some((s) => failing.has(s)) ? storeDown() : undefined));
      const warnings: string[] = [];
      const source = new JaegerSpmSource(c, { onWarning: (w) => warnings.push(w) });
      const metrics = await source.locationMetrics(QUERY);
      assert.deepEqual(
        metrics.map((m) => m.service),
        [...groups[0]!, ...groups[2]!],
      );
      assert.deepEqual([metrics[0]?.count, metrics[0]?.p50Us], [3600, 10_000]);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /SPM metrics failed for 1 of 3 groups of services \("svc-\d+-x+", .* and \d+ more\).*HTTP 500/);
      await source.locationMetrics(QUERY);
      assert.equal(warnings.length, 1, 'the same failure is said once');
    });

    it('throws the first failure when every group failed, for the feed to report', async () => {
      const { client: c, asked } = client(storeDown);
      await assert.rejects(
        new JaegerSpmSource(c).locationMetrics(QUERY),
        (e: unknown) => e instanceof BackendHttpError && e.status === 500,
      );
      assert.equal(asked.length, 18, 'each of the three groups was asked');
    });

    it('stops at the first group when the answer is that this Jaeger has no SPM', async () => {
      const { client: c, asked } = client(
        () => new BackendNotFoundError('Jaeger has no SPM metrics', { backend: 'Jaeger' }, 'endpoint'),
      );
      await assert.rejects(new JaegerSpmSource(c).locationMetrics(QUERY), BackendNotFoundError);
      assert.equal(asked.length, 6, 'one group’s six requests');
    });
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

    it('keeps the other services’ figures when a name breaks Jaeger’s query, and says why', async () => {
      const doc = shopTraces() as { resourceSpans: { resource: unknown }[] };
      const gateway = structuredClone(doc.resourceSpans[0]!);
      gateway.resource = { attributes: [{ key: 'service.name', value: { stringValue: 'c++-gw' } }] };
      fake = await startFakeBackend(
        'jaeger-v3',
        withJaegerOptions(
          { withoutFixtures: true, documents: [{ resourceSpans: [...doc.resourceSpans, gateway] }] },
          { spm: 'enabled' },
        ),
      );
      jaeger = new JaegerBackend({ url: fake.url, retries: 0 });
      const warnings: string[] = [];
      const metrics = await new JaegerSpmSource(jaeger, { onWarning: (w) => warnings.push(w) }).locationMetrics({
        windowMinutes: 60,
        nowUs: NOW_MS * 1000,
      });
      assert.deepEqual(metrics.map((m) => [m.service, m.spanName, m.count]).sort(), [
        ['shop', 'GET /orders/{id}', 4],
        ['shop', 'loadOrder', 4],
      ]);
      assert.deepEqual(
        fake.requestsTo('/api/metrics/calls').map((r) => r.query.service),
        [['shop'], ['c++-gw']],
      );
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /\("c\+\+-gw"\).*HTTP 500.*unescaped into a Prometheus regex, which "c\+\+-gw" may break/);
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
