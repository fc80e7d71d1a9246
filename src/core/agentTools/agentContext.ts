/**
 * What the agent tools read, as ports the two surfaces fill in: the VS Code adapter from the active backend, the
 * configured backends, the receiver's store, the CodeLocator and the CodeLens statistics; the MCP server from its
 * command line. The tools themselves never touch VS Code, the network or the disk directly.
 */
import type { TraceBackend } from '../backends/types';
import type { CodeMatch } from '../codeLocation/evidence';
import type { SpanExplanation } from '../codeLocation/locateSpan';
import type { LocationTraces } from '../stats/latencyStats';
import type { LocationSummary } from '../stats/locationSummary';
import type { Trace } from '../model/types';

export type SourceKind = 'remote' | 'local' | 'file';

export interface AgentSource {
  /** what a tool's `source` argument calls it: the backend's name, "local", "file" */
  readonly name: string;
  /** for answers: `Jaeger at http://localhost:16686`, `the local receiver's store`, `file trace.json` */
  readonly label: string;
  readonly kind: SourceKind;
  readonly backend: TraceBackend;
  /** for stores: what they hold now, e.g. `12 traces, 340 spans`; the time window of a store's answers */
  holdings?(): string;
}

/** A source lent for one call; `release` disposes what was made for it (a client for a named backend). */
export interface SourceLease {
  readonly source: AgentSource;
  release(): void | Promise<void>;
}

export interface SourceInfo {
  name: string;
  label: string;
  kind: SourceKind;
  /** the one used when a call names none */
  active: boolean;
}

/** Span → workspace code, with the explanation of why (or why nothing maps). */
export interface CodePort {
  /** for answers: `the workspace /home/me/shop` */
  readonly label: string;
  /** best first; empty when nothing credible maps */
  locate(trace: Trace, spanIndex: number, signal?: AbortSignal): Promise<readonly CodeMatch[]>;
  /** undefined when there is no workspace to look in */
  explain(trace: Trace, spanIndex: number, signal?: AbortSignal): Promise<SpanExplanation | undefined>;
}

/** What the latency CodeLens knows, by workspace file. */
export interface LatencyPort {
  /** for answers: where the figures come from, e.g. `the local receiver's spans` */
  readonly label: string;
  /** brings the figures up to date where that needs a request (a sampling round of a remote backend) */
  refresh?(signal?: AbortSignal): Promise<void>;
  /**
   * The figures of a file's locations. `file` as the agent gave it (workspace-relative or absolute); the answer
   * names it as statistics key files (workspace-relative, forward slashes). undefined: outside the workspace.
   */
  summariesIn(file: string): Promise<{ file: string; summaries: readonly LocationSummary[] } | undefined>;
  /** the slowest and the failing traces of a location (LocationSummary.id) */
  tracesAt(id: string): LocationTraces;
  /** files with figures, for the answer that a file has none */
  files(): readonly string[];
  /** minutes of data the figures cover, and where the window ends (epoch µs; NaN when there is no data) */
  window(): { minutes: number; endUs: number };
}

export interface AgentContext {
  /** every source a call may name, the active one first */
  sources(): readonly SourceInfo[];
  /** the named source, or the active one; throws a ToolError (or BackendConfigError) that says what to do */
  source(name: string | undefined, signal?: AbortSignal): Promise<SourceLease>;
  /** undefined when no workspace is open or indexed */
  code?: CodePort;
  latency?: LatencyPort;
  /** what to tell the agent where a setting can fix a failure (its remedies say so): how to pick or configure a source here */
  configureHint: string;
  /** where a workspace comes from here ("open a folder", "start with --workspace <dir>") */
  workspaceHint: string;
  /** epoch ms (default Date.now) */
  now?(): number;
}
