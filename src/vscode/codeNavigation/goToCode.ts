/**
 * `traceLens.goToCode` and `traceLens.explainSpan`: from a span to the line that produced it, and a report
 * of why it maps where it does (or does not map). Both take `{ trace, spanIndex }` (see spanTarget.ts).
 * Messages are shown without being awaited, so that the commands return once the editor is where it goes.
 */
import * as vscode from 'vscode';
import type { CodeMatch } from '../../core/codeLocation/evidence';
import type { Span } from '../../core/model/types';
import { Commands } from '../contributions';
import type { WorkspaceIndexController } from '../workspace/workspaceIndexController';
import type { CodeLocator } from './codeLocator';
import { explanationMarkdown } from './explanationReport';
import type { ExplanationDocuments } from './explanationDocuments';
import type { LineHighlighter } from './lineHighlight';
import { clearWinner, matchLocation, matchPickParts, revisionNote } from './matchText';
import { readSpanTarget, spanOf, type SpanTarget } from './spanTarget';

export interface GoToCodeDependencies {
  locator: CodeLocator;
  index: WorkspaceIndexController;
  highlighter: LineHighlighter;
  documents: ExplanationDocuments;
  log: vscode.LogOutputChannel;
}

const NEEDS_SPAN = 'Trace Lens: pick a span first (in the Traces view or the waterfall); this command works on one span.';
/** milliseconds the status bar says where the editor went and why */
const STATUS_MS = 8000;

export async function goToCode(deps: GoToCodeDependencies, arg: unknown): Promise<void> {
  const target = readSpanTarget(arg);
  if (!target) return void vscode.window.showWarningMessage(NEEDS_SPAN);
  const span = spanOf(target);
  if (!vscode.workspace.workspaceFolders?.length) return offerOpenFolder(span);
  const matches = await deps.locator.locateInteractively(target.trace, target.spanIndex);
  if (matches === undefined) return; // the person cancelled indexing
  if (matches.length === 0) return offerExplanation(deps, target, span);
  const match = clearWinner(matches) ?? (await pickMatch(matches, span));
  if (match) await openMatch(deps, match, span);
}

/** Shows the report in the Markdown preview and returns its document's URI (undefined when there is none). */
export async function explainSpan(deps: GoToCodeDependencies, arg: unknown): Promise<vscode.Uri | undefined> {
  const target = readSpanTarget(arg);
  if (!target) return void vscode.window.showWarningMessage(NEEDS_SPAN);
  const span = spanOf(target);
  const folders = deps.index.files?.folders.map((f) => f.name) ?? (vscode.workspace.workspaceFolders ?? []).map((f) => f.name);
  let explanation = await deps.locator.explain(target.trace, target.spanIndex);
  if (!explanation) {
    if (folders.length > 0) return; // the person cancelled indexing
    explanation = { matches: [], steps: [] };
  }
  const stats = deps.index.current?.stats;
  const markdown = explanationMarkdown(span, explanation, stats ? { folders, stats } : { folders });
  const uri = deps.documents.put(span.traceId, span.spanId, span.name, markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch (e) {
    deps.log.warn(`Markdown preview unavailable (${e instanceof Error ? e.message : String(e)}); showing the report as text`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  }
  return uri;
}

function offerExplanation(deps: GoToCodeDependencies, target: SpanTarget, span: Span): void {
  void vscode.window
    .showInformationMessage(vscode.l10n.t('No source location for span "{0}".', span.name), 'Why?')
    .then((choice) => {
      if (choice === 'Why?') return vscode.commands.executeCommand(Commands.explainSpan, target);
    });
  deps.log.info(`Go to Code: nothing credible maps span "${span.name}" (${span.spanId}) into the workspace`);
}

function offerOpenFolder(span: Span): void {
  const open = 'Open Folder…';
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Open the folder with the source of service "{0}" to go to the code of span "{1}".', span.service, span.name),
      open,
    )
    .then((choice) => {
      if (choice === open) return vscode.commands.executeCommand('workbench.action.files.openFolder');
    });
}

interface MatchItem extends vscode.QuickPickItem {
  match: CodeMatch;
}

async function pickMatch(matches: readonly CodeMatch[], span: Span): Promise<CodeMatch | undefined> {
  const items: MatchItem[] = matches.map((match) => {
    const { label, description, detail } = matchPickParts(match);
    return { label: `$(file-code) ${label}`, description, detail, match };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Code of span "{0}"', span.name),
    placeHolder: vscode.l10n.t('{0} places could have produced this span; the likeliest is first', matches.length),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.match;
}

async function openMatch(deps: GoToCodeDependencies, match: CodeMatch, span: Span): Promise<void> {
  const files = deps.index.files;
  const uri = files?.uriOf(match.file);
  if (!files || !uri)
    return void vscode.window.showErrorMessage(vscode.l10n.t('Trace Lens: {0} is not a path in this workspace.', match.file));
  const outside = await files.outsidePath(uri);
  if (outside !== undefined) {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} leads outside the workspace folders, to {1}. Open it anyway?', match.file, outside),
      { modal: true, detail: `Span "${span.name}": ${match.reason}` },
      'Open',
    );
    if (choice !== 'Open') return;
  }
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(uri);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    deps.log.error(`Go to Code: could not open ${uri.toString()}: ${reason}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not open {0}: {1}', match.file, reason), 'Show Log').then((c) => {
      if (c === 'Show Log') deps.log.show();
    });
    return;
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: true, viewColumn: besideWebview() });
  if (match.line !== undefined) {
    // CodeMatch lines are 1-based, VS Code's 0-based; a line past the end (the file shrank) is the last
    const line = Math.min(Math.max(match.line, 1), doc.lineCount) - 1;
    const text = doc.lineAt(line);
    const start = new vscode.Position(line, text.firstNonWhitespaceCharacterIndex);
    // the line selected with the cursor at its start, so that a long line is shown from its start, not its end
    editor.selection = new vscode.Selection(text.range.end, start);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
    deps.highlighter.flash(editor, line);
  }
  vscode.window.setStatusBarMessage(`$(go-to-file) ${match.reason}`, STATUS_MS);
  deps.log.info(`Go to Code: span "${span.name}" → ${matchLocation(match)} (${match.reason})`);
  const note = revisionNote(match);
  if (note?.warn) void vscode.window.showWarningMessage(vscode.l10n.t('Span "{0}" was {1}.', span.name, note.text));
}

/** Beside the waterfall when it is the active tab, so that it stays in view; else the active group. */
function besideWebview(): vscode.ViewColumn | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  return tab?.input instanceof vscode.TabInputWebview ? vscode.ViewColumn.Beside : undefined;
}
