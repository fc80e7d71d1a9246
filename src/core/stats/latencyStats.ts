/**
 * Latency statistics per code location over a sliding window of N minutes: count, errors, throughput, last
 * seen, p50/p90/p95/p99 from mergeable sketches, and the slowest and latest failing spans. Updated span by span
 * as they arrive; read through summaries that are cached until the location changes or the window moves.
 *
 * The window is anchored at the newest data rather than the wall clock: it ends at the latest span start seen
 * (never later than the clock plus a small skew), so that a trace file imported from last week shows its
 * figures, and live data behaves as a window ending now. A span older than the window is not counted.
 *
 * Time is cut into slots of ⌈N/12⌉ minutes (1 minute up to a 12-minute window, 5 for an hour) and the window
 * moves a slot at a time, holding between N − slot and N minutes. Twelve slots rather than sixty keep the cost
 * of a quiet location's window to a dozen small buckets.
 *
 * Counting a span into its location's ring and durations is deferred: spans land on thousands of locations at
 * random, so counting each as it comes is mostly cache misses. They are staged as numbers and counted location by
 * location once the stage is full or before anything is read, each location's in the order they came, with the
 * same window head as then, so that the figures are those of counting them one by one.
 */
import type { Span } from '../model/types';
import type { ResolvedLocation } from './codeKey';
import type { LocationSummary, StatsSource, TraceRef } from './locationSummary';
import { LocationWindow } from './locationWindow';
import { DEFAULT_RELATIVE_ACCURACY, LatencySketch } from './sketch';

export const MINUTE_US = 60_000_000;
export const DEFAULT_WINDOW_MINUTES = 60;
/** Slots a window is cut into, at most. */
const SLOTS_PER_WINDOW = 12;
/** Spans staged before they are counted into their locations, at most (32 bytes each). */
const STAGE_CAPACITY = 32_768;
const STAGE_INITIAL = 256;
/** A span may start this far after the clock (clock skew between hosts) before it is held at the clock. */
const FUTURE_SKEW_US = 5 * MINUTE_US;

export interface LatencyStatsOptions {
  /** window length in minutes, 1..10080 (default 60) */
  windowMinutes?: number;
  /** of the sketches, 0..1 exclusive (default 0.01) */
  relativeAccuracy?: number;
  /** epoch microseconds now (default the system clock) */
  clock?: () => number;
  /** what feeds these statistics, for the hover (default the local receiver) */
  source?: StatsSource;
}

export interface IngestResult {
  /** spans counted */
  counted: number;
  /** spans the resolver placed nowhere */
  unplaced: number;
  /** spans older than the window, or with no usable start time */
  outside: number;
}

export interface LocationTraces {
  /** slowest first */
  slowest: TraceRef[];
  /** latest first */
  failing: TraceRef[];
}

export class LatencyStats {
  readonly windowMinutes: number;
  /** minutes per time slot */
  readonly slotMinutes: number;
  /** slots the ring holds: the window is this many slots long */
  private readonly ringLength: number;
  private readonly slotUs: number;
  readonly relativeAccuracy: number;
  source: StatsSource;
  private readonly clock: () => number;
  private readonly byId = new Map<string, LocationWindow>();
  /**
   * The window of each location object the resolver hands out, so that counting a span hashes no id string.
   * Several objects may share a window (same id); a cache, emptied when it outgrows the windows by far.
   */
  private readonly byLocation = new Map<ResolvedLocation, LocationWindow>();
  /** by LocationWindow.index */
  private windows: LocationWindow[] = [];
  /** per staged span: [window index × 2 + 1 if it failed, duration µs, slot, head when it was noted] */
  private stage = new Float64Array(STAGE_INITIAL * 4);
  private staged = 0;
  /** scratch of `flush`: the staged spans in window order, and where each window's run starts */
  private order = new Int32Array(0);
  private starts = new Int32Array(0);
  private readonly byFile = new Map<string, Map<string, LocationWindow>>();
  private readonly summaries = new Map<string, { version: number; head: number; summary: LocationSummary | undefined }>();
  private changedFiles = new Set<string>();
  /** the window ends with this slot (floor of epoch µs / slotUs) */
  private head = -Infinity;
  /** epoch µs: latest and earliest span start counted */
  private newestUs = -Infinity;
  private oldestUs = Infinity;
  /** latest start a span may have: clock plus skew, read once per batch */
  private limitUs = Infinity;
  private stamp = 0;

  constructor(options: LatencyStatsOptions = {}) {
    const minutes = options.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10_080) {
      throw new RangeError(`windowMinutes must be an integer from 1 to 10080, not ${minutes}`);
    }
    const accuracy = options.relativeAccuracy ?? DEFAULT_RELATIVE_ACCURACY;
    if (!(accuracy > 0 && accuracy < 1)) throw new RangeError(`relativeAccuracy must be between 0 and 1, not ${accuracy}`);
    this.windowMinutes = minutes;
    this.slotMinutes = Math.ceil(minutes / SLOTS_PER_WINDOW);
    this.ringLength = Math.ceil(minutes / this.slotMinutes);
    this.slotUs = this.slotMinutes * MINUTE_US;
    this.relativeAccuracy = accuracy;
    this.clock = options.clock ?? (() => Date.now() * 1000);
    this.source = options.source ?? { kind: 'local' };
  }

  /**
   * Counts each span at the location `resolve` gives it (undefined: nowhere). The resolver is called for every
   * span, so it must be cheap; LocationResolver caches per span signature.
   */
  ingest(spans: Iterable<Span>, resolve: (span: Span) => ResolvedLocation | undefined): IngestResult {
    const result: IngestResult = { counted: 0, unplaced: 0, outside: 0 };
    this.limitUs = this.clock() + FUTURE_SKEW_US;
    this.stamp++;
    for (const span of spans) {
      const location = resolve(span);
      if (location === undefined) result.unplaced++;
      else if (this.add(span, location)) result.counted++;
      else result.outside++;
    }
    return result;
  }

  /** Counts one span at `location`; false when it is outside the window. `ingest` is the usual way in. */
  add(span: Span, location: ResolvedLocation): boolean {
    let startUs = span.startUs;
    if (!(startUs > 0)) return false;
    if (startUs > this.limitUs) startUs = this.limitUs;
    const slot = Math.floor(startUs / this.slotUs);
    if (slot > this.head) this.head = slot;
    else if (slot <= this.head - this.ringLength) return false;
    if (startUs > this.newestUs) this.newestUs = startUs;
    if (startUs < this.oldestUs) this.oldestUs = startUs;
    const window = this.byLocation.get(location) ?? this.windowOf(location);
    const error = span.status.code === 'error';
    window.note(span, error, slot, this.head, location);
    if (this.staged === this.stage.length / 4) this.makeStageRoom();
    const at = this.staged++ * 4;
    const stage = this.stage;
    stage[at] = window.index * 2 + (error ? 1 : 0);
    stage[at + 1] = span.durationUs;
    stage[at + 2] = slot;
    stage[at + 3] = this.head;
    if (window.stamp !== this.stamp) {
      window.stamp = this.stamp;
      this.changedFiles.add(window.file);
    }
    return true;
  }

  private windowOf(location: ResolvedLocation): LocationWindow {
    let window = this.byId.get(location.id);
    if (!window) {
      window = new LocationWindow(location, this.ringLength, this.windows.length);
      this.windows.push(window);
      this.byId.set(location.id, window);
      let inFile = this.byFile.get(location.key.file);
      if (!inFile) this.byFile.set(location.key.file, (inFile = new Map()));
      inFile.set(location.id, window);
    }
    if (this.byLocation.size >= 2 * this.byId.size + 1_000) this.byLocation.clear();
    this.byLocation.set(location, window);
    return window;
  }

  /**
   * Counts the staged spans into their locations. Reads do it themselves; call it to have the counting done now
   * (a benchmark timing all of ingest).
   */
  flush(): void {
    const n = this.staged;
    if (n === 0) return;
    this.staged = 0;
    const stage = this.stage;
    const windows = this.windows;
    if (this.starts.length < windows.length + 1) this.starts = new Int32Array(windows.length * 2 + 1);
    if (this.order.length < n) this.order = new Int32Array(stage.length / 4);
    const starts = this.starts.fill(0, 0, windows.length + 1);
    const order = this.order;
    // a stable counting sort by window: each window's spans stay in the order they came
    for (let i = 0; i < n; i++) starts[(stage[i * 4]! >> 1) + 1]!++;
    for (let w = 1; w <= windows.length; w++) starts[w]! += starts[w - 1]!;
    for (let i = 0; i < n; i++) order[starts[stage[i * 4]! >> 1]!++] = i;
    const accuracy = this.relativeAccuracy;
    for (let j = 0; j < n; j++) {
      const at = order[j]! * 4;
      const tag = stage[at]!;
      windows[tag >> 1]!.count(stage[at + 1]!, (tag & 1) === 1, stage[at + 2]!, stage[at + 3]!, accuracy);
    }
  }

  private makeStageRoom(): void {
    if (this.stage.length / 4 >= STAGE_CAPACITY) {
      this.flush();
      return;
    }
    const stage = new Float64Array(this.stage.length * 2);
    stage.set(this.stage);
    this.stage = stage;
  }

  /** The figures of one location, or undefined when the window holds no call there. Cached until either changes. */
  summary(id: string): LocationSummary | undefined {
    this.flush();
    const window = this.byId.get(id);
    if (!window) return undefined;
    const cached = this.summaries.get(id);
    if (cached && cached.version === window.version && cached.head === this.head) return cached.summary;
    const summary = this.summarize(window);
    this.summaries.set(id, { version: window.version, head: this.head, summary });
    return summary;
  }

  /** The summaries of every location in `file` (workspace-relative) with calls in the window. */
  summariesIn(file: string): LocationSummary[] {
    const inFile = this.byFile.get(file);
    if (!inFile) return [];
    const out: LocationSummary[] = [];
    for (const id of inFile.keys()) {
      const s = this.summary(id);
      if (s) out.push(s);
    }
    return out;
  }

  /** Whether any location in `file` has ever been counted (cheap; the window may since have moved on). */
  hasFile(file: string): boolean {
    return this.byFile.has(file);
  }

  /** Files with counted locations. */
  files(): string[] {
    return [...this.byFile.keys()];
  }

  /** The slowest and latest failing spans at a location within the window, at most `limit` of each. */
  tracesAt(id: string, limit = 10): LocationTraces {
    const window = this.byId.get(id);
    if (!window) return { slowest: [], failing: [] };
    const { slowest, failing } = window.refs(this.head);
    return { slowest: slowest.slice(0, limit), failing: failing.slice(0, limit) };
  }

  /** The files whose figures changed since the last call; the set is handed over and a new one started. */
  takeChangedFiles(): Set<string> {
    const changed = this.changedFiles;
    this.changedFiles = new Set();
    return changed;
  }

  /** epoch µs where the window ends (the newest span start counted); -Infinity while empty */
  get windowEndUs(): number {
    return this.newestUs;
  }

  /** Number of locations held (some may have no calls left in the window). */
  get locationCount(): number {
    return this.byId.size;
  }

  /** Forgets everything; the changed-files set then names every file that had figures. */
  clear(): void {
    for (const file of this.byFile.keys()) this.changedFiles.add(file);
    this.byId.clear();
    this.byLocation.clear();
    this.windows = [];
    this.staged = 0;
    this.byFile.clear();
    this.summaries.clear();
    this.head = -Infinity;
    this.newestUs = -Infinity;
    this.oldestUs = Infinity;
  }

  private summarize(window: LocationWindow): LocationSummary | undefined {
    const sketch = new LatencySketch(this.relativeAccuracy);
    const { count, errors } = window.collect(this.head, sketch);
    if (count === 0) return undefined;
    const { location } = window;
    return {
      key: location.key,
      id: location.id,
      count,
      errors,
      perMinute: count / this.coverageMinutes(),
      p50Us: sketch.quantileUs(0.5),
      p90Us: sketch.quantileUs(0.9),
      p95Us: sketch.quantileUs(0.95),
      p99Us: sketch.quantileUs(0.99),
      minUs: sketch.minUs,
      maxUs: sketch.maxUs,
      meanUs: sketch.meanUs,
      lastSeenUs: window.lastSeenUs,
      lines: window.lines.slice(),
      reason: location.reason,
      confidence: location.confidence,
      source: this.source,
      sketch,
    };
  }

  /** Minutes of the window that data covers: from the oldest counted start (or the window's start) to the newest; ≥ 1. */
  private coverageMinutes(): number {
    const windowStartUs = (this.head - this.ringLength + 1) * this.slotUs;
    const from = Math.max(this.oldestUs, windowStartUs);
    return Math.max(1, (this.newestUs - from) / MINUTE_US);
  }
}
