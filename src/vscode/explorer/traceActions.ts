/**
 * What the Traces view's context menus do with a trace or span row: open its waterfall, copy its ids, open
 * it in the backend's own UI. Rows arrive as the model's nodes (VS Code passes the clicked node).
 */
import * as vscode from 'vscode';
import { traceUrl, whyNoUrl } from '../../core/search/backendLinks';
import type { Trace } from '../../core/model/types';
import type { ActiveBackend } from '../backends/activeBackend';
import { SpanNode, TraceNode } from '../tree/traceTreeModel';
import { OtherCommands, isRegistered } from './otherCommands';

type Row = TraceNode | SpanNode;

export function asRow(arg: unknown): Row | undefined {
  return arg instanceof TraceNode || arg instanceof SpanNode ? arg : undefined;
}

function traceNodeOf(row: Row): TraceNode {
  return row instanceof SpanNode ? row.owner : row;
}

/** Opens a trace's waterfall, with `focusSpanId` selected. */
export async function openWaterfall(trace: Trace, focusSpanId?: string): Promise<void> {
  if (!(await isRegistered(OtherCommands.openWaterfall))) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The waterfall is not available in this build of Trace Lens.'));
    return;
  }
  await vscode.commands.executeCommand(OtherCommands.openWaterfall, trace, focusSpanId === undefined ? {} : { focusSpanId });
}

/** "Open Waterfall" on a row: a backend trace not expanded yet is fetched first; a span row selects its span. */
export async function openRowWaterfall(arg: unknown, fetch: (traceId: string) => Promise<Trace | undefined>): Promise<void> {
  const row = asRow(arg);
  if (!row) return;
  const node = traceNodeOf(row);
  const trace = node.trace ?? (await fetch(node.traceId));
  if (trace) await openWaterfall(trace, row instanceof SpanNode ? row.span.spanId : undefined);
}

export async function copyTraceId(arg: unknown): Promise<void> {
  const row = asRow(arg);
  if (!row) return;
  await copy(traceNodeOf(row).traceId, 'trace ID');
}

export async function copySpanId(arg: unknown): Promise<void> {
  if (!(arg instanceof SpanNode)) return;
  await copy(arg.span.spanId, 'span ID');
}

async function copy(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${what} ${text}`, 3000);
}

/** Jaeger UI, Zipkin Lens or Grafana Explore (for Tempo, at the backend's UI URL); says why when there is none. */
export async function openInBackendUi(active: ActiveBackend, arg: unknown): Promise<void> {
  const row = asRow(arg);
  const info = active.info;
  if (!row || !info) return;
  const traceId = traceNodeOf(row).traceId;
  const spanId = row instanceof SpanNode ? row.span.spanId : undefined;
  const base = info.type === 'tempo' ? info.url : (info.uiUrl ?? info.url);
  const linkable = { type: info.type, url: base ?? '', grafanaUrl: info.type === 'tempo' ? info.uiUrl : undefined };
  const url = traceUrl(linkable, traceId, spanId);
  if (!url) {
    void vscode.window.showWarningMessage(whyNoUrl(linkable, traceId) ?? `${info.name} has no page for this trace.`);
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
}
