import * as assert from 'node:assert/strict';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseJaegerDocument } from '../../../../src/core/formats/jaeger';
import type { Span, Trace } from '../../../../src/core/model/types';
import { readSharedFixture } from '../../fixtures';

function only(traces: Trace[]): Trace {
  assert.equal(traces.length, 1);
  return traces[0]!;
}

function spanNamed(trace: Trace, name: string): Span {
  const span = trace.spans.find((s) => s.name === name);
  assert.ok(span, `no span named ${name}`);
  return span;
}

/** A minimal hand-written Jaeger span; `extra` overrides or adds fields. */
function span(spanID: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceID: 'abc',
    spanID,
    operationName: `op-${spanID}`,
    references: [],
    startTime: 1_700_000_000_000_000,
    duration: 10,
    tags: [],
    logs: [],
    processID: 'p1',
    ...extra,
  };
}

function trace(spans: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceID: 'abc',
    spans,
    processes: { p1: { serviceName: 'svc', tags: [{ key: 'host', type: 'string', value: 'h1' }] } },
    ...extra,
  };
}

describe('parseJaegerDocument', () => {
  describe('upstream fixtures', () => {
    it('pads the 15-char span id of a real Jaeger 1.x download so that its child resolves (ui-trace.json)', function () {
      const t = only(parseJaegerDocument(JSON.parse(readSharedFixture(this, 'jaeger/ui-trace.json'))));
      assert.equal(t.traceId, '00000000000000002db17286b3e6b148');
      const child = spanNamed(t, 'GetOperations');
      assert.equal(child.spanId, '0ec2b4e0bcea566d');
      assert.equal(child.parentSpanId, '2db17286b3e6b148');
      const root = spanNamed(t, '/api/services/{service}/operations');
      assert.equal(root.kind, 'server');
      assert.equal(root.attributes['sampler.param'], 1);
      assert.equal(root.attributes['http.status_code'], 200);
      assert.equal(root.service, 'jaeger-query');
      assert.equal(root.startUs, 1571326774777373);
      assert.equal(root.durationUs, 4199);
    });

    it('reads every tag type of ui_01.json, keeping an int64 beyond 2^53 exact and decoding binary', function () {
      const t = only(parseJaegerDocument(JSON.parse(readSharedFixture(this, 'jaeger/ui_01.json'))));
      const tagged = t.spans[1]!;
      assert.equal(tagged.attributes['javascript_limit'], '9223372036854775222');
      assert.equal(tagged.attributes['peer.ipv4'], 23456);
      assert.equal(tagged.attributes['temperature'], 72.5);
      assert.equal(tagged.attributes['error'], true);
      assert.deepEqual(tagged.attributes['blob'], new Uint8Array([0x00, 0x00, 0x30, 0x39]));
      assert.equal(tagged.status.code, 'error');
    });

    it('keeps both spans of a duplicated span id and turns the foreign-trace reference into a link (ui_01.json)', function () {
      const t = only(parseJaegerDocument(JSON.parse(readSharedFixture(this, 'jaeger/ui_01.json'))));
      assert.equal(t.spans.length, 5);
      assert.equal(t.spans.filter((s) => s.spanId === '0000000000000002').length, 2);
      const ref = spanNamed(t, 'reference-test');
      assert.equal(ref.parentSpanId, '0000000000000002');
      assert.deepEqual(
        ref.links.map((l) => [l.traceId, l.spanId, l.attributes['jaeger.ref_type']]),
        [
          ['000000000000000000000000000000ff', '00000000000000ff', 'CHILD_OF'],
          ['00000000000000000000000000000001', '0000000000000002', 'FOLLOWS_FROM'],
        ],
      );
      assert.ok(t.warnings.some((w) => w.includes('some trace warning')));
      assert.ok(t.warnings.some((w) => w.includes('0000000000000004') && w.includes('some span warning')));
    });

    it('turns logs into events named by their event field, else "log" (ui_01.json)', function () {
      const t = only(parseJaegerDocument(JSON.parse(readSharedFixture(this, 'jaeger/ui_01.json'))));
      const events = spanNamed(t, 'test-general-conversion').events;
      assert.deepEqual(
        events.map((e) => [e.name, e.timeUs]),
        [
          ['some-event', 1485467191639875],
          ['log', 1485467191639875],
        ],
      );
      assert.equal(events[1]!.attributes['x'], 'y');
    });

    it('keeps non-hex ids verbatim and reads the bool "true" as an error (testTrace.json)', function () {
      const t = only(parseJaegerDocument(JSON.parse(readSharedFixture(this, 'jaeger/testTrace.json'))));
      assert.equal(t.traceId, 'trace-123');
      const failing = t.spans.find((s) => s.spanId === 'span-2');
      assert.equal(failing?.parentSpanId, 'span-1');
      assert.equal(failing?.status.code, 'error');
      assert.equal(failing?.kind, 'client');
    });

    it('ignores the UI-only fields and reads the older otel.library scope (oltp2jaeger-multi-out.json)', function () {
      const t = only(parseJaegerDocument(JSON.parse(readSharedFixture(this, 'jaeger/oltp2jaeger-multi-out.json'))));
      assert.equal(t.spans.length, 4);
      assert.deepEqual(t.services, ['example-trace']);
      const main = spanNamed(t, 'main');
      assert.deepEqual(main.scope, { name: 'widgets', version: '1.2.3' });
      assert.equal(main.kind, 'internal');
      assert.equal(main.resource['telemetry.sdk.language'], 'nodejs');
      assert.deepEqual(Object.keys(main.attributes).sort(), ['otel.library.name', 'otel.library.version', 'span.kind']);
    });
  });

  describe('references', () => {
    it('takes a FOLLOWS_FROM to a span of the same trace as the parent when there is no CHILD_OF', () => {
      const [t] = parseJaegerDocument(
        trace([span('a'), span('b', { references: [{ refType: 'FOLLOWS_FROM', traceID: 'abc', spanID: 'a' }] })]),
      );
      const b = t!.spans[1]!;
      assert.equal(b.parentSpanId, '000000000000000a');
      assert.deepEqual(b.links, []);
    });

    it('keeps a FOLLOWS_FROM to a span that is not in the trace as a link, not a parent', () => {
      const [t] = parseJaegerDocument(
        trace([span('b', { references: [{ refType: 'FOLLOWS_FROM', traceID: 'abc', spanID: 'f' }] })]),
      );
      const b = t!.spans[0]!;
      assert.equal(b.parentSpanId, undefined);
      assert.deepEqual(
        b.links.map((l) => [l.spanId, l.attributes['jaeger.ref_type']]),
        [['000000000000000f', 'FOLLOWS_FROM']],
      );
    });

    it('prefers the first same-trace CHILD_OF over an earlier FOLLOWS_FROM', () => {
      const refs = [
        { refType: 'FOLLOWS_FROM', traceID: 'abc', spanID: 'a' },
        { refType: 'CHILD_OF', traceID: 'abc', spanID: 'b' },
        { refType: 'CHILD_OF', traceID: 'abc', spanID: 'a' },
      ];
      const [t] = parseJaegerDocument(trace([span('a'), span('b'), span('c', { references: refs })]));
      const c = t!.spans[2]!;
      assert.equal(c.parentSpanId, '000000000000000b');
      assert.deepEqual(
        c.links.map((l) => l.spanId),
        ['000000000000000a', '000000000000000a'],
      );
    });
  });

  describe('tags, status and scope', () => {
    it('takes the error message from otel.status_description, else from the error log', () => {
      const [t] = parseJaegerDocument(
        trace([
          span('a', {
            tags: [
              { key: 'error', type: 'bool', value: true },
              { key: 'otel.status_description', type: 'string', value: 'deadline exceeded' },
            ],
          }),
          span('b', {
            tags: [{ key: 'error', type: 'bool', value: true }],
            logs: [
              {
                timestamp: 1_700_000_000_000_005,
                fields: [
                  { key: 'event', type: 'string', value: 'error' },
                  { key: 'message', type: 'string', value: 'connection refused' },
                ],
              },
            ],
          }),
          span('c', { tags: [{ key: 'otel.status_code', type: 'string', value: 'OK' }] }),
        ]),
      );
      assert.deepEqual(t!.spans[0]!.status, { code: 'error', message: 'deadline exceeded' });
      assert.deepEqual(t!.spans[1]!.status, { code: 'error', message: 'connection refused' });
      assert.equal(t!.spans[1]!.events[0]!.name, 'error');
      assert.deepEqual(t!.spans[2]!.status, { code: 'ok' });
    });

    it('reads span kind, the scope (and its older otel.library name), and keeps every tag as an attribute', () => {
      const [t] = parseJaegerDocument(
        trace([
          span('a', {
            tags: [
              { key: 'span.kind', type: 'string', value: 'producer' },
              { key: 'otel.scope.name', type: 'string', value: 'kafka' },
              { key: 'otel.scope.version', type: 'string', value: '1.2' },
            ],
          }),
          span('b', { tags: [{ key: 'otel.library.name', type: 'string', value: 'old' }] }),
        ]),
      );
      const [a, b] = t!.spans;
      assert.equal(a!.kind, 'producer');
      assert.deepEqual(a!.scope, { name: 'kafka', version: '1.2' });
      assert.equal(a!.attributes['span.kind'], 'producer');
      assert.deepEqual(b!.scope, { name: 'old' });
      assert.equal(b!.kind, 'unspecified');
    });

    it('reads a float64 given as an integer literal or a string, and a bool given as a string', () => {
      const [t] = parseJaegerDocument(
        trace([
          span('a', {
            tags: [
              { key: 'f', type: 'float64', value: 1 },
              { key: 'g', type: 'float64', value: '2.5' },
              { key: 'b', type: 'bool', value: 'false' },
              { key: 'i', type: 'int64', value: '42' },
            ],
          }),
        ]),
      );
      assert.deepEqual({ ...t!.spans[0]!.attributes }, { f: 1, g: 2.5, b: false, i: 42 });
    });

    it('keeps a tag named __proto__ as an ordinary attribute', () => {
      const doc = JSON.parse(
        JSON.stringify(trace([span('a')])).replace('"tags":[]', '"tags":[{"key":"__proto__","type":"string","value":"x"}]'),
      );
      const [t] = parseJaegerDocument(doc);
      const attributes = t!.spans[0]!.attributes;
      assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
      assert.deepEqual(Object.keys(attributes), ['__proto__']);
    });

    it('reads a process given inline on the span when the trace has no process table', () => {
      const [t] = parseJaegerDocument({
        traceID: 'abc',
        spans: [span('a', { processID: undefined, process: { serviceName: 'inline-svc', tags: [] } })],
      });
      assert.equal(t!.spans[0]!.service, 'inline-svc');
      assert.deepEqual(t!.warnings, []);
    });

    it('builds one resource per process, shared by its spans, from the process tags and service name', () => {
      const [t] = parseJaegerDocument(trace([span('a'), span('b')]));
      const [a, b] = t!.spans;
      assert.equal(a!.resource, b!.resource);
      assert.deepEqual({ ...a!.resource }, { 'service.name': 'svc', host: 'h1' });
    });
  });

  describe('bad input', () => {
    it('drops a span without spanID, naming its path, and keeps the others', () => {
      const [t] = parseJaegerDocument({ data: [trace([span('a'), span('b', { spanID: undefined }), span('c')])] });
      assert.deepEqual(
        t!.spans.map((s) => s.spanId),
        ['000000000000000a', '000000000000000c'],
      );
      assert.ok(
        t!.warnings.some((w) => w.includes('$.data[0].spans[1]') && w.includes('spanID')),
        t!.warnings.join('\n'),
      );
    });

    it('shows a span whose process is not declared as unknown_service, with a warning', () => {
      const [t] = parseJaegerDocument(trace([span('a', { processID: 'p9' })]));
      assert.equal(t!.spans[0]!.service, 'unknown_service');
      assert.ok(t!.warnings.some((w) => w.includes('"p9"')));
    });

    it('surfaces the envelope errors as warnings beside data, and as the error without data', () => {
      const [t] = parseJaegerDocument({ data: [trace([span('a')])], errors: [{ code: 500, msg: 'storage timeout' }] });
      assert.ok(t!.warnings.some((w) => w.includes('storage timeout')));
      assert.throws(
        () => parseJaegerDocument({ data: null, total: 0, errors: [{ code: 404, msg: 'trace not found' }] }),
        (e: unknown) => e instanceof TraceFormatError && e.format === 'jaeger' && /trace not found/.test(e.message),
      );
    });

    it('reads an empty envelope as no traces', () => {
      assert.deepEqual(parseJaegerDocument({ data: [], total: 0, limit: 0, offset: 0, errors: null }), []);
    });

    it('throws a TraceFormatError when no span at all can be read', () => {
      assert.throws(
        () => parseJaegerDocument([trace([span('a', { spanID: 7 })])]),
        (e: unknown) => e instanceof TraceFormatError && e.format === 'jaeger',
      );
      assert.throws(() => parseJaegerDocument({ hello: 1 }), /keys hello/);
    });

    it('puts a span with an unreadable start time at the trace start, with a warning', () => {
      const [t] = parseJaegerDocument(trace([span('a'), span('b', { startTime: 'soon' })]));
      assert.equal(t!.spans[1]!.startUs, t!.spans[0]!.startUs);
      assert.ok(t!.warnings.some((w) => w.includes('000000000000000b')));
    });
  });
});
