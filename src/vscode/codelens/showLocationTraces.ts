/** The click on a lens: a pick of the location's slowest and latest failing spans, opened in the waterfall. */
import * as vscode from 'vscode';
import { formatAge, formatLatency } from '../../core/stats/formatStats';
import type { LocationTraces } from '../../core/stats/latencyStats';
import type { TraceRef } from '../../core/stats/locationSummary';

const OPEN_WATERFALL = 'traceLens.openWaterfall';

interface RefItem extends vscode.QuickPickItem {
  ref?: TraceRef;
}

export async function showLocationTraces(traces: LocationTraces, title: string): Promise<void> {
  const now = Date.now() * 1000;
  const item = (ref: TraceRef, icon: string): RefItem => ({
    // a span name is trace data: `$(…)` in it is text, not an icon
    label: `$(${icon}) ${formatLatency(ref.durationUs)} · ${ref.name.replace(/\$\(/g, '\\$(')}`,
    description: ref.service,
    detail: `${ref.message ? `${ref.message} · ` : ''}${formatAge(ref.startUs, now)} · trace ${ref.traceId}`,
    ref,
  });
  const items: RefItem[] = [];
  if (traces.slowest.length > 0) {
    items.push({ label: 'Slowest', kind: vscode.QuickPickItemKind.Separator });
    items.push(...traces.slowest.map((r) => item(r, 'watch')));
  }
  if (traces.failing.length > 0) {
    items.push({ label: 'Failing', kind: vscode.QuickPickItemKind.Separator });
    items.push(...traces.failing.map((r) => item(r, 'error')));
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No recent traces at {0}.', title));
    return;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Trace Lens: {0}', title),
    placeHolder: vscode.l10n.t('Open a trace in the waterfall'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  const ref = picked?.ref;
  if (!ref) return;
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes(OPEN_WATERFALL)) {
    await vscode.commands.executeCommand(OPEN_WATERFALL, ref.traceId, { focusSpanId: ref.spanId });
    return;
  }
  const copy = 'Copy Trace ID';
  if (
    (await vscode.window.showInformationMessage(vscode.l10n.t('Trace {0} (span {1})', ref.traceId, ref.spanId), copy)) === copy
  ) {
    await vscode.env.clipboard.writeText(ref.traceId);
  }
}
