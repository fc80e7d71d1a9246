/**
 * From a recorded path, a stack frame or a class name to one workspace file, with how sure that is: paths as
 * printed (container roots, build roots, Windows agents, file:// URLs), bare JVM-style file names found through
 * their package, compiled JavaScript found as its TypeScript source, and frames without any path (release
 * builds) found through the definition of their function.
 */
import { chooseFile, commonSuffix, definedIn, type DefinitionSource, type SpanOrigin } from './pathChoice';
import { normalizeForeignPath, type AmbiguousPath, type MappedBy, type MappedPath, type PathMapper } from './pathMapper';
import type { StackFrame, StackLanguage } from './stackTraces';
import { symbolParts } from './stackTraces/symbols';

export interface Resolved {
  file: string;
  how: string;
  trust: number;
  /** set when the recorded line does not belong to this file (compiled output): a definition's line, if found */
  line?: number | null;
}

/** What resolution may consult besides the path: the span's origin and the workspace's definitions. */
export interface ResolveContext {
  mapper: PathMapper;
  origin?: SpanOrigin;
  definitions?: DefinitionSource;
}

/** How sure a path mapping is, by how it was made. */
const PATH_TRUST: Record<MappedBy, number> = { mapping: 1, folder: 1, relative: 0.95, suffix: 0.9 };
/** A suffix of one segment (the file name alone) or two is weaker than a longer one. */
const SHORT_SUFFIX_TRUST = [0, 0.8, 0.95] as const;
/** A candidate picked out of several files with the same path ending by what the span and code say. */
const DISAMBIGUATED_TRUST = 0.6;
/** A class's file found from its qualified name alone (no path in the evidence). */
const CLASS_PATH_TRUST = 0.6;
/** A frame with no path, placed by the definition of its function. */
const SYMBOL_TRUST = 0.7;
/** One of several definitions, picked by the span's origin. */
const PICKED = 0.9;
/** TypeScript source found for compiled JavaScript that is not in the workspace. */
const COMPILED_SOURCE_TRUST = 0.8;

/** Extensions tried for a class found by its qualified name (`com.example.Cart` → `com/example/Cart.java`). */
const CLASS_FILE_EXTENSIONS = ['.java', '.kt', '.scala', '.groovy', '.cs', '.php'] as const;
/** Separators of qualified class names: Java/Kotlin/C# dots, PHP backslashes. */
const QUALIFIED = /[.\\]/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;
/** Folders compilers and bundlers write JavaScript to, and the source extensions tried for their files. */
const OUTPUT_DIRS: ReadonlySet<string> = new Set(['dist', 'build', 'out', 'lib', 'output']);
const SOURCE_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  js: ['ts', 'tsx', 'js', 'jsx'],
  mjs: ['mts', 'mjs', 'ts'],
  cjs: ['cts', 'cjs', 'ts'],
};

/** A recorded path, with `fn` (the function recorded with it) to choose among look-alikes. */
export function resolvePath(
  ctx: ResolveContext,
  path: string,
  fn: string | undefined,
  parts?: readonly string[],
): Resolved | undefined {
  const r = ctx.mapper.map(path);
  if (r === undefined) return undefined;
  if ('file' in r) return mapped(r);
  return disambiguate(ctx, r, fn, parts);
}

/** A frame's file: a path as printed, a bare file name found through its class's package, or compiled output's source. */
export function resolveFrame(ctx: ResolveContext, f: StackFrame, language: StackLanguage | undefined): Resolved | undefined {
  const file = f.file!;
  const parts = f.function === undefined ? undefined : symbolParts(f.function, language);
  const bare = !file.includes('/') && !file.includes('\\');
  if (bare && f.module !== undefined && QUALIFIED.test(f.module)) return resolveBareFile(ctx, f, parts);
  return resolvePath(ctx, file, f.function ?? f.module, parts) ?? compiledSource(ctx, file, f.function, parts);
}

/** A frame without a path (a release build's symbol): the definition its qualified name names. */
export function resolveSymbol(ctx: ResolveContext, f: StackFrame, language: StackLanguage | undefined): Resolved | undefined {
  if (ctx.definitions === undefined || f.function === undefined) return undefined;
  const parts = symbolParts(f.function, language);
  if (parts.length < 2) return undefined;
  const name = parts[parts.length - 1]!;
  let best = 0;
  let hits: { file: string; line: number }[] = [];
  for (const d of ctx.definitions.definitions(name)) {
    if (d.kind !== 'function') continue;
    const m = commonSuffix(parts, [...d.qualifier, d.name]);
    if (m > best) [best, hits] = [m, [d]];
    else if (m === best) hits.push(d);
  }
  // every part must agree but the outermost (a crate or package the repository folder need not be named after)
  if (best < 2 || best < parts.length - 1 || hits.length === 0) return undefined;
  let file = hits[0]!.file;
  let why = '';
  const files = new Set(hits.map((h) => h.file));
  if (files.size > 1) {
    const c = chooseFile([...files], 1, { function: f.function, parts }, ctx.origin, undefined);
    if (!c) return undefined;
    [file, why] = [c.file, `; picked by ${c.why}`];
  }
  const line = Math.min(...hits.filter((h) => h.file === file).map((h) => h.line));
  const scope = parts.slice(-Math.min(best, 3)).join('::');
  return {
    file,
    line,
    how: `no location in the frame; the definition of ${scope}${why}`,
    trust: SYMBOL_TRUST * (files.size > 1 ? PICKED : 1),
  };
}

function mapped(r: MappedPath): Resolved {
  const short = r.by === 'suffix' ? SHORT_SUFFIX_TRUST[r.matchedSegments] : undefined;
  return { file: r.file, how: r.reason, trust: PATH_TRUST[r.by] * (short ?? 1) };
}

/**
 * Several workspace files end like the path: the span's origin and the code's names choose one, at lower
 * trust; otherwise there is no answer.
 */
function disambiguate(
  ctx: ResolveContext,
  r: AmbiguousPath,
  fn: string | undefined,
  parts: readonly string[] | undefined,
): Resolved | undefined {
  if (r.count > r.ambiguous.length) return undefined;
  const hint = { function: fn, parts: parts ?? (fn === undefined ? undefined : symbolParts(fn, undefined)) };
  const c = chooseFile(r.ambiguous, r.suffix.split('/').length, hint, ctx.origin, ctx.definitions);
  if (!c) return undefined;
  return { file: c.file, how: `one of ${r.count} files ending in "${r.suffix}"; picked by ${c.why}`, trust: DISAMBIGUATED_TRUST };
}

/**
 * `com.example.cart` + `CartService.java` → `com/example/cart/CartService.java`, found by suffix. Sources follow
 * their package's directories, so at least one directory must agree with the package: a lone file-name match
 * would as likely be a library class that happens to share the name. With definitions at hand, a file that
 * agrees only in part must define the frame's class in its package, or its method (a PHP trait, a Kotlin file
 * facade), and a bare name that fits several files is the one that defines the method.
 */
function resolveBareFile(ctx: ResolveContext, f: StackFrame, parts: readonly string[] | undefined): Resolved | undefined {
  const pkg = packageOf(f.module!);
  const file = f.file!;
  const segments = [...pkg, file];
  const r = ctx.mapper.mapNormalized({ absolute: false, segments });
  const defs = ctx.definitions;
  if (r !== undefined && 'file' in r && (pkg.length === 0 || r.matchedSegments >= 2)) {
    const partial = r.matchedSegments < segments.length;
    if (!partial || defs === undefined || definesHere(defs, r.file, f.module!, parts)) {
      return { ...mapped(r), how: `package path ${segments.join('/')}, ${r.reason}` };
    }
    return undefined;
  }
  // the package path fits several files (the same class in two services): the span and the code choose
  if (r !== undefined && 'ambiguous' in r && r.suffix.split('/').length >= Math.min(2, segments.length)) {
    const d = disambiguate(ctx, r, f.function, parts);
    if (d) return { ...d, how: `package path ${segments.join('/')}, ${d.how}` };
  }
  // A file named for another type than the frame's class: the method is written in a trait or parent class
  // (PHP traits, inherited methods) whose file is named for itself. A file named for the class itself is as
  // likely a library class that shares the name.
  const className = f.module!.split(QUALIFIED).pop()!;
  if (defs === undefined || parts === undefined || parts.length < 2 || file.startsWith(`${className}.`)) return undefined;
  const byName = ctx.mapper.map(file);
  if (byName === undefined) return undefined;
  const candidates = 'file' in byName ? [byName.file] : byName.count > byName.ambiguous.length ? [] : byName.ambiguous;
  const name = parts[parts.length - 1]!;
  const defined = definedIn(defs, [name]);
  const defining = candidates.filter((c) => (defined.get(c) ?? 0) > 0);
  if (defining.length !== 1) return undefined;
  return {
    file: defining[0]!,
    how: `${file} defines ${name} (${f.module} uses it from there)`,
    trust: DISAMBIGUATED_TRUST,
  };
}

/** Whether `file` defines the frame's class under its package, or the frame's method. */
function definesHere(defs: DefinitionSource, file: string, module: string, parts: readonly string[] | undefined): boolean {
  const cls = module.split(QUALIFIED);
  const className = cls[cls.length - 1]!.replace(/[$+`<[].*$/, '');
  if (className !== '' && (definedIn(defs, [...cls.slice(0, -1), className]).get(file) ?? 0) >= cls.length) return true;
  const name = parts?.[parts.length - 1];
  return name !== undefined && (definedIn(defs, [name]).get(file) ?? 0) > 0;
}

/**
 * A class's source file from its qualified name alone; only when exactly one extension finds one file. The
 * member must be defined there when definitions are at hand.
 */
export function resolveClass(ctx: ResolveContext, cls: string): Resolved | undefined {
  const parts = cls.split(QUALIFIED);
  // nested, generic and compiler-made names: Cart$Item, Cart+Item, List`1, <Add>d__4
  const name = parts[parts.length - 1]!.replace(/[$+`<[].*$/, '');
  if (parts.length < 2 || !IDENTIFIER.test(name)) return undefined;
  const pkg = parts.slice(0, -1);
  let found: Resolved | undefined;
  for (const ext of CLASS_FILE_EXTENSIONS) {
    if (!ctx.mapper.hasFileNamed(name + ext)) continue;
    const segments = [...pkg, name + ext];
    const r = ctx.mapper.mapNormalized({ absolute: false, segments });
    if (r === undefined || !('file' in r) || r.matchedSegments < 2) continue;
    if (found) return undefined;
    found = { ...mapped(r), how: `package path ${segments.join('/')}, ${r.reason}` };
    found.trust *= CLASS_PATH_TRUST;
  }
  return found;
}

/**
 * JavaScript that a compiler wrote to `dist/`, `build/`, `out/`, `lib/` or `.next/server/` and that is not in the
 * workspace: its source is the same path under `src/` (or without the output folder), as TypeScript or JavaScript. The
 * compiled line says nothing of the source's, so the answer carries the function's definition line, or none.
 */
function compiledSource(
  ctx: ResolveContext,
  file: string,
  fn: string | undefined,
  parts: readonly string[] | undefined,
): Resolved | undefined {
  const path = normalizeForeignPath(file);
  if (!path) return undefined;
  const segs = path.segments;
  const base = segs[segs.length - 1]!;
  const dot = base.lastIndexOf('.');
  const exts = SOURCE_EXTENSIONS[base.slice(dot + 1)];
  if (dot <= 0 || !exts) return undefined;
  const dirs = sourceDirs(segs);
  if (dirs.length === 0) return undefined;
  const stem = base.slice(0, dot);
  for (const d of dirs) {
    for (const ext of exts) {
      const candidate = [...d, `${stem}.${ext}`];
      if (candidate.join('/') === segs.join('/')) continue;
      const r = ctx.mapper.mapNormalized({ absolute: path.absolute, segments: candidate });
      if (r === undefined) continue;
      const res = 'file' in r ? mapped(r) : disambiguate(ctx, r, fn, parts);
      if (!res) continue;
      const line = definitionLine(ctx, res.file, parts);
      const where =
        line === undefined ? 'its compiled line is not the source’s' : `the definition of ${parts!.slice(-2).join('.')}`;
      return {
        file: res.file,
        how: `compiled output; source ${candidate.slice(-3).join('/')}: ${res.how}; ${where}`,
        trust: res.trust * COMPILED_SOURCE_TRUST,
        line: line ?? null,
      };
    }
  }
  return undefined;
}

/**
 * Where the sources of a compiled file's folder may be: `dist/orders/x.js` → `src/orders`, `orders`; Next.js
 * server output `.next/server/pages/api/x.js` → `pages/api`, `src/pages/api`.
 */
function sourceDirs(segs: readonly string[]): string[][] {
  const next = segs.indexOf('.next');
  if (next >= 0 && segs[next + 1] === 'server') {
    const rest = segs.slice(next + 2, -1);
    return [
      [...segs.slice(0, next), ...rest],
      [...segs.slice(0, next), 'src', ...rest],
    ];
  }
  for (let i = segs.length - 2; i >= 0; i--) {
    if (!OUTPUT_DIRS.has(segs[i]!)) continue;
    return [
      [...segs.slice(0, i), 'src', ...segs.slice(i + 1, -1)],
      [...segs.slice(0, i), ...segs.slice(i + 1, -1)],
    ];
  }
  return [];
}

function definitionLine(ctx: ResolveContext, file: string, parts: readonly string[] | undefined): number | undefined {
  if (ctx.definitions === undefined || parts === undefined || parts.length === 0) return undefined;
  const name = parts[parts.length - 1]!;
  let best: { m: number; line: number } | undefined;
  for (const d of ctx.definitions.definitions(name)) {
    if (d.file !== file) continue;
    const m = commonSuffix(parts, [...d.qualifier, d.name]);
    if (!best || m > best.m || (m === best.m && d.line < best.line)) best = { m, line: d.line };
  }
  return best?.line;
}

/** `com.example.cart.CartService$Item` → [com, example, cart] */
function packageOf(cls: string): string[] {
  return cls.split(QUALIFIED).slice(0, -1);
}
