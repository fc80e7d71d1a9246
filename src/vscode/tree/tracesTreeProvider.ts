/** Draws the TraceTreeModel in the Traces view: one row per trace, flat for now. */
import * as vscode from 'vscode';
import type { TraceNode, TraceTreeModel } from './traceTreeModel';

export class TracesTreeProvider implements vscode.TreeDataProvider<TraceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TraceNode | undefined>();
  private readonly subscription: { dispose(): void };
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: TraceTreeModel) {
    this.subscription = model.onDidChange(() => this.refresh());
  }

  getChildren(node?: TraceNode): TraceNode[] {
    return node ? [] : this.model.roots.slice();
  }

  getTreeItem(node: TraceNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = 'trace';
    item.iconPath = node.hasErrors
      ? new vscode.ThemeIcon('pulse', new vscode.ThemeColor('list.errorForeground'))
      : new vscode.ThemeIcon('pulse');
    return item;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
