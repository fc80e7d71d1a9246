/**
 * One trace held by the TraceStore, kept summarised as spans arrive: batches of the same trace may come
 * late and out of order, so the summary (root, start, duration, per-service counts) is updated per span
 * rather than recomputed over the whole trace.
 */
import { MAX_WARNINGS_PER_TRACE } from '../model/assemble';
import type { Attributes, Span, Trace, TraceSummary } from '../model/types';
import { isErrorSpan } from './storeIndex';

interface ServiceCount {
  spanCount: number;
  errorCount: number;
}

export class TraceEntry {
  readonly spans: Span[] = [];
  /** span ids already held, so that a batch sent twice (exporter retry) is not stored twice */
  private readonly spanKeys = new Set<string>();
  /** in order of first appearance */
  readonly services = new Map<string, ServiceCount>();
  /** epoch microseconds */
  startUs = Infinity;
  /** epoch microseconds */
  endUs = -Infinity;
  errorCount = 0;
  /** the earliest span without a parent; until one arrives, the earliest span */
  private root: Span | undefined;
  private rootHasNoParent = false;
  warnings: string[] = [];
  private suppressedWarnings = 0;
  partial: string | undefined;
  /** estimated memory of the spans held (spanBytes.ts), in bytes */
  bytes = 0;
  /** the resource of the last span added: the next span's is counted in `bytes` only when it is another object */
  lastResource: Attributes | undefined;
  /** when spans were last written to it, epoch ms (for a snapshot's order among several windows' traces) */
  writtenAtMs = 0;

  constructor(readonly traceId: string) {}

  /** Adds a span unless one with the same id is already held; returns whether it was added. */
  addSpan(span: Span): boolean {
    const key = span.shared ? `${span.spanId}:shared` : span.spanId;
    if (this.spanKeys.has(key)) return false;
    this.spanKeys.add(key);
    this.spans.push(span);
    const error = isErrorSpan(span);
    if (error) this.errorCount++;
    const count = this.services.get(span.service);
    if (count) {
      count.spanCount++;
      if (error) count.errorCount++;
    } else {
      this.services.set(span.service, { spanCount: 1, errorCount: error ? 1 : 0 });
    }
    if (span.startUs < this.startUs) this.startUs = span.startUs;
    if (span.startUs + span.durationUs > this.endUs) this.endUs = span.startUs + span.durationUs;
    const parentless = !span.parentSpanId;
    if (
      !this.root ||
      (parentless && !this.rootHasNoParent) ||
      (parentless === this.rootHasNoParent && span.startUs < this.root.startUs)
    ) {
      this.root = span;
      this.rootHasNoParent = parentless;
    }
    return true;
  }

  addWarnings(warnings: readonly string[]): void {
    for (const w of warnings) {
      if (this.warnings.length < MAX_WARNINGS_PER_TRACE) this.warnings.push(w);
      else this.suppressedWarnings++;
    }
  }

  get durationUs(): number {
    return this.spans.length === 0 ? 0 : Math.max(0, this.endUs - this.startUs);
  }

  /** A Trace that the caller may keep: its span array is a copy, the spans themselves are shared. */
  toTrace(): Trace {
    const warnings =
      this.suppressedWarnings > 0 ? [...this.warnings, `… and ${this.suppressedWarnings} more warnings`] : this.warnings.slice();
    const trace: Trace = {
      traceId: this.traceId,
      spans: this.spans.slice(),
      services: [...this.services.keys()],
      startUs: this.spans.length === 0 ? 0 : this.startUs,
      durationUs: this.durationUs,
      warnings,
    };
    if (this.partial !== undefined) trace.partial = this.partial;
    return trace;
  }

  toSummary(): TraceSummary {
    return {
      traceId: this.traceId,
      rootService: this.root?.service ?? '',
      rootName: this.root?.name ?? '',
      startUs: this.spans.length === 0 ? 0 : this.startUs,
      durationUs: this.durationUs,
      spanCount: this.spans.length,
      errorCount: this.errorCount,
      services: [...this.services].map(([name, c]) => ({ name, spanCount: c.spanCount, errorCount: c.errorCount })),
    };
  }
}
