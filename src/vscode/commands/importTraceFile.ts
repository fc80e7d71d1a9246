/**
 * "Trace Lens: Import Trace File…": reads a trace file (any format parseTraces knows), adds its traces to the
 * Traces view and shows the view. Problems reach the user as a message with a way to the log; warnings about
 * the data are logged, never dropped.
 */
import * as vscode from 'vscode';
import { TraceFormatError } from '../../core/formats/errors';
import { parseTraces } from '../../core/formats/parse';
import type { Trace } from '../../core/model/types';
import { Views, TRACE_FILE_EXTENSIONS } from '../contributions';
import type { TraceTreeModel } from '../tree/traceTreeModel';

export interface ImportDependencies {
  model: TraceTreeModel;
  log: vscode.LogOutputChannel;
}

const SHOW_LOG = 'Show Log';

/** `file` is optional so that callers (and tests) can skip the open dialog; other arguments are ignored. */
export async function importTraceFile({ model, log }: ImportDependencies, file?: unknown): Promise<void> {
  const uri = file instanceof vscode.Uri ? file : await pickTraceFile();
  if (!uri) return;
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);

  let traces: Trace[];
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    traces = parseTraces(bytes);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    log.error(`Could not import ${uri.toString(true)}: ${reason}`);
    if (!(e instanceof TraceFormatError) && e instanceof Error && e.stack) log.debug(e.stack);
    notify('error', `Could not import ${name}: ${reason}`, log);
    return;
  }

  if (traces.length === 0) {
    log.warn(`${uri.toString(true)} holds no spans`);
    notify('warning', `${name} holds no traces.`, log);
    return;
  }

  model.add(traces, name);
  const spans = traces.reduce((n, t) => n + t.spans.length, 0);
  log.info(`Imported ${plural(traces.length, 'trace')} (${plural(spans, 'span')}) from ${uri.toString(true)}`);
  let warnings = 0;
  for (const trace of traces) {
    for (const warning of trace.warnings) log.warn(`trace ${trace.traceId}: ${warning}`);
    warnings += trace.warnings.length;
  }
  await vscode.commands.executeCommand(`${Views.traces}.focus`);
  if (warnings > 0) {
    notify('warning', `Imported ${plural(traces.length, 'trace')} from ${name} with ${plural(warnings, 'warning')}.`, log);
  } else {
    vscode.window.setStatusBarMessage(`$(pulse) Imported ${plural(traces.length, 'trace')} from ${name}`, 5000);
  }
}

async function pickTraceFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import Trace File',
    openLabel: 'Import',
    canSelectMany: false,
    filters: { 'Trace files': [...TRACE_FILE_EXTENSIONS], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** Not awaited: the message stays until the user dismisses it, and the command must not wait for that. */
function notify(severity: 'error' | 'warning', message: string, log: vscode.LogOutputChannel): void {
  const shown =
    severity === 'error'
      ? vscode.window.showErrorMessage(message, SHOW_LOG)
      : vscode.window.showWarningMessage(message, SHOW_LOG);
  void shown.then((choice) => {
    if (choice === SHOW_LOG) log.show(true);
  });
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
