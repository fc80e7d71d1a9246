/**
 * The main bundle (dist/main.js: every adapter, the core, undici, the receiver, the workspace index, statistics,
 * the waterfall host and the agent tools), required once, on first use. Before it loads, `beforeLoad` hooks take
 * down what stood in for it (command stubs, the placeholder status bar item) so that it can register the real ones.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type * as MainModule from '../../main';
import type { Main } from '../../main';
import type { ShellRegistrations } from './shellRegistrations';

export class LazyMain implements vscode.Disposable {
  private main: Main | undefined;
  private failure: unknown;
  private readonly beforeLoad: (() => void)[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly shell: ShellRegistrations,
    /** the bundle's path; dist/main.js beside dist/extension.js */
    private readonly file = path.join(__dirname, 'main.js'),
  ) {}

  get loaded(): boolean {
    return this.main !== undefined;
  }

  /** Runs once, just before the bundle loads. */
  onBeforeLoad(hook: () => void): void {
    this.beforeLoad.push(hook);
  }

  /** The started main bundle; `reason` goes to the log. Throws what loading threw, every time it is asked again. */
  load(reason: string): Main {
    if (this.main) return this.main;
    if (this.failure !== undefined) throw this.failure;
    const started = performance.now();
    for (const hook of this.beforeLoad.splice(0)) hook();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded on first use
      const { start } = require(this.file) as typeof MainModule;
      this.main = start(this.context, this.log, this.shell);
    } catch (e) {
      this.failure = e;
      this.log.error('Trace Lens could not start', e);
      throw e;
    }
    this.log.info(`Loaded in ${Math.round(performance.now() - started)} ms (${reason})`);
    return this.main;
  }

  /** For `deactivate`: the receiver's shutdown when the bundle was loaded. */
  shutdown(): Promise<void> | undefined {
    return this.main?.shutdown();
  }

  dispose(): void {
    this.beforeLoad.length = 0;
  }
}
