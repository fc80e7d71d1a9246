/**
 * The sliding window of one code location, laid out so that counting a call allocates nothing in the common
 * case and touches few cache lines (spans land on thousands of locations at random, so each count is mostly cache
 * misses): per-slot counts and the durations tagged with their slot share one growable Float64Array, the
 * thresholds the call is checked against are fields, and once the location is busy, one sketch per slot holds
 * what the raw buffer cannot. Small objects per call or per slot would cost more in garbage collection than the
 * counting itself.
 *
 * Reads merge the raw durations and the sketches of live slots; the owner caches the result.
 */
import type { Span } from '../model/types';
import type { ResolvedLocation } from './codeKey';
import type { TraceRef } from './locationSummary';
import { LatencySketch } from './sketch';

/** Raw durations a location holds (16 bytes each, with their slot); beyond that its slots count into sketches (~1.5 kB each). */
const RAW_CAPACITY = 512;
const RAW_INITIAL = 16;
/** Slowest and latest failing spans kept per location. */
export const REFS_PER_LOCATION = 10;
/** Distinct start lines remembered per location. */
const MAX_LINES = 8;

/** A TraceRef with the slot it was counted in, so that it leaves with the window. */
interface HeldRef extends TraceRef {
  readonly slot: number;
}

export class LocationWindow {
  location: ResolvedLocation;
  /** workspace-relative file of the location */
  readonly file: string;
  /** the owner's number for this location, dense from 0 */
  readonly index: number;
  /**
   * [0, rawAt): per ring position [slot number, calls, errors], slot number −1 when never used; then per
   * raw duration [microseconds, slot it was counted in]. Integers are exact in a double.
   */
  private data: Float64Array;
  private readonly ringLength: number;
  /** where the raw durations start in `data` */
  private readonly rawAt: number;
  /** raw durations held, and room for */
  private rawLength = 0;
  private rawCapacity = RAW_INITIAL;
  /** the head at which the raw buffer was last compacted */
  private compactedAt = -1;
  /** per ring position, for calls the raw buffer had no room for; undefined until needed */
  private sketches: (LatencySketch | undefined)[] | undefined = undefined;
  /** slowest first */
  private slowest: HeldRef[] = [];
  /** `slowest`'s durations, µs: an insertion scans these rather than one object per ref */
  private readonly slowestUs = new Float64Array(REFS_PER_LOCATION);
  /** latest last */
  private failing: HeldRef[] = [];
  /** 1-based start lines, most recent last */
  readonly lines: number[] = [];

  constructor(location: ResolvedLocation, ringLength: number, index: number) {
    this.index = index;
    this.location = location;
    this.file = location.key.file;
    this.ringLength = ringLength;
    this.rawAt = ringLength * 3;
    this.data = new Float64Array(this.rawAt + RAW_INITIAL * 2);
    for (let i = 0; i < ringLength; i++) this.data[i * 3] = -1;
  }

  /**
   * The owner checks every call against the thresholds these methods answer with and calls them only when a call
   * crosses one, so that a call touches this object only then. A floor is the duration a call must exceed to enter
   * the slowest list, NaN while the list has room (every call enters).
   */

  /** Keeps a call of slot `slot` among the slowest; returns the new floor. */
  noteSlow(span: Span, error: boolean, slot: number): number {
    const list = this.slowest;
    const durations = this.slowestUs;
    const us = span.durationUs;
    // after every ref at least as slow, so that of equal durations the earlier stays first; a full list drops its last
    let i = Math.min(list.length, REFS_PER_LOCATION - 1);
    while (i > 0 && durations[i - 1]! < us) {
      list[i] = list[i - 1]!;
      durations[i] = durations[i - 1]!;
      i--;
    }
    list[i] = heldRef(span, error, slot);
    durations[i] = us;
    return this.floor();
  }

  noteFailing(span: Span, slot: number): void {
    if (this.failing.length === REFS_PER_LOCATION) this.failing.shift();
    this.failing.push(heldRef(span, true, slot));
  }

  /** Drops the refs of slots that left the window ending at `head`; returns the new floor. */
  dropExpiredRefs(head: number): number {
    const oldest = head - this.ringLength;
    if (this.slowest.some((h) => h.slot <= oldest)) {
      this.slowest = this.slowest.filter((h) => h.slot > oldest);
      this.slowest.forEach((h, i) => (this.slowestUs[i] = h.durationUs));
    }
    if (this.failing.some((h) => h.slot <= oldest)) this.failing = this.failing.filter((h) => h.slot > oldest);
    return this.floor();
  }

  /** Makes `line` the latest start line. */
  noteLine(line: number): void {
    const lines = this.lines;
    const at = lines.indexOf(line);
    if (at >= 0) lines.splice(at, 1);
    else if (lines.length === MAX_LINES) lines.shift();
    lines.push(line);
  }

  /** Takes `location` as this one's description when it is at least as confident; whether it is now. */
  offer(location: ResolvedLocation): boolean {
    if (location !== this.location && location.confidence >= this.location.confidence) this.location = location;
    return location === this.location;
  }

  /**
   * Counts one call of `us` microseconds in slot `slot`, with the head it was noted at. Calls of one location
   * must be counted in the order they were noted. A ring position holding a newer slot means the call is older
   * than the window; the owner's window check rules that out, so it is ignored here.
   */
  count(us: number, error: boolean, slot: number, head: number, relativeAccuracy: number): void {
    const ring = this.data;
    const position = slot % this.ringLength;
    const at = position * 3;
    const held = ring[at]!;
    if (held !== slot) {
      if (held > slot) return;
      ring[at] = slot;
      ring[at + 1] = 0;
      ring[at + 2] = 0;
      const sketch = this.sketches?.[position];
      if (sketch) this.sketches![position] = undefined;
    }
    ring[at + 1]!++;
    if (error) ring[at + 2]!++;
    this.addDuration(us, slot, position, head, relativeAccuracy);
  }

  /** Calls and errors of the window ending at slot `head`, with their durations merged into `target`. */
  collect(head: number, target: LatencySketch): { count: number; errors: number } {
    const oldest = head - this.ringLength;
    let count = 0;
    let errors = 0;
    const data = this.data;
    for (let i = 0; i < this.ringLength; i++) {
      const slot = data[i * 3]!;
      if (slot <= oldest) continue;
      count += data[i * 3 + 1]!;
      errors += data[i * 3 + 2]!;
      const sketch = this.sketches?.[i];
      if (sketch) target.merge(sketch);
    }
    const end = this.rawAt + this.rawLength * 2;
    for (let i = this.rawAt; i < end; i += 2) {
      if (data[i + 1]! > oldest) target.add(data[i]!);
    }
    return { count, errors };
  }

  /** The slowest (slowest first) and latest failing (latest first) spans of the window ending at `head`. */
  refs(head: number): { slowest: TraceRef[]; failing: TraceRef[] } {
    const oldest = head - this.ringLength;
    return {
      slowest: this.slowest.filter((h) => h.slot > oldest),
      failing: this.failing.filter((h) => h.slot > oldest).reverse(),
    };
  }

  private addDuration(us: number, slot: number, position: number, head: number, relativeAccuracy: number): void {
    if (this.rawLength === this.rawCapacity) this.makeRoom(head);
    if (this.rawLength < this.rawCapacity) {
      const at = this.rawAt + this.rawLength++ * 2;
      this.data[at] = us;
      this.data[at + 1] = slot;
      return;
    }
    const sketches = (this.sketches ??= new Array<LatencySketch | undefined>(this.ringLength).fill(undefined));
    let sketch = sketches[position];
    if (!sketch) sketches[position] = sketch = new LatencySketch(relativeAccuracy);
    sketch.add(us);
  }

  /** Grows the raw buffer up to RAW_CAPACITY, else drops the durations of slots that left the window (once per head). */
  private makeRoom(head: number): void {
    if (this.rawCapacity < RAW_CAPACITY) {
      this.rawCapacity = Math.min(RAW_CAPACITY, this.rawCapacity * 2);
      const data = new Float64Array(this.rawAt + this.rawCapacity * 2);
      data.set(this.data);
      this.data = data;
      return;
    }
    if (this.compactedAt === head) return;
    this.compactedAt = head;
    const oldest = head - this.ringLength;
    const data = this.data;
    const end = this.rawAt + this.rawLength * 2;
    let kept = this.rawAt;
    for (let i = this.rawAt; i < end; i += 2) {
      const slot = data[i + 1]!;
      if (slot <= oldest) continue;
      data[kept] = data[i]!;
      data[kept + 1] = slot;
      kept += 2;
    }
    this.rawLength = (kept - this.rawAt) / 2;
  }

  private floor(): number {
    return this.slowest.length < REFS_PER_LOCATION ? NaN : this.slowestUs[REFS_PER_LOCATION - 1]!;
  }
}

function heldRef(span: Span, error: boolean, slot: number): HeldRef {
  const message = error ? errorMessage(span) : undefined;
  const ref: HeldRef = {
    traceId: span.traceId,
    spanId: span.spanId,
    service: span.service,
    name: span.name,
    startUs: span.startUs,
    durationUs: span.durationUs,
    error,
    slot,
  };
  return message === undefined ? ref : { ...ref, message };
}

/** The status message, else the first exception event's type and message. */
export function errorMessage(span: Span): string | undefined {
  if (span.status.message) return span.status.message;
  for (const event of span.events) {
    if (event.name !== 'exception') continue;
    const type = event.attributes['exception.type'];
    const message = event.attributes['exception.message'];
    const t = typeof type === 'string' && type !== '' ? type : undefined;
    const m = typeof message === 'string' && message !== '' ? message : undefined;
    if (t !== undefined || m !== undefined) return t !== undefined && m !== undefined ? `${t}: ${m}` : (m ?? t);
  }
  return undefined;
}
