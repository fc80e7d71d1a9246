/**
 * Groups normalised spans into traces and checks what every format shares: ids present, times readable
 * and plausible, durations non-negative. Format readers hand each span to `add` and report what they had
 * to drop with `warn`; `finish` returns the traces with their warnings. Nothing is dropped silently.
 */
import { TraceFormatError } from './traceFormatError';
import { isPlausibleStart } from './time';
import type { Span, Trace } from './types';

/** Per trace, at most this many warnings are kept; the rest are counted in a final line. */
export const MAX_WARNINGS_PER_TRACE = 100;

interface Pending {
  spans: Span[];
  warnings: string[];
  suppressed: number;
}

export class TraceAssembler {
  private readonly traces = new Map<string, Pending>();
  private readonly documentWarnings: string[] = [];
  private droppedSpans = 0;

  constructor(private readonly format: string) {}

  /** Adds a span after repairing what can be repaired (and warning about it). */
  add(span: Span): void {
    const pending = this.pendingFor(span.traceId);
    if (!Number.isFinite(span.startUs)) {
      this.push(
        pending,
        `span ${span.spanId} "${span.name}": start time is missing, unreadable or beyond 2^63 ns; shown at the trace start`,
      );
      span.startUs = Number.NaN; // resolved to the trace start in finish()
    } else if (span.startUs !== 0 && !isPlausibleStart(span.startUs)) {
      this.push(pending, `span ${span.spanId} "${span.name}": implausible start time ${describeMicros(span.startUs)}`);
    }
    if (!Number.isFinite(span.durationUs)) {
      this.push(pending, `span ${span.spanId} "${span.name}": duration is unreadable; shown as 0`);
      span.durationUs = 0;
    } else if (span.durationUs < 0) {
      this.push(pending, `span ${span.spanId} "${span.name}": negative duration ${span.durationUs} µs; shown as 0`);
      span.durationUs = 0;
    }
    pending.spans.push(span);
  }

  /** A warning about a trace (by normalised id), or about the document when the trace is unknown. */
  warn(traceId: string | undefined, message: string): void {
    if (traceId) this.push(this.pendingFor(traceId), message);
    else this.documentWarnings.push(message);
  }

  /** A span that could not be kept at all (e.g. no trace id); `where` is its JSON path or offset. */
  drop(where: string, reason: string, traceId?: string): void {
    this.droppedSpans++;
    this.warn(traceId, `dropped the span at ${where}: ${reason}`);
  }

  /**
   * The assembled traces, in order of first appearance. Throws when the document held spans but none
   * could be kept, so that a wholly bad document is an error, not an empty result.
   */
  finish(): Trace[] {
    if (this.traces.size === 0 && this.droppedSpans > 0) {
      throw new TraceFormatError(this.format, 'spans', `no span could be read (${this.documentWarnings.slice(0, 3).join('; ')})`);
    }
    // A trace whose every span was dropped has nothing to show: its warnings concern the document.
    for (const [traceId, p] of this.traces) {
      if (p.spans.length > 0) continue;
      this.documentWarnings.push(...p.warnings);
      this.traces.delete(traceId);
    }
    if (this.traces.size === 0 && this.droppedSpans > 0) {
      throw new TraceFormatError(this.format, 'spans', `no span could be read (${this.documentWarnings.slice(0, 3).join('; ')})`);
    }
    const out: Trace[] = [];
    for (const [traceId, p] of this.traces) {
      const trace = summarize(traceId, p.spans);
      const warnings = this.documentWarnings.concat(p.warnings);
      if (p.suppressed > 0) warnings.push(`… and ${p.suppressed} more warnings`);
      trace.warnings = warnings;
      out.push(trace);
    }
    return out;
  }

  private pendingFor(traceId: string): Pending {
    let p = this.traces.get(traceId);
    if (!p) {
      p = { spans: [], warnings: [], suppressed: 0 };
      this.traces.set(traceId, p);
    }
    return p;
  }

  private push(p: Pending, message: string): void {
    if (p.warnings.length < MAX_WARNINGS_PER_TRACE) p.warnings.push(message);
    else p.suppressed++;
  }
}

/** Builds a Trace from spans of one trace: services, overall start and duration. */
export function summarize(traceId: string, spans: Span[]): Trace {
  const services: string[] = [];
  const seen = new Set<string>();
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    if (!seen.has(s.service)) {
      seen.add(s.service);
      services.push(s.service);
    }
    if (Number.isFinite(s.startUs)) {
      if (s.startUs < start) start = s.startUs;
      if (s.startUs + s.durationUs > end) end = s.startUs + s.durationUs;
    }
  }
  if (start === Infinity) start = end = 0;
  for (const s of spans) if (Number.isNaN(s.startUs)) s.startUs = start;
  return { traceId, spans, services, startUs: start, durationUs: Math.max(0, end - start), warnings: [] };
}

function describeMicros(us: number): string {
  const d = new Date(us / 1000);
  return Number.isNaN(d.getTime()) ? `${us} µs` : `${d.toISOString()} (${us} µs)`;
}
