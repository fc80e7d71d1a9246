/**
 * The hover of an inline hint (past the end of a line spans start at) or of a line with lenses: for each location
 * shown there, its figures, distribution, recent errors and where the mapping came from.
 */
import * as vscode from 'vscode';
import { hoverMarkdown } from '../../core/stats/hoverMarkdown';
import type { LocationTraces } from '../../core/stats/latencyStats';
import { lensesForFile, summariesOnLine } from '../../core/stats/lensesForFile';
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
    let shown: LocationSummary[] = pastEnd ? summariesOnLine(summaries, line) : [];
    if (shown.length === 0) {
      // on a declaration that carries lenses
      const ids = new Set(
        lensesForFile(summaries, view.symbols(), { format: view.lensFormat, lineCount: document.lineCount })
          .filter((l) => l.line === line && l.placedBy === 'symbol')
          .map((l) => l.id),
      );
      shown = summaries.filter((s) => ids.has(s.id));
    }
    if (shown.length === 0) return undefined;
    const nowUs = Date.now() * 1000;
    const sections = shown.map((summary) =>
      hoverMarkdown(summary, this.source.tracesAt(summary.id), {
        nowUs,
        windowMinutes: view.settings.windowMinutes,
        windowEndUs: this.source.windowEndUs(),
        tracesLink: commandLink(CodeLensCommands.showLocationTraces, [summary.id]),
      }),
    );
    const md = new vscode.MarkdownString(sections.join('\n\n---\n\n'));
    md.isTrusted = { enabledCommands: [CodeLensCommands.showLocationTraces] };
    return new vscode.Hover(md);
  }
}

/**
 * A `command:` link target. The arguments hold trace data: besides what encodeURIComponent encodes, parentheses
 * (which could end the Markdown link early) and the other characters it leaves are encoded too.
 */
export function commandLink(command: string, args: readonly unknown[]): string {
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `command:${command}?${encoded}`;
}
