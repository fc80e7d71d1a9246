/**
 * Every command package.json contributes, registered at activation as a stub that loads the main bundle and
 * runs the real command it registered. The stubs are disposed just before the bundle loads, so that its own
 * registrations take the ids over.
 */
import * as vscode from 'vscode';
import type { LazyMain } from './lazyMain';

export function registerCommandStubs(context: vscode.ExtensionContext, main: LazyMain): void {
  const { contributes } = context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
  const stubs = (contributes?.commands ?? []).map(({ command }) =>
    vscode.commands.registerCommand(command, (...args: unknown[]) => {
      main.load(`command ${command}`);
      return vscode.commands.executeCommand(command, ...args);
    }),
  );
  main.onBeforeLoad(() => {
    for (const stub of stubs) stub.dispose();
  });
}
