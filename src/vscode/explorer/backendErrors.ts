/**
 * Failures as the explorer shows them: the backend's own message (which already says what to check), with
 * the buttons that fix it — Retry, Select Backend…, Open Settings — instead of the message's text hint.
 */
import * as vscode from 'vscode';
import { BackendNotFoundError, SELECT_BACKEND_HINT, isBackendError } from '../../core/backends/backendErrors';
import { TraceFormatError } from '../../core/formats/errors';
import type { RowCommand } from '../tree/traceTreeModel';
import { OtherCommands } from './otherCommands';

/** The message without the "(Trace Lens: Select Backend…)" hint, which a button replaces. */
export function describeError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(` ${SELECT_BACKEND_HINT}`, '').replace(SELECT_BACKEND_HINT, '').trim();
}

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

/**
 * Whether a setting could fix the failure: not for a trace the backend simply does not have (another backend may,
 * or the id is wrong), nor for a query the backend refused.
 */
export function settingsCanFix(e: unknown): boolean {
  if (e instanceof BackendNotFoundError) return e.what !== 'trace';
  return !(isBackendError(e) && (e.kind === 'invalidQuery' || e.kind === 'cancelled'));
}

/**
 * An error notification with Retry (when `retry` is given), Select Backend… and, unless `error` is one no setting
 * fixes (settingsCanFix), Open Settings. Not awaited by callers that must not wait for the user; the chosen button
 * runs here.
 */
export async function showBackendError(message: string, retry?: () => unknown, error?: unknown): Promise<void> {
  const settings = error === undefined || settingsCanFix(error);
  const buttons = [...(retry ? ['Retry'] : []), SELECT_BACKEND.title, ...(settings ? [OPEN_SETTINGS.title] : [])];
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === 'Retry') await retry?.();
  else if (choice === SELECT_BACKEND.title) await vscode.commands.executeCommand(SELECT_BACKEND.id);
  else if (choice === OPEN_SETTINGS.title) await vscode.commands.executeCommand(OPEN_SETTINGS.id, ...(OPEN_SETTINGS.args ?? []));
}
