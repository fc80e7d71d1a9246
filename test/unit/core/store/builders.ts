// Typed builders of model objects for store tests: hand-written data, not fixtures (test/builders.ts builds them).
import type { Span, Trace } from '../../../../src/core/model/types';
import { buildSpan, buildTrace, resourceOf, spanIdOf, T0_US, traceIdOf } from '../../../builders';

export { resourceOf, spanIdOf, traceIdOf };

/** Epoch microseconds of 2025-01-01T00:00:00Z, a plausible start for built spans. */
export const BASE_US = T0_US;

export function span(overrides: Partial<Span> & { traceId: string; spanId: string }): Span {
  return buildSpan(overrides);
}

/** A Trace as a parser would return it for one batch. */
export function trace(spans: Span[]): Trace {
  return buildTrace(spans);
}

/** A trace of `size` spans: a root and children, starting `offsetUs` after BASE_US. */
export function traceOfSize(n: number, size: number, offsetUs = n * 1000, service = 'checkout'): Trace {
  const traceId = traceIdOf(n);
  const spans: Span[] = [];
  for (let i = 0; i < size; i++) {
    spans.push(
      span({
        traceId,
        spanId: spanIdOf(n * 100_000 + i + 1),
        parentSpanId: i === 0 ? undefined : spanIdOf(n * 100_000 + 1),
        name: i === 0 ? 'root' : `child ${i}`,
        service,
        startUs: BASE_US + offsetUs + i,
      }),
    );
  }
  return trace(spans);
}
