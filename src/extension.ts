// Composition root: builds the core objects and hands them to the VS Code adapters. Nothing else lives here.
import * as vscode from 'vscode';
import { registerCodeNavigation } from './vscode/codeNavigation/registerCodeNavigation';
import { registerBackends, type Backends } from './vscode/backends/registerBackends';
import { LOG_CHANNEL_NAME } from './vscode/contributions';
import { registerExplorer } from './vscode/explorer/registerExplorer';
import { waterfallDependencies } from './vscode/waterfall/waterfallDependencies';
import { registerWaterfall } from './vscode/waterfall/waterfallPanel';

let backends: Backends | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);
  // returns the CodeLocator that the tree, waterfall and CodeLens adapters take; pass the local store's exceptionsFor here
  const locator = registerCodeNavigation(context, { log });
  // backends.activeBackend is the trace source the explorer reads; backends.receiver.store the local receiver's store
  backends = registerBackends(context, { log });
  // explorer.loadTrace is the waterfall's loadTrace: imported, recently fetched, or fetched from the active backend
  const explorer = registerExplorer(context, { activeBackend: backends.activeBackend, log });
  context.subscriptions.push(
    ...registerWaterfall(context, waterfallDependencies({ explorer, locator, activeBackend: backends.activeBackend, log })),
  );
  const { version } = context.extension.packageJSON as { version?: string };
  const host = vscode.env.remoteName ? `remote: ${vscode.env.remoteName}` : 'local';
  log.info(`Trace Lens ${version ?? '?'} activated in VS Code ${vscode.version} (${host})`);
}

/** Waits for the receiver to close and its store's snapshot to be written. */
export function deactivate(): Promise<void> | undefined {
  return backends?.shutdown();
}
