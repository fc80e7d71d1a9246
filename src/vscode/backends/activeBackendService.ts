/**
 * Which trace source is active in this window: a named backend from `traceLens.backends` or the local
 * receiver. The choice is remembered per workspace. The backend is rebuilt when its settings, its secret,
 * the proxy settings or workspace trust change, and the one it replaces is disposed. Health is checked
 * (one listServices call) when a remote backend becomes active, and whenever asked.
 */
import * as vscode from 'vscode';
import { BackendCancelledError, isBackendError } from '../../core/backends/backendErrors';
import { backendTypeLabel, type BackendSetting, type BackendSettings } from '../../core/backends/backendSettings';
import { createBackend } from '../../core/backends/createBackend';
import { createLocalBackend } from '../../core/backends/localBackend';
import type { TraceBackend } from '../../core/backends/types';
import type { TraceStore } from '../../core/store/traceStore';
import { Settings } from '../contributions';
import type { ReceiverController } from '../receiver/receiverController';
import type { ActiveBackend, ActiveBackendInfo } from './activeBackend';
import { backendConfigFor, BackendSecrets, httpSettings, readBackendSettings } from './backendConfiguration';
import { Disposable } from '../disposable';

/** `none`: the user disconnected (imported traces only); the local receiver still counts while it runs. */
export type BackendSelection = { kind: 'local' } | { kind: 'remote'; name: string } | { kind: 'none' };

export type BackendHealth =
  | { status: 'unknown' }
  | { status: 'checking' }
  | { status: 'ok'; /** services the backend listed */ services: number; checkedAt: Date }
  | { status: 'failed'; message: string; error: unknown; checkedAt: Date };

const SELECTION_KEY = 'traceLens.activeBackend';
export const LOCAL_RECEIVER_NAME = 'Local receiver';

export class ActiveBackendService extends Disposable implements ActiveBackend {
  private current: TraceBackend | undefined;
  private currentInfo: ActiveBackendInfo | undefined;
  private currentSetting: BackendSetting | undefined;
  private currentStore: TraceStore | undefined;
  /** what the current remote backend was built from */
  private currentKey: string | undefined;
  private problemValue: string | undefined;
  private healthValue: BackendHealth = { status: 'unknown' };
  private settingsValue: BackendSettings = { backends: [], problems: [], ignoredUntrusted: 0 };
  private healthCheck: AbortController | undefined;
  /** rebuilds run one after another; a later one sees the latest settings */
  private queue: Promise<void> = Promise.resolve();
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly received = new vscode.EventEmitter<void>();
  private readonly healthChanged = new vscode.EventEmitter<void>();
  readonly secrets: BackendSecrets;

  readonly onDidChange = this.changed.event;
  readonly onDidReceive = this.received.event;
  /** health of the active backend changed (checked, failed, checking) */
  readonly onDidChangeHealth = this.healthChanged.event;

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'workspaceState' | 'secrets'>,
    private readonly receiver: ReceiverController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.secrets = new BackendSecrets(context.secrets);
    this.registerAll(
      this.changed,
      this.received,
      this.healthChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration(Settings.backends) ||
          e.affectsConfiguration('traceLens.http') ||
          e.affectsConfiguration('http')
        ) {
          void this.refresh();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      this.secrets.onDidChange((e) => {
        if (this.currentSetting && e.key === this.currentSetting.auth.secretKey) void this.refresh({ force: true });
      }),
      receiver.onDidChange(() => {
        if (this.effectiveSelection()?.kind !== 'remote') void this.refresh();
      }),
      receiver.onDidReceive(() => {
        if (this.currentInfo?.type === 'local') this.received.fire();
      }),
    );
  }

  get backend(): TraceBackend | undefined {
    return this.current;
  }

  get info(): ActiveBackendInfo | undefined {
    return this.currentInfo;
  }

  /** why the chosen backend could not be built (missing credentials, bad CA file, …), while `backend` is undefined */
  get problem(): string | undefined {
    return this.problemValue;
  }

  get health(): BackendHealth {
    return this.healthValue;
  }

  /** the backends configured in settings, as merged for this workspace */
  get settings(): BackendSettings {
    return this.settingsValue;
  }

  /** what the user chose in this workspace; undefined when nothing was chosen yet */
  get selection(): BackendSelection | undefined {
    return this.context.workspaceState.get<BackendSelection>(SELECTION_KEY);
  }

  /** Reads settings and builds the active backend. Call once after construction; does not touch the network. */
  initialize(): Promise<void> {
    return this.refresh({ checkHealth: true });
  }

  /** Makes `selection` active and remembers it for this workspace; `checkHealth: false` when the caller checks itself. */
  async select(selection: BackendSelection, { checkHealth = true } = {}): Promise<void> {
    await this.context.workspaceState.update(SELECTION_KEY, selection);
    await this.refresh({ checkHealth });
  }

  /** Forgets this workspace's choice (e.g. the chosen backend was removed). */
  async forgetSelection(): Promise<void> {
    await this.context.workspaceState.update(SELECTION_KEY, undefined);
    await this.refresh({ checkHealth: true, force: true });
  }

  /** The configured backend named `name`. */
  find(name: string): BackendSetting | undefined {
    return this.settingsValue.backends.find((b) => b.name === name);
  }

  /** A new client for `setting` (not the active one): the caller disposes it. Throws BackendConfigError. */
  async createFor(setting: BackendSetting, override?: Parameters<typeof backendConfigFor>[3]): Promise<TraceBackend> {
    return createBackend(await backendConfigFor(setting, this.secrets, httpSettings(this.log), override));
  }

  /**
   * Asks the active backend for its services; the result becomes its health. A newer check or a change of
   * backend cancels this one.
   */
  async checkHealth(token?: vscode.CancellationToken): Promise<BackendHealth> {
    const backend = this.current;
    this.healthCheck?.abort();
    if (!backend) return this.healthValue;
    const controller = new AbortController();
    this.healthCheck = controller;
    const subscription = token?.onCancellationRequested(() => controller.abort());
    const generation = this.generation;
    this.setHealth({ status: 'checking' });
    let health: BackendHealth;
    try {
      const services = await backend.listServices({ signal: controller.signal });
      health = { status: 'ok', services: services.length, checkedAt: new Date() };
    } catch (e) {
      if (e instanceof BackendCancelledError || controller.signal.aborted) {
        if (generation === this.generation && this.healthCheck === controller) this.setHealth({ status: 'unknown' });
        return { status: 'unknown' };
      }
      health = { status: 'failed', message: e instanceof Error ? e.message : String(e), error: e, checkedAt: new Date() };
      if (!isBackendError(e)) this.log.error(`Health check of ${this.currentInfo?.name ?? 'the backend'} failed`, e);
    } finally {
      subscription?.dispose();
    }
    if (generation === this.generation && this.healthCheck === controller) {
      this.healthCheck = undefined;
      this.setHealth(health);
    }
    return health;
  }

  override dispose(): void {
    this.healthCheck?.abort();
    void this.current?.dispose?.();
    super.dispose();
  }

  /** Re-reads settings; rebuilds the backend when what it is built from changed (or when forced). */
  refresh(options: { checkHealth?: boolean; force?: boolean } = {}): Promise<void> {
    const run = this.queue.then(() => this.rebuild(options));
    this.queue = run.catch((e: unknown) => this.log.error('Could not switch backends', e));
    return run;
  }

  /** The stored choice, or the local receiver while it runs, or the first configured backend. */
  private effectiveSelection(): Exclude<BackendSelection, { kind: 'none' }> | undefined {
    const chosen = this.selection;
    if (chosen && chosen.kind !== 'none') return chosen;
    if (this.receiver.running) return { kind: 'local' };
    if (chosen?.kind === 'none') return undefined;
    const first = this.settingsValue.backends[0];
    return first ? { kind: 'remote', name: first.name } : undefined;
  }

  private async rebuild(options: { checkHealth?: boolean; force?: boolean }): Promise<void> {
    const previousProblems = this.settingsValue.problems.join('\n');
    this.settingsValue = readBackendSettings();
    const problems = this.settingsValue.problems.join('\n');
    if (problems !== '' && problems !== previousProblems) for (const p of this.settingsValue.problems) this.log.warn(p);
    if (this.settingsValue.ignoredUntrusted > 0 && problems !== previousProblems) {
      this.log.warn(
        `${this.settingsValue.ignoredUntrusted} backends in this workspace's settings are ignored until the workspace is trusted.`,
      );
    }

    const selection = this.effectiveSelection();
    if (selection?.kind === 'local') {
      const store = this.receiver.store;
      const info: ActiveBackendInfo = {
        name: LOCAL_RECEIVER_NAME,
        type: 'local',
        ...(this.receiver.url ? { url: this.receiver.url } : {}),
      };
      if (
        !options.force &&
        this.currentInfo?.type === 'local' &&
        store === this.currentStore &&
        info.url === this.currentInfo.url
      )
        return;
      this.currentKey = undefined;
      this.replace(store ? createLocalBackend(store) : undefined, info, undefined, undefined);
      this.currentStore = store;
      this.setHealth(
        this.receiver.running
          ? { status: 'ok', services: store?.services().length ?? 0, checkedAt: new Date() }
          : { status: 'unknown' },
      );
      return;
    }

    const setting = selection ? this.find(selection.name) : undefined;
    if (!selection || !setting) {
      const problem = selection ? `The backend "${selection.name}" is no longer in traceLens.backends.` : undefined;
      if (!options.force && this.currentInfo === undefined && this.problemValue === problem) return;
      this.currentKey = undefined;
      this.replace(undefined, undefined, undefined, problem);
      if (problem) this.log.warn(problem);
      this.setHealth({ status: 'unknown' });
      return;
    }

    const info: ActiveBackendInfo = {
      name: setting.name,
      type: setting.type,
      url: setting.url,
      ...(setting.uiUrl ? { uiUrl: setting.uiUrl } : {}),
    };
    // Unrelated edits (another entry, a receiver setting) leave a working backend alone.
    const key = JSON.stringify([setting, { ...httpSettings(this.log), log: undefined }]);
    if (!options.force && key === this.currentKey && this.currentInfo?.name === setting.name) {
      if (options.checkHealth && this.current) void this.checkHealth();
      return;
    }
    this.currentKey = key;
    let backend: TraceBackend | undefined;
    let problem: string | undefined;
    try {
      backend = await this.createFor(setting);
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
      this.log.warn(`${setting.name}: ${problem}`);
    }
    this.replace(backend, info, setting, problem);
    this.currentStore = undefined;
    this.log.info(`Active backend: ${setting.name} (${backendTypeLabel(setting.type)} at ${setting.url})`);
    if (problem) this.setHealth({ status: 'failed', message: problem, error: undefined, checkedAt: new Date() });
    else if (options.checkHealth !== false) void this.checkHealth();
    else this.setHealth({ status: 'unknown' });
  }

  private replace(
    backend: TraceBackend | undefined,
    info: ActiveBackendInfo | undefined,
    setting: BackendSetting | undefined,
    problem: string | undefined,
  ): void {
    const old = this.current;
    this.generation++;
    this.healthCheck?.abort();
    this.healthCheck = undefined;
    this.current = backend;
    this.currentInfo = info;
    this.currentSetting = setting;
    this.problemValue = problem;
    this.changed.fire();
    // Not awaited: closing a pool waits for requests in flight, which must not hold up the next switch.
    if (old && old !== backend) {
      void old.dispose?.().catch((e: unknown) => this.log.warn(`Closing the previous backend failed: ${String(e)}`));
    }
  }

  private setHealth(health: BackendHealth): void {
    this.healthValue = health;
    this.healthChanged.fire();
  }
}
