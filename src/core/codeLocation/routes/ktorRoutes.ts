/**
 * Ktor server routing: `routing { route("/api") { get("/x") { … } } }`. Handlers are lambdas, so the answer is
 * the registration. Routes declared in extension functions (`fun Route.articles() { … }`) are installed by a call
 * inside another routing block, maybe in another file: they carry a mount key and the call site mounts them.
 */
import { emit, emitMount, joinPaths } from './emit';
import type { RouteDefinition, RouteMount } from './routeTypes';
import type { Source } from './sourceScan';

const KTOR_VERB = /(?<![.\w])(get|post|put|delete|patch|head|options|route|routing|authenticate)\s*(\([^)]*\))?\s*\{/g;
const VERBS = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options']);

interface KtorBlock {
  start: number;
  end: number;
  path: string;
}

/** Extension functions of a module are installed by name: keyed by the module (up to `src/main/`) and name. */
const ktorKey = (file: string, name: string): string => {
  const main = file.indexOf('src/main/');
  return `ktor:${main >= 0 ? file.slice(0, main) : ''}${name}`;
};

export function ktorRoutes(src: Source, out: RouteDefinition[], mounts: RouteMount[]): void {
  const c = src.code;
  // `fun Route.userRoutes() {`: the body registers on a route handed in
  const extensions: { name: string; start: number; end: number }[] = [];
  for (const m of c.matchAll(/\bfun\s+(?:Route|Routing)\.(\w+)\s*\([^)]*\)\s*(?::\s*\w+\s*)?\{/g)) {
    const open = m.index + m[0].length - 1;
    extensions.push({ name: m[1]!, start: open, end: src.close(open) });
  }
  const blocks: KtorBlock[] = [];
  const registrations: { verb: string; path: string; at: number; line: number }[] = [];
  const calls: { name: string; at: number }[] = [];
  for (const m of c.matchAll(KTOR_VERB)) {
    const name = m[1]!;
    const open = m.index + m[0].length - 1;
    const args = m[2] === undefined ? undefined : src.call(m.index + m[0].indexOf('('));
    const path = args?.args[0] ? src.string(args.args[0].start)?.value : '';
    if (path === undefined) continue;
    if (name === 'routing' || name === 'route' || name === 'authenticate') {
      blocks.push({ start: open, end: src.close(open), path: name === 'route' ? path : '' });
      // `route("/x", HttpMethod.Get) { handle { } }`
      const method = name === 'route' && /HttpMethod\.(\w+)/.exec(args?.args[1]?.text ?? '')?.[1];
      // inside its own block: the route's path applies
      if (method) registrations.push({ verb: method.toLowerCase(), path: '', at: open + 1, line: src.line(m.index) });
    } else if (VERBS.has(name)) {
      registrations.push({ verb: name, path, at: m.index, line: src.line(m.index) });
    }
  }
  for (const m of c.matchAll(/(?<![.\w])(\w+)\s*\(\s*\)\s*(?=[\n;}])/g)) calls.push({ name: m[1]!, at: m.index });

  const place = (at: number) => {
    const enclosing = blocks.filter((b) => b.start < at && at < b.end);
    const fn = extensions.find((e) => e.start < at && at < e.end);
    return {
      inside: enclosing.length > 0 || fn !== undefined,
      prefix: joinPaths(...enclosing.sort((a, b) => a.start - b.start).map((b) => b.path)),
      mountKey: fn && ktorKey(src.file, fn.name),
    };
  };
  for (const r of registrations) {
    const p = place(r.at);
    // a verb call outside any routing block is not a route (the HTTP client's `get(url) { … }` has a receiver anyway)
    if (!p.inside) continue;
    emit(out, src.file, {
      method: r.verb,
      route: joinPaths(p.prefix, r.path),
      line: r.line,
      framework: 'ktor',
      partial: p.mountKey !== undefined,
      mountKey: p.mountKey,
    });
  }
  // `routing { route("/api") { articles() } }` installs the routes `fun Route.articles()` declares, maybe elsewhere
  for (const k of calls) {
    const p = place(k.at);
    if (!p.inside) continue;
    emitMount(mounts, {
      key: ktorKey(src.file, k.name),
      prefix: p.prefix,
      parentKey: p.mountKey,
      file: src.file,
      line: src.line(k.at),
    });
  }
}
