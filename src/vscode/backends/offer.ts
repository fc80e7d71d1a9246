/**
 * A message with buttons whose answer the command does not wait for: commands finish when their work is
 * done, and a notification left unanswered (or a caller awaiting `executeCommand`) never holds them open.
 */
import * as vscode from 'vscode';

export type Severity = 'info' | 'warning' | 'error';

/** Shows `message` with one button per action, in order; runs the chosen one. */
export function offer(severity: Severity, message: string, actions: Record<string, () => unknown> = {}): void {
  const show =
    severity === 'error'
      ? vscode.window.showErrorMessage
      : severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  void show(message, ...Object.keys(actions)).then((choice) => (choice === undefined ? undefined : actions[choice]?.()));
}
