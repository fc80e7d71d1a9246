// Composition root: builds the core objects and hands them to the VS Code adapters. Nothing else lives here.
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands/registerCommands';
import { LOG_CHANNEL_NAME, Views } from './vscode/contributions';
import { TraceTreeModel } from './vscode/tree/traceTreeModel';
import { TracesTreeProvider } from './vscode/tree/tracesTreeProvider';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  const model = new TraceTreeModel();
  const tree = new TracesTreeProvider(model);
  context.subscriptions.push(
    log,
    tree,
    vscode.window.createTreeView(Views.traces, { treeDataProvider: tree }),
    ...registerCommands({ model, tree, log }),
  );
  const { version } = context.extension.packageJSON as { version?: string };
  const host = vscode.env.remoteName ? `remote: ${vscode.env.remoteName}` : 'local';
  log.info(`Trace Lens ${version ?? '?'} activated in VS Code ${vscode.version} (${host})`);
}

export function deactivate(): void {}
