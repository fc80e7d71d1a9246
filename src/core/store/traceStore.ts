/**
 * The bounded in-memory store behind the embedded receiver and the `local` backend. Spans of one trace
 * that arrive in several batches, late or out of order, are merged into one trace. When the span count
 * goes over `maxSpans`, or the estimated memory over `maxBytes`, whole traces are evicted, least recently
 * written first, and counted. Attribute values longer than `attributeValueLengthLimit` are cut as they
 * arrive, and the span says so (attributeLimits.ts).
 *
 * Reads are cheap: per-trace summaries are kept up to date as spans arrive, and indexes by service,
 * operation, error and code location narrow searches before any span is looked at.
 */
import { normalizeSpanId, normalizeTraceId } from '../model/ids';
import type { TraceQuery } from '../model/traceQuery';
import type { Attributes, Span, Trace, TraceSummary } from '../model/types';
import {
  cutString,
  DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
  LimitCache,
  limitAttributes,
  limitSpan,
  type Truncation,
} from './attributeLimits';
import { attributesBytes, exceptionBytes, spanBytes } from './spanBytes';
import { type LocationEntry, StoreIndex } from './storeIndex';
import { matchesTags, matchesText, TopK } from './storeQuery';
import { TraceEntry } from './traceEntry';
import type { ExceptionRecord } from './exceptionRecord';

export type { ExceptionRecord } from './exceptionRecord';

export const DEFAULT_MAX_SPANS = 100_000;
export const DEFAULT_MAX_EXCEPTIONS = 10_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export { DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT };

export interface TraceStoreOptions {
  /** most spans held; whole traces are evicted beyond it (default 100,000) */
  maxSpans?: number;
  /** most memory held, estimated (spanBytes.ts), in bytes; whole traces are evicted beyond it (default 256 MiB) */
  maxBytes?: number;
  /** longest attribute value kept, in characters (bytes for byte arrays); longer ones are cut (default 65,536) */
  attributeValueLengthLimit?: number;
  /** most exception log records held (default 10,000); they may also take at most a quarter of maxBytes */
  maxExceptions?: number;
}

export interface StoreStats {
  traces: number;
  spans: number;
  /** the memory the traces and exception records take, estimated, in bytes */
  bytes: number;
  /** whole traces evicted to stay within maxSpans or maxBytes, since the store was made */
  evictedTraces: number;
  /** spans in those traces */
  evictedSpans: number;
  /** of evictedTraces, those evicted for maxBytes (the span count was within maxSpans) */
  evictedTracesForBytes: number;
  /** attribute values cut to attributeValueLengthLimit */
  truncatedValues: number;
  /** exception records dropped, oldest first, to stay within maxExceptions or their share of maxBytes */
  evictedExceptions: number;
  /** spans that could not be kept: unreadable (counted by the receiver) or beyond maxSpans or maxBytes in a single trace */
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
  /** spans not kept because their trace alone exceeds maxSpans or maxBytes */
  rejectedSpans: number;
}

export interface AddOptions {
  /** per trace, when it was written (epoch ms) if not now: traces reloaded from a snapshot keep their time */
  writtenAtMs?: readonly number[];
}

export interface Disposable {
  dispose(): void;
}

/** A search bound used when a query gives no limit and too many traces match to sort cheaply. */
const TOP_K_THRESHOLD = 1000;

export class TraceStore {
  readonly maxSpans: number;
  readonly maxBytes: number;
  readonly attributeValueLengthLimit: number;
  readonly maxExceptions: number;
  /** in write order: the first entry is the least recently written, the next to be evicted */
  private readonly entries = new Map<string, TraceEntry>();
  private readonly index = new StoreIndex();
  /** trace id → its exception records; in write order for eviction */
  private readonly exceptions = new Map<string, ExceptionRecord[]>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private spanCount = 0;
  /** estimated bytes of the traces held */
  private traceBytes = 0;
  private exceptionCount = 0;
  /** estimated bytes of the exception records held */
  private exceptionByteCount = 0;
  private evictedTraces = 0;
  private evictedSpans = 0;
  private evictedTracesForBytes = 0;
  private truncatedValues = 0;
  private evictedExceptions = 0;
  private rejectedSpans = 0;
  private duplicateSpans = 0;
  private readonly limitCache = new LimitCache();

  constructor(options: TraceStoreOptions = {}) {
    this.maxSpans = positiveInteger(options.maxSpans, DEFAULT_MAX_SPANS, 'maxSpans');
    this.maxBytes = positiveInteger(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes');
    this.attributeValueLengthLimit = positiveInteger(
      options.attributeValueLengthLimit,
      DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
      'attributeValueLengthLimit',
    );
    this.maxExceptions = positiveInteger(options.maxExceptions, DEFAULT_MAX_EXCEPTIONS, 'maxExceptions');
  }

  /**
   * Adds the traces of one batch, merging them into traces already held (over-long attribute values cut on
   * the way), then evicts the least recently written traces until at most `maxSpans` spans and `maxBytes`
   * bytes remain. Emits one change event.
   */
  add(traces: readonly Trace[], options: AddOptions = {}): AddResult {
    const result: AddResult = { acceptedSpans: 0, duplicateSpans: 0, rejectedSpans: 0 };
    const touched: string[] = [];
    const now = Date.now();
    for (let t = 0; t < traces.length; t++) {
      const trace = traces[t]!;
      if (trace.spans.length === 0) continue;
      const entry = this.touch(trace.traceId);
      entry.writtenAtMs = options.writtenAtMs?.[t] ?? now;
      touched.push(entry.traceId);
      let overSpans = 0;
      let overBytes = 0;
      const truncations: string[] = [];
      for (const span of trace.spans) {
        if (entry.spans.length >= this.maxSpans) {
          overSpans++;
          continue;
        }
        const cut = limitSpan(span, this.attributeValueLengthLimit, this.limitCache);
        let bytes = spanBytes(span);
        if (span.resource !== entry.lastResource) bytes += attributesBytes(span.resource);
        if (entry.bytes + bytes > this.maxBytes) {
          overBytes++;
          continue;
        }
        if (entry.addSpan(span)) {
          if (span.resource !== entry.lastResource) entry.lastResource = span.resource;
          entry.bytes += bytes;
          this.traceBytes += bytes;
          this.index.addSpan(entry.traceId, span);
          result.acceptedSpans++;
          if (cut.length > 0) {
            this.truncatedValues += cut.length;
            truncations.push(truncationWarning(span, cut, this.attributeValueLengthLimit));
          }
        } else {
          result.duplicateSpans++;
        }
      }
      entry.addWarnings(trace.warnings);
      entry.addWarnings(truncations);
      if (trace.partial !== undefined) entry.partial = trace.partial;
      if (overSpans > 0) {
        entry.addWarnings([
          `${overSpans} spans were not kept: this trace alone exceeds the store's limit of ${this.maxSpans} spans`,
        ]);
      }
      if (overBytes > 0) {
        entry.addWarnings([
          `${overBytes} spans were not kept: this trace alone exceeds the store's size limit of ${formatMiB(this.maxBytes)}`,
        ]);
      }
      result.rejectedSpans += overSpans + overBytes;
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
   * oldest are dropped beyond `maxExceptions` or a quarter of `maxBytes`, and a trace's records go when the
   * trace is evicted. Over-long attribute values (and the type, message and stack trace) are cut.
   */
  addExceptions(records: readonly ExceptionRecord[]): void {
    if (records.length === 0) return;
    const touched: string[] = [];
    for (const original of records) {
      const record = this.limitException(original);
      let list = this.exceptions.get(record.traceId);
      if (list) this.exceptions.delete(record.traceId);
      else list = [];
      this.exceptions.set(record.traceId, list);
      list.push(record);
      this.exceptionCount++;
      this.exceptionByteCount += exceptionBytes(record);
      touched.push(record.traceId);
    }
    const maxExceptionBytes = this.maxBytes / 4;
    for (const [traceId, list] of this.exceptions) {
      if (this.exceptionCount <= this.maxExceptions && this.exceptionByteCount <= maxExceptionBytes) break;
      let drop = 0;
      while (
        drop < list.length &&
        (this.exceptionCount - drop > this.maxExceptions || this.exceptionByteCount > maxExceptionBytes)
      ) {
        this.exceptionByteCount -= exceptionBytes(list[drop]!);
        drop++;
      }
      list.splice(0, drop);
      this.exceptionCount -= drop;
      this.evictedExceptions += drop;
      if (list.length === 0) this.exceptions.delete(traceId);
    }
    const evicted = this.evict();
    this.emit({ traceIds: [], evictedTraceIds: evicted, exceptionTraceIds: unique(touched), cleared: false });
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

  /** When spans were last written to the trace, epoch ms; undefined when it is not held. */
  writtenAtMs(traceId: string): number | undefined {
    return this.entries.get(normalizeTraceId(traceId))?.writtenAtMs;
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
      bytes: this.traceBytes + this.exceptionByteCount,
      evictedTraces: this.evictedTraces,
      evictedSpans: this.evictedSpans,
      evictedTracesForBytes: this.evictedTracesForBytes,
      truncatedValues: this.truncatedValues,
      evictedExceptions: this.evictedExceptions,
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
    this.traceBytes = 0;
    this.exceptionCount = 0;
    this.exceptionByteCount = 0;
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
    if (!this.overLimit()) return evicted;
    for (const entry of this.entries.values()) {
      if (!this.overLimit()) break;
      this.evictedTraces++;
      if (this.spanCount <= this.maxSpans) this.evictedTracesForBytes++;
      this.evictedSpans += entry.spans.length;
      this.spanCount -= entry.spans.length;
      this.removeEntry(entry);
      evicted.push(entry.traceId);
    }
    return evicted;
  }

  private overLimit(): boolean {
    return this.spanCount > this.maxSpans || this.traceBytes + this.exceptionByteCount > this.maxBytes;
  }

  private removeEntry(entry: TraceEntry): void {
    this.entries.delete(entry.traceId);
    this.traceBytes -= entry.bytes;
    this.index.removeTrace(entry.traceId, entry.spans);
    const exceptions = this.exceptions.get(entry.traceId);
    if (exceptions) {
      this.exceptionCount -= exceptions.length;
      for (const record of exceptions) this.exceptionByteCount -= exceptionBytes(record);
      this.exceptions.delete(entry.traceId);
    }
  }

  /** The record with over-long values cut (a copy when any is). */
  private limitException(record: ExceptionRecord): ExceptionRecord {
    const limit = this.attributeValueLengthLimit;
    const cut: Truncation[] = [];
    const attributes = limitAttributes(record.attributes, limit, '', cut);
    const long = (s: string | undefined): boolean => s !== undefined && s.length > limit;
    if (cut.length === 0 && !long(record.type) && !long(record.message) && !long(record.stacktrace)) return record;
    const out: ExceptionRecord = { ...record, attributes };
    for (const key of ['type', 'message', 'stacktrace'] as const) {
      const value = out[key];
      if (value !== undefined && value.length > limit) {
        out[key] = cutString(value, limit);
        if (!cut.some((c) => c.where === `exception.${key}`)) cut.push({ where: key, length: value.length });
      }
    }
    this.truncatedValues += cut.length;
    return out;
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

/** `span <id> "<name>": 2 attribute values cut to 65,536 characters: db.statement (1,048,576), …` */
function truncationWarning(span: Span, cut: readonly Truncation[], limit: number): string {
  const listed = cut
    .slice(0, 5)
    .map((c) => `${c.where} (${c.length.toLocaleString('en-US')})`)
    .join(', ');
  const more = cut.length > 5 ? `, and ${cut.length - 5} more` : '';
  const values = cut.length === 1 ? 'attribute value' : 'attribute values';
  return `span ${span.spanId} "${span.name.slice(0, 200)}": ${cut.length} ${values} cut to ${limit.toLocaleString('en-US')} characters: ${listed}${more}`;
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-US')} MB`;
}

function unique(ids: string[]): string[] {
  return ids.length < 2 ? ids : [...new Set(ids)];
}
