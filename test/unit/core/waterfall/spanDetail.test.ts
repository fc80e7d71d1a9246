import * as assert from 'node:assert/strict';
import { setAttribute } from '../../../../src/core/model/attributes';
import type { Attributes } from '../../../../src/core/model/types';
import { encodeTrace } from '../../../../src/core/waterfall/encodeTrace';
import { VALUE_CAP, fullValue, spanDetail, valueText } from '../../../../src/core/waterfall/spanDetail';
import { buildTrace } from './buildTrace';

describe('spanDetail', () => {
  const attributes: Attributes = {};
  setAttribute(attributes, '__proto__', '<script>window.__pwned=1</script>');
  setAttribute(attributes, 'big', 'x'.repeat(1_000_000));
  setAttribute(attributes, 'bytes', new Uint8Array([0xde, 0xad]));
  setAttribute(attributes, 'nested', { list: [1, 'two', null], flag: true });
  const trace = buildTrace([
    ['a', undefined, 0, 100],
    [
      'b',
      'a',
      -5,
      200,
      {
        attributes,
        events: [{ name: 'exception', timeUs: 1_700_000_000_000_000 + 50_000, attributes: {} }],
        links: [{ traceId: 'ff'.repeat(16), spanId: 'ee'.repeat(8), attributes: {} }],
      },
    ],
  ]);
  const enc = encodeTrace(trace);
  const row = enc.rowOfSpan[1]!;
  const d = spanDetail(enc, row, [{ file: 'src/a.ts', line: 3, reason: 'code.filepath' }]);

  it('lists attributes as text, with a hostile key kept as an ordinary key', () => {
    const proto = d.attributes.find((a) => a.key === '__proto__');
    assert.equal(proto?.value, '<script>window.__pwned=1</script>');
    assert.equal(proto?.type, 'string');
  });

  it('cuts a 1 MB value to the cap and says how long it was', () => {
    const big = d.attributes.find((a) => a.key === 'big')!;
    assert.equal(big.value.length, VALUE_CAP);
    assert.equal(big.length, 1_000_000);
    assert.equal(fullValue(trace.spans[1]!, 'attributes', 'big')?.length, 1_000_000);
  });

  it('writes bytes as hex and nested values JSON-like', () => {
    assert.equal(d.attributes.find((a) => a.key === 'bytes')?.value, 'dead');
    assert.equal(d.attributes.find((a) => a.key === 'nested')?.value, '{"list": [1, "two", null], "flag": true}');
  });

  it('places events relative to the span start and keeps links', () => {
    assert.equal(d.events[0]?.offsetUs, 55_000);
    assert.equal(d.links[0]?.spanId, 'ee'.repeat(8));
  });

  it('warns about clock skew against the parent', () => {
    assert.ok(
      d.warnings.some((w) => w.startsWith('starts 5')),
      d.warnings.join('; '),
    );
    assert.ok(
      d.warnings.some((w) => w.startsWith('ends')),
      d.warnings.join('; '),
    );
  });

  it('passes the code locations through', () => {
    assert.deepEqual(d.locations, [{ file: 'src/a.ts', line: 3, reason: 'code.filepath' }]);
  });

  it('stops building text at the limit', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => `item-${i}`);
    assert.equal(valueText(huge, 50).length, 50);
  });
});
