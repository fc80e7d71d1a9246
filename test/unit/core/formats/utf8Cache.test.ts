import * as assert from 'node:assert/strict';
import { cachedUtf8 } from '../../../../src/core/formats/utf8Cache';

/** Every string decoded through the cache, in turn, twice: what Buffer's own decoder gives for the same bytes. */
function assertLikeBuffer(values: readonly (string | Buffer)[]): void {
  const buffers = values.map((v) => (typeof v === 'string' ? Buffer.from(v) : v));
  // one buffer holding them all, so that the offsets are not 0
  const all = Buffer.concat([Buffer.from('prefix'), ...buffers]);
  for (let round = 0; round < 2; round++) {
    let at = 'prefix'.length;
    for (const b of buffers) {
      assert.equal(cachedUtf8(all, at, at + b.length), b.toString('utf8'), `round ${round}: ${JSON.stringify(b.toString())}`);
      at += b.length;
    }
  }
}

describe('cachedUtf8', () => {
  it('gives what Buffer gives, for strings that share a slot and differ only in bytes it does not hash', () => {
    // same length, first, last and quarter bytes: the same slot, told apart by the full comparison
    assertLikeBuffer(['key.1000', 'key.1010', 'key.1000', 'key.1110', 'a', 'b', 'a']);
  });

  it('gives one shared string for the same bytes', () => {
    const buf = Buffer.from('http.request.method|http.request.method');
    const a = cachedUtf8(buf, 0, 19);
    const b = cachedUtf8(buf, 20, 39);
    assert.equal(a, 'http.request.method');
    assert.equal(a, b);
  });

  it('decodes empty ranges, the 32/33-byte boundary and long strings', () => {
    assertLikeBuffer(['', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(33), 'y'.repeat(33), 'z'.repeat(10_000)]);
  });

  it('replaces invalid UTF-8 as Buffer does, and keeps multi-byte characters whole', () => {
    assertLikeBuffer([
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from([0xe2, 0x82]), // a cut euro sign
      Buffer.from([0xc0, 0xaf]), // overlong slash
      Buffer.from([0xed, 0xa0, 0x80]), // a lone surrogate
      '€ ✓ 日本語',
      '🎉'.repeat(8),
    ]);
  });
});
