/**
 * The hover of a lens or an inline hint, as Markdown: the figures, where they come from and how many samples
 * stand behind them, the distribution, recent failures with their messages, and how the mapping was made.
 */
import { markdownText } from '../markdownText';
import { histogramText } from './histogramText';
import { formatAge, formatCount, formatLatency, formatPercent, formatRate } from './formatStats';
import type { LocationTraces } from './latencyStats';
import { spanLabel, startLine } from './lensesForFile';
import type { LocationSummary, StatsSource } from './locationSummary';

export interface HoverOptions {
  /** epoch microseconds */
  nowUs: number;
  windowMinutes: number;
  /** epoch µs where the source's window ends; the label says "last hour" when that is about now */
  windowEndUs?: number;
  /** a `command:` link that opens the location's traces; no link when absent */
  tracesLink?: string;
  /** failures listed at most (default 5) */
  maxErrors?: number;
}

/**
 * "local receiver: 212 spans in the last hour", "sampled from Jaeger: 40 spans from 25 traces in the last 15 min",
 * "Jaeger SPM metrics of Production: about 1.2k spans in the last hour".
 */
export function sourceLabel(source: StatsSource, spans: number, window: string): string {
  const n = `${formatCount(spans)} ${spans === 1 ? 'span' : 'spans'}`;
  switch (source.kind) {
    case 'local':
      return `local receiver: ${n} ${window}`;
    case 'sampled':
      return `sampled from ${source.backend}: ${n} from ${formatCount(source.traces)} ${source.traces === 1 ? 'trace' : 'traces'} ${window}`;
    case 'metrics': {
      const of = source.backend.toLowerCase() === source.system.toLowerCase() ? '' : ` of ${source.backend}`;
      return `${source.system} ${source.method}${of}: ${source.estimated ? 'about ' : ''}${n} ${window}`;
    }
  }
}

/** "in the last hour", "in the last 15 min", or for data that stopped a while ago "in the hour up to 2025-01-01 14:02 UTC". */
export function windowPhrase(windowMinutes: number, windowEndUs: number | undefined, nowUs: number): string {
  const length = windowMinutes === 60 ? 'hour' : windowMinutes % 60 === 0 ? `${windowMinutes / 60} h` : `${windowMinutes} min`;
  if (windowEndUs === undefined || !Number.isFinite(windowEndUs) || nowUs - windowEndUs < 5 * 60_000_000) {
    return `in the last ${length}`;
  }
  const end = new Date(windowEndUs / 1000).toISOString().slice(0, 16).replace('T', ' ');
  return `in the ${length} up to ${end} UTC (the newest data)`;
}

export function hoverMarkdown(summary: LocationSummary, traces: LocationTraces, options: HoverOptions): string {
  const lines: string[] = [];
  const window = windowPhrase(options.windowMinutes, options.windowEndUs, options.nowUs);
  lines.push(`**Trace Lens · ${markdownText(spanLabel(summary))}**`, '');
  lines.push(`${markdownText(placeLabel(summary))} · _${markdownText(sourceLabel(summary.source, summary.count, window))}_`, '');
  lines.push('| p50 | p90 | p95 | p99 | max | calls | rate | errors |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(
    `| ${[summary.p50Us, summary.p90Us, summary.p95Us, summary.p99Us, summary.maxUs].map(formatLatency).join(' | ')} | ` +
      `${formatCount(summary.count)} | ${formatRate(summary.perMinute)} | ` +
      `${formatCount(summary.errors)} (${formatPercent(summary.count > 0 ? summary.errors / summary.count : 0)}) |`,
  );
  lines.push('');
  if (summary.sketch && summary.sketch.count > 1) {
    lines.push('```text', histogramText(summary.sketch), '```', '');
  }
  const failing = traces.failing.slice(0, options.maxErrors ?? 5);
  if (failing.length > 0) {
    lines.push('**Recent errors**', '');
    for (const f of failing) {
      const message = f.message !== undefined ? markdownText(oneLine(f.message)) : '_no message_';
      lines.push(`- ${message} — ${formatAge(f.startUs, options.nowUs)}, trace ${markdownText(f.traceId.slice(0, 16))}`);
    }
    lines.push('');
  }
  if (Number.isFinite(summary.lastSeenUs)) lines.push(`Last seen ${formatAge(summary.lastSeenUs, options.nowUs)}.`, '');
  lines.push(`Mapped from ${markdownText(summary.reason)} (confidence ${Math.round(summary.confidence * 100)}%).`);
  if (options.tracesLink !== undefined) lines.push('', `[Slowest and failing traces…](${options.tracesLink})`);
  return lines.join('\n');
}

/** Where the spans start, for a person: `Object.handler · orders.js:38`, `orders.js:38`, `placeOrder · orders.js`. */
export function placeLabel(summary: LocationSummary): string {
  const line = startLine(summary);
  const where = line === undefined ? summary.key.file : `${summary.key.file}:${line}`;
  return summary.key.function === undefined ? where : `${summary.key.function} · ${where}`;
}

function oneLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
