// The receiver against the real OpenTelemetry JS SDK and its OTLP/HTTP exporters (JSON and protobuf).
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { context, SpanKind, SpanStatusCode, trace as otelTrace, type Span as OtelSpan } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Span } from '../../../../src/core/model/types';
import { isLoopbackHost, startReceiver, type Receiver } from '../../../../src/core/receiver/otlpReceiver';
import { PortInUseError } from '../../../../src/core/receiver/receiverErrors';

type ExporterKind = 'json' | 'proto';

function providerFor(receiver: Receiver, kind: ExporterKind, service: string, gzip = false): BasicTracerProvider {
  const config = { url: `${receiver.url}/v1/traces`, compression: gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE };
  const exporter = kind === 'json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config);
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}

function childOf(parent: OtelSpan) {
  return otelTrace.setSpan(context.active(), parent);
}

function spanById(receiver: Receiver, traceId: string, spanId: string): Span {
  const t = receiver.store.get(traceId);
  assert.ok(t, `trace ${traceId} arrived`);
  const s = t.spans.find((x) => x.spanId === spanId);
  assert.ok(s, `span ${spanId} arrived`);
  return s;
}

describe('OTLP receiver with the OpenTelemetry SDK exporters', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver({ port: 0 });
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('listens on loopback by default and gives the URL exporters need', () => {
    assert.equal(receiver.host, '127.0.0.1');
    assert.ok(receiver.port > 0);
    assert.equal(receiver.url, `http://127.0.0.1:${receiver.port}`);
    assert.ok(isLoopbackHost(receiver.host));
    assert.equal(isLoopbackHost('0.0.0.0'), false);
  });

  for (const kind of ['json', 'proto'] as const) {
    for (const gzip of [false, true]) {
      it(`receives spans intact over http/${kind}${gzip ? ' with gzip' : ''}`, async () => {
        const provider = providerFor(receiver, kind, `shop-${kind}`, gzip);
        const tracer = provider.getTracer('shop.tracer', '1.2.3');
        const other = tracer.startSpan('other-root');
        other.end();

        const root = tracer.startSpan('GET /orders/:id', {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': 'GET',
            'http.response.status_code': 500,
            ratio: 0.25,
            cached: false,
            tags: ['a', 'b'],
            sizes: [1, 2, 3],
            flags: [true, false],
          },
        });
        const child = tracer.startSpan(
          'SELECT orders',
          { kind: SpanKind.CLIENT, links: [{ context: other.spanContext(), attributes: { 'link.reason': 'retry-of' } }] },
          childOf(root),
        );
        child.addEvent('query.sent', { 'db.rows': 3 });
        child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection reset' });
        child.end();
        root.end();
        await provider.forceFlush();
        await provider.shutdown();

        const { traceId, spanId: rootId } = root.spanContext();
        const t = receiver.store.get(traceId)!;
        assert.equal(t.spans.length, 2);
        assert.deepEqual(t.services, [`shop-${kind}`]);

        const r = spanById(receiver, traceId, rootId);
        assert.equal(r.name, 'GET /orders/:id');
        assert.equal(r.parentSpanId, undefined);
        assert.equal(r.kind, 'server');
        assert.equal(r.service, `shop-${kind}`);
        assert.deepEqual(r.attributes, {
          'http.request.method': 'GET',
          'http.response.status_code': 500,
          ratio: 0.25,
          cached: false,
          tags: ['a', 'b'],
          sizes: [1, 2, 3],
          flags: [true, false],
        });
        assert.equal(r.resource['deployment.environment.name'], 'test');
        assert.equal(r.resource['service.name'], `shop-${kind}`);
        assert.deepEqual(r.scope, { name: 'shop.tracer', version: '1.2.3' });
        assert.ok(r.durationUs >= 0);
        assert.ok(Math.abs(r.startUs - Date.now() * 1000) < 60_000_000, 'start time is now, in microseconds');

        const c = spanById(receiver, traceId, child.spanContext().spanId);
        assert.equal(c.parentSpanId, rootId);
        assert.equal(c.kind, 'client');
        assert.deepEqual(c.status, { code: 'error', message: 'connection reset' });
        assert.equal(c.events.length, 1);
        assert.equal(c.events[0]!.name, 'query.sent');
        assert.deepEqual(c.events[0]!.attributes, { 'db.rows': 3 });
        assert.ok(c.events[0]!.timeUs >= c.startUs);
        assert.deepEqual(c.links, [
          { traceId: other.spanContext().traceId, spanId: other.spanContext().spanId, attributes: { 'link.reason': 'retry-of' } },
        ]);

        const summary = receiver.store.summary(traceId)!;
        assert.equal(summary.rootName, 'GET /orders/:id');
        assert.equal(summary.errorCount, 1);
        assert.ok(receiver.store.has(other.spanContext().traceId));
      });
    }
  }

  it('assembles one trace from batches of several services and exporters', async () => {
    const frontend = providerFor(receiver, 'json', 'frontend');
    const backend = providerFor(receiver, 'proto', 'backend', true);
    const root = frontend.getTracer('fe').startSpan('click checkout');
    const server = backend.getTracer('be').startSpan('POST /checkout', { kind: SpanKind.SERVER }, childOf(root));
    server.end();
    await backend.forceFlush(); // the child arrives first
    root.end();
    await frontend.forceFlush();
    await Promise.all([frontend.shutdown(), backend.shutdown()]);

    const t = receiver.store.get(root.spanContext().traceId)!;
    assert.equal(t.spans.length, 2);
    assert.deepEqual(t.services, ['backend', 'frontend']);
    assert.equal(receiver.store.summary(t.traceId)!.rootService, 'frontend');
    assert.equal(spanById(receiver, t.traceId, server.spanContext().spanId).parentSpanId, root.spanContext().spanId);
  });

  it('takes batches of 512 from a BatchSpanProcessor without losing a span', async () => {
    const exporter = new ProtoTraceExporter({ url: `${receiver.url}/v1/traces` });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'batch' }),
      spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 4096 })],
    });
    const tracer = provider.getTracer('batch');
    for (let i = 0; i < 2000; i++) tracer.startSpan(`op ${i % 7}`).end();
    await provider.forceFlush();
    await provider.shutdown();
    assert.equal(receiver.store.stats().spans, 2000);
    assert.deepEqual(receiver.store.operations('batch').length, 7);
  });

  it('keeps the newest traces of a flood larger than the store and counts every evicted span', async () => {
    const small = await startReceiver({ port: 0, maxSpans: 1000 });
    try {
      const exporter = new ProtoTraceExporter({ url: `${small.url}/v1/traces` });
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'flood' }),
        spanProcessors: [
          new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 8192, scheduledDelayMillis: 60_000 }),
        ],
      });
      const tracer = provider.getTracer('flood');
      const traceIds: string[] = [];
      for (let t = 0; t < 300; t++) {
        const root = tracer.startSpan(`request ${t}`);
        for (let i = 0; i < 9; i++) tracer.startSpan('step', {}, childOf(root)).end();
        root.end();
        traceIds.push(root.spanContext().traceId);
        // one batch of 50 whole traces at a time, so that batches arrive in order
        if (t % 50 === 49) await provider.forceFlush();
      }
      await provider.shutdown();

      assert.deepEqual(
        { ...small.store.stats(), bytes: undefined },
        {
          traces: 100,
          spans: 1000,
          evictedTraces: 200,
          evictedSpans: 2000,
          evictedTracesForBytes: 0,
          truncatedValues: 0,
          evictedExceptions: 0,
          rejectedSpans: 0,
          duplicateSpans: 0,
          exceptions: 0,
          bytes: undefined,
        },
      );
      const kept = traceIds.filter((id) => small.store.has(id));
      assert.deepEqual(kept, traceIds.slice(200), 'the kept traces are the newest');
      for (const id of kept) assert.equal(small.store.get(id)!.spans.length, 10, 'kept traces are whole');
    } finally {
      await small.close();
    }
  });
});

describe('OTLP receiver start-up', () => {
  it('rejects a busy port with PortInUseError carrying a free port to suggest', async () => {
    const first = await startReceiver({ port: 0 });
    try {
      const error = await startReceiver({ port: first.port }).then(
        () => assert.fail('the second receiver should not start'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof PortInUseError);
      assert.equal(error.port, first.port);
      assert.match(error.message, new RegExp(`Port ${first.port} .* already in use`));
      assert.ok(error.suggestedPort !== undefined && error.suggestedPort > first.port);
      // the suggestion is usable
      const second = await startReceiver({ port: error.suggestedPort });
      await second.close();
    } finally {
      await first.close();
    }
  });

  it('suggests no port when none near is free', async () => {
    const holders: net.Server[] = [];
    const first = await startReceiver({ port: 0 });
    try {
      // Fill the ports after the busy one; any that is taken already counts as taken.
      for (let p = first.port + 1; p <= first.port + 20; p++) {
        const s = net.createServer();
        await new Promise<void>((resolve) => {
          s.once('error', () => resolve());
          s.listen({ host: '127.0.0.1', port: p, exclusive: true }, () => resolve());
        });
        holders.push(s);
      }
      const error = await startReceiver({ port: first.port }).catch((e: unknown) => e);
      assert.ok(error instanceof PortInUseError);
      assert.equal(error.suggestedPort, undefined);
    } finally {
      holders.forEach((s) => s.listening && s.close());
      await first.close();
    }
  });

  it('uses a store it is given, so that traces survive moving to another port', async () => {
    const first = await startReceiver({ port: 0, maxSpans: 10 });
    const second = await startReceiver({ port: 0, store: first.store });
    assert.equal(second.store, first.store);
    assert.equal(second.store.maxSpans, 10);
    await Promise.all([first.close(), second.close()]);
  });

  it('closes promptly while an exporter keeps its connection alive', async function () {
    // Node keeps an idle keep-alive socket 5 s; a close() that waited for it would exceed this.
    this.timeout(4000);
    const receiver = await startReceiver({ port: 0 });
    const provider = providerFor(receiver, 'proto', 'keepalive');
    provider.getTracer('t').startSpan('one').end();
    await provider.forceFlush();
    await receiver.close();
    await receiver.close(); // idempotent
    await provider.shutdown();
    assert.equal(receiver.store.stats().spans, 1);
  });
});
