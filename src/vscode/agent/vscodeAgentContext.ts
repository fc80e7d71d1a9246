/**
 * The agent tools' context in VS Code: the active backend first, then every configured backend by name and the
 * local receiver's store; code locations from the CodeLocator (the workspace index, git remapping, the receiver's
 * exception records); latency from the CodeLens controller, so that code_latency says what the lenses say.
 */
import * as vscode from 'vscode';
import type { AgentContext, AgentSource, CodePort, LatencyPort, SourceInfo } from '../../core/agentTools/agentContext';
import { backendLabel, remoteSource, storeSource } from '../../core/agentTools/sources';
import { ToolError } from '../../core/agentTools/toolErrors';
import { explainSpan } from '../../core/codeLocation/locateSpan';
import type { ActiveBackendService } from '../backends/activeBackendService';
import { LOCAL_RECEIVER_NAME } from '../backends/activeBackendService';
import type { CodeLocator } from '../codeNavigation/codeLocator';
import type { CodeLensController } from '../codelens/codeLensController';
import type { ReceiverController } from '../receiver/receiverController';
import type { WorkspaceIndexController } from '../workspace/workspaceIndexController';

/** Where a user of VS Code configures a trace source: the hint agents give when a setting can fix a failure. */
const SELECT_BACKEND = 'Trace Lens: Select Backend…';

export interface AgentDependencies {
  activeBackend: ActiveBackendService;
  receiver: ReceiverController;
  locator: CodeLocator;
  index: WorkspaceIndexController;
  codeLens: CodeLensController;
}

/** The context as things stand now (the active backend and the open folders change): made per call. */
export function vscodeAgentContext(deps: AgentDependencies): AgentContext {
  const ctx: AgentContext = {
    sources: () => listSources(deps),
    source: (name) => lease(deps, name),
    configureHint: SELECT_BACKEND,
    workspaceHint: 'open the folder of the code in VS Code',
  };
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length > 0) {
    ctx.code = codePort(deps, folders);
    ctx.latency = latencyPort(deps, folders);
  }
  return ctx;
}

function listSources({ activeBackend, receiver }: AgentDependencies): SourceInfo[] {
  const out: SourceInfo[] = [];
  const info = activeBackend.info;
  if (activeBackend.backend && info) {
    out.push({
      name: info.name,
      label: labelOf(info.type, info.url),
      kind: info.type === 'local' ? 'local' : 'remote',
      active: true,
    });
  }
  if (receiver.store && info?.type !== 'local') {
    out.push({ name: LOCAL_RECEIVER_NAME, label: localLabel(receiver), kind: 'local', active: false });
  }
  for (const b of activeBackend.settings.backends) {
    if (b.name !== info?.name) out.push({ name: b.name, label: labelOf(b.type, b.url), kind: 'remote', active: false });
  }
  return out;
}

async function lease(
  deps: AgentDependencies,
  name: string | undefined,
): Promise<{ source: AgentSource; release(): Promise<void> | void }> {
  const { activeBackend, receiver } = deps;
  const info = activeBackend.info;
  const active = activeBackend.backend;
  if (name === undefined || name === info?.name) {
    if (!active || !info) {
      throw new ToolError(
        'noSource',
        `No trace source is active in this window: choose one with (${SELECT_BACKEND}), or start the local receiver.`,
      );
    }
    const source =
      info.type === 'local' && receiver.store
        ? storeSource(info.name, localLabel(receiver), 'local', receiver.store)
        : remoteSource(info.name, labelOf(info.type, info.url), active);
    return { source, release: () => undefined };
  }
  if (name === LOCAL_RECEIVER_NAME) {
    if (!receiver.store) throw new ToolError('noSource', 'The local receiver is not running (Trace Lens: Start Local Receiver).');
    return { source: storeSource(name, localLabel(receiver), 'local', receiver.store), release: () => undefined };
  }
  const setting = activeBackend.find(name);
  if (!setting) {
    const names = listSources(deps).map((s) => JSON.stringify(s.name));
    throw new ToolError(
      'noSource',
      `No trace source is named ${JSON.stringify(name)}; the sources are ${names.join(', ') || 'none'}.`,
    );
  }
  const backend = await activeBackend.createFor(setting);
  return { source: remoteSource(name, backendLabel(backend), backend), release: () => backend.dispose?.() };
}

function codePort(deps: AgentDependencies, folders: readonly vscode.WorkspaceFolder[]): CodePort {
  return {
    label: `the workspace ${folders.map((f) => JSON.stringify(f.name)).join(', ')}`,
    locate: (trace, i) => deps.locator.locate(trace, i),
    explain: async (trace, i) => {
      // not interactive: an agent waits without a notification; the locator's matches carry its git remapping
      const index = await deps.index.index();
      const span = trace.spans[i];
      if (!index || !span) return undefined;
      const exceptions = deps.receiver.store?.exceptionsFor(span.traceId, span.spanId) ?? [];
      const explanation = explainSpan(span, index, exceptions.length > 0 ? { exceptions } : undefined);
      return { ...explanation, matches: await deps.locator.locate(trace, i) };
    },
  };
}

function latencyPort(deps: AgentDependencies, folders: readonly vscode.WorkspaceFolder[]): LatencyPort {
  const { codeLens, activeBackend } = deps;
  return {
    get label(): string {
      const info = activeBackend.info;
      return info && info.type !== 'local'
        ? `${labelOf(info.type, info.url)} (sampled traces, and its own metrics where it has them)`
        : "the local receiver's spans";
    },
    summariesIn: async (file) => {
      const uri = uriOf(folders, file);
      if (!uri) return undefined;
      const document = await vscode.workspace.openTextDocument(uri).then(
        (d) => d,
        () => undefined,
      );
      const key = vscode.workspace.asRelativePath(uri, folders.length > 1);
      if (!document) return { file: key, summaries: [] };
      const view = codeLens.viewOf(document);
      return { file: view?.file ?? key, summaries: view?.summaries() ?? [] };
    },
    tracesAt: (id) => codeLens.tracesAt(id),
    files: () => codeLens.stats.files(),
    window: () => ({ minutes: codeLens.stats.windowMinutes, endUs: codeLens.stats.windowEndUs }),
  };
}

/** A workspace file from what the agent gave: an absolute path inside a folder, or a path relative to one. */
function uriOf(folders: readonly vscode.WorkspaceFolder[], file: string): vscode.Uri | undefined {
  const slashed = file.replace(/\\/g, '/');
  if (/^(\/|[A-Za-z]:\/)/.test(slashed)) {
    const uri = vscode.Uri.file(file);
    return vscode.workspace.getWorkspaceFolder(uri) ? uri : undefined;
  }
  const parts = slashed.replace(/^\.\//, '').split('/');
  if (parts.includes('..')) return undefined;
  const named = folders.length > 1 ? folders.find((f) => f.name === parts[0]) : undefined;
  return named ? vscode.Uri.joinPath(named.uri, ...parts.slice(1)) : vscode.Uri.joinPath(folders[0]!.uri, ...parts);
}

function labelOf(type: string, url: string | undefined): string {
  const system =
    ({ jaeger: 'Jaeger', tempo: 'Tempo', zipkin: 'Zipkin', local: 'the local receiver' } as Record<string, string>)[type] ?? type;
  return url ? `${system} at ${url}` : system;
}

function localLabel(receiver: ReceiverController): string {
  return receiver.url ? `the local receiver's store (${receiver.url})` : "the local receiver's store";
}
