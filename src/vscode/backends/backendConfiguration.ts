/**
 * Reads what the backends need from VS Code: the merged `traceLens.backends` (workspace entries only in a
 * trusted workspace), the HTTP options (VS Code's proxy settings, the response size cap, the log), and the
 * secrets and CA files that turn an entry into a BackendConfig.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BackendConfigError, settingsRemedies } from '../../core/backends/backendErrors';
import {
  backendTypeLabel,
  decodeSecret,
  encodeSecret,
  mergeBackendScopes,
  proxyOptions,
  resolveBackendConfig,
  type BackendSetting,
  type BackendSettings,
  type HttpSettings,
  type StoredSecret,
} from '../../core/backends/backendSettings';
import type { BackendConfig } from '../../core/backends/createBackend';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../core/backends/http/httpClient';
import { Settings } from '../contributions';
import { trustedSetting } from './trustedSetting';

const MB = 1024 * 1024;

export function readBackendSettings(): BackendSettings {
  const inspected = vscode.workspace.getConfiguration().inspect<unknown>(Settings.backends);
  return mergeBackendScopes(
    { user: inspected?.globalValue, workspace: inspected?.workspaceValue, folder: inspected?.workspaceFolderValue },
    vscode.workspace.isTrusted,
  );
}

/** Proxy from `http.proxy`/`http.proxyStrictSSL`/`http.noProxy` (or the environment), the size cap, and the log. */
export function httpSettings(log: vscode.LogOutputChannel): HttpSettings {
  const maxMb = trustedSetting<unknown>(Settings.maxResponseSizeMB, DEFAULT_MAX_RESPONSE_BYTES / MB);
  return {
    ...proxyOptions({
      proxy: stringOr(trustedSetting<unknown>('http.proxy', ''), ''),
      strictSSL: trustedSetting<unknown>('http.proxyStrictSSL', true) !== false,
      noProxy: stringsOf(trustedSetting<unknown>('http.noProxy', [])),
      proxySupport: stringOr(trustedSetting<unknown>('http.proxySupport', 'override'), 'override'),
      env: process.env,
    }),
    maxResponseBytes: typeof maxMb === 'number' && Number.isFinite(maxMb) && maxMb > 0 ? maxMb * MB : DEFAULT_MAX_RESPONSE_BYTES,
    log: (line) => log.debug(line),
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export class BackendSecrets {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(setting: BackendSetting): Promise<StoredSecret | undefined> {
    if (setting.auth.kind === 'none') return undefined;
    return decodeSecret(await this.secrets.get(setting.auth.secretKey));
  }

  store(setting: BackendSetting, secret: StoredSecret): Thenable<void> {
    return this.secrets.store(setting.auth.secretKey, encodeSecret(secret));
  }

  delete(key: string): Thenable<void> {
    return this.secrets.delete(key);
  }

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.secrets.onDidChange;
  }
}

/** The BackendConfig for `setting`: its secret from the secret store, its CA file read. Throws BackendConfigError. */
export async function backendConfigFor(
  setting: BackendSetting,
  secrets: BackendSecrets,
  http: HttpSettings,
  override?: { secret?: StoredSecret },
): Promise<BackendConfig> {
  const secret = override?.secret ?? (await secrets.get(setting));
  let ca: string | undefined;
  if (setting.caFile) {
    const file = setting.caFile.replace(/^~(?=$|[\\/])/, os.homedir());
    try {
      ca = await fs.readFile(path.resolve(file), 'utf8');
    } catch (e) {
      throw new BackendConfigError(
        `The CA file of "${setting.name}" (${setting.caFile}) cannot be read: ${(e as Error).message}`,
        { backend: backendTypeLabel(setting.type), url: setting.url, remedies: settingsRemedies('checkSettings') },
      );
    }
  }
  return resolveBackendConfig(setting, { ...(secret ? { secret } : {}), ...(ca !== undefined ? { ca } : {}), http });
}
