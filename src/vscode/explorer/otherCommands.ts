/**
 * Commands the explorer runs but other adapters own and register (backends, waterfall, code navigation),
 * read from one place; see also `isRegistered`.
 */
import * as vscode from 'vscode';
import { Commands } from '../contributions';

export const OtherCommands = {
  selectBackend: Commands.selectBackend,
  /** src/vscode/waterfall: (trace: Trace | string, options?: { focusSpanId?: string }) */
  openWaterfall: 'traceLens.openWaterfall',
  goToCode: Commands.goToCode,
} as const;

/** Whether a command is registered now: another adapter's command may be missing from a build or not yet registered. */
export async function isRegistered(command: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(command);
}
