/**
 * The agent tools as VS Code language model tools (`contributes.languageModelTools`): each runs the core tool over
 * the window's trace sources and answers its text, or fails with the UI's message. prepareInvocation says what a
 * call will read, naming the remote backend when the call reaches one.
 */
import * as vscode from 'vscode';
import { runAgentTool } from '../../core/agentTools/runAgentTool';
import { TOOL_NAMES, vscodeToolName, type ToolName } from '../../core/agentTools/toolDefinitions';
import type { ShellRegistrations } from '../activation/shellRegistrations';
import { registerMcpServerProvider } from './mcpServerProvider';
import { vscodeAgentContext, type AgentDependencies } from './vscodeAgentContext';

/** `lm`: where the tools are registered (the activation shell forwards its own registrations to them). */
export function registerAgentTools(
  context: vscode.ExtensionContext,
  deps: AgentDependencies & { log: vscode.LogOutputChannel },
  lm: ShellRegistrations,
): void {
  registerMcpServerProvider(context, deps, lm);
  for (const name of TOOL_NAMES) {
    context.subscriptions.push(
      lm.registerTool<Record<string, unknown>>(vscodeToolName(name), {
        invoke: async (options, token) => {
          const abort = new AbortController();
          const cancel = token.onCancellationRequested(() => abort.abort());
          try {
            const outcome = await runAgentTool(vscodeAgentContext(deps), name, options.input, abort.signal);
            if (outcome.isError) throw new Error(outcome.text);
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.text)]);
          } finally {
            cancel.dispose();
          }
        },
        prepareInvocation: (options) => ({ invocationMessage: invocationMessage(deps, name, options.input ?? {}) }),
      }),
    );
  }
}

/** What the call is about to read, in the chat's progress line: `Searching traces in Jaeger at https://… (remote)`. */
export function invocationMessage(deps: AgentDependencies, name: ToolName, input: Record<string, unknown>): string {
  const sourceName = typeof input.source === 'string' ? input.source : undefined;
  const info = deps.activeBackend.info;
  const setting = sourceName !== undefined ? deps.activeBackend.find(sourceName) : undefined;
  const remote = setting
    ? (setting.url ?? setting.type)
    : sourceName === undefined && info && info.type !== 'local'
      ? (info.url ?? info.name)
      : undefined;
  const where = remote !== undefined ? ` from ${remote} (remote backend)` : sourceName !== undefined ? ` from ${sourceName}` : '';
  switch (name) {
    case 'search_traces':
      return `Searching traces${where}${typeof input.query === 'string' && input.query !== '' ? `: ${input.query}` : ''}`;
    case 'get_trace':
      return `Reading trace ${String(input.traceId)}${where}`;
    case 'locate_span':
      return `Locating the code of span ${String(input.spanId)}${where}`;
    case 'list_services':
      return `Listing traced services${where}`;
    case 'code_latency':
      return `Reading the latency of ${String(input.file)}${info && info.type !== 'local' ? ` (figures sampled from ${info.url ?? info.name})` : ''}`;
  }
}
