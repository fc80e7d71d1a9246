/**
 * Offers trace-lens-mcp to MCP clients inside the editor through `vscode.lm.registerMcpServerDefinitionProvider`
 * where the editor has it (finalised in VS Code 1.101; a proposal before, which throws for extensions that did not
 * enable it): feature-detected, so older editors simply get no definition. Registered through the activation
 * shell's ShellRegistrations, which made the registration VS Code sees.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ShellRegistrations } from '../activation/shellRegistrations';
import { Settings } from '../contributions';
import type { ActiveBackendService } from '../backends/activeBackendService';
import type { ReceiverController } from '../receiver/receiverController';
import { mcpServerArgs } from './mcpServerArgs';

/** The id under `contributes.mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = 'traceLens.mcpServer';

type McpStdioServerDefinition = new (
  label: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  version?: string,
) => unknown;

export function registerMcpServerProvider(
  context: vscode.ExtensionContext,
  deps: { activeBackend: ActiveBackendService; receiver: ReceiverController; log: vscode.LogOutputChannel },
  lm: ShellRegistrations,
): boolean {
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioServerDefinition }).McpStdioServerDefinition;
  if (typeof Definition !== 'function') return false;
  const changed = new vscode.EventEmitter<void>();
  const script = path.join(context.extensionPath, 'dist', 'mcp.js');
  const { version } = context.extension.packageJSON as { version?: string };
  try {
    context.subscriptions.push(
      changed,
      deps.activeBackend.onDidChange(() => changed.fire()),
      deps.receiver.onDidChange(() => changed.fire()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
      lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: changed.event,
        provideMcpServerDefinitions: () => {
          const info = deps.activeBackend.info;
          const active = info && info.type !== 'local' ? deps.activeBackend.find(info.name) : undefined;
          const queryApi = vscode.workspace.getConfiguration().get<boolean>(Settings.receiverJaegerQueryApi) === true;
          const args = mcpServerArgs({
            folders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
            ...(queryApi && deps.receiver.url ? { receiverQueryApi: deps.receiver.url } : {}),
            ...(active ? { active } : {}),
          });
          // the extension host's executable runs scripts as Node with ELECTRON_RUN_AS_NODE (it is Node itself in code-server)
          return [new Definition('Trace Lens', process.execPath, [script, ...args], { ELECTRON_RUN_AS_NODE: '1' }, version)];
        },
      }),
    );
    return true;
  } catch (e) {
    deps.log.info(`MCP server definition not offered: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
