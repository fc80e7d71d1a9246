/**
 * The receiver's commands and messages: Use Local Receiver (start, make active, show the endpoint line
 * with Copy), Start/Stop, Copy OTLP Endpoint; a port in use offers the next free port in one click.
 */
import * as vscode from 'vscode';
import { isLoopbackHost } from '../../core/receiver/otlpReceiver';
import { Commands, Settings } from '../contributions';
import type { ActiveBackendService } from '../backends/activeBackendService';
import { offer } from '../backends/offer';
import { updateSetting } from '../backends/trustedSetting';
import type { FailedStart, ReceiverController } from './receiverController';

export interface ReceiverCommandDependencies {
  receiver: ReceiverController;
  service: ActiveBackendService;
  log: vscode.LogOutputChannel;
}

/** Context key for `enablement`/`when` clauses. */
export const RECEIVER_RUNNING_CONTEXT = 'traceLens.receiverRunning';

const COPY = 'Copy';
const OPEN_SETTINGS = 'Open Settings';

export async function useLocalReceiver(deps: ReceiverCommandDependencies): Promise<boolean> {
  const activate = async (): Promise<void> => {
    await deps.service.select({ kind: 'local' });
    // Not awaited: the command is done once the receiver runs, whether or not the message is answered.
    void showEndpoint(deps.receiver);
  };
  if (!(await startInteractively(deps, activate))) return false;
  await activate();
  return true;
}

export async function startReceiverCommand(deps: ReceiverCommandDependencies): Promise<boolean> {
  const announce = (): void =>
    void vscode.window.setStatusBarMessage(`$(broadcast) Trace Lens receiver listening on ${deps.receiver.url ?? ''}`, 5000);
  if (deps.receiver.running) return true;
  if (!(await startInteractively(deps, announce))) return false;
  announce();
  return true;
}

export async function stopReceiverCommand({ receiver }: ReceiverCommandDependencies): Promise<void> {
  if (!receiver.running) return;
  const url = receiver.url;
  await receiver.stop();
  vscode.window.setStatusBarMessage(`$(debug-disconnect) Trace Lens receiver on ${url ?? ''} stopped`, 5000);
}

/** Empties the local store (and, with persistence, its snapshot): a fresh start for the next run of an app. */
export async function clearLocalTraces({ receiver, log }: ReceiverCommandDependencies): Promise<void> {
  const store = receiver.store;
  if (!store) return;
  const { traces, spans } = store.stats();
  store.clear();
  await receiver.flush();
  log.info(`Cleared ${traces} traces (${spans} spans) from the local store`);
  vscode.window.setStatusBarMessage(`$(clear-all) Cleared ${traces} traces from the Trace Lens receiver`, 5000);
}

export async function copyOtlpEndpoint(deps: ReceiverCommandDependencies): Promise<void> {
  const line = deps.receiver.endpointLine;
  if (!line) {
    offer('warning', 'The Trace Lens receiver is not running.', { 'Use Local Receiver': () => useLocalReceiver(deps) });
    return;
  }
  await vscode.env.clipboard.writeText(line);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${line}`, 5000);
}

/**
 * Starts the receiver. True when it runs; otherwise says why, without waiting for the answer, and calls
 * `onStarted` if the user's choice (another port) gets it running.
 */
export async function startInteractively(deps: ReceiverCommandDependencies, onStarted?: () => unknown): Promise<boolean> {
  const result = await deps.receiver.start();
  if (result.kind === 'started') {
    if (!isLoopbackHost(result.receiver.host)) warnNotLoopback(result.receiver.host, result.receiver.port);
    return true;
  }
  showStartProblem(deps, result, onStarted);
  return false;
}

/** The message for a receiver that could not start, with the way out. */
export function showStartProblem(deps: ReceiverCommandDependencies, result: FailedStart, onStarted?: () => unknown): void {
  if (result.kind === 'failed') {
    offer('error', `The Trace Lens receiver could not start: ${result.message}`, {
      [OPEN_SETTINGS]: openReceiverSettings,
      'Show Log': () => deps.log.show(),
    });
    return;
  }
  const { port, suggestedPort } = result.error;
  const text =
    `Port ${port} is in use (another collector?), so the Trace Lens receiver could not start. ` +
    (suggestedPort !== undefined
      ? `Port ${suggestedPort} is free — or point Trace Lens at that collector's backend.`
      : "Choose another port, or point Trace Lens at that collector's backend.");
  const usePort = async (): Promise<void> => {
    if (suggestedPort === undefined) return;
    await updateSetting(Settings.receiverPort, suggestedPort);
    if (await startInteractively(deps, onStarted)) await onStarted?.();
  };
  offer('warning', text, {
    ...(suggestedPort !== undefined ? { [`Use ${suggestedPort}`]: usePort } : {}),
    'Select Backend…': () => vscode.commands.executeCommand(Commands.selectBackend),
    [OPEN_SETTINGS]: openReceiverSettings,
  });
}

async function showEndpoint(receiver: ReceiverController): Promise<void> {
  const line = receiver.endpointLine;
  if (!line) return;
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t("Trace Lens is receiving traces. Add this line to your app's environment: {0}", line),
    COPY,
  );
  if (choice === COPY) {
    await vscode.env.clipboard.writeText(line);
    vscode.window.setStatusBarMessage(`$(copy) Copied ${line}`, 5000);
  }
}

function warnNotLoopback(host: string, port: number): void {
  offer(
    'warning',
    `The Trace Lens receiver listens on ${host}:${port} (traceLens.receiver.host): other machines that can reach this one can send it traces.`,
    { 'Listen on 127.0.0.1 Only': () => updateSetting(Settings.receiverHost, '127.0.0.1') },
  );
}

function openReceiverSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', 'traceLens.receiver');
}
