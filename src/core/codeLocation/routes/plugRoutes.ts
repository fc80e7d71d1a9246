/**
 * Elixir Plug.Router modules: `get "/hello/:name" do … end`, `post "/x", do: …`, `match "/x", via: [:get, :head]`,
 * `post "/upload", to: UploadPlug`, and `forward "/users", to: UsersRouter`, which mounts another router module.
 * Handlers are blocks (the registration is the answer); a router module serves under whatever forwards to it.
 */
import { emit, emitMount } from './emit';
import type { RouteDefinition, RouteMount } from './routeTypes';
import type { Source } from './sourceScan';

const PLUG_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'match']);

const mountKey = (module: string): string => `plug:${module.split('.').pop()}`;

export function plugRoutes(src: Source, out: RouteDefinition[], mounts: RouteMount[]): void {
  const c = src.code;
  if (!/\buse\s+Plug\.Router\b/.test(c)) return;
  const modules = [...c.matchAll(/^[ \t]*defmodule\s+([\w.]+)\s+do/gm)].map((m) => ({ name: m[1]!, at: m.index }));
  const moduleAt = (at: number) => modules.filter((m) => m.at <= at).pop()?.name ?? '';
  for (const m of c.matchAll(/^[ \t]*(\w+)[ \t(]+"([^"]*)"([^\n]*)$/gm)) {
    const [, keyword, path, rest = ''] = m;
    const module = moduleAt(m.index);
    const line = src.line(m.index + m[0].indexOf(keyword!));
    if (keyword === 'forward') {
      const target = /\bto:\s*([A-Z][\w.]*)/.exec(rest);
      if (target)
        emitMount(mounts, { key: mountKey(target[1]!), prefix: path!, parentKey: mountKey(module), file: src.file, line });
      continue;
    }
    // a route has a body: a block, an inline `do:`, or a plug it hands the request `to:`
    if (!PLUG_VERBS.has(keyword!) || !/\bdo\s*$|\bdo:|\bto:/.test(rest)) continue;
    const via = /\bvia:\s*(\[[^\]]*\]|:\w+)/.exec(rest);
    const methods =
      keyword === 'match' ? (via ? via[1]!.match(/\w+/g)!.map((v) => v.toUpperCase()) : [undefined]) : [keyword!.toUpperCase()];
    for (const method of methods) {
      emit(out, src.file, { method, route: path!, line, framework: 'plug', partial: true, mountKey: mountKey(module) });
    }
  }
}
