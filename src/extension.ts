// Composition root: builds the core objects and hands them to the VS Code adapters. Nothing else lives here.
import * as vscode from 'vscode';
import { locateSpan } from './core/codeLocation/locateSpan';
import { registerAgentTools } from './vscode/agent/registerAgentTools';
import { registerBackends, type Backends } from './vscode/backends/registerBackends';
import { registerCodeLens } from './vscode/codelens/codeLensController';
import { registerCodeNavigation } from './vscode/codeNavigation/registerCodeNavigation';
import { LOG_CHANNEL_NAME } from './vscode/contributions';
import { registerExplorer } from './vscode/explorer/registerExplorer';
import { waterfallDependencies } from './vscode/waterfall/waterfallDependencies';
import { registerWaterfall } from './vscode/waterfall/waterfallPanel';

let backends: Backends | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);
  // The trace sources: named remote backends and the embedded receiver with its store.
  const { activeBackend, receiver } = (backends = registerBackends(context, { log }));
  // Span → code, with the exception log records the receiver correlated with each span.
  const { locator, index } = registerCodeNavigation(context, {
    log,
    exceptionsFor: (traceId, spanId) => receiver.store?.exceptionsFor(traceId, spanId) ?? [],
  });
  const explorer = registerExplorer(context, { activeBackend, log });
  context.subscriptions.push(...registerWaterfall(context, waterfallDependencies({ explorer, locator, activeBackend, log })));
  const codeLens = registerCodeLens(context, {
    store: () => receiver.store,
    onDidChangeStore: receiver.onDidChange,
    // Statistics need the workspace index only once there is a local store or a remote backend to read.
    locate: () => {
      if (!receiver.store && !activeBackend.backend) return undefined;
      const current = index.current;
      if (!current) index.start();
      return current && ((span) => locateSpan(span, current));
    },
    onDidChangeLocate: index.onDidChange,
    activeBackend,
    log,
  });
  // Language model tools and the MCP server for agents: the same sources, code locations and latency figures a person sees.
  registerAgentTools(context, { activeBackend, receiver, locator, index, codeLens, log });
  const { version } = context.extension.packageJSON as { version?: string };
  const host = vscode.env.remoteName ? `remote: ${vscode.env.remoteName}` : 'local';
  log.info(`Trace Lens ${version ?? '?'} activated in VS Code ${vscode.version} (${host})`);
}

/** Waits for the receiver to close and its store's snapshot to be written. */
export function deactivate(): Promise<void> | undefined {
  return backends?.shutdown();
}
