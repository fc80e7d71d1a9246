/**
 * The sliding window of one code location, laid out so that counting a call allocates nothing in the common
 * case: per-slot counts in one Int32Array ring, durations in one growable Float64Array tagged with their slot,
 * and, once the location is busy, one sketch per slot for what the raw buffer cannot hold. Small objects per
 * call or per slot would cost more in garbage collection than the counting itself.
 *
 * Reads merge the raw durations and the sketches of live slots; the owner caches the result.
 */
import type { Span } from '../model/types';
import type { ResolvedLocation } from './codeKey';
import type { TraceRef } from './locationSummary';
import { LatencySketch } from './sketch';

/** Raw durations a location holds (12 bytes each); beyond that its slots count into sketches (~1.5 kB each). */
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
  /** per ring position: [slot number, calls, errors]; slot number −1 when never used */
  private readonly ring: Int32Array;
  private readonly ringLength: number;
  /** durations in microseconds, and the slot each was counted in */
  private raw: Float64Array;
  private rawSlot: Int32Array;
  private rawLength = 0;
  /** the head at which the raw buffer was last compacted */
  private compactedAt = -1;
  /** per ring position, for calls the raw buffer had no room for; undefined until needed */
  private sketches: (LatencySketch | undefined)[] | undefined;
  /** slowest first */
  private slowest: HeldRef[] = [];
  /** latest last */
  private failing: HeldRef[] = [];
  /** the head at which expired refs were last dropped */
  private refsHead = -1;
  /** 1-based start lines, most recent last */
  readonly lines: number[] = [];
  /** epoch microseconds of the latest call's end */
  lastSeenUs = -Infinity;
  /** bumped on every call added, for the owner's summary cache */
  version = 0;
  /** the owner's batch stamp when this location was last marked changed */
  stamp = -1;
  location: ResolvedLocation;

  constructor(location: ResolvedLocation, ringLength: number) {
    this.location = location;
    this.ringLength = ringLength;
    this.ring = new Int32Array(ringLength * 3);
    for (let i = 0; i < ringLength; i++) this.ring[i * 3] = -1;
    this.raw = new Float64Array(RAW_INITIAL);
    this.rawSlot = new Int32Array(RAW_INITIAL);
  }

  /**
   * Counts one call in slot `slot` (≥ 0) of the window ending at slot `head`; the caller has checked that the
   * slot is inside it. False when the ring position holds a newer slot (the span is then older than the window).
   */
  add(span: Span, slot: number, head: number, location: ResolvedLocation, relativeAccuracy: number): boolean {
    const ring = this.ring;
    const position = slot % this.ringLength;
    const at = position * 3;
    const held = ring[at]!;
    if (held !== slot) {
      if (held > slot) return false;
      ring[at] = slot;
      ring[at + 1] = 0;
      ring[at + 2] = 0;
      const sketch = this.sketches?.[position];
      if (sketch) this.sketches![position] = undefined;
    }
    const us = span.durationUs;
    const error = span.status.code === 'error';
    ring[at + 1]!++;
    if (error) ring[at + 2]!++;
    this.addDuration(us, slot, position, head, relativeAccuracy);
    this.version++;

    if (this.refsHead !== head) this.dropExpiredRefs(head);
    const slowest = this.slowest;
    if (slowest.length < REFS_PER_LOCATION || us > slowest[slowest.length - 1]!.durationUs) {
      insertSlowest(slowest, heldRef(span, error, slot));
    }
    if (error) {
      if (this.failing.length === REFS_PER_LOCATION) this.failing.shift();
      this.failing.push(heldRef(span, error, slot));
    }

    const end = span.startUs + us;
    if (end > this.lastSeenUs) this.lastSeenUs = end;
    if (location.line !== undefined && this.lines[this.lines.length - 1] !== location.line) this.noteLine(location.line);
    if (location !== this.location && location.confidence >= this.location.confidence) this.location = location;
    return true;
  }

  /** Calls and errors of the window ending at slot `head`, with their durations merged into `target`. */
  collect(head: number, target: LatencySketch): { count: number; errors: number } {
    const oldest = head - this.ringLength;
    let count = 0;
    let errors = 0;
    for (let i = 0; i < this.ringLength; i++) {
      const slot = this.ring[i * 3]!;
      if (slot <= oldest) continue;
      count += this.ring[i * 3 + 1]!;
      errors += this.ring[i * 3 + 2]!;
      const sketch = this.sketches?.[i];
      if (sketch) target.merge(sketch);
    }
    for (let i = 0; i < this.rawLength; i++) {
      if (this.rawSlot[i]! > oldest) target.add(this.raw[i]!);
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
    if (this.rawLength === this.raw.length) this.makeRoom(head);
    if (this.rawLength < this.raw.length) {
      this.raw[this.rawLength] = us;
      this.rawSlot[this.rawLength++] = slot;
      return;
    }
    const sketches = (this.sketches ??= new Array<LatencySketch | undefined>(this.ringLength).fill(undefined));
    let sketch = sketches[position];
    if (!sketch) sketches[position] = sketch = new LatencySketch(relativeAccuracy);
    sketch.add(us);
  }

  /** Grows the raw buffer up to RAW_CAPACITY, else drops the durations of slots that left the window (once per head). */
  private makeRoom(head: number): void {
    const length = this.raw.length;
    if (length < RAW_CAPACITY) {
      const raw = new Float64Array(Math.min(RAW_CAPACITY, length * 2));
      const rawSlot = new Int32Array(raw.length);
      raw.set(this.raw);
      rawSlot.set(this.rawSlot);
      this.raw = raw;
      this.rawSlot = rawSlot;
      return;
    }
    if (this.compactedAt === head) return;
    this.compactedAt = head;
    const oldest = head - this.ringLength;
    let kept = 0;
    for (let i = 0; i < this.rawLength; i++) {
      const slot = this.rawSlot[i]!;
      if (slot <= oldest) continue;
      this.raw[kept] = this.raw[i]!;
      this.rawSlot[kept++] = slot;
    }
    this.rawLength = kept;
  }

  private dropExpiredRefs(head: number): void {
    this.refsHead = head;
    const oldest = head - this.ringLength;
    if (this.slowest.some((h) => h.slot <= oldest)) this.slowest = this.slowest.filter((h) => h.slot > oldest);
    if (this.failing.some((h) => h.slot <= oldest)) this.failing = this.failing.filter((h) => h.slot > oldest);
  }

  private noteLine(line: number): void {
    const lines = this.lines;
    const at = lines.indexOf(line);
    if (at >= 0) lines.splice(at, 1);
    else if (lines.length === MAX_LINES) lines.shift();
    lines.push(line);
  }
}

function insertSlowest(list: HeldRef[], held: HeldRef): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.durationUs < held.durationUs) i--;
  list.splice(i, 0, held);
  if (list.length > REFS_PER_LOCATION) list.pop();
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
