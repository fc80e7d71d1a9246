import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Selectors, workbench } from './workbench';

const EXTENSION_ID = 'trace-lens.trace-lens';

interface Manifest {
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
}

describe('Trace Lens extension', () => {
  const extension = vscode.extensions.getExtension<unknown>(EXTENSION_ID);

  it('activates by itself once VS Code has started', async () => {
    assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
    const deadline = Date.now() + 15_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(extension.isActive, 'not active 15 s after startup (activationEvents: onStartupFinished)');
  });

  it('registers every command that package.json declares, and declares every command it registers', async () => {
    const { commands, views } = (extension?.packageJSON as Manifest).contributes;
    const declared = commands.map((c) => c.command).sort();
    // VS Code itself registers `<view id>.focus`, `.open`, ... for every contributed view.
    const viewCommandPrefixes = Object.values(views).flatMap((list) => list.map((view) => `${view.id}.`));
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('traceLens.') && !viewCommandPrefixes.some((prefix) => id.startsWith(prefix)))
      .sort();
    assert.deepEqual(registered, declared);
  });

  it('writes its log to the "Trace Lens" output channel, which Show Log opens', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('traceLens.showLog');
    // The panel follows the end of the log, so the activation line may have scrolled away: any of our lines will do.
    const ours = /\[info\] (Trace Lens \S+ activated|Active backend|Workspace index|Receiver|Imported)/;
    await workbench.waitForTexts(Selectors.outputView, (texts) => texts.some((t) => ours.test(t)), {
      what: 'the Trace Lens log',
    });
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
