/**
 * The registrations VS Code needs at activation that the main bundle implements, as a port: the activation shell
 * registers forwarding language model tools, MCP provider and custom editor provider at activation (VS Code looks
 * them up without activating anyone again) and hands the main bundle this port, through which the real
 * implementations arrive once it has loaded.
 */
import type * as vscode from 'vscode';

/** The MCP definition provider's shape (VS Code 1.101 API, absent from the @types/vscode this builds against). */
export interface McpDefinitionProvider {
  onDidChangeMcpServerDefinitions: vscode.Event<void>;
  provideMcpServerDefinitions(): unknown[];
}

export interface ShellRegistrations {
  registerTool<T>(name: string, tool: vscode.LanguageModelTool<T>): vscode.Disposable;
  registerMcpServerDefinitionProvider(id: string, provider: McpDefinitionProvider): vscode.Disposable;
  registerCustomEditorProvider(viewType: string, provider: vscode.CustomReadonlyEditorProvider): vscode.Disposable;
}
