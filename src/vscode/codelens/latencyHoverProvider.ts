/**
 * The hover of an inline hint (past the end of a line spans start at) or of a function with a lens: figures,
 * distribution, recent errors and where the mapping came from.
 */
import * as vscode from 'vscode';
import { hoverMarkdown } from '../../core/stats/hoverMarkdown';
import type { LocationTraces } from '../../core/stats/latencyStats';
import { lensesForFile } from '../../core/stats/lensesForFile';
import type { LocationSummary } from '../../core/stats/locationSummary';
import { CodeLensCommands } from './codeLensSettings';
import type { LensSource } from './lensSource';

export interface HoverSource extends LensSource {
  tracesAt(id: string): LocationTraces;
  /** epoch µs where the statistics' window ends */
  windowEndUs(): number;
}

export class LatencyHoverProvider implements vscode.HoverProvider {
  constructor(private readonly source: HoverSource) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const view = this.source.viewOf(document);
    if (!view || !view.settings.enabled) return undefined;
    const line = position.line + 1;
    const text = document.lineAt(position.line).text;
    const pastEnd = position.character >= text.trimEnd().length;
    const summaries = view.summaries();
    let summary: LocationSummary | undefined;
    if (pastEnd) summary = summaries.find((s) => s.lines.includes(line));
    if (!summary) {
      // on a declaration line that carries a lens
      const lens = lensesForFile(summaries, view.symbols(), { format: view.lensFormat, lineCount: document.lineCount }).find(
        (l) => l.line === line && l.placedBy === 'symbol',
      );
      summary = lens ? summaries.find((s) => s.id === lens.id) : undefined;
    }
    if (!summary) return undefined;
    const link = `command:${CodeLensCommands.showLocationTraces}?${encodeURIComponent(JSON.stringify([summary.id]))}`;
    const md = new vscode.MarkdownString(
      hoverMarkdown(summary, this.source.tracesAt(summary.id), {
        nowUs: Date.now() * 1000,
        windowMinutes: view.settings.windowMinutes,
        windowEndUs: this.source.windowEndUs(),
        tracesLink: link,
      }),
    );
    md.isTrusted = { enabledCommands: [CodeLensCommands.showLocationTraces] };
    return new vscode.Hover(md);
  }
}
