/**
 * Wires the trace sources into VS Code: the receiver, the active backend, the status bar item and their
 * commands. Returns the ActiveBackend the explorer reads from. Nothing here touches the network or a port
 * during activation: the receiver starts afterwards, and only when it was in use or asked to auto-start.
 */
import * as vscode from 'vscode';
import { Commands, Settings } from '../contributions';
import {
  clearLocalTraces,
  copyOtlpEndpoint,
  RECEIVER_RUNNING_CONTEXT,
  showStartProblem,
  startInteractively,
  startReceiverCommand,
  stopReceiverCommand,
  useLocalReceiver,
} from '../receiver/receiverCommands';
import { ReceiverController } from '../receiver/receiverController';
import { BackendStatusBar } from '../statusBar';
import { addBackend } from './addBackend';
import { ActiveBackendService } from './activeBackendService';
import { removeBackend, selectBackend, testBackend } from './backendCommands';
import { trustedSetting } from './trustedSetting';

export interface Backends {
  activeBackend: ActiveBackendService;
  receiver: ReceiverController;
  /** stops the receiver and writes its store's snapshot; for `deactivate` */
  shutdown(): Promise<void>;
}

export function registerBackends(context: vscode.ExtensionContext, { log }: { log: vscode.LogOutputChannel }): Backends {
  // The receiver reports a failed restart through the commands' messages, which need the service: set once built.
  let reportRestartFailure: (result: Parameters<typeof showStartProblem>[1]) => void = () => undefined;
  const receiver = new ReceiverController({
    storageUri: context.storageUri,
    log,
    onRestartFailed: (r) => reportRestartFailure(r),
  });
  const activeBackend = new ActiveBackendService(context, receiver, log);
  const deps = { receiver, service: activeBackend, log };
  reportRestartFailure = (result) => showStartProblem(deps, result);

  const handlers: Record<BackendCommandId, (...args: unknown[]) => unknown> = {
    [Commands.addBackend]: (arg) => addBackend(activeBackend, log, arg),
    [Commands.selectBackend]: (arg) => selectBackend(deps, arg),
    [Commands.testBackend]: (arg) => testBackend(deps, arg),
    [Commands.removeBackend]: (arg) => removeBackend(deps, arg),
    [Commands.useLocalReceiver]: () => useLocalReceiver(deps),
    [Commands.startReceiver]: () => startReceiverCommand(deps),
    [Commands.stopReceiver]: () => stopReceiverCommand(deps),
    [Commands.copyOtlpEndpoint]: () => copyOtlpEndpoint(deps),
    [Commands.clearLocalTraces]: () => clearLocalTraces(deps),
  };
  const setRunning = (): Thenable<unknown> =>
    vscode.commands.executeCommand('setContext', RECEIVER_RUNNING_CONTEXT, receiver.running);
  context.subscriptions.push(
    receiver,
    activeBackend,
    new BackendStatusBar(activeBackend, receiver),
    receiver.onDidChange(() => void setRunning()),
    ...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  );

  // After activation: settings, then the receiver when this workspace was using it (or it should always run).
  setTimeout(() => {
    void (async () => {
      await activeBackend.initialize();
      const remembered = activeBackend.selection?.kind === 'local';
      if (remembered || trustedSetting(Settings.receiverAutoStart, false)) await startInteractively(deps);
    })().catch((e: unknown) => log.error('Starting the trace backends failed', e));
  }, 0);

  return { activeBackend, receiver, shutdown: () => receiver.shutdown() };
}

/** The commands registered here; the handler table must have one for each. */
type BackendCommandId = (typeof Commands)[
  | 'addBackend'
  | 'selectBackend'
  | 'testBackend'
  | 'removeBackend'
  | 'useLocalReceiver'
  | 'startReceiver'
  | 'stopReceiver'
  | 'copyOtlpEndpoint'
  | 'clearLocalTraces'];
