import * as assert from 'node:assert/strict';
import type { CodeMatch } from '../../../../src/core/codeLocation/evidence';
import { PathMapper } from '../../../../src/core/codeLocation/pathMapper';
import { LocationResolver, locateByCodeAttributes } from '../../../../src/core/stats/locationResolver';
import { codeAttrs, statSpan } from './statsBuilders';

const mapper = new PathMapper({
  folders: [{ name: 'shop', root: '/home/dev/shop' }],
  files: ['src/orders.js', 'src/server.js', 'lib/util.js'],
});

describe('LocationResolver', () => {
  it('maps the code attributes of a span to the line it starts at in a workspace function, with the reason', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const loc = resolver.resolve(statSpan({ attributes: codeAttrs('/app/src/orders.js', 'placeOrder', 3) }))!;
    assert.deepEqual(loc.key, { file: 'src/orders.js', line: 3, function: 'placeOrder', span: 'placeOrder' });
    assert.equal(loc.line, 3);
    assert.match(loc.reason, /\/app\/src\/orders\.js:3 → src\/orders\.js/);
    assert.ok(loc.confidence > 0.5);
  });

  it('keys by line when the span names no function', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const loc = resolver.resolve(statSpan({ attributes: codeAttrs('/app/src/server.js', undefined, 12) }))!;
    assert.deepEqual(loc.key, { file: 'src/server.js', line: 12, span: 'placeOrder' });
  });

  it('keeps two anonymous functions of one file apart, though the runtime names both alike', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const inventory = resolver.resolve(
      statSpan({ name: 'POST /reservations', attributes: codeAttrs('/app/src/orders.js', 'Object.handler', 37) }),
    )!;
    const select = resolver.resolve(
      statSpan({ name: 'db.select orders', attributes: codeAttrs('/app/src/orders.js', 'Object.handler', 47) }),
    )!;
    assert.notEqual(inventory.id, select.id);
    assert.deepEqual([inventory.key.line, select.key.line], [37, 47]);
  });

  it('keeps spans of other names started in one function apart, by name when the line is not known', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const query = resolver.resolve(statSpan({ name: 'db.query', attributes: codeAttrs('/app/src/orders.js', 'placeOrder') }))!;
    const publish = resolver.resolve(statSpan({ name: 'publish', attributes: codeAttrs('/app/src/orders.js', 'placeOrder') }))!;
    assert.notEqual(query.id, publish.id);
    assert.deepEqual(
      [query.key, publish.key],
      [
        { file: 'src/orders.js', function: 'placeOrder', span: 'db.query' },
        { file: 'src/orders.js', function: 'placeOrder', span: 'publish' },
      ],
    );
  });

  it('gives span names beyond the first 16 of a place one shared bucket, so that names made per request stay bounded', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const loc = resolver.resolve(
        statSpan({ name: `GET /orders/ord-${i}`, attributes: codeAttrs('/app/src/orders.js', 'get', 9) }),
      )!;
      ids.add(loc.id);
      if (i >= 16) assert.equal(loc.key.span, undefined, `name ${i}`);
    }
    assert.equal(ids.size, 17);
    const again = resolver.resolve(
      statSpan({ name: 'GET /orders/ord-3', attributes: codeAttrs('/app/src/orders.js', 'get', 9) }),
    )!;
    assert.equal(again.key.span, 'GET /orders/ord-3', 'a name with a bucket keeps it');
  });

  it('maps once per signature and answers the rest from its cache', () => {
    let calls = 0;
    const counting = (span: Parameters<ReturnType<typeof locateByCodeAttributes>>[0]): readonly CodeMatch[] => {
      calls++;
      return locateByCodeAttributes(mapper)(span);
    };
    const resolver = new LocationResolver(counting);
    for (let i = 0; i < 1000; i++) {
      // fresh attribute objects and strings each time, as a parser makes them
      const line = 3 + (i % 2);
      resolver.resolve(statSpan({ attributes: codeAttrs(`/app/src/${'orders'}.js`, `place${'Order'}`, line) }));
    }
    assert.equal(calls, 2);
    assert.equal(resolver.misses, 2);
    assert.equal(resolver.size, 2);
  });

  it('remembers that a signature maps nowhere', () => {
    let calls = 0;
    const resolver = new LocationResolver(() => {
      calls++;
      return [];
    });
    assert.equal(resolver.resolve(statSpan({ attributes: codeAttrs('/elsewhere/x.go', 'main') })), undefined);
    assert.equal(resolver.resolve(statSpan({ attributes: codeAttrs('/elsewhere/x.go', 'main') })), undefined);
    assert.equal(calls, 1);
  });

  it('ignores matches below the confidence floor', () => {
    const weak: CodeMatch = { file: 'src/orders.js', function: 'f', confidence: 0.3, reason: 'a guess' };
    const resolver = new LocationResolver(() => [weak], { minConfidence: 0.5 });
    assert.equal(resolver.resolve(statSpan()), undefined);
  });

  it('does not place a span by the stack of an exception it recorded: that is where the error was raised', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const span = statSpan({
      attributes: {},
      events: [
        {
          name: 'exception',
          timeUs: 0,
          attributes: { 'exception.stacktrace': 'Error: x\n    at charge (/app/src/orders.js:15:11)' },
        },
      ],
    });
    assert.equal(resolver.resolve(span), undefined);
  });

  it('starts over when told the workspace changed', () => {
    let calls = 0;
    const resolver = new LocationResolver(() => {
      calls++;
      return [{ file: 'src/orders.js', function: 'f', confidence: 0.9, reason: 'r' }];
    });
    resolver.resolve(statSpan());
    resolver.clear();
    resolver.resolve(statSpan());
    assert.equal(calls, 2);
  });

  it('keeps its cache bounded', () => {
    const resolver = new LocationResolver(() => [{ file: 'a.js', line: 1, confidence: 0.9, reason: 'r' }], { maxSignatures: 10 });
    for (let i = 0; i < 25; i++) resolver.resolve(statSpan({ attributes: codeAttrs('/a.js', undefined, i + 1) }));
    assert.ok(resolver.size <= 10, `size ${resolver.size}`);
    assert.ok(resolver.resolve(statSpan({ attributes: codeAttrs('/a.js', undefined, 25) })), 'the latest answer is kept');
  });

  it('numbers its answers densely, one number and one object per signature, for LatencyStats.ingest', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    assert.equal(resolver.resolver.numbered, resolver);
    const orders = statSpan({ attributes: codeAttrs('/app/src/orders.js', 'placeOrder', 3) });
    const server = statSpan({ attributes: codeAttrs('/app/src/server.js', 'handle', 5) });
    const elsewhere = statSpan({ attributes: codeAttrs('/elsewhere/x.go', 'main') });
    assert.equal(resolver.numberOf(orders), 0);
    assert.equal(resolver.numberOf(elsewhere), -1);
    assert.equal(resolver.numberOf(server), 1);
    assert.equal(resolver.numberOf(statSpan({ attributes: codeAttrs(`/app/src/${'orders'}.js`, 'placeOrder', 3) })), 0);
    assert.equal(resolver.location(0), resolver.resolve(orders));
    assert.deepEqual(resolver.location(1).key, { file: 'src/server.js', line: 5, function: 'handle', span: 'placeOrder' });
    assert.throws(() => resolver.location(2), RangeError);
  });

  it('starts its numbers over when cleared, and says so by a new era', () => {
    const resolver = new LocationResolver(locateByCodeAttributes(mapper));
    const server = statSpan({ attributes: codeAttrs('/app/src/server.js', 'handle', 5) });
    resolver.numberOf(statSpan({ attributes: codeAttrs('/app/src/orders.js', 'placeOrder', 3) }));
    assert.equal(resolver.numberOf(server), 1);
    const era = resolver.era;
    resolver.clear();
    assert.notEqual(resolver.era, era);
    assert.equal(resolver.numberOf(server), 0);
    assert.deepEqual(resolver.location(0).key, { file: 'src/server.js', line: 5, function: 'handle', span: 'placeOrder' });
  });
});
