import * as assert from 'node:assert/strict';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseOtlpJsonDocument, parseOtlpJsonLines, TEMPO_PARTIAL_MESSAGE } from '../../../../src/core/formats/otlpJson';
import type { Span, Trace } from '../../../../src/core/model/types';
import { readSharedFixture } from '../../fixtures';

function fixture(ctx: Mocha.Context, relative: string): unknown {
  return JSON.parse(readSharedFixture(ctx, relative));
}

function only<T>(items: T[]): T {
  assert.equal(items.length, 1);
  return items[0]!;
}

function spanNamed(trace: Trace, name: string): Span {
  const span = trace.spans.find((s) => s.name === name);
  assert.ok(span, `no span named ${name}`);
  return span;
}

/** Every parentSpanId names a span of the same trace. */
function assertParentsResolve(trace: Trace): void {
  const ids = new Set(trace.spans.map((s) => s.spanId));
  for (const s of trace.spans)
    if (s.parentSpanId !== undefined) assert.ok(ids.has(s.parentSpanId), `${s.name}: parent ${s.parentSpanId} missing`);
}

/** A minimal OTLP/JSON document around the given spans. */
function doc(
  spans: unknown[],
  resourceAttributes: unknown[] = [{ key: 'service.name', value: { stringValue: 'svc' } }],
): unknown {
  return { resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: 'lib' }, spans }] }] };
}

const TRACE_ID = '5b8efff798038103d269b633813fc60c';

function span(spanId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    spanId,
    name: `op-${spanId}`,
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712660001000000',
    ...extra,
  };
}

describe('parseOtlpJsonDocument', () => {
  describe('shared fixtures', () => {
    it('reads the official example: UPPER-case ids lowercased, scope with attributes, times in µs', function () {
      const trace = only(parseOtlpJsonDocument(fixture(this, 'otlp/trace.json')));
      assert.equal(trace.traceId, TRACE_ID);
      const s = only(trace.spans);
      assert.equal(s.spanId, 'eee19b7ec3c1b174');
      assert.equal(s.parentSpanId, 'eee19b7ec3c1b173');
      assert.equal(s.service, 'my.service');
      assert.equal(s.kind, 'server');
      assert.equal(s.startUs, 1_544_712_660_000_000);
      assert.equal(s.durationUs, 1_000_000);
      assert.deepEqual(s.attributes, { 'my.span.attr': 'some value' });
      assert.deepEqual(s.scope, {
        name: 'my.library',
        version: '1.0.0',
        attributes: { 'my.scope.attribute': 'some scope attribute' },
      });
      assert.deepEqual(trace.warnings, []);
    });

    it('reads two traces with links, events, ERROR status and int/double/bytes values (Jaeger memory store)', function () {
      const traces = parseOtlpJsonDocument(fixture(this, 'otlp/otel_traces_01.json'));
      assert.deepEqual(
        traces.map((t) => [t.traceId, t.spans.map((s) => s.spanId)]),
        [
          ['00000000000000010000000000000000', ['0000000000000002', '0000000000000004']],
          ['00000000000000020000000000000000', ['0000000000000003', '0000000000000005']],
        ],
      );
      const s = spanNamed(traces[0]!, 'test-general-conversion-2');
      assert.equal(s.kind, 'server');
      assert.equal(s.status.code, 'error');
      assert.equal(s.traceState, 'state.2');
      assert.deepEqual(s.attributes, {
        'peer.service': 'service-y',
        'peer.ipv4': 23456,
        blob: new Uint8Array([0, 0, 0x30, 0x39]),
        temperature: 72.5,
      });
      assert.deepEqual(s.events, [
        { name: 'testing-event', timeUs: 1_485_467_191_639_875, attributes: { 'event-x': 'event-y' } },
        { name: '', timeUs: 1_485_467_191_639_875, attributes: { x: 'y' } },
      ]);
      assert.deepEqual(s.links, [
        {
          traceId: '00000000000000010000000000000000',
          spanId: '0000000000000004',
          attributes: { 'opentracing.ref_type': 'follows_from' },
        },
        {
          traceId: '00000000000000ff0000000000000000',
          spanId: '00000000000000ff',
          attributes: { 'opentracing.ref_type': 'child_of' },
        },
      ]);
      assert.equal(spanNamed(traces[1]!, 'test-general-conversion-5').kind, 'consumer');
    });

    it('shares one resource Attributes object among the spans of a resource', function () {
      const [first, second] = parseOtlpJsonDocument(fixture(this, 'otlp/otel_traces_01.json'));
      assert.equal(first!.spans[0]!.resource, first!.spans[1]!.resource);
      assert.equal(first!.spans[0]!.resource, second!.spans[0]!.resource);
      assert.deepEqual(first!.spans[0]!.resource, { 'service.name': 'service-x' });
    });

    it('reads Tempo < 2.6 "batches" with base64 ids and kind names across 5 services', function () {
      const trace = only(parseOtlpJsonDocument(fixture(this, 'tempo/trace_bookinfo_batches.json'), 'tempo'));
      assert.equal(trace.traceId, '3ba55609c3cde49649cd77d1f9dcd936');
      assert.equal(trace.spans.length, 8);
      assert.deepEqual(trace.services, [
        'istio-ingressgateway.istio-system',
        'productpage.bookinfo',
        'details.bookinfo',
        'reviews.bookinfo',
        'ratings.bookinfo',
      ]);
      const root = only(trace.spans.filter((s) => s.parentSpanId === undefined));
      assert.equal(root.spanId, Buffer.from('Sc130fnc2TY=', 'base64').toString('hex'));
      assert.equal(root.kind, 'client');
      assert.deepEqual(trace.spans.map((s) => s.kind).filter((k) => k === 'server').length, 4);
      assertParentsResolve(trace);
      assert.ok(trace.spans.every((s) => s.events.length === 1));
      assert.equal(trace.startUs, 1_701_779_876_570_888);
      assert.equal(trace.durationUs, 11_932);
    });

    it('reads Tempo 1.x instrumentationLibrarySpans (25 flat spans)', function () {
      const trace = only(parseOtlpJsonDocument(fixture(this, 'tempo/vulture_trace.2022-01.json'), 'tempo'));
      assert.equal(trace.traceId, Buffer.from('CSCPj2v0UkJjHavLBtfJxg==', 'base64').toString('hex'));
      assert.equal(trace.spans.length, 25);
      assert.deepEqual(trace.services, ['tempo-vulture']);
      assert.ok(trace.spans.every((s) => s.parentSpanId === undefined));
      assert.equal(trace.spans[0]!.attributes['vulture-0'], 'QLnDkAdcQFwdmC');
      assert.deepEqual(trace.warnings, []);
    });

    it('reads Tempo >= 2.6 resourceSpans with parent links and string intValues', function () {
      const trace = only(parseOtlpJsonDocument(fixture(this, 'tempo/vulture_trace.json'), 'tempo'));
      assert.equal(trace.spans.length, 6);
      assert.ok(trace.spans.some((s) => s.parentSpanId !== undefined));
      assertParentsResolve(trace);
      const resource = trace.spans[0]!.resource;
      assert.equal(resource['vulture-process-int-01'], 164005);
      assert.equal(resource['k8s.pod.name'], 'XkqgWWT');
      assert.equal(trace.spans[0]!.events[0]!.attributes['vulture-event-int-01'], 424354);
    });

    it('reads a Jaeger api_v3 GetTrace body: integer enums, no timestamps, unknown service', function () {
      const s = only(only(parseOtlpJsonDocument(fixture(this, 'jaeger-v3/GetTrace.json'), 'jaeger-v3')).spans);
      assert.equal(s.traceId, '00000000000000000000000000000001');
      assert.equal(s.spanId, '0000000000000002');
      assert.equal(s.kind, 'server');
      assert.deepEqual(s.status, { code: 'error' });
      assert.equal(s.service, 'unknown_service');
      assert.equal(s.scope, undefined);
      assert.equal(s.durationUs, 0);
    });

    it('reads a Jaeger <= 1.53 api_v3 body: base64 ids, enum names, "" parent, Go zero time as a warning', function () {
      const trace = only(parseOtlpJsonDocument(fixture(this, 'jaeger-v3/GetTrace.v1.53-base64.json'), 'jaeger-v3'));
      assert.equal(trace.traceId, '000000000000009600000000000000a0');
      const s = only(trace.spans);
      assert.equal(s.spanId, '00000000000000b4');
      assert.equal(s.parentSpanId, undefined);
      assert.equal(s.kind, 'server');
      assert.equal(s.status.code, 'error');
      assert.ok(Number.isFinite(s.startUs));
      assert.ok(
        trace.warnings.some((w) => w.includes('beyond 2^63')),
        trace.warnings.join('\n'),
      );
    });

    it('reads protojson (base64 ids, enum names) with its 3 error spans', function () {
      const trace = only(parseOtlpJsonDocument(fixture(this, 'otlp/trace-with-failed-requests.json')));
      assert.equal(trace.traceId, Buffer.from('6Lbf+fjUSyjxsivDvS9naA==', 'base64').toString('hex'));
      assert.equal(trace.spans.length, 15);
      assert.deepEqual(trace.services, ['mythical-requester', 'mythical-server']);
      assert.equal(trace.spans.filter((s) => s.status.code === 'error').length, 3);
      assertParentsResolve(trace);
      assert.deepEqual(trace.warnings, []);
    });
  });

  describe('values', () => {
    it('reads every AnyValue kind, nested arrays and kvlists, and an empty value as null', () => {
      const attributes = [
        { key: 's', value: { stringValue: 'x' } },
        { key: 'i', value: { intValue: 42 } },
        { key: 'iText', value: { intValue: '-7' } },
        { key: 'd', value: { doubleValue: 2.5 } },
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'b', value: { boolValue: false } },
        { key: 'bytes', value: { bytesValue: 'AQID' } },
        {
          key: 'arr',
          value: { arrayValue: { values: [{ stringValue: 'a' }, { arrayValue: { values: [{ intValue: '1' }] } }] } },
        },
        { key: 'map', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }] } } },
        { key: 'empty', value: {} },
        { key: 'missing' },
      ];
      const s = only(only(parseOtlpJsonDocument(doc([span('0000000000000001', { attributes })]))).spans);
      assert.deepEqual(s.attributes, {
        s: 'x',
        i: 42,
        iText: -7,
        d: 2.5,
        nan: Number.NaN,
        b: false,
        bytes: new Uint8Array([1, 2, 3]),
        arr: ['a', [1]],
        map: { inner: true },
        empty: null,
        missing: null,
      });
    });

    it('keeps int64 values beyond 2^53 exact as decimal strings', () => {
      const attributes = [
        { key: 'max', value: { intValue: '9223372036854775807' } },
        { key: 'min', value: { intValue: '-9223372036854775808' } },
        { key: 'safe', value: { intValue: '9007199254740991' } },
        { key: 'unsafe', value: { intValue: '9007199254740993' } },
      ];
      const s = only(only(parseOtlpJsonDocument(doc([span('0000000000000001', { attributes })]))).spans);
      assert.equal(s.attributes.max, '9223372036854775807');
      assert.equal(s.attributes.min, '-9223372036854775808');
      assert.equal(s.attributes.safe, 9007199254740991);
      assert.equal(s.attributes.unsafe, '9007199254740993');
    });

    it('keeps a "__proto__" attribute key as an ordinary key without touching the prototype', () => {
      const attributes = [
        { key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } },
        { key: 'constructor', value: { stringValue: 'c' } },
      ];
      const s = only(only(parseOtlpJsonDocument(doc([span('0000000000000001', { attributes })]))).spans);
      assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
      assert.deepEqual(Object.keys(s.attributes), ['__proto__', 'constructor']);
      assert.deepEqual(Object.getOwnPropertyDescriptor(s.attributes, '__proto__')?.value, { polluted: true });
      assert.equal((s.attributes as Record<string, unknown>).polluted, undefined);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('reads kind and status as numbers or enum names; OK and UNSET are distinguished', () => {
      const traces = parseOtlpJsonDocument(
        doc([
          span('0000000000000001', { kind: 'SPAN_KIND_PRODUCER', status: { code: 'STATUS_CODE_OK' } }),
          span('0000000000000002', { kind: 5, status: { code: 1, message: 'fine' } }),
          span('0000000000000003', { kind: 'SPAN_KIND_BOGUS', status: { code: 'STATUS_CODE_UNSET' } }),
          span('0000000000000004', { kind: 1, status: { code: 'STATUS_CODE_ERROR', message: 'timeout' } }),
        ]),
      );
      assert.deepEqual(
        only(traces).spans.map((s) => [s.kind, s.status]),
        [
          ['producer', { code: 'ok' }],
          ['consumer', { code: 'ok', message: 'fine' }],
          ['unspecified', { code: 'unset' }],
          ['internal', { code: 'error', message: 'timeout' }],
        ],
      );
    });

    it('uses "unknown_service" when the resource has no service.name', () => {
      const s = only(only(parseOtlpJsonDocument(doc([span('0000000000000001')], []))).spans);
      assert.equal(s.service, 'unknown_service');
    });
  });

  describe('bad input', () => {
    for (const [label, input] of [
      ['null', null],
      ['a string', 'resourceSpans'],
      ['an array', []],
      ['an object of another format', { data: [] }],
    ] as const) {
      it(`rejects ${label} at $ with the shapes it expected`, () => {
        assert.throws(
          () => parseOtlpJsonDocument(input, 'jaeger-v3'),
          (e: unknown) =>
            e instanceof TraceFormatError && e.format === 'jaeger-v3' && e.where === '$' && /resourceSpans/.test(e.reason),
        );
      });
    }

    it('rejects resourceSpans that is not an array, naming the path', () => {
      assert.throws(
        () => parseOtlpJsonDocument({ result: { resourceSpans: {} } }),
        (e: unknown) => e instanceof TraceFormatError && e.where === '$.result.resourceSpans',
      );
    });

    it('drops spans without usable ids with their JSON path and keeps the good ones', () => {
      const traces = parseOtlpJsonDocument({
        resourceSpans: [
          {
            resource: {},
            scopeSpans: [
              { spans: [span('0000000000000001')] },
              {
                spans: [
                  span('0000000000000002', { traceId: undefined }),
                  span('0000000000000003', { traceId: '00000000000000000000000000000000' }),
                  span('', { name: 'no span id' }),
                  'not a span',
                  span('0000000000000004'),
                ],
              },
            ],
          },
        ],
      });
      const trace = only(traces);
      assert.deepEqual(
        trace.spans.map((s) => s.spanId),
        ['0000000000000001', '0000000000000004'],
      );
      for (const k of [0, 1, 2, 3]) {
        const path = `$.resourceSpans[0].scopeSpans[1].spans[${k}]`;
        assert.ok(
          trace.warnings.some((w) => w.includes(path)),
          `no warning names ${path}:\n${trace.warnings.join('\n')}`,
        );
      }
    });

    it('throws, naming a span path, when every span is bad', () => {
      assert.throws(
        () =>
          parseOtlpJsonDocument(doc([span('0000000000000001', { traceId: 'zz', spanId: 7 }), { spanId: '0000000000000002' }])),
        (e: unknown) =>
          e instanceof TraceFormatError &&
          e.format === 'otlp-json' &&
          e.message.includes('$.resourceSpans[0].scopeSpans[0].spans[0]'),
      );
    });

    it('keeps a span whose end time is missing, with a warning instead of a negative duration', () => {
      const trace = only(parseOtlpJsonDocument(doc([span('0000000000000001', { endTimeUnixNano: undefined })])));
      assert.equal(trace.spans[0]!.durationUs, 0);
      assert.equal(trace.warnings.length, 1);
    });

    it('reads a start of 1e308 ns as a JSON number just as it reads the same value as text', () => {
      const asNumber = only(parseOtlpJsonDocument(doc([span('0000000000000001', { startTimeUnixNano: 1e308 })])));
      const asText = only(parseOtlpJsonDocument(doc([span('0000000000000001', { startTimeUnixNano: '1' + '0'.repeat(308) })])));
      assert.deepEqual(asNumber.warnings, asText.warnings);
      assert.ok(asNumber.warnings.some((w) => w.includes('beyond 2^63')));
      assert.equal(asNumber.spans[0]!.startUs, asText.spans[0]!.startUs);
    });

    it('ignores a link without ids with a warning and keeps the others', () => {
      const links = [{ traceId: TRACE_ID }, { traceId: TRACE_ID, spanId: '00000000000000aa' }];
      const trace = only(parseOtlpJsonDocument(doc([span('0000000000000001', { links })])));
      assert.deepEqual(trace.spans[0]!.links, [{ traceId: TRACE_ID, spanId: '00000000000000aa', attributes: {} }]);
      assert.ok(trace.warnings.some((w) => w.includes('link 0')));
    });

    it('survives values nested deeper than any real exporter writes', () => {
      let value: unknown = { stringValue: 'bottom' };
      for (let i = 0; i < 10_000; i++) value = { arrayValue: { values: [value] } };
      const trace = only(parseOtlpJsonDocument(doc([span('0000000000000001', { attributes: [{ key: 'deep', value }] })])));
      assert.ok(Array.isArray(trace.spans[0]!.attributes.deep));
    });
  });

  describe('Tempo v2 by-id', () => {
    const body = (extra: Record<string, unknown>): unknown => ({
      trace: { resourceSpans: (doc([span('0000000000000001')]) as { resourceSpans: unknown }).resourceSpans },
      ...extra,
    });

    it('sets partial to the message Tempo gives with status PARTIAL', () => {
      const trace = only(
        parseOtlpJsonDocument(body({ status: 'PARTIAL', message: 'Trace exceeds maximum size of 5MB' }), 'tempo'),
      );
      assert.equal(trace.partial, 'Trace exceeds maximum size of 5MB');
      assert.equal(trace.spans.length, 1);
    });

    it('explains a PARTIAL trace itself when Tempo gives no message', () => {
      assert.equal(only(parseOtlpJsonDocument(body({ status: 1 }), 'tempo')).partial, TEMPO_PARTIAL_MESSAGE);
    });

    it('leaves partial unset for a COMPLETE trace, and reads the older "batches" key inside trace', () => {
      assert.equal(only(parseOtlpJsonDocument(body({ status: 'COMPLETE' }), 'tempo')).partial, undefined);
      const batches = { trace: { batches: (doc([span('0000000000000001')]) as { resourceSpans: unknown }).resourceSpans } };
      assert.equal(only(parseOtlpJsonDocument(batches, 'tempo')).spans.length, 1);
    });
  });
});

describe('parseOtlpJsonLines', () => {
  it('assembles one trace from spans spread over 4 lines (collector file exporter)', function () {
    const trace = only(parseOtlpJsonLines(readSharedFixture(this, 'otlp/otlp2jaeger-multi-in.json.txt')));
    assert.equal(trace.traceId, 'c620759e5d60fafb8ee0922b30e06bc6');
    assert.equal(trace.spans.length, 4);
    assert.deepEqual(trace.services, ['example-trace']);
    assertParentsResolve(trace);
    assert.deepEqual(trace.warnings, []);
  });

  it('skips blank lines and a bad line, with a warning naming its number', () => {
    const good = (id: string): string => JSON.stringify(doc([span(id)]));
    const traces = parseOtlpJsonLines(`${good('0000000000000001')}\n\n{"resourceSpans": [\n${good('0000000000000002')}\r\n`);
    const trace = only(traces);
    assert.equal(trace.spans.length, 2);
    assert.ok(
      trace.warnings.some((w) => w.startsWith('skipped line 3')),
      trace.warnings.join('\n'),
    );
  });

  it('names the line in span paths', () => {
    const text = [JSON.stringify(doc([span('0000000000000001')])), JSON.stringify(doc([span('', {})]))].join('\n');
    const trace = only(parseOtlpJsonLines(text));
    assert.ok(trace.warnings.some((w) => w.includes('line 2: $.resourceSpans[0].scopeSpans[0].spans[0]')));
  });

  it('throws naming the first bad line when no line is good', () => {
    assert.throws(
      () => parseOtlpJsonLines('\n{"nope": 1}\nnot json\n'),
      (e: unknown) => e instanceof TraceFormatError && e.where === 'line 2',
    );
    assert.throws(() => parseOtlpJsonLines('\n  \n'), TraceFormatError);
  });
});
