/**
 * From a span's own evidence to workspace source lines: `code.*` attributes, then stack traces (the span's
 * `code.stacktrace`, its exception events, exception log records the caller correlated), then vendor tags.
 * Every answer names its evidence; no credible evidence gives no answer.
 */
import type { Span } from '../model/types';
import {
  readCodeAttributes,
  readDatadogCodeOrigin,
  spanExceptions,
  type CodeAttributes,
  type ExceptionStack,
} from './codeAttributes';
import type { AmbiguousPath, MappedBy, MappedPath, PathMapper } from './pathMapper';
import { parseStackTrace, type StackFrame } from './stackTraces';

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

/** How sure a path mapping is, by how it was made. */
const PATH_TRUST: Record<MappedBy, number> = { mapping: 1, folder: 1, relative: 0.95, suffix: 0.9 };
/** A suffix of one segment (the file name alone) or two is weaker than a longer one. */
const SHORT_SUFFIX_TRUST = [0, 0.8, 0.95] as const;
/** A candidate picked out of several files with the same name by the function's package or class. */
const DISAMBIGUATED_TRUST = 0.6;
/** A class's file found from its qualified name alone (no path in the evidence). */
const CLASS_PATH_TRUST = 0.6;
const NO_LINE_TRUST = 0.9;
/** Frames of a stack after the first in-workspace one are alternatives, each less likely than the one before. */
const LATER_FRAME_TRUST = 0.7;
const FRAMES_PER_STACK = 3;

/** Extensions tried for a class found by its qualified name (`com.example.Cart` → `com/example/Cart.java`). */
const CLASS_FILE_EXTENSIONS = ['.java', '.kt', '.scala', '.groovy', '.cs', '.php'] as const;
const TOKEN_SPLIT = /[^A-Za-z0-9_-]+/;
/** Separators of qualified class names: Java/Kotlin/C# dots, PHP backslashes. */
const QUALIFIED = /[.\\]/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** Code locations for `span`, best first; empty when nothing credible points into the workspace. */
export function locateFromEvidence(span: Span, mapper: PathMapper, extras?: EvidenceExtras): CodeMatch[] {
  const out: CodeMatch[] = [];
  const code = readCodeAttributes(span.attributes);
  if (code) fromCodeAttributes(code, mapper, out);
  if (code?.stacktrace !== undefined) fromStack(code.stacktrace, 'code.stacktrace', TRUST.codeStacktrace, mapper, out);
  for (const rec of spanExceptions(span)) fromException(rec, mapper, out);
  for (const rec of extras?.exceptions ?? []) {
    if (rec.stacktrace !== undefined)
      fromException({ stacktrace: rec.stacktrace, type: rec.type, origin: 'exception log record' }, mapper, out);
  }
  if (Object.prototype.hasOwnProperty.call(span.attributes, '_dd.code_origin.frames.0.file')) fromDatadog(span, mapper, out);
  return bestFirst(out);
}

function fromCodeAttributes(code: CodeAttributes, mapper: PathMapper, out: CodeMatch[]): void {
  if (code.filePath !== undefined) {
    const r = resolvePath(mapper, code.filePath, code.function);
    if (r) {
      out.push(
        match(r, code.line, code.column, code.function, TRUST.codeAttributes, `${code.fileKey} ${at(code.filePath, code.line)}`),
      );
    }
    return;
  }
  if (code.function === undefined) return;
  const cls = code.namespace ?? enclosingName(code.function);
  const r = cls === undefined ? undefined : resolveClass(mapper, cls);
  if (r) {
    const key = code.namespace !== undefined ? 'code.namespace' : 'code.function.name';
    out.push(match(r, code.line, code.column, code.function, TRUST.codeAttributes, `${key} ${cls}`));
  }
}

function fromException(rec: ExceptionStack, mapper: PathMapper, out: CodeMatch[]): void {
  const label = rec.type === undefined ? rec.origin : `${rec.origin} (${rec.type})`;
  fromStack(rec.stacktrace, label, TRUST.exception, mapper, out);
}

/**
 * The first in-workspace frames (nearest the raise point), skipping library frames. Frame numbers in reasons
 * are 1-based and count from where the error was raised, whatever order the runtime printed them in.
 */
function fromStack(text: string, label: string, trust: number, mapper: PathMapper, out: CodeMatch[]): void {
  const { frames } = parseStackTrace(text);
  let found = 0;
  for (let i = 0; i < frames.length && found < FRAMES_PER_STACK; i++) {
    const f = frames[i]!;
    if (f.isLibrary || f.file === undefined) continue;
    const r = resolveFrame(mapper, f);
    if (!r) continue;
    const weight = trust * LATER_FRAME_TRUST ** found;
    out.push(match(r, f.line, f.column, f.function, weight, `stack frame ${i + 1} of ${label}: ${at(f.file, f.line)}`));
    found++;
  }
}

function fromDatadog(span: Span, mapper: PathMapper, out: CodeMatch[]): void {
  for (const f of readDatadogCodeOrigin(span.attributes)) {
    const fn = f.method === undefined ? undefined : f.type === undefined ? f.method : `${f.type}.${f.method}`;
    const r = resolveFrame(mapper, { file: f.file, function: fn, module: f.type });
    if (!r) continue;
    const weight = TRUST.vendor * LATER_FRAME_TRUST ** f.index;
    out.push(match(r, f.line, f.column, fn, weight, `Datadog code origin frame ${f.index}: ${at(f.file, f.line)}`));
  }
}

interface Resolved {
  file: string;
  how: string;
  trust: number;
}

function match(
  r: Resolved,
  line: number | undefined,
  column: number | undefined,
  fn: string | undefined,
  trust: number,
  what: string,
): CodeMatch {
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

/** A frame's file: a path as printed, or (Java and the like) a bare file name found through its class's package. */
function resolveFrame(mapper: PathMapper, f: StackFrame): Resolved | undefined {
  const file = f.file!;
  const bare = !file.includes('/') && !file.includes('\\');
  if (bare && f.module !== undefined && QUALIFIED.test(f.module)) return resolveInPackage(mapper, packageOf(f.module), file);
  return resolvePath(mapper, file, f.function ?? f.module);
}

function resolvePath(mapper: PathMapper, path: string, fn: string | undefined): Resolved | undefined {
  const r = mapper.map(path);
  if (r === undefined) return undefined;
  if ('file' in r) return mapped(r);
  return disambiguate(r, fn);
}

function mapped(r: MappedPath): Resolved {
  const short = r.by === 'suffix' ? SHORT_SUFFIX_TRUST[r.matchedSegments] : undefined;
  return { file: r.file, how: r.reason, trust: PATH_TRUST[r.by] * (short ?? 1) };
}

/**
 * `com.example.cart` + `CartService.java` → `com/example/cart/CartService.java`, found by suffix. Sources
 * follow their package's directories, so at least one directory must agree with the package: a lone
 * file-name match would as likely be a library class that happens to share the name.
 */
function resolveInPackage(mapper: PathMapper, pkg: readonly string[], file: string): Resolved | undefined {
  const segments = [...pkg, file];
  const r = mapper.mapNormalized({ absolute: false, segments });
  if (r === undefined || !('file' in r)) return undefined;
  if (pkg.length > 0 && r.matchedSegments < 2) return undefined;
  return { ...mapped(r), how: `package path ${segments.join('/')}, ${r.reason}` };
}

/** A class's source file from its qualified name alone; only when exactly one extension finds one file. */
function resolveClass(mapper: PathMapper, cls: string): Resolved | undefined {
  const parts = cls.split(QUALIFIED);
  // nested, generic and compiler-made names: Cart$Item, Cart+Item, List`1, <Add>d__4
  const name = parts[parts.length - 1]!.replace(/[$+`<[].*$/, '');
  if (parts.length < 2 || !IDENTIFIER.test(name)) return undefined;
  const pkg = parts.slice(0, -1);
  let found: Resolved | undefined;
  for (const ext of CLASS_FILE_EXTENSIONS) {
    const r = resolveInPackage(mapper, pkg, name + ext);
    if (!r) continue;
    if (found) return undefined;
    found = { ...r, trust: r.trust * CLASS_PATH_TRUST };
  }
  return found;
}

/** `com.example.cart.CartService$Item` → [com, example, cart] */
function packageOf(cls: string): string[] {
  return cls.split(QUALIFIED).slice(0, -1);
}

/**
 * Several workspace files end like the path. The one whose directories name the function's package or
 * class is taken, at lower trust, when it alone does; otherwise there is no answer.
 */
function disambiguate(r: AmbiguousPath, fn: string | undefined): Resolved | undefined {
  if (fn === undefined || r.count > r.ambiguous.length) return undefined;
  const tokens = new Set(
    fn
      .toLowerCase()
      .split(TOKEN_SPLIT)
      .filter((t) => t.length > 1),
  );
  const suffixDepth = r.suffix.split('/').length;
  let best: string | undefined;
  let bestScore = 0;
  let tie = false;
  for (const file of r.ambiguous) {
    const dirs = file.split('/').slice(0, -suffixDepth);
    let score = 0;
    for (const d of dirs) if (tokens.has(d.toLowerCase())) score++;
    if (score > bestScore) [best, bestScore, tie] = [file, score, false];
    else if (score === bestScore && score > 0) tie = true;
  }
  if (best === undefined || tie) return undefined;
  return {
    file: best,
    how: `one of ${r.count} files ending in "${r.suffix}"; ${fn} points to it`,
    trust: DISAMBIGUATED_TRUST,
  };
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
