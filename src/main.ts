// Composition root: builds the core objects and hands them to the VS Code adapters. Nothing else lives here.
// Built to its own bundle (dist/main.js), which the activation shell (extension.ts) loads on first use.
import type * as vscode from 'vscode';
import { locateSpan } from './core/codeLocation/locateSpan';
import type { ShellRegistrations } from './vscode/activation/shellRegistrations';
import { registerAgentTools } from './vscode/agent/registerAgentTools';
import { registerBackends, type Backends } from './vscode/backends/registerBackends';
import { registerCodeLens } from './vscode/codelens/codeLensController';
import { registerCodeNavigation } from './vscode/codeNavigation/registerCodeNavigation';
import { registerExplorer } from './vscode/explorer/registerExplorer';
import { waterfallDependencies } from './vscode/waterfall/waterfallDependencies';
import { registerWaterfall } from './vscode/waterfall/waterfallPanel';

/** What the shell keeps of the main bundle once loaded. */
export interface Main {
  /** Waits for the receiver to close and its store's snapshot to be written. */
  shutdown(): Promise<void>;
}

/** Everything Trace Lens does, wired into `context`; `log` and `shell` come from the activation shell. */
export function start(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, shell: ShellRegistrations): Main {
  // The trace sources: named remote backends and the embedded receiver with its store.
  const backends: Backends = registerBackends(context, { log });
  const { activeBackend, receiver } = backends;
  // Span → code, with the exception log records the receiver correlated with each span.
  const { locator, index } = registerCodeNavigation(context, {
    log,
    exceptionsFor: (traceId, spanId) => receiver.store?.exceptionsFor(traceId, spanId) ?? [],
  });
  const explorer = registerExplorer(context, { activeBackend, log, shell });
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
  registerAgentTools(context, { activeBackend, receiver, locator, index, codeLens, log }, shell);
  return { shutdown: () => backends.shutdown() };
}
