import * as assert from 'node:assert/strict';
import { SignatureCache } from '../../../../src/core/stats/signatureCache';

describe('SignatureCache', () => {
  it('finds values by five keys, comparing strings by content and NaN as equal', () => {
    const cache = new SignatureCache<string>();
    cache.set('/app/a.ts', 'f', undefined, 3, 'GET', 'a-f-3');
    cache.set('/app/a.ts', 'f', undefined, 4, 'GET', 'a-f-4');
    cache.set('/app/a.ts', 'f', 'ns', 3, 'GET', 'a-f-ns-3');
    cache.set('/app/a.ts', 'f', undefined, 3, 'POST', 'a-f-3-post');
    cache.set('/app/b.ts', 'f', undefined, NaN, 'GET', 'b-f-nan');
    // fresh strings, as a parser makes them
    const a = Buffer.from('/app/a.ts').toString();
    assert.equal(cache.get(a, Buffer.from('f').toString(), undefined, 3, Buffer.from('GET').toString()), 'a-f-3');
    assert.equal(cache.get(a, 'f', undefined, 4, 'GET'), 'a-f-4');
    assert.equal(cache.get(a, 'f', 'ns', 3, 'GET'), 'a-f-ns-3');
    assert.equal(cache.get(a, 'f', undefined, 3, 'POST'), 'a-f-3-post');
    assert.equal(cache.get('/app/b.ts', 'f', undefined, NaN, 'GET'), 'b-f-nan');
    assert.equal(cache.get(a, 'f', undefined, 5, 'GET'), undefined);
    assert.equal(cache.get(a, 'g', undefined, 3, 'GET'), undefined);
    assert.equal(cache.get(a, 'f', undefined, 3, 'PUT'), undefined);
    assert.equal(cache.get(a, 'f', null, 3, 'GET'), undefined, 'null is not undefined');
    assert.equal(cache.get(a, 'f', undefined, '3', 'GET'), undefined, 'the number 3 is not the string');
    assert.equal(cache.size, 5);
  });

  it('replaces a value set again under the same keys', () => {
    const cache = new SignatureCache<number>();
    cache.set('a', 'b', 'c', 1, 'x', 1);
    cache.set('a', 'b', 'c', 2, 'x', 2);
    cache.set('a', 'b', 'c', 1, 'x', 10);
    assert.equal(cache.get('a', 'b', 'c', 1, 'x'), 10);
    assert.equal(cache.get('a', 'b', 'c', 2, 'x'), 2);
    assert.equal(cache.size, 2);
  });

  it('keeps every value when many share the first two keys', () => {
    const cache = new SignatureCache<number>();
    const name = (line: number): string => (line % 5 === 0 ? 'loop' : 'once');
    for (let line = 0; line < 100; line++) cache.set('a', 'f', line % 3 === 0 ? 'ns' : undefined, line, name(line), line);
    cache.set('a', 'f', undefined, 1, 'once', -1);
    for (let line = 0; line < 100; line++) {
      assert.equal(cache.get('a', 'f', line % 3 === 0 ? 'ns' : undefined, line, name(line)), line === 1 ? -1 : line);
    }
    assert.equal(cache.get('a', 'f', 'ns', 1, 'once'), undefined);
    assert.equal(cache.get('a', 'f', undefined, 1, 'loop'), undefined);
    assert.equal(cache.size, 100);
  });

  it('forgets everything when cleared', () => {
    const cache = new SignatureCache<number>();
    cache.set('a', 'b', 'c', 'd', 'e', 1);
    cache.clear();
    assert.equal(cache.get('a', 'b', 'c', 'd', 'e'), undefined);
    assert.equal(cache.size, 0);
  });
});
