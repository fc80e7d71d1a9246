/**
 * Settings that can send data or credentials somewhere (backend URLs and headers, the receiver's interface
 * and CORS origins, the proxy) read so that an untrusted workspace cannot set them: there only the user's
 * own value (or the default) counts. package.json also lists them under
 * `capabilities.untrustedWorkspaces.restrictedConfigurations`; this is the same rule, applied by us.
 */
import * as vscode from 'vscode';

/** `key` is a full setting key, e.g. `traceLens.receiver.host`. */
export function trustedSetting<T>(key: string, fallback: T): T {
  const dot = key.lastIndexOf('.');
  const config = vscode.workspace.getConfiguration(key.slice(0, dot));
  const name = key.slice(dot + 1);
  if (vscode.workspace.isTrusted) return config.get<T>(name, fallback);
  const inspected = config.inspect<T>(name);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** The scope where `key` is set now, so that an update lands where the value in effect comes from. */
export function settingTarget(key: string): vscode.ConfigurationTarget {
  const dot = key.lastIndexOf('.');
  const inspected = vscode.workspace.getConfiguration(key.slice(0, dot)).inspect(key.slice(dot + 1));
  if (vscode.workspace.isTrusted && inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

/** Writes `value` where `key` is set now (user settings when it is set nowhere). */
export function updateSetting(key: string, value: unknown): Thenable<void> {
  const dot = key.lastIndexOf('.');
  return vscode.workspace.getConfiguration(key.slice(0, dot)).update(key.slice(dot + 1), value, settingTarget(key));
}
