import * as assert from 'node:assert/strict';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { detectFormat, parseTraceSummaries, parseTraces, type TraceFormat } from '../../../../src/core/formats/parse';
import { readSharedFixture } from '../../fixtures';

// The protobufjs code generated from opentelemetry-proto, as the protobuf reader uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generated = require('otlp-transformer-generated/build/src/generated/root.js') as {
  opentelemetry: {
    proto: {
      collector: {
        trace: {
          v1: { ExportTraceServiceRequest: { fromObject(o: object): object; encode(m: object): { finish(): Uint8Array } } };
        };
      };
    };
  };
};

function encodeOtlpProto(request: object): Uint8Array {
  const type = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  return type.encode(type.fromObject(request)).finish();
}

const jaegerTrace = {
  traceID: 'abc',
  spans: [
    {
      traceID: 'abc',
      spanID: 'a',
      operationName: 'GET /',
      references: [],
      startTime: 1_700_000_000_000_000,
      duration: 5,
      processID: 'p1',
    },
  ],
  processes: { p1: { serviceName: 'web', tags: [] } },
};
const zipkinSpan = {
  traceId: 'abc',
  id: 'a',
  name: 'get /',
  timestamp: 1_700_000_000_000_000,
  duration: 5,
  localEndpoint: { serviceName: 'web' },
};
const otlp = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              name: 'GET /',
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000005000000',
            },
          ],
        },
      ],
    },
  ],
};

function json(v: unknown): string {
  return JSON.stringify(v);
}

function isFormatError(check: (e: TraceFormatError) => boolean) {
  return (e: unknown) => {
    assert.ok(e instanceof TraceFormatError, `expected a TraceFormatError, got ${String(e)}`);
    assert.ok(check(e), e.message);
    return true;
  };
}

describe('detectFormat', () => {
  const cases: [string, unknown, TraceFormat][] = [
    ['a Jaeger envelope', { data: [jaegerTrace], total: 0, limit: 0, offset: 0, errors: null }, 'jaeger'],
    ['a bare Jaeger trace', jaegerTrace, 'jaeger'],
    ['an array of Jaeger traces', [jaegerTrace], 'jaeger'],
    ['a Jaeger api_v3 response', { result: otlp }, 'jaeger-v3'],
    ['a Tempo batches body', { batches: otlp.resourceSpans }, 'tempo'],
    ['a Tempo v2 by-id body', { trace: otlp, status: 'COMPLETE' }, 'tempo'],
    ['an OTLP/JSON document', otlp, 'otlp-json'],
    ['a Zipkin span list', [zipkinSpan], 'zipkin'],
    ['a single Zipkin span', zipkinSpan, 'zipkin'],
    ['a Zipkin list of span lists', [[zipkinSpan], [zipkinSpan]], 'zipkin'],
    ['a Tempo search response', { traces: [{ traceID: 'ab', rootServiceName: 'web' }], metrics: {} }, 'tempo-search'],
    ['a Jaeger trace-summaries response', { summaries: [] }, 'jaeger-v3-summaries'],
  ];
  for (const [what, doc, format] of cases) {
    it(`recognises ${what} as ${format}`, () => {
      assert.equal(detectFormat(json(doc)), format);
      assert.equal(detectFormat(new TextEncoder().encode(json(doc))), format);
    });
  }

  it('recognises several OTLP documents one per line as otlp-jsonl', () => {
    assert.equal(detectFormat(`${json(otlp)}\n${json(otlp)}\n`), 'otlp-jsonl');
  });

  it('takes bytes that cannot start JSON text as OTLP protobuf', () => {
    assert.equal(detectFormat(new Uint8Array([0x0a, 0x8b, 0x01, 0x0a])), 'otlp-proto');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, 0x20, ...new TextEncoder().encode(json(jaegerTrace))]);
    assert.equal(detectFormat(withBom), 'jaeger');
  });

  it('names the formats tried and what it saw when nothing fits', () => {
    assert.throws(
      () => detectFormat(json({ hello: 'world', n: 1 })),
      isFormatError(
        (e) => e.format === 'unknown' && e.where === '$' && /Zipkin/.test(e.reason) && /keys hello, n/.test(e.reason),
      ),
    );
  });

  it('says that a service list or an operation list holds no traces', () => {
    assert.throws(
      () => detectFormat(json({ services: ['foo'] })),
      isFormatError((e) => /service names/.test(e.reason)),
    );
    assert.throws(
      () => detectFormat(json({ operations: [{ name: 'x' }] })),
      isFormatError((e) => /operations/.test(e.reason)),
    );
    assert.throws(
      () => detectFormat(json({ data: ['frontend'], total: 1 })),
      isFormatError((e) => /names/.test(e.reason)),
    );
    assert.throws(
      () => detectFormat(json(['frontend', 'backend'])),
      isFormatError((e) => /names/.test(e.reason)),
    );
  });
});

describe('parseTraces', () => {
  it('reads a Jaeger, a Zipkin and an OTLP document given as text or bytes', () => {
    for (const doc of [jaegerTrace, [zipkinSpan], otlp]) {
      const [fromText] = parseTraces(json(doc));
      const [fromBytes] = parseTraces(new TextEncoder().encode(json(doc)));
      assert.equal(fromText!.spans[0]!.service, 'web');
      assert.deepEqual(fromBytes, fromText);
    }
  });

  it('reads text that starts with a byte-order mark', () => {
    assert.equal(parseTraces(`\ufeff${json(jaegerTrace)}`).length, 1);
    assert.equal(parseTraces(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(json(jaegerTrace))])).length, 1);
  });

  it('reports invalid JSON with the byte offset of the error', () => {
    assert.throws(
      () => parseTraces('{"data": [],\n}'),
      isFormatError((e) => e.where === 'byte 13 (line 2)' && /invalid JSON/.test(e.reason)),
    );
    assert.throws(
      () => parseTraces(new TextEncoder().encode('[{"traceId": "ab"')),
      isFormatError((e) => e.where === 'end of input'),
    );
    assert.throws(
      () => parseTraces('<html>502 Bad Gateway</html>'),
      isFormatError((e) => /invalid JSON/.test(e.reason)),
    );
  });

  it('says a file of text that is not JSON is no trace file, before trying it as protobuf', () => {
    const readme = new TextEncoder().encode('# Trace Lens\n\nDistributed traces linked to the code that produced them.\n');
    assert.throws(
      () => parseTraces(readme),
      isFormatError(
        (e) =>
          e.format === 'unknown' &&
          /^not a trace file \(JSON or OTLP protobuf expected\); this is text that starts "# Trace Lens"$/.test(e.reason),
      ),
    );
    assert.throws(() => detectFormat(new TextEncoder().encode('service: checkout\nport: 8080\n')), /not a trace file/);
    // UTF-8 text beyond ASCII is text too; bytes that are not UTF-8 or hold control characters go to the protobuf reader
    assert.throws(() => parseTraces(new TextEncoder().encode('Überblick — Spuren\n')), /not a trace file/);
    assert.throws(() => parseTraces(new Uint8Array([0x0a, 0x02, 0x12, 0xff])), /otlp-proto/);
    assert.deepEqual(parseTraces(new Uint8Array(0)), [], 'an empty protobuf message holds no traces');
  });

  it('refuses search results, pointing to parseTraceSummaries', () => {
    assert.throws(
      () => parseTraces(json({ summaries: [] })),
      isFormatError(
        (e) => e.format === 'jaeger-v3-summaries' && /search results/.test(e.reason) && /parseTraceSummaries/.test(e.reason),
      ),
    );
  });

  it('reads a forced format, and names it when the document does not fit', () => {
    assert.equal(parseTraces(json([zipkinSpan]), { format: 'zipkin' }).length, 1);
    assert.equal(parseTraces(json({ resourceSpans: otlp.resourceSpans }), { format: 'tempo' }).length, 1);
    assert.throws(
      () => parseTraces(json(jaegerTrace), { format: 'zipkin' }),
      isFormatError((e) => e.format === 'zipkin' && e.where === '$' && /looks like jaeger/.test(e.reason)),
    );
    assert.throws(
      () => parseTraces(json({ spans: 'none' }), { format: 'jaeger' }),
      isFormatError((e) => e.format === 'jaeger'),
    );
    assert.throws(
      () => parseTraces(json(otlp), { format: 'otlp-proto' }),
      isFormatError((e) => e.format === 'otlp-proto'),
    );
    assert.throws(
      () => parseTraces(json(otlp), { format: 'constructor' as TraceFormat }),
      isFormatError((e) => /one of jaeger, /.test(e.reason)),
    );
  });

  it('reads OTLP JSON lines whose spans of one trace are spread over lines', () => {
    const traces = parseTraces(`${json(otlp)}\n${json(otlp)}\n`);
    assert.equal(traces.length, 1);
    assert.equal(traces[0]!.spans.length, 2);
  });

  it('reads OTLP protobuf bytes as the same spans as their OTLP/JSON', () => {
    const bytes = encodeOtlpProto({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'),
                  spanId: Buffer.from('b7ad6b7169203331', 'hex'),
                  name: 'GET /',
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000005000000',
                },
              ],
            },
          ],
        },
      ],
    });
    const [fromProto] = parseTraces(bytes);
    const [fromJson] = parseTraces(json(otlp));
    assert.equal(fromProto!.traceId, fromJson!.traceId);
    assert.deepEqual(
      [fromProto!.spans[0]!.spanId, fromProto!.spans[0]!.name, fromProto!.spans[0]!.service, fromProto!.spans[0]!.durationUs],
      [fromJson!.spans[0]!.spanId, fromJson!.spans[0]!.name, fromJson!.spans[0]!.service, fromJson!.spans[0]!.durationUs],
    );
  });
});

describe('parseTraceSummaries', () => {
  it('reads Tempo search and Jaeger trace-summaries natively', function () {
    const [tempo] = parseTraceSummaries(readSharedFixture(this, 'tempo/search_bookinfo.json'));
    assert.equal(tempo!.rootService, 'istio-ingressgateway.istio-system');
    const [jaeger] = parseTraceSummaries(readSharedFixture(this, 'jaeger-v3/FindTraceSummaries.json'));
    assert.equal(jaeger!.spanCount, 2);
    assert.equal(jaeger!.errorCount, 1);
  });

  it('summarises full traces of any format', () => {
    const [summary] = parseTraceSummaries(
      json([zipkinSpan, { ...zipkinSpan, id: 'b', parentId: 'a', tags: { error: '' }, localEndpoint: { serviceName: 'db' } }]),
    );
    assert.deepEqual(summary, {
      traceId: '00000000000000000000000000000abc',
      rootService: 'web',
      rootName: 'get /',
      startUs: 1_700_000_000_000_000,
      durationUs: 5,
      spanCount: 2,
      errorCount: 1,
      services: [
        { name: 'web', spanCount: 1, errorCount: 0 },
        { name: 'db', spanCount: 1, errorCount: 1 },
      ],
    });
  });

  it('says what a deeply nested document is instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.throws(
      () => parseTraces(deep),
      (e: unknown) => e instanceof TraceFormatError,
    );
  });
});
