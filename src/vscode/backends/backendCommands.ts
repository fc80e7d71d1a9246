/** "Select Backend…", "Test Backend Connection" and "Remove Backend…". */
import * as vscode from 'vscode';
import { BackendCancelledError, remediesOf, settingsCanFix } from '../../core/backends/backendErrors';
import { backendTypeLabel, removeSettingValue, type BackendSetting } from '../../core/backends/backendSettings';
import { describeError } from '../../core/describeError';
import { Commands, Settings } from '../contributions';
import type { ReceiverController } from '../receiver/receiverController';
import { plural } from './addBackend';
import { withNetworkProgress } from './networkProgress';
import { offer } from './offer';
import { LOCAL_RECEIVER_NAME, type ActiveBackendService, type BackendHealth } from './activeBackendService';

export interface BackendCommandDependencies {
  service: ActiveBackendService;
  receiver: ReceiverController;
  log: vscode.LogOutputChannel;
}

const RETRY = 'Retry';
const SELECT = 'Select Backend…';
const OPEN_SETTINGS = 'Open Settings';
const ENTER_CREDENTIALS = 'Enter Credentials…';

type PickItem = vscode.QuickPickItem & { run?: () => Thenable<unknown> };

/** `arg`: a configured backend's name, "local", or "none" (disconnect) to skip the picker. */
export async function selectBackend(deps: BackendCommandDependencies, arg?: unknown): Promise<void> {
  const { service, receiver } = deps;
  if (typeof arg === 'string') return selectNamed(deps, arg);
  const active = service.info;
  const items: PickItem[] = service.settings.backends.map((b) => ({
    label: `${active?.name === b.name ? '$(check)' : '$(server)'} ${b.name}`,
    description: `${backendTypeLabel(b.type)} · ${b.url}${b.scope === 'user' ? '' : ' · workspace settings'}`,
    run: () => selectNamed(deps, b.name),
  }));
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    {
      label: `${active?.type === 'local' ? '$(check)' : '$(broadcast)'} ${LOCAL_RECEIVER_NAME}`,
      description: receiver.running
        ? `listening on ${receiver.url ?? ''}`
        : 'receives OTLP from your app on this machine; starts it',
      run: () => vscode.commands.executeCommand(Commands.useLocalReceiver),
    },
    {
      label: '$(add) Add Backend…',
      description: 'Jaeger, Tempo or Zipkin',
      run: () => vscode.commands.executeCommand(Commands.addBackend),
    },
  );
  if (active && !(active.type === 'local' && receiver.running)) {
    items.push({
      label: '$(debug-disconnect) Disconnect',
      description: 'show imported traces only',
      run: () => service.select({ kind: 'none' }),
    });
  }
  const { problems, ignoredUntrusted } = service.settings;
  if (problems.length > 0 || ignoredUntrusted > 0) {
    const what = [
      problems.length > 0 ? plural(problems.length, 'problem') + ' in traceLens.backends' : '',
      ignoredUntrusted > 0 ? `${plural(ignoredUntrusted, 'workspace backend')} ignored until the workspace is trusted` : '',
    ].filter((s) => s !== '');
    items.push({
      label: `$(warning) ${what.join('; ')}`,
      description: 'Show Log',
      run: () => vscode.commands.executeCommand(Commands.showLog),
    });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Select Trace Backend'),
    placeHolder: active ? `In use: ${active.name}` : 'Where should Trace Lens read traces from?',
  });
  await picked?.run?.();
}

async function selectNamed(deps: BackendCommandDependencies, name: string): Promise<void> {
  const { service } = deps;
  if (name === 'local') {
    await vscode.commands.executeCommand(Commands.useLocalReceiver);
    return;
  }
  if (name === 'none') {
    await service.select({ kind: 'none' });
    return;
  }
  // A settings change just made may not have reached the service yet.
  await service.refresh();
  if (!service.find(name)) {
    offer('error', `There is no backend named "${name}" in traceLens.backends.`, { [SELECT]: () => selectBackend(deps) });
    return;
  }
  await service.select({ kind: 'remote', name }, { checkHealth: false });
  const health = await withNetworkProgress(`Connecting to ${name}…`, (token) => service.checkHealth(token));
  reportHealth(deps, health, false);
}

/** `arg`: a configured backend's name; default the active backend. */
export async function testBackend(deps: BackendCommandDependencies, arg?: unknown): Promise<void> {
  const { service, receiver } = deps;
  await service.refresh();
  if (typeof arg === 'string' && arg !== service.info?.name) {
    const setting = service.find(arg);
    if (setting) await testOther(deps, setting);
    else offer('error', `There is no backend named "${arg}" in traceLens.backends.`);
    return;
  }
  const info = service.info;
  if (!info) {
    offer('warning', 'No trace backend is selected.', {
      [SELECT]: () => vscode.commands.executeCommand(Commands.selectBackend),
      'Use Local Receiver': () => vscode.commands.executeCommand(Commands.useLocalReceiver),
      'Add Backend…': () => vscode.commands.executeCommand(Commands.addBackend),
    });
  } else if (info.type === 'local') {
    if (receiver.running) {
      offer('info', `${LOCAL_RECEIVER_NAME} on ${receiver.url ?? ''} ✓ ${plural(receiver.store?.stats().traces ?? 0, 'trace')}`);
    } else {
      offer('warning', 'The local receiver is not running.', {
        'Start Receiver': () => vscode.commands.executeCommand(Commands.startReceiver),
      });
    }
  } else {
    const health = service.backend
      ? await withNetworkProgress(`Testing ${info.name}…`, (token) => service.checkHealth(token))
      : service.health;
    reportHealth(deps, health, true);
  }
}

/** Removes a configured backend (from the settings scope that holds it) and its stored credentials. */
export async function removeBackend({ service, log }: BackendCommandDependencies, arg?: unknown): Promise<void> {
  await service.refresh();
  let setting = typeof arg === 'string' ? service.find(arg) : undefined;
  if (!setting) {
    const picked = await vscode.window.showQuickPick(
      service.settings.backends.map((b) => ({
        label: b.name,
        description: `${backendTypeLabel(b.type)} · ${b.url}`,
        setting: b,
      })),
      {
        title: vscode.l10n.t('Remove Trace Backend'),
        placeHolder: service.settings.backends.length ? 'Which backend?' : 'No backends are configured',
      },
    );
    setting = picked?.setting;
  }
  if (!setting) return;
  if (typeof arg !== 'string') {
    const confirm = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}"?', setting.name),
      { modal: true, detail: `Its entry in ${setting.scope} settings and its stored credentials are deleted.` },
      'Remove',
    );
    if (confirm !== 'Remove') return;
  }
  const target = setting.scope === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
  const config = vscode.workspace.getConfiguration();
  const inspected = config.inspect<unknown>(Settings.backends);
  const current = target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue;
  const remaining = removeSettingValue(current, setting.name);
  await config.update(Settings.backends, remaining.length > 0 ? remaining : undefined, target);
  const key = setting.auth.secretKey;
  if (!service.settings.backends.some((b) => b !== setting && b.auth.secretKey === key)) await service.secrets.delete(key);
  // Removing the backend in use leaves none in use, rather than silently switching to another.
  if (service.info?.name === setting.name) await service.select({ kind: 'none' });
  log.info(`Removed backend "${setting.name}" from ${setting.scope} settings`);
  vscode.window.setStatusBarMessage(`$(trash) Removed backend "${setting.name}"`, 5000);
}

async function testOther(deps: BackendCommandDependencies, setting: BackendSetting): Promise<void> {
  const result = await withNetworkProgress(`Testing ${setting.name}…`, async (token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    let backend;
    try {
      backend = await deps.service.createFor(setting);
      return { ok: true as const, services: (await backend.listServices({ signal: controller.signal })).length };
    } catch (e) {
      return { ok: false as const, error: e };
    } finally {
      subscription.dispose();
      void backend?.dispose?.();
    }
  });
  if (result.ok) {
    offer('info', `${backendTypeLabel(setting.type)} at ${setting.url} ✓ ${plural(result.services, 'service')}`);
  } else if (!(result.error instanceof BackendCancelledError)) {
    showBackendError(setting, result.error, () => testBackend(deps, setting.name));
  }
}

/** The active backend's health: a success as a message (unless `loudSuccess`, in the status bar), a failure with actions. */
function reportHealth(deps: BackendCommandDependencies, health: BackendHealth, loudSuccess: boolean): void {
  const info = deps.service.info;
  if (!info) return;
  const setting = deps.service.find(info.name);
  if (health.status === 'ok') {
    const text = `${backendTypeLabel(info.type)} at ${info.url ?? ''} ✓ ${plural(health.services, 'service')}`;
    if (loudSuccess) offer('info', text);
    else vscode.window.setStatusBarMessage(`$(check) ${text}`, 5000);
  } else if (health.status === 'failed' && setting) {
    showBackendError(setting, health.error ?? new Error(health.message), () => testBackend(deps));
  }
}

/**
 * The typed error's message, with its remedies as buttons: Retry, Enter Credentials… (when the credentials are the
 * problem and the backend has some), Select Backend…, Open Settings (when a setting can fix it).
 */
function showBackendError(setting: BackendSetting, error: unknown, retry: () => Thenable<unknown>): void {
  const remedies = remediesOf(error);
  const credentials = setting.auth.kind !== 'none' && remedies.includes('addCredentials');
  const enterCredentials = () =>
    vscode.commands.executeCommand(Commands.addBackend, {
      type: setting.type,
      url: setting.url,
      name: setting.name,
      auth: setting.auth.kind,
      ...(setting.tenant ? { tenant: setting.tenant } : {}),
    });
  offer('error', describeError(error), {
    ...(remedies.includes('retry') ? { [RETRY]: retry } : {}),
    ...(credentials ? { [ENTER_CREDENTIALS]: enterCredentials } : {}),
    ...(remedies.includes('selectBackend') ? { [SELECT]: () => vscode.commands.executeCommand(Commands.selectBackend) } : {}),
    ...(settingsCanFix(remedies)
      ? { [OPEN_SETTINGS]: () => vscode.commands.executeCommand('workbench.action.openSettings', Settings.backends) }
      : {}),
  });
}
