/**
 * Inline hints: the p95 of the code started on a line, after its end, coloured by the latency thresholds through
 * the theme colours `traceLens.latency.fast/slow/critical`.
 */
import * as vscode from 'vscode';
import { hintsForFile, type HintLevel } from '../../core/stats/lensesForFile';
import { LatencyColors } from './codeLensSettings';
import type { LensSource } from './lensSource';

export class LatencyHints implements vscode.Disposable {
  private readonly types: Record<HintLevel, vscode.TextEditorDecorationType>;

  constructor(private readonly source: LensSource) {
    const type = (color: string): vscode.TextEditorDecorationType =>
      vscode.window.createTextEditorDecorationType({
        after: { color: new vscode.ThemeColor(color), margin: '0 0 0 2em', fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
    this.types = { fast: type(LatencyColors.fast), slow: type(LatencyColors.slow), critical: type(LatencyColors.critical) };
  }

  /** Redraws the hints of `editor` from the statistics (clears them when there are none or hints are off). */
  update(editor: vscode.TextEditor): void {
    const byLevel: Record<HintLevel, vscode.DecorationOptions[]> = { fast: [], slow: [], critical: [] };
    const view = this.source.viewOf(editor.document);
    if (view && view.settings.enabled && view.settings.hintsEnabled) {
      const hints = hintsForFile(view.summaries(), {
        format: view.hintFormat,
        lineCount: editor.document.lineCount,
        slowUs: view.settings.slowMs * 1000,
        criticalUs: view.settings.criticalMs * 1000,
      });
      for (const hint of hints) {
        const end = editor.document.lineAt(hint.line - 1).range.end;
        byLevel[hint.level].push({
          range: new vscode.Range(end, end),
          renderOptions: { after: { contentText: hint.text } },
        });
      }
    }
    for (const level of ['fast', 'slow', 'critical'] as const) editor.setDecorations(this.types[level], byLevel[level]);
  }

  dispose(): void {
    for (const t of Object.values(this.types)) t.dispose();
  }
}
