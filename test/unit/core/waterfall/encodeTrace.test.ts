import * as assert from 'node:assert/strict';
import { encodeTrace } from '../../../../src/core/waterfall/encodeTrace';
import { MAX_LABEL_CHARS, SpanFlags, kindOf } from '../../../../src/protocol/waterfallData';
import { buildTrace, ids, toTraceData } from './buildTrace';

describe('encodeTrace', () => {
  const trace = buildTrace([
    ['b', 'a', 10, 30],
    ['a', undefined, 0, 100, { service: 'front', kind: 'server' }],
    ['c', 'a', 50, 40, { status: { code: 'error' } }],
    ['d', 'b', 15, 10, { service: 'db', events: [{ name: 'exception', timeUs: 0, attributes: {} }] }],
    ['o', 'missing', 5, 1],
  ]);

  it('lists spans in waterfall order with each subtree as one run of rows', () => {
    const data = toTraceData(trace);
    assert.deepEqual(ids(data, [0, 1, 2, 3, 4]), ['a', 'b', 'd', 'c', 'o']);
    assert.deepEqual(Array.from(data.subtreeEnd), [4, 3, 3, 4, 5]);
    assert.deepEqual(Array.from(data.parent), [-1, 0, 1, 0, -1]);
    assert.deepEqual(Array.from(data.depth), [0, 1, 2, 1, 0]);
  });

  it('sends times relative to the trace start and self time per row', () => {
    const data = toTraceData(trace);
    assert.equal(data.startUs[1], 10_000);
    assert.equal(data.durationUs[0], 100_000);
    // a: 100 ms minus b (10–40) and c (50–90) = 30 ms
    assert.equal(data.selfUs[0], 30_000);
  });

  it('flags errors, exceptions, orphans and kinds', () => {
    const data = toTraceData(trace);
    assert.equal(kindOf(data.flags[0]!), 'server');
    assert.ok(data.flags[3]! & SpanFlags.error);
    assert.ok(data.flags[2]! & SpanFlags.exception);
    assert.ok(data.flags[2]! & SpanFlags.error, 'an exception event marks the span as failed');
    assert.ok(data.flags[4]! & SpanFlags.orphan);
    assert.equal(data.flags[1]! & SpanFlags.orphan, 0);
  });

  it('maps rows back to spans both ways', () => {
    const enc = encodeTrace(trace);
    for (let row = 0; row < 5; row++) assert.equal(enc.rowOfSpan[enc.spanOfRow[row]!], row);
    assert.equal(trace.spans[enc.spanOfRow[0]!]!.spanId, 'a');
  });

  it('streams in chunks whose string tables add up', () => {
    const enc = encodeTrace(trace, { chunkRows: 2 });
    assert.equal(enc.chunks.length, 3);
    assert.equal(enc.header.chunkCount, 3);
    const data = toTraceData(trace, { chunkRows: 2 });
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((r) => data.nameOf(r)),
      ['op-a', 'op-b', 'op-d', 'op-c', 'op-o'],
    );
    assert.deepEqual(
      [0, 2].map((r) => data.serviceOf(r)),
      ['front', 'db'],
    );
  });

  it('refuses a chunk out of order', () => {
    const enc = encodeTrace(trace, { chunkRows: 2 });
    const data = toTraceData(buildTrace([['x', undefined, 0, 1]]));
    assert.equal(data.addChunk(enc.chunks[1]!), false);
  });

  it('cuts very long names for the rows and keeps them as text', () => {
    const long = '<img src=x onerror=alert(1)>'.repeat(40_000);
    const data = toTraceData(buildTrace([['a', undefined, 0, 1, { name: long }]]));
    assert.equal(data.nameOf(0).length, MAX_LABEL_CHARS);
    assert.ok(data.nameOf(0).startsWith('<img src=x onerror'));
  });

  it('clamps negative durations and survives a missing start', () => {
    const data = toTraceData(
      buildTrace([
        ['a', undefined, 0, 10],
        ['b', 'a', 2, -5],
        ['c', 'a', 0, 1, { startUs: NaN }],
      ]),
    );
    assert.equal(data.durationUs[data.rowOfSpanId('b')], 0);
    assert.equal(data.startUs[data.rowOfSpanId('c')], 0);
  });

  it('encodes an empty trace as one empty chunk', () => {
    const enc = encodeTrace({ traceId: 't', spans: [], services: [], startUs: 0, durationUs: 0, warnings: [] });
    assert.equal(enc.header.spanCount, 0);
    assert.equal(enc.chunks.length, 1);
    assert.equal(enc.chunks[0]!.count, 0);
  });

  it('handles a 100,000-deep chain without recursion', () => {
    const specs: [string, string | undefined, number, number][] = [];
    for (let i = 0; i < 100_000; i++) specs.push([`s${i}`, i === 0 ? undefined : `s${i - 1}`, i * 0.001, 100 - i * 0.0005]);
    const data = toTraceData(buildTrace(specs));
    assert.equal(data.depth[99_999], 99_999);
    assert.equal(data.subtreeEnd[0], 100_000);
  });
});
