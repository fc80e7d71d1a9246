/**
 * Feeds latency statistics from a remote backend: whole traces sampled within a budget (TraceSampler) counted
 * into LatencyStats, and, where the backend aggregates itself (Tempo TraceQL metrics, Jaeger SPM), its figures over
 * every span, preferred location by location. Runs on its own timer, one round at a time, asks nothing while the
 * editor is idle, and aborts what is in flight when disposed. Failures back off and are reported once per message;
 * a backend that turns out to have no metrics is said so once and not asked again.
 */
import { BackendHttpError, BackendNotFoundError } from '../backends/backendErrors';
import type { Trace } from '../model/types';
import type { Disposable } from '../store/traceStore';
import type { LatencyStats, LocationTraces } from './latencyStats';
import type { LocationResolver } from './locationResolver';
import type { LocationSummary, StatsSource } from './locationSummary';
import { metricsSummaries, type MetricsSource, type RemoteLocationMetric } from './metricsSource';
import { TraceSampler, type SamplingBackend } from './traceSampler';

export interface RemoteStatsFeedOptions {
  backend: SamplingBackend;
  /** the backend's name, for the hover: "sampled from Production Tempo" */
  backendName: string;
  /** the statistics sampled traces are counted into; its window length is the metrics' too */
  stats: LatencyStats;
  resolver: LocationResolver;
  /** whole traces fetched per minute at most (≥ 1) */
  tracesPerMinute: number;
  /** true while nobody is looking: no requests then */
  isIdle: () => boolean;
  /** the backend's own aggregation, when it has one */
  metrics?: MetricsSource;
  /** new figures arrived (sampled traces counted, or metrics answered) */
  onDidChange: () => void;
  /** a round failed; called once per distinct message until a round succeeds */
  onError?: (error: unknown, what: 'sampling' | 'metrics') => void;
  /** the backend answered that it computes no metrics (Jaeger without SPM, Tempo without local-blocks); called once */
  onMetricsUnavailable?: (error: unknown) => void;
  /** epoch milliseconds (default Date.now) */
  clock?: () => number;
}

/** Client-error statuses that say "not now" (timed out, throttled) rather than "never": asked again after the interval. */
const RETRY_LATER_STATUSES: ReadonlySet<number> = new Set([408, 429]);

/** Time between sampling rounds, in ms; the sampler's budget, not this, bounds the requests. */
export const SAMPLE_INTERVAL_MS = 10_000;
/** The first round comes this soon after start, in ms, so that lenses appear without a long wait. */
const FIRST_ROUND_MS = 500;
/** Backend metrics are asked again at most this often, in ms. */
export const METRICS_INTERVAL_MS = 60_000;
/** After failures, rounds are spaced up to this far apart, in ms. */
const MAX_BACKOFF_MS = 5 * 60_000;
/** Sampled traces kept to count again when locations are resolved anew, at most. */
const KEPT_TRACES = 2000;

export class RemoteStatsFeed implements Disposable {
  private readonly sampler: TraceSampler;
  private readonly abort = new AbortController();
  private readonly clock: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private metricsAt = -Infinity;
  /** false once the backend said it has no metrics (Jaeger without SPM, Tempo without local-blocks): not asked again */
  private metricsAvailable: boolean;
  /** file → location id → backend figures */
  private metricsByFile = new Map<string, Map<string, LocationSummary>>();
  private sampledSource: Extract<StatsSource, { kind: 'sampled' }>;
  private resolver: LocationResolver;
  /** the sampled traces still in the window, in the order fetched: for `relocate` (the sampler never fetches one twice) and the hover's count */
  private kept: Trace[] = [];
  private lastMetrics: readonly RemoteLocationMetric[] = [];
  /** the last round found the editor idle; `wake` runs one at once */
  private sleeping = false;

  constructor(private readonly options: RemoteStatsFeedOptions) {
    this.clock = options.clock ?? Date.now;
    this.resolver = options.resolver;
    this.sampler = new TraceSampler({
      backend: options.backend,
      tracesPerMinute: options.tracesPerMinute,
      isIdle: options.isIdle,
      clock: this.clock,
      onTrace: (trace) => this.count(trace),
    });
    this.metricsAvailable = options.metrics !== undefined;
    this.sampledSource = { kind: 'sampled', backend: options.backendName, traces: 0 };
    options.stats.source = this.sampledSource;
  }

  /** Traces fetched since the feed started. */
  get sampled(): number {
    return this.sampler.sampled;
  }

  get disposed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Starts the rounds on a timer. */
  start(): this {
    if (!this.disposed && this.timer === undefined && this.running === undefined) this.schedule(FIRST_ROUND_MS);
    return this;
  }

  /** Runs a round soon when the last one found the editor idle (it is looked at again); else nothing. */
  wake(): void {
    if (this.disposed || this.running || !this.sleeping || this.options.isIdle()) return;
    this.sleeping = false;
    clearTimeout(this.timer);
    this.schedule(FIRST_ROUND_MS);
  }

  /**
   * Places everything again with another resolver (the workspace index or the path mappings changed): the
   * statistics are counted afresh from the sampled traces kept, and the last metrics placed again.
   */
  relocate(resolver: LocationResolver): void {
    this.resolver = resolver;
    this.options.stats.clear();
    for (const trace of this.kept) this.options.stats.ingest(trace.spans, resolver.resolver);
    this.placeMetrics();
    this.options.onDidChange();
  }

  /**
   * One round: backend metrics when due, then a sampling round. Never rejects; failures go to `onError`.
   * Resolves with the traces fetched.
   */
  async round(): Promise<number> {
    if (this.disposed) return 0;
    this.sleeping = this.options.isIdle();
    if (this.sleeping) return 0;
    const signal = this.abort.signal;
    let fetched = 0;
    let failed = false;
    if (this.metricsAvailable && this.clock() - this.metricsAt >= METRICS_INTERVAL_MS) {
      this.metricsAt = this.clock();
      try {
        await this.refreshMetrics(signal);
      } catch (e) {
        if (signal.aborted) return 0;
        // sampling goes on; metrics are asked again after their interval, or never when the backend has none
        if (this.metricsAvailable) this.report(e, 'metrics');
        else this.options.onMetricsUnavailable?.(e);
      }
    }
    try {
      fetched = await this.sampler.tick(signal);
    } catch (e) {
      if (signal.aborted) return 0;
      failed = true;
      this.report(e, 'sampling');
    }
    if (signal.aborted) return fetched;
    if (failed) this.failures++;
    else {
      this.failures = 0;
      this.lastError = undefined;
    }
    const traces = this.tracesInWindow();
    if (traces !== this.sampledSource.traces) {
      this.sampledSource = { ...this.sampledSource, traces };
      this.options.stats.source = this.sampledSource;
    }
    if (fetched > 0) this.options.onDidChange();
    return fetched;
  }

  /** Whether the file has figures from either source. */
  hasFile(file: string): boolean {
    return this.metricsByFile.has(file) || this.options.stats.hasFile(file);
  }

  /** The figures of a file's locations: the backend's where it has them, else the sampled traces'. */
  summariesIn(file: string): LocationSummary[] {
    const metrics = this.metricsByFile.get(file);
    const out: LocationSummary[] = metrics ? [...metrics.values()] : [];
    for (const s of this.options.stats.summariesIn(file)) {
      if (metrics?.has(s.id)) continue;
      // summaries are cached with the source of when they were made; the count of traces has grown since
      out.push(s.source === this.sampledSource ? s : { ...s, source: this.sampledSource });
    }
    return out;
  }

  summary(id: string): LocationSummary | undefined {
    for (const inFile of this.metricsByFile.values()) {
      const m = inFile.get(id);
      if (m) return m;
    }
    return this.options.stats.summary(id);
  }

  /** Example traces come from the sampled traces only: backend metrics name none. */
  tracesAt(id: string): LocationTraces {
    return this.options.stats.tracesAt(id);
  }

  dispose(): void {
    this.abort.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async refreshMetrics(signal: AbortSignal): Promise<void> {
    const source = this.options.metrics;
    if (!source) return;
    const { windowMinutes } = this.options.stats;
    let metrics;
    try {
      metrics = await source.locationMetrics({ windowMinutes, nowUs: this.clock() * 1000 }, { signal });
    } catch (e) {
      if (isNoMetrics(e)) this.metricsAvailable = false;
      throw e;
    }
    if (signal.aborted) return;
    this.lastMetrics = metrics;
    this.placeMetrics();
    this.options.onDidChange();
  }

  private placeMetrics(): void {
    const source = this.options.metrics;
    if (!source) return;
    const summaries = metricsSummaries(
      this.lastMetrics,
      this.resolver.resolver,
      {
        kind: 'metrics',
        backend: this.options.backendName,
        system: source.backend,
        method: source.method,
        ...(source.estimatedCounts ? { estimated: true } : {}),
      },
      this.options.stats.windowMinutes,
    );
    const byFile = new Map<string, Map<string, LocationSummary>>();
    for (const s of summaries) {
      let inFile = byFile.get(s.key.file);
      if (!inFile) byFile.set(s.key.file, (inFile = new Map()));
      inFile.set(s.id, s);
    }
    this.metricsByFile = byFile;
  }

  private count(trace: Trace): void {
    this.options.stats.ingest(trace.spans, this.resolver.resolver);
    this.kept.push(trace);
    if (this.kept.length > KEPT_TRACES) this.kept = this.kept.slice(this.kept.length - KEPT_TRACES);
  }

  /** Kept traces that end within the statistics' window (which ends at the newest span); the older ones are dropped. */
  private tracesInWindow(): number {
    const { windowEndUs, windowMinutes } = this.options.stats;
    if (!Number.isFinite(windowEndUs)) return this.kept.length;
    const startUs = windowEndUs - windowMinutes * 60_000_000;
    const inWindow = (t: Trace): boolean => t.startUs + t.durationUs >= startUs;
    if (!this.kept.every(inWindow)) this.kept = this.kept.filter(inWindow);
    return this.kept.length;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.round().then(() => {
        this.running = undefined;
        if (!this.disposed) this.schedule(Math.min(MAX_BACKOFF_MS, SAMPLE_INTERVAL_MS * 2 ** this.failures));
      });
    }, ms);
  }

  private report(error: unknown, what: 'sampling' | 'metrics'): void {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    if (message === this.lastError) return;
    this.lastError = message;
    this.options.onError?.(error, what);
  }
}

/**
 * An answer that means "this backend computes no metrics": no such route (an older Tempo or Jaeger, or a Jaeger
 * whose SPM is disabled: JaegerBackend says so with a BackendNotFoundError), or a request refused as such (a Tempo
 * without the local-blocks processor answers metrics queries with 400). No 5xx is one: Jaeger answers 500 when its
 * metrics store fails (Prometheus down, a query timed out, a service name that breaks its query), a gateway
 * 502/503/504 when what is behind it restarts. Nor are throttling (429), a request timeout (408), refused
 * credentials, or no answer at all: those are reported and asked again after the interval.
 */
function isNoMetrics(e: unknown): boolean {
  if (e instanceof BackendHttpError) return e.status >= 400 && e.status < 500 && !RETRY_LATER_STATUSES.has(e.status);
  return e instanceof BackendNotFoundError;
}
