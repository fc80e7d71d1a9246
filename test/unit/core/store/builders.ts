// Typed builders of model objects for store tests: hand-written data, not fixtures.
import { summarize } from '../../../../src/core/model/assemble';
import type { Attributes, Span, Trace } from '../../../../src/core/model/types';

/** Epoch microseconds of 2025-01-01T00:00:00Z, a plausible start for built spans. */
export const BASE_US = 1_735_689_600_000_000;

const RESOURCES = new Map<string, Attributes>();

/** The resource object of a service (one shared object per service, as the parsers make them). */
export function resourceOf(service: string): Attributes {
  let r = RESOURCES.get(service);
  if (!r) RESOURCES.set(service, (r = { 'service.name': service }));
  return r;
}

/** A 32-hex trace id from a number. */
export function traceIdOf(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A 16-hex span id from a number. */
export function spanIdOf(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function span(overrides: Partial<Span> & { traceId: string; spanId: string }): Span {
  const service = overrides.service ?? 'checkout';
  return {
    name: 'GET /cart',
    service,
    kind: 'server',
    startUs: BASE_US,
    durationUs: 1000,
    status: { code: 'unset' },
    attributes: {},
    resource: resourceOf(service),
    events: [],
    links: [],
    ...overrides,
  };
}

/** A Trace as a parser would return it for one batch. */
export function trace(spans: Span[]): Trace {
  return summarize(spans[0]!.traceId, spans);
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
