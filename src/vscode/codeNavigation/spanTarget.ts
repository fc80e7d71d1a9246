/**
 * The argument of `traceLens.goToCode` and `traceLens.explainSpan`: `{ trace, spanIndex }` (an index into
 * `trace.spans`), or `{ trace, spanId }`. Command arguments come from menus, webviews and other extensions,
 * so they are checked here rather than trusted.
 */
import type { Span, Trace } from '../../core/model/types';

export interface SpanTarget {
  trace: Trace;
  spanIndex: number;
}

/** The span an argument names; undefined when it names none. */
export function readSpanTarget(arg: unknown): SpanTarget | undefined {
  if (arg === null || typeof arg !== 'object') return undefined;
  const { trace, spanIndex, spanId } = arg as { trace?: unknown; spanIndex?: unknown; spanId?: unknown };
  if (!isTrace(trace)) return undefined;
  if (typeof spanIndex === 'number') {
    return Number.isInteger(spanIndex) && spanIndex >= 0 && spanIndex < trace.spans.length ? { trace, spanIndex } : undefined;
  }
  if (typeof spanId === 'string') {
    const i = trace.spans.findIndex((s) => s.spanId === spanId);
    return i < 0 ? undefined : { trace, spanIndex: i };
  }
  return undefined;
}

export function spanOf(target: SpanTarget): Span {
  return target.trace.spans[target.spanIndex]!;
}

function isTrace(value: unknown): value is Trace {
  if (value === null || typeof value !== 'object') return false;
  const t = value as { traceId?: unknown; spans?: unknown };
  return typeof t.traceId === 'string' && Array.isArray(t.spans);
}
