/**
 * Encoded waterfall forms made ahead of time (by the trace worker, off the host's thread), kept with their
 * trace until its waterfall opens. Held weakly and handed out once: a trace nobody opens costs nothing later.
 */
import type { Trace } from '../model/types';
import type { EncodedTrace } from './encodeTrace';

type Parts = Omit<EncodedTrace, 'trace'>;

const waiting = new WeakMap<Trace, { spans: Trace['spans']; spanCount: number; parts: Parts }>();

export function rememberEncoding(trace: Trace, parts: Parts): void {
  waiting.set(trace, { spans: trace.spans, spanCount: trace.spans.length, parts });
}

/** The encoding made for `trace`, once; undefined when there is none or the trace's spans changed since. */
export function takeEncoding(trace: Trace): EncodedTrace | undefined {
  const entry = waiting.get(trace);
  if (entry === undefined) return undefined;
  waiting.delete(trace);
  if (entry.spans !== trace.spans || entry.spanCount !== trace.spans.length) return undefined;
  return { trace, ...entry.parts };
}
