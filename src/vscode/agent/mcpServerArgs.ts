/**
 * The command line of the trace-lens-mcp server the extension offers to MCP clients in the editor: the workspace
 * folders, the local receiver through its Jaeger query API (when that is on), and the active remote backend when it
 * needs no credentials — secrets stay in the editor and are never put on a command line or in an environment.
 * No vscode import: unit-tested as it is.
 */
import type { BackendSetting } from '../../core/backends/backendSettings';

export interface McpServerInputs {
  /** absolute paths of the workspace folders */
  folders: readonly string[];
  /** the receiver's URL while it runs with its Jaeger query API on */
  receiverQueryApi?: string;
  /** the active remote backend's settings */
  active?: Pick<BackendSetting, 'type' | 'url' | 'auth' | 'tenant'>;
}

export function mcpServerArgs(inputs: McpServerInputs): string[] {
  const args: string[] = [];
  const active = inputs.active;
  const activeUsable = active !== undefined && active.auth.kind === 'none' && active.tenant === undefined;
  // the first source given is the server's active one: the window's active backend first
  if (activeUsable) args.push('--backend', `${active.type}=${active.url}`);
  if (inputs.receiverQueryApi !== undefined) args.push('--backend', `jaeger=${inputs.receiverQueryApi}`);
  for (const folder of inputs.folders) args.push('--workspace', folder);
  return args;
}
