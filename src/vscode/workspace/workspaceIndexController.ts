/**
 * Owns the workspace index: builds it lazily (on first use, or a little after activation) with progress in
 * the status bar, keeps it fresh from a file watcher (debounced, one file at a time), and rebuilds it when
 * folders or the settings it depends on change. Until a rebuild finishes the previous index keeps answering.
 */
import * as vscode from 'vscode';
import { buildWorkspaceIndex, WorkspaceIndex, type IndexProgress } from '../../core/codeLocation/workspaceIndex';
import { Settings } from '../contributions';
import { readPathMappings } from './pathMappingsSetting';
import { VscodeWorkspaceFiles, type IndexedFolder } from './vscodeWorkspaceFiles';
import { Disposable } from '../disposable';

export interface WorkspaceIndexControllerOptions {
  /** milliseconds after `start()` before the first build, unless something needs the index sooner */
  startDelayMs?: number;
  /** milliseconds of quiet before file events are applied */
  debounceMs?: number;
  /** more pending file events than this rebuild the index instead (a branch switch, a big generator run) */
  maxIncremental?: number;
}

interface Built {
  index: WorkspaceIndex;
  source: VscodeWorkspaceFiles;
  /** listing paths, for removing a deleted folder's files */
  listed: Set<string>;
}

interface Build {
  promise: Promise<Built | undefined>;
  abort: AbortController;
  progress: IndexProgress;
  readonly listeners: Set<(p: IndexProgress) => void>;
}

type FileEvent = 'changed' | 'deleted';

/** Settings whose change invalidates the whole index. */
const REBUILD_SETTINGS = [Settings.pathMappings, 'files.exclude', 'search.exclude', 'search.useIgnoreFiles'] as const;
const PROGRESS_INTERVAL_MS = 200;
/** milliseconds a person waits for the index before a notification says what is going on */
const QUIET_WAIT_MS = 500;

export class WorkspaceIndexController extends Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** the index's contents changed: matches computed before may be stale */
  readonly onDidChange = this.changed.event;
  private built: Built | undefined;
  private build: Build | undefined;
  private generationCount = 0;
  private readonly pending = new Map<string, { uri: vscode.Uri; event: FileEvent }>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly startDelayMs: number;
  private readonly debounceMs: number;
  private readonly maxIncremental: number;
  private disposed = false;
  private watching: vscode.FileSystemWatcher | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    options: WorkspaceIndexControllerOptions = {},
  ) {
    super();
    this.startDelayMs = options.startDelayMs ?? 3000;
    this.debounceMs = options.debounceMs ?? 300;
    this.maxIncremental = options.maxIncremental ?? 2000;
    this.registerAll(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRebuild('workspace folders changed')),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleRebuild('workspace trusted')),
      vscode.workspace.onDidChangeConfiguration((e) => {
        const setting = REBUILD_SETTINGS.find((s) => e.affectsConfiguration(s));
        if (setting) this.scheduleRebuild(`${setting} changed`);
      }),
    );
  }

  /** Follows file changes once there is an index to keep fresh; nothing is watched before the first build. */
  private watchFiles(): void {
    if (this.watching) return;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.watching = watcher;
    this.registerAll(
      watcher,
      watcher.onDidCreate((uri) => this.queue(uri, 'changed')),
      watcher.onDidChange((uri) => this.queue(uri, 'changed')),
      watcher.onDidDelete((uri) => this.queue(uri, 'deleted')),
    );
  }

  /** Schedules the first build a little later, so that activation stays cheap. */
  start(): void {
    this.startTimer ??= setTimeout(() => void this.index(), this.startDelayMs);
  }

  /** Changes whenever the index's contents do; a cache keyed by it never serves stale matches. */
  get generation(): number {
    return this.generationCount;
  }

  /** The index as it stands, without waiting; undefined before the first build finishes. */
  get current(): WorkspaceIndex | undefined {
    return this.built?.index;
  }

  /** The file source of the current index (URIs, folders, symlink checks). */
  get files(): VscodeWorkspaceFiles | undefined {
    return this.built?.source;
  }

  /**
   * The index, building it first when needed. Undefined when no folder is open or the build was cancelled.
   * `interactive`: someone is waiting for an answer, so a build still in progress shows a cancellable
   * notification (cancelling it stops the build; the next use starts a new one).
   */
  async index(options: { interactive?: boolean } = {}): Promise<WorkspaceIndex | undefined> {
    if (this.built && !this.build) return this.built.index;
    const build = this.build ?? this.startBuild();
    if (!build) return this.built?.index;
    if (this.built && !options.interactive) return this.built.index;
    const built = options.interactive ? await this.waitVisibly(build) : await build.promise;
    return (built ?? this.built)?.index;
  }

  /** The folder of a listing path (a CodeMatch's file) and the path inside it. */
  folderOf(file: string): { folder: IndexedFolder; relative: string } | undefined {
    return this.built?.source.folderOf(file);
  }

  /** Drops the index and builds it again (in the background). */
  rebuild(reason: string): void {
    this.log.info(`Workspace index: rebuilding (${reason})`);
    this.build?.abort.abort();
    this.build = undefined;
    void this.index();
  }

  override dispose(): void {
    this.disposed = true;
    for (const t of [this.startTimer, this.flushTimer, this.rebuildTimer]) if (t) clearTimeout(t);
    this.build?.abort.abort();
    this.changed.dispose();
    super.dispose();
  }

  private scheduleRebuild(reason: string): void {
    if (!this.built && !this.build) return; // the first build reads the settings as they are then
    if (this.rebuildTimer) clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = undefined;
      this.rebuild(reason);
    }, this.debounceMs);
  }

  private startBuild(): Build | undefined {
    if (this.disposed) return undefined;
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) return undefined;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.watchFiles();
    const abort = new AbortController();
    const build: Build = { abort, progress: { done: 0, total: 0 }, listeners: new Set(), promise: undefined! };
    build.promise = Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Trace Lens', cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let last = 0;
          const listener = (p: IndexProgress): void => {
            const now = Date.now();
            if (now - last < PROGRESS_INTERVAL_MS && p.done < p.total) return;
            last = now;
            progress.report({ message: `indexing ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} files` });
          };
          build.listeners.add(listener);
          progress.report({ message: 'listing files' });
          return this.runBuild(folders, build);
        },
      ),
    ).then(
      (built) => this.finishBuild(build, built),
      (error: unknown) => this.finishBuild(build, undefined, error),
    );
    this.build = build;
    return build;
  }

  private async runBuild(folders: readonly vscode.WorkspaceFolder[], build: Build): Promise<Built> {
    const started = Date.now();
    const tokenSource = new vscode.CancellationTokenSource();
    build.abort.signal.addEventListener('abort', () => tokenSource.cancel());
    try {
      const source = await VscodeWorkspaceFiles.create(folders, { token: tokenSource.token });
      // In an untrusted workspace, only the user's own mappings count: a cloned repository must not be able
      // to steer Go to Code to files of its choosing.
      const trusted = vscode.workspace.isTrusted;
      const perFolder = trusted
        ? source.folders.map((f) => ({
            name: f.name,
            value: vscode.workspace.getConfiguration(undefined, f.folder.uri).inspect(Settings.pathMappings)
              ?.workspaceFolderValue,
          }))
        : [];
      const inspected = vscode.workspace.getConfiguration().inspect(Settings.pathMappings);
      const general = { ...asObject(inspected?.globalValue), ...(trusted ? asObject(inspected?.workspaceValue) : {}) };
      const setting = readPathMappings(general, folders.length > 1 ? perFolder : []);
      let listedAt = 0;
      const index = await buildWorkspaceIndex(source, {
        pathMappings: setting.mappings,
        signal: build.abort.signal,
        onProgress: (p) => {
          listedAt ||= Date.now();
          build.progress = p;
          for (const l of build.listeners) l(p);
        },
      });
      const listed = new Set(source.takeListed());
      const s = index.stats;
      this.log.info(
        `Workspace index: ${count(s.files, 'file')} in ${count(source.folders.length, 'folder')}, ${count(s.indexed, 'source file')} read` +
          (s.skipped > 0 ? ` (${s.skipped} skipped: too large, binary or unreadable)` : '') +
          `; ${count(s.definitions, 'definition')}, ${count(s.spanStarts, 'span start')}, ${count(s.routes, 'route')}` +
          `; listed in ${listedAt - started} ms, read in ${Date.now() - listedAt} ms`,
      );
      if (source.truncated)
        this.log.warn(`Workspace index: stopped listing at ${s.files} files; the rest of the workspace is not searched`);
      for (const w of [...setting.warnings, ...index.mapper.warnings, ...source.dropped]) this.log.warn(`Workspace index: ${w}`);
      return { index, source, listed };
    } finally {
      tokenSource.dispose();
    }
  }

  private finishBuild(build: Build, built: Built | undefined, error?: unknown): Built | undefined {
    if (this.build !== build) return undefined; // superseded by a rebuild
    this.build = undefined;
    if (built === undefined) {
      if (build.abort.signal.aborted || error instanceof vscode.CancellationError) this.log.info('Workspace index: cancelled');
      else this.log.error(`Workspace index: build failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    this.built = built;
    this.bump();
    if (this.pending.size > 0) this.scheduleFlush();
    return built;
  }

  /** Waits for `build`, with a cancellable notification when it takes longer than a moment. */
  private async waitVisibly(build: Build): Promise<Built | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quick = await Promise.race([
      build.promise.then((built) => ({ built })),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), QUIET_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (quick) return quick.built;
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Trace Lens: indexing the workspace to find the code'),
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          if (this.build === build) this.stopBuild(build);
        });
        let reported = 0;
        const listener = (p: IndexProgress): void => {
          const percent = p.total === 0 ? 0 : (100 * p.done) / p.total;
          progress.report({
            message: `${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} files`,
            increment: percent - reported,
          });
          reported = percent;
        };
        listener(build.progress);
        build.listeners.add(listener);
        try {
          return await Promise.race([build.promise, cancelled(token)]);
        } finally {
          build.listeners.delete(listener);
        }
      },
    );
  }

  /** The person cancelled the build they were waiting for: stop it; the next use starts over. */
  private stopBuild(build: Build): void {
    build.abort.abort();
    this.build = undefined;
  }

  private queue(uri: vscode.Uri, event: FileEvent): void {
    if (!this.built && !this.build) return; // no index yet: the first build will list the file anyway
    this.pending.set(uri.toString(), { uri, event });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushing = this.flushing
        .then(() => this.flush())
        .catch((e: unknown) => this.log.error(`Workspace index: ${String(e)}`));
    }, this.debounceMs);
  }

  /** Applies queued file events; during a build they wait for it to finish. */
  private async flush(): Promise<void> {
    const built = this.built;
    if (!built || this.build || this.pending.size === 0) return;
    if (this.pending.size > this.maxIncremental) {
      const n = this.pending.size;
      this.pending.clear();
      return this.rebuild(`${n} files changed at once`);
    }
    const events = [...this.pending.values()];
    this.pending.clear();
    let changes = 0;
    for (const { uri, event } of events) {
      const file = built.source.pathOf(uri);
      if (file === undefined) continue;
      if (file === '.gitignore' || file.endsWith('/.gitignore')) return this.rebuild(`${file} changed`);
      changes += event === 'deleted' ? this.removeFile(built, file) : await this.addPath(built, uri, file);
    }
    if (changes > 0 && this.built === built) {
      this.log.debug(`Workspace index: applied ${changes} file change(s)`);
      this.bump();
    }
  }

  private removeFile(built: Built, file: string): number {
    if (built.listed.delete(file)) {
      built.index.remove(file);
      return 1;
    }
    // a deleted folder: the watcher reports the folder alone
    const prefix = `${file}/`;
    let n = 0;
    for (const f of built.listed) {
      if (!f.startsWith(prefix)) continue;
      built.listed.delete(f);
      built.index.remove(f);
      n++;
    }
    return n;
  }

  private async addPath(built: Built, uri: vscode.Uri, file: string): Promise<number> {
    if (built.source.isExcluded(file)) return 0;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (!stat) return 0;
    if (stat.type & vscode.FileType.Directory) {
      // a folder moved or copied in: its files may come without events of their own
      const inner = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), undefined, this.maxIncremental);
      let n = 0;
      for (const child of inner) {
        const f = built.source.pathOf(child);
        if (f !== undefined && !built.source.isExcluded(f)) n += await this.addFile(built, f);
      }
      return n;
    }
    return this.addFile(built, file);
  }

  private async addFile(built: Built, file: string): Promise<number> {
    if (!(await built.source.resolvesInside(file))) return 0;
    const text = WorkspaceIndex.isSourceFile(file) ? await built.source.readText(file) : '';
    built.index.update(file, text ?? '');
    built.listed.add(file);
    return 1;
  }

  private bump(): void {
    this.generationCount++;
    this.changed.fire();
  }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function cancelled(token: vscode.CancellationToken): Promise<undefined> {
  return new Promise((resolve) => token.onCancellationRequested(() => resolve(undefined)));
}
