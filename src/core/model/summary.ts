/** A full trace condensed to the search-hit shape that Tempo search and Jaeger trace-summaries return. */
import type { Span, Trace, TraceSummary } from './types';

interface ServiceTally {
  name: string;
  spanCount: number;
  errorCount: number;
}

/**
 * The root is the earliest span without a parent; a trace whose spans all name a parent (a fragment)
 * is represented by its earliest span. Services are listed in the trace's order of first appearance.
 */
export function summarizeTrace(trace: Trace): TraceSummary {
  let root: Span | undefined;
  let earliest: Span | undefined;
  let errorCount = 0;
  const services = new Map<string, ServiceTally>();
  for (const name of trace.services) services.set(name, { name, spanCount: 0, errorCount: 0 });

  for (const span of trace.spans) {
    if (earliest === undefined || span.startUs < earliest.startUs) earliest = span;
    if (!span.parentSpanId && (root === undefined || span.startUs < root.startUs)) root = span;
    let tally = services.get(span.service);
    if (tally === undefined) {
      tally = { name: span.service, spanCount: 0, errorCount: 0 };
      services.set(span.service, tally);
    }
    tally.spanCount++;
    if (span.status.code === 'error') {
      tally.errorCount++;
      errorCount++;
    }
  }

  root ??= earliest;
  return {
    traceId: trace.traceId,
    rootService: root?.service ?? '',
    rootName: root?.name ?? '',
    startUs: trace.startUs,
    durationUs: trace.durationUs,
    spanCount: trace.spans.length,
    errorCount,
    services: [...services.values()],
  };
}
