/**
 * The bounded in-memory store behind the embedded receiver and the `local` backend. Spans of one trace
 * that arrive in several batches, late or out of order, are merged into one trace. When the span count
 * goes over `maxSpans`, whole traces are evicted, least recently written first, and counted.
 *
 * Reads are cheap: per-trace summaries are kept up to date as spans arrive, and indexes by service,
 * operation, error and code location narrow searches before any span is looked at.
 */
import type { TraceQuery } from '../backends/types';
import { normalizeSpanId, normalizeTraceId } from '../model/ids';
import type { Attributes, Span, Trace, TraceSummary } from '../model/types';
import { type LocationEntry, StoreIndex } from './storeIndex';
import { matchesTags, matchesText, TopK } from './storeQuery';
import { TraceEntry } from './traceEntry';

export const DEFAULT_MAX_SPANS = 100_000;
export const DEFAULT_MAX_EXCEPTIONS = 10_000;

export interface TraceStoreOptions {
  /** most spans held; whole traces are evicted beyond it (default 100,000) */
  maxSpans?: number;
  /** most exception log records held (default 10,000) */
  maxExceptions?: number;
}

/** An exception recorded as an OTLP log record (`exception.*` attributes), tied to the span it happened in. */
export interface ExceptionRecord {
  traceId: string;
  spanId: string;
  /** epoch microseconds; 0 when the record carried no time */
  timeUs: number;
  /** resource `service.name`, "unknown_service" when absent */
  service: string;
  type?: string;
  message?: string;
  stacktrace?: string;
  /** severity text, e.g. "ERROR" */
  severity?: string;
  /** all the record's attributes, `exception.*` included */
  attributes: Attributes;
}

export interface StoreStats {
  traces: number;
  spans: number;
  /** whole traces evicted to stay within maxSpans, since the store was made */
  evictedTraces: number;
  /** spans in those traces */
  evictedSpans: number;
  /** spans that could not be kept: unreadable (counted by the receiver) or beyond maxSpans in a single trace */
  rejectedSpans: number;
  /** spans received again with an id the trace already held (exporter retries) */
  duplicateSpans: number;
  exceptions: number;
}

/** What one `add` or `addExceptions` changed. */
export interface StoreChange {
  /** traces created or grown, in the order they were written */
  traceIds: string[];
  evictedTraceIds: string[];
  /** traces that gained exception records */
  exceptionTraceIds: string[];
  /** true when the store was emptied */
  cleared: boolean;
}

export interface AddResult {
  acceptedSpans: number;
  duplicateSpans: number;
  /** spans not kept because their trace alone exceeds maxSpans */
  rejectedSpans: number;
}

export interface Disposable {
  dispose(): void;
}

/** A search bound used when a query gives no limit and too many traces match to sort cheaply. */
const TOP_K_THRESHOLD = 1000;

export class TraceStore {
  readonly maxSpans: number;
  readonly maxExceptions: number;
  /** in write order: the first entry is the least recently written, the next to be evicted */
  private readonly entries = new Map<string, TraceEntry>();
  private readonly index = new StoreIndex();
  /** trace id → its exception records; in write order for eviction */
  private readonly exceptions = new Map<string, ExceptionRecord[]>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private spanCount = 0;
  private exceptionCount = 0;
  private evictedTraces = 0;
  private evictedSpans = 0;
  private rejectedSpans = 0;
  private duplicateSpans = 0;

  constructor(options: TraceStoreOptions = {}) {
    this.maxSpans = positiveInteger(options.maxSpans, DEFAULT_MAX_SPANS, 'maxSpans');
    this.maxExceptions = positiveInteger(options.maxExceptions, DEFAULT_MAX_EXCEPTIONS, 'maxExceptions');
  }

  /**
   * Adds the traces of one batch, merging them into traces already held, then evicts the least recently
   * written traces until at most `maxSpans` spans remain. Emits one change event.
   */
  add(traces: readonly Trace[]): AddResult {
    const result: AddResult = { acceptedSpans: 0, duplicateSpans: 0, rejectedSpans: 0 };
    const touched: string[] = [];
    for (const trace of traces) {
      if (trace.spans.length === 0) continue;
      const entry = this.touch(trace.traceId);
      touched.push(entry.traceId);
      let rejected = 0;
      for (const span of trace.spans) {
        if (entry.spans.length >= this.maxSpans) {
          rejected++;
          continue;
        }
        if (entry.addSpan(span)) {
          this.index.addSpan(entry.traceId, span);
          result.acceptedSpans++;
        } else {
          result.duplicateSpans++;
        }
      }
      entry.addWarnings(trace.warnings);
      if (trace.partial !== undefined) entry.partial = trace.partial;
      if (rejected > 0) {
        entry.addWarnings([
          `${rejected} spans were not kept: this trace alone exceeds the store's limit of ${this.maxSpans} spans`,
        ]);
        result.rejectedSpans += rejected;
      }
      if (entry.spans.length === 0) this.removeEntry(entry);
    }
    this.spanCount += result.acceptedSpans;
    this.duplicateSpans += result.duplicateSpans;
    this.rejectedSpans += result.rejectedSpans;
    const evicted = this.evict();
    if (touched.length > 0 || evicted.length > 0) {
      this.emit({ traceIds: unique(touched), evictedTraceIds: evicted, exceptionTraceIds: [], cleared: false });
    }
    return result;
  }

  /** Counts spans the caller could not read (e.g. an empty trace id), for `stats().rejectedSpans`. */
  countRejected(spans: number): void {
    if (spans > 0) this.rejectedSpans += spans;
  }

  /**
   * Keeps exception log records for `exceptionsFor`. They may arrive before or after their spans; the
   * oldest are dropped beyond `maxExceptions`, and a trace's records go when the trace is evicted.
   */
  addExceptions(records: readonly ExceptionRecord[]): void {
    if (records.length === 0) return;
    const touched: string[] = [];
    for (const record of records) {
      let list = this.exceptions.get(record.traceId);
      if (list) this.exceptions.delete(record.traceId);
      else list = [];
      this.exceptions.set(record.traceId, list);
      list.push(record);
      this.exceptionCount++;
      touched.push(record.traceId);
    }
    for (const [traceId, list] of this.exceptions) {
      if (this.exceptionCount <= this.maxExceptions) break;
      const drop = Math.min(list.length, this.exceptionCount - this.maxExceptions);
      list.splice(0, drop);
      this.exceptionCount -= drop;
      if (list.length === 0) this.exceptions.delete(traceId);
    }
    this.emit({ traceIds: [], evictedTraceIds: [], exceptionTraceIds: unique(touched), cleared: false });
  }

  /** The exception records of a span (or of a whole trace when `spanId` is omitted), oldest first. */
  exceptionsFor(traceId: string, spanId?: string): ExceptionRecord[] {
    const list = this.exceptions.get(normalizeTraceId(traceId)) ?? [];
    if (spanId === undefined) return list.slice();
    const id = normalizeSpanId(spanId);
    return list.filter((r) => r.spanId === id);
  }

  /** The trace with this id (any accepted spelling), or undefined. */
  get(traceId: string): Trace | undefined {
    return this.entries.get(normalizeTraceId(traceId))?.toTrace();
  }

  /**
   * The spans held for a trace, in arrival order: the store's own list, read-only to the caller and only ever
   * appended to, for readers that walk many traces per batch (the statistics feed) without a copy each.
   */
  spansOf(traceId: string): readonly Span[] | undefined {
    return this.entries.get(normalizeTraceId(traceId))?.spans;
  }

  /** Every trace id held, least recently written first. */
  traceIds(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(traceId: string): boolean {
    return this.entries.has(normalizeTraceId(traceId));
  }

  summary(traceId: string): TraceSummary | undefined {
    return this.entries.get(normalizeTraceId(traceId))?.toSummary();
  }

  /**
   * Summaries of the traces matching `query`, newest (latest start) first. Indexes pick the candidates;
   * tags and free text are then checked span by span. `traceQl` is not supported and ignored.
   */
  list(query: TraceQuery = {}): TraceSummary[] {
    const limit = query.limit !== undefined && query.limit >= 0 ? Math.floor(query.limit) : Infinity;
    const text = query.text?.trim().toLowerCase() ?? '';
    const tags = query.tags && Object.keys(query.tags).length > 0 ? query.tags : undefined;
    const operationTraces =
      query.operation !== undefined ? this.index.tracesOfOperation(query.operation, query.service) : undefined;
    const serviceTraces = query.service !== undefined ? this.index.tracesOfService(query.service) : undefined;
    if ((query.operation !== undefined && !operationTraces) || (query.service !== undefined && !serviceTraces)) return [];

    let candidates: Iterable<string> = this.entries.keys();
    let size = this.entries.size;
    for (const set of [operationTraces, serviceTraces, query.errorsOnly ? this.index.errorTraces : undefined]) {
      if (set && set.size < size) {
        candidates = set;
        size = set.size;
      }
    }

    const matches = (entry: TraceEntry): boolean => {
      if (serviceTraces && !serviceTraces.has(entry.traceId)) return false;
      if (operationTraces && !operationTraces.has(entry.traceId)) return false;
      if (query.errorsOnly && entry.errorCount === 0) return false;
      const duration = entry.durationUs;
      if (query.minDurationUs !== undefined && duration < query.minDurationUs) return false;
      if (query.maxDurationUs !== undefined && duration > query.maxDurationUs) return false;
      if (query.startUs !== undefined && entry.startUs < query.startUs) return false;
      if (query.endUs !== undefined && entry.startUs > query.endUs) return false;
      if (tags && !matchesTags(entry.spans, tags)) return false;
      if (text && !matchesText(entry.traceId, entry.spans, text)) return false;
      return true;
    };

    if (limit <= TOP_K_THRESHOLD) {
      const top = new TopK<TraceEntry>(limit);
      for (const id of candidates) {
        const entry = this.entries.get(id);
        if (entry && matches(entry)) top.offer(entry.startUs, entry);
      }
      return top.result().map((e) => e.toSummary());
    }
    const all: TraceEntry[] = [];
    for (const id of candidates) {
      const entry = this.entries.get(id);
      if (entry && matches(entry)) all.push(entry);
    }
    all.sort((a, b) => b.startUs - a.startUs);
    return all.slice(0, limit).map((e) => e.toSummary());
  }

  /** Service names, sorted. */
  services(): string[] {
    return this.index.services();
  }

  /** Operation (span) names of `service`, sorted. */
  operations(service: string): string[] {
    return this.index.operations(service);
  }

  /** Every code location named by a stored span's `code.*` attributes, with span and error counts. */
  locations(): LocationEntry[] {
    return this.index.locations();
  }

  /** Summaries of the traces with a span at the location with this key, newest first. */
  tracesAt(locationKey: string, limit = 100): TraceSummary[] {
    const entry = this.index.location(locationKey);
    if (!entry) return [];
    const top = new TopK<TraceEntry>(limit);
    for (const id of entry.traceIds) {
      const e = this.entries.get(id);
      if (e) top.offer(e.startUs, e);
    }
    return top.result().map((e) => e.toSummary());
  }

  /** Attribute keys of spans and their resources, sorted. Scans the stored spans. */
  tagKeys(): string[] {
    const keys = new Set<string>();
    const resources = new Set<Attributes>();
    for (const entry of this.entries.values()) {
      for (const span of entry.spans) {
        for (const key in span.attributes) keys.add(key);
        if (!resources.has(span.resource)) {
          resources.add(span.resource);
          for (const key in span.resource) keys.add(key);
        }
      }
    }
    return [...keys].sort();
  }

  /** Distinct string, number and boolean values of an attribute (span or resource), sorted; at most `limit`. */
  tagValues(key: string, limit = 1000): string[] {
    const values = new Set<string>();
    const resources = new Set<Attributes>();
    const take = (attrs: Attributes): void => {
      if (!Object.prototype.hasOwnProperty.call(attrs, key)) return;
      const v = attrs[key];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values.add(String(v));
    };
    outer: for (const entry of this.entries.values()) {
      for (const span of entry.spans) {
        take(span.attributes);
        if (!resources.has(span.resource)) {
          resources.add(span.resource);
          take(span.resource);
        }
        if (values.size >= limit) break outer;
      }
    }
    return [...values].sort();
  }

  /** Every trace, least recently written first (the order a snapshot is reloaded in). */
  *traces(): IterableIterator<Trace> {
    for (const entry of this.entries.values()) yield entry.toTrace();
  }

  /** All exception records, oldest trace first. */
  *allExceptions(): IterableIterator<ExceptionRecord> {
    for (const list of this.exceptions.values()) yield* list;
  }

  stats(): StoreStats {
    return {
      traces: this.entries.size,
      spans: this.spanCount,
      evictedTraces: this.evictedTraces,
      evictedSpans: this.evictedSpans,
      rejectedSpans: this.rejectedSpans,
      duplicateSpans: this.duplicateSpans,
      exceptions: this.exceptionCount,
    };
  }

  /**
   * Calls `listener` once per `add`, `addExceptions` or `clear` that changed something. Listeners run
   * synchronously; throttling is the caller's job. Every listener is called even when one throws; the
   * first error is then rethrown.
   */
  onDidChange(listener: (change: StoreChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Forgets every trace and exception record; the counters since creation are kept. */
  clear(): void {
    this.entries.clear();
    this.index.clear();
    this.exceptions.clear();
    this.spanCount = 0;
    this.exceptionCount = 0;
    this.emit({ traceIds: [], evictedTraceIds: [], exceptionTraceIds: [], cleared: true });
  }

  /** The entry for a trace, moved to the most recently written end. */
  private touch(traceId: string): TraceEntry {
    let entry = this.entries.get(traceId);
    if (entry) this.entries.delete(traceId);
    else entry = new TraceEntry(traceId);
    this.entries.set(traceId, entry);
    return entry;
  }

  private evict(): string[] {
    const evicted: string[] = [];
    if (this.spanCount <= this.maxSpans) return evicted;
    for (const entry of this.entries.values()) {
      if (this.spanCount <= this.maxSpans) break;
      this.evictedTraces++;
      this.evictedSpans += entry.spans.length;
      this.spanCount -= entry.spans.length;
      this.removeEntry(entry);
      evicted.push(entry.traceId);
    }
    return evicted;
  }

  private removeEntry(entry: TraceEntry): void {
    this.entries.delete(entry.traceId);
    this.index.removeTrace(entry.traceId, entry.spans);
    const exceptions = this.exceptions.get(entry.traceId);
    if (exceptions) {
      this.exceptionCount -= exceptions.length;
      this.exceptions.delete(entry.traceId);
    }
  }

  private emit(change: StoreChange): void {
    let first: unknown;
    let failed = false;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (e) {
        if (!failed) first = e;
        failed = true;
      }
    }
    if (failed) throw first;
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

function unique(ids: string[]): string[] {
  return ids.length < 2 ? ids : [...new Set(ids)];
}
