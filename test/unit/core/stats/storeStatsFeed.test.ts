import * as assert from 'node:assert/strict';
import { summarize } from '../../../../src/core/model/assemble';
import type { Span, Trace } from '../../../../src/core/model/types';
import { codeKeyId } from '../../../../src/core/stats/codeKey';
import { LatencyStats } from '../../../../src/core/stats/latencyStats';
import { LocationResolver } from '../../../../src/core/stats/locationResolver';
import { StoreStatsFeed } from '../../../../src/core/stats/storeStatsFeed';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { statSpan, T0 } from './statsBuilders';

function traceOf(spans: Span[]): Trace {
  return summarize(spans[0]!.traceId, spans);
}

describe('StoreStatsFeed', () => {
  const resolver = () =>
    new LocationResolver((span) => [{ file: 'src/orders.js', function: span.name, line: 3, confidence: 0.95, reason: 'test' }]);
  const id = codeKeyId({ file: 'src/orders.js', line: 3, function: 'placeOrder', span: 'placeOrder' });

  it('counts each span once, however many batches its trace arrives in', () => {
    const store = new TraceStore();
    const stats = new LatencyStats({ clock: () => T0 });
    const feed = new StoreStatsFeed(store, stats, resolver()).start();
    const traceId = 'f'.repeat(32);
    const a = statSpan({ traceId, spanId: 'a'.repeat(16) });
    const b = statSpan({ traceId, spanId: 'b'.repeat(16), durationUs: 3000 });
    store.add([traceOf([a])]);
    store.add([traceOf([a, b])]); // an exporter retry carrying a again
    store.add([traceOf([statSpan({ traceId, spanId: 'c'.repeat(16) })])]);
    assert.equal(stats.summary(id)!.count, 3);
    assert.equal(feed.totals.counted, 3);
    feed.dispose();
    store.add([traceOf([statSpan()])]);
    assert.equal(stats.summary(id)!.count, 3, 'nothing counted after dispose');
  });

  it('counts what the store already holds when it starts', () => {
    const store = new TraceStore();
    store.add([traceOf([statSpan()]), traceOf([statSpan()])]);
    const stats = new LatencyStats({ clock: () => T0 });
    new StoreStatsFeed(store, stats, resolver()).start();
    assert.equal(stats.summary(id)!.count, 2);
  });

  it('keeps the figures of evicted traces, and forgets everything when the store is cleared', () => {
    const store = new TraceStore({ maxSpans: 2 });
    const stats = new LatencyStats({ clock: () => T0 });
    new StoreStatsFeed(store, stats, resolver()).start();
    for (let i = 0; i < 5; i++) store.add([traceOf([statSpan()])]);
    assert.equal(stats.summary(id)!.count, 5);
    store.clear();
    assert.equal(stats.summary(id), undefined);
  });

  it('rebuilds from the store, e.g. after the window length changed', () => {
    const store = new TraceStore();
    const stats = new LatencyStats({ clock: () => T0 });
    const feed = new StoreStatsFeed(store, stats, resolver()).start();
    store.add([traceOf([statSpan(), statSpan({ startUs: T0 + 1 })])]);
    feed.rebuild();
    assert.equal(stats.summary(id)!.count, 2);
  });
});
