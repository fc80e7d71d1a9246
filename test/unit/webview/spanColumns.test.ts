import * as assert from 'node:assert/strict';
import { encodeTrace } from '../../../src/core/waterfall/encodeTrace';
import { parseTraces } from '../../../src/core/formats/parse';
import { SPAN_COLUMNS, columnRanks, sortRows, type ColumnKey } from '../../../webview/spanColumns';
import { TraceData } from '../../../webview/traceData';
import { generateTrace, renderTrace } from '../../fixtures/generateTraces';
import { buildTrace, ids, toTraceData } from '../core/waterfall/buildTrace';

describe('span columns shared by the views', () => {
  const data = toTraceData(
    buildTrace([
      ['root', undefined, 0, 100, { service: 'gateway', name: 'GET /checkout' }],
      ['b', 'root', 10, 30, { service: 'orders', name: 'select', status: { code: 'error' } }],
      ['c', 'root', 50, 30, { service: 'orders', name: 'INSERT', kind: 'client' }],
      ['d', 'b', 12, 5, { service: 'db', name: 'select' }],
    ]),
  );
  const all = Int32Array.from({ length: data.n }, (_, i) => i);

  it('sorts by duration, longest first, ties in the waterfall order', () => {
    assert.deepEqual(ids(data, sortRows(data, all, 'duration', true)), ['root', 'b', 'c', 'd']);
    assert.deepEqual(ids(data, sortRows(data, all, 'duration', false)), ['d', 'b', 'c', 'root']);
  });

  it('sorts text by code units, and the same texts in the waterfall order either way', () => {
    assert.deepEqual(ids(data, sortRows(data, all, 'name', false)), ['root', 'c', 'b', 'd']);
    assert.deepEqual(ids(data, sortRows(data, all, 'name', true)), ['b', 'd', 'c', 'root']);
    assert.deepEqual(ids(data, sortRows(data, all, 'service', false)), ['d', 'root', 'b', 'c']);
  });

  it('puts errors first when sorting by status from the top, and sorts only the rows given', () => {
    assert.deepEqual(ids(data, sortRows(data, all, 'status', true)), ['b', 'root', 'd', 'c']);
    assert.deepEqual(ids(data, sortRows(data, Int32Array.from([3, 2]), 'self', true)), ['c', 'd']);
  });

  it('shows each value as the other views do', () => {
    const row = 1;
    assert.deepEqual(
      Object.values(SPAN_COLUMNS).map((c) => c.text(data, row)),
      ['orders', 'select', '30ms', '25ms', '+10ms', 'internal', 'Error'],
    );
  });

  it('computes the keys of rows that arrive later', () => {
    const trace = buildTrace(
      Array.from({ length: 5 }, (_, i) => [`s${i}`, undefined, i, 10 - i] as [string, undefined, number, number]),
    );
    const encoded = encodeTrace(trace, { chunkRows: 2 });
    const partial = new TraceData(encoded.header);
    partial.addChunk(encoded.chunks[0]!);
    assert.equal(columnRanks(partial, 'duration').rank.length, 2);
    for (const chunk of encoded.chunks.slice(1)) partial.addChunk(chunk);
    assert.equal(columnRanks(partial, 'duration').rank.length, 5);
  });

  it('orders 5,000 generated spans by every column, ties in the waterfall order', () => {
    const big = toTraceData(parseTraces(renderTrace(generateTrace(5_000, 11), 'otlp-json'))[0]!);
    const rows = Int32Array.from({ length: big.n }, (_, i) => i);
    const value: Record<ColumnKey, (row: number) => number | string> = {
      service: (r) => big.serviceOf(r),
      name: (r) => big.nameOf(r),
      duration: (r) => big.durationUs[r]!,
      self: (r) => big.selfUs[r]!,
      start: (r) => big.startUs[r]!,
      kind: (r) => big.flags[r]! >> 8,
      status: (r) => big.flags[r]! & 1,
    };
    for (const key of Object.keys(value) as ColumnKey[]) {
      for (const descending of [false, true]) {
        const sorted = sortRows(big, rows, key, descending);
        assert.equal(sorted.length, big.n);
        for (let i = 1; i < sorted.length; i++) {
          const a = value[key](sorted[i - 1]!);
          const b = value[key](sorted[i]!);
          const ordered = descending ? a > b : a < b;
          assert.ok(
            ordered || (a === b && sorted[i - 1]! < sorted[i]!),
            `${key} ${descending ? 'desc' : 'asc'} at ${i}: ${a} then ${b}`,
          );
        }
      }
    }
  });
});
