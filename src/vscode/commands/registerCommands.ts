/** Binds every command declared in package.json to its handler; the Record type makes a missing one a compile error. */
import * as vscode from 'vscode';
import { Commands, type CommandId } from '../contributions';
import type { TracesTreeProvider } from '../tree/tracesTreeProvider';
import { importTraceFile, type ImportDependencies } from './importTraceFile';

export interface CommandDependencies extends ImportDependencies {
  tree: TracesTreeProvider;
}

export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [Commands.refresh]: () => deps.tree.refresh(),
    [Commands.showLog]: () => deps.log.show(),
    [Commands.importTraceFile]: (file) => importTraceFile(deps, file),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
