/**
 * The Get Started walkthrough (contributes.walkthroughs) as a person opens it from Help: Welcome: its five steps,
 * each with the command it runs and its picture.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workbench } from './workbench';

const WALKTHROUGH = 'trace-lens.trace-lens#traceLens.gettingStarted';
const STEPS = ['Start the local receiver', 'Add a backend', 'Open a trace', 'Jump to code', 'See a CodeLens'];

describe('Get Started walkthrough', () => {
  it('opens with its five steps, the first showing its command buttons and picture', async function () {
    workbench.require(this);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    const texts = await workbench.waitForTexts(
      '.gettingStartedContainer .getting-started-step .step-title',
      (found) => STEPS.every((step) => found.some((t) => t.includes(step))),
      { what: 'the five steps of the Trace Lens walkthrough' },
    );
    assert.equal(texts.filter((t) => STEPS.some((step) => t.includes(step))).length, STEPS.length);
    const buttons = await workbench.waitForTexts(
      '.gettingStartedContainer .getting-started-step.expanded .monaco-button',
      (found) => found.some((t) => t.includes('Use Local Receiver')),
      { what: "the first step's Use Local Receiver button" },
    );
    assert.ok(buttons.some((t) => t.includes('Copy OTLP Endpoint')));
    const pictures = await workbench.html('.gettingStartedContainer .getting-started-media img');
    assert.ok(
      pictures.some((img) => img.includes('receiver.png')),
      'the first step shows no picture',
    );
    await workbench.screenshot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
