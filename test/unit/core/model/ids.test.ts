import * as assert from 'node:assert/strict';
import { idFromBytes, isNullId, normalizeSpanId, normalizeTraceId } from '../../../../src/core/model/ids';

describe('ids', () => {
  it('keeps canonical lowercase hex as is', () => {
    assert.equal(normalizeTraceId('5b8efff798038103d269b633813fc60c'), '5b8efff798038103d269b633813fc60c');
    assert.equal(normalizeSpanId('eee19b7ec3c1b174'), 'eee19b7ec3c1b174');
  });

  it('lowercases upper-case hex (the official OTLP example writes it so)', () => {
    assert.equal(normalizeTraceId('5B8EFFF798038103D269B633813FC60C'), '5b8efff798038103d269b633813fc60c');
    assert.equal(normalizeSpanId('EEE19B7EC3C1B174'), 'eee19b7ec3c1b174');
  });

  it('left-pads hex whose leading zeros were dropped', () => {
    assert.equal(normalizeSpanId('9d6d2b7e3b1a4c8'), '09d6d2b7e3b1a4c8');
    assert.equal(normalizeSpanId('2'), '0000000000000002');
    assert.equal(normalizeTraceId('f9a7e9b4c0d1e2f30405060708090a0'), '0f9a7e9b4c0d1e2f30405060708090a0');
    assert.equal(normalizeTraceId('463ac35c9f6413ad'), '0000000000000000463ac35c9f6413ad');
  });

  it('decodes base64 ids of the right byte length (Tempo, Jaeger <= 1.53)', () => {
    assert.equal(normalizeTraceId('AAAAAAAAAJYAAAAAAAAAoA=='), '000000000000009600000000000000a0');
    assert.equal(normalizeSpanId('AAAAAAAAAKA='), '00000000000000a0');
    assert.equal(normalizeTraceId('O6VWCcPN5JZJzXfR+dzZNg=='), '3ba55609c3cde49649cd77d1f9dcd936');
  });

  it('keeps non-hex ids verbatim so that references written the same way still resolve', () => {
    assert.equal(normalizeSpanId('span-A'), 'span-A');
    assert.equal(normalizeTraceId('trace-123'), 'trace-123');
  });

  it('handles empty and all-zero ids', () => {
    assert.equal(normalizeSpanId(''), '');
    assert.equal(normalizeSpanId(undefined), '');
    assert.ok(isNullId('0000000000000000'));
    assert.ok(isNullId(''));
    assert.ok(!isNullId('0000000000000001'));
  });

  it('turns raw bytes into padded hex', () => {
    assert.equal(idFromBytes(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0xa0]), 16), '00000000000000a0');
    assert.equal(idFromBytes(new Uint8Array([0xab]), 16), '00000000000000ab');
    assert.equal(idFromBytes(new Uint8Array(0), 16), '');
  });
});
