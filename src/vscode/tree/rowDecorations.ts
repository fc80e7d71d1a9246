/**
 * The red error badge on trace and span rows. Tree rows take a badge only through a file decoration, so a
 * failing row carries a `trace-lens-row:` URI that names it and its error count; this provider reads that
 * back. No files are involved.
 */
import * as vscode from 'vscode';

const SCHEME = 'trace-lens-row';

/** `count` error spans; the badge shows it, "9+" beyond nine (a badge holds two characters). */
export function rowDecorationUri(rowId: string, count: number): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${encodeURIComponent(rowId)}`, query: `errors=${count}` });
}

export class RowDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== SCHEME) return undefined;
    const count = Number(/(?:^|&)errors=(\d+)/.exec(uri.query)?.[1] ?? 0);
    if (!(count > 0)) return undefined;
    return new vscode.FileDecoration(
      count > 9 ? '9+' : String(count),
      count === 1 ? '1 span failed' : `${count} spans failed`,
      new vscode.ThemeColor('list.errorForeground'),
    );
  }
}

export function registerRowDecorations(): vscode.Disposable {
  return vscode.window.registerFileDecorationProvider(new RowDecorations());
}
