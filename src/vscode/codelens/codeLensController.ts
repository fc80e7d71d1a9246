/**
 * Owns everything latency in the editor: the statistics — fed from the local receiver's store, or, with a remote
 * backend selected, from traces sampled within a budget and the backend's own metrics — the CodeLens provider,
 * the inline hints, the hover and the two commands. Spans are counted as they arrive; what the editor shows is
 * refreshed at most once a second while data flows, and once a minute as the window moves.
 */
import * as vscode from 'vscode';
import { compileLensFormat, type LensFormat } from '../../core/stats/formatStats';
import { placeLabel } from '../../core/stats/hoverMarkdown';
import { LatencyStats, type LocationTraces } from '../../core/stats/latencyStats';
import { spanLabel } from '../../core/stats/lensesForFile';
import { LocationResolver, withoutErrorStacks, type Locate } from '../../core/stats/locationResolver';
import type { LocationSummary } from '../../core/stats/locationSummary';
import { RemoteStatsFeed } from '../../core/stats/remoteStatsFeed';
import { StoreStatsFeed } from '../../core/stats/storeStatsFeed';
import { JaegerSpmSource, type JaegerSpmClient } from '../../core/stats/jaegerSpm';
import type { MetricsSource } from '../../core/stats/metricsSource';
import { TempoMetricsSource, type TempoMetricsClient } from '../../core/stats/tempoMetrics';
import type { TraceBackend } from '../../core/backends/types';
import type { TraceStore } from '../../core/store/traceStore';
import type { ActiveBackend, ActiveBackendInfo } from '../backends/activeBackend';
import { CodeLensCommands, CodeLensSettingIds, readCodeLensSettings, type CodeLensSettings } from './codeLensSettings';
import { DocumentSymbolCache } from './documentSymbols';
import { LatencyCodeLensProvider } from './latencyCodeLensProvider';
import { LatencyHints } from './latencyHints';
import { LatencyHoverProvider, type HoverSource } from './latencyHoverProvider';
import type { DocumentView } from './lensSource';
import { showLocationTraces } from './showLocationTraces';
import { Disposable } from '../disposable';

export interface CodeLensDependencies {
  /** the local receiver's store, once there is one */
  store(): TraceStore | undefined;
  /** another store took the place of the last one (the receiver started or restarted) */
  onDidChangeStore: vscode.Event<void>;
  /** span → workspace locations, best first (`span => locateSpan(span, index)`); undefined while the workspace index is built */
  locate(): Locate | undefined;
  /** the workspace index or the path mappings changed: locations are resolved again */
  onDidChangeLocate: vscode.Event<void>;
  /** the backend the user selected; a remote one is sampled instead of reading the local store */
  activeBackend?: ActiveBackend;
  log: vscode.LogOutputChannel;
}

/** Lenses and hints are redrawn at most this often while spans arrive, in ms. */
const REFRESH_INTERVAL_MS = 1000;
/** The window moves by itself; figures are redrawn this often even without new spans, in ms. */
const WINDOW_TICK_MS = 60_000;
/** A burst of workspace-index changes (a branch switch) resolves locations once, this long after the last, in ms. */
const RELOCATE_DELAY_MS = 2000;

const DOCUMENTS: vscode.DocumentSelector = { scheme: 'file' };

/** Registers the CodeLens feature; the composition root calls it once. */
export function registerCodeLens(context: vscode.ExtensionContext, deps: CodeLensDependencies): CodeLensController {
  const controller = new CodeLensController(deps);
  context.subscriptions.push(controller);
  return controller;
}

export class CodeLensController extends Disposable implements HoverSource {
  private settings: CodeLensSettings = readCodeLensSettings();
  private lensFormat: LensFormat = compileLensFormat(this.settings.format);
  private hintFormat: LensFormat = compileLensFormat(this.settings.hintFormat);
  /** the statistics shown; replaced whole when the window length, the store or the locator changes */
  stats: LatencyStats = new LatencyStats({ windowMinutes: this.settings.windowMinutes });
  private feed: StoreStatsFeed | undefined;
  /** set instead of `feed` while a remote backend is active */
  private remote: RemoteStatsFeed | undefined;
  /** the backend `remote` samples */
  private sampling: TraceBackend | undefined;
  private storeSubscription: vscode.Disposable | undefined;
  private readonly symbols = new DocumentSymbolCache();
  private readonly provider = new LatencyCodeLensProvider(this);
  private readonly hints = new LatencyHints(this);
  private refreshTimer: NodeJS.Timeout | undefined;
  private relocateTimer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  /** the next redraw covers every visible editor, not only those whose figures changed */
  private forceNext = false;

  constructor(private readonly deps: CodeLensDependencies) {
    super();
    this.registerAll(
      this.symbols,
      this.provider,
      this.hints,
      vscode.languages.registerCodeLensProvider(DOCUMENTS, this.provider),
      vscode.languages.registerHoverProvider(DOCUMENTS, new LatencyHoverProvider(this)),
      vscode.commands.registerCommand(CodeLensCommands.toggle, () => this.toggle()),
      vscode.commands.registerCommand(CodeLensCommands.showLocationTraces, (id: unknown) => this.showTraces(id)),
      // a remote backend's figures do not come from the store
      deps.onDidChangeStore(() => {
        if (!this.remote) this.reset('the receiver store changed');
      }),
      deps.onDidChangeLocate(() => this.relocateSoon()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfiguration(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        this.redrawHints(undefined);
        this.remote?.wake();
      }),
      vscode.window.onDidChangeWindowState(() => this.remote?.wake()),
      this.symbols.onDidArrive(() => this.provider.refresh()),
    );
    if (deps.activeBackend) this.registerAll(deps.activeBackend.onDidChange(() => this.onBackendChange()));
    const tick = setInterval(() => this.refresh(true), WINDOW_TICK_MS);
    this.registerAll({ dispose: () => clearInterval(tick) });
    this.reset('activation');
  }

  viewOf(document: vscode.TextDocument): DocumentView | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const file = workspaceRelative(document.uri);
    const figures = this.remote ?? this.stats;
    if (file === undefined || !figures.hasFile(file)) return undefined;
    const { settings, lensFormat, hintFormat } = this;
    return {
      file,
      settings,
      lensFormat,
      hintFormat,
      summaries: (): readonly LocationSummary[] => figures.summariesIn(file),
      symbols: () => this.symbols.peek(document),
    };
  }

  tracesAt(id: string): LocationTraces {
    return (this.remote ?? this.stats).tracesAt(id);
  }

  windowEndUs(): number {
    return this.stats.windowEndUs;
  }

  override dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.relocateTimer);
    this.detach();
    super.dispose();
  }

  /**
   * Counts afresh into new statistics, with the current locator and window length: the store's spans, or with a
   * remote backend active, traces sampled from it from now on.
   */
  private reset(why: string): void {
    this.detach();
    this.stats = new LatencyStats({ windowMinutes: this.settings.windowMinutes });
    const store = this.deps.store();
    const locate = this.deps.locate();
    const remote = this.remoteBackend();
    if (remote) {
      if (locate) this.sampleRemote(remote.backend, remote.info, locate, why);
    } else if (store && locate) {
      const resolver = new LocationResolver((span) => locate(withoutErrorStacks(span)));
      const started = performance.now();
      this.feed = new StoreStatsFeed(store, this.stats, resolver).start();
      this.storeSubscription = store.onDidChange(() => this.refresh(false));
      const { counted, unplaced } = this.feed.totals;
      this.deps.log.debug(
        `Latency statistics (${why}): ${counted} spans at ${this.stats.locationCount} code locations, ${unplaced} not placed, ` +
          `${Math.round(performance.now() - started)} ms`,
      );
    }
    this.refresh(true);
  }

  private onBackendChange(): void {
    // the receiver starting or stopping is announced too; the backend being sampled goes on unless replaced
    if (this.remote && this.remoteBackend()?.backend === this.sampling) return;
    this.reset('the backend changed');
  }

  /** The active backend when it is a remote one and sampling is on. */
  private remoteBackend(): { backend: TraceBackend; info: ActiveBackendInfo } | undefined {
    const { backend, info } = this.deps.activeBackend ?? {};
    if (!backend || !info || info.type === 'local' || this.settings.remoteTracesPerMinute < 1) return undefined;
    return { backend, info };
  }

  private sampleRemote(backend: TraceBackend, info: ActiveBackendInfo, locate: Locate, why: string): void {
    const metrics = this.metricsOf(backend, info);
    this.sampling = backend;
    this.remote = new RemoteStatsFeed({
      backend,
      backendName: info.name,
      stats: this.stats,
      resolver: new LocationResolver((span) => locate(withoutErrorStacks(span))),
      tracesPerMinute: this.settings.remoteTracesPerMinute,
      metrics,
      isIdle: () => this.isIdle(),
      onDidChange: () => this.refresh(false),
      onError: (error, what) =>
        this.deps.log.warn(
          `Latency statistics: ${what === 'metrics' ? 'metrics query' : 'sampling'} of ${info.name} failed: ${errorMessage(error)}`,
        ),
      onMetricsUnavailable: (error) =>
        this.deps.log.info(`Latency statistics: ${info.name} computes no metrics, sampled traces only: ${errorMessage(error)}`),
    }).start();
    this.deps.log.debug(
      `Latency statistics (${why}): sampling ${info.name} (${info.type}), at most ${this.settings.remoteTracesPerMinute} traces a minute` +
        (metrics ? `, with ${metrics.method}` : ''),
    );
  }

  /** The backend's own aggregation, when it has one: Tempo's TraceQL metrics, Jaeger's SPM. */
  private metricsOf(backend: TraceBackend, info: ActiveBackendInfo): MetricsSource | undefined {
    const onWarning = (message: string): void => this.deps.log.info(`Latency statistics: ${info.name}: ${message}`);
    if (info.type === 'tempo' && isTempoMetricsClient(backend)) return new TempoMetricsSource(backend, { onWarning });
    if (info.type === 'jaeger' && isJaegerSpmClient(backend)) return new JaegerSpmSource(backend, { onWarning });
    return undefined;
  }

  /** Nobody is looking: the window is not focused, no file is open, or the lenses are off. No remote requests then. */
  private isIdle(): boolean {
    return (
      !this.settings.enabled ||
      !vscode.window.state.focused ||
      !vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'file')
    );
  }

  private detach(): void {
    this.storeSubscription?.dispose();
    this.storeSubscription = undefined;
    this.feed?.dispose();
    this.feed = undefined;
    this.remote?.dispose();
    this.remote = undefined;
    this.sampling = undefined;
  }

  private relocateSoon(): void {
    clearTimeout(this.relocateTimer);
    this.relocateTimer = setTimeout(() => {
      const locate = this.deps.locate();
      // sampled traces are not fetched again: the feed counts those it kept with the new locations
      if (this.remote && locate) this.remote.relocate(new LocationResolver((span) => locate(withoutErrorStacks(span))));
      else this.reset('the workspace index changed');
    }, RELOCATE_DELAY_MS);
  }

  /** Redraws now if the last redraw was long enough ago, else once the interval is over. */
  private refresh(force: boolean): void {
    if (force) this.forceNext = true;
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_INTERVAL_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.lastRefresh = Date.now();
      const force = this.forceNext;
      this.forceNext = false;
      const changed = this.stats.takeChangedFiles();
      if (!force && changed.size === 0) return;
      this.redrawHints(force ? undefined : changed);
      this.provider.refresh();
    }, wait);
  }

  /** Redraws the hints of visible editors, of every one or of those showing `files`. */
  private redrawHints(files: ReadonlySet<string> | undefined): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== 'file') continue;
      const file = workspaceRelative(editor.document.uri);
      if (files && (file === undefined || !files.has(file))) continue;
      this.hints.update(editor);
    }
  }

  private onConfiguration(e: vscode.ConfigurationChangeEvent): void {
    if (!Object.values(CodeLensSettingIds).some((id) => e.affectsConfiguration(id))) return;
    const before = this.settings;
    this.settings = readCodeLensSettings();
    this.lensFormat = compileLensFormat(this.settings.format);
    this.hintFormat = compileLensFormat(this.settings.hintFormat);
    if (before.windowMinutes !== this.settings.windowMinutes) this.reset('the window length changed');
    else if (
      before.remoteTracesPerMinute !== this.settings.remoteTracesPerMinute &&
      this.deps.activeBackend?.info?.type !== 'local'
    ) {
      this.reset('the sampling budget changed');
    } else this.refresh(true);
    if (!before.enabled) this.remote?.wake();
  }

  private async toggle(): Promise<void> {
    const enabled = !this.settings.enabled;
    await vscode.workspace.getConfiguration().update(CodeLensSettingIds.enabled, enabled, vscode.ConfigurationTarget.Global);
    void vscode.window.setStatusBarMessage(`Trace Lens: latency lenses ${enabled ? 'on' : 'off'}`, 3000);
  }

  private async showTraces(id: unknown): Promise<void> {
    if (typeof id !== 'string') return;
    const summary = (this.remote ?? this.stats).summary(id);
    const title = summary ? `${spanLabel(summary)} · ${placeLabel(summary)}` : 'this location';
    await showLocationTraces(this.stats.tracesAt(id), title);
  }
}

function isTempoMetricsClient(backend: TraceBackend): backend is TraceBackend & TempoMetricsClient {
  return typeof (backend as Partial<TempoMetricsClient>).metricsQueryRange === 'function';
}

function isJaegerSpmClient(backend: TraceBackend): backend is TraceBackend & JaegerSpmClient {
  return typeof (backend as Partial<JaegerSpmClient>).spmMetrics === 'function';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The path statistics key a file by: relative to its workspace folder, prefixed with the folder's name when there are several. */
function workspaceRelative(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return vscode.workspace.asRelativePath(uri, multiRoot);
}
