/**
 * The one builder of model spans and traces for tests: every field of a Span set to a plain default, so that a
 * test writes only what it is about. The per-folder helpers (store/builders.ts, stats/statsBuilders.ts, …) give
 * their own defaults through it.
 */
import { summarize } from '../src/core/model/assemble';
import type { Attributes, Span, Trace } from '../src/core/model/types';

/** Epoch microseconds of 2025-01-01T00:00:00Z, a plausible start for built spans. */
export const T0_US = 1_735_689_600_000_000;

/** A 32-hex trace id from a number. */
export function traceIdOf(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A 16-hex span id from a number. */
export function spanIdOf(n: number): string {
  return n.toString(16).padStart(16, '0');
}

const RESOURCES = new Map<string, Attributes>();

/** The resource object of a service (one shared object per service, as the parsers make them). */
export function resourceOf(service: string): Attributes {
  let r = RESOURCES.get(service);
  if (!r) RESOURCES.set(service, (r = { 'service.name': service }));
  return r;
}

/** A span of service "checkout" at T0_US lasting 1 ms, with what `overrides` gives. */
export function buildSpan(overrides: Partial<Span> = {}): Span {
  const service = overrides.service ?? 'checkout';
  return {
    traceId: traceIdOf(1),
    spanId: spanIdOf(1),
    name: 'GET /cart',
    service,
    kind: 'server',
    startUs: T0_US,
    durationUs: 1000,
    status: { code: 'unset' },
    attributes: {},
    resource: resourceOf(service),
    events: [],
    links: [],
    ...overrides,
  };
}

/** A Trace as a parser would return it for one batch of spans (of one trace). */
export function buildTrace(spans: Span[]): Trace {
  return summarize(spans[0]!.traceId, spans);
}
