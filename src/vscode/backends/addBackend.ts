/**
 * "Trace Lens: Add Backend…": type → URL → name → (Tempo: tenant) → authentication → secret → a test
 * connection → saved to user settings, the secret to the secret store, and made active. Every step given
 * in the command's argument is skipped, so that scripts and tests can add a backend without prompts.
 */
import * as vscode from 'vscode';
import { BackendCancelledError } from '../../core/backends/backendErrors';
import {
  authHeaders,
  backendTypeLabel,
  checkBackendUrl,
  defaultSecretKey,
  normalizeBackendUrl,
  originOf,
  REMOTE_BACKEND_TYPES,
  toSettingValue,
  upsertSettingValue,
  type AuthKind,
  type BackendSetting,
  type RemoteBackendType,
  type StoredSecret,
} from '../../core/backends/backendSettings';
import { DEFAULT_BACKEND_URLS } from '../../core/backends/createBackend';
import { Settings } from '../contributions';
import type { ActiveBackendService } from './activeBackendService';
import { withNetworkProgress } from './networkProgress';
import { offer } from './offer';
import { isObject } from '../../core/formats/json';

/** The steps to skip; any step not given is asked for. */
export interface AddBackendArgs {
  type?: RemoteBackendType;
  url?: string;
  name?: string;
  /** Tempo only; when `AddBackendArgs` are given and this is not, no tenant */
  tenant?: string;
  auth?: AuthKind;
  /** bearer: the token; basic: "user:password"; headers: "Name: value" lines or a JSON object */
  secret?: string;
  /** false: save without the test connection */
  test?: boolean;
}

const TITLE = 'Add Trace Backend';
const STEPS = 5;

const TYPE_ITEMS: readonly (vscode.QuickPickItem & { type: RemoteBackendType })[] = [
  { type: 'jaeger', label: 'Jaeger', description: `query service, ${DEFAULT_BACKEND_URLS.jaeger}` },
  { type: 'tempo', label: 'Grafana Tempo', description: DEFAULT_BACKEND_URLS.tempo },
  { type: 'zipkin', label: 'Zipkin', description: DEFAULT_BACKEND_URLS.zipkin },
];

const AUTH_ITEMS: readonly (vscode.QuickPickItem & { auth: AuthKind })[] = [
  { auth: 'none', label: 'None', description: 'the backend is open, or reached through a port-forward' },
  { auth: 'bearer', label: 'Bearer token', description: 'Authorization: Bearer …' },
  { auth: 'basic', label: 'User name and password', description: 'Authorization: Basic …' },
  { auth: 'headers', label: 'Custom headers', description: 'e.g. X-API-Key: …' },
];

/** Returns the saved backend's name, or undefined when the user stopped. */
export async function addBackend(
  service: ActiveBackendService,
  log: vscode.LogOutputChannel,
  arg?: unknown,
): Promise<string | undefined> {
  const args: AddBackendArgs | undefined = isObject(arg) ? (arg as AddBackendArgs) : undefined;

  const type = args?.type ?? (await pickType());
  if (!type || !REMOTE_BACKEND_TYPES.includes(type)) return undefined;
  const label = backendTypeLabel(type);

  const rawUrl =
    args?.url ??
    (await vscode.window.showInputBox({
      title: `${TITLE} (2/${STEPS})`,
      prompt: vscode.l10n.t('The {0} URL (its query API)', label),
      value: DEFAULT_BACKEND_URLS[type],
      ignoreFocusOut: true,
      validateInput: checkBackendUrl,
    }));
  if (rawUrl === undefined) return undefined;
  const urlProblem = checkBackendUrl(rawUrl);
  if (urlProblem) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot add the backend: {0}', urlProblem));
    return undefined;
  }
  const url = normalizeBackendUrl(rawUrl);

  const name = args?.name?.trim() || (await askName(service, label, url));
  if (!name) return undefined;
  const existing = service.find(name);

  let tenant: string | undefined = args?.tenant?.trim() || undefined;
  if (type === 'tempo' && !args) {
    const answer = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0}: tenant', TITLE),
      prompt: vscode.l10n.t('The tenant (X-Scope-OrgID) for a multi-tenant Tempo; leave empty for a single-tenant one'),
      value: existing?.tenant ?? '',
      ignoreFocusOut: true,
    });
    if (answer === undefined) return undefined;
    tenant = answer.trim() || undefined;
  }

  const auth = args?.auth ?? (await pickAuth());
  if (!auth) return undefined;

  let secret: StoredSecret | undefined;
  if (auth !== 'none') {
    const value = args?.secret ?? (await askSecret(auth, name));
    if (value === undefined) return undefined;
    try {
      authHeaders(auth, value);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot add "{0}": {1}', name, (e as Error).message));
      return undefined;
    }
    secret = { kind: auth, origin: originOf(url) ?? url, value };
  }

  const setting: BackendSetting = {
    name,
    type,
    url,
    ...(existing?.uiUrl ? { uiUrl: existing.uiUrl } : {}),
    ...(tenant ? { tenant } : {}),
    headers: existing?.headers ?? {},
    auth: { kind: auth, secretKey: existing?.auth.secretKey ?? defaultSecretKey(name) },
    ...(existing?.jaegerApi ? { jaegerApi: existing.jaegerApi } : {}),
    ...(existing?.caFile ? { caFile: existing.caFile } : {}),
    allowUntrustedCertificates: existing?.allowUntrustedCertificates ?? false,
    scope: existing?.scope === 'workspace' ? 'workspace' : 'user',
  };

  let summary = `${label} at ${url}`;
  if (args?.test !== false) {
    const tested = await testConnection(service, setting, secret);
    if (tested.kind === 'cancelled') return undefined;
    if (tested.kind === 'failed' && args) {
      // Called with arguments (a script, or Enter Credentials…): nobody may be there to answer a question.
      offer('error', `"${name}" was not saved: ${tested.message}`);
      return undefined;
    }
    if (tested.kind === 'failed') {
      const choice = await vscode.window.showWarningMessage(`${tested.message}`, { modal: false }, 'Save Anyway');
      if (choice !== 'Save Anyway') return undefined;
    } else {
      summary += ` ✓ ${plural(tested.services, 'service')}`;
    }
  }

  // The secret first: a settings change rebuilds the backend, which then finds it.
  if (secret) await service.secrets.store(setting, secret);
  const target = setting.scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const config = vscode.workspace.getConfiguration();
  const inspected = config.inspect<unknown>(Settings.backends);
  const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  await config.update(Settings.backends, upsertSettingValue(current, toSettingValue(setting)), target);
  log.info(`Saved backend "${name}" (${label} at ${url}, auth: ${auth}) to ${setting.scope} settings`);
  await service.select({ kind: 'remote', name });
  offer('info', `${summary} — saved as "${name}" and now in use.`);
  return name;
}

type TestResult = { kind: 'ok'; services: number } | { kind: 'failed'; message: string } | { kind: 'cancelled' };

async function testConnection(
  service: ActiveBackendService,
  setting: BackendSetting,
  secret: StoredSecret | undefined,
): Promise<TestResult> {
  return withNetworkProgress(
    `Connecting to ${backendTypeLabel(setting.type)} at ${setting.url}…`,
    async (token): Promise<TestResult> => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      let backend;
      try {
        backend = await service.createFor(setting, secret ? { secret } : {});
        const services = await backend.listServices({ signal: controller.signal });
        return { kind: 'ok', services: services.length };
      } catch (e) {
        if (e instanceof BackendCancelledError || token.isCancellationRequested) return { kind: 'cancelled' };
        return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
      } finally {
        subscription.dispose();
        void backend?.dispose?.();
      }
    },
  );
}

async function pickType(): Promise<RemoteBackendType | undefined> {
  const item = await vscode.window.showQuickPick(TYPE_ITEMS, {
    title: `${TITLE} (1/${STEPS})`,
    placeHolder: vscode.l10n.t('Which kind of trace backend?'),
    ignoreFocusOut: true,
  });
  return item?.type;
}

async function askName(service: ActiveBackendService, label: string, url: string): Promise<string | undefined> {
  const taken = new Set(service.settings.backends.map((b) => b.name));
  let suggestion = label;
  if (taken.has(suggestion)) suggestion = `${label} (${new URL(url).host})`;
  const name = await vscode.window.showInputBox({
    title: `${TITLE} (3/${STEPS})`,
    prompt: vscode.l10n.t('A name for this backend, shown in the status bar and the backend picker'),
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (text.trim() === '') return 'Enter a name';
      if (taken.has(text.trim()))
        return {
          message: `Replaces the backend already named "${text.trim()}"`,
          severity: vscode.InputBoxValidationSeverity.Warning,
        };
      return undefined;
    },
  });
  return name?.trim() || undefined;
}

async function pickAuth(): Promise<AuthKind | undefined> {
  const item = await vscode.window.showQuickPick(AUTH_ITEMS, {
    title: `${TITLE} (4/${STEPS})`,
    placeHolder: vscode.l10n.t('How does the backend authenticate? Credentials go to the secret store, never to settings.'),
    ignoreFocusOut: true,
  });
  return item?.auth;
}

async function askSecret(kind: Exclude<AuthKind, 'none'>, name: string): Promise<string | undefined> {
  const box = (prompt: string, password: boolean, validate?: (text: string) => string | undefined) =>
    vscode.window.showInputBox({
      title: `${TITLE} (5/${STEPS})`,
      prompt,
      password,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() === '' ? 'Required' : validate?.(text)),
    });
  switch (kind) {
    case 'bearer':
      return box(`The token for "${name}" (kept in the secret store)`, true, (text) => check(() => authHeaders('bearer', text)));
    case 'basic': {
      const user = await box(`The user name for "${name}"`, false, (text) =>
        text.includes(':') ? 'A user name cannot contain ":"' : undefined,
      );
      if (user === undefined) return undefined;
      const password = await box(`The password of ${user.trim()} (kept in the secret store)`, true);
      return password === undefined ? undefined : `${user.trim()}:${password}`;
    }
    case 'headers':
      return box('Header to send, as Name: value (e.g. X-API-Key: abc123), or a JSON object of several', true, (text) =>
        check(() => authHeaders('headers', text)),
      );
  }
}

function check(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
