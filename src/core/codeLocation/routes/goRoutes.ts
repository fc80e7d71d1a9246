/** Go: net/http (1.22 patterns), gorilla/mux, gin, echo, chi and fiber, with groups, `Route` closures and `Mount`s. */
import { emit, emitMount, handlerPlace, handlerName, joinPaths } from './emit';
import type { RouteDefinition, RouteMount } from './routeTypes';
import type { Call, Source } from './sourceScan';

interface GoScope {
  start: number;
  end: number;
  /** the router parameter inside a chi `Route` closure */
  param?: string;
  /** the receiver `Route` or `Mount` was called on, and where */
  receiver: string;
  at: number;
  path: string;
}

/** Routes registered on a group handed to function `fn` of package `pkg` as a parameter: the key mounts name them by. */
const mountKey = (pkg: string, fn: string): string => `go:${pkg}.${fn}`;

export function goRoutes(src: Source, out: RouteDefinition[], mounts: RouteMount[]): void {
  const c = src.code;
  const framework = /"github\.com\/gin-gonic\/gin"/.test(c)
    ? 'gin'
    : /"github\.com\/labstack\/echo/.test(c)
      ? 'echo'
      : /"github\.com\/go-chi\/chi/.test(c)
        ? 'chi'
        : /"github\.com\/gofiber\/fiber/.test(c)
          ? 'fiber'
          : /"github\.com\/gorilla\/mux"/.test(c)
            ? 'gorilla'
            : 'go';
  const pkg = /^package[ \t]+(\w+)/m.exec(c)?.[1] ?? '';
  const imports = goImports(c);
  // top-level functions, for "same function" group resolution and Mount targets; a method's receiver is a parameter too
  const funcs: { name: string; start: number; end: number; params: string }[] = [];
  for (const m of c.matchAll(/^func[ \t]+(?:\(([^)]*)\)[ \t]*)?(\w+)[ \t]*(?:\[[^\]]*\])?\(([^)]*)\)[^\n{]*\{/gm)) {
    const open = m.index + m[0].length - 1;
    const close = src.close(open);
    funcs.push({ name: m[2]!, start: open, end: close < 0 ? c.length : close, params: [m[1], m[3]].filter(Boolean).join(', ') });
  }
  const funcAt = (pos: number) => funcs.find((f) => f.start <= pos && pos <= f.end);

  const scopes: GoScope[] = [];
  for (const m of c.matchAll(/\b(\w+)\s*\.\s*Route\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    const fn = call?.args[1] && /^func\s*\(\s*(\w+)/.exec(call.args[1].text);
    if (!call || !path || !fn) continue;
    const open = c.indexOf('{', call.args[1]!.start);
    scopes.push({ start: open, end: src.close(open), param: fn[1]!, receiver: m[1]!, at: m.index, path: path.value });
  }
  for (const m of c.matchAll(/\b(\w+)\s*\.\s*Mount\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    const target = call?.args[1] && /(\w+)\s*\(\s*\)$/.exec(call.args[1].text);
    const fn = target && funcs.find((f) => f.name === target[1]);
    if (path && fn) scopes.push({ start: fn.start, end: fn.end, receiver: m[1]!, at: m.index, path: path.value });
  }
  const groups: { name: string; parent: string; at: number; path: string }[] = [];
  for (const m of c.matchAll(/\b(\w+)\s*:?=\s*(\w+)\s*\.\s*(?:Group|PathPrefix)\s*\(/g)) {
    const path = src.string(m.index + m[0].length);
    if (path) groups.push({ name: m[1]!, parent: m[2]!, at: m.index, path: path.value });
  }

  interface Prefix {
    prefix: string;
    partial: boolean;
    /** the function whose group parameter the prefix is relative to */
    parentKey?: string;
  }
  const prefixOf = (name: string, pos: number, depth: number): Prefix => {
    if (depth > 16) return { prefix: '', partial: true };
    const fn = funcAt(pos);
    const closure = scopes.filter((s) => s.param === name && s.start < pos && pos < s.end).pop();
    if (closure) {
      const outer = prefixOf(closure.receiver, closure.at, depth + 1);
      return { ...outer, prefix: joinPaths(outer.prefix, closure.path) };
    }
    const group = groups.filter((g) => g.name === name && g.at < pos && (!fn || (fn.start <= g.at && g.at <= fn.end))).pop();
    if (group) {
      const outer = prefixOf(group.parent, group.at, depth + 1);
      return { ...outer, prefix: joinPaths(outer.prefix, group.path) };
    }
    const mount = fn && scopes.find((s) => s.param === undefined && s.start === fn.start);
    if (mount) {
      const outer = prefixOf(mount.receiver, mount.at, depth + 1);
      return { ...outer, prefix: joinPaths(outer.prefix, mount.path) };
    }
    // a router group handed in as a parameter was made, and maybe prefixed, elsewhere; a whole engine was not
    const param = fn && new RegExp(`(?:^|,)\\s*${name}\\s+([^,]+)`).exec(fn.params);
    if (!param || /\b(?:gin\.Engine|echo\.Echo|fiber\.App|http\.ServeMux)\b/.test(param[1]!))
      return { prefix: '', partial: false };
    return { prefix: '', partial: true, parentKey: mountKey(pkg, fn.name) };
  };

  const register = (
    receiver: string,
    at: number,
    method: string | undefined,
    pattern: string,
    call: Call,
    line: number,
    prefixUnknown = false,
  ) => {
    let path = pattern;
    let verb = method;
    const spaced = /^([A-Z]+)\s+(.*)$/.exec(path);
    if (spaced) [verb, path] = [spaced[1], spaced[2]!];
    // net/http host patterns: "api.example.com/orders"
    if (path !== '' && !path.startsWith('/')) {
      const host = /^[\w-]+(?:\.[\w-]+)+(?::\d+)?(?=\/)/.exec(path);
      if (!host) return;
      path = path.slice(host[0].length);
    }
    const handler = handlerName(call.args[call.args.length - 1]);
    const outer = prefixOf(receiver, at, 0);
    const { prefix, parentKey } = outer;
    const partial = outer.partial || prefixUnknown;
    const gorilla = /^\s*\.\s*Methods\s*\(/.exec(c.slice(call.end, call.end + 100));
    const gorillaCall = gorilla ? src.call(call.end + gorilla[0].length - 1) : undefined;
    const verbs = gorillaCall ? gorillaCall.args.flatMap((a) => src.strings(a.start, a.end)) : [verb];
    const place = handlerPlace(src, handler, line);
    // `h.GetArticle`: the owner is h's type (a receiver or parameter), or the package an import names
    if (place.handlerRef?.owner !== undefined) {
      const owner = place.handlerRef.owner;
      place.handlerRef.owner = imports.get(owner) ?? typeOf(owner, funcAt(at)?.params) ?? localType(owner, at) ?? owner;
    }
    for (const v of verbs) {
      emit(out, src.file, {
        method: v,
        route: joinPaths(prefix, path),
        ...place,
        handler,
        framework,
        partial,
        mountKey: parentKey,
      });
    }
  };

  const verbs =
    /\b(\w+)\s*\.\s*(HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options|Connect|Trace|All|Method|MethodFunc)\s*\(/g;
  for (const m of c.matchAll(verbs)) {
    const name = m[2]!;
    const call = src.call(m.index + m[0].length - 1);
    if (!call || call.args.length < 2) continue;
    const line = src.line(m.index + m[0].indexOf(name));
    const first = src.string(call.args[0]!.start);
    if (!first) {
      // `options.BaseURL+"/orders"` (oapi-codegen's chi and gorilla servers): a prefix known only at run time
      const based = /^[\w.]+\s*\+\s*"(\/[^"]*)"$/.exec(call.args[0]!.text.trim());
      const verb =
        /^[A-Z]+$/.test(name) || /^(?:Get|Post|Put|Delete|Patch|Head|Options)$/.test(name) ? name.toUpperCase() : undefined;
      if (based) register(m[1]!, m.index, verb, based[1]!, call, line, true);
      continue;
    }
    if (name === 'Method' || name === 'MethodFunc' || (name === 'Handle' && /^[A-Z]+$/.test(first.value))) {
      // chi r.Method("GET", "/x", h); gin r.Handle("GET", "/x", h)
      const path = call.args.length >= 3 ? src.string(call.args[1]!.start) : undefined;
      if (path) register(m[1]!, m.index, first.value, path.value, call, line);
      continue;
    }
    const verb = name === 'HandleFunc' || name === 'Handle' || name === 'Any' || name === 'All' ? undefined : name.toUpperCase();
    // gin and echo accept "" for a group's own path
    if (verb !== undefined && first.value !== '' && !first.value.startsWith('/')) continue;
    register(m[1]!, m.index, verb, first.value, call, line);
  }

  // `orders.Register(v1.Group("/orders"))`, `h.Register(v1)`: a function that registers routes on the group it is handed
  if (groups.length === 0 && !/\.\s*(?:Group|PathPrefix)\s*\(/.test(c)) return;
  const groupNames = new Set(groups.map((g) => g.name));
  for (const m of c.matchAll(/\b(?:(\w+)\s*\.\s*)?([A-Za-z_]\w*)\s*\(/g)) {
    const callee = m[2]!;
    if (GO_ROUTER_METHODS.has(callee) || /^(?:func|if|for|switch|return|go|defer)$/.test(callee)) continue;
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    for (const a of call.args) {
      let prefix: Prefix | undefined;
      const inline = /^(\w+)\s*\.\s*(?:Group|PathPrefix)\s*\(\s*"([^"]*)"/.exec(a.text);
      if (inline) {
        const outer = prefixOf(inline[1]!, m.index, 0);
        prefix = { ...outer, prefix: joinPaths(outer.prefix, inline[2]!) };
      } else if (/^\w+$/.test(a.text) && groupNames.has(a.text)) {
        prefix = prefixOf(a.text, m.index, 0);
      }
      if (!prefix) continue;
      emitMount(mounts, {
        key: mountKey(calleePackage(m[1], m.index), callee),
        prefix: prefix.prefix,
        parentKey: prefix.parentKey,
        partial: prefix.partial && prefix.parentKey === undefined,
        file: src.file,
        line: src.line(m.index),
      });
    }
  }

  /** The package a called function is in: an import's, the package of a variable's type or constructor, else this one. */
  function calleePackage(qualifier: string | undefined, at: number): string {
    if (qualifier === undefined) return pkg;
    const imported = imports.get(qualifier);
    if (imported !== undefined) return imported;
    const fn = funcAt(at);
    const typed = typeOf(qualifier, fn?.params, true);
    if (typed !== undefined) return typed;
    const made = new RegExp(`\\b${qualifier}\\s*:?=\\s*&?(\\w+)\\.`).exec(c.slice(fn?.start ?? 0, at))?.[1];
    return made !== undefined ? (imports.get(made) ?? pkg) : pkg;
  }

  /** The type of a local made in the enclosing function: `h := &Handlers{…}`, `h := NewHandlers(…)`. */
  function localType(name: string, at: number): string | undefined {
    const fn = funcAt(at);
    const body = c.slice(fn?.start ?? 0, at);
    const m = new RegExp(`\\b${name}\\s*:?=\\s*&?(?:\\w+\\.)?(?:New)?([A-Z]\\w*)\\s*[{(]`).exec(body);
    return m?.[1];
  }

  /** The type (or, with `pkgOnly`, its package) of a parameter or receiver `name` in `params`. */
  function typeOf(name: string, params: string | undefined, pkgOnly = false): string | undefined {
    const m = params && new RegExp(`(?:^|,)\\s*${name}\\s+\\*?(?:(\\w+)\\.)?(\\w+)`).exec(params);
    if (!m) return undefined;
    if (!pkgOnly) return m[2];
    return m[1] !== undefined ? (imports.get(m[1]) ?? m[1]) : pkg;
  }
}

/** Import names → the package name their path ends in (`"github.com/shop/orders/v2"` → orders). */
function goImports(c: string): Map<string, string> {
  const out = new Map<string, string>();
  const block = /^import[ \t]*\(([\s\S]*?)^\)/m.exec(c)?.[1] ?? '';
  const singles = [...c.matchAll(/^import[ \t]+((?:\w+|\.)[ \t]+)?"[^"]+"/gm)].map((m) => m[0].replace(/^import[ \t]+/, ''));
  for (const line of [...block.split('\n'), ...singles]) {
    const m = /^[ \t]*(\w+[ \t]+)?"([^"]+)"/.exec(line);
    if (!m) continue;
    const parts = m[2]!.split('/');
    if (parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1]!)) parts.pop();
    const name = parts[parts.length - 1]!.replace(/^go-|[.-]go$/g, '').replace(/[^\w]/g, '');
    const alias = m[1]?.trim();
    if (alias === '_' || alias === '.') continue;
    out.set(alias ?? name, name);
  }
  return out;
}

/** Methods of the routers themselves: a call to one is a registration, not a mount. */
const GO_ROUTER_METHODS: ReadonlySet<string> = new Set(
  'Group PathPrefix Route Mount Use With HandleFunc Handle GET POST PUT DELETE PATCH HEAD OPTIONS Any Get Post Put Delete Patch Head Options Connect Trace All Method MethodFunc Subrouter Static File'.split(
    ' ',
  ),
);
