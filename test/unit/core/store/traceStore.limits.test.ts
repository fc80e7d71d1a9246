// The store's bounds in bytes: attribute values cut to a length limit (and said so), memory estimated per span,
// whole oldest traces evicted to stay within a byte budget.
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { TRUNCATED_KEY } from '../../../../src/core/store/attributeLimits';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { BASE_US, resourceOf, span, spanIdOf, trace, traceIdOf, traceOfSize } from './builders';

describe('TraceStore limits', () => {
  describe('attribute value length limit', () => {
    it('cuts long values wherever they are, marks the span and warns on its trace', () => {
      const store = new TraceStore({ attributeValueLengthLimit: 10 });
      const id = traceIdOf(1);
      const long = 'abcdefghijklmnopqrstuvwxyz';
      const s = span({
        traceId: id,
        spanId: spanIdOf(1),
        name: 'POST /upload',
        attributes: {
          short: 'fits',
          'db.statement': long,
          list: ['ok', long, 7],
          map: { inner: long },
          bytes: new Uint8Array(40),
        },
        events: [{ name: 'exception', timeUs: BASE_US, attributes: { 'exception.stacktrace': long } }],
        links: [{ traceId: traceIdOf(2), spanId: spanIdOf(2), attributes: { note: long } }],
      });
      store.add([trace([s])]);
      const kept = store.get(id)!.spans[0]!;
      assert.equal(kept.attributes.short, 'fits');
      assert.equal(kept.attributes['db.statement'], 'abcdefghij');
      assert.deepEqual(kept.attributes.list, ['ok', 'abcdefghij', 7]);
      assert.deepEqual(kept.attributes.map, { inner: 'abcdefghij' });
      assert.equal((kept.attributes.bytes as Uint8Array).length, 10);
      assert.equal(kept.events[0]!.attributes['exception.stacktrace'], 'abcdefghij');
      assert.equal(kept.links[0]!.attributes.note, 'abcdefghij');
      assert.deepEqual(kept.attributes[TRUNCATED_KEY], [
        'db.statement',
        'list[1]',
        'map.inner',
        'bytes',
        'event[0].exception.stacktrace',
        'link[0].note',
      ]);
      const warning = store.get(id)!.warnings.join('\n');
      assert.match(
        warning,
        /span 0000000000000001 "POST \/upload": 6 attribute values cut to 10 characters: db\.statement \(26\)/,
      );
      assert.match(warning, /and 1 more/);
      assert.equal(store.stats().truncatedValues, 6);
    });

    it('never splits a surrogate pair, and leaves values within the limit alone', () => {
      const store = new TraceStore({ attributeValueLengthLimit: 4 });
      const s = span({ traceId: traceIdOf(1), spanId: spanIdOf(1), attributes: { emoji: 'abc😀def', exact: 'abcd' } });
      const before = s.attributes;
      store.add([trace([s])]);
      const kept = store.get(traceIdOf(1))!.spans[0]!;
      assert.equal(kept.attributes.emoji, 'abc');
      assert.equal(kept.attributes.exact, 'abcd');
      assert.notEqual(kept.attributes, before, 'a cut copy, not the caller-visible original changed');

      const roomy = new TraceStore({ attributeValueLengthLimit: 100 });
      const untouched = span({ traceId: traceIdOf(2), spanId: spanIdOf(1), attributes: { a: 'abcd' } });
      const attributes = untouched.attributes;
      roomy.add([trace([untouched])]);
      assert.equal(roomy.get(traceIdOf(2))!.spans[0]!.attributes, attributes, 'nothing copied when nothing is cut');
    });

    it('cuts a shared resource once, and its spans still share one resource object', () => {
      const store = new TraceStore({ attributeValueLengthLimit: 8 });
      const resource = { 'service.name': 'checkout', 'process.command_line': 'node --inspect server.js --port 8080' };
      const spans = [1, 2, 3].map((n) => span({ traceId: traceIdOf(1), spanId: spanIdOf(n), resource }));
      store.add([trace(spans)]);
      const kept = store.get(traceIdOf(1))!.spans;
      assert.equal(kept[0]!.resource['process.command_line'], 'node --i');
      assert.equal(kept[0]!.resource, kept[2]!.resource);
      assert.deepEqual(kept[1]!.attributes[TRUNCATED_KEY], ['resource.process.command_line']);
    });

    it('cuts exception records, their message and stack trace included', () => {
      const store = new TraceStore({ attributeValueLengthLimit: 5 });
      store.addExceptions([
        {
          traceId: traceIdOf(1),
          spanId: spanIdOf(1),
          timeUs: BASE_US,
          service: 'checkout',
          type: 'TypeError',
          message: 'cart is undefined',
          stacktrace: 'TypeError: cart is undefined\n    at x',
          attributes: { 'exception.type': 'TypeError', 'exception.stacktrace': 'TypeError: cart is undefined\n    at x' },
        },
      ]);
      const [record] = store.exceptionsFor(traceIdOf(1));
      assert.deepEqual([record!.type, record!.message, record!.stacktrace], ['TypeE', 'cart ', 'TypeE']);
      assert.equal(record!.attributes['exception.stacktrace'], 'TypeE');
      assert.equal(store.stats().truncatedValues, 3, 'the two attributes, and the message, which is none of them');
    });

    it('keeps 1,000 spans with a 1 MiB attribute each in a few tens of MB, not a GB', function () {
      this.timeout(60_000);
      const store = new TraceStore();
      const heapBefore = usedHeap();
      for (let n = 0; n < 1000; n++) {
        // a new string per span, as a reader makes them
        const payload = `${n}:`.padEnd(1024 * 1024, 'x');
        store.add([trace([span({ traceId: traceIdOf(n + 1), spanId: spanIdOf(1), attributes: { payload } })])]);
      }
      const grown = usedHeap() - heapBefore;
      const { bytes, spans, truncatedValues } = store.stats();
      assert.equal(spans, 1000);
      assert.equal(truncatedValues, 1000);
      assert.ok(bytes < 80 * 1024 * 1024, `estimated ${bytes} bytes`);
      assert.ok(grown < 200 * 1024 * 1024, `the heap grew by ${Math.round(grown / 1048576)} MB`);
      assert.ok(bytes > grown / 3, `the estimate (${bytes}) is not far below what the heap holds (${grown})`);
    });
  });

  describe('byte budget', () => {
    const payload = (n: number): string => `${n}`.padEnd(10_000, '.');

    it('evicts whole oldest traces to stay within maxBytes, and counts them apart from span evictions', () => {
      const store = new TraceStore({ maxBytes: 1_000_000 });
      for (let n = 1; n <= 300; n++) {
        const t = traceOfSize(n, 2);
        for (const s of t.spans) s.attributes = { payload: payload(n) };
        store.add([t]);
      }
      const stats = store.stats();
      assert.ok(stats.bytes <= 1_000_000, `${stats.bytes} bytes held`);
      assert.ok(stats.bytes > 900_000, `${stats.bytes} bytes held: the budget is used`);
      assert.ok(stats.evictedTraces > 200, `${stats.evictedTraces} evicted`);
      assert.equal(stats.evictedTracesForBytes, stats.evictedTraces);
      assert.equal(stats.evictedSpans, stats.evictedTraces * 2);
      assert.ok(store.has(traceIdOf(300)) && !store.has(traceIdOf(1)), 'the newest are kept, the oldest evicted');
      for (const id of store.traceIds()) assert.equal(store.get(id)!.spans.length, 2, 'kept traces are whole');
    });

    it('keeps what fits of a single trace larger than the budget and says so', () => {
      const store = new TraceStore({ maxBytes: 100_000 });
      const t = traceOfSize(1, 30);
      for (const s of t.spans) s.attributes = { payload: payload(1) };
      const result = store.add([t]);
      assert.ok(result.acceptedSpans > 5 && result.acceptedSpans < 30, `${result.acceptedSpans} accepted`);
      assert.equal(result.rejectedSpans, 30 - result.acceptedSpans);
      assert.match(
        store.get(traceIdOf(1))!.warnings.join('\n'),
        /spans were not kept: this trace alone exceeds the store's size limit/,
      );
      assert.ok(store.stats().bytes <= 100_000);
    });

    it('gives exception records at most a quarter of the budget, dropping the oldest', () => {
      const store = new TraceStore({ maxBytes: 400_000 });
      store.add([traceOfSize(1, 1)]);
      const records = Array.from({ length: 100 }, (_, i) => ({
        traceId: traceIdOf(1000 + i),
        spanId: spanIdOf(1),
        timeUs: BASE_US,
        service: 'checkout',
        attributes: { 'exception.stacktrace': payload(i) },
        stacktrace: payload(i),
      }));
      store.addExceptions(records);
      const stats = store.stats();
      assert.ok(stats.exceptions < 100 && stats.exceptions > 0, `${stats.exceptions} kept`);
      assert.equal(stats.evictedExceptions, 100 - stats.exceptions);
      assert.equal(store.exceptionsFor(traceIdOf(1099)).length, 1, 'the newest is kept');
      assert.ok(store.has(traceIdOf(1)), 'traces are not evicted for exception records');
      assert.ok(stats.bytes <= 400_000);
    });

    it('counts the bytes it frees: a cleared or evicted store holds none', () => {
      const store = new TraceStore({ maxSpans: 3 });
      store.add([traceOfSize(1, 2), traceOfSize(2, 2)]);
      const oneTrace = store.stats().bytes;
      assert.ok(oneTrace > 0);
      store.clear();
      assert.equal(store.stats().bytes, 0);
      store.add([traceOfSize(3, 1)]);
      store.add([traceOfSize(4, 1, 0, 'other')]);
      assert.equal(store.stats().spans, 2);
      assert.ok(resourceOf('other'));
    });
  });
});

/** JS heap plus ArrayBuffers after full collections, when the test runs with a collector it can call. */
function usedHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc ?? collector();
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
