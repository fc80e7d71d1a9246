/**
 * Draws the eye to the line Go to Code landed on: a strong whole-line highlight that steps down to a faint
 * one and is gone after about 1.5 s (decorations cannot animate, so the fade is two steps).
 */
import * as vscode from 'vscode';

/** milliseconds of each step: strong, then faint */
const STEPS_MS = [1000, 500] as const;

export class LineHighlighter implements vscode.Disposable {
  private readonly strong = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  private readonly faint = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  });
  private timers: ReturnType<typeof setTimeout>[] = [];
  private shown: vscode.TextEditor | undefined;

  /** Highlights `line` (0-based) of `editor`, replacing any highlight still fading. */
  flash(editor: vscode.TextEditor, line: number): void {
    this.clear();
    const range = [new vscode.Range(line, 0, line, 0)];
    this.shown = editor;
    editor.setDecorations(this.strong, range);
    this.timers.push(
      setTimeout(() => {
        editor.setDecorations(this.strong, []);
        editor.setDecorations(this.faint, range);
      }, STEPS_MS[0]),
      setTimeout(() => this.clear(), STEPS_MS[0] + STEPS_MS[1]),
    );
  }

  dispose(): void {
    this.clear();
    this.strong.dispose();
    this.faint.dispose();
  }

  private clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.shown?.setDecorations(this.strong, []);
    this.shown?.setDecorations(this.faint, []);
    this.shown = undefined;
  }
}
