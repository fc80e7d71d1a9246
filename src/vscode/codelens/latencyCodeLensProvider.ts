/**
 * Latency lenses above functions. Reads only what the controller keeps ready — the statistics' cached summaries
 * and the document's symbols — and never waits for anything: no network, no symbol provider.
 */
import * as vscode from 'vscode';
import { lensesForFile } from '../../core/stats/lensesForFile';
import { CodeLensCommands } from './codeLensSettings';
import type { LensSource } from './lensSource';

export class LatencyCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly source: LensSource) {}

  /** Asks VS Code to provide again; the controller throttles the calls. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const view = this.source.viewOf(document);
    if (!view || !view.settings.enabled) return [];
    const summaries = view.summaries();
    if (summaries.length === 0) return [];
    const lenses = lensesForFile(summaries, view.symbols(), { format: view.lensFormat, lineCount: document.lineCount });
    return lenses.map((lens) => {
      const line = lens.line - 1;
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: lens.title,
        tooltip: vscode.l10n.t('Trace Lens: latency of this code in recent traces. Click for the slowest and failing traces.'),
        command: CodeLensCommands.showLocationTraces,
        arguments: [lens.id],
      });
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
