/**
 * Activation as VS Code reports it (Developer: Show Running Extensions) and the code it loads: only the activation
 * shell, dist/extension.js, until Trace Lens is first used. With TRACE_LENS_ACTIVATION_FIGURES=<file> the figures
 * are written there as JSON for `npm run bench` (the extension group); no test here judges a time.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Selectors, workbench } from './workbench';

const EXTENSION_ID = 'trace-lens.trace-lens';

describe('Trace Lens activation', () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  /** the extension's bundles that Node has loaded, relative to the extension folder */
  const loadedBundles = (): string[] => {
    const dist = path.join(extension?.extensionPath ?? '', 'dist') + path.sep;
    return Object.keys(require.cache)
      .filter((file) => file.startsWith(dist))
      .map((file) =>
        path
          .relative(extension?.extensionPath ?? '', file)
          .split(path.sep)
          .join('/'),
      )
      .sort();
  };

  it('loads only the activation shell until Trace Lens is used, and its time shows in Running Extensions', async function () {
    assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
    await extension.activate();
    const atActivation = loadedBundles();
    assert.deepEqual(atActivation, ['dist/extension.js'], 'activation loaded more than the activation shell');

    workbench.require(this);
    const row = (name: string): string => `.runtime-extensions-editor .monaco-list-row[aria-label="${name}"] .activation-time`;
    await workbench.show('workbench.action.showRuntimeExtensions', row('trace-lens'));
    const activationMs = async (name: string): Promise<number> => {
      const [text = ''] = await workbench.texts(row(name));
      return Number(/Activation: (\d+(?:\.\d+)?)\s*ms/.exec(text)?.[1]);
    };
    const activateMs = await activationMs('trace-lens');
    assert.ok(Number.isFinite(activateMs), 'no activation time for Trace Lens in Running Extensions');
    // a small built-in extension activated on the same event, at the same moment: the bench's baseline
    const baselineMs = await activationMs('merge-conflict');
    await workbench.screenshot('running-extensions');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const sizeKb = (files: string[]): number =>
      files.reduce((sum, file) => sum + fs.statSync(path.join(extension.extensionPath, file)).size, 0) / 1024;
    const out = process.env.TRACE_LENS_ACTIVATION_FIGURES;
    if (out) {
      const figures = {
        activate_ms: activateMs,
        merge_conflict_ms: baselineMs,
        bundle_kb: sizeKb(atActivation),
        main_kb: sizeKb(['dist/main.js']),
      };
      fs.writeFileSync(out, JSON.stringify(figures));
    }
  });

  it('loads the rest on the first command, which then runs as asked', async function () {
    await vscode.commands.executeCommand('traceLens.showLog');
    assert.ok(loadedBundles().includes('dist/main.js'), 'the main bundle did not load for the command');
    workbench.require(this);
    // Show Log ran (the stub handed it to the real command): the log is open, and says what loaded it and when
    await workbench.waitForTexts(Selectors.outputView, (texts) => texts.some((t) => /\[info\] Loaded in \d+ ms/.test(t)), {
      what: 'the Trace Lens log saying the main bundle loaded',
    });
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
