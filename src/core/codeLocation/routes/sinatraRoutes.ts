/**
 * Ruby apps outside Rails: Sinatra (classic top-level routes, modular classes, sinatra-contrib `namespace`) and
 * Grape (`prefix`, path `version`, `namespace`/`resource`/`group`/`segment`, `route_param`, `mount`), read line by
 * line with a stack of the `do … end` blocks and class bodies. Rack `map '/x' do run App end` and `run App` mount a
 * class. A route of a class is relative to where the class is mounted; Sinatra's instrumentation reports it so
 * (`http.route` `/:id` without the mount prefix), Grape's with its prefix and version.
 */
import { emit, emitMount, joinPaths } from './emit';
import type { RouteDefinition, RouteMount } from './routeTypes';
import type { Source } from './sourceScan';

const SINATRA_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'link', 'unlink']);
const GRAPE_NAMESPACES = new Set(['namespace', 'resource', 'resources', 'group', 'segment']);

interface RubyFrame {
  /** path prefix inside the app (namespaces, Grape route params) */
  path: string;
  /** the innermost class or module body, with what Grape sets on it */
  owner?: RubyClass;
  /** inside a method body: nothing there is a route */
  inDef?: boolean;
}

interface RubyClass {
  name: string;
  grape: boolean;
  /** Grape `prefix` and path `version`, in the order Grape puts them */
  prefix: string;
  version: string;
}

/** Routes of a class are registered relative to the prefix its mount gives it: the key mounts name it by. */
const mountKey = (className: string): string => `ruby:${className.split('::').pop()}`;

export function sinatraRoutes(src: Source, out: RouteDefinition[], mounts: RouteMount[]): void {
  const lines = src.code.split('\n');
  // Grape APIs may derive from a base class defined elsewhere: their DSL gives them away
  const fileIsGrape = /\bGrape::API\b|^[ \t]*(?:route_param|resources?)[ \t(]+:\w+.*\bdo\b|^[ \t]*desc[ \t(]+['"]/m.test(
    src.code,
  );
  const stack: RubyFrame[] = [{ path: '' }];
  const mapStack: { prefix: string; depth: number }[] = [];

  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let text = lines[i]!.trim();
    // arguments continued over several lines: `get '/x',\n    provides: :json do`
    while (/,$/.test(text) && i + 1 < lines.length) text += ' ' + lines[++i]!.trim();
    const top = stack[stack.length - 1]!;
    // only `do … end` blocks are tracked: `{ … }` blocks close with a brace and hold no `end`
    const blockOpens = /\bdo(?:\s*\|[^|]*\|)?$/.test(text);
    if (/^end\b/.test(text)) {
      if (stack.length > 1) stack.pop();
      while (mapStack.length > 0 && mapStack[mapStack.length - 1]!.depth > stack.length) mapStack.pop();
      continue;
    }
    const cls = /^(class|module)\s+([A-Z][\w:]*)(?:\s*<\s*([\w:]+))?/.exec(text);
    if (cls) {
      if (/\bend$/.test(text)) continue;
      const outer = top.owner;
      const name = outer && !cls[2]!.includes('::') ? `${outer.name}::${cls[2]}` : cls[2]!;
      const grape = cls[1] === 'class' && (/\bGrape::API\b/.test(cls[3] ?? '') || (fileIsGrape && cls[3] !== undefined));
      stack.push({ path: '', owner: { name, grape, prefix: '', version: '' } });
      continue;
    }
    if (/^def\s/.test(text)) {
      if (!/\bend$/.test(text) && !/^def\s+[\w?!.]+(?:\([^)]*\))?\s*=/.test(text)) stack.push({ ...top, inDef: true });
      continue;
    }
    if (/^(?:if|unless|case|begin|while|until|for)\b/.test(text) && !/\bend$/.test(text)) {
      stack.push({ ...top });
      continue;
    }
    const word = /^(\w+)\b\s*\(?\s*(.*)$/.exec(text);
    const keyword = word?.[1] ?? '';
    const rest = word?.[2] ?? '';
    const owner = top.owner;
    const grape = owner?.grape ?? false;
    if (top.inDef || !word) {
      if (blockOpens) stack.push({ ...top });
      continue;
    }

    if (owner && grape && (keyword === 'prefix' || keyword === 'version')) {
      const value = firstValue(rest);
      if (keyword === 'prefix' && value !== undefined) owner.prefix = value;
      // path versioning is Grape's default strategy; header and param versioning leave the path alone
      if (keyword === 'version' && value !== undefined && !/\busing:\s*:(?!path\b)/.test(rest)) owner.version = value;
      continue;
    }
    if (grape && (GRAPE_NAMESPACES.has(keyword) || keyword === 'route_param')) {
      const value = firstValue(rest);
      const segment = value === undefined ? '' : keyword === 'route_param' ? `:${value}` : value;
      if (blockOpens) stack.push({ ...top, path: joinPaths(top.path, segment) });
      continue;
    }
    if (!grape && keyword === 'namespace' && blockOpens) {
      stack.push({ ...top, path: joinPaths(top.path, firstValue(rest) ?? '') });
      continue;
    }
    if (keyword === 'mount') {
      // Grape: `mount Users` or `mount Users => '/users'`, relative to this API's own prefix and version;
      // Rails routes: `mount Api::Root => '/api'` or `mount Api::Root, at: '/api'`
      const target = /^([A-Z][\w:]*)(?:\s*(?:=>|,\s*at:)\s*['"]([^'"]*)['"])?/.exec(rest);
      if (target) {
        emitMount(mounts, {
          key: mountKey(target[1]!),
          prefix: owner
            ? joinPaths(owner.prefix, owner.version, top.path, target[2] ?? '')
            : joinPaths(top.path, target[2] ?? ''),
          parentKey: owner ? mountKey(owner.name) : undefined,
          file: src.file,
          line,
        });
      }
      continue;
    }
    if (keyword === 'map') {
      const value = firstValue(rest);
      const prefix = joinPaths(mapStack[mapStack.length - 1]?.prefix ?? '', value ?? '');
      const inline = /\{\s*run\s+([A-Z][\w:]*)/.exec(rest);
      if (inline && value !== undefined) emitMount(mounts, { key: mountKey(inline[1]!), prefix, file: src.file, line });
      if (!blockOpens) continue;
      stack.push({ ...top });
      if (value !== undefined) mapStack.push({ prefix, depth: stack.length });
      continue;
    }
    if (keyword === 'run' || keyword === 'use') {
      const prefix = mapStack[mapStack.length - 1]?.prefix ?? '';
      // `run Rack::URLMap.new('/api' => Api, '/' => Web)`
      const pairs = [...rest.matchAll(/['"]([^'"]*)['"]\s*=>\s*([A-Z][\w:]*)/g)];
      const target = /^([A-Z][\w:]*)(?:\.new\b|\s|$)/.exec(rest);
      if (pairs.length > 0) {
        for (const p of pairs)
          emitMount(mounts, { key: mountKey(p[2]!), prefix: joinPaths(prefix, p[1]!), file: src.file, line });
      } else if (target) {
        emitMount(mounts, { key: mountKey(target[1]!), prefix, file: src.file, line });
      }
      if (blockOpens) stack.push({ ...top });
      continue;
    }

    const routeVerb = keyword === 'route' && grape;
    // a route has a block; `get '/x'` alone is a test or client call, `get '/x', params: { … }` too
    if ((SINATRA_VERBS.has(keyword) || routeVerb) && (blockOpens || /^\w+\s*\(.*\)\s*\{/.test(text))) {
      let methods: (string | undefined)[] = [keyword.toUpperCase()];
      let args = rest;
      if (routeVerb) {
        const listed = /^(:any|\[[^\]]*\]|['"]\w+['"]|:\w+)\s*,?\s*/.exec(rest);
        if (!listed) continue;
        methods = listed[1] === ':any' ? [undefined] : [...listed[1]!.matchAll(/\w+/g)].map((m) => m[0].toUpperCase());
        args = rest.slice(listed[0].length);
      }
      const path = routePath(args, grape);
      if (path !== undefined) {
        for (const method of methods) {
          const route = grape ? joinPaths(owner!.prefix, owner!.version, top.path, path) : joinPaths(top.path, path);
          const d = { method, route, line, framework: grape ? 'grape' : 'sinatra' };
          // a modular app's routes are relative to where the class is mounted; classic top-level ones are not
          if (owner) emit(out, src.file, { ...d, partial: true, mountKey: mountKey(owner.name) });
          else emit(out, src.file, d);
        }
      }
      if (blockOpens) stack.push({ ...top });
      continue;
    }
    if (blockOpens) stack.push({ ...top });
  }
}

/** The first argument as text: `'/api'`, `"users"`, `:users`. */
function firstValue(rest: string): string | undefined {
  const m = /^(?:['"]([^'"]*)['"]|:(\w+))/.exec(rest);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * The path of a route call's arguments: a string, a `Mustermann.new('…')` pattern, a Grape symbol; Grape's
 * `get do` is the namespace itself. Regex routes are left out (their `http.route` is the regex source).
 */
function routePath(args: string, grape: boolean): string | undefined {
  const pattern = /^Mustermann\.new\s*\(\s*(['"])([^'"]*)\1/.exec(args);
  if (pattern) return pattern[2];
  const value = /^(['"])([^'"]*)\1/.exec(args);
  if (value) return value[2];
  if (!grape) return undefined;
  const symbol = /^:(\w+)/.exec(args);
  if (symbol) return symbol[1];
  return /^(?:do\b|\{|\w+:)/.test(args) || args === '' ? '' : undefined;
}
