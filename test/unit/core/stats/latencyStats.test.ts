import * as assert from 'node:assert/strict';
import { LatencyStats } from '../../../../src/core/stats/latencyStats';
import type { Span } from '../../../../src/core/model/types';
import { codeKeyId } from '../../../../src/core/stats/codeKey';
import { LocationResolver, type Locate } from '../../../../src/core/stats/locationResolver';
import { exactQuantile, location, logNormal, MINUTE, seeded, statSpan, T0 } from './statsBuilders';

const PLACE = location({ file: 'src/orders.js', function: 'placeOrder' }, 3);
const CHARGE = location({ file: 'src/orders.js', function: 'charge' }, 14);
const HANDLE = location({ file: 'src/server.js', function: 'handleRequest' }, 5);

const at = (loc: typeof PLACE) => () => loc;

describe('LatencyStats', () => {
  const clock = () => T0 + 60 * MINUTE;

  it('counts calls, errors and throughput per location', () => {
    const stats = new LatencyStats({ clock });
    const spans: Span[] = [];
    for (let i = 0; i < 100; i++) {
      spans.push(
        statSpan({ startUs: T0 + i * 6_000_000, durationUs: 1000 + i, status: { code: i % 20 === 0 ? 'error' : 'ok' } }),
      );
    }
    const r = stats.ingest(spans, at(PLACE));
    assert.deepEqual(r, { counted: 100, unplaced: 0, outside: 0 });
    const s = stats.summary(PLACE.id)!;
    assert.equal(s.count, 100);
    assert.equal(s.errors, 5);
    // 100 calls over 9.9 minutes of data
    assert.ok(Math.abs(s.perMinute - 100 / 9.9) < 0.01, `perMinute ${s.perMinute}`);
    assert.equal(s.minUs, 1000);
    assert.equal(s.maxUs, 1099);
    assert.deepEqual(s.lines, [3]);
    assert.equal(s.lastSeenUs, T0 + 99 * 6_000_000 + 1099);
    assert.deepEqual(s.source, { kind: 'local' });
  });

  it('answers percentiles within the sketch bound of the exact ones, for quiet and busy locations alike', () => {
    for (const n of [40, 700, 20_000]) {
      const stats = new LatencyStats({ clock });
      const random = seeded(n);
      const durations = Array.from({ length: n }, () => logNormal(random, 8_000, 0.9));
      stats.ingest(
        durations.map((d, i) => statSpan({ startUs: T0 + Math.floor((i / n) * 50 * MINUTE), durationUs: d })),
        at(PLACE),
      );
      const s = stats.summary(PLACE.id)!;
      const sorted = [...durations].sort((a, b) => a - b);
      for (const [q, got] of [
        [0.5, s.p50Us],
        [0.9, s.p90Us],
        [0.95, s.p95Us],
        [0.99, s.p99Us],
      ] as const) {
        const exact = exactQuantile(sorted, q);
        assert.ok(Math.abs(got - exact) / exact <= 0.01 + 1e-9, `n=${n} q=${q}: ${got} vs ${exact}`);
      }
      assert.equal(s.count, n);
    }
  });

  it('keeps locations and files apart', () => {
    const stats = new LatencyStats({ clock });
    stats.ingest([statSpan({ durationUs: 10 })], at(PLACE));
    stats.ingest([statSpan({ durationUs: 20 }), statSpan({ durationUs: 30 })], at(CHARGE));
    stats.ingest([statSpan({ durationUs: 40 })], at(HANDLE));
    const inOrders = stats.summariesIn('src/orders.js').map((s) => [s.key.function, s.count]);
    assert.deepEqual(inOrders.sort(), [
      ['charge', 2],
      ['placeOrder', 1],
    ]);
    assert.deepEqual(
      stats.summariesIn('src/server.js').map((s) => s.count),
      [1],
    );
    assert.deepEqual(stats.summariesIn('src/other.js'), []);
    assert.deepEqual(stats.files().sort(), ['src/orders.js', 'src/server.js']);
  });

  it('forgets calls once the window has moved past them', () => {
    const stats = new LatencyStats({ windowMinutes: 10, clock: () => T0 + 100 * MINUTE });
    stats.ingest([statSpan({ startUs: T0, durationUs: 5_000 })], at(PLACE));
    stats.ingest([statSpan({ startUs: T0 + 5 * MINUTE, durationUs: 100 })], at(PLACE));
    assert.equal(stats.summary(PLACE.id)!.count, 2);
    stats.ingest([statSpan({ startUs: T0 + 10 * MINUTE, durationUs: 100 })], at(CHARGE));
    const s = stats.summary(PLACE.id)!;
    assert.equal(s.count, 1, 'the call at T0 left the window');
    assert.equal(s.maxUs, 100);
    stats.ingest([statSpan({ startUs: T0 + 30 * MINUTE, durationUs: 100 })], at(CHARGE));
    assert.equal(stats.summary(PLACE.id), undefined, 'no calls left in the window');
    assert.deepEqual(
      stats.summariesIn('src/orders.js').map((x) => x.key.function),
      ['charge'],
    );
  });

  it('does not count spans older than the window, whatever order they arrive in', () => {
    const stats = new LatencyStats({ windowMinutes: 10, clock: () => T0 + 100 * MINUTE });
    const r = stats.ingest(
      [statSpan({ startUs: T0 + 60 * MINUTE }), statSpan({ startUs: T0 }), statSpan({ startUs: T0 + 55 * MINUTE })],
      at(PLACE),
    );
    assert.deepEqual(r, { counted: 2, unplaced: 0, outside: 1 });
    assert.equal(stats.summary(PLACE.id)!.count, 2);
  });

  it('shows figures of data from long ago: the window ends at the newest span, not at the clock', () => {
    const stats = new LatencyStats({ clock: () => T0 + 365 * 24 * 60 * MINUTE });
    stats.ingest([statSpan({ startUs: T0, durationUs: 1_250_000 })], at(HANDLE));
    assert.equal(stats.summary(HANDLE.id)!.count, 1);
    assert.equal(stats.windowEndUs, T0);
  });

  it('holds spans from the future at the clock, so that one bad timestamp cannot empty the window', () => {
    const now = T0 + 60 * MINUTE;
    const stats = new LatencyStats({ windowMinutes: 10, clock: () => now });
    stats.ingest([statSpan({ startUs: now - MINUTE })], at(PLACE));
    stats.ingest([statSpan({ startUs: now + 1000 * 24 * 60 * MINUTE })], at(CHARGE));
    assert.equal(stats.summary(PLACE.id)!.count, 1);
    assert.equal(stats.summary(CHARGE.id)!.count, 1);
  });

  it('does not count spans without a usable start time, nor spans the resolver places nowhere', () => {
    const stats = new LatencyStats({ clock });
    const r = stats.ingest([statSpan({ startUs: 0 }), statSpan({ startUs: Number.NaN }), statSpan({ name: 'elsewhere' })], (s) =>
      s.name === 'elsewhere' ? undefined : PLACE,
    );
    assert.deepEqual(r, { counted: 0, unplaced: 1, outside: 2 });
    assert.equal(stats.summary(PLACE.id), undefined);
  });

  it('answers new figures after more calls arrive (the cached summary is not stale)', () => {
    const stats = new LatencyStats({ clock });
    stats.ingest([statSpan({ durationUs: 1000 })], at(PLACE));
    assert.equal(stats.summary(PLACE.id)!.p50Us, 1000);
    assert.equal(stats.summary(PLACE.id), stats.summary(PLACE.id), 'unchanged: the same cached object');
    stats.ingest([statSpan({ durationUs: 9000 }), statSpan({ durationUs: 9000 })], at(PLACE));
    const s = stats.summary(PLACE.id)!;
    assert.equal(s.count, 3);
    assert.ok(Math.abs(s.p50Us - 9000) <= 90);
  });

  it('keeps the slowest and the latest failing spans of the window, with error messages', () => {
    const stats = new LatencyStats({ clock });
    const spans = Array.from({ length: 50 }, (_, i) =>
      statSpan({
        startUs: T0 + i * MINUTE,
        durationUs: (i * 37) % 101,
        status: i % 10 === 0 ? { code: 'error', message: `declined #${i}` } : { code: 'ok' },
      }),
    );
    spans.push(
      statSpan({
        startUs: T0 + 50 * MINUTE,
        durationUs: 1,
        status: { code: 'error' },
        events: [
          { name: 'exception', timeUs: T0, attributes: { 'exception.type': 'TypeError', 'exception.message': 'x is undefined' } },
        ],
      }),
    );
    stats.ingest(spans, at(PLACE));
    const { slowest, failing } = stats.tracesAt(PLACE.id, 5);
    const expected = spans
      .map((s) => s.durationUs)
      .sort((a, b) => b - a)
      .slice(0, 5);
    assert.deepEqual(
      slowest.map((r) => r.durationUs),
      expected,
    );
    assert.deepEqual(
      failing.map((r) => r.message),
      ['TypeError: x is undefined', 'declined #40', 'declined #30', 'declined #20', 'declined #10'],
    );
    assert.equal(failing[0]!.traceId, spans[50]!.traceId);
  });

  it('drops example spans that left the window', () => {
    const stats = new LatencyStats({ windowMinutes: 10, clock: () => T0 + 100 * MINUTE });
    stats.ingest([statSpan({ startUs: T0, durationUs: 99_000, status: { code: 'error', message: 'old' } })], at(PLACE));
    stats.ingest([statSpan({ startUs: T0 + 30 * MINUTE, durationUs: 10 })], at(PLACE));
    const { slowest, failing } = stats.tracesAt(PLACE.id);
    assert.deepEqual(
      slowest.map((r) => r.durationUs),
      [10],
    );
    assert.deepEqual(failing, []);
  });

  it('names the files whose figures changed since it was last asked', () => {
    const stats = new LatencyStats({ clock });
    stats.ingest([statSpan()], at(PLACE));
    stats.ingest([statSpan()], at(HANDLE));
    assert.deepEqual([...stats.takeChangedFiles()].sort(), ['src/orders.js', 'src/server.js']);
    assert.deepEqual([...stats.takeChangedFiles()], []);
    stats.ingest([statSpan()], at(CHARGE));
    assert.deepEqual([...stats.takeChangedFiles()], ['src/orders.js']);
    stats.clear();
    assert.deepEqual([...stats.takeChangedFiles()].sort(), ['src/orders.js', 'src/server.js']);
    assert.equal(stats.summary(PLACE.id), undefined);
  });

  it('keys by file and line when there is no function', () => {
    const byLine = location({ file: 'src/orders.js', line: 9 }, 9);
    assert.notEqual(byLine.id, codeKeyId({ file: 'src/orders.js', function: '9' }));
    const stats = new LatencyStats({ clock });
    stats.ingest([statSpan()], at(byLine));
    assert.deepEqual(stats.summary(byLine.id)!.key, { file: 'src/orders.js', line: 9 });
  });

  it('gives exact counts and bounded percentiles over many spans on many locations, read at any point', () => {
    // more spans than are held back before counting, over 300 locations and a window that moves on twice
    const stats = new LatencyStats({ clock, windowMinutes: 10 });
    const locations = Array.from({ length: 300 }, (_, i) => location({ file: `src/f${i % 7}.js`, function: `fn${i}` }));
    // a second object for each location, as a resolver cleared and asked again hands out
    const again = locations.map((l) => ({ ...l }));
    const random = seeded(7);
    const spans: Span[] = [];
    const at: number[] = [];
    for (let i = 0; i < 80_000; i++) {
      at.push(Math.floor(random() * locations.length));
      const startUs = T0 + 40 * MINUTE + Math.floor((i / 80_000) * 20 * MINUTE) - Math.floor(random() * 3 * MINUTE);
      spans.push(
        statSpan({ startUs, durationUs: logNormal(random, 2_000, 0.7), status: { code: random() < 0.1 ? 'error' : 'ok' } }),
      );
    }
    const check = (upTo: number): void => {
      const endSlot = Math.floor(Math.min(stats.windowEndUs, clock() + 5 * MINUTE) / MINUTE);
      for (const l of [0, 1, 150, 299]) {
        const mine = spans.filter((s, i) => i < upTo && at[i] === l);
        const inWindow = mine.filter((s) => Math.floor(s.startUs / MINUTE) > endSlot - 10);
        const s = stats.summary(locations[l]!.id);
        assert.equal(s?.count ?? 0, inWindow.length, `location ${l} after ${upTo}`);
        if (!s) continue;
        assert.equal(s.errors, inWindow.filter((x) => x.status.code === 'error').length);
        const sorted = inWindow.map((x) => x.durationUs).sort((x, y) => x - y);
        const exact = exactQuantile(sorted, 0.95);
        assert.ok(Math.abs(s.p95Us - exact) / exact <= 0.01 + 1e-9, `p95 ${s.p95Us} vs ${exact}`);
      }
    };
    let i = 0;
    for (const upTo of [1_000, 35_000, 80_000]) {
      for (; i < upTo; i += 500) {
        const batch = spans.slice(i, i + 500);
        const r = stats.ingest(batch, (span) => (i % 1000 === 0 ? locations : again)[at[spans.indexOf(span, i)]!]);
        assert.equal(r.counted + r.outside, batch.length);
      }
      check(upTo);
    }
    assert.equal(stats.locationCount, 300);
  });

  it('refuses a window it cannot hold', () => {
    assert.throws(() => new LatencyStats({ windowMinutes: 0 }), /windowMinutes/);
    assert.throws(() => new LatencyStats({ windowMinutes: 1.5 }), /windowMinutes/);
    assert.throws(() => new LatencyStats({ relativeAccuracy: 1 }), /relativeAccuracy/);
  });

  it('counts through a numbering resolver exactly as through a plain function, however often it starts over', () => {
    // 60 signatures over 20 locations of 4 files: lines and confidences differ between the signatures of a location
    const locate: Locate = (span) => {
      const a = span.attributes;
      const sig = Number(a['sig']);
      if (sig % 13 === 0) return [];
      const l = sig % 20;
      const line = sig % 3 === 0 ? undefined : 10 + sig;
      return [
        {
          file: `src/f${l % 4}.js`,
          function: `fn${l}`,
          ...(line === undefined ? {} : { line }),
          confidence: 0.6 + (sig % 4) / 10,
          reason: `signature ${sig}`,
        },
      ];
    };
    const random = seeded(11);
    const spans: Span[] = [];
    for (let i = 0; i < 6_000; i++) {
      const sig = Math.floor(random() * 60);
      spans.push(
        statSpan({
          startUs: T0 + Math.floor((i / 6_000) * 40 * MINUTE) - Math.floor(random() * 5 * MINUTE),
          durationUs: logNormal(random, 1_000, 0.9),
          status: random() < 0.05 ? { code: 'error', message: `failed ${i}` } : { code: 'ok' },
          attributes: { 'code.file.path': `/app/f${sig}.js`, sig },
        }),
      );
    }
    const numbered = new LatencyStats({ clock, windowMinutes: 15 });
    const plain = new LatencyStats({ clock, windowMinutes: 15 });
    // a small cache: the resolver clears itself, and its numbers start over, many times within a batch
    const resolver = new LocationResolver(locate, { maxSignatures: 25 });
    const reference = new LocationResolver(locate);
    const changed = { numbered: new Set<string>(), plain: new Set<string>() };
    for (let i = 0, b = 0; i < spans.length; i += 300, b++) {
      const batch = spans.slice(i, i + 300);
      // every third batch goes through a plain function on both sides, and one span through `add`
      const r = b % 3 === 2 ? numbered.ingest(batch, (s) => resolver.resolve(s)) : numbered.ingest(batch, resolver.resolver);
      assert.deepEqual(
        r,
        plain.ingest(batch, (s) => reference.resolve(s)),
      );
      if (b % 5 === 4) {
        const extra = statSpan({ startUs: batch[0]!.startUs, durationUs: 5, attributes: { 'code.file.path': '/x', sig: 1 } });
        assert.equal(numbered.add(extra, resolver.resolve(extra)!), plain.add(extra, reference.resolve(extra)!));
      }
      for (const f of numbered.takeChangedFiles()) changed.numbered.add(f);
      for (const f of plain.takeChangedFiles()) changed.plain.add(f);
      if (b % 4 !== 0) continue;
      assert.deepEqual(numbered.files().sort(), plain.files().sort());
      for (let l = 0; l < 20; l++) {
        const id = codeKeyId({ file: `src/f${l % 4}.js`, function: `fn${l}` });
        const [n, p] = [numbered.summary(id), plain.summary(id)];
        assert.deepEqual(n && { ...n, sketch: undefined }, p && { ...p, sketch: undefined }, `location ${l}, batch ${b}`);
        assert.deepEqual(numbered.tracesAt(id), plain.tracesAt(id));
      }
    }
    assert.ok(resolver.era > 10, `era ${resolver.era}`);
    assert.deepEqual([...changed.numbered].sort(), [...changed.plain].sort());
  });

  it('names a file changed again when a span arrives there after it was handed over, by ingest or add', () => {
    const stats = new LatencyStats({ clock });
    stats.ingest([statSpan()], at(PLACE));
    stats.takeChangedFiles();
    stats.add(statSpan(), CHARGE);
    assert.deepEqual([...stats.takeChangedFiles()], ['src/orders.js']);
    stats.add(statSpan(), PLACE);
    assert.deepEqual([...stats.takeChangedFiles()], ['src/orders.js']);
    assert.equal(stats.summary(PLACE.id)!.count, 2);
  });

  it('forgets what a numbering resolver numbered when cleared', () => {
    const stats = new LatencyStats({ clock });
    const resolver = new LocationResolver((span) => [
      { file: 'src/orders.js', function: span.name, line: 3, confidence: 0.9, reason: 'test' },
    ]);
    stats.ingest([statSpan({ name: 'placeOrder' })], resolver.resolver);
    stats.clear();
    stats.ingest([statSpan({ name: 'placeOrder' }), statSpan({ name: 'placeOrder' })], resolver.resolver);
    const id = codeKeyId({ file: 'src/orders.js', line: 3, function: 'placeOrder', span: 'placeOrder' });
    assert.equal(stats.summary(id)!.count, 2);
    assert.deepEqual(stats.summary(id)!.lines, [3]);
    assert.equal(stats.locationCount, 1);
  });
});
