/**
 * What the Traces view shows, apart from how VS Code draws it (tracesTreeProvider.ts): the imported traces,
 * one node each, newest first. A trace imported again replaces the earlier copy. No `vscode` here.
 */
import { summarizeTrace } from '../../core/model/summary';
import type { Trace, TraceSummary } from '../../core/model/types';
import { formatDuration } from '../formatDuration';

export class TraceNode {
  readonly summary: TraceSummary;

  constructor(
    readonly trace: Trace,
    /** where the trace came from, e.g. the imported file's name */
    readonly source: string,
  ) {
    this.summary = summarizeTrace(trace);
  }

  get id(): string {
    return this.trace.traceId;
  }

  get label(): string {
    return this.summary.rootName || `trace ${this.trace.traceId}`;
  }

  /** "1.25 s · 12 spans · 1 error" */
  get description(): string {
    const { durationUs, spanCount = this.trace.spans.length, errorCount = 0 } = this.summary;
    const parts = [formatDuration(durationUs), plural(spanCount, 'span')];
    if (errorCount > 0) parts.push(plural(errorCount, 'error'));
    return parts.join(' · ');
  }

  get tooltip(): string {
    const { rootService, startUs } = this.summary;
    const lines = [
      `${this.label} (${rootService})`,
      `Trace ID: ${this.trace.traceId}`,
      `Services: ${this.trace.services.join(', ')}`,
      `Started: ${formatStart(startUs)}`,
      `Source: ${this.source}`,
    ];
    if (this.trace.partial) lines.push(`Incomplete: ${this.trace.partial}`);
    if (this.trace.warnings.length > 0)
      lines.push(`${plural(this.trace.warnings.length, 'warning')} while reading (see the log)`);
    return lines.join('\n');
  }

  get hasErrors(): boolean {
    return (this.summary.errorCount ?? 0) > 0;
  }
}

export class TraceTreeModel {
  private readonly nodes = new Map<string, TraceNode>();
  private readonly listeners = new Set<() => void>();
  private sorted: TraceNode[] | undefined;

  /** Adds (or replaces, by trace id) traces and returns their nodes in the order given. */
  add(traces: readonly Trace[], source: string): TraceNode[] {
    const added = traces.map((trace) => new TraceNode(trace, source));
    for (const node of added) {
      this.nodes.delete(node.id); // re-inserting keeps the newest copy last in insertion order
      this.nodes.set(node.id, node);
    }
    this.sorted = undefined;
    if (added.length > 0) this.changed();
    return added;
  }

  /** Newest first by start time; traces that started together keep the later import first. */
  get roots(): readonly TraceNode[] {
    this.sorted ??= [...this.nodes.values()].reverse().sort((a, b) => b.summary.startUs - a.summary.startUs);
    return this.sorted;
  }

  get size(): number {
    return this.nodes.size;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** `us` is epoch microseconds; shown in UTC so that the text does not depend on the machine. */
function formatStart(us: number): string {
  const date = new Date(us / 1000);
  return Number.isNaN(date.getTime()) ? `${us} µs` : date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}
