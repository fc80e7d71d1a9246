import * as assert from 'node:assert/strict';
import { BackendHttpError, BackendNotFoundError, BackendQueryError } from '../../../../src/core/backends/backendErrors';
import { ZipkinBackend } from '../../../../src/core/backends/zipkinBackend';
import { startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';
import { sharedFixturesDir } from '../../fixtures';

const NOW_MS = 4_102_444_800_000; // 2100-01-01

describe('ZipkinBackend', function () {
  let fake: FakeBackend;
  let zipkin: ZipkinBackend;
  before(function () {
    if (!sharedFixturesDir()) this.skip();
  });
  beforeEach(async () => {
    fake = await startFakeBackend('zipkin');
    zipkin = new ZipkinBackend({ url: fake.url, now: () => NOW_MS });
  });
  afterEach(async () => {
    await zipkin.dispose();
    await fake.close();
  });

  it('says it has no summaries endpoint', () => {
    assert.equal(zipkin.capabilities.summaries, false);
  });

  it('lists services and span names', async () => {
    const services = await zipkin.listServices();
    assert.ok(services.includes('frontend'));
    assert.ok((await zipkin.listOperations('frontend')).length > 0);
    assert.deepEqual(fake.requestsTo('/api/v2/spans')[0]!.query, { serviceName: ['frontend'] });
  });

  it('searches with µs durations, ms endTs/lookback and an annotationQuery, and summarises', async () => {
    const hits = await zipkin.searchTraces({
      service: 'execution',
      tags: { 'http.method': 'GET' },
      maxDurationUs: 10_000_000_000,
      startUs: 0,
      limit: 3,
    });
    assert.ok(hits.length > 0);
    assert.ok(hits.every((h) => h.spanCount !== undefined && h.spanCount > 0));
    assert.deepEqual(fake.requestsTo('/api/v2/traces')[0]!.query, {
      serviceName: ['execution'],
      annotationQuery: ['http.method=GET'],
      minDuration: ['1'],
      maxDuration: ['10000000000'],
      endTs: [String(NOW_MS)],
      lookback: [String(NOW_MS)],
      limit: ['3'],
    });
  });

  it('asks for errors with the bare "error" key', async () => {
    const hits = await zipkin.searchTraces({ service: 'serviceb', errorsOnly: true, startUs: 0 });
    assert.equal(hits.length, 1);
    assert.equal(hits[0]?.errorCount, 3);
    assert.deepEqual(fake.requestsTo('/api/v2/traces')[0]!.query.annotationQuery, ['error']);
  });

  it('opens the 1041-span trace', async () => {
    const trace = await zipkin.getTrace('14b60fd9ae504820');
    assert.equal(trace.spans.length, 1041);
    assert.equal(trace.services.length, 16);
  });

  it('says a missing trace is not found, and refuses TraceQL', async () => {
    await assert.rejects(zipkin.getTrace('abcdef'), BackendNotFoundError);
    await assert.rejects(zipkin.searchTraces({ traceQl: '{}' }), BackendQueryError);
  });

  it("reports the server's validation message", async () => {
    fake.inject({ kind: 'status', status: 400, body: 'lookback <= 0' });
    await assert.rejects(zipkin.searchTraces({ service: 'frontend' }), (e: unknown) => {
      assert.ok(e instanceof BackendHttpError);
      assert.match(e.message, /\(HTTP 400\): lookback <= 0/);
      return true;
    });
  });

  it('autocompletes the configured keys, and nothing on a server without autocomplete', async () => {
    assert.deepEqual(await zipkin.tagKeys(), ['http.method', 'http.path']);
    assert.ok((await zipkin.tagValues('http.method')).includes('GET'));
    fake.inject({ kind: 'status', status: 404, body: 'Not Found' });
    assert.deepEqual(await zipkin.tagKeys(), []);
  });
});
