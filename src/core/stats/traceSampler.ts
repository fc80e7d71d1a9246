/**
 * Samples recent traces of a remote backend for latency statistics, within a budget of whole traces per minute:
 * one service per round in turn, its newest traces since the last look, each fetched once. Does nothing while the
 * editor is idle (the adapter says so) and stops mid-round when cancelled. The caller runs `tick` on a timer.
 */
import type { RequestOptions, TraceBackend } from '../backends/types';
import type { Trace } from '../model/types';

export type SamplingBackend = Pick<TraceBackend, 'listServices' | 'searchTraces' | 'getTrace'>;

export interface TraceSamplerOptions {
  backend: SamplingBackend;
  /** whole traces fetched per minute at most (≥ 1) */
  tracesPerMinute: number;
  /** true while nobody is looking (window unfocused, no edits for a while): no requests then */
  isIdle: () => boolean;
  /** each trace fetched, e.g. into LatencyStats.ingest */
  onTrace: (trace: Trace) => void;
  /** epoch milliseconds (default Date.now) */
  clock?: () => number;
}

/** Trace ids remembered so that no trace is fetched twice. */
const SEEN_LIMIT = 10_000;
/** The service list is asked for again after this long, in ms. */
const SERVICES_TTL_MS = 10 * 60_000;
/** How far back the first look at a service goes, in ms. */
const FIRST_LOOK_MS = 15 * 60_000;

export class TraceSampler {
  /** traces fetched since the sampler was made, for "sampled from Jaeger: N traces" */
  sampled = 0;
  private tokens: number;
  private lastRefill: number;
  private services: string[] = [];
  private servicesAt = -Infinity;
  private cursor = 0;
  private readonly lastLook = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly clock: () => number;

  constructor(private readonly options: TraceSamplerOptions) {
    if (!(options.tracesPerMinute >= 1))
      throw new RangeError(`tracesPerMinute must be at least 1, not ${options.tracesPerMinute}`);
    this.clock = options.clock ?? Date.now;
    this.tokens = options.tracesPerMinute;
    this.lastRefill = this.clock();
  }

  /** One round; resolves with the number of traces fetched. Cancelling stops it between requests (and aborts the one in flight). */
  async tick(signal?: AbortSignal): Promise<number> {
    this.refill();
    if (this.options.isIdle() || this.tokens < 1 || signal?.aborted) return 0;
    const request: RequestOptions = signal ? { signal } : {};
    const now = this.clock();
    if (now - this.servicesAt > SERVICES_TTL_MS) {
      this.services = await this.options.backend.listServices(request);
      this.servicesAt = now;
    }
    if (this.services.length === 0 || signal?.aborted) return 0;
    const service = this.services[this.cursor++ % this.services.length]!;
    const sinceMs = this.lastLook.get(service) ?? now - FIRST_LOOK_MS;
    const summaries = await this.options.backend.searchTraces(
      { service, startUs: sinceMs * 1000, endUs: now * 1000, limit: Math.max(1, Math.floor(this.tokens)) * 2 },
      request,
    );
    this.lastLook.set(service, now);
    let fetched = 0;
    for (const s of summaries) {
      if (this.tokens < 1 || signal?.aborted) break;
      if (this.seen.has(s.traceId)) continue;
      this.remember(s.traceId);
      this.tokens--;
      const trace = await this.options.backend.getTrace(
        s.traceId,
        { startUs: s.startUs, endUs: s.startUs + s.durationUs },
        request,
      );
      if (signal?.aborted) break;
      this.sampled++;
      fetched++;
      this.options.onTrace(trace);
    }
    return fetched;
  }

  /** Budget left in this minute's allowance. */
  get budget(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  private refill(): void {
    const now = this.clock();
    const perMs = this.options.tracesPerMinute / 60_000;
    this.tokens = Math.min(this.options.tracesPerMinute, this.tokens + Math.max(0, now - this.lastRefill) * perMs);
    this.lastRefill = now;
  }

  private remember(traceId: string): void {
    if (this.seen.size >= SEEN_LIMIT) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(traceId);
  }
}
