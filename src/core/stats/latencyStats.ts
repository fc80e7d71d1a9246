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
/** Doubles per location in `hot`: one 64-byte cache line. */
const HOT = 8;
// fields of a location's line in `hot`
/** bumped on every call added, for the summary cache */
const VERSION = 0;
/** duration a call must exceed to enter the slowest list; NaN while it has room */
const FLOOR = 1;
/** epoch µs of the latest call's end */
const LAST_SEEN = 2;
/** latest start line, NaN for none */
const LAST_LINE = 3;
/** head at which expired refs were last dropped */
const REFS_HEAD = 4;
/** number (in `numbering`) of the location the window describes itself with; −1 when unknown */
const DESCRIBED_BY = 5;
/** index of the location's file in `fileNames` */
const FILE = 6;
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

/**
 * A resolver that also numbers its answers densely (LocationResolver's does), so that ingest finds a span's window
 * by indexing an array rather than by hashing.
 */
export type Resolve = ((span: Span) => ResolvedLocation | undefined) & { readonly numbered?: NumberedLocations };

export interface NumberedLocations {
  /** the number of the span's location (what `location` answers for it), −1 when it has none */
  numberOf(span: Span): number;
  /** the location numbered `n` of the current era */
  location(n: number): ResolvedLocation;
  /** bumped whenever numbers start over at 0 */
  readonly era: number;
}

/** What one numbering's numbers mean here; remade when the numbering, its era or these statistics start over. */
interface Numbering {
  readonly source: NumberedLocations;
  readonly era: number;
  readonly generation: number;
  /** by location number: its window's index + 1, 0 while not looked up */
  windows: Int32Array;
  /** by location number: its start line, NaN for none */
  lines: Float64Array;
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
   * The window of each location object a plain resolve function hands out, so that `add` hashes no id string.
   * Several objects may share a window (same id); a cache, emptied when it outgrows the windows by far.
   */
  private readonly byLocation = new Map<ResolvedLocation, LocationWindow>();
  /** by LocationWindow.index */
  private windows: LocationWindow[] = [];
  /**
   * The fields every call reads or writes, HOT doubles per window (by index): counting a call touches one line of
   * this array, and its window object only when the call crosses a threshold (see LocationWindow).
   */
  private hot = new Float64Array(64 * HOT);
  private numbering: Numbering | undefined = undefined;
  /** bumped by `clear`, so that numberings made before are not used */
  private generation = 0;
  /** per staged span: [window index × 2 + 1 if it failed, duration µs, slot, head when it was noted] */
  private stage = new Float64Array(STAGE_INITIAL * 4);
  private staged = 0;
  /** scratch of `flush`: the staged spans in window order, and where each window's run starts */
  private order = new Int32Array(0);
  private starts = new Int32Array(0);
  /** files by their index, and the stamp at which each was last put in `changedFiles` */
  private fileNames: string[] = [];
  private fileStamps = new Float64Array(16);
  /** file → its index in `fileNames`, and its locations */
  private readonly byFile = new Map<string, { index: number; windows: Map<string, LocationWindow> }>();
  private readonly summaries = new Map<string, { version: number; head: number; summary: LocationSummary | undefined }>();
  private changedFiles = new Set<string>();
  /** the window ends with this slot (floor of epoch µs / slotUs) */
  private head = -Infinity;
  /** epoch µs: latest and earliest span start counted */
  private newestUs = -Infinity;
  private oldestUs = Infinity;
  /** latest start a span may have: clock plus skew, read once per batch */
  private limitUs = Infinity;
  /** bumped per batch and whenever `changedFiles` is handed over */
  private stamp = 1;

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
   * span, so it must be cheap; LocationResolver caches per span signature, and numbers its answers (`numbered`).
   */
  ingest(spans: Iterable<Span>, resolve: Resolve): IngestResult {
    const result: IngestResult = { counted: 0, unplaced: 0, outside: 0 };
    this.limitUs = this.clock() + FUTURE_SKEW_US;
    this.stamp++;
    const numbered = resolve.numbered;
    if (numbered === undefined) {
      for (const span of spans) {
        const location = resolve(span);
        if (location === undefined) result.unplaced++;
        else if (this.add(span, location)) result.counted++;
        else result.outside++;
      }
      return result;
    }
    let numbering = this.numberingOf(numbered);
    for (const span of spans) {
      const n = numbered.numberOf(span);
      if (n < 0) {
        result.unplaced++;
        continue;
      }
      // the resolver may have started over while answering
      if (numbered.era !== numbering.era) numbering = this.numberingOf(numbered);
      const slot = this.slotOf(span.startUs);
      if (slot !== slot) {
        result.outside++;
        continue;
      }
      let w = n < numbering.windows.length ? numbering.windows[n]! - 1 : -1;
      if (w < 0) w = this.number(numbering, n);
      this.count(span, slot, w, numbering.lines[n]!, n, undefined);
      result.counted++;
    }
    return result;
  }

  /** Counts one span at `location`; false when it is outside the window. `ingest` is the usual way in. */
  add(span: Span, location: ResolvedLocation): boolean {
    const slot = this.slotOf(span.startUs);
    if (slot !== slot) return false;
    const window = this.byLocation.get(location) ?? this.windowOf(location);
    const w = window.index;
    if (this.hot[w * HOT + DESCRIBED_BY] !== -1) this.hot[w * HOT + DESCRIBED_BY] = -1;
    this.count(span, slot, w, location.line ?? NaN, -1, location);
    return true;
  }

  /** The slot of a span starting at `startUs`, moving the window's head and ends; NaN when outside the window. */
  private slotOf(startUs: number): number {
    if (!(startUs > 0)) return NaN;
    if (startUs > this.limitUs) startUs = this.limitUs;
    const slot = Math.floor(startUs / this.slotUs);
    if (slot > this.head) this.head = slot;
    else if (slot <= this.head - this.ringLength) return NaN;
    if (startUs > this.newestUs) this.newestUs = startUs;
    if (startUs < this.oldestUs) this.oldestUs = startUs;
    return slot;
  }

  /**
   * Notes a call in window `w` and stages it for counting. `line` is the location's start line (NaN for none);
   * `n` its number in the current numbering, or −1 with `location` given.
   */
  private count(span: Span, slot: number, w: number, line: number, n: number, location?: ResolvedLocation): void {
    const hot = this.hot;
    const at = w * HOT;
    const head = this.head;
    const us = span.durationUs;
    const error = span.status.code === 'error';
    hot[at + VERSION]!++;
    if (hot[at + REFS_HEAD] !== head) {
      hot[at + REFS_HEAD] = head;
      hot[at + FLOOR] = this.windows[w]!.dropExpiredRefs(head);
    }
    const floor = hot[at + FLOOR]!;
    if (us > floor || floor !== floor) hot[at + FLOOR] = this.windows[w]!.noteSlow(span, error, slot);
    if (error) this.windows[w]!.noteFailing(span, slot);
    const end = span.startUs + us;
    if (end > hot[at + LAST_SEEN]!) hot[at + LAST_SEEN] = end;
    if (line === line && hot[at + LAST_LINE] !== line) {
      hot[at + LAST_LINE] = line;
      this.windows[w]!.noteLine(line);
    }
    if (hot[at + DESCRIBED_BY] !== n || n < 0) {
      const window = this.windows[w]!;
      if (window.offer(location ?? this.numbering!.source.location(n)) && n >= 0) hot[at + DESCRIBED_BY] = n;
    }
    const file = hot[at + FILE]!;
    if (this.fileStamps[file] !== this.stamp) {
      this.fileStamps[file] = this.stamp;
      this.changedFiles.add(this.fileNames[file]!);
    }
    if (this.staged === this.stage.length / 4) this.makeStageRoom();
    const s = this.staged++ * 4;
    const stage = this.stage;
    stage[s] = w * 2 + (error ? 1 : 0);
    stage[s + 1] = us;
    stage[s + 2] = slot;
    stage[s + 3] = head;
  }

  /** The numbering of `source`'s current era; made afresh (and the windows' DESCRIBED_BY forgotten) when it changed. */
  private numberingOf(source: NumberedLocations): Numbering {
    const current = this.numbering;
    if (current && current.source === source && current.era === source.era && current.generation === this.generation) {
      return current;
    }
    const hot = this.hot;
    for (let w = 0; w < this.windows.length; w++) hot[w * HOT + DESCRIBED_BY] = -1;
    return (this.numbering = {
      source,
      era: source.era,
      generation: this.generation,
      windows: new Int32Array(64),
      lines: new Float64Array(64).fill(NaN),
    });
  }

  /** Looks up (or makes) the window of location number `n`, and remembers it and the location's line. */
  private number(numbering: Numbering, n: number): number {
    if (n >= numbering.windows.length) {
      const length = Math.max(n + 1, numbering.windows.length * 2);
      const windows = new Int32Array(length);
      windows.set(numbering.windows);
      numbering.windows = windows;
      const lines = new Float64Array(length).fill(NaN);
      lines.set(numbering.lines);
      numbering.lines = lines;
    }
    const location = numbering.source.location(n);
    const window = this.byId.get(location.id) ?? this.windowOf(location);
    numbering.windows[n] = window.index + 1;
    numbering.lines[n] = location.line ?? NaN;
    return window.index;
  }

  private windowOf(location: ResolvedLocation): LocationWindow {
    let window = this.byId.get(location.id);
    if (!window) {
      const index = this.windows.length;
      window = new LocationWindow(location, this.ringLength, index);
      this.windows.push(window);
      this.byId.set(location.id, window);
      const file = location.key.file;
      let inFile = this.byFile.get(file);
      if (!inFile) {
        inFile = { index: this.fileNames.length, windows: new Map() };
        this.byFile.set(file, inFile);
        this.fileNames.push(file);
        if (inFile.index >= this.fileStamps.length) this.fileStamps = grown(this.fileStamps, 0);
      }
      inFile.windows.set(location.id, window);
      if ((index + 1) * HOT > this.hot.length) this.hot = grown(this.hot, 0);
      const at = index * HOT;
      const hot = this.hot;
      hot[at + VERSION] = 0;
      hot[at + FLOOR] = NaN;
      hot[at + LAST_SEEN] = -Infinity;
      hot[at + LAST_LINE] = NaN;
      hot[at + REFS_HEAD] = -1;
      hot[at + DESCRIBED_BY] = -1;
      hot[at + FILE] = inFile.index;
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
    const version = this.hot[window.index * HOT + VERSION]!;
    if (cached && cached.version === version && cached.head === this.head) return cached.summary;
    const summary = this.summarize(window);
    this.summaries.set(id, { version, head: this.head, summary });
    return summary;
  }

  /** The summaries of every location in `file` (workspace-relative) with calls in the window. */
  summariesIn(file: string): LocationSummary[] {
    const inFile = this.byFile.get(file);
    if (!inFile) return [];
    const out: LocationSummary[] = [];
    for (const id of inFile.windows.keys()) {
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
    this.stamp++;
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
    this.fileNames = [];
    this.fileStamps.fill(0);
    this.numbering = undefined;
    this.generation++;
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
      lastSeenUs: this.hot[window.index * HOT + LAST_SEEN]!,
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

/** `array` twice as long, its new half filled with `fill`. */
function grown(array: Float64Array, fill: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(array.length * 2).fill(fill, array.length);
  out.set(array);
  return out;
}
