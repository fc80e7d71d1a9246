/**
 * When the main bundle is needed without a command: in a workspace that uses Trace Lens (a backend or the local
 * receiver selected, backends configured, the receiver set to auto-start) it loads right after activation, for
 * the receiver must listen and the status bar, Traces view and CodeLens show that source; otherwise when such a
 * setting appears, or when a trace file editor or a waterfall panel opens (VS Code holds their webviews until
 * the main bundle registers their providers). Reads only settings, workspace state and tabs.
 */
import * as vscode from 'vscode';
import { Settings } from '../contributions';

/** workspaceState key of the chosen backend (ActiveBackendService's SELECTION_KEY) */
const SELECTION_KEY = 'traceLens.activeBackend';
/** the custom editor and the webview panel of package.json / the waterfall */
const VIEW_TYPES = ['traceLens.traceFile', 'traceLens.waterfall'];

/** Why the main bundle is needed now, or undefined. */
export function startupReason(context: vscode.ExtensionContext): string | undefined {
  const selection = context.workspaceState.get<{ kind?: string }>(SELECTION_KEY);
  if (selection?.kind === 'local' || selection?.kind === 'remote') return `${selection.kind} backend selected`;
  const config = vscode.workspace.getConfiguration();
  if (config.get<boolean>(Settings.receiverAutoStart) === true) return 'receiver set to auto-start';
  if (selection?.kind !== 'none' && (config.get<unknown[]>(Settings.backends) ?? []).length > 0) return 'backends configured';
  if (vscode.window.tabGroups.all.some((group) => group.tabs.some(isOurs))) return 'trace editor open';
  return undefined;
}

/** Calls `load(reason)` once the first of the triggers above happens later in the session. */
export function watchStartupTriggers(load: (reason: string) => void): vscode.Disposable {
  const disposables = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.backends) || e.affectsConfiguration(Settings.receiverAutoStart)) {
        load('trace settings changed');
      }
    }),
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      if ([...e.opened, ...e.changed].some(isOurs)) load('trace editor opened');
    }),
  ];
  return vscode.Disposable.from(...disposables);
}

function isOurs(tab: vscode.Tab): boolean {
  const input = tab.input;
  if (input instanceof vscode.TabInputCustom) return VIEW_TYPES.includes(input.viewType);
  // webview panels' tabs carry the view type with a prefix (`mainThreadWebview-traceLens.waterfall`)
  if (input instanceof vscode.TabInputWebview) return VIEW_TYPES.some((type) => input.viewType.endsWith(type));
  return false;
}
