import * as assert from 'node:assert/strict';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseZipkinDocument } from '../../../../src/core/formats/zipkin';
import type { Trace } from '../../../../src/core/model/types';
import { readSharedFixture } from '../../fixtures';

function only(traces: Trace[]): Trace {
  assert.equal(traces.length, 1);
  return traces[0]!;
}

/** A minimal hand-written Zipkin v2 span; `extra` overrides or adds fields. */
function span(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: 'a1',
    id,
    name: `op-${id}`,
    timestamp: 1_700_000_000_000_000,
    duration: 100,
    localEndpoint: { serviceName: 'svc' },
    ...extra,
  };
}

describe('parseZipkinDocument', () => {
  describe('upstream fixtures', () => {
    it('reads a single span object: kind, remote endpoint, annotations and tags (zipkin2-client.json)', function () {
      const t = only(parseZipkinDocument(JSON.parse(readSharedFixture(this, 'zipkin/zipkin2-client.json'))));
      const s = t.spans[0]!;
      assert.equal(s.traceId, '4d1e00c0db9010db86154a4ba6e91385');
      assert.equal(s.parentSpanId, '86154a4ba6e91385');
      assert.equal(s.kind, 'client');
      assert.equal(s.service, 'frontend');
      assert.deepEqual({ ...s.resource }, { 'service.name': 'frontend' });
      assert.equal(s.attributes['peer.service'], 'backend');
      assert.equal(s.attributes['network.peer.address'], '192.168.99.101');
      assert.equal(s.attributes['network.peer.port'], 9000);
      assert.equal(s.attributes['network.local.address'], '2001:db8::c001');
      assert.equal(s.attributes['http.path'], '/api');
      assert.deepEqual(
        s.events.map((e) => [e.name, e.timeUs]),
        [
          ['foo', 1472470996238000],
          ['bar', 1472470996403000],
        ],
      );
      assert.equal(s.durationUs, 207000);
    });

    it('pads a 15-char parentId (zipkin_v2_03.json)', function () {
      const t = only(parseZipkinDocument(JSON.parse(readSharedFixture(this, 'zipkin/zipkin_v2_03.json'))));
      assert.equal(t.spans[0]!.parentSpanId, '0c26551047c72d19');
      assert.equal(t.spans[0]!.kind, 'producer');
    });

    it('keeps all 1041 spans of smartthings, the 290 reused ids included, and marks shared halves', function () {
      const t = only(parseZipkinDocument(JSON.parse(readSharedFixture(this, 'zipkin/smartthings-mobile-web-install.json'))));
      assert.equal(t.spans.length, 1041);
      assert.equal(t.services.length, 16);
      const seen = new Map<string, number>();
      for (const s of t.spans) seen.set(s.spanId, (seen.get(s.spanId) ?? 0) + 1);
      assert.equal([...seen.values()].filter((n) => n > 1).length, 290);
      assert.ok(t.spans.some((s) => s.shared === true));
      assert.ok(t.spans.every((s) => Number.isFinite(s.startUs) && s.startUs >= t.startUs));
      assert.ok(t.warnings.some((w) => /no duration/.test(w)));
    });

    it('reads an empty error tag as an error without message (messaging-kafka.json)', function () {
      const t = only(parseZipkinDocument(JSON.parse(readSharedFixture(this, 'zipkin/messaging-kafka.json'))));
      const errors = t.spans.filter((s) => s.status.code === 'error');
      assert.equal(errors.length, 3);
      assert.ok(errors.some((s) => s.status.message === undefined));
      assert.ok(t.spans.some((s) => s.kind === 'producer') && t.spans.some((s) => s.kind === 'consumer'));
    });

    it('shows a span without localEndpoint.serviceName as unknown_service, saying so once (envoy.json)', function () {
      const t = only(parseZipkinDocument(JSON.parse(readSharedFixture(this, 'zipkin/envoy.json'))));
      assert.equal(t.spans[0]!.service, 'unknown_service');
      assert.equal(t.spans[0]!.attributes['network.local.address'], '169.254.65.45');
      assert.equal(t.warnings.filter((w) => w.includes('serviceName')).length, 1);
    });
  });

  it('pads a one-digit span id ("id":"2") so that its child resolves', () => {
    const [t] = parseZipkinDocument([span('2'), span('3', { parentId: '2' })]);
    assert.deepEqual(
      t!.spans.map((s) => [s.spanId, s.parentSpanId]),
      [
        ['0000000000000002', undefined],
        ['0000000000000003', '0000000000000002'],
      ],
    );
    assert.equal(t!.traceId, '000000000000000000000000000000a1');
  });

  it('reads the list of span lists from /api/v2/traces as several traces', () => {
    const traces = parseZipkinDocument([[span('1'), span('2', { parentId: '1' })], [span('3', { traceId: 'b2' })]]);
    assert.deepEqual(
      traces.map((t) => [t.traceId.slice(-2), t.spans.length]),
      [
        ['a1', 2],
        ['b2', 1],
      ],
    );
  });

  it('maps kinds and keeps an absent or unknown kind unspecified', () => {
    const kinds = ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER', undefined, 'constructor'].map((kind, i) =>
      span(String(i + 1), { kind }),
    );
    const [t] = parseZipkinDocument(kinds);
    assert.deepEqual(
      t!.spans.map((s) => s.kind),
      ['client', 'server', 'producer', 'consumer', 'unspecified', 'unspecified'],
    );
  });

  it('takes a non-empty error tag as the status message', () => {
    const [t] = parseZipkinDocument([span('1', { tags: { error: '404', 'http.status_code': '404' } })]);
    assert.deepEqual(t!.spans[0]!.status, { code: 'error', message: '404' });
    assert.equal(t!.spans[0]!.attributes['error'], '404');
  });

  it('takes a missing timestamp from the first annotation, and the duration up to the last one', () => {
    const annotations = [
      { timestamp: 1_700_000_000_000_500, value: 'ws' },
      { timestamp: 1_700_000_000_000_200, value: 'wr' },
    ];
    const [t] = parseZipkinDocument([span('1', { timestamp: undefined, duration: undefined, annotations })]);
    const s = t!.spans[0]!;
    assert.equal(s.startUs, 1_700_000_000_000_200);
    assert.equal(s.durationUs, 300);
    assert.ok(t!.warnings.some((w) => w.includes('last annotation')));
  });

  it('places a span with neither timestamp nor annotations at the trace start, and an unfinished span as 0 long, warning', () => {
    const [t] = parseZipkinDocument([span('1'), span('2', { timestamp: undefined }), span('3', { duration: undefined })]);
    const [, noStart, noDuration] = t!.spans;
    assert.equal(noStart!.startUs, 1_700_000_000_000_000);
    assert.equal(noDuration!.durationUs, 0);
    assert.ok(t!.warnings.some((w) => w.includes('0000000000000002')));
    assert.ok(
      t!.warnings.some(
        (w) => w.includes('no duration (span not finished or reported without it)') && w.includes('0000000000000003'),
      ),
    );
  });

  it('keeps the other spans of a list with one non-object entry, naming the entry in a warning', () => {
    const [t] = parseZipkinDocument([span('1'), 42, span('2')]);
    assert.equal(t!.spans.length, 2);
    assert.ok(
      t!.warnings.some((w) => w.includes('$[1]') && w.includes('number')),
      t!.warnings.join('\n'),
    );
  });

  it('drops a span without id, naming its path', () => {
    const [t] = parseZipkinDocument([span('1'), span('2', { id: undefined })]);
    assert.equal(t!.spans.length, 1);
    assert.ok(t!.warnings.some((w) => w.includes('$[1]') && w.includes('no id')));
  });

  it('throws a TraceFormatError for a document that is neither a list nor a span, or holds no readable span', () => {
    assert.throws(
      () => parseZipkinDocument('spans'),
      (e: unknown) => e instanceof TraceFormatError && e.format === 'zipkin' && e.where === '$',
    );
    assert.throws(() => parseZipkinDocument([{ name: 'x' }]), TraceFormatError);
  });

  it('treats a parentId of zeros as no parent', () => {
    const [t] = parseZipkinDocument([span('1', { parentId: '0000000000000000' })]);
    assert.equal(t!.spans[0]!.parentSpanId, undefined);
  });
});
