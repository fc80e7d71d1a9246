/**
 * Starlette route tables: `Route("/x", endpoint, methods=[…])`, `Mount("/api", routes=[…])` (inline, or a list
 * named in the same file) and `app.add_route("/x", endpoint)`. A table that no `Starlette(…)`/`Router(…)` in
 * the file takes is mounted elsewhere: its routes are partial.
 */
import { emit, handlerName, handlerPlace, joinPaths } from './emit';
import type { RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

export function starletteRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  if (!/\bstarlette\b/.test(c)) return;
  const scopes: { start: number; end: number; prefix: string }[] = [];
  for (const m of c.matchAll(/\bMount\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    const routes = call && (src.keyword(call, 'routes') ?? call.args[1]);
    if (!call || !path || !routes) continue;
    if (routes.text.startsWith('[')) {
      scopes.push({ start: routes.start, end: routes.end, prefix: path.value });
    } else if (/^\w+$/.test(routes.text)) {
      const list = new RegExp(`^[ \\t]*${routes.text}[ \\t]*(?::[^=\\n]+)?=[ \\t]*\\[`, 'm').exec(c);
      const close = list ? src.close(list.index + list[0].length - 1) : -1;
      if (list && close > 0) scopes.push({ start: list.index, end: close, prefix: path.value });
    }
  }
  const served = /\b(?:Starlette|Router)\s*\([^)]*\broutes\s*=|\bStarlette\s*\(/.test(c);
  const prefixAt = (at: number) =>
    joinPaths(
      ...scopes
        .filter((s) => s.start <= at && at < s.end)
        .sort((a, b) => a.start - b.start)
        .map((s) => s.prefix),
    );
  const add = (at: number, path: string, endpoint: string | undefined, methods: string[]) => {
    const handler = endpoint === undefined ? undefined : handlerName({ start: 0, end: 0, text: endpoint });
    const place = handlerPlace(src, handler, src.line(at));
    for (const method of methods.length > 0 ? methods : [undefined]) {
      emit(out, src.file, {
        method,
        route: joinPaths(prefixAt(at), path),
        ...place,
        handler,
        framework: 'starlette',
        partial: !served,
      });
    }
  };
  for (const m of c.matchAll(/(?<![.\w])Route\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const endpoint = src.keyword(call, 'endpoint') ?? call.args.filter((a) => !/^\w+\s*=/.test(a.text))[1];
    const methods = src.keyword(call, 'methods');
    add(m.index, path.value, endpoint?.text, methods ? src.strings(methods.start, methods.end).map((s) => s.toUpperCase()) : []);
  }
  for (const m of c.matchAll(/\b\w+\.add_route\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const endpoint = src.keyword(call, 'route') ?? call.args.filter((a) => !/^\w+\s*=/.test(a.text))[1];
    const methods = src.keyword(call, 'methods');
    add(m.index, path.value, endpoint?.text, methods ? src.strings(methods.start, methods.end).map((s) => s.toUpperCase()) : []);
  }
}
