/**
 * Progress for a network call: the status bar's spinner at once, and a cancellable notification only when
 * the call is still running after a moment. A notification that flashes for a backend answering in
 * milliseconds is noise (and VS Code then fails to toast the result message that follows it).
 */
import * as vscode from 'vscode';

/** How long a call runs before its progress becomes a cancellable notification, in ms. */
const NOTIFICATION_DELAY_MS = 800;

export async function withNetworkProgress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const cancellation = new vscode.CancellationTokenSource();
  const running = task(cancellation.token);
  let settled = false;
  const settle = (): void => {
    settled = true;
  };
  running.then(settle, settle);
  const timer = setTimeout(() => {
    if (settled) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => cancellation.cancel());
        return running.catch(() => undefined);
      },
    );
  }, NOTIFICATION_DELAY_MS);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => running);
  } finally {
    clearTimeout(timer);
    cancellation.dispose();
  }
}
