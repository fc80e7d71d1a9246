// The activation shell: what VS Code loads at startup, kept small and quick. It registers what must exist from
// the start (command stubs, the language model tools, a status bar item) and loads the main bundle (src/main.ts)
// on first use, or right away in a workspace that uses Trace Lens (see startupTriggers.ts).
import * as vscode from 'vscode';
import { registerCommandStubs } from './vscode/activation/commandStubs';
import { shellProxies } from './vscode/activation/shellProxies';
import { LazyMain } from './vscode/activation/lazyMain';
import { startupReason, watchStartupTriggers } from './vscode/activation/startupTriggers';
import { Commands, LOG_CHANNEL_NAME } from './vscode/contributions';

let main: LazyMain | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  const lazy: LazyMain = (main = new LazyMain(
    context,
    log,
    shellProxies(context, log, () => lazy),
  ));
  context.subscriptions.push(log, lazy);
  registerCommandStubs(context, lazy);
  // The item the main bundle's status bar replaces, as it shows with no backend selected.
  const placeholder = vscode.window.createStatusBarItem('traceLens.backend', vscode.StatusBarAlignment.Left, 10);
  placeholder.name = 'Trace Lens Backend';
  placeholder.text = '$(pulse) Trace Lens';
  placeholder.tooltip = 'Trace Lens: no trace backend selected.';
  placeholder.command = Commands.selectBackend;
  placeholder.show();
  const triggers = watchStartupTriggers((reason) => loadQuietly(lazy, reason));
  lazy.onBeforeLoad(() => {
    placeholder.dispose();
    triggers.dispose();
  });
  context.subscriptions.push(placeholder, triggers);

  const reason = startupReason(context);
  if (reason !== undefined) setTimeout(() => loadQuietly(lazy, reason), 0);
  const { version } = context.extension.packageJSON as { version?: string };
  const host = vscode.env.remoteName ? `remote: ${vscode.env.remoteName}` : 'local';
  log.info(`Trace Lens ${version ?? '?'} activated in VS Code ${vscode.version} (${host})`);
}

/** Waits for the receiver to close and its store's snapshot to be written. */
export function deactivate(): Promise<void> | undefined {
  return main?.shutdown();
}

/** Loads outside a command, where nobody awaits the outcome: a failure is already in the log. */
function loadQuietly(lazy: LazyMain, reason: string): void {
  try {
    lazy.load(reason);
  } catch {
    // logged by LazyMain
  }
}
