/**
 * Read-only Markdown documents for "why is this span (not) mapped" reports, under their own URI scheme.
 * One URI per span, so that asking again refreshes the report already open instead of adding a tab.
 */
import * as vscode from 'vscode';

export const EXPLANATION_SCHEME = 'trace-lens-explanation';
/** reports kept for documents that are still open; the oldest goes first */
const MAX_REPORTS = 32;

export class ExplanationDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly reports = new Map<string, string>();

  /** Stores the report of one span and returns its URI. */
  put(traceId: string, spanId: string, spanName: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: EXPLANATION_SCHEME,
      path: `/${traceId}/${spanId}/${fileName(spanName)} · code location.md`,
    });
    const key = uri.toString();
    const before = this.reports.get(key);
    this.reports.delete(key);
    this.reports.set(key, markdown);
    while (this.reports.size > MAX_REPORTS) this.reports.delete(this.reports.keys().next().value!);
    if (before !== undefined && before !== markdown) this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.reports.get(uri.toString()) ?? '# Report no longer available\n\nRun **Explain Code Location** on the span again.\n'
    );
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A span name as a file name: no separators or control characters, not too long. */
function fileName(name: string): string {
  const safe = name.replace(/[\\/:*?"<>|#%\p{Cc}]+/gu, ' ').trim();
  return (safe === '' ? 'span' : safe).slice(0, 60);
}
