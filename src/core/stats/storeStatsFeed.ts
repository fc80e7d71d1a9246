/**
 * Feeds LatencyStats from the TraceStore as batches arrive. A change names the traces that grew, not the spans
 * that are new; a trace's spans only ever append, so the feed remembers how many of each trace it has counted
 * and takes the rest.
 */
import type { Span } from '../model/types';
import type { Disposable, StoreChange, TraceStore } from '../store/traceStore';
import type { IngestResult, LatencyStats } from './latencyStats';
import type { LocationResolver } from './locationResolver';

export class StoreStatsFeed implements Disposable {
  /** trace id → spans of it already counted */
  private readonly counted = new Map<string, number>();
  private subscription: Disposable | undefined;
  /** totals since the feed was made, for the log and the hover */
  readonly totals: IngestResult = { counted: 0, unplaced: 0, outside: 0 };

  constructor(
    private readonly store: TraceStore,
    private readonly stats: LatencyStats,
    private readonly resolver: LocationResolver,
  ) {}

  /** Counts what the store holds now, then every batch as it arrives. */
  start(): this {
    if (this.subscription) return this;
    this.ingestAll();
    this.subscription = this.store.onDidChange((change) => this.onChange(change));
    return this;
  }

  /** Counts everything again from the store: after the window length or the workspace mapping changed. */
  rebuild(): void {
    this.stats.clear();
    this.resolver.clear();
    this.counted.clear();
    this.ingestAll();
  }

  dispose(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private onChange(change: StoreChange): void {
    if (change.cleared) {
      this.counted.clear();
      this.stats.clear();
    }
    // evicted traces stay counted: the statistics outlive the raw spans
    for (const id of change.evictedTraceIds) this.counted.delete(id);
    for (const id of change.traceIds) {
      const spans = this.store.spansOf(id);
      if (spans) this.ingestTrace(id, spans);
    }
  }

  private ingestAll(): void {
    for (const id of this.store.traceIds()) this.ingestTrace(id, this.store.spansOf(id)!);
  }

  private ingestTrace(traceId: string, spans: readonly Span[]): void {
    const from = this.counted.get(traceId) ?? 0;
    if (from >= spans.length) return;
    this.counted.set(traceId, spans.length);
    const r = this.stats.ingest(from === 0 ? spans : spans.slice(from), this.resolver.resolver);
    this.totals.counted += r.counted;
    this.totals.unplaced += r.unplaced;
    this.totals.outside += r.outside;
  }
}
