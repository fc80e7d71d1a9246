import * as assert from 'node:assert/strict';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BackendCancelledError, BackendNotFoundError, BackendQueryError } from '../../../../src/core/backends/backendErrors';
import { createLocalBackend } from '../../../../src/core/backends/localBackend';
import { startReceiver } from '../../../../src/core/receiver/otlpReceiver';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { BASE_US, span, spanIdOf, trace, traceIdOf, traceOfSize } from '../store/builders';

describe('LocalBackend', () => {
  function backendWithTraces() {
    const store = new TraceStore({ maxSpans: 6 });
    store.add([traceOfSize(1, 2, 0, 'web')]);
    store.add([
      trace([
        span({
          traceId: traceIdOf(2),
          spanId: spanIdOf(1),
          name: 'charge',
          service: 'pay',
          startUs: BASE_US + 5000,
          durationUs: 9000,
          status: { code: 'error' },
          attributes: { 'http.route': '/pay' },
        }),
      ]),
    ]);
    return { store, backend: createLocalBackend(store) };
  }

  it('is the local backend with summaries and tag search, and no TraceQL', () => {
    const { backend } = backendWithTraces();
    assert.equal(backend.type, 'local');
    assert.equal(backend.url, undefined);
    assert.deepEqual(backend.capabilities, { summaries: true, traceQl: false, tagSearch: true, spanFiltering: false });
  });

  it('answers services, operations, tags and searches from the store', async () => {
    const { backend } = backendWithTraces();
    assert.deepEqual(await backend.listServices(), ['pay', 'web']);
    assert.deepEqual(await backend.listOperations('web'), ['child 1', 'root']);
    assert.deepEqual(
      (await backend.searchTraces({ errorsOnly: true })).map((s) => s.rootName),
      ['charge'],
    );
    assert.deepEqual(
      (await backend.searchTraces({ tags: { 'http.route': '/pay' }, minDurationUs: 5000 })).map((s) => s.traceId),
      [traceIdOf(2)],
    );
    assert.ok((await backend.tagKeys()).includes('http.route'));
    assert.deepEqual(await backend.tagValues('service.name'), ['pay', 'web']);
    assert.equal((await backend.getTrace(traceIdOf(1))).spans.length, 2);
  });

  it('says a missing trace may have been evicted', async () => {
    const { store, backend } = backendWithTraces();
    store.add([traceOfSize(3, 5)]);
    const error = await backend.getTrace(traceIdOf(1)).catch((e: unknown) => e);
    assert.ok(error instanceof BackendNotFoundError);
    assert.equal(error.what, 'trace');
    assert.match(error.message, /evicted/);
  });

  it('refuses TraceQL and honours a cancelled signal', async () => {
    const { backend } = backendWithTraces();
    await assert.rejects(backend.searchTraces({ traceQl: '{ status = error }' }), BackendQueryError);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(backend.listServices({ signal: controller.signal }), BackendCancelledError);
  });

  it('shows what an SDK exported to the receiver', async () => {
    const receiver = await startReceiver({ port: 0 });
    try {
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'sdk-app' }),
        spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` }))],
      });
      const s = provider.getTracer('t').startSpan('work');
      s.end();
      await provider.shutdown();
      const backend = createLocalBackend(receiver.store);
      const [hit] = await backend.searchTraces({ service: 'sdk-app' });
      assert.equal(hit?.traceId, s.spanContext().traceId);
      assert.equal((await backend.getTrace(s.spanContext().traceId)).spans[0]?.name, 'work');
    } finally {
      await receiver.close();
    }
  });
});
