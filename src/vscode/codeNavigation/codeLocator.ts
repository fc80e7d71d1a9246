/**
 * Where a span's code is, for every adapter: the tree, the waterfall, hovers and CodeLens ask this service
 * rather than the core, so that they share one workspace index, one cache and the same wording. Matches
 * are brought up to date through git when the span's resource names the revision it ran.
 */
import * as vscode from 'vscode';
import type { CodeMatch, ExceptionLogRecord } from '../../core/codeLocation/evidence';
import { explainSpan, locateSpan, type SpanExplanation } from '../../core/codeLocation/locateSpan';
import { reviseMatch, spanRevision, type GitPort } from '../../core/codeLocation/revision';
import type { WorkspaceIndex } from '../../core/codeLocation/workspaceIndex';
import type { Span, Trace } from '../../core/model/types';
import type { WorkspaceIndexController } from '../workspace/workspaceIndexController';
import { CachedGit } from './cachedGit';
import { describeMatch } from './matchText';

/** Exception log records the receiver correlated with a span (the local store's `exceptionsFor`). */
export type ExceptionsLookup = (traceId: string, spanId: string) => readonly ExceptionLogRecord[];

export interface CodeLocatorDependencies {
  index: WorkspaceIndexController;
  git: GitPort;
  exceptionsFor?: ExceptionsLookup;
  log: vscode.LogOutputChannel;
}

type PerSpan<T> = WeakMap<Trace, Map<number, T>>;

export class CodeLocator implements vscode.Disposable {
  /** Matches may have changed (files edited, settings changed): redraw what shows them. */
  readonly onDidChange: vscode.Event<void>;
  private revised: PerSpan<Promise<CodeMatch[]>> = new WeakMap();
  private settled: PerSpan<CodeMatch[]> = new WeakMap();
  /** what `peek` computed from the index without git */
  private recorded: PerSpan<CodeMatch[]> = new WeakMap();
  private readonly git: CachedGit;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: CodeLocatorDependencies) {
    this.git = new CachedGit(deps.git);
    this.onDidChange = deps.index.onDidChange;
    this.subscription = deps.index.onDidChange(() => {
      this.revised = new WeakMap();
      this.settled = new WeakMap();
      this.recorded = new WeakMap();
      this.git.clear();
    });
  }

  /**
   * Code locations of `trace.spans[spanIndex]`, best first, with lines moved through git when the span ran
   * another revision; cached per trace and span. Empty when nothing credible maps or no folder is open.
   * Builds the workspace index first when needed (in the background: no notification).
   */
  async locate(trace: Trace, spanIndex: number): Promise<CodeMatch[]> {
    return (await this.locateWith(trace, spanIndex, false)) ?? [];
  }

  /**
   * Without waiting: the matches `locate` settled on, else those the index gives now (lines as recorded),
   * else undefined while the index is being built. For tree items and the waterfall's "mapped" marks.
   */
  peek(trace: Trace, spanIndex: number): CodeMatch[] | undefined {
    const done = this.settled.get(trace)?.get(spanIndex) ?? this.recorded.get(trace)?.get(spanIndex);
    if (done) return done;
    const index = this.deps.index.current;
    const span = trace.spans[spanIndex];
    if (!index || !span) {
      if (!index) this.deps.index.start();
      return undefined;
    }
    const matches = locateSpan(span, index, this.extras(span));
    perSpan(this.recorded, trace).set(spanIndex, matches);
    return matches;
  }

  /** One line for a tooltip or hover: where, why, how sure. */
  describe(match: CodeMatch): string {
    return describeMatch(match);
  }

  /** Like `locate`, for a person waiting: a long index build shows a cancellable notification; undefined when cancelled or no folder is open. */
  async locateInteractively(trace: Trace, spanIndex: number): Promise<CodeMatch[] | undefined> {
    return this.locateWith(trace, spanIndex, true);
  }

  /** The evidence tried for the span and what each gave; undefined when there is no index (no folder, or cancelled). */
  async explain(trace: Trace, spanIndex: number): Promise<SpanExplanation | undefined> {
    const span = trace.spans[spanIndex];
    const index = span && (await this.deps.index.index({ interactive: true }));
    if (!span || !index) return undefined;
    const explanation = explainSpan(span, index, this.extras(span));
    const revised = await this.locateWith(trace, spanIndex, false);
    return revised ? { ...explanation, matches: revised } : explanation;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private locateWith(trace: Trace, spanIndex: number, interactive: boolean): Promise<CodeMatch[] | undefined> {
    const span = trace.spans[spanIndex];
    if (!span) return Promise.resolve([]);
    const cached = this.revised.get(trace)?.get(spanIndex);
    if (cached) return cached;
    return this.deps.index.index({ interactive }).then((index) => index && this.locateIn(index, trace, spanIndex, span));
  }

  private locateIn(index: WorkspaceIndex, trace: Trace, spanIndex: number, span: Span): Promise<CodeMatch[]> {
    const known = this.revised.get(trace)?.get(spanIndex);
    if (known) return known;
    const settled = this.settled;
    const promise = this.revise(span, locateSpan(span, index, this.extras(span))).then((matches) => {
      perSpan(settled, trace).set(spanIndex, matches);
      return matches;
    });
    perSpan(this.revised, trace).set(spanIndex, promise);
    return promise;
  }

  private async revise(span: Span, matches: CodeMatch[]): Promise<CodeMatch[]> {
    const revision = spanRevision(span.resource);
    // git reads repository config (hooks, filters) that an untrusted workspace may have planted
    if (revision === undefined || !vscode.workspace.isTrusted) return matches;
    return Promise.all(
      matches.map(async (m) => {
        const at = m.line === undefined ? undefined : this.deps.index.folderOf(m.file);
        if (!at?.folder.local) return m;
        try {
          const r = await reviseMatch({ ...m, file: at.relative }, revision, this.git, at.folder.root);
          return { ...r, file: m.file };
        } catch (e) {
          this.deps.log.warn(`Revision remap of ${m.file} failed: ${e instanceof Error ? e.message : String(e)}`);
          return m;
        }
      }),
    );
  }

  private extras(span: Span): { exceptions?: readonly ExceptionLogRecord[] } | undefined {
    const exceptions = this.deps.exceptionsFor?.(span.traceId, span.spanId);
    return exceptions && exceptions.length > 0 ? { exceptions } : undefined;
  }
}

function perSpan<T>(map: PerSpan<T>, trace: Trace): Map<number, T> {
  let m = map.get(trace);
  if (!m) map.set(trace, (m = new Map()));
  return m;
}
