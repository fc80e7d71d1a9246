/**
 * The seam between the backend adapters (settings, secrets, receiver, status bar) and the explorer (tree,
 * search, open by id, waterfall): which trace source is active now, and when that changes.
 */
import type * as vscode from 'vscode';
import type { BackendType, TraceBackend } from '../../core/backends/types';

export interface ActiveBackendInfo {
  /** the name the user gave it, or "Local receiver" */
  name: string;
  type: BackendType;
  /** base URL (for local: the receiver's URL while it runs) */
  url?: string;
  /** where "Open in Backend UI" links go, when different from `url` (e.g. Grafana in front of Tempo) */
  uiUrl?: string;
}

export interface ActiveBackend {
  /** undefined when no backend is chosen and the local receiver is not running */
  readonly backend: TraceBackend | undefined;
  readonly info: ActiveBackendInfo | undefined;
  /** the active backend changed (selected, edited, receiver started or stopped) */
  readonly onDidChange: vscode.Event<void>;
  /** new data may be available without a query (local receiver: a batch arrived); fired at most once a second */
  readonly onDidReceive: vscode.Event<void>;
}
