/**
 * Draws the TraceTreeModel in the Traces view. A backend trace's spans are fetched when its row is
 * expanded, never to draw the list; a fetch that fails leaves one row saying why, which retries when clicked.
 */
import * as vscode from 'vscode';
import type { Trace } from '../../core/model/types';
import { Commands } from '../contributions';
import { rowDecorationUri } from './rowDecorations';
import { MessageNode, type ExplorerNode, type TraceNode, type TraceTreeModel } from './traceTreeModel';

/** Fetches a backend trace for an expanded row. */
export type TraceFetcher = (node: TraceNode, token: vscode.CancellationToken) => Promise<Trace>;

/** Context values, for `view/item/context` menus: `trace.backend`, `span.import`, `message.error`, … */
export const ContextValues = {
  trace: (node: TraceNode) => `trace.${node.origin}`,
  span: (node: TraceNode) => `span.${node.origin}`,
} as const;

export class TracesTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  private readonly subscription: { dispose(): void };
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: TraceTreeModel,
    private readonly fetchTrace: TraceFetcher,
    private readonly describeError: (e: unknown) => string,
  ) {
    this.subscription = model.onDidChange(() => this.refresh());
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.model.roots.slice();
    switch (node.kind) {
      case 'source':
      case 'service':
        return node.children.slice();
      case 'trace':
        return node.rootSpans() ?? this.fetchSpans(node);
      case 'span':
        return node.children();
      case 'message':
        return node.children();
      case 'action':
        return [];
    }
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'source': {
        const item = new vscode.TreeItem(node.label, Expanded);
        item.id = node.id;
        item.description = node.description;
        item.contextValue = `source.${node.origin}`;
        item.iconPath = new vscode.ThemeIcon(node.origin === 'import' ? 'file' : 'server');
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.label, Expanded);
        item.id = node.id;
        item.description = node.description;
        item.contextValue = 'service';
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        return item;
      }
      case 'trace': {
        const item = new vscode.TreeItem(node.label, Collapsed);
        item.id = node.id;
        item.description = node.description(this.model.now());
        item.tooltip = node.tooltip();
        item.contextValue = ContextValues.trace(node);
        item.iconPath = node.hasErrors ? errorIcon('pulse') : new vscode.ThemeIcon('pulse');
        if (node.hasErrors) item.resourceUri = rowDecorationUri(node.id, node.errorCount);
        return item;
      }
      case 'span': {
        const item = new vscode.TreeItem(node.label, node.hasChildren ? (node.startsExpanded ? Expanded : Collapsed) : None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.contextValue = ContextValues.span(node.owner);
        item.iconPath = node.hasErrors ? errorIcon(node.iconId) : new vscode.ThemeIcon(node.iconId);
        if (node.hasErrors) item.resourceUri = rowDecorationUri(node.id, 1);
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, node.actions.length > 0 ? Expanded : None);
        item.id = node.id;
        item.tooltip = node.label;
        item.contextValue = `message.${node.severity}`;
        item.iconPath =
          node.severity === 'error'
            ? errorIcon('error')
            : node.severity === 'loading'
              ? new vscode.ThemeIcon('loading~spin')
              : new vscode.ThemeIcon('info');
        if (node.command) item.command = { command: node.command.id, title: node.command.title, arguments: node.command.args };
        return item;
      }
      case 'action': {
        const item = new vscode.TreeItem(node.command.title, None);
        item.id = node.id;
        item.contextValue = 'action';
        item.iconPath = new vscode.ThemeIcon(ACTION_ICONS[node.command.id] ?? 'run');
        item.command = { command: node.command.id, title: node.command.title, arguments: node.command.args };
        return item;
      }
    }
  }

  /** Redraws everything, or one node and what is under it (e.g. a trace row whose fetch is retried). */
  refresh(node?: ExplorerNode): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async fetchSpans(node: TraceNode): Promise<ExplorerNode[]> {
    const cancel = new vscode.CancellationTokenSource();
    try {
      const trace = await this.fetchTrace(node, cancel.token);
      node.trace = trace;
      this.model.rememberFetched(trace);
      return node.rootSpans() ?? [];
    } catch (e) {
      const retry = { id: Commands.refresh, title: vscode.l10n.t('Retry'), args: [node] };
      return [new MessageNode(`${node.id}/error`, 'error', `Could not load the spans: ${this.describeError(e)}`, [], retry)];
    } finally {
      cancel.dispose();
    }
  }
}

const ACTION_ICONS: Readonly<Record<string, string>> = {
  [Commands.refresh]: 'refresh',
  [Commands.clearTraceFilter]: 'clear-all',
  'workbench.action.openSettings': 'settings-gear',
};

function errorIcon(id: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, new vscode.ThemeColor('list.errorForeground'));
}
