/**
 * A latency distribution with bounded relative error: a DDSketch (@datadog/sketches-js) over durations in
 * nanoseconds. Every quantile it answers is within `relativeAccuracy` of the exact value of that rank.
 *
 * Nanoseconds rather than microseconds, and values under 1 ns counted as zero, keep every bin key above 0:
 * sketches-js mistakes a key of 0 for "no key" when it merges stores (`secondKey || key`).
 */
import { DDSketch } from '@datadog/sketches-js';

export const DEFAULT_RELATIVE_ACCURACY = 0.01;

/** One bin of the distribution: values in (lowUs, highUs]. */
export interface SketchBin {
  /** microseconds */
  lowUs: number;
  /** microseconds */
  highUs: number;
  count: number;
}

export class LatencySketch {
  private readonly sketch: DDSketch;

  constructor(readonly relativeAccuracy = DEFAULT_RELATIVE_ACCURACY) {
    this.sketch = new DDSketch({ relativeAccuracy });
  }

  /** `us` is microseconds; negative, NaN and infinite durations are not counted. */
  add(us: number): void {
    const ns = us * 1000;
    if (!(ns >= 0) || ns === Infinity) return;
    this.sketch.accept(ns < 1 ? 0 : ns);
  }

  /** Adds every value of `other`, which must have the same relative accuracy. */
  merge(other: LatencySketch): void {
    this.sketch.merge(other.sketch);
  }

  get count(): number {
    return this.sketch.count;
  }

  /** microseconds; NaN when empty */
  get minUs(): number {
    return this.sketch.count === 0 ? NaN : this.sketch.min / 1000;
  }

  /** microseconds; NaN when empty */
  get maxUs(): number {
    return this.sketch.count === 0 ? NaN : this.sketch.max / 1000;
  }

  /** microseconds; NaN when empty */
  get meanUs(): number {
    return this.sketch.count === 0 ? NaN : this.sketch.sum / this.sketch.count / 1000;
  }

  /**
   * The value at quantile `q` (0..1), in microseconds: within the relative accuracy of the exact value of rank
   * ⌊q·(n−1)⌋, and never outside the exact [min, max]. NaN when empty.
   */
  quantileUs(q: number): number {
    const s = this.sketch;
    if (s.count === 0) return NaN;
    const v = s.getValueAtQuantile(q);
    return Math.min(s.max, Math.max(s.min, v)) / 1000;
  }

  /** The non-empty bins, fastest first; zero-length calls form a bin of their own at (0, 0]. */
  bins(): SketchBin[] {
    const out: SketchBin[] = [];
    const s = this.sketch;
    if (s.zeroCount > 0) out.push({ lowUs: 0, highUs: 0, count: s.zeroCount });
    const { store, mapping } = s;
    if (store.count === 0) return out;
    const gamma = mapping.gamma;
    for (let key = store.minKey; key <= store.maxKey; key++) {
      const count = store.bins[key - store.offset] ?? 0;
      if (count === 0) continue;
      // bin `key` holds (γ^(key−1), γ^key]; mapping.value(key) is γ^key · 2/(1+γ), the value it answers with
      const high = (mapping.value(key) * (1 + gamma)) / 2;
      out.push({ lowUs: high / gamma / 1000, highUs: high / 1000, count });
    }
    return out;
  }
}
