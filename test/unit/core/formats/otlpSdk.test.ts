// Spans made by the real OpenTelemetry JS SDK, serialized by its own OTLP serializers, read back by both readers.
import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace as traceApi } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseOtlpJsonDocument } from '../../../../src/core/formats/otlpJson';
import { parseOtlpProto } from '../../../../src/core/formats/otlpProto';
import type { Span, Trace } from '../../../../src/core/model/types';

interface Recorded {
  spans: ReadableSpan[];
  ids: { trace: string; root: string; child: string; other: string };
}

async function recordSpans(): Promise<Recorded> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('cart-lib', '3.1.0');

  const other = tracer.startSpan('scheduled job');
  other.end();
  const root = tracer.startSpan('POST /cart', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.method': 'POST',
      'http.status_code': 500,
      'cart.total': 99.95,
      'cart.gift': false,
      'cart.items': ['apple', 'pear'],
      'cart.quantities': [3, 1],
      'cart.flags': [true, false],
    },
    links: [{ context: other.spanContext(), attributes: { 'link.reason': 'triggered by' } }],
  });
  const child = tracer.startSpan(
    'SELECT carts',
    { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } },
    traceApi.setSpan(ROOT_CONTEXT, root),
  );
  child.addEvent('query.retry', { attempt: 2 });
  child.end();
  root.addEvent('exception', { 'exception.type': 'OutOfStock', 'exception.message': 'pear' });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock' });
  root.end();
  await provider.forceFlush();

  const spans = exporter.getFinishedSpans();
  // The SDK's attribute API takes only primitives and their arrays; bytes and maps (OTLP AnyValue) reach
  // the serializer from other sources, so they are put on the finished span to cover their encoding too.
  const finishedRoot = spans.find((s) => s.name === 'POST /cart')!;
  Object.assign(finishedRoot.attributes, {
    'cart.token': new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
    'cart.owner': { id: 7, name: 'ada' },
  });
  return {
    spans,
    ids: {
      trace: root.spanContext().traceId,
      root: root.spanContext().spanId,
      child: child.spanContext().spanId,
      other: other.spanContext().spanId,
    },
  };
}

function span(traces: Trace[], name: string): Span {
  const found = traces.flatMap((t) => t.spans).find((s) => s.name === name);
  assert.ok(found, `no span ${name}`);
  return found;
}

describe('OTLP readers on real OpenTelemetry JS SDK output', () => {
  let recorded: Recorded;
  let fromProto: Trace[];
  let fromJson: Trace[];

  before(async () => {
    recorded = await recordSpans();
    fromProto = parseOtlpProto(ProtobufTraceSerializer.serializeRequest(recorded.spans)!);
    fromJson = parseOtlpJsonDocument(JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(recorded.spans)!)));
  });

  it('gives the same traces from the protobuf and the JSON serialization', () => {
    assert.deepStrictEqual(fromProto, fromJson);
  });

  for (const via of ['protobuf', 'json'] as const) {
    describe(`via ${via}`, () => {
      const traces = (): Trace[] => (via === 'protobuf' ? fromProto : fromJson);

      it('keeps ids, parent links and the trace grouping', () => {
        const { ids } = recorded;
        assert.equal(traces().length, 2);
        const cart = traces().find((t) => t.traceId === ids.trace)!;
        assert.deepEqual(cart.spans.map((s) => s.name).sort(), ['POST /cart', 'SELECT carts']);
        const root = span(traces(), 'POST /cart');
        const child = span(traces(), 'SELECT carts');
        assert.equal(root.spanId, ids.root);
        assert.equal(root.parentSpanId, undefined);
        assert.equal(child.spanId, ids.child);
        assert.equal(child.parentSpanId, ids.root);
        assert.deepEqual(cart.warnings, []);
      });

      it('keeps service, resource, scope, kinds and status', () => {
        const root = span(traces(), 'POST /cart');
        assert.equal(root.service, 'checkout');
        assert.equal(root.resource['deployment.environment'], 'test');
        assert.deepEqual(root.scope, { name: 'cart-lib', version: '3.1.0' });
        assert.equal(root.kind, 'server');
        assert.equal(span(traces(), 'SELECT carts').kind, 'client');
        assert.equal(span(traces(), 'scheduled job').kind, 'internal');
        assert.deepEqual(root.status, { code: 'error', message: 'out of stock' });
        assert.deepEqual(span(traces(), 'SELECT carts').status, { code: 'unset' });
      });

      it('keeps attributes with their types', () => {
        assert.deepStrictEqual(span(traces(), 'POST /cart').attributes, {
          'http.method': 'POST',
          'http.status_code': 500,
          'cart.total': 99.95,
          'cart.gift': false,
          'cart.items': ['apple', 'pear'],
          'cart.quantities': [3, 1],
          'cart.flags': [true, false],
          'cart.token': new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
          'cart.owner': { id: 7, name: 'ada' },
        });
      });

      it('keeps events with times inside the span, and links with attributes', () => {
        const root = span(traces(), 'POST /cart');
        const [event] = root.events;
        assert.equal(event!.name, 'exception');
        assert.deepEqual(event!.attributes, { 'exception.type': 'OutOfStock', 'exception.message': 'pear' });
        assert.ok(event!.timeUs >= root.startUs && event!.timeUs <= root.startUs + root.durationUs);
        assert.deepEqual(span(traces(), 'SELECT carts').events[0]!.attributes, { attempt: 2 });
        const other = span(traces(), 'scheduled job');
        assert.deepEqual(root.links, [
          { traceId: other.traceId, spanId: recorded.ids.other, attributes: { 'link.reason': 'triggered by' } },
        ]);
      });

      it('keeps start and duration as the SDK recorded them, in microseconds', () => {
        // Epoch microseconds in a double have a 0.25 µs step today, so each time is within 0.125 µs.
        const readable = recorded.spans.find((s) => s.name === 'POST /cart')!;
        const root = span(traces(), 'POST /cart');
        const [seconds, nanos] = readable.startTime;
        assert.ok(Math.abs(root.startUs - (seconds * 1e6 + nanos / 1000)) <= 0.125);
        const [ds, dn] = readable.duration;
        assert.ok(Math.abs(root.durationUs - (ds * 1e6 + dn / 1000)) <= 0.25);
      });
    });
  }
});
