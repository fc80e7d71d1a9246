/**
 * "Open With… → Trace Lens" for .json files: opening a file with it imports its traces into the Traces view
 * and opens the first one's waterfall; the editor itself says what was imported, with a link into the waterfall
 * of each trace, or why the file could not be read. A static page: no scripts (the links are command URIs that
 * only the waterfall command may use), nothing from the file but escaped text.
 */
import type * as vscode from 'vscode';
import type { Trace } from '../../core/model/types';
import type { ShellRegistrations } from '../activation/shellRegistrations';
import { addTraces, failureReason, fileName, readTraceFile, type ImportDependencies } from '../commands/importTraceFile';
import { plural } from '../tree/traceTreeModel';

export const TRACE_FILE_EDITOR = 'traceLens.traceFile';
/** The one command the page's links may run: opens a loaded trace's waterfall by its id. */
const OPEN_WATERFALL = 'traceLens.openWaterfall';

export class TraceFileEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly deps: ImportDependencies) {}

  /** through the activation shell, whose registration (several editors per document) VS Code sees */
  static register(deps: ImportDependencies, shell: ShellRegistrations): vscode.Disposable {
    return shell.registerCustomEditorProvider(TRACE_FILE_EDITOR, new TraceFileEditorProvider(deps));
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false, enableCommandUris: [OPEN_WATERFALL] };
    const name = fileName(document.uri);
    let traces: Trace[];
    try {
      traces = await readTraceFile(document.uri, this.deps.log);
    } catch (e) {
      const reason = failureReason(this.deps.log, document.uri, e);
      panel.webview.html = page(name, 'error', `Trace Lens could not read ${name}`, [reason]);
      return;
    }
    if (traces.length === 0) {
      panel.webview.html = page(name, 'error', `${name} holds no traces`, ['The file was read, but it has no spans.']);
      return;
    }
    const warnings = addTraces(this.deps, traces, document.uri);
    const lines: Line[] = [
      `${plural(traces.length, 'trace')} added to the Traces view${traces.length > 1 ? '; the first is open in the waterfall' : ''}.`,
      ...traces.slice(0, 20).map((t): Line => ({
        text: `${t.traceId} — ${plural(t.spans.length, 'span')}, ${t.services.join(', ')}`,
        link: { label: 'Open Waterfall', href: `command:${OPEN_WATERFALL}?${encodeURIComponent(JSON.stringify([t.traceId]))}` },
      })),
    ];
    if (traces.length > 20) lines.push(`… and ${traces.length - 20} more, in the Traces view`);
    if (warnings > 0) lines.push(`${plural(warnings, 'warning')} while reading — see Trace Lens: Show Log.`);
    panel.webview.html = page(name, 'ok', `Imported ${name}`, lines);
    await this.deps.openWaterfall(traces[0]!);
  }
}

/** A line of the page: text, with a link after it. */
type Line = string | { text: string; link: { label: string; href: string } };

function page(title: string, tone: 'ok' | 'error', heading: string, lines: readonly Line[]): string {
  const color = tone === 'error' ? 'var(--vscode-errorForeground)' : 'var(--vscode-foreground)';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 1.5em 2em; }
  h1 { font-size: 1.3em; font-weight: 600; color: ${color}; }
  p { margin: 0.4em 0; white-space: pre-wrap; word-break: break-word; }
  a { color: var(--vscode-textLink-foreground); }
</style></head>
<body><h1>${escapeHtml(heading)}</h1>${lines.map(lineHtml).join('')}</body></html>`;
}

function lineHtml(line: Line): string {
  if (typeof line === 'string') return `<p>${escapeHtml(line)}</p>`;
  return `<p>${escapeHtml(line.text)} · <a href="${escapeHtml(line.link.href)}">${escapeHtml(line.link.label)}</a></p>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
