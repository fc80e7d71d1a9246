import * as assert from 'node:assert/strict';
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseOtlpJsonDocument } from '../../../../src/core/formats/otlpJson';
import { parseOtlpProto } from '../../../../src/core/formats/otlpProto';

/** The generated encoder, to write requests the way any protobuf OTLP sender would. */
interface Encoder {
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: object): object;
}
const collector = (
  generatedRoot as unknown as {
    opentelemetry: {
      proto: {
        collector: { trace: { v1: { ExportTraceServiceRequest: Encoder } } };
      };
    };
  }
).opentelemetry.proto.collector;

/** protobufjs fromObject reads bytes fields from base64 and int64 fields from decimal strings. */
function encode(type: Encoder, object: object): Uint8Array {
  return type.encode(type.fromObject(object)).finish();
}

const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const ROOT = 'b7ad6b7169203331';
const CHILD = '00f067aa0ba902b7';

/** One request in OTLP/JSON form; `bytesId` turns an id into what fromObject takes for a bytes field. */
function request(bytesId: (hex: string) => string): Record<string, unknown> {
  const kv = (key: string, value: object): object => ({ key, value });
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', { stringValue: 'checkout' }), kv('host.name', { stringValue: 'h1' })] },
        scopeSpans: [
          {
            scope: { name: 'shop', version: '2.0.0', attributes: [kv('scope.attr', { boolValue: true })] },
            spans: [
              {
                traceId: bytesId(TRACE),
                spanId: bytesId(ROOT),
                name: 'GET /cart',
                kind: 2,
                startTimeUnixNano: '1700000000123456789',
                endTimeUnixNano: '1700000000223456789',
                traceState: 'vendor=1',
                attributes: [
                  kv('big', { intValue: '9223372036854775807' }),
                  kv('negative', { intValue: '-42' }),
                  kv('ratio', { doubleValue: 0.125 }),
                  kv('blob', { bytesValue: Buffer.from([1, 2, 250]).toString('base64') }),
                  kv('list', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } }),
                  kv('map', { kvlistValue: { values: [kv('nested', { doubleValue: 1.5 })] } }),
                  kv('empty', {}),
                ],
                events: [
                  {
                    timeUnixNano: '1700000000123999999',
                    name: 'exception',
                    attributes: [kv('exception.type', { stringValue: 'Boom' })],
                  },
                ],
                links: [
                  {
                    traceId: bytesId('ffffffffffffffffffffffffffffffff'),
                    spanId: bytesId('1111111111111111'),
                    attributes: [kv('why', { stringValue: 'batch' })],
                  },
                ],
                status: { code: 2, message: 'out of stock' },
              },
              {
                traceId: bytesId(TRACE),
                spanId: bytesId(CHILD),
                parentSpanId: bytesId(ROOT),
                name: 'SELECT cart',
                kind: 3,
                startTimeUnixNano: '1700000000130000000',
                endTimeUnixNano: '1700000000140000001',
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('parseOtlpProto', () => {
  it('reads the same trace from protobuf as from the same request in OTLP/JSON', () => {
    const bytes = encode(collector.trace.v1.ExportTraceServiceRequest, request(hexToBase64));
    const fromProto = parseOtlpProto(bytes);
    assert.deepStrictEqual(fromProto, parseOtlpJsonDocument(request((hex) => hex)));

    const [root, child] = fromProto[0]!.spans;
    assert.equal(root!.traceId, TRACE);
    assert.equal(root!.spanId, ROOT);
    assert.equal(root!.parentSpanId, undefined);
    assert.equal(child!.parentSpanId, ROOT);
    assert.equal(root!.startUs, 1_700_000_000_123_456 + 0.789); // as close as a double gets
    assert.equal(root!.durationUs, 100_000);
    assert.deepEqual(root!.status, { code: 'error', message: 'out of stock' });
    assert.deepEqual(child!.status, { code: 'ok' });
    assert.equal(root!.attributes.big, '9223372036854775807');
    assert.equal(root!.attributes.negative, -42);
    assert.deepStrictEqual(root!.attributes.blob, new Uint8Array([1, 2, 250]));
    assert.deepEqual(root!.attributes.list, ['a', 2]);
    assert.deepEqual(root!.attributes.map, { nested: 1.5 });
    assert.equal(root!.attributes.empty, null);
    assert.deepEqual(root!.links, [
      { traceId: 'ffffffffffffffffffffffffffffffff', spanId: '1111111111111111', attributes: { why: 'batch' } },
    ]);
    assert.deepEqual(root!.scope, { name: 'shop', version: '2.0.0', attributes: { 'scope.attr': true } });
    assert.equal(root!.resource, child!.resource);
  });

  it('copies bytes values out of the request buffer', () => {
    const bytes = encode(collector.trace.v1.ExportTraceServiceRequest, request(hexToBase64));
    const blob = parseOtlpProto(bytes)[0]!.spans[0]!.attributes.blob as Uint8Array;
    assert.notEqual(blob.buffer, bytes.buffer);
    assert.equal(Object.getPrototypeOf(blob), Uint8Array.prototype);
  });

  it('drops a span without a trace id, naming its place, and warns about a start beyond 2^63 ns', () => {
    const req = request(hexToBase64);
    const spans = (req.resourceSpans as { scopeSpans: { spans: Record<string, unknown>[] }[] }[])[0]!.scopeSpans[0]!.spans;
    delete spans[1]!.traceId;
    spans[0]!.startTimeUnixNano = '11651379494838206464';
    const trace = parseOtlpProto(encode(collector.trace.v1.ExportTraceServiceRequest, req))[0]!;
    assert.equal(trace.spans.length, 1);
    assert.ok(trace.warnings.some((w) => w.includes('resourceSpans[0].scopeSpans[0].spans[1]')));
    assert.ok(trace.warnings.some((w) => w.includes('beyond 2^63')));
  });

  it('reads an empty request as no traces', () => {
    assert.deepEqual(parseOtlpProto(new Uint8Array(0)), []);
  });

  it('reports undecodable bytes as a TraceFormatError with the byte offset', () => {
    // field 1 (resourceSpans), length 5, but only one byte follows
    assert.throws(
      () => parseOtlpProto(new Uint8Array([0x0a, 0x05, 0x01])),
      (e: unknown) => e instanceof TraceFormatError && e.format === 'otlp-proto' && /^byte \d+$/.test(e.where),
    );
    // an unknown field 2 with wire type 7, which does not exist
    assert.throws(
      () => parseOtlpProto(new Uint8Array([0x17])),
      (e: unknown) => e instanceof TraceFormatError && e.where === 'byte 1' && /wire type/.test(e.reason),
    );
  });
});
