/**
 * Phoenix routers: `scope "/api", AppWeb do`, verb macros (`get "/x", XController, :action`), `resources` with
 * `only:`/`except:`/`param:`/`singleton:` and nested resources (`/articles/:article_id/comments`), `live` routes.
 * The handler is the controller action (`def show(conn, params)`), defined in the controller module's file:
 * Phoenix puts `AppWeb.ArticleController` in `lib/app_web/controllers/article_controller.ex`.
 */
import { emit, joinPaths } from './emit';
import type { HandlerRef, HandlerTarget, RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

/** The standard actions: method, path under the collection (plural) and under a singleton. */
const PHOENIX_ACTIONS: readonly [action: string, method: string, plural: string, singular: string][] = [
  ['index', 'GET', '', ''],
  ['edit', 'GET', '/:id/edit', '/edit'],
  ['new', 'GET', '/new', '/new'],
  ['show', 'GET', '/:id', ''],
  ['create', 'POST', '', ''],
  ['update', 'PATCH', '/:id', ''],
  ['update', 'PUT', '/:id', ''],
  ['delete', 'DELETE', '/:id', ''],
];
const PHOENIX_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'connect', 'trace']);

interface PhoenixFrame {
  path: string;
  /** module alias controllers are named relative to: `AppWeb` */
  alias: string;
  /** inside `resources … do`: the base nested routes hang from */
  nested?: string;
}

export function phoenixRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  if (!/\buse\s+[\w.]+,\s*:router\b|\buse\s+Phoenix\.Router\b/.test(c)) return;
  const lib = /^(.*?\/)?lib\//.exec(src.file);
  const root = lib ? `${lib[1] ?? ''}lib/` : src.file.slice(0, src.file.lastIndexOf('/') + 1);
  const stack: PhoenixFrame[] = [{ path: '', alias: '' }];
  const lines = c.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let text = lines[i]!.trim();
    while (/,$/.test(text) && i + 1 < lines.length) text += ' ' + lines[++i]!.trim();
    const top = stack[stack.length - 1]!;
    const opens = /\bdo$/.test(text);
    if (/^end\b/.test(text)) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    // macros may be called with parentheses: `get("/x", XController, :show)`
    const call = /^(\w+)\s*\(?\s*(.*?)\s*\)?(?:\s+do)?$/.exec(text);
    const keyword = call?.[1] ?? '';
    const args = call?.[2] ?? '';
    if (keyword === 'scope') {
      const path = /^"([^"]*)"|\bpath:\s*"([^"]*)"/.exec(args);
      const alias = /^(?:"[^"]*"\s*,\s*)?([A-Z][\w.]*)|\balias:\s*([A-Z][\w.]*)/.exec(args);
      const aliasName = alias ? (alias[1] ?? alias[2]!) : undefined;
      if (opens) {
        stack.push({
          path: joinPaths(top.path, path ? (path[1] ?? path[2]!) : ''),
          alias: aliasName === undefined ? top.alias : top.alias ? `${top.alias}.${aliasName}` : aliasName,
        });
      }
      continue;
    }
    if (keyword === 'resources') {
      const m = /^"([^"]*)"\s*,\s*([A-Z][\w.]*)(.*)$/.exec(args);
      if (!m) {
        if (opens) stack.push({ ...top });
        continue;
      }
      const [, path, controller, options = ''] = m;
      const singleton = /\bsingleton:\s*true\b/.test(options);
      const param = /\bparam:\s*"(\w+)"/.exec(options)?.[1] ?? 'id';
      const only = list(/\bonly:\s*(\[[^\]]*\]|:\w+)/.exec(options));
      const except = list(/\bexcept:\s*(\[[^\]]*\]|:\w+)/.exec(options));
      const base = joinPaths(top.nested ?? top.path, path!);
      const module = qualify(top.alias, controller!);
      for (const [action, method, plural, singular] of PHOENIX_ACTIONS) {
        if ((singleton && action === 'index') || only?.has(action) === false || except?.has(action)) continue;
        const tail = (singleton ? singular : plural).replace(':id', `:${param}`);
        emit(out, src.file, {
          method,
          route: base + tail,
          line,
          framework: 'phoenix',
          ...controllerAction(root, module, action),
        });
      }
      // nested resources take the parent's id as `:<resource>_id`
      const resource = snake(
        controller!
          .split('.')
          .pop()!
          .replace(/Controller$/, ''),
      );
      if (opens) stack.push({ ...top, nested: singleton ? base : `${base}/:${resource}_${param}` });
      continue;
    }
    const verb = PHOENIX_VERBS.has(keyword) ? keyword : keyword === 'live' ? 'get' : undefined;
    if (verb) {
      const m = /^"([^"]*)"\s*,\s*([A-Z][\w.]*)(?:\s*,\s*:(\w+[!?]?))?/.exec(args);
      if (m) {
        const module = qualify(top.alias, m[2]!);
        // a LiveView is served by its module: `mount/3` runs for the request
        const action = keyword === 'live' ? 'mount' : m[3];
        const place = action ? controllerAction(root, module, action) : {};
        emit(out, src.file, {
          method: verb.toUpperCase(),
          route: joinPaths(top.nested ?? top.path, m[1]!),
          line,
          framework: 'phoenix',
          ...place,
        });
      }
      if (opens) stack.push({ ...top });
      continue;
    }
    if (opens) stack.push({ ...top });
  }
}

/** Where a controller action is defined: the files Phoenix's layout gives the module, and the name to look up. */
function controllerAction(
  root: string,
  module: string,
  action: string,
): { handler: string; target: HandlerTarget; handlerRef: HandlerRef } {
  const parts = module.split('.').map(snake);
  const base = parts.pop()!;
  const [app = '', ...inner] = parts;
  const under = (folder: string) => [root, app, folder, ...inner, `${base}.ex`].filter((p) => p !== '').join('/');
  const files = [under(base.endsWith('_live') ? 'live' : 'controllers'), under('')];
  return {
    handler: `${module}.${action}`,
    target: { files: files.map((f) => f.replace(/\/+/g, '/')), symbol: action },
    handlerRef: { name: action, owner: module.split('.').pop()! },
  };
}

function qualify(alias: string, name: string): string {
  return alias ? `${alias}.${name}` : name;
}

/** `RealWorldWeb` → `real_world_web` (Macro.underscore) */
function snake(s: string): string {
  return s
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function list(m: RegExpExecArray | null): Set<string> | undefined {
  return m ? new Set(m[1]!.match(/\w+/g)) : undefined;
}
