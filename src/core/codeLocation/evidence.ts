/**
 * From a span's own evidence to workspace source lines: `code.*` attributes, then stack traces (the span's
 * `code.stacktrace`, its exception events, exception log records the caller correlated), then vendor tags.
 * Every answer names its evidence; no credible evidence gives no answer. A recorded line is a fact: it is kept
 * whichever file it is placed in, and never traded for a definition's line.
 */
import type { Span } from '../model/types';
import {
  readCodeAttributes,
  readDatadogCodeOrigin,
  spanExceptions,
  type CodeAttributes,
  type ExceptionStack,
} from './codeAttributes';
import { resolveClass, resolveFrame, resolvePath, resolveSymbol, type ResolveContext, type Resolved } from './frameFiles';
import { spanOrigin, type DefinitionSource, type SpanOrigin } from './pathChoice';
import type { PathMapper } from './pathMapper';
import { parseStackTrace } from './stackTraces';

export type { DefinitionRef, DefinitionSource } from './pathChoice';

export interface CodeMatch {
  /** workspace-relative, forward slashes */
  file: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  column?: number;
  function?: string;
  /** 0..1 */
  confidence: number;
  /** for a person: `code.file.path /app/src/cart.py:42 → src/cart.py (unique path suffix "src/cart.py")` */
  reason: string;
}

/** An exception log record; the store's ExceptionRecord fits (only these fields are read). */
export interface ExceptionLogRecord {
  stacktrace?: string;
  type?: string;
}

export interface EvidenceExtras {
  /** exception log records the receiver correlated with this span (same trace and span id) */
  exceptions?: readonly ExceptionLogRecord[];
}

/** How much each kind of evidence is trusted before path quality is counted. */
const TRUST = {
  codeAttributes: 0.95,
  codeStacktrace: 0.85,
  exception: 0.8,
  vendor: 0.75,
} as const;

const NO_LINE_TRUST = 0.9;
/** Frames of a stack after the first in-workspace one are alternatives, each less likely than the one before. */
const LATER_FRAME_TRUST = 0.7;
const FRAMES_PER_STACK = 3;

/**
 * Code locations for `span`, best first; empty when nothing credible points into the workspace. `definitions`
 * (the workspace index) lets frames without a path find their function, tells look-alike files apart by what
 * they define, and confirms that a class named without a path defines the member.
 */
export function locateFromEvidence(
  span: Span,
  mapper: PathMapper,
  extras?: EvidenceExtras,
  definitions?: DefinitionSource,
): CodeMatch[] {
  const out: CodeMatch[] = [];
  const ctx = new SpanContext(span, mapper, definitions);
  const code = readCodeAttributes(span.attributes);
  if (code) fromCodeAttributes(code, ctx, out);
  if (code?.stacktrace !== undefined) fromStack(code.stacktrace, 'code.stacktrace', TRUST.codeStacktrace, ctx, out);
  for (const rec of spanExceptions(span)) fromException(rec, ctx, out);
  for (const rec of extras?.exceptions ?? []) {
    if (rec.stacktrace !== undefined)
      fromException({ stacktrace: rec.stacktrace, type: rec.type, origin: 'exception log record' }, ctx, out);
  }
  if (Object.prototype.hasOwnProperty.call(span.attributes, '_dd.code_origin.frames.0.file')) fromDatadog(span, ctx, out);
  return bestFirst(out);
}

/** What resolution may consult for one span; its origin is read only when a path fits several files. */
class SpanContext implements ResolveContext {
  private originCache: SpanOrigin | undefined;

  constructor(
    private readonly span: Span,
    readonly mapper: PathMapper,
    readonly definitions: DefinitionSource | undefined,
  ) {}

  get origin(): SpanOrigin {
    return (this.originCache ??= spanOrigin(this.span));
  }
}

function fromCodeAttributes(code: CodeAttributes, ctx: ResolveContext, out: CodeMatch[]): void {
  if (code.filePath !== undefined) {
    const r = resolvePath(ctx, code.filePath, code.function);
    if (r) {
      out.push(
        match(r, code.line, code.column, code.function, TRUST.codeAttributes, `${code.fileKey} ${at(code.filePath, code.line)}`),
      );
    }
    return;
  }
  if (code.function === undefined) return;
  const cls = code.namespace ?? enclosingName(code.function);
  const r = cls === undefined ? undefined : resolveClass(ctx, cls);
  if (!r) return;
  // With definitions at hand, a class's file answers for its member only with the recorded line or where the
  // member is defined: a member the workspace does not define is not in that file.
  let line = code.line;
  if (line === undefined && ctx.definitions !== undefined) {
    const member = memberLine(ctx, r.file, code.function);
    if (member === undefined) return;
    line = member;
    r.how += `; ${code.function} is defined there`;
  }
  const key = code.namespace !== undefined ? 'code.namespace' : 'code.function.name';
  out.push(match(r, line, code.column, code.function, TRUST.codeAttributes, `${key} ${cls}`));
}

/** The definition line of the function's member in `file`, when definitions are at hand. */
function memberLine(ctx: ResolveContext, file: string, fn: string): number | undefined {
  const name = /(?:::|->|[.#\\])([A-Za-z_]\w*[!?]?)$/.exec(fn)?.[1];
  if (name === undefined || ctx.definitions === undefined) return undefined;
  const lines = ctx.definitions
    .definitions(name)
    .filter((d) => d.file === file && d.kind === 'function')
    .map((d) => d.line);
  return lines.length === 0 ? undefined : Math.min(...lines);
}

function fromException(rec: ExceptionStack, ctx: ResolveContext, out: CodeMatch[]): void {
  const label = rec.type === undefined ? rec.origin : `${rec.origin} (${rec.type})`;
  fromStack(rec.stacktrace, label, TRUST.exception, ctx, out);
}

/**
 * The first in-workspace frames (nearest the raise point), skipping library frames. Frame numbers in reasons
 * are 1-based and count from where the error was raised, whatever order the runtime printed them in.
 */
function fromStack(text: string, label: string, trust: number, ctx: ResolveContext, out: CodeMatch[]): void {
  const { frames, language } = parseStackTrace(text);
  let found = 0;
  let previous: CodeMatch | undefined;
  for (let i = 0; i < frames.length && found < FRAMES_PER_STACK; i++) {
    const f = frames[i]!;
    if (f.isLibrary) continue;
    const r = f.file === undefined ? resolveSymbol(ctx, f, language) : resolveFrame(ctx, f, language);
    if (!r) continue;
    const weight = trust * LATER_FRAME_TRUST ** found;
    const where = f.file === undefined ? (f.function ?? '') : at(f.file, f.line);
    const m = match(r, f.line, f.column, f.function, weight, `stack frame ${i + 1} of ${label}: ${where}`);
    // the frame nearest the raise point stays first, however much surer an outer frame's path is
    if (previous) m.confidence = Math.min(m.confidence, round(previous.confidence * LATER_FRAME_TRUST));
    out.push(m);
    previous = m;
    found++;
  }
}

function fromDatadog(span: Span, ctx: ResolveContext, out: CodeMatch[]): void {
  for (const f of readDatadogCodeOrigin(span.attributes)) {
    const fn = f.method === undefined ? undefined : f.type === undefined ? f.method : `${f.type}.${f.method}`;
    const r = resolveFrame(ctx, { file: f.file, function: fn, module: f.type }, undefined);
    if (!r) continue;
    const weight = TRUST.vendor * LATER_FRAME_TRUST ** f.index;
    out.push(match(r, f.line, f.column, fn, weight, `Datadog code origin frame ${f.index}: ${at(f.file, f.line)}`));
  }
}

function match(
  r: Resolved,
  line: number | undefined,
  column: number | undefined,
  fn: string | undefined,
  trust: number,
  what: string,
): CodeMatch {
  // the resolution knows the recorded line is not this file's (compiled output) or gives the only one (a symbol)
  if (r.line !== undefined) [line, column] = [r.line ?? undefined, undefined];
  const m: CodeMatch = {
    file: r.file,
    confidence: round(trust * r.trust * (line === undefined ? NO_LINE_TRUST : 1)),
    reason: `${what} → ${r.file} (${r.how})`,
  };
  if (line !== undefined) m.line = line;
  if (line !== undefined && column !== undefined) m.column = column;
  if (fn !== undefined) m.function = fn;
  return m;
}

/** `com.example.Cart.add` → `com.example.Cart`; `App\Cart::add` → `App\Cart`. */
function enclosingName(fn: string): string | undefined {
  const i = Math.max(fn.lastIndexOf('::'), fn.lastIndexOf('->'));
  if (i > 0) return fn.slice(0, i);
  const dot = fn.lastIndexOf('.');
  return dot > 0 ? fn.slice(0, dot) : undefined;
}

function at(path: string, line: number | undefined): string {
  return line === undefined ? path : `${path}:${line}`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Highest confidence first (stable), one answer per file and line. */
function bestFirst(matches: CodeMatch[]): CodeMatch[] {
  const seen = new Set<string>();
  return matches
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.confidence - a.m.confidence || a.i - b.i)
    .filter(({ m }) => {
      const key = `${m.file}:${m.line ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ m }) => m);
}
