/**
 * Rust routes declared on the handler: actix-web and rocket attribute macros (`#[get("/users/{id}")]`,
 * `#[route("/x", method = "GET", method = "HEAD")]`, rocket's `<id>`, `<path..>` and `?<query>`), registered by
 * `.service(f)` or `routes![f]` elsewhere; and warp `path!` filters.
 */
import { emit } from './emit';
import type { RouteDefinition } from './routeTypes';
import { handlerOf, placeOf, rustFnMacroKey, type RustContext } from './rustContext';

const ATTRIBUTE =
  /#\[\s*(?:(?:actix_web|rocket)::)?(get|post|put|delete|patch|head|options|trace|connect|route)\s*\(\s*"((?:[^"\\]|\\.)*)"([^\]]*)\]/g;

export function rustAttributeRoutes(ctx: RustContext, out: RouteDefinition[]): void {
  const { src } = ctx;
  const c = src.code;
  const framework = ctx.framework === 'rocket' ? 'rocket' : 'actix';
  for (const m of c.matchAll(ATTRIBUTE)) {
    const fn = /^(?:\s*#\[[^\]]*\])*\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)/.exec(
      c.slice(m.index + m[0].length, m.index + m[0].length + 500),
    );
    if (!fn) continue;
    const name = fn[1]!;
    let methods: (string | undefined)[] = [m[1]!.toUpperCase()];
    if (m[1] === 'route') {
      const listed = [...m[3]!.matchAll(/\bmethod\s*=\s*"?(\w+)"?/g)].map((v) => v[1]!.toUpperCase());
      methods = listed.length > 0 ? listed : [undefined];
    }
    // rocket's query part is not in the path
    const path = m[2]!.replace(/\?.*$/, '');
    const line = src.line(m.index + m[0].length + fn.index + fn[0].length - name.length);
    for (const method of methods) {
      emit(out, src.file, {
        method,
        route: path,
        line,
        handler: name,
        framework,
        // served under the prefix of the scope or mount that registers it, maybe in another file
        partial: true,
        mountKey: rustFnMacroKey(ctx.crate, name),
      });
    }
  }
  if (ctx.framework === 'warp') warpRoutes(ctx, out);
}

/** `warp::path!("users" / u32).and(warp::get()).and_then(handlers::get_user)`: one route, partial (filters nest). */
function warpRoutes(ctx: RustContext, out: RouteDefinition[]): void {
  const { src } = ctx;
  const c = src.code;
  for (const m of c.matchAll(/\b(?:warp::)?path!\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const body = c.slice(m.index + m[0].length, call.end - 1);
    const segments = body
      .split('/')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== '..');
    const path = segments.map((s) => (/^"[^"]*"$/.test(s) ? s.slice(1, -1) : '{}')).join('/');
    // the statement the filter is built in: its method filter and its handler
    let end = c.indexOf(';', call.end);
    if (end < 0) end = c.length;
    const next = c.slice(call.end).search(/\bpath!\s*\(/);
    if (next >= 0) end = Math.min(end, call.end + next);
    const rest = c.slice(call.end, end);
    const method = /\bwarp::(get|post|put|delete|patch|head|options)\s*\(\s*\)/.exec(rest)?.[1]?.toUpperCase();
    const handlerAt = /\.\s*(?:and_then|map|then)\s*\(\s*/.exec(rest);
    const handlerCall = handlerAt && src.call(call.end + handlerAt.index + handlerAt[0].indexOf('('));
    const line = src.line(m.index);
    const { prefix } = placeOf(ctx, m.index);
    emit(out, src.file, {
      method,
      route: `${prefix}/${path}`,
      ...handlerOf(ctx, handlerCall?.args[0], line),
      framework: 'warp',
      partial: true,
    });
  }
}
