/**
 * The VS Code theme as the canvases need it: colours and fonts read once from the CSS variables VS Code
 * sets on the page, and again when the theme changes (VS Code swaps the body's classes).
 */

export interface Theme {
  kind: 'dark' | 'light' | 'high-contrast';
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  selection: string;
  selectionInactive: string;
  hover: string;
  focusBorder: string;
  match: string;
  currentMatch: string;
  error: string;
  critical: string;
  minimapShade: string;
  minimapWindow: string;
  font: string;
  fontFamily: string;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const cls = document.body.classList;
  const kind =
    cls.contains('vscode-high-contrast') || cls.contains('vscode-high-contrast-light')
      ? 'high-contrast'
      : cls.contains('vscode-light')
        ? 'light'
        : 'dark';
  const dark = kind !== 'light';
  const fontFamily = v('--vscode-font-family', 'system-ui, sans-serif');
  return {
    kind,
    background: v('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    foreground: v('--vscode-foreground', dark ? '#cccccc' : '#3b3b3b'),
    muted: v('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    grid: v('--vscode-editorIndentGuide-background1', v('--vscode-editorIndentGuide-background', dark ? '#404040' : '#d3d3d3')),
    selection: v('--vscode-list-activeSelectionBackground', dark ? '#04395e' : '#0060c0'),
    selectionInactive: v('--vscode-list-inactiveSelectionBackground', dark ? '#37373d' : '#e4e6f1'),
    hover: v('--vscode-list-hoverBackground', dark ? '#2a2d2e' : '#f0f0f0'),
    focusBorder: v('--vscode-focusBorder', '#0078d4'),
    match: v('--vscode-editor-findMatchHighlightBackground', dark ? 'rgba(234,92,0,0.33)' : 'rgba(234,92,0,0.25)'),
    currentMatch: v('--vscode-editor-findMatchBackground', dark ? '#9e6a03' : '#a8ac94'),
    error: v('--vscode-errorForeground', dark ? '#f85149' : '#e51400'),
    critical: dark ? 'rgba(0,0,0,0.72)' : 'rgba(0,0,0,0.62)',
    minimapShade: dark ? 'rgba(0,0,0,0.45)' : 'rgba(255,255,255,0.6)',
    minimapWindow: v('--vscode-focusBorder', '#0078d4'),
    font: `11px ${fontFamily}`,
    fontFamily,
  };
}

/** Calls `onChange` when VS Code switches theme. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind'],
  });
}
