/** code_latency: what the latency CodeLens knows of one workspace file, per function or span start. */
import { shortFunctionName } from '../stats/codeKey';
import type { LocationSummary, StatsSource } from '../stats/locationSummary';
import type { AgentContext } from './agentContext';
import { filePath } from './codeText';
import { DATA_CLOSE, DATA_NOTICE, DATA_OPEN, id, quote } from './dataText';
import { count, duration, instant, percent, plural } from './format';
import type { CodeLatencyInput } from './toolDefinitions';
import { ToolError } from './toolErrors';

/** Example traces listed per location. */
const EXAMPLES = 3;

export async function codeLatencyTool(ctx: AgentContext, input: CodeLatencyInput, signal?: AbortSignal): Promise<string> {
  const latency = ctx.latency;
  if (!latency) {
    throw new ToolError('noData', `No latency figures here: they need a workspace and traces to count (${ctx.workspaceHint}).`);
  }
  await latency.refresh?.(signal);
  const found = await latency.summariesIn(input.file);
  if (!found) {
    throw new ToolError(
      'invalidInput',
      `${JSON.stringify(input.file)} is not a file of the workspace: give a path relative to the workspace folder.`,
    );
  }
  const all = found.summaries;
  const chosen = all.filter((s) => matches(s, input));
  const { minutes, endUs } = latency.window();
  const lines = [
    `Latency of ${filePath(found.file)} from ${latency.label}: what the CodeLens shows.`,
    `Window: the ${plural(minutes, 'minute')} up to ${Number.isFinite(endUs) ? instant(endUs) : 'now'} (it ends at the newest span counted).`,
  ];
  if (chosen.length === 0) {
    const known = latency.files();
    const what =
      input.function !== undefined || input.line !== undefined
        ? ` ${describeFilter(input)} (the file has ${plural(all.length, 'measured location')})`
        : '';
    lines.push(
      `No figures for ${filePath(found.file)}${what}: no span in the window was mapped to it.` +
        (known.length > 0
          ? ` Files with figures: ${known.slice(0, 15).map(filePath).join(', ')}${known.length > 15 ? `, and ${count(known.length - 15)} more` : ''}.`
          : ' No file has figures yet: the app has sent no spans that map to the workspace in this window.'),
    );
    return lines.join('\n');
  }
  lines.push(DATA_NOTICE, DATA_OPEN);
  for (const s of [...chosen].sort((a, b) => (a.lines.at(-1) ?? a.key.line ?? 0) - (b.lines.at(-1) ?? b.key.line ?? 0))) {
    const at =
      s.lines.length > 0 ? `, spans started at line ${s.lines.at(-1)}` : s.key.line !== undefined ? `, line ${s.key.line}` : '';
    lines.push(
      `${s.key.function !== undefined ? quote(s.key.function, 200) : 'code'} (${filePath(s.key.file)}${at}); figures from ${sourceText(s.source)}; ` +
        `mapped by ${quote(s.reason, 300)} (confidence ${s.confidence})`,
      `  ${figures(s)}`,
    );
    const traces = latency.tracesAt(s.id);
    if (traces.slowest.length > 0) {
      lines.push(
        `  slowest: ${traces.slowest
          .slice(0, EXAMPLES)
          .map((t) => `trace ${id(t.traceId)} span ${id(t.spanId)} ${duration(t.durationUs)}`)
          .join('; ')}`,
      );
    }
    if (traces.failing.length > 0) {
      lines.push(
        `  failing: ${traces.failing
          .slice(0, EXAMPLES)
          .map((t) => `trace ${id(t.traceId)} span ${id(t.spanId)}${t.message !== undefined ? ` ${quote(t.message, 160)}` : ''}`)
          .join('; ')}`,
      );
    }
  }
  lines.push(DATA_CLOSE, 'get_trace with one of these trace ids (and spanId) shows the call in full.');
  return lines.join('\n');
}

function matches(s: LocationSummary, input: CodeLatencyInput): boolean {
  if (input.function !== undefined) {
    const fn = s.key.function;
    if (fn === undefined || (fn !== input.function && shortFunctionName(fn) !== shortFunctionName(input.function))) return false;
  }
  if (input.line !== undefined && s.key.line !== input.line && !s.lines.includes(input.line)) return false;
  return true;
}

function describeFilter(input: CodeLatencyInput): string {
  const parts: string[] = [];
  if (input.function !== undefined) parts.push(`function ${JSON.stringify(input.function)}`);
  if (input.line !== undefined) parts.push(`line ${input.line}`);
  return `at ${parts.join(', ')}`;
}

function figures(s: LocationSummary): string {
  const pct = Number.isFinite(s.p50Us)
    ? `p50 ${duration(s.p50Us)} · p95 ${duration(s.p95Us)} · p99 ${duration(s.p99Us)} · min ${duration(s.minUs)} · max ${duration(s.maxUs)} · `
    : 'percentiles not given by this source · ';
  const last = Number.isFinite(s.lastSeenUs) ? ` · last call ${instant(s.lastSeenUs)}` : '';
  return (
    `${pct}${plural(s.count, 'call')} (${Number(s.perMinute.toPrecision(3))}/min) · ` +
    `${plural(s.errors, 'error')} (${percent(s.count > 0 ? s.errors / s.count : 0)})${last}`
  );
}

function sourceText(source: StatsSource): string {
  switch (source.kind) {
    case 'local':
      return 'the stored spans';
    case 'sampled':
      return `${plural(source.traces, 'trace')} sampled from ${quote(source.backend, 120)}`;
    case 'metrics':
      return `${source.system} ${source.method} of ${quote(source.backend, 120)}${source.estimated ? ' (counts estimated from rates)' : ''}`;
  }
}
