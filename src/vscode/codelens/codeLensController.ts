/**
 * Owns everything latency in the editor: the statistics fed from the local receiver's store, the CodeLens
 * provider, the inline hints, the hover and the two commands. Spans are counted as they arrive; what the editor
 * shows is refreshed at most once a second while data flows, and once a minute as the window moves.
 */
import * as vscode from 'vscode';
import { compileLensFormat, type LensFormat } from '../../core/stats/formatStats';
import { LatencyStats, type LocationTraces } from '../../core/stats/latencyStats';
import { LocationResolver, withoutErrorStacks, type Locate } from '../../core/stats/locationResolver';
import type { LocationSummary } from '../../core/stats/locationSummary';
import { StoreStatsFeed } from '../../core/stats/storeStatsFeed';
import type { TraceStore } from '../../core/store/traceStore';
import { CodeLensCommands, CodeLensSettingIds, readCodeLensSettings, type CodeLensSettings } from './codeLensSettings';
import { DocumentSymbolCache } from './documentSymbols';
import { LatencyCodeLensProvider } from './latencyCodeLensProvider';
import { LatencyHints } from './latencyHints';
import { LatencyHoverProvider, type HoverSource } from './latencyHoverProvider';
import type { DocumentView } from './lensSource';
import { showLocationTraces } from './showLocationTraces';

export interface CodeLensDependencies {
  /** the local receiver's store, once there is one */
  store(): TraceStore | undefined;
  /** another store took the place of the last one (the receiver started or restarted) */
  onDidChangeStore: vscode.Event<void>;
  /** span → workspace locations, best first (`span => locateSpan(span, index)`); undefined while the workspace index is built */
  locate(): Locate | undefined;
  /** the workspace index or the path mappings changed: locations are resolved again */
  onDidChangeLocate: vscode.Event<void>;
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

export class CodeLensController implements HoverSource, vscode.Disposable {
  private settings: CodeLensSettings = readCodeLensSettings();
  private lensFormat: LensFormat = compileLensFormat(this.settings.format);
  private hintFormat: LensFormat = compileLensFormat(this.settings.hintFormat);
  /** the statistics shown; replaced whole when the window length, the store or the locator changes */
  stats: LatencyStats = new LatencyStats({ windowMinutes: this.settings.windowMinutes });
  private feed: StoreStatsFeed | undefined;
  private storeSubscription: vscode.Disposable | undefined;
  private readonly symbols = new DocumentSymbolCache();
  private readonly provider = new LatencyCodeLensProvider(this);
  private readonly hints = new LatencyHints(this);
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private relocateTimer: NodeJS.Timeout | undefined;
  private lastRefresh = 0;
  /** the next redraw covers every visible editor, not only those whose figures changed */
  private forceNext = false;

  constructor(private readonly deps: CodeLensDependencies) {
    this.disposables.push(
      this.symbols,
      this.provider,
      this.hints,
      vscode.languages.registerCodeLensProvider(DOCUMENTS, this.provider),
      vscode.languages.registerHoverProvider(DOCUMENTS, new LatencyHoverProvider(this)),
      vscode.commands.registerCommand(CodeLensCommands.toggle, () => this.toggle()),
      vscode.commands.registerCommand(CodeLensCommands.showLocationTraces, (id: unknown) => this.showTraces(id)),
      deps.onDidChangeStore(() => this.reset('the receiver store changed')),
      deps.onDidChangeLocate(() => this.relocateSoon()),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfiguration(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redrawHints(undefined)),
      this.symbols.onDidArrive(() => this.provider.refresh()),
    );
    const tick = setInterval(() => this.refresh(true), WINDOW_TICK_MS);
    this.disposables.push({ dispose: () => clearInterval(tick) });
    this.reset('activation');
  }

  viewOf(document: vscode.TextDocument): DocumentView | undefined {
    if (document.uri.scheme !== 'file') return undefined;
    const file = workspaceRelative(document.uri);
    if (file === undefined || !this.stats.hasFile(file)) return undefined;
    const { stats, settings, lensFormat, hintFormat } = this;
    return {
      file,
      settings,
      lensFormat,
      hintFormat,
      summaries: (): readonly LocationSummary[] => stats.summariesIn(file),
      symbols: () => this.symbols.peek(document),
    };
  }

  tracesAt(id: string): LocationTraces {
    return this.stats.tracesAt(id);
  }

  windowEndUs(): number {
    return this.stats.windowEndUs;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.relocateTimer);
    this.detach();
    for (const d of this.disposables) d.dispose();
  }

  /** Counts the store's spans afresh into new statistics, with the current locator and window length. */
  private reset(why: string): void {
    this.detach();
    this.stats = new LatencyStats({ windowMinutes: this.settings.windowMinutes });
    const store = this.deps.store();
    const locate = this.deps.locate();
    if (store && locate) {
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

  private detach(): void {
    this.storeSubscription?.dispose();
    this.storeSubscription = undefined;
    this.feed?.dispose();
    this.feed = undefined;
  }

  private relocateSoon(): void {
    clearTimeout(this.relocateTimer);
    this.relocateTimer = setTimeout(() => this.reset('the workspace index changed'), RELOCATE_DELAY_MS);
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
    else this.refresh(true);
  }

  private async toggle(): Promise<void> {
    const enabled = !this.settings.enabled;
    await vscode.workspace.getConfiguration().update(CodeLensSettingIds.enabled, enabled, vscode.ConfigurationTarget.Global);
    void vscode.window.setStatusBarMessage(`Trace Lens: latency lenses ${enabled ? 'on' : 'off'}`, 3000);
  }

  private async showTraces(id: unknown): Promise<void> {
    if (typeof id !== 'string') return;
    const summary = this.stats.summary(id);
    const title = summary ? (summary.key.function ?? `${summary.key.file}:${summary.key.line ?? '?'}`) : 'this location';
    await showLocationTraces(this.stats.tracesAt(id), title);
  }
}

/** The path statistics key a file by: relative to its workspace folder, prefixed with the folder's name when there are several. */
function workspaceRelative(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return vscode.workspace.asRelativePath(uri, multiRoot);
}
