import * as assert from 'node:assert/strict';
import { SignatureCache } from '../../../../src/core/stats/signatureCache';

describe('SignatureCache', () => {
  it('finds values by four keys, comparing strings by content and NaN as equal', () => {
    const cache = new SignatureCache<string>();
    cache.set('/app/a.ts', 'f', undefined, 3, 'a-f-3');
    cache.set('/app/a.ts', 'f', undefined, 4, 'a-f-4');
    cache.set('/app/a.ts', 'f', 'ns', 3, 'a-f-ns-3');
    cache.set('/app/b.ts', 'f', undefined, NaN, 'b-f-nan');
    // fresh strings, as a parser makes them
    const a = Buffer.from('/app/a.ts').toString();
    assert.equal(cache.get(a, Buffer.from('f').toString(), undefined, 3), 'a-f-3');
    assert.equal(cache.get(a, 'f', undefined, 4), 'a-f-4');
    assert.equal(cache.get(a, 'f', 'ns', 3), 'a-f-ns-3');
    assert.equal(cache.get('/app/b.ts', 'f', undefined, NaN), 'b-f-nan');
    assert.equal(cache.get(a, 'f', undefined, 5), undefined);
    assert.equal(cache.get(a, 'g', undefined, 3), undefined);
    assert.equal(cache.get(a, 'f', null, 3), undefined, 'null is not undefined');
    assert.equal(cache.get(a, 'f', undefined, '3'), undefined, 'the number 3 is not the string');
    assert.equal(cache.size, 4);
  });

  it('replaces a value set again under the same keys', () => {
    const cache = new SignatureCache<number>();
    cache.set('a', 'b', 'c', 1, 1);
    cache.set('a', 'b', 'c', 2, 2);
    cache.set('a', 'b', 'c', 1, 10);
    assert.equal(cache.get('a', 'b', 'c', 1), 10);
    assert.equal(cache.get('a', 'b', 'c', 2), 2);
    assert.equal(cache.size, 2);
  });

  it('keeps every value when many share the first two keys', () => {
    const cache = new SignatureCache<number>();
    for (let line = 0; line < 100; line++) cache.set('a', 'f', line % 3 === 0 ? 'ns' : undefined, line, line);
    cache.set('a', 'f', undefined, 1, -1);
    for (let line = 0; line < 100; line++) {
      assert.equal(cache.get('a', 'f', line % 3 === 0 ? 'ns' : undefined, line), line === 1 ? -1 : line);
    }
    assert.equal(cache.get('a', 'f', 'ns', 1), undefined);
    assert.equal(cache.size, 100);
  });

  it('forgets everything when cleared', () => {
    const cache = new SignatureCache<number>();
    cache.set('a', 'b', 'c', 'd', 1);
    cache.clear();
    assert.equal(cache.get('a', 'b', 'c', 'd'), undefined);
    assert.equal(cache.size, 0);
  });
});
