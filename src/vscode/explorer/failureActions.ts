/**
 * Failures as the explorer shows them: the error's own message (which already says what to check), with the
 * remedies the core gave it (backendErrors.ts, `Remedy`) as buttons — Retry, Select Backend…, Open Settings.
 */
import * as vscode from 'vscode';
import { isBackendError, remediesOf, settingsCanFix, type Remedy } from '../../core/backends/backendErrors';
import { describeError } from '../../core/describeError';
import { TraceFormatError } from '../../core/formats/errors';
import type { RowCommand } from '../tree/traceTreeModel';
import { OtherCommands } from './otherCommands';

export function isCancellation(e: unknown): boolean {
  return (isBackendError(e) && e.kind === 'cancelled') || (e instanceof Error && e.name === 'AbortError');
}

/** Logs a failure with its detail (stack for bugs, not for the expected kinds). */
export function logFailure(log: vscode.LogOutputChannel, what: string, e: unknown): void {
  log.error(`${what}: ${describeError(e)}`);
  if (!isBackendError(e) && !(e instanceof TraceFormatError) && e instanceof Error && e.stack) log.debug(e.stack);
}

export const SELECT_BACKEND: RowCommand = { id: OtherCommands.selectBackend, title: vscode.l10n.t('Select Backend…') };
export const OPEN_SETTINGS: RowCommand = {
  id: 'workbench.action.openSettings',
  title: vscode.l10n.t('Open Settings'),
  args: ['@ext:trace-lens.trace-lens'],
};

/** What to offer when no backend is active: another backend, or the settings that configure one. */
export const NO_BACKEND_REMEDIES: readonly Remedy[] = ['selectBackend', 'checkSettings'];

/**
 * An error notification with the failure's remedies as buttons: Retry (when `retry` is given), Select Backend…,
 * and Open Settings where a setting can fix it (the URL, the credentials or another setting). Not awaited by
 * callers that must not wait for the user; the chosen button runs here.
 */
export async function showBackendError(
  message: string,
  retry: (() => unknown) | undefined,
  remedies: readonly Remedy[],
): Promise<void> {
  const buttons = [
    ...(retry && remedies.includes('retry') ? ['Retry'] : []),
    ...(remedies.includes('selectBackend') ? [SELECT_BACKEND.title] : []),
    ...(settingsCanFix(remedies) ? [OPEN_SETTINGS.title] : []),
  ];
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === 'Retry') await retry?.();
  else if (choice === SELECT_BACKEND.title) await vscode.commands.executeCommand(SELECT_BACKEND.id);
  else if (choice === OPEN_SETTINGS.title) await vscode.commands.executeCommand(OPEN_SETTINGS.id, ...(OPEN_SETTINGS.args ?? []));
}

/** showBackendError for a failure: its message and its remedies. */
export function showFailure(e: unknown, retry?: () => unknown): Promise<void> {
  return showBackendError(describeError(e), retry, remediesOf(e));
}
