import * as assert from 'node:assert/strict';
import {
  BackendHttpError,
  BackendNotFoundError,
  BackendQueryError,
  BackendUnauthorizedError,
} from '../../../../src/core/backends/backendErrors';
import { TempoBackend } from '../../../../src/core/backends/tempoBackend';
import { startFakeBackend, type FakeBackend, type FakeBackendOptions } from '../../../fakes/fakeBackend';
import { sharedFixturesDir } from '../../fixtures';

const BOOKINFO = '3ba55609c3cde49649cd77d1f9dcd936';
const END_US = 4_102_444_800_000_000;

describe('TempoBackend', function () {
  let fake: FakeBackend;
  let tempo: TempoBackend;
  const start = async (options: FakeBackendOptions = {}, tenant?: string): Promise<void> => {
    fake = await startFakeBackend('tempo', options);
    tempo = new TempoBackend({ url: fake.url, tenant });
  };
  before(function () {
    if (!sharedFixturesDir()) this.skip();
  });
  afterEach(async () => {
    await tempo?.dispose();
    await fake?.close();
  });

  it('reads the recorded search response as summaries, with logfmt tags and seconds', async () => {
    await start();
    const hits = await tempo.searchTraces({
      service: 'istio-ingressgateway.istio-system',
      startUs: 1_701_778_000_000_000,
      endUs: 1_701_779_000_000_000,
    });
    assert.deepEqual(
      hits.map((h) => [h.traceId, h.rootName, h.durationUs]),
      [['100cb753c787ed5657c8d88dafc176ed', 'productpage.bookinfo.svc.cluster.local:9080/productpage', 9000]],
    );
    assert.deepEqual(fake.requestsTo('/api/search')[0]!.query, {
      tags: ['service.name=istio-ingressgateway.istio-system'],
      limit: ['20'],
      start: ['1701778000'],
      end: ['1701779000'],
    });
  });

  it('quotes logfmt values and sends durations as Go durations', async () => {
    await start();
    await tempo.searchTraces({
      operation: 'GET /',
      tags: { 'span.http.status_code': '500' },
      errorsOnly: true,
      minDurationUs: 1500,
      startUs: 0,
      endUs: END_US,
    });
    const q = fake.requestsTo('/api/search')[0]!.query;
    assert.deepEqual(q.tags, ['name="GET /" http.status_code=500 status.code=error']);
    assert.deepEqual(q.minDuration, ['1500us']);
  });

  it("sends TraceQL as q, and passes Tempo's parse error on", async () => {
    await start();
    const hits = await tempo.searchTraces({
      traceQl: '{ resource.service.name = "productpage.bookinfo" }',
      startUs: 0,
      endUs: END_US,
    });
    assert.deepEqual(
      hits.map((h) => h.traceId),
      [BOOKINFO],
    );
    assert.equal(fake.requestsTo('/api/search')[0]!.query.tags, undefined);
    await assert.rejects(tempo.searchTraces({ traceQl: 'service = x', startUs: 0, endUs: END_US }), (e: unknown) => {
      assert.ok(e instanceof BackendHttpError);
      assert.match(e.message, /rejected the request for \/api\/search \(HTTP 400\): invalid TraceQL query: parse error/);
      return true;
    });
  });

  it('opens a trace through /api/v2/traces', async () => {
    await start();
    const trace = await tempo.getTrace(BOOKINFO);
    assert.equal(trace.spans.length, 8);
    assert.equal(trace.partial, undefined);
    assert.equal(fake.requestsTo('/api/traces/' + BOOKINFO).length, 0);
  });

  it('passes status PARTIAL on to the trace', async () => {
    await start({ partialTraceIds: [BOOKINFO] });
    const trace = await tempo.getTrace(BOOKINFO);
    assert.equal(trace.spans.length, 8);
    assert.match(trace.partial ?? '', /Trace exceeds max size/);
  });

  it('falls back to /api/traces on a Tempo without v2, and remembers', async () => {
    await start({ tempoApi: 'v1' });
    const first = await tempo.getTrace(BOOKINFO);
    assert.equal(first.spans.length, 8);
    const old = await tempo.getTrace('9208f8f6bf45242631dabcb06d7c9c6'); // Tempo 1.x body, leading zero dropped
    assert.equal(old.spans.length, 25);
    assert.equal(fake.requestsTo(`/api/v2/traces/${BOOKINFO}`).length, 1);
    assert.equal(fake.requests.filter((r) => r.path.startsWith('/api/v2/traces/')).length, 1);
  });

  it('says a missing trace is not found, and refuses an id that is not hex', async () => {
    await start();
    await assert.rejects(tempo.getTrace('deadbeef'), (e: unknown) => {
      assert.ok(e instanceof BackendNotFoundError);
      assert.match(e.message, /^Trace deadbeef was not found in Tempo at /);
      return true;
    });
    await assert.rejects(tempo.getTrace('not-an-id'), BackendQueryError);
  });

  it('lists scoped tag names and their values for TraceQL completion', async () => {
    await start();
    const keys = await tempo.tagKeys();
    assert.ok(keys.includes('resource.service.name'));
    assert.ok(keys.includes('name'));
    assert.ok(keys.some((k) => k.startsWith('span.')));
    assert.ok((await tempo.tagValues('resource.service.name')).includes('productpage.bookinfo'));
    assert.deepEqual(await tempo.tagValues('status'), ['error', 'ok', 'unset']);
  });

  it('uses the v1 tag API on an older Tempo', async () => {
    await start({ tempoApi: 'v1' });
    const keys = await tempo.tagKeys();
    assert.ok(keys.includes('service.name'));
    assert.ok((await tempo.listServices()).includes('productpage.bookinfo'));
    assert.equal(fake.requestsTo('/api/search/tag/service.name/values').length, 1);
  });

  it('lists the operations of one service', async () => {
    await start();
    const ops = await tempo.listOperations('details.bookinfo');
    assert.deepEqual(ops, ['details.bookinfo.svc.cluster.local:9080/*']);
  });

  it('sends the tenant, and explains a 401 for a missing one', async () => {
    await start({ tenant: 'team-a' }, 'team-a');
    assert.ok((await tempo.listServices()).length > 0);
    assert.equal(fake.requests[0]?.headers['x-scope-orgid'], 'team-a');
    const anonymous = new TempoBackend({ url: fake.url });
    await assert.rejects(anonymous.listServices(), (e: unknown) => {
      assert.ok(e instanceof BackendUnauthorizedError);
      assert.match(
        e.message,
        /is multi-tenant and the request named no tenant \(HTTP 401: no org id\) — set the tenant \(X-Scope-OrgID\)/,
      );
      return true;
    });
    await anonymous.dispose();
  });
});

describe('TempoBackend TraceQL metrics', () => {
  /** two placeOrder spans of 10 and 30 ms, a minute apart, from 2025-01-01T00:00:00Z */
  const T0_MS = 1_735_689_600_000;
  const document = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeSpans: [
          {
            spans: [10, 30].map((ms, i) => ({
              traceId: `${i + 1}`.padStart(32, '0'),
              spanId: `${i + 1}`.padStart(16, '0'),
              name: 'POST /orders',
              kind: 2,
              startTimeUnixNano: `${T0_MS + i * 60_000}000000`,
              endTimeUnixNano: `${T0_MS + i * 60_000 + ms}000000`,
              attributes: [{ key: 'code.function.name', value: { stringValue: 'placeOrder' } }],
            })),
          },
        ],
      },
    ],
  };
  let fake: FakeBackend | undefined;
  let tempo: TempoBackend | undefined;
  afterEach(async () => {
    await tempo?.dispose();
    await fake?.close();
  });

  it('asks query_range with the query, unix seconds, a step in seconds and the tenant, and hands back the answer', async () => {
    fake = await startFakeBackend('tempo', { withoutFixtures: true, documents: [document], tenant: 'team-a' });
    tempo = new TempoBackend({ url: fake.url, tenant: 'team-a' });
    const q = '{ span.code.function.name != nil } | quantile_over_time(duration, 0.5, 0.99) by (span.code.function.name)';
    const body = await tempo.metricsQueryRange(q, {
      startUs: T0_MS * 1000,
      endUs: (T0_MS + 3_600_000) * 1000 + 1,
      stepSeconds: 3600,
    });
    const [request] = fake.requestsTo('/api/metrics/query_range');
    assert.deepEqual(request?.query, {
      q: [q],
      start: [String(T0_MS / 1000)],
      end: [String(T0_MS / 1000 + 3601)],
      step: ['3600s'],
    });
    assert.equal(request?.headers['x-scope-orgid'], 'team-a');
    const label = (key: string, value: unknown) => ({ key, value });
    const sample = (seconds: number) => [{ timestampMs: String(T0_MS), value: seconds }];
    assert.deepEqual(
      (body as { series: { labels: unknown; samples: unknown }[] }).series.map((s) => [s.labels, s.samples]),
      [
        [[label('span.code.function.name', { stringValue: 'placeOrder' }), label('p', { doubleValue: 0.5 })], sample(0.01)],
        [[label('span.code.function.name', { stringValue: 'placeOrder' }), label('p', { doubleValue: 0.99 })], sample(0.03)],
      ],
    );
  });

  it('passes on Tempo’s refusal of a query it cannot run', async () => {
    fake = await startFakeBackend('tempo', { withoutFixtures: true, documents: [document] });
    tempo = new TempoBackend({ url: fake.url });
    await assert.rejects(
      tempo.metricsQueryRange('{ name = "x" } | rate()', {
        startUs: T0_MS * 1000,
        endUs: (T0_MS + 60_000) * 1000,
        stepSeconds: 60,
      }),
      (e: unknown) => e instanceof BackendHttpError && e.status === 400,
    );
  });
});
