import * as assert from 'node:assert/strict';
import { BackendNotFoundError, BackendQueryError, BackendHttpError } from '../../../../src/core/backends/backendErrors';
import { JaegerBackend } from '../../../../src/core/backends/jaegerBackend';
import { startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';
import { sharedFixturesDir } from '../../fixtures';

/** 2100-01-01: every fixture is before it. */
const END_US = 4_102_444_800_000_000;

describe('JaegerBackend', function () {
  before(function () {
    if (!sharedFixturesDir()) this.skip();
  });

  describe('query JSON API (no api_v3)', () => {
    let fake: FakeBackend;
    let jaeger: JaegerBackend;
    beforeEach(async () => {
      fake = await startFakeBackend('jaeger-v1');
      jaeger = new JaegerBackend({ url: fake.url, retryBaseDelayMs: 1 });
    });
    afterEach(async () => {
      await jaeger.dispose();
      await fake.close();
    });

    it('probes api_v3 once, takes the UI page for "absent", and uses /api', async () => {
      assert.equal(await jaeger.detectApi(), 'v1');
      const services = await jaeger.listServices();
      assert.ok(services.includes('jaeger-query'));
      await jaeger.listOperations('jaeger-query');
      assert.equal(fake.requestsTo('/api/v3/services').length, 1);
      assert.equal(fake.requestsTo('/api/services').length, 1);
      assert.equal(jaeger.capabilities.summaries, false);
    });

    it('lists operations of a service', async () => {
      assert.deepEqual(await jaeger.listOperations('api-edge'), ['POST /api/graphql']);
    });

    it('searches with the parameters jaeger-query expects and summarises the traces', async () => {
      const hits = await jaeger.searchTraces({
        service: 'api-edge',
        tags: { 'http.request.method': 'POST' },
        minDurationUs: 1000,
        startUs: 1,
        endUs: END_US,
        limit: 5,
      });
      assert.deepEqual(
        hits.map((h) => [h.traceId, h.rootService, h.spanCount]),
        [['4a1b2c3d4e5f60718293a4b5c6d7e8f9', 'api-edge', 57]],
      );
      const q = fake.requestsTo('/api/traces')[0]!.query;
      assert.deepEqual(q, {
        service: ['api-edge'],
        tags: ['{"http.request.method":"POST"}'],
        start: ['1'],
        end: [String(END_US)],
        minDuration: ['1000us'],
        limit: ['5'],
      });
    });

    it('finds nothing when a tag does not match', async () => {
      const hits = await jaeger.searchTraces({
        service: 'api-edge',
        tags: { 'http.request.method': 'DELETE' },
        startUs: 1,
        endUs: END_US,
      });
      assert.deepEqual(hits, []);
    });

    it('refuses a search without a service, as jaeger-query would', async () => {
      await assert.rejects(jaeger.searchTraces({ startUs: 1, endUs: END_US }), (e: unknown) => {
        assert.ok(e instanceof BackendQueryError);
        assert.match(e.message, /can only search within one service — choose a service first/);
        return true;
      });
    });

    it('opens a trace, and says when one is not there', async () => {
      const trace = await jaeger.getTrace('4a1b2c3d4e5f60718293a4b5c6d7e8f9');
      assert.equal(trace.spans.length, 57);
      assert.equal(trace.services.length, 10);
      await assert.rejects(jaeger.getTrace('00000000000000000000000000abcdef'), (e: unknown) => {
        assert.ok(e instanceof BackendNotFoundError);
        assert.equal(e.what, 'trace');
        assert.match(
          e.message,
          /^Trace 00000000000000000000000000abcdef was not found in Jaeger at http:\/\/127\.0\.0\.1:\d+ — /,
        );
        return true;
      });
    });

    it("passes the server's message through for a bad parameter", async () => {
      await assert.rejects(
        jaeger.searchTraces({ service: 'api-edge', minDurationUs: 5000, maxDurationUs: 10, startUs: 1, endUs: END_US }),
        (e: unknown) => {
          assert.ok(e instanceof BackendHttpError);
          assert.equal(e.status, 400);
          assert.match(e.message, /HTTP 400\): 'maxDuration' should be greater than 'minDuration'/);
          return true;
        },
      );
    });
  });

  describe('api_v3 with trace-summaries', () => {
    let fake: FakeBackend;
    let jaeger: JaegerBackend;
    beforeEach(async () => {
      fake = await startFakeBackend('jaeger-v3');
      jaeger = new JaegerBackend({ url: fake.url });
    });
    afterEach(async () => {
      await jaeger.dispose();
      await fake.close();
    });

    it('lists services from the probe answer (the recorded GetServices body included)', async () => {
      const services = await jaeger.listServices();
      assert.ok(services.includes('foo'));
      assert.equal(fake.requests.length, 1);
    });

    it('lists operations (the recorded GetOperations body)', async () => {
      assert.deepEqual(await jaeger.listOperations('foo'), ['get_users']);
      assert.deepEqual(fake.requestsTo('/api/v3/operations')[0]!.query, { service: ['foo'] });
    });

    it('searches trace-summaries with both time bounds, reading the recorded summary', async () => {
      const hits = await jaeger.searchTraces({ service: 'frontend', startUs: 0, endUs: END_US });
      assert.deepEqual(hits, [
        {
          traceId: '00000000000000000000000000000001',
          rootService: 'frontend',
          rootName: 'HTTP GET /',
          startUs: 1_000_000_000,
          durationUs: 1_000_000,
          spanCount: 2,
          errorCount: 1,
          services: [{ name: 'frontend', spanCount: 2, errorCount: 1 }],
        },
      ]);
      const q = fake.requestsTo('/api/v3/trace-summaries')[0]!.query;
      assert.deepEqual(q['query.startTimeMin'], ['1970-01-01T00:00:00.000000Z']);
      assert.deepEqual(q['query.startTimeMax'], ['2100-01-01T00:00:00.000000Z']);
      assert.equal(jaeger.capabilities.summaries, true);
      assert.equal(fake.requestsTo('/api/v3/traces').length, 0);
    });

    it('filters summaries by attributes on the server', async () => {
      const hits = await jaeger.searchTraces({
        service: 'example-service-1',
        tags: { 'peer.service': 'nope' },
        startUs: 0,
        endUs: END_US,
      });
      assert.deepEqual(hits, []);
      const q = fake.requestsTo('/api/v3/trace-summaries')[0]!.query;
      assert.deepEqual(q['query.attributes'], ['{"peer.service":"nope"}']);
    });

    it('opens the recorded GetTrace body and the Jaeger 1.53 base64 one', async () => {
      const trace = await jaeger.getTrace('00000000000000000000000000000001');
      assert.equal(trace.spans[0]?.name, 'foobar');
      assert.equal(trace.spans[0]?.status.code, 'error');
      const old = await jaeger.getTrace('000000000000009600000000000000a0', { startUs: 1, endUs: END_US });
      assert.equal(old.spans[0]?.spanId, '00000000000000b4');
      assert.deepEqual(fake.requestsTo('/api/v3/traces/000000000000009600000000000000a0')[0]!.query, {
        start_time: ['1970-01-01T00:00:00.000001Z'],
        end_time: ['2100-01-01T00:00:00.000000Z'],
      });
    });

    it('reports a missing trace as not found', async () => {
      await assert.rejects(jaeger.getTrace('0123456789abcdef'), BackendNotFoundError);
    });
  });

  describe('api_v3 before trace-summaries', () => {
    let fake: FakeBackend;
    let jaeger: JaegerBackend;
    beforeEach(async () => {
      fake = await startFakeBackend('jaeger-v3', { jaegerV3: 'legacy' });
      jaeger = new JaegerBackend({ url: fake.url });
    });
    afterEach(async () => {
      await jaeger.dispose();
      await fake.close();
    });

    it('falls back to /api/v3/traces with snake_case names, once, and summarises', async () => {
      const hits = await jaeger.searchTraces({ service: 'example-service-1', startUs: 0, endUs: END_US });
      assert.equal(hits.length, 1);
      assert.equal(hits[0]?.spanCount, 5);
      await jaeger.searchTraces({ service: 'example-service-1', startUs: 0, endUs: END_US });
      assert.equal(fake.requestsTo('/api/v3/trace-summaries').length, 1);
      assert.equal(fake.requestsTo('/api/v3/traces').length, 2);
      const q = fake.requestsTo('/api/v3/traces')[0]!.query;
      assert.deepEqual(Object.keys(q).sort(), [
        'query.num_traces',
        'query.service_name',
        'query.start_time_max',
        'query.start_time_min',
      ]);
      assert.equal(jaeger.capabilities.summaries, false);
    });

    it('takes "No traces found" as an empty result', async () => {
      assert.deepEqual(await jaeger.searchTraces({ service: 'nobody', startUs: 0, endUs: END_US }), []);
    });

    it('checks tags itself, since these servers ignore query.attributes', async () => {
      const hits = await jaeger.searchTraces({
        service: 'example-service-1',
        tags: { 'peer.service': 'nope' },
        startUs: 0,
        endUs: END_US,
      });
      assert.deepEqual(hits, []);
    });
  });
});
