/**
 * Keeps the Traces view's backend section in step with the active backend: loads recent summaries when the
 * backend changes, on Refresh and when the filter changes, and — for the local receiver — again when traces
 * arrive, at most once a second and only while the view is visible. A load in flight is cancelled by the
 * next one. Loading shows the view's progress bar; a failure becomes one row with the backend's message.
 * Lists `traceLens.traces.count` traces, a page more for each Show More; live updates can be paused, so that
 * what is listed holds still while someone reads it.
 */
import * as vscode from 'vscode';
import { loadRecentTraces } from '../../core/explorer/recentTraces';
import type { TraceSummary } from '../../core/model/types';
import type { ActiveBackend, ActiveBackendInfo } from '../backends/activeBackend';
import { Settings, Views } from '../contributions';
import type { TraceTreeModel } from '../tree/traceTreeModel';
import { describeError } from '../../core/describeError';
import { isCancellation, logFailure } from './failureActions';
import { Disposable } from '../disposable';

/** Live reloads are at least this far apart, ms. */
const LIVE_INTERVAL_MS = 1000;
export const DEFAULT_TRACES_COUNT = 50;
/** The most traces Show More goes up to. */
const MAX_TRACES_COUNT = 5000;

export class BackendTraces extends Disposable {
  private inFlight: AbortController | undefined;
  private generation = 0;
  private lastLoadMs = 0;
  private liveTimer: NodeJS.Timeout | undefined;
  /** traces arrived while the view was hidden: reload when it is shown */
  private stale = false;
  private visible = false;
  /** pages shown beyond the first, by Show More; back to none when the backend changes */
  private extraPages = 0;
  private paused = false;
  private backendName: string | undefined;

  constructor(
    private readonly model: TraceTreeModel,
    private readonly active: ActiveBackend,
    private readonly log: vscode.LogOutputChannel,
    /** traces the local receiver's store holds, for "50 of 1,800" */
    private readonly localTotal: () => number | undefined = () => undefined,
  ) {
    super();
    this.registerAll(
      active.onDidChange(() => this.reload()),
      active.onDidReceive(() => this.onReceive()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(Settings.tracesCount)) void this.reload();
      }),
    );
  }

  /** traces listed at a time: the setting, and as many again per Show More */
  get count(): number {
    const setting = vscode.workspace.getConfiguration().get<number>(Settings.tracesCount, DEFAULT_TRACES_COUNT);
    const page = Number.isInteger(setting) && setting >= 1 ? setting : DEFAULT_TRACES_COUNT;
    return Math.min(MAX_TRACES_COUNT, page * (1 + this.extraPages));
  }

  /** Lists another page of traces. */
  showMore(): Promise<void> {
    this.extraPages++;
    return this.reload();
  }

  /** Stops (or restarts) re-listing the local receiver's traces as they arrive. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    void vscode.commands.executeCommand('setContext', PAUSED_CONTEXT, paused);
    if (!paused && this.stale) void this.reload();
    else if (this.model.backend) this.model.setBackend({ ...this.model.backend, paused });
  }

  /** The view was shown or hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) this.reload();
  }

  /** Loads the active backend's recent traces now, cancelling a load in flight; resolves when done. */
  async reload(): Promise<void> {
    this.inFlight?.abort();
    this.stale = false;
    const generation = ++this.generation;
    const { backend, info } = this.active;
    if (!backend || !info) {
      this.inFlight = undefined;
      this.model.setBackend(undefined);
      return;
    }
    if (info.name !== this.backendName) [this.backendName, this.extraPages] = [info.name, 0];
    const controller = new AbortController();
    this.inFlight = controller;
    this.lastLoadMs = Date.now();
    const label = backendLabel(info);
    const limit = this.count;
    const previous = this.model.backend;
    const base = {
      label,
      description: info.type === 'local' ? 'live' : (info.url ?? ''),
      live: info.type === 'local',
      receiverUrl: info.type === 'local' ? info.url : undefined,
      notes: [],
      limit,
      paused: this.paused && info.type === 'local',
    };
    // Keep what is shown while reloading the same backend, so that live updates do not flash.
    const same = previous?.label === label && previous.description === base.description;
    const keep: readonly TraceSummary[] = same ? previous.summaries : [];
    if (!same) this.model.forgetFetched();
    this.model.setBackend({ ...base, state: 'loading', summaries: keep });

    await vscode.window.withProgress({ location: { viewId: Views.traces } }, async () => {
      try {
        const { summaries, notes } = await loadRecentTraces(backend, {
          filter: this.model.filter,
          limit,
          signal: controller.signal,
        });
        if (generation !== this.generation) return;
        const total = info.type === 'local' ? this.localTotal() : undefined;
        this.model.setBackend({ ...base, state: 'loaded', summaries, notes, ...(total !== undefined ? { total } : {}) });
        this.log.debug(`${label}: ${summaries.length} recent traces`);
      } catch (e) {
        if (generation !== this.generation || isCancellation(e)) return;
        logFailure(this.log, `Could not list traces from ${label}`, e);
        this.model.setBackend({ ...base, state: 'error', summaries: [], error: describeError(e) });
      } finally {
        if (this.inFlight === controller) this.inFlight = undefined;
      }
    });
  }

  override dispose(): void {
    this.inFlight?.abort();
    clearTimeout(this.liveTimer);
    super.dispose();
  }

  private onReceive(): void {
    if (!this.visible || this.paused) {
      this.stale = true;
      return;
    }
    if (this.liveTimer) return;
    const wait = Math.max(0, this.lastLoadMs + LIVE_INTERVAL_MS - Date.now());
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      void this.reload();
    }, wait);
  }
}

/** Set while live updates are paused: the view's title shows Resume instead of Pause. */
export const PAUSED_CONTEXT = 'traceLens.traces.paused';

/** "Jaeger at http://localhost:16686", or the name the user gave it. */
export function backendLabel(info: ActiveBackendInfo): string {
  return info.name;
}
