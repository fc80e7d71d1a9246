/**
 * Rust: axum (`Router::new().route("/x", get(h).post(h2))`, `.nest`, `.merge`), poem (`.at`), actix-web builders
 * (`web::scope`, `web::resource(..).route(web::get().to(h))`, `App::route`, `.configure(f)`, `.service(f)`),
 * attribute routes (actix `#[get("/x")]`, rocket `#[get("/x/<id>")]` mounted by `.mount("/api", routes![…])`)
 * and warp `path!` filters. Routers built by a function (`fn router() -> Router`, `fn config(cfg: &mut
 * ServiceConfig)`) are mounted by the code calling it, maybe in another file: their routes carry a mount key.
 */
import { emit, emitMount, joinPaths } from './emit';
import type { RouteDefinition, RouteMount } from './routeTypes';
import { rustAttributeRoutes } from './rustAttributeRoutes';
import { enclosingFn, handlerOf, placeOf, rustContext, rustFnMacroKey, type RustContext } from './rustContext';
import type { Arg, Source } from './sourceScan';

const VERBS = 'get|post|put|delete|patch|head|options|trace|connect';

export function rustRoutes(src: Source, out: RouteDefinition[], mounts: RouteMount[]): void {
  const ctx = rustContext(src);
  const c = src.code;
  for (const m of c.matchAll(/\.\s*nest(?:_service)?\s*\(|\bweb::scope\s*\(|\bScope::new\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    if (m[0].startsWith('.')) {
      const target = call.args[1];
      if (target) nestTarget(ctx, mounts, target, path.value, m.index);
    } else {
      ctx.scopes.push({ start: m.index, end: chainEnd(src, call.end), prefix: path.value });
    }
  }
  for (const m of c.matchAll(/\.\s*merge\s*\(/g)) {
    const target = src.call(m.index + m[0].length - 1)?.args[0];
    if (target) nestTarget(ctx, mounts, target, '', m.index);
  }
  // actix: `.configure(routes)` runs a function that registers on the scope or app it is given
  for (const m of c.matchAll(/\.\s*configure\s*\(\s*([\w:]+)\s*\)/g)) {
    mountFn(ctx, mounts, fnKey(ctx, m[1]!), '', m.index);
  }
  // actix: `.service(index)` registers an attribute-routed function; `routes![a, b]` mounts rocket's
  for (const m of c.matchAll(/\.\s*service\s*\(\s*\(?\s*([\w:]+(?:\s*,\s*[\w:]+)*)\s*,?\s*\)?\s*\)/g)) {
    for (const name of m[1]!.split(',')) mountFn(ctx, mounts, rustFnMacroKey(ctx.crate, name.trim()), '', m.index);
  }
  for (const m of c.matchAll(/\.\s*mount\s*\(\s*"([^"]*)"\s*,\s*(?:rocket::)?routes!\s*\[([^\]]*)\]/g)) {
    for (const name of m[2]!
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')) {
      mountFn(ctx, mounts, rustFnMacroKey(ctx.crate, name), m[1]!, m.index);
    }
  }

  const routeMethod = ctx.framework === 'poem' ? 'at' : 'route';
  for (const m of c.matchAll(new RegExp(`\\.\\s*${routeMethod}\\s*\\(`, 'g'))) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path || !call.args[1]) continue;
    const line = src.line(call.args[0]!.start);
    for (const h of methodRouter(src, call.args[1])) register(ctx, out, h.method, path.value, h.handler, line, m.index);
  }
  // actix: web::resource("users/{id}").route(web::get().to(h)).to(h2)
  for (const m of c.matchAll(/\b(?:web::resource|Resource::new)\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const line = src.line(m.index);
    for (let at = call.end; ;) {
      const link = /^\s*\.\s*(\w+)\s*\(/.exec(c.slice(at, at + 200));
      const linkCall = link && src.call(at + link[0].length - 1);
      if (!link || !linkCall) break;
      if (link[1] === 'route' && linkCall.args[0]) {
        for (const h of methodRouter(src, linkCall.args[0])) register(ctx, out, h.method, path.value, h.handler, line, m.index);
      } else if (/^to(?:_async)?$/.test(link[1]!) && linkCall.args[0]) {
        register(ctx, out, undefined, path.value, linkCall.args[0], line, m.index);
      }
      at = linkCall.end;
    }
  }
  rustAttributeRoutes(ctx, out);
}

/** A registration: the prefix of the code around it, and the handler's place. */
export function register(
  ctx: RustContext,
  out: RouteDefinition[],
  method: string | undefined,
  path: string,
  handler: Arg | undefined,
  line: number,
  at: number,
): void {
  const { prefix, partial, mountKey } = placeOf(ctx, at);
  emit(out, ctx.src.file, {
    method,
    route: joinPaths(prefix, path),
    ...handlerOf(ctx, handler, line),
    framework: ctx.framework,
    partial,
    mountKey,
  });
}

/** `get(h).post(h2)`, `routing::get(h)`, `on(MethodFilter::GET, h)`, actix `web::get().to(h)`: method and handler pairs. */
function methodRouter(src: Source, arg: Arg): { method: string | undefined; handler: Arg | undefined }[] {
  const out: { method: string | undefined; handler: Arg | undefined }[] = [];
  const c = src.code;
  const head = new RegExp(`^(?:[\\w]+::)*(${VERBS}|any|on|route|method)(?:_service)?\\s*\\(`).exec(arg.text);
  if (!head) return out;
  const first = src.call(arg.start + head[0].length - 1);
  if (!first) return out;
  const verb = (name: string, call: { args: Arg[] }): { method: string | undefined; handler: Arg | undefined } | undefined => {
    if (name === 'any') return { method: undefined, handler: call.args[0] };
    if (name === 'on') return { method: /\b([A-Z]+)\s*$/.exec(call.args[0]?.text ?? '')?.[1], handler: call.args[1] };
    return new RegExp(`^(?:${VERBS})$`).test(name) ? { method: name.toUpperCase(), handler: call.args[0] } : undefined;
  };
  // actix: `web::get()` takes no handler; `.to(h)` gives it
  let pending: string | undefined = first.args.length === 0 ? head[1] : undefined;
  if (pending === undefined) {
    const v = verb(head[1]!, first);
    if (v) out.push(v);
  }
  for (let at = first.end; ;) {
    const link = /^\s*\.\s*(\w+)\s*\(/.exec(c.slice(at, Math.min(c.length, at + 200)));
    const call = link && src.call(at + link[0].length - 1);
    if (!link || !call || at + link[0].length > arg.end) break;
    const name = link[1]!.replace(/_service$/, '');
    if (pending !== undefined && /^to(?:_async)?$/.test(name)) {
      out.push({ method: /^(?:route|method)$/.test(pending) ? undefined : pending.toUpperCase(), handler: call.args[0] });
      pending = undefined;
    } else if (pending !== undefined && name === 'method') {
      pending = /\b([A-Z]+)\s*$/.exec(call.args[0]?.text ?? '')?.[1]?.toLowerCase() ?? pending;
    } else {
      const v = verb(name, call);
      if (v) out.push(v);
    }
    at = call.end;
  }
  return out;
}

/** `.nest("/p", inner)`: the routes of `inner` get the prefix, inline, through a `let`, or through the function building them. */
function nestTarget(ctx: RustContext, mounts: RouteMount[], target: Arg, prefix: string, at: number): void {
  const { src } = ctx;
  const call = /^([\w:]+)\s*\(\s*\)/.exec(target.text);
  if (call && !/^(?:Router|Scope|Route)::new$/.test(call[1]!)) return mountFn(ctx, mounts, fnKey(ctx, call[1]!), prefix, at);
  if (/^\w+$/.test(target.text)) {
    const fn = enclosingFn(ctx, at);
    const from = fn?.start ?? 0;
    const binding = [
      ...src.code.slice(from, at).matchAll(new RegExp(`\\blet\\s+(?:mut\\s+)?${target.text}\\b[^=;]*=`, 'g')),
    ].pop();
    if (binding) {
      const start = from + binding.index;
      ctx.scopes.push({ start, end: statementEnd(src, start + binding[0].length), prefix });
    }
    return;
  }
  if (prefix !== '') ctx.scopes.push({ start: target.start, end: target.end, prefix });
}

/** A mount of the routes `key` names under the prefix of the code at `at` (itself mounted elsewhere when in a router function). */
function mountFn(ctx: RustContext, mounts: RouteMount[], key: string, prefix: string, at: number): void {
  const place = placeOf(ctx, at);
  emitMount(mounts, {
    key,
    prefix: joinPaths(place.prefix, prefix),
    parentKey: place.mountKey,
    file: ctx.src.file,
    line: ctx.src.line(at),
  });
}

/** The key of a router function named at a call: `articles::router` → that module's, `router` → an import's or this module's. */
function fnKey(ctx: RustContext, path: string): string {
  const segments = path.split('::');
  const name = segments.pop()!;
  const last = segments.at(-1);
  const module = last === undefined ? (ctx.uses.get(name)?.at(-1) ?? ctx.module) : last === 'self' ? ctx.module : last;
  return `rust:${ctx.crate}:${module}::${name}`;
}

/** After a call ending at `from`: the end of the method chain continuing it (`.service(…).route(…)`). */
function chainEnd(src: Source, from: number): number {
  let at = from;
  for (;;) {
    const link = /^\s*\.\s*\w+\s*(?:::<[^>]*>)?\s*\(/.exec(src.code.slice(at, at + 200));
    const call = link && src.call(at + link[0].length - 1);
    if (!link || !call) return at;
    at = call.end;
  }
}

/** The `;` ending the statement that continues at `from` (brackets skipped whole). */
function statementEnd(src: Source, from: number): number {
  const c = src.code;
  for (let i = from; i < c.length; i++) {
    const ch = c[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      const close = src.close(i);
      if (close < 0) return c.length;
      i = close;
    } else if (ch === ';' || ch === '}') return i;
  }
  return c.length;
}
