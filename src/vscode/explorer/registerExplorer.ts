/**
 * The trace explorer: the Traces view (active backend's recent traces and imported files), its filter,
 * live updates from the local receiver, the context-menu actions, Search Traces…, Open Trace by ID…,
 * Import Trace File… and "Open With… Trace Lens". Nothing here blocks activation: the first load starts
 * after it.
 */
import * as vscode from 'vscode';
import { formatFilter, isEmptyFilter, type ListFilter } from '../../core/explorer/traceList';
import { LocalBackend } from '../../core/backends/localBackend';
import type { Trace } from '../../core/model/types';
import type { ShellRegistrations } from '../activation/shellRegistrations';
import type { ActiveBackend } from '../backends/activeBackend';
import { importTraceFile, type ImportDependencies } from '../commands/importTraceFile';
import { registerCommands, type CommandHandler, type ExplorerCommandId } from '../commands/registerCommands';
import { Commands, Views } from '../contributions';
import { searchTraces } from '../search/searchTraces';
import { registerRowDecorations } from '../tree/rowDecorations';
import { SpanNode, TraceNode, TraceTreeModel, type ExplorerNode } from '../tree/traceTreeModel';
import { TracesTreeProvider } from '../tree/tracesTreeProvider';
import { describeError } from '../../core/describeError';
import { OPEN_SETTINGS, SELECT_BACKEND } from './failureActions';
import { BackendTraces } from './backendTraces';
import { askForFilter, saveFilter, savedFilter } from './filterTraces';
import { noBackendMessage } from './noBackend';
import { loadTrace, openTraceById } from './openTraceById';
import { copySpanId, copyTraceId, openInBackendUi, openRowWaterfall, openWaterfall } from './traceActions';
import { TraceFileEditorProvider } from './traceFileEditor';

export interface ExplorerDependencies {
  activeBackend: ActiveBackend;
  log: vscode.LogOutputChannel;
  /** where the trace file editor is registered */
  shell: ShellRegistrations;
}

/** Context key: the Traces view's filter is set (shows Clear Filter in its title bar). */
const FILTERED_CONTEXT = 'traceLens.traces.filtered';
/** Context key: the active backend's type (`local` has no UI to open traces in). */
const BACKEND_TYPE_CONTEXT = 'traceLens.traces.backendType';
/** Relative times ("5 min ago") are redrawn this often while the view is visible, ms. */
const RELATIVE_TIME_REFRESH_MS = 30_000;

/** What the explorer offers the other adapters. */
export interface Explorer {
  /** A trace by id: imported, recently fetched, or fetched from the active backend (with cancellable progress). */
  loadTrace(traceId: string): Promise<Trace | undefined>;
}

export function registerExplorer(
  context: vscode.ExtensionContext,
  { activeBackend, log, shell }: ExplorerDependencies,
): Explorer {
  const model = new TraceTreeModel({
    retry: { id: Commands.refresh, title: vscode.l10n.t('Retry') },
    more: [SELECT_BACKEND, OPEN_SETTINGS],
  });
  const provider = new TracesTreeProvider(model, (node) => fetchForRow(activeBackend, node), describeError);
  const view = vscode.window.createTreeView(Views.traces, { treeDataProvider: provider, showCollapseAll: true });
  const backendTraces = new BackendTraces(model, activeBackend, log, () => {
    const backend = activeBackend.backend;
    return backend instanceof LocalBackend ? backend.store.stats().traces : undefined;
  });
  const importDeps: ImportDependencies = { model, log, openWaterfall: (trace: Trace) => openWaterfall(trace) };
  const deps = { active: activeBackend, model, log, state: context.workspaceState };

  const applyFilter = (filter: ListFilter): void => {
    model.setFilter(filter);
    void saveFilter(context.workspaceState, filter);
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, !isEmptyFilter(filter));
    describeView();
    if (activeBackend.backend) void backendTraces.reload();
  };
  const describeView = (): void => {
    const parts = [formatFilter(model.filter)];
    if (activeBackend.info?.type === 'local') parts.push('live');
    view.description = parts.filter((p) => p !== '').join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', BACKEND_TYPE_CONTEXT, activeBackend.info?.type);
  };

  let clock: NodeJS.Timeout | undefined;
  const setVisible = (visible: boolean): void => {
    backendTraces.setVisible(visible);
    clearInterval(clock);
    clock = visible ? setInterval(() => provider.refresh(), RELATIVE_TIME_REFRESH_MS) : undefined;
  };

  const handlers: Record<ExplorerCommandId, CommandHandler> = {
    [Commands.refresh]: (node) => {
      if (node instanceof TraceNode) provider.refresh(node);
      else return backendTraces.reload();
    },
    [Commands.showLog]: () => log.show(),
    [Commands.importTraceFile]: (file) => importTraceFile(importDeps, file),
    [Commands.searchTraces]: (query) => searchTraces(deps, query),
    [Commands.openTraceById]: (input) => openTraceById(deps, input),
    [Commands.filterTraces]: async (text) => {
      const filter = await askForFilter(model.filter, text);
      if (filter) applyFilter(filter);
    },
    [Commands.clearTraceFilter]: () => applyFilter({}),
    [Commands.copyTraceId]: (node) => copyTraceId(node),
    [Commands.copySpanId]: (node) => copySpanId(node),
    [Commands.openInBackendUi]: (node) => openInBackendUi(activeBackend, node),
    [Commands.openTraceWaterfall]: (node) => openRowWaterfall(node, (id) => loadTrace(deps, id)),
    [Commands.showMoreTraces]: () => backendTraces.showMore(),
    [Commands.pauseLiveUpdates]: () => backendTraces.setPaused(true),
    [Commands.resumeLiveUpdates]: () => backendTraces.setPaused(false),
  };

  model.setFilter(savedFilter(context.workspaceState));
  void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, !isEmptyFilter(model.filter));
  describeView();
  context.subscriptions.push(
    provider,
    view,
    backendTraces,
    registerRowDecorations(),
    TraceFileEditorProvider.register(importDeps, shell),
    view.onDidChangeVisibility((e) => setVisible(e.visible)),
    ...keepWhatIsLookedAt(view, model),
    activeBackend.onDidChange(describeView),
    { dispose: () => clearInterval(clock) },
    ...registerCommands(handlers),
  );
  setVisible(view.visible);
  setTimeout(() => void backendTraces.reload(), 0);
  log.debug('Trace explorer ready');
  return { loadTrace: (traceId) => loadTrace(deps, traceId) };
}

/**
 * Backend traces that are expanded or selected stay listed when newer ones push them out of the page (the model
 * keeps them); they go with the page once collapsed and no longer selected.
 */
function keepWhatIsLookedAt(view: vscode.TreeView<ExplorerNode>, model: TraceTreeModel): vscode.Disposable[] {
  const expanded = new Set<string>();
  let selected = new Set<string>();
  const traceIdOf = (node: ExplorerNode): string | undefined =>
    node instanceof TraceNode && node.origin === 'backend' ? node.traceId : undefined;
  const releaseUnlessHeld = (id: string): void => {
    if (!expanded.has(id) && !selected.has(id)) model.release(id);
  };
  return [
    view.onDidExpandElement(({ element }) => {
      const id = traceIdOf(element);
      if (id === undefined) return;
      expanded.add(id);
      model.keep(id);
    }),
    view.onDidCollapseElement(({ element }) => {
      const id = traceIdOf(element);
      if (id === undefined) return;
      expanded.delete(id);
      releaseUnlessHeld(id);
    }),
    view.onDidChangeSelection(({ selection }) => {
      const before = selected;
      selected = new Set(selection.flatMap((n) => traceIdOf(n instanceof SpanNode ? n.owner : n) ?? []));
      for (const id of selected) model.keep(id);
      for (const id of before) releaseUnlessHeld(id);
    }),
  ];
}

async function fetchForRow(active: ActiveBackend, node: TraceNode): Promise<Trace> {
  const { backend, info } = active;
  if (!backend || !info) throw new Error(noBackendMessage('load its spans'));
  const marginUs = 60e6;
  const { startUs, durationUs } = node.summary;
  const window = startUs > 0 ? { startUs: startUs - marginUs, endUs: startUs + durationUs + marginUs } : undefined;
  return vscode.window.withProgress({ location: { viewId: Views.traces } }, () => backend.getTrace(node.traceId, window));
}
