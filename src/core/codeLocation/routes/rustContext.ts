/** What the Rust route scanners share about a file: its crate and module, functions, imports, and enclosing prefixes. */
import { joinPaths } from './emit';
import type { HandlerRef, HandlerTarget } from './routeTypes';
import type { Arg, Source } from './sourceScan';

export interface RustFn {
  name: string;
  /** the body's braces */
  start: number;
  end: number;
  /** builds routes for a caller to mount: returns a router or scope, or fills a ServiceConfig */
  router: boolean;
}

export interface RustContext {
  src: Source;
  crate: string;
  /** the crate's `src/` folder, with its slash */
  crateSrc: string;
  module: string;
  /** where this module's child modules live: `src/app/` for `src/app/mod.rs` or `src/app.rs` */
  childDir: string;
  fns: RustFn[];
  /** imported names → the path of the module they come from: `use crate::http::articles;` → articles: crate, http */
  uses: Map<string, string[]>;
  framework: string;
  /** prefixes set by enclosing code (`.nest`, `web::scope`) */
  scopes: { start: number; end: number; prefix: string }[];
}

/** The prefix enclosing scopes give `at`, and whether a function hands the router to a caller that mounts it. */
export function placeOf(ctx: RustContext, at: number): { prefix: string; partial: boolean; mountKey?: string } {
  const prefix = joinPaths(
    ...ctx.scopes
      .filter((s) => s.start <= at && at < s.end)
      .sort((a, b) => a.start - b.start)
      .map((s) => s.prefix),
  );
  const fn = enclosingFn(ctx, at);
  if (!fn?.router) return { prefix, partial: false };
  return { prefix, partial: true, mountKey: `rust:${ctx.crate}:${ctx.module}::${fn.name}` };
}

/**
 * The handler a route names: its definition in this file, else where Rust's module layout puts it
 * (`articles::get` from `src/app/mod.rs` → `src/app/articles.rs` or `src/app/articles/mod.rs`) and a reference to
 * look it up by; nothing for a closure.
 */
export function handlerOf(
  ctx: RustContext,
  arg: Arg | undefined,
  line: number,
): { line: number; handler?: string; handlerRef?: HandlerRef; target?: HandlerTarget } {
  const path = arg && /^(?:&\s*)?([A-Za-z_][\w]*(?:::[A-Za-z_]\w*)*)(?:::<[^>]*>)?$/.exec(arg.text)?.[1];
  if (!path) return { line };
  const segments = path.split('::');
  const name = segments.pop()!;
  if (segments[0] === 'Self') return { line };
  const imported = segments.length === 0 ? ctx.uses.get(name) : ctx.uses.get(segments[0]!)?.concat(segments);
  const modulePath = imported ?? segments;
  const inThisFile = modulePath.length === 0 || (modulePath.length === 1 && modulePath[0] === 'self');
  if (inThisFile) {
    const own = ctx.src.definitionLine(name);
    if (own !== undefined) return { line: own, handler: path };
  }
  const owner = [...modulePath].reverse().find((p) => !/^(?:crate|self|super)$/.test(p));
  const files = inThisFile ? [] : moduleFiles(ctx, modulePath);
  return {
    line,
    handler: path,
    handlerRef: owner === undefined ? { name } : { name, owner },
    ...(files.length > 0 ? { target: { files, symbol: name } } : {}),
  };
}

/** The files a module path (`crate::a::b`, `super::a`, `a::b`) can be defined in. */
function moduleFiles(ctx: RustContext, path: readonly string[]): string[] {
  let base = ctx.childDir;
  const rest = [...path];
  while (rest.length > 0 && /^(?:crate|self|super)$/.test(rest[0]!)) {
    const head = rest.shift()!;
    if (head === 'crate') base = ctx.crateSrc;
    else if (head === 'super') base = base.replace(/[^/]*\/$/, '');
  }
  if (rest.length === 0 || base === '') return [];
  const stem = base + rest.join('/');
  return [`${stem}.rs`, `${stem}/mod.rs`];
}

export function enclosingFn(ctx: RustContext, at: number): RustFn | undefined {
  return ctx.fns.filter((f) => f.start <= at && at <= f.end).pop();
}

export function rustContext(src: Source): RustContext {
  const c = src.code;
  const file = src.file;
  const srcDir = file.lastIndexOf('/src/');
  const crate = srcDir >= 0 ? file.slice(0, srcDir) : file.slice(0, Math.max(0, file.lastIndexOf('/')));
  const crateSrc = srcDir >= 0 ? file.slice(0, srcDir + 5) : file.slice(0, file.lastIndexOf('/') + 1);
  const parts = file.slice(0, file.lastIndexOf('.')).split('/');
  const stem = parts.pop()!;
  const dir = file.slice(0, file.lastIndexOf('/') + 1);
  // the crate root's functions are `crate::f`
  const module = /^(?:mod|lib|main)$/.test(stem) ? (stem === 'mod' ? (parts.pop() ?? 'crate') : 'crate') : stem;
  const childDir = /^(?:mod|lib|main)$/.test(stem) ? dir : `${dir}${stem}/`;
  const fns: RustFn[] = [];
  for (const m of c.matchAll(/\bfn\s+(\w+)\s*(?:<[^{;]*?>)?\s*\(/g)) {
    const params = src.call(m.index + m[0].length - 1);
    if (!params) continue;
    const open = c.indexOf('{', params.end);
    const semi = c.indexOf(';', params.end);
    if (open < 0 || (semi >= 0 && semi < open)) continue;
    const signature = c.slice(params.end, open) + c.slice(m.index + m[0].length - 1, params.end);
    const router =
      m[1] !== 'main' &&
      (/->\s*(?:[\w:]+::)?(?:Router|Scope|Route)\b|impl\s+HttpServiceFactory/.test(signature) ||
        /&\s*mut\s+(?:web::)?ServiceConfig\b/.test(signature));
    fns.push({ name: m[1]!, start: open, end: src.close(open), router });
  }
  const uses = new Map<string, string[]>();
  for (const m of c.matchAll(/\buse\s+([\w:]+?)::(?:\{([^}]*)\}|(\w+)(?:\s+as\s+(\w+))?)\s*;/g)) {
    const module = m[1]!.split('::');
    const items = m[2] !== undefined ? m[2].split(',') : [`${m[3]}${m[4] ? ` as ${m[4]}` : ''}`];
    for (const item of items) {
      const [name, alias] = item.trim().split(/\s+as\s+/);
      if (name && /^\w+$/.test(name)) uses.set(alias ?? name, module);
    }
  }
  const framework = /\bactix_web\b/.test(c)
    ? 'actix'
    : /\bpoem\b/.test(c)
      ? 'poem'
      : /\brocket\b/.test(c)
        ? 'rocket'
        : /\bwarp\b/.test(c)
          ? 'warp'
          : 'axum';
  return { src, crate, crateSrc, module, childDir, fns, uses, framework, scopes: [] };
}

/** The key mounts (`.service(f)`, `routes![f]`) name an attribute-routed function by: the crate and the function. */
export function rustFnMacroKey(crate: string, path: string): string {
  return `rust:${crate}:fn:${path.split('::').pop()}`;
}
