import * as assert from 'node:assert/strict';
import type { TraceQuery } from '../../../../src/core/model/traceQuery';
import { describeQuery, formatQuery } from '../../../../src/core/search/queryFormat';
import { parseQuery } from '../../../../src/core/search/queryLanguage';

const NOW_MS = 1_700_000_000_000;
const NOW_US = NOW_MS * 1000;
const HOUR_US = 3_600_000_000;

function ok(text: string): TraceQuery {
  const { query, errors } = parseQuery(text, NOW_MS);
  assert.deepEqual(errors, [], `unexpected errors for ${JSON.stringify(text)}`);
  return query;
}

function errorsOf(text: string): { start: number; end: number; message: string }[] {
  return parseQuery(text, NOW_MS).errors;
}

describe('parseQuery', () => {
  describe('the examples from the issue', () => {
    it('reads free text', () => {
      assert.deepEqual(ok('checkout timeout'), { text: 'checkout timeout' });
    });

    it('reads service:, quoted name: and any tag', () => {
      assert.deepEqual(ok('service:checkout name:"POST /orders" http.status_code=500'), {
        service: 'checkout',
        operation: 'POST /orders',
        tags: { 'http.status_code': '500' },
      });
    });

    it('reads error, duration bounds, last: and limit:', () => {
      assert.deepEqual(ok('error >200ms <2s last:1h limit:50'), {
        errorsOnly: true,
        minDurationUs: 200_000,
        maxDurationUs: 2_000_000,
        startUs: NOW_US - HOUR_US,
        endUs: NOW_US,
        limit: 50,
      });
    });

    it('passes a braced query to Tempo as TraceQL, verbatim', () => {
      assert.deepEqual(ok('{ resource.service.name = "cart" && duration > 1s }'), {
        traceQl: '{ resource.service.name = "cart" && duration > 1s }',
      });
    });

    it('reads the user journey query', () => {
      assert.deepEqual(ok('service:checkout error >500ms last:1h'), {
        service: 'checkout',
        errorsOnly: true,
        minDurationUs: 500_000,
        startUs: NOW_US - HOUR_US,
        endUs: NOW_US,
      });
    });

    it('explains an unknown unit at its position', () => {
      assert.deepEqual(errorsOf('service:a >200xs'), [
        { start: 10, end: 16, message: "'>200xs': unknown unit 'xs' — use ns, µs, ms, s, m or h" },
      ]);
    });
  });

  describe('durations', () => {
    it('accepts every unit and the >=, <= forms', () => {
      assert.equal(ok('>1500ns').minDurationUs, 1.5);
      assert.equal(ok('>=1us').minDurationUs, 1);
      assert.equal(ok('>=1µs').minDurationUs, 1);
      assert.equal(ok('>1μs').minDurationUs, 1, 'Greek mu');
      assert.equal(ok('<=500us').maxDurationUs, 500);
      assert.equal(ok('>1.5s').minDurationUs, 1_500_000);
      assert.equal(ok('>2m').minDurationUs, 120_000_000);
      assert.equal(ok('<1h').maxDurationUs, HOUR_US);
      assert.equal(ok('duration>1s').minDurationUs, 1_000_000);
    });

    it('asks for a unit when there is none', () => {
      assert.match(errorsOf('>200')[0]?.message ?? '', /add a unit, e\.g\. >200ms/);
    });

    it('explains a bare comparison', () => {
      assert.deepEqual(
        errorsOf('>').map((e) => [e.start, e.end]),
        [[0, 1]],
      );
      assert.match(errorsOf('>')[0]?.message ?? '', /expected a duration such as >200ms/);
    });

    it('reports a minimum above the maximum on the later term', () => {
      const errors = errorsOf('>2s <100ms');
      assert.equal(errors.length, 1);
      assert.deepEqual([errors[0]?.start, errors[0]?.end], [4, 10]);
      assert.match(errors[0]?.message ?? '', /shorter than the minimum \(> 2 s\) — nothing can match/);
      assert.match(errorsOf('<100ms >2s')[0]?.message ?? '', /longer than the maximum/);
    });

    it('rejects two different minimums but not the same one twice', () => {
      assert.match(errorsOf('>1s >2s')[0]?.message ?? '', /only one minimum duration per search \(already '>1s'\)/);
      assert.deepEqual(ok('>1s >1000ms'), { minDurationUs: 1_000_000 });
    });
  });

  describe('keys', () => {
    it('takes name: and operation: as the span name, keys in any case', () => {
      assert.equal(ok('operation:GetCart').operation, 'GetCart');
      assert.equal(ok('Service:cart NAME:x').service, 'cart');
    });

    it('reports a second service at its position, naming the first', () => {
      assert.deepEqual(errorsOf('service:a service:b'), [
        { start: 10, end: 19, message: "'service:b': only one service per search (already 'service:a')" },
      ]);
    });

    it('rejects a bad limit', () => {
      for (const bad of ['limit:0', 'limit:abc', 'limit:-1', 'limit:10001', 'limit:1.5']) {
        assert.match(errorsOf(bad)[0]?.message ?? '', /limit is a whole number from 1 to 10000/, bad);
      }
    });

    it('reads last: in s, m, h, d and w', () => {
      assert.equal(ok('last:15m').startUs, NOW_US - 15 * 60_000_000);
      assert.equal(ok('last:2d').startUs, NOW_US - 2 * 86_400_000_000);
      assert.equal(ok('last:1w').startUs, NOW_US - 7 * 86_400_000_000);
      assert.equal(ok('last:30s').startUs, NOW_US - 30_000_000);
      assert.match(errorsOf('last:1y')[0]?.message ?? '', /unknown unit 'y' — use s, m, h, d or w/);
      assert.match(errorsOf('last:')[0]?.message ?? '', /expected a time span such as last:1h/);
    });

    it('says how to write an unknown key, and reads a URL as text', () => {
      assert.match(errorsOf('status:500')[0]?.message ?? '', /unknown key 'status' — .*status=… for a tag, or quote it/);
      assert.deepEqual(ok('https://shop.example/cart'), { text: 'https://shop.example/cart' });
      assert.deepEqual(ok('"status:500"'), { text: 'status:500' });
    });

    it('asks for a value after service: and a tag', () => {
      assert.match(errorsOf('service:')[0]?.message ?? '', /expected a service name/);
      assert.match(errorsOf('http.method=')[0]?.message ?? '', /expected a value after '='/);
      assert.deepEqual(ok('peer.service=""'), { tags: { 'peer.service': '' } });
    });
  });

  describe('tags', () => {
    it('supports only =, pointing other operators at TraceQL', () => {
      assert.match(errorsOf('http.status_code!=500')[0]?.message ?? '', /only '=' — .*\{ \.http\.status_code != 500 \}/);
      assert.match(errorsOf('http.status_code>=500')[0]?.message ?? '', /only '='/);
      assert.match(errorsOf('name=~"GET.*"')[0]?.message ?? '', /only '='/);
    });

    it('keeps values with = and : after the first operator, quoted keys and values', () => {
      assert.deepEqual(ok('http.url=http://x/y?a=b "my key"="a \\"quoted\\" value"'), {
        tags: { 'http.url': 'http://x/y?a=b', 'my key': 'a "quoted" value' },
      });
      assert.deepEqual(ok("db.statement='select * from t'"), { tags: { 'db.statement': 'select * from t' } });
    });

    it('rejects one tag with two values', () => {
      assert.match(errorsOf('a=1 a=2')[0]?.message ?? '', /tag a is already "1"/);
    });

    it('stores __proto__ as a tag, not as the prototype', () => {
      const query = ok('__proto__=x');
      assert.equal(Object.getPrototypeOf(query.tags), Object.prototype);
      assert.deepEqual(Object.entries(query.tags ?? {}), [['__proto__', 'x']]);
    });
  });

  describe('text and keywords', () => {
    it('takes error and errors in any case, and quoted "error" as text', () => {
      assert.deepEqual(ok('ERRORS'), { errorsOnly: true });
      assert.deepEqual(ok('"error"'), { text: 'error' });
    });

    it('joins words and quoted phrases with one space', () => {
      assert.deepEqual(ok('  payment   "card declined"  '), { text: 'payment card declined' });
    });

    it('handles unicode text', () => {
      assert.deepEqual(ok('café 注文 service:käse'), { text: 'café 注文', service: 'käse' });
    });
  });

  describe('quotes and braces', () => {
    it('reports an unclosed quote from the quote to the end, keeping the value for suggestions', () => {
      const { query, errors } = parseQuery('service:a name:"POST /or', NOW_MS);
      assert.equal(query.operation, 'POST /or');
      assert.deepEqual(errors, [{ start: 15, end: 24, message: 'unclosed quote — add the closing "' }]);
    });

    it('reports an unclosed brace at the brace', () => {
      const errors = errorsOf('limit:5 { status = error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.start, 8);
      assert.match(errors[0]?.message ?? '', /'\{' is never closed/);
    });

    it('reports an unclosed TraceQL string and a stray closing brace', () => {
      assert.match(errorsOf('{ name = "abc }')[0]?.message ?? '', /unclosed " — add the closing "/);
      assert.deepEqual(
        errorsOf('} x').map((e) => [e.start, e.end]),
        [[0, 1]],
      );
      assert.deepEqual(errorsOf('{ a } ) }').length > 0, true);
    });

    it('keeps braces and quotes inside TraceQL strings', () => {
      assert.equal(ok('{ span.q = "a } b" }').traceQl, '{ span.q = "a } b" }');
    });

    it('follows TraceQL through spanset operators and pipelines, taking out limit: and last:', () => {
      assert.deepEqual(ok('{ a = 1 } >> { b = 2 } limit:20'), { traceQl: '{ a = 1 } >> { b = 2 }', limit: 20 });
      assert.deepEqual(ok('{ status = error } | count() > 2 last:1h'), {
        traceQl: '{ status = error } | count() > 2',
        startUs: NOW_US - HOUR_US,
        endUs: NOW_US,
      });
      assert.equal(ok('({ a } && { b }) > { c }').traceQl, '({ a } && { b }) > { c }');
    });

    it('says where to put filters that TraceQL replaces', () => {
      const errors = errorsOf('service:cart { a } >2s error');
      assert.deepEqual(
        errors.map((e) => e.message),
        [
          `'service:cart': a TraceQL query carries its own filters — write resource.service.name = "cart" inside the braces`,
          "'>2s': a TraceQL query carries its own filters — write duration > 2s inside the braces",
          "'error': a TraceQL query carries its own filters — write status = error inside the braces",
        ],
      );
    });

    it('allows one TraceQL query', () => {
      assert.match(errorsOf('{ a } { b }')[0]?.message ?? '', /one TraceQL query per search/);
    });
  });

  describe('edge cases', () => {
    it('reads an empty or blank query as no filters', () => {
      for (const text of ['', '   ', '\t\n']) assert.deepEqual(parseQuery(text, NOW_MS), { query: {}, errors: [], tokens: [] });
    });

    it('parses a very long query in one piece', () => {
      const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
      const { query, errors, tokens } = parseQuery(`${words.join(' ')} service:x`, NOW_MS);
      assert.equal(errors.length, 0);
      assert.equal(tokens.length, 5001);
      assert.equal(query.text, words.join(' '));
      assert.equal(parseQuery('"'.repeat(100_001), NOW_MS).errors.length, 1);
    });

    it('gives tokens with kinds and offsets covering each term', () => {
      const text = 'service:cart "a b" >1s {x}';
      const { tokens } = parseQuery(text, NOW_MS);
      assert.deepEqual(
        tokens.map((t) => [t.kind, text.slice(t.start, t.end)]),
        [
          ['service', 'service:cart'],
          ['text', '"a b"'],
          ['minDuration', '>1s'],
          ['traceQl', '{x}'],
        ],
      );
      assert.equal(tokens[0]?.valueStart, 8);
    });
  });
});

describe('formatQuery', () => {
  const roundTrips = [
    'checkout timeout',
    'service:checkout name:"POST /orders" http.status_code=500',
    'error >200ms <2s last:1h limit:50',
    '>1500ns <=500us',
    '>=1.5s',
    'last:15m',
    'last:2d',
    'last:1w',
    '"error" "a  b" x',
    '"http://x:1/y" k="" "my key"="quo\\"te" \'single\'',
    'café 注文 service:käse',
    '__proto__=x',
    '{ resource.service.name = "cart" && duration > 1s } limit:20',
    '{ status = error } | count() > 2 last:1h',
  ];
  for (const text of roundTrips) {
    it(`round-trips ${text}`, () => {
      const first = ok(text);
      const formatted = formatQuery(first);
      assert.deepEqual(ok(formatted), first, formatted);
    });
  }

  it('writes the shortest form', () => {
    assert.equal(
      formatQuery({ service: 'cart', minDurationUs: 1_500_000, maxDurationUs: 120_000_000, startUs: 0, endUs: HOUR_US }),
      'service:cart >1.5s <2m last:1h',
    );
    assert.equal(formatQuery({}), '');
    assert.equal(formatQuery({ text: 'error' }), '"error"');
    assert.equal(formatQuery({ operation: 'say "hi"' }), 'name:"say \\"hi\\""');
  });
});

describe('describeQuery', () => {
  it('reads like the issue', () => {
    assert.equal(
      describeQuery(ok('service:checkout error >200ms last:1h')),
      'service checkout · errors only · > 200 ms · last 1 h',
    );
  });

  it('describes every field, and an empty query', () => {
    assert.equal(describeQuery({}), 'all traces');
    assert.equal(
      describeQuery(ok('slow name:"POST /orders" http.status_code=500 <1.5s last:15m limit:50')),
      '“slow” · name POST /orders · http.status_code = 500 · < 1.5 s · last 15 min · limit 50',
    );
    assert.equal(describeQuery(ok('{ a } last:2d')), 'TraceQL { a } · last 2 d');
  });
});
