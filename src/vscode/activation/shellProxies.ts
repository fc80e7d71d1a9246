/**
 * The language model tools, the MCP server definition provider and the trace file custom editor, registered at
 * activation as VS Code requires (it looks them up when a chat calls a tool or a file opens with the editor,
 * without activating anyone again). Each forwards to the implementation the main bundle registers through the
 * returned ShellRegistrations, loading the bundle first. Feature-detected: an editor without
 * `vscode.lm.registerTool` (or the 1.101 MCP API) gets none of those.
 */
import * as vscode from 'vscode';
import type { ShellRegistrations, McpDefinitionProvider } from './shellRegistrations';
import type { LazyMain } from './lazyMain';

interface McpApi {
  registerMcpServerDefinitionProvider(id: string, provider: McpDefinitionProvider): vscode.Disposable;
}

interface Contributions {
  contributes?: {
    languageModelTools?: { name: string }[];
    mcpServerDefinitionProviders?: { id: string }[];
    customEditors?: { viewType: string }[];
  };
}

export function shellProxies(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  main: () => LazyMain,
): ShellRegistrations {
  const tools = new Map<string, vscode.LanguageModelTool<unknown>>();
  const providers = new Map<string, McpDefinitionProvider>();
  const editors = new Map<string, vscode.CustomReadonlyEditorProvider>();
  const changed = new vscode.EventEmitter<void>();
  const { contributes } = context.extension.packageJSON as Contributions;
  const toolOf = (name: string): vscode.LanguageModelTool<unknown> => {
    main().load(`tool ${name}`);
    const tool = tools.get(name);
    if (!tool) throw new Error(`Trace Lens has no tool named ${name}`);
    return tool;
  };

  if (typeof vscode.lm?.registerTool === 'function') {
    for (const { name } of contributes?.languageModelTools ?? []) {
      context.subscriptions.push(
        vscode.lm.registerTool<unknown>(name, {
          invoke: (options, token) => toolOf(name).invoke(options, token),
          prepareInvocation: (options, token) => toolOf(name).prepareInvocation?.(options, token),
        }),
      );
    }
  }
  const lm = vscode.lm as unknown as Partial<McpApi> | undefined;
  if (typeof lm?.registerMcpServerDefinitionProvider === 'function') {
    for (const { id } of contributes?.mcpServerDefinitionProviders ?? []) {
      try {
        context.subscriptions.push(
          lm.registerMcpServerDefinitionProvider(id, {
            onDidChangeMcpServerDefinitions: changed.event,
            provideMcpServerDefinitions: () => {
              main().load(`MCP server definitions (${id})`);
              return providers.get(id)?.provideMcpServerDefinitions() ?? [];
            },
          }),
        );
      } catch (e) {
        // a proposal before VS Code 1.101, which throws for extensions that did not enable it
        log.info(`MCP server definition not offered: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  for (const { viewType } of contributes?.customEditors ?? []) {
    const editorOf = (): vscode.CustomReadonlyEditorProvider => {
      main().load(`editor ${viewType}`);
      const editor = editors.get(viewType);
      if (!editor) throw new Error(`Trace Lens has no editor ${viewType}`);
      return editor;
    };
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(
        viewType,
        {
          openCustomDocument: (uri, openContext, token) => editorOf().openCustomDocument(uri, openContext, token),
          resolveCustomEditor: (document, panel, token) => editorOf().resolveCustomEditor(document, panel, token),
        },
        { supportsMultipleEditorsPerDocument: true },
      ),
    );
  }
  context.subscriptions.push(changed);

  return {
    registerTool: (name, tool) => {
      tools.set(name, tool as vscode.LanguageModelTool<unknown>);
      return new vscode.Disposable(() => tools.delete(name));
    },
    registerCustomEditorProvider: (viewType, provider) => {
      editors.set(viewType, provider);
      return new vscode.Disposable(() => editors.delete(viewType));
    },
    registerMcpServerDefinitionProvider: (id, provider) => {
      providers.set(id, provider);
      const forwarding = provider.onDidChangeMcpServerDefinitions(() => changed.fire());
      changed.fire();
      return new vscode.Disposable(() => {
        forwarding.dispose();
        providers.delete(id);
      });
    },
  };
}
