/**
 * What the Traces view shows, apart from how VS Code draws it (tracesTreeProvider.ts). Two sources: the
 * active backend's recent traces (summaries; spans are fetched when a trace is expanded) and imported files
 * (whole traces). Each source lists its traces grouped by root service, newest first; when both have
 * something, each gets a heading. A failed load is one row with the backend's message and its remedies.
 * No `vscode` here: nodes are plain objects, and the provider turns them into tree items.
 */
import {
  UNKNOWN_SERVICE,
  formatFilter,
  formatRelativeTime,
  groupByRootService,
  isEmptyFilter,
  matchesFilter,
  type ListFilter,
  type ServiceGroup,
} from '../../core/explorer/traceList';
import { declaredCodeLocation, keyAttributes } from '../../core/explorer/keyAttributes';
import { buildSpanTree, childrenOf, selfTimeUs, type SpanTree } from '../../core/model/spanTree';
import { summarizeTrace } from '../../core/model/summary';
import type { SpanKind, Trace, TraceSummary } from '../../core/model/types';
import { Commands } from '../contributions';
import { formatDuration } from '../../core/formatDuration';

export type Origin = 'backend' | 'import';

/** A command a row runs when clicked; `id` is a command id, `args` its arguments. */
export interface RowCommand {
  id: string;
  title: string;
  args?: unknown[];
}

/** The remedies a failed load offers, by the provider's choice of commands (some belong to other adapters). */
export interface ErrorActions {
  retry: RowCommand;
  more: readonly RowCommand[];
}

export class SourceNode {
  readonly kind = 'source';
  constructor(
    readonly origin: Origin,
    readonly label: string,
    readonly description: string,
    readonly children: readonly ExplorerNode[],
  ) {}

  get id(): string {
    return `source/${this.origin}`;
  }
}

export class ServiceNode {
  readonly kind = 'service';
  constructor(
    readonly origin: Origin,
    readonly group: ServiceGroup,
    readonly children: readonly TraceNode[],
  ) {}

  get id(): string {
    return `${this.origin}/service/${this.group.service}`;
  }

  get label(): string {
    return this.group.service;
  }

  /** "12 traces · 2 with errors" */
  get description(): string {
    const { traces, errorTraces } = this.group;
    const parts = [plural(traces.length, 'trace')];
    if (errorTraces > 0) parts.push(`${errorTraces.toLocaleString('en-US')} with errors`);
    return parts.join(' · ');
  }
}

export class TraceNode {
  readonly kind = 'trace';
  readonly summary: TraceSummary;
  private tree: SpanTree | undefined;

  constructor(
    readonly origin: Origin,
    summary: TraceSummary,
    /** the imported file's name, or the backend's name */
    readonly source: string,
    /** imports: the whole trace; backend traces: set once fetched */
    public trace: Trace | undefined,
  ) {
    this.summary = summary;
  }

  static imported(trace: Trace, source: string): TraceNode {
    return new TraceNode('import', summarizeTrace(trace), source, trace);
  }

  get id(): string {
    return `${this.origin}/trace/${this.summary.traceId}`;
  }

  get traceId(): string {
    return this.summary.traceId;
  }

  get label(): string {
    return this.summary.rootName || `trace ${this.summary.traceId}`;
  }

  get errorCount(): number {
    return this.summary.errorCount ?? 0;
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** "1.25 s · 12 spans · 1 error · 5 min ago"; span count and errors only when the source says. */
  description(nowMs: number): string {
    const { durationUs, spanCount, errorCount } = this.summary;
    const parts = [formatDuration(durationUs)];
    if (spanCount !== undefined) parts.push(plural(spanCount, 'span'));
    if (errorCount !== undefined && errorCount > 0) parts.push(plural(errorCount, 'error'));
    const ago = formatRelativeTime(this.summary.startUs, nowMs);
    if (ago !== '') parts.push(ago);
    return parts.join(' · ');
  }

  tooltip(): string {
    const { rootService, startUs, services } = this.summary;
    const lines = [`${this.label} (${rootService || UNKNOWN_SERVICE})`, `Trace ID: ${this.traceId}`];
    const names = this.trace?.services ?? services?.map((s) => s.name);
    if (names && names.length > 0) lines.push(`Services: ${names.join(', ')}`);
    lines.push(`Started: ${formatStart(startUs)}`, `Duration: ${formatDuration(this.summary.durationUs)}`);
    lines.push(this.origin === 'import' ? `Source: ${this.source}` : `From: ${this.source}`);
    if (this.trace?.partial) lines.push(`Incomplete: ${this.trace.partial}`);
    const warnings = this.trace?.warnings.length ?? 0;
    if (warnings > 0) lines.push(`${plural(warnings, 'warning')} while reading (see the log)`);
    return lines.join('\n');
  }

  /** The span tree, built once per fetched trace. */
  spanTree(): SpanTree | undefined {
    if (!this.trace) return undefined;
    this.tree ??= buildSpanTree(this.trace);
    return this.tree;
  }

  /** Top-level spans (roots, then orphans); undefined until the trace is fetched. */
  rootSpans(): SpanNode[] | undefined {
    const tree = this.spanTree();
    if (!tree || !this.trace) return undefined;
    return Array.from(tree.roots, (i) => new SpanNode(this, this.trace!, tree, i));
  }
}

export class SpanNode {
  readonly kind = 'span';
  constructor(
    readonly owner: TraceNode,
    readonly trace: Trace,
    readonly tree: SpanTree,
    /** index into trace.spans */
    readonly index: number,
  ) {}

  get id(): string {
    return `${this.owner.id}/span/${this.index}`;
  }

  /** `{ trace, spanIndex }` is what Go to Code takes, so a span row can be passed to it as it is. */
  get spanIndex(): number {
    return this.index;
  }

  get span() {
    return this.trace.spans[this.index]!;
  }

  get label(): string {
    return this.span.name || '(unnamed span)';
  }

  get selfTimeUs(): number {
    return selfTimeUs(this.trace, this.tree, this.index);
  }

  get hasErrors(): boolean {
    return this.span.status.code === 'error';
  }

  get hasChildren(): boolean {
    return childrenOf(this.tree, this.index).length > 0;
  }

  /** Open when first drawn: the upper levels of a small trace, so that expanding a trace shows its shape. */
  get startsExpanded(): boolean {
    return this.trace.spans.length <= AUTO_EXPAND_MAX_SPANS && (this.tree.depth[this.index] ?? 0) < AUTO_EXPAND_DEPTH;
  }

  /** "600 ms · self 560 ms", with the service when it differs from the parent's. */
  get description(): string {
    const parts = [formatDuration(this.span.durationUs)];
    if (this.hasChildren) parts.push(`self ${formatDuration(this.selfTimeUs)}`);
    const parent = this.tree.parent[this.index] ?? -1;
    if (parent < 0 || this.trace.spans[parent]?.service !== this.span.service) parts.push(this.span.service);
    return parts.join(' · ');
  }

  get tooltip(): string {
    const span = this.span;
    const lines = [`${this.label} — ${span.service}`, `${kindName(span.kind)} span · ${formatDuration(span.durationUs)}`];
    if (this.hasChildren) lines[1] += ` (self ${formatDuration(this.selfTimeUs)})`;
    if (span.status.code === 'error') lines.push(`Error${span.status.message ? `: ${oneLine(span.status.message)}` : ''}`);
    const facts = keyAttributes(span);
    if (facts.length > 0) lines.push('', ...facts.map(([label, value]) => `${label}: ${value}`));
    lines.push('', `Code: ${declaredCodeLocation(span) ?? 'not declared by the span — Go to Code looks it up by name or route'}`);
    lines.push(`Span ID: ${span.spanId}`);
    return lines.join('\n');
  }

  get iconId(): string {
    return KIND_ICONS[this.span.kind];
  }

  children(): SpanNode[] {
    return Array.from(childrenOf(this.tree, this.index), (i) => new SpanNode(this.owner, this.trace, this.tree, i));
  }
}

export type MessageSeverity = 'error' | 'info' | 'loading';

/** One line of text in place of traces: a failure, an empty result, a note; clicking runs `command`. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly id: string,
    readonly severity: MessageSeverity,
    readonly label: string,
    /** shown as rows beneath it, so that they are visible without hovering */
    readonly actions: readonly RowCommand[] = [],
    readonly command?: RowCommand,
  ) {}

  children(): ActionNode[] {
    return this.actions.map((action) => new ActionNode(`${this.id}/${action.id}`, action));
  }
}

export class ActionNode {
  readonly kind = 'action';
  constructor(
    readonly id: string,
    readonly command: RowCommand,
  ) {}
}

export type ExplorerNode = SourceNode | ServiceNode | TraceNode | SpanNode | MessageNode | ActionNode;

/** The backend as the view shows it; `label` names it in messages ("Jaeger at http://localhost:16686"). */
export interface BackendListing {
  label: string;
  /** beside the label when the backend has a heading: its URL, or "live" */
  description: string;
  /** local receiver: traces arrive by themselves */
  live: boolean;
  /** where to send traces, for the empty local receiver */
  receiverUrl?: string;
  state: 'loading' | 'loaded' | 'error';
  summaries: readonly TraceSummary[];
  /** the backend's message when state is 'error' */
  error?: string;
  /** what was left out of a load that succeeded */
  notes: readonly string[];
  /** the most summaries asked for: a full page means there may be more ("Show More") */
  limit?: number;
  /** traces the backend holds, when it can tell (the local receiver's store) */
  total?: number;
  /** live updates are paused: what is listed stays until resumed */
  paused?: boolean;
}

/** Traces up to this many spans open their first AUTO_EXPAND_DEPTH levels when expanded. */
const AUTO_EXPAND_MAX_SPANS = 200;
const AUTO_EXPAND_DEPTH = 3;

/** How many fetched backend traces are kept, so that expanding one again after a refresh does not refetch. */
const FETCHED_TRACES_KEPT = 20;

export class TraceTreeModel {
  private readonly imports = new Map<string, TraceNode>();
  private readonly fetched = new Map<string, Trace>();
  private readonly listeners = new Set<() => void>();
  private backendListing: BackendListing | undefined;
  /**
   * Backend traces someone is looking at (expanded or selected), with their latest summaries: they stay listed
   * when newer traces push them out of the page, so that a live view does not take them away.
   */
  private readonly kept = new Map<string, TraceSummary | undefined>();
  private currentFilter: ListFilter = {};
  private cachedRoots: ExplorerNode[] | undefined;

  constructor(
    private readonly errorActions: ErrorActions = { retry: { id: Commands.refresh, title: 'Retry' }, more: [] },
    /** epoch ms */
    readonly now: () => number = Date.now,
  ) {}

  /** Adds (or replaces, by trace id) imported traces and returns their nodes in the order given. */
  add(traces: readonly Trace[], source: string): TraceNode[] {
    const added = traces.map((trace) => TraceNode.imported(trace, source));
    for (const node of added) {
      this.imports.delete(node.traceId); // re-inserting keeps the newest copy last in insertion order
      this.imports.set(node.traceId, node);
    }
    if (added.length > 0) this.changed();
    return added;
  }

  /** An imported trace, or a fetched backend trace still kept. */
  knownTrace(traceId: string): Trace | undefined {
    return this.imports.get(traceId)?.trace ?? this.fetched.get(traceId);
  }

  /** Imported traces, newest first. */
  get imported(): readonly TraceNode[] {
    return [...this.imports.values()].reverse().sort((a, b) => b.summary.startUs - a.summary.startUs);
  }

  get size(): number {
    return this.imports.size;
  }

  get backend(): BackendListing | undefined {
    return this.backendListing;
  }

  /** undefined: no backend is active. */
  setBackend(listing: BackendListing | undefined): void {
    if (listing?.label !== this.backendListing?.label) this.kept.clear();
    this.backendListing = listing;
    for (const summary of listing?.summaries ?? []) if (this.kept.has(summary.traceId)) this.kept.set(summary.traceId, summary);
    this.changed();
  }

  /** Keeps a backend trace listed while it is expanded or selected, whatever arrives after it. */
  keep(traceId: string): void {
    if (this.kept.has(traceId)) return;
    this.kept.set(
      traceId,
      this.backendListing?.summaries.find((s) => s.traceId === traceId),
    );
  }

  /** Lets a trace go with the page once it is collapsed and no longer selected. */
  release(traceId: string): void {
    if (this.kept.delete(traceId)) this.changed();
  }

  get filter(): ListFilter {
    return this.currentFilter;
  }

  setFilter(filter: ListFilter): void {
    this.currentFilter = { ...filter };
    this.changed();
  }

  /** Drops the fetched traces: another backend may hold other versions of them. */
  forgetFetched(): void {
    this.fetched.clear();
  }

  /** Keeps a trace fetched for an expanded row. */
  rememberFetched(trace: Trace): void {
    this.fetched.delete(trace.traceId);
    this.fetched.set(trace.traceId, trace);
    for (const id of this.fetched.keys()) {
      if (this.fetched.size <= FETCHED_TRACES_KEPT) break;
      this.fetched.delete(id);
    }
  }

  /** The top-level rows; [] only when there is no source at all (the view then shows its welcome). */
  get roots(): readonly ExplorerNode[] {
    this.cachedRoots ??= this.buildRoots();
    return this.cachedRoots;
  }

  /** Every trace row, in the order shown (for tests and for the view's badge). */
  traceNodes(): TraceNode[] {
    const out: TraceNode[] = [];
    const visit = (nodes: readonly ExplorerNode[]): void => {
      for (const node of nodes) {
        if (node.kind === 'trace') out.push(node);
        else if (node.kind === 'source' || node.kind === 'service') visit(node.children);
      }
    };
    visit(this.roots);
    return out;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private buildRoots(): ExplorerNode[] {
    const sections: SourceNode[] = [];
    const listing = this.backendListing;
    if (listing) {
      sections.push(new SourceNode('backend', listing.label, listing.description, this.backendRows(listing)));
    }
    if (this.imports.size > 0) {
      const files = new Set([...this.imports.values()].map((n) => n.source));
      sections.push(new SourceNode('import', 'Imported', plural(files.size, 'file'), this.importRows()));
    }
    // The empty local receiver leaves the view empty, so that its welcome (with the endpoint to copy) shows.
    if (sections.length === 1 && listing && this.waitingForFirstTrace(listing)) return [];
    if (sections.length === 1) return [...sections[0]!.children];
    return sections;
  }

  private waitingForFirstTrace(listing: BackendListing): boolean {
    return listing.live && listing.state === 'loaded' && listing.summaries.length === 0 && isEmptyFilter(this.currentFilter);
  }

  private backendRows(listing: BackendListing): ExplorerNode[] {
    const rows: ExplorerNode[] = [];
    if (listing.state === 'error') {
      const { retry, more } = this.errorActions;
      rows.push(new MessageNode('backend/error', 'error', listing.error ?? 'The backend failed', [retry, ...more], retry));
    }
    if (listing.state === 'loading' && listing.summaries.length === 0) {
      rows.push(new MessageNode('backend/loading', 'loading', `Loading recent traces from ${listing.label}…`));
      return rows;
    }
    const listed = new Set(listing.summaries.map((s) => s.traceId));
    const keptOut = [...this.kept.values()].filter((s): s is TraceSummary => s !== undefined && !listed.has(s.traceId));
    const shown = [...listing.summaries, ...keptOut].filter((s) => matchesFilter(s, this.currentFilter));
    const traceNode = (summary: TraceSummary) => {
      const node = new TraceNode('backend', summary, listing.label, this.fetched.get(summary.traceId));
      return node;
    };
    rows.push(...groupByRootService(shown).map((g) => new ServiceNode('backend', g, g.traces.map(traceNode))));
    if (shown.length === 0 && listing.state !== 'error') rows.push(this.emptyBackendRow(listing));
    const more = this.moreRow(listing);
    if (more) rows.push(more);
    rows.push(...listing.notes.map((note, i) => new MessageNode(`backend/note/${i}`, 'info', note)));
    return rows;
  }

  /**
   * "50 of 1,800 traces listed · Show More" under a full page (or when the backend holds more than is listed), and
   * "Live updates paused" while they are.
   */
  private moreRow(listing: BackendListing): MessageNode | undefined {
    const listed = listing.summaries.length;
    const full = listing.limit !== undefined && listed >= listing.limit;
    const moreThere = listing.total !== undefined && listing.total > listed;
    const paused = listing.paused ? ' · live updates paused' : '';
    if (!full && !moreThere) {
      return listing.paused
        ? new MessageNode('backend/paused', 'info', 'Live updates paused', [], {
            id: Commands.resumeLiveUpdates,
            title: 'Resume',
          })
        : undefined;
    }
    const of = listing.total !== undefined ? ` of ${listing.total.toLocaleString('en-US')}` : '';
    return new MessageNode(
      'backend/more',
      'info',
      `${listed.toLocaleString('en-US')}${of} traces listed${paused} · Show More`,
      [],
      { id: Commands.showMoreTraces, title: 'Show More' },
    );
  }

  private emptyBackendRow(listing: BackendListing): MessageNode {
    if (!isEmptyFilter(this.currentFilter)) return this.noMatchRow('backend');
    if (listing.live) {
      const where = listing.receiverUrl ? ` — send OTLP/HTTP to ${listing.receiverUrl}` : '';
      return new MessageNode('backend/empty', 'info', `Waiting for traces${where}`);
    }
    return new MessageNode('backend/empty', 'info', `No traces in the last hour from ${listing.label}`, [], {
      id: Commands.searchTraces,
      title: 'Search Traces…',
    });
  }

  private importRows(): ExplorerNode[] {
    const byId = new Map(this.imported.map((n) => [n.traceId, n]));
    const shown = [...byId.values()].map((n) => n.summary).filter((s) => matchesFilter(s, this.currentFilter));
    const groups = groupByRootService(shown);
    if (groups.length === 0) return [this.noMatchRow('import')];
    return groups.map(
      (g) =>
        new ServiceNode(
          'import',
          g,
          g.traces.map((s) => byId.get(s.traceId)!),
        ),
    );
  }

  private noMatchRow(origin: Origin): MessageNode {
    const clear = { id: Commands.clearTraceFilter, title: 'Clear Filter' };
    return new MessageNode(`${origin}/no-match`, 'info', `No traces match ${formatFilter(this.currentFilter)}`, [clear], clear);
  }

  private changed(): void {
    this.cachedRoots = undefined;
    for (const listener of this.listeners) listener();
  }
}

const KIND_ICONS: Readonly<Record<SpanKind, string>> = {
  server: 'call-incoming',
  client: 'call-outgoing',
  producer: 'mail',
  consumer: 'mail-read',
  internal: 'symbol-method',
  unspecified: 'symbol-method',
};

function kindName(kind: SpanKind): string {
  return kind === 'unspecified' ? 'Unspecified' : kind[0]!.toUpperCase() + kind.slice(1);
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** `us` is epoch microseconds; shown in UTC so that the text does not depend on the machine. */
function formatStart(us: number): string {
  const date = new Date(us / 1000);
  return Number.isNaN(date.getTime()) ? `${us} µs` : date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}
