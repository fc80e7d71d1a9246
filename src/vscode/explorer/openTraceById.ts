/**
 * "Trace Lens: Open Trace by ID…": a trace id (16/32 hex, base64, traceparent) or a pasted Jaeger, Zipkin
 * or Grafana trace link → the trace, fetched from the active backend with cancellable progress (or taken
 * from the imported traces), opened in the waterfall. The input box says inline what is wrong with a value.
 */
import * as vscode from 'vscode';
import { withNetworkProgress } from '../backends/networkProgress';
import { parseTraceRef } from '../../core/search/traceRef';
import type { Trace } from '../../core/model/types';
import type { ActiveBackend } from '../backends/activeBackend';
import type { TraceTreeModel } from '../tree/traceTreeModel';
import { isCancellation, logFailure, NO_BACKEND_REMEDIES, showBackendError, showFailure } from './failureActions';
import { openWaterfall } from './traceActions';
import { noBackendMessage } from './noBackend';

export interface OpenByIdDependencies {
  active: ActiveBackend;
  model: TraceTreeModel;
  log: vscode.LogOutputChannel;
}

/** `input` skips the input box (callers and tests); other argument types are ignored. */
export async function openTraceById(deps: OpenByIdDependencies, input?: unknown): Promise<void> {
  const text = typeof input === 'string' ? input : await askForTraceRef();
  if (text === undefined) return;
  const ref = parseTraceRef(text);
  if ('error' in ref) {
    void vscode.window.showErrorMessage(ref.error);
    return;
  }
  if (ref.backend && deps.active.info && ref.backend !== deps.active.info.type) {
    deps.log.info(`That is a ${ref.backend} link; looking trace ${ref.traceId} up in ${deps.active.info.name}`);
  }
  const window = ref.startUs !== undefined || ref.endUs !== undefined ? { startUs: ref.startUs, endUs: ref.endUs } : undefined;
  await openTrace(deps, ref.traceId, window);
}

/** Opens a trace by id: an imported or recently fetched copy at once, else fetched from the active backend. */
export async function openTrace(
  deps: OpenByIdDependencies,
  traceId: string,
  window?: { startUs?: number; endUs?: number },
): Promise<void> {
  const trace = await loadTrace(deps, traceId, window);
  if (trace) await openWaterfall(trace);
}

/**
 * A trace by id: an imported or recently fetched copy, else fetched from the active backend with cancellable
 * progress. undefined when cancelled or failed; a failure is shown with Retry, which opens the trace.
 */
export async function loadTrace(
  deps: OpenByIdDependencies,
  traceId: string,
  window?: { startUs?: number; endUs?: number },
): Promise<Trace | undefined> {
  const known = deps.model.knownTrace(traceId);
  if (known) return known;
  const trace = await fetchTrace(deps, traceId, window);
  if (trace) deps.model.rememberFetched(trace);
  return trace;
}

async function askForTraceRef(): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Open Trace by ID'),
    prompt: vscode.l10n.t(
      'A trace id (16 or 32 hex digits, or base64), a traceparent, or a Jaeger, Zipkin or Grafana trace link',
    ),
    placeHolder: '4bf92f3577b34da6a3ce929d0e0e4736',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return undefined;
      const ref = parseTraceRef(value);
      return 'error' in ref ? ref.error : undefined;
    },
  });
  return value === undefined || value.trim() === '' ? undefined : value;
}

async function fetchTrace(
  deps: OpenByIdDependencies,
  traceId: string,
  window: { startUs?: number; endUs?: number } | undefined,
): Promise<Trace | undefined> {
  const { backend, info } = deps.active;
  if (!backend || !info) {
    void showBackendError(noBackendMessage(`open trace ${traceId}`), undefined, NO_BACKEND_REMEDIES);
    return undefined;
  }
  const attempt = async (): Promise<Trace | undefined> => {
    const outcome = await withNetworkProgress(
      `Opening trace ${traceId} from ${info.name}`,
      async (token): Promise<Trace | { failed: unknown } | undefined> => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          return await backend.getTrace(traceId, window, { signal: controller.signal });
        } catch (e) {
          return isCancellation(e) || token.isCancellationRequested ? undefined : { failed: e };
        } finally {
          subscription.dispose();
        }
      },
    );
    if (outcome === undefined || !('failed' in outcome)) return outcome;
    // Shown once the progress notification is gone.
    logFailure(deps.log, `Could not open trace ${traceId} from ${info.name}`, outcome.failed);
    void showFailure(outcome.failed, async () => {
      const trace = await attempt();
      if (trace) {
        deps.model.rememberFetched(trace);
        await openWaterfall(trace);
      }
    });
    return undefined;
  };
  return attempt();
}
