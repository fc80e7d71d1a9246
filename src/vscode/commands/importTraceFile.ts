/**
 * "Trace Lens: Import Trace File…": reads a trace file (any format parseTraces knows), adds its traces to the
 * Traces view and shows the view; a file holding one trace also opens its waterfall. Problems reach the user
 * as a message with a way to the log; warnings about the data are logged, never dropped.
 */
import * as vscode from 'vscode';
import { TraceFormatError } from '../../core/formats/errors';
import type { Trace } from '../../core/model/types';
import { readTracesOffThread, type OffThreadOptions } from '../../core/traceWorker/readTracesOffThread';
import type { EncodedParts, TraceFrame } from '../../core/traceWorker/workerMessages';
import { Commands, Views, TRACE_FILE_EXTENSIONS } from '../contributions';
import type { ArrivingTrace } from '../waterfall/waterfallPanel';
import { LARGE_FILE_BYTES, largeImportMessage } from './importSize';
import { plural, type TraceTreeModel } from '../tree/traceTreeModel';

export interface ImportDependencies {
  model: TraceTreeModel;
  log: vscode.LogOutputChannel;
  /** opens a trace's waterfall */
  openWaterfall(trace: Trace): Promise<void>;
}

const SHOW_LOG = 'Show Log';

/** `file` is optional so that callers (and tests) can skip the open dialog; other arguments are ignored. */
export async function importTraceFile(deps: ImportDependencies, file?: unknown): Promise<void> {
  const uri = file instanceof vscode.Uri ? file : await pickTraceFile();
  if (!uri) return;
  const name = fileName(uri);
  if (!(await confirmLargeFile(uri, name))) return;
  let traces: Trace[];
  // A file of one trace read by the trace worker has its waterfall open as soon as the rows are encoded, before
  // its spans have crossed to the host; closing that waterfall cancels the import.
  const read = new AbortController();
  let first: { resolve(trace: Trace): void; reject(e: unknown): void } | undefined;
  const openEarly = (frame: TraceFrame, encoded: EncodedParts, traceCount: number): void => {
    if (traceCount !== 1) return;
    const trace = new Promise<Trace>((resolve, reject) => (first = { resolve, reject }));
    trace.catch(() => undefined); // the waterfall says why
    const arriving: ArrivingTrace = { frame, encoded, trace, cancel: () => read.abort() };
    void vscode.commands.executeCommand(Commands.openWaterfall, arriving);
  };
  try {
    traces = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Trace Lens: reading {0}', name) },
      () => readTraceFile(uri, deps.log, { signal: read.signal, onEncoded: openEarly }),
    );
    if (traces[0]) first?.resolve(traces[0]);
  } catch (e) {
    first?.reject(e);
    if (read.signal.aborted) {
      deps.log.info(`Import of ${uri.toString(true)} cancelled: its waterfall was closed while it was read`);
      vscode.window.setStatusBarMessage(`Import of ${name} cancelled`, 5000);
      return;
    }
    const reason = failureReason(deps.log, uri, e);
    notify('error', `Could not import ${name}: ${reason}`, deps.log);
    return;
  }
  if (traces.length === 0) {
    deps.log.warn(`${uri.toString(true)} holds no spans`);
    notify('warning', `${name} holds no traces.`, deps.log);
    return;
  }
  const warnings = addTraces(deps, traces, uri);
  await vscode.commands.executeCommand(`${Views.traces}.focus`);
  if (warnings > 0) {
    notify('warning', `Imported ${plural(traces.length, 'trace')} from ${name} with ${plural(warnings, 'warning')}.`, deps.log);
  } else {
    vscode.window.setStatusBarMessage(`$(pulse) Imported ${plural(traces.length, 'trace')} from ${name}`, 5000);
  }
  if (traces.length === 1) await deps.openWaterfall(traces[0]!);
}

/**
 * The traces in a file, read in the trace worker so that the extension host stays responsive; throws
 * TraceFormatError (or a file system error) when it holds none readable.
 */
export async function readTraceFile(
  uri: vscode.Uri,
  log?: vscode.LogOutputChannel,
  early: Pick<OffThreadOptions, 'signal' | 'onEncoded'> = {},
): Promise<Trace[]> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  return readTracesOffThread(bytes, { ...early, log: (level, message) => log?.[level](message) }, (t) =>
    log?.info(
      `read ${fileName(uri)}: parsed in ${Math.round(t.parseMs)} ms, encoded in ${Math.round(t.encodeMs)} ms${t.worker ? ' (trace worker)' : ''}`,
    ),
  );
}

/** Adds traces read from `uri` to the view and logs them; returns the number of warnings about their data. */
export function addTraces({ model, log }: ImportDependencies, traces: readonly Trace[], uri: vscode.Uri): number {
  model.add(traces, fileName(uri));
  const spans = traces.reduce((n, t) => n + t.spans.length, 0);
  log.info(`Imported ${plural(traces.length, 'trace')} (${plural(spans, 'span')}) from ${uri.toString(true)}`);
  let warnings = 0;
  for (const trace of traces) {
    for (const warning of trace.warnings) {
      if (warnings++ < MAX_LOGGED_WARNINGS) log.warn(`trace ${trace.traceId}: ${warning}`);
    }
  }
  if (warnings > MAX_LOGGED_WARNINGS) log.warn(`… and ${warnings - MAX_LOGGED_WARNINGS} more warnings about ${fileName(uri)}`);
  return warnings;
}

/** Warnings logged per import; the rest are counted. */
const MAX_LOGGED_WARNINGS = 200;

async function confirmLargeFile(uri: vscode.Uri, name: string): Promise<boolean> {
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch {
    return true; // reading it will say what is wrong
  }
  if (size <= LARGE_FILE_BYTES) return true;
  const choice = await vscode.window.showWarningMessage(largeImportMessage(name, size), { modal: true }, 'Import Anyway');
  return choice === 'Import Anyway';
}

/** Logs why a file could not be read and returns the reason for the user. */
export function failureReason(log: vscode.LogOutputChannel, uri: vscode.Uri, e: unknown): string {
  const reason = e instanceof Error ? e.message : String(e);
  log.error(`Could not import ${uri.toString(true)}: ${reason}`);
  if (!(e instanceof TraceFormatError) && e instanceof Error && e.stack) log.debug(e.stack);
  return reason;
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

async function pickTraceFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Import Trace File'),
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
