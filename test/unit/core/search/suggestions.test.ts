import * as assert from 'node:assert/strict';
import { matchScore, suggest, type Suggestion, type SuggestionSources } from '../../../../src/core/search/suggestions';

const sources: SuggestionSources = {
  services: ['checkout', 'cart', 'frontend', 'payment service', 'checkout-worker'],
  operations: (service) => (service === 'checkout' ? ['POST /orders', 'GET /orders/{id}'] : ['HTTP GET', 'POST /orders']),
  tagKeys: ['http.status_code', 'http.method', 'db.system'],
  tagValues: (key) => (key === 'http.status_code' ? ['200', '404', '500'] : key === 'http.method' ? ['GET', 'POST'] : []),
};

const at = (text: string): Suggestion[] => suggest(text, text.length, sources);
const labels = (text: string): string[] => at(text).map((s) => s.label);
/** The text after accepting the first suggestion. */
function accept(text: string, index = 0, cursor = text.length): string {
  const s = suggest(text, cursor, sources)[index];
  assert.ok(s, `no suggestion ${index} for ${JSON.stringify(text)}`);
  return text.slice(0, s.replaceStart) + s.insertText + text.slice(s.replaceEnd);
}

describe('suggest', () => {
  it('offers the keys on an empty query', () => {
    assert.deepEqual(labels('').slice(0, 7), ['service:', 'name:', 'error', '>', '<', 'last:', 'limit:']);
    assert.ok(labels('').includes('http.status_code='));
  });

  it('completes service: with services, ranked prefix first', () => {
    assert.deepEqual(labels('service:'), ['checkout', 'cart', 'frontend', 'payment service', 'checkout-worker']);
    assert.deepEqual(labels('service:ch'), ['checkout', 'checkout-worker']);
    assert.equal(accept('service:ch'), 'service:checkout ');
  });

  it('quotes a value with spaces', () => {
    assert.equal(accept('service:pay'), 'service:"payment service" ');
  });

  it('completes name: with the operations of the service already in the query', () => {
    assert.deepEqual(labels('service:checkout name:'), ['POST /orders', 'GET /orders/{id}']);
    assert.deepEqual(labels('name:'), ['HTTP GET', 'POST /orders']);
    assert.equal(accept('service:checkout name:"POST'), 'service:checkout name:"POST /orders" ');
    assert.equal(at('service:checkout name:')[0]?.detail, 'span name in checkout');
  });

  it('completes a bare word with keys, tag keys and services', () => {
    assert.deepEqual(labels('ser'), ['service:', 'service:payment service']);
    assert.deepEqual(labels('http'), ['http.status_code=', 'http.method=']);
    assert.equal(accept('http.s'), 'http.status_code=');
    assert.deepEqual(labels('err'), ['error']);
    assert.equal(accept('err'), 'error ');
  });

  it("completes key= with that key's values", () => {
    assert.deepEqual(labels('http.status_code='), ['200', '404', '500']);
    assert.deepEqual(labels('http.status_code=5'), ['500']);
    assert.equal(accept('error http.method=P'), 'error http.method=POST ');
  });

  it('completes durations, with the number being typed first', () => {
    assert.deepEqual(labels('>2').slice(0, 4), ['>2ms', '>2s', '>2us', '>2m']);
    assert.ok(labels('<').includes('<200ms'));
    assert.equal(at('>')[0]?.detail, 'traces longer than 10ms');
    assert.equal(accept('>=5'), '>=5ms ');
  });

  it('completes last: and limit: with common choices', () => {
    assert.deepEqual(labels('last:').slice(0, 3), ['15m', '30m', '1h']);
    assert.equal(at('last:1')[0]?.detail, 'the last minute');
    assert.equal(accept('last:2'), 'last:2m ');
    assert.deepEqual(labels('limit:')[0], '20');
    assert.deepEqual(labels('limit:75')[0], '75');
  });

  it('leaves out keys already used', () => {
    const used = labels('service:cart error last:1h ');
    for (const k of ['service:', 'error', 'last:']) assert.ok(!used.includes(k), k);
    assert.ok(used.includes('name:'));
    assert.ok(!labels('http.method=GET ').includes('http.method='));
  });

  it('ranks fuzzy matches after prefix matches', () => {
    assert.deepEqual(labels('service:cot'), ['checkout', 'checkout-worker']);
    assert.deepEqual(labels('service:out'), ['checkout', 'checkout-worker']);
    assert.deepEqual(labels('service:serv'), ['payment service']);
  });

  it('completes the term under the cursor, not the end of the text', () => {
    const text = 'service:ca >1s';
    assert.equal(accept(text, 0, 10), 'service:cart >1s');
  });

  it('offers nothing inside TraceQL, in quoted text or for unknown keys', () => {
    assert.deepEqual(at('{ resource.'), []);
    assert.deepEqual(at('"free tex'), []);
    assert.deepEqual(at('status:'), []);
  });

  it('caps the list', () => {
    const many: SuggestionSources = { ...sources, services: Array.from({ length: 500 }, (_, i) => `svc-${i}`) };
    assert.equal(suggest('service:', 8, many).length, 50);
    assert.equal(suggest('service:', 8, many, { max: 5 }).length, 5);
  });
});

describe('matchScore', () => {
  it('orders exact, prefix, word start, substring, subsequence, none', () => {
    assert.deepEqual(
      ['cart', 'cartography', 'my-cart', 'mycart', 'c-a-r-t', 'nope'].map((c) => matchScore(c, 'cart')),
      [0, 1, 2, 3, 4, -1],
    );
  });
});
