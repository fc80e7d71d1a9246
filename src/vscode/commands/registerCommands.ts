/** Binds command ids to handlers; the caller's Record type makes a missing handler a compile error. */
import * as vscode from 'vscode';
import type { Commands } from '../contributions';

/** The commands the explorer (Traces view, search, open by id, import) registers. */
export type ExplorerCommandId = (typeof Commands)[
  | 'refresh'
  | 'showLog'
  | 'importTraceFile'
  | 'searchTraces'
  | 'openTraceById'
  | 'filterTraces'
  | 'clearTraceFilter'
  | 'copyTraceId'
  | 'copySpanId'
  | 'openInBackendUi'
  | 'openTraceWaterfall'
  | 'showMoreTraces'
  | 'pauseLiveUpdates'
  | 'resumeLiveUpdates'];

export type CommandHandler = (...args: unknown[]) => unknown;

export function registerCommands<Id extends string>(handlers: Record<Id, CommandHandler>): vscode.Disposable[] {
  return Object.entries<CommandHandler>(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
