import * as assert from 'node:assert/strict';
import { TraceStore, type ExceptionRecord, type StoreChange } from '../../../../src/core/store/traceStore';
import { BASE_US, span, spanIdOf, trace, traceIdOf, traceOfSize } from './builders';

describe('TraceStore', () => {
  describe('assembling', () => {
    it('merges batches of one trace that arrive late and out of order into one trace', () => {
      const store = new TraceStore();
      const id = traceIdOf(1);
      const root = span({ traceId: id, spanId: spanIdOf(1), name: 'GET /checkout', startUs: BASE_US, durationUs: 5000 });
      const db = span({
        traceId: id,
        spanId: spanIdOf(2),
        parentSpanId: spanIdOf(1),
        name: 'SELECT',
        service: 'db',
        startUs: BASE_US + 100,
        durationUs: 200,
      });
      const late = span({
        traceId: id,
        spanId: spanIdOf(3),
        parentSpanId: spanIdOf(2),
        name: 'fetch',
        startUs: BASE_US + 4000,
        durationUs: 3000,
      });

      store.add([trace([db])]);
      assert.equal(store.summary(id)?.rootName, 'SELECT', 'a fragment is represented by its earliest span');
      store.add([trace([late])]);
      store.add([trace([root])]);

      const t = store.get(id)!;
      assert.deepEqual(t.spans.map((s) => s.spanId).sort(), [spanIdOf(1), spanIdOf(2), spanIdOf(3)]);
      assert.deepEqual(t.services, ['db', 'checkout']);
      assert.equal(t.startUs, BASE_US);
      assert.equal(t.durationUs, 7000, 'from the root start to the late span end');
      const summary = store.summary(id)!;
      assert.equal(summary.rootName, 'GET /checkout');
      assert.equal(summary.rootService, 'checkout');
      assert.equal(summary.spanCount, 3);
      assert.deepEqual(summary.services, [
        { name: 'db', spanCount: 1, errorCount: 0 },
        { name: 'checkout', spanCount: 2, errorCount: 0 },
      ]);
      assert.equal(store.stats().traces, 1);
      assert.equal(store.stats().spans, 3);
    });

    it('keeps a span sent twice (an exporter retry) once, and counts the duplicate', () => {
      const store = new TraceStore();
      const batch = traceOfSize(1, 3);
      assert.deepEqual(store.add([batch]), { acceptedSpans: 3, duplicateSpans: 0, rejectedSpans: 0 });
      assert.deepEqual(store.add([traceOfSize(1, 3)]), { acceptedSpans: 0, duplicateSpans: 3, rejectedSpans: 0 });
      assert.equal(store.get(traceIdOf(1))!.spans.length, 3);
      assert.equal(store.stats().duplicateSpans, 3);
    });

    it('finds a trace by any accepted spelling of its id', () => {
      const store = new TraceStore();
      store.add([traceOfSize(0xabc, 1)]);
      assert.ok(store.get('ABC'));
      assert.ok(store.has(traceIdOf(0xabc).toUpperCase()));
      assert.equal(store.get(traceIdOf(0xabd)), undefined);
    });

    it('hands out traces the caller may change without changing the store', () => {
      const store = new TraceStore();
      store.add([traceOfSize(1, 2)]);
      store.get(traceIdOf(1))!.spans.pop();
      assert.equal(store.get(traceIdOf(1))!.spans.length, 2);
    });

    it('keeps parse warnings with their trace', () => {
      const store = new TraceStore();
      const t = traceOfSize(1, 1);
      t.warnings = ['span 1: negative duration'];
      store.add([t]);
      assert.deepEqual(store.get(traceIdOf(1))!.warnings, ['span 1: negative duration']);
    });
  });

  describe('bounds', () => {
    it('keeps the newest traces of a flood and counts exactly what it evicted', () => {
      const store = new TraceStore({ maxSpans: 1000 });
      for (let batch = 0; batch < 30; batch++) {
        const traces = [];
        for (let i = 0; i < 10; i++) traces.push(traceOfSize(batch * 10 + i + 1, 10));
        store.add(traces);
        assert.ok(store.stats().spans <= 1000, 'never above the limit after a batch');
      }
      assert.deepEqual(
        { ...store.stats(), bytes: undefined },
        {
          traces: 100,
          spans: 1000,
          evictedTraces: 200,
          evictedSpans: 2000,
          evictedTracesForBytes: 0,
          truncatedValues: 0,
          evictedExceptions: 0,
          rejectedSpans: 0,
          duplicateSpans: 0,
          exceptions: 0,
          bytes: undefined,
        },
      );
      for (let n = 1; n <= 200; n++) assert.equal(store.has(traceIdOf(n)), false, `trace ${n} is evicted`);
      for (let n = 201; n <= 300; n++) assert.equal(store.has(traceIdOf(n)), true, `trace ${n} is kept`);
    });

    it('evicts whole traces, the least recently written first', () => {
      const store = new TraceStore({ maxSpans: 10 });
      store.add([traceOfSize(1, 4)]);
      store.add([traceOfSize(2, 4)]);
      // trace 1 grows late: it is now the most recently written
      store.add([trace([span({ traceId: traceIdOf(1), spanId: spanIdOf(999), parentSpanId: spanIdOf(100_001) })])]);
      store.add([traceOfSize(3, 4)]);
      assert.equal(store.has(traceIdOf(2)), false);
      assert.equal(store.get(traceIdOf(1))!.spans.length, 5);
      assert.equal(store.get(traceIdOf(3))!.spans.length, 4);
      assert.deepEqual([store.stats().evictedTraces, store.stats().evictedSpans], [1, 4]);
    });

    it('keeps at most maxSpans spans of a single huge trace and says so', () => {
      const store = new TraceStore({ maxSpans: 5 });
      const result = store.add([traceOfSize(1, 8)]);
      assert.deepEqual(result, { acceptedSpans: 5, duplicateSpans: 0, rejectedSpans: 3 });
      const t = store.get(traceIdOf(1))!;
      assert.equal(t.spans.length, 5);
      assert.match(t.warnings.join('\n'), /3 spans were not kept.*limit of 5 spans/);
      assert.equal(store.stats().rejectedSpans, 3);
    });

    it('forgets evicted traces in every index', () => {
      const store = new TraceStore({ maxSpans: 2 });
      store.add([traceOfSize(1, 2, 0, 'old-service')]);
      store.add([traceOfSize(2, 2, 0, 'new-service')]);
      assert.deepEqual(store.services(), ['new-service']);
      assert.deepEqual(store.operations('old-service'), []);
      assert.deepEqual(store.list({ service: 'old-service' }), []);
    });

    it('refuses a limit that is not a positive integer', () => {
      assert.throws(() => new TraceStore({ maxSpans: 0 }), RangeError);
      assert.throws(() => new TraceStore({ maxSpans: 1.5 }), RangeError);
    });
  });

  describe('search', () => {
    const store = new TraceStore();
    before(() => {
      const id = (n: number) => traceIdOf(n);
      store.add([
        trace([
          span({
            traceId: id(1),
            spanId: spanIdOf(1),
            name: 'GET /cart',
            startUs: BASE_US + 1000,
            durationUs: 500,
            attributes: { 'http.response.status_code': 200 },
          }),
        ]),
        trace([
          span({
            traceId: id(2),
            spanId: spanIdOf(2),
            name: 'POST /pay',
            service: 'payments',
            startUs: BASE_US + 2000,
            durationUs: 90_000,
            status: { code: 'error', message: 'card declined' },
            attributes: { 'http.response.status_code': 500, customer: 'ACME Corp' },
          }),
          span({
            traceId: id(2),
            spanId: spanIdOf(3),
            parentSpanId: spanIdOf(2),
            name: 'charge',
            service: 'bank',
            startUs: BASE_US + 2100,
            durationUs: 80_000,
          }),
        ]),
        trace([span({ traceId: id(3), spanId: spanIdOf(4), name: 'GET /cart', startUs: BASE_US + 3000, durationUs: 20_000 })]),
      ]);
    });
    const ids = (q: Parameters<TraceStore['list']>[0]) => store.list(q).map((s) => Number.parseInt(s.traceId, 16));

    it('lists summaries newest first', () => {
      assert.deepEqual(ids({}), [3, 2, 1]);
      const [newest] = store.list({ limit: 1 });
      assert.deepEqual(newest, {
        traceId: traceIdOf(3),
        rootService: 'checkout',
        rootName: 'GET /cart',
        startUs: BASE_US + 3000,
        durationUs: 20_000,
        spanCount: 1,
        errorCount: 0,
        services: [{ name: 'checkout', spanCount: 1, errorCount: 0 }],
      });
    });

    it('filters by service, operation and errors through the indexes', () => {
      assert.deepEqual(ids({ service: 'bank' }), [2]);
      assert.deepEqual(ids({ operation: 'GET /cart' }), [3, 1]);
      assert.deepEqual(ids({ service: 'payments', operation: 'GET /cart' }), []);
      assert.deepEqual(ids({ operation: 'charge', service: 'bank' }), [2]);
      assert.deepEqual(ids({ errorsOnly: true }), [2]);
      assert.deepEqual(ids({ service: 'nobody' }), []);
    });

    it('filters by duration and time window', () => {
      assert.deepEqual(ids({ minDurationUs: 10_000 }), [3, 2]);
      assert.deepEqual(ids({ maxDurationUs: 20_000 }), [3, 1]);
      assert.deepEqual(ids({ startUs: BASE_US + 1500, endUs: BASE_US + 2500 }), [2]);
    });

    it('filters by tags on one span (span or resource attributes; error=true for error status)', () => {
      assert.deepEqual(ids({ tags: { 'http.response.status_code': '500' } }), [2]);
      assert.deepEqual(ids({ tags: { 'service.name': 'bank' } }), [2]);
      assert.deepEqual(ids({ tags: { error: 'true' } }), [2]);
      assert.deepEqual(ids({ tags: { 'http.response.status_code': '500', 'service.name': 'bank' } }), [], 'not on the same span');
    });

    it('matches free text in names, services, attribute values and trace ids', () => {
      assert.deepEqual(ids({ text: 'acme' }), [2]);
      assert.deepEqual(ids({ text: 'CHARGE' }), [2]);
      assert.deepEqual(ids({ text: traceIdOf(3) }), [3]);
    });

    it('applies the limit after ordering', () => {
      assert.deepEqual(ids({ limit: 2 }), [3, 2]);
      assert.deepEqual(ids({ limit: 0 }), []);
    });

    it('lists services, operations and tags from what is stored', () => {
      assert.deepEqual(store.services(), ['bank', 'checkout', 'payments']);
      assert.deepEqual(store.operations('checkout'), ['GET /cart']);
      assert.ok(store.tagKeys().includes('customer'));
      assert.deepEqual(store.tagValues('http.response.status_code'), ['200', '500']);
    });
  });

  describe('code locations', () => {
    it('indexes spans by code.file.path and function, with current and older attribute names', () => {
      const store = new TraceStore();
      store.add([
        trace([
          span({
            traceId: traceIdOf(1),
            spanId: spanIdOf(1),
            attributes: { 'code.file.path': '/app/cart.ts', 'code.function.name': 'Cart.load', 'code.line.number': 12 },
          }),
          span({
            traceId: traceIdOf(1),
            spanId: spanIdOf(2),
            status: { code: 'error' },
            attributes: { 'code.filepath': '/app/cart.ts', 'code.namespace': 'Cart', 'code.function': 'load', 'code.lineno': 14 },
          }),
        ]),
        trace([span({ traceId: traceIdOf(2), spanId: spanIdOf(3), attributes: { 'code.filepath': 'pay.py' } })]),
        trace([span({ traceId: traceIdOf(3), spanId: spanIdOf(4), attributes: { 'code.function.name': 'noFile' } })]),
      ]);
      const byFile = new Map(store.locations().map((l) => [l.filePath + '#' + (l.functionName ?? ''), l]));
      assert.equal(byFile.size, 2);
      const cart = byFile.get('/app/cart.ts#Cart.load')!;
      assert.equal(cart.spanCount, 2);
      assert.equal(cart.errorCount, 1);
      assert.equal(cart.lineNumber, 14);
      assert.deepEqual([...cart.traceIds], [traceIdOf(1)]);
      assert.deepEqual(
        store.tracesAt(cart.key).map((s) => s.traceId),
        [traceIdOf(1)],
      );
      assert.equal(byFile.get('pay.py#')?.spanCount, 1);
    });

    it('drops a location when its last trace is evicted', () => {
      const store = new TraceStore({ maxSpans: 1 });
      store.add([trace([span({ traceId: traceIdOf(1), spanId: spanIdOf(1), attributes: { 'code.file.path': 'a.ts' } })])]);
      store.add([trace([span({ traceId: traceIdOf(2), spanId: spanIdOf(2), attributes: { 'code.file.path': 'b.ts' } })])]);
      assert.deepEqual(
        store.locations().map((l) => l.filePath),
        ['b.ts'],
      );
    });
  });

  describe('exception records', () => {
    const record = (traceN: number, spanN: number, message: string): ExceptionRecord => ({
      traceId: traceIdOf(traceN),
      spanId: spanIdOf(spanN),
      timeUs: BASE_US,
      service: 'checkout',
      type: 'TypeError',
      message,
      attributes: {},
    });

    it('returns the records of a span, whether they came before or after the span', () => {
      const store = new TraceStore();
      store.addExceptions([record(1, 1, 'first'), record(1, 2, 'other span')]);
      store.add([traceOfSize(1, 2)]);
      store.addExceptions([record(1, 1, 'second')]);
      assert.deepEqual(
        store.exceptionsFor(traceIdOf(1), spanIdOf(1)).map((r) => r.message),
        ['first', 'second'],
      );
      assert.equal(store.exceptionsFor(traceIdOf(1)).length, 3);
      assert.equal(store.stats().exceptions, 3);
    });

    it('forgets them with their evicted trace, and keeps at most maxExceptions', () => {
      const store = new TraceStore({ maxSpans: 1, maxExceptions: 2 });
      store.add([traceOfSize(1, 1)]);
      store.addExceptions([record(1, 1, 'a')]);
      store.add([traceOfSize(2, 1)]);
      assert.deepEqual(store.exceptionsFor(traceIdOf(1)), []);
      store.addExceptions([record(5, 1, 'x'), record(6, 1, 'y'), record(7, 1, 'z')]);
      assert.equal(store.stats().exceptions, 2);
      assert.deepEqual(store.exceptionsFor(traceIdOf(5)), []);
      assert.equal(store.exceptionsFor(traceIdOf(7))[0]?.message, 'z');
    });
  });

  describe('change events', () => {
    it('emits one event per batch with the traces written and evicted', () => {
      const store = new TraceStore({ maxSpans: 4 });
      const changes: StoreChange[] = [];
      const subscription = store.onDidChange((c) => changes.push(c));
      store.add([traceOfSize(1, 2), traceOfSize(2, 2)]);
      store.add([traceOfSize(3, 2), traceOfSize(3, 2)]);
      assert.equal(changes.length, 2);
      assert.deepEqual(changes[0]!.traceIds, [traceIdOf(1), traceIdOf(2)]);
      assert.deepEqual(changes[1]!.traceIds, [traceIdOf(3)]);
      assert.deepEqual(changes[1]!.evictedTraceIds, [traceIdOf(1)]);
      subscription.dispose();
      store.clear();
      assert.equal(changes.length, 2);
    });

    it('calls every listener even when one throws, then rethrows', () => {
      const store = new TraceStore();
      let called = false;
      store.onDidChange(() => {
        throw new Error('listener bug');
      });
      store.onDidChange(() => (called = true));
      assert.throws(() => store.add([traceOfSize(1, 1)]), /listener bug/);
      assert.equal(called, true);
      assert.ok(store.has(traceIdOf(1)));
    });

    it('empties on clear, keeping the counters', () => {
      const store = new TraceStore({ maxSpans: 1 });
      store.add([traceOfSize(1, 1)]);
      store.add([traceOfSize(2, 1)]);
      store.clear();
      assert.deepEqual(store.list(), []);
      assert.deepEqual(store.services(), []);
      assert.equal(store.stats().spans, 0);
      assert.equal(store.stats().evictedTraces, 1);
    });
  });
});
