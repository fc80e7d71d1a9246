import * as assert from 'node:assert/strict';
import { encodeTrace } from '../../../../src/core/waterfall/encodeTrace';
import { parseSearchQuery, searchSpans } from '../../../../src/core/waterfall/searchSpans';
import { buildTrace } from './buildTrace';

describe('searchSpans', () => {
  const resource = { 'host.name': 'node-7' };
  const enc = encodeTrace(
    buildTrace([
      ['a', undefined, 0, 100, { name: 'GET /checkout', service: 'web', resource }],
      [
        'b',
        'a',
        1,
        20,
        { name: 'SELECT orders', service: 'db', attributes: { 'db.statement': 'SELECT * FROM orders', 'http.status_code': 500 } },
      ],
      ['c', 'a', 30, 2, { name: 'cache get', service: 'redis', status: { code: 'error' } }],
    ]),
  );
  const names = (q: string): string[] => Array.from(searchSpans(enc, q), (r) => enc.trace.spans[enc.spanOfRow[r]!]!.name);

  it('matches words in names, services and attribute values, case-insensitively', () => {
    assert.deepEqual(names('checkout'), ['GET /checkout']);
    assert.deepEqual(names('REDIS'), ['cache get']);
    assert.deepEqual(names('from orders'), ['SELECT orders']);
  });

  it('matches key=value against one attribute, and the span fields by name', () => {
    assert.deepEqual(names('http.status_code=500'), ['SELECT orders']);
    assert.deepEqual(names('status=error'), ['cache get']);
    assert.deepEqual(names('service=web'), ['GET /checkout']);
  });

  it('matches resource attributes and span ids', () => {
    assert.deepEqual(names('node-7'), ['GET /checkout']);
    assert.deepEqual(names('id=b'), ['SELECT orders']);
  });

  it('filters by duration', () => {
    assert.deepEqual(names('>10ms'), ['GET /checkout', 'SELECT orders']);
    assert.deepEqual(names('<5ms'), ['cache get']);
  });

  it('returns rows in ascending order and nothing for an empty query', () => {
    const rows = Array.from(searchSpans(enc, 'e'));
    assert.deepEqual(
      rows,
      [...rows].sort((x, y) => x - y),
    );
    assert.equal(searchSpans(enc, '   ').length, 0);
  });

  it('parses quoted phrases as text', () => {
    assert.deepEqual(parseSearchQuery('"a=b c" >1s'), [
      { kind: 'text', text: 'a=b c' },
      { kind: 'duration', op: '>', us: 1_000_000 },
    ]);
  });
});
