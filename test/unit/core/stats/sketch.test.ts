import * as assert from 'node:assert/strict';
import { LatencySketch } from '../../../../src/core/stats/sketch';
import { exactQuantile, logNormal, seeded } from './statsBuilders';

const QUANTILES = [0, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

function assertWithinAccuracy(sketch: LatencySketch, values: number[], accuracy: number): void {
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of QUANTILES) {
    const exact = exactQuantile(sorted, q);
    const got = sketch.quantileUs(q);
    const error = Math.abs(got - exact) / exact;
    assert.ok(error <= accuracy + 1e-9, `q=${q}: ${got} vs exact ${exact} (relative error ${error})`);
  }
}

describe('LatencySketch', () => {
  const distributions: Record<string, (r: () => number) => number> = {
    'log-normal around 12 ms': (r) => logNormal(r, 12_000, 1),
    'uniform 1 µs – 10 s': (r) => 1 + r() * 10_000_000,
    'bimodal: cache hits at 200 µs, misses at 80 ms': (r) => (r() < 0.8 ? logNormal(r, 200, 0.2) : logNormal(r, 80_000, 0.3)),
  };

  for (const [name, draw] of Object.entries(distributions)) {
    it(`answers quantiles within 1% of the exact ones: ${name}`, () => {
      const random = seeded(7);
      const values = Array.from({ length: 20_000 }, () => draw(random));
      const sketch = new LatencySketch();
      for (const v of values) sketch.add(v);
      assert.equal(sketch.count, values.length);
      assertWithinAccuracy(sketch, values, 0.01);
    });
  }

  it('keeps its bound at a coarser accuracy too', () => {
    const random = seeded(3);
    const values = Array.from({ length: 5_000 }, () => logNormal(random, 3_000, 1.5));
    const sketch = new LatencySketch(0.05);
    for (const v of values) sketch.add(v);
    assertWithinAccuracy(sketch, values, 0.05);
  });

  it('merges into the same distribution as adding everything to one sketch', () => {
    const random = seeded(11);
    const parts = [0, 1, 2].map(() => Array.from({ length: 3_000 }, () => logNormal(random, 5_000, 0.8)));
    const merged = new LatencySketch();
    for (const part of parts) {
      const s = new LatencySketch();
      for (const v of part) s.add(v);
      merged.merge(s);
    }
    const all = parts.flat();
    assert.equal(merged.count, all.length);
    assertWithinAccuracy(merged, all, 0.01);
    assert.equal(merged.minUs, Math.min(...all));
    assert.equal(merged.maxUs, Math.max(...all));
  });

  it('counts zero and sub-nanosecond durations as zero, and ignores impossible ones', () => {
    const s = new LatencySketch();
    for (const v of [0, 0.0004, 1, 2, Number.NaN, -5, Infinity]) s.add(v);
    assert.equal(s.count, 4);
    assert.equal(s.quantileUs(0), 0);
    assert.equal(s.quantileUs(0.25), 0);
    assert.ok(Math.abs(s.quantileUs(1) - 2) <= 0.02);
  });

  it('merges sketches whose smallest values sit in the lowest bins (a sketches-js merge trap)', () => {
    const a = new LatencySketch();
    a.add(0.001); // 1 ns
    a.add(0.0015);
    const b = new LatencySketch();
    b.add(0.0012);
    b.merge(a);
    assert.equal(b.count, 3);
    assert.ok(b.quantileUs(1) >= 0.0014 && b.quantileUs(1) <= 0.0016, `max ${b.quantileUs(1)}`);
  });

  it('never answers outside the exact minimum and maximum', () => {
    const s = new LatencySketch();
    s.add(1000);
    s.add(1000);
    assert.equal(s.quantileUs(0.99), 1000);
    assert.equal(s.quantileUs(0), 1000);
  });

  it('lists bins that hold every value and bracket it', () => {
    const s = new LatencySketch();
    const values = [5, 50, 500, 5_000, 5_000, 50_000];
    for (const v of values) s.add(v);
    const bins = s.bins();
    assert.equal(
      bins.reduce((n, b) => n + b.count, 0),
      values.length,
    );
    for (const v of values)
      assert.ok(
        bins.some((b) => b.lowUs < v && v <= b.highUs * (1 + 1e-12)),
        `no bin holds ${v}`,
      );
  });

  it('is empty and says so with NaN', () => {
    const s = new LatencySketch();
    assert.equal(s.count, 0);
    assert.ok(Number.isNaN(s.quantileUs(0.5)));
    assert.deepEqual(s.bins(), []);
  });
});
