/**
 * C++ web frameworks: oat++ (`ENDPOINT("GET", "users/{id}", getUser, …)`, the macro is the handler's
 * definition), Crow (`CROW_ROUTE(app, "/x/<int>")` with `.methods(…)` and a lambda or function, blueprints),
 * Drogon (`ADD_METHOD_TO`, `METHOD_ADD` under the controller's namespace path, `PATH_ADD`, `registerHandler`),
 * cpp-httplib (`svr.Get("/x", handler)`) and Pistache (`Routes::Get(router, "/x", Routes::bind(&H::get, this))`).
 */
import { emit, joinPaths } from './emit';
import type { HandlerRef, RouteDefinition } from './routeTypes';
import type { Arg, Source } from './sourceScan';

const DROGON_METHODS = /\b(Get|Post|Put|Delete|Patch|Head|Options)\b/g;

export function cppRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const add = (method: string | undefined, route: string, line: number, framework: string, handler?: string, ref?: HandlerRef) =>
    emit(out, src.file, { method, route, line, framework, handler, handlerRef: ref });

  for (const m of c.matchAll(/\bENDPOINT(?:_ASYNC)?\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const method = call?.args[0] && src.string(call.args[0].start);
    const path = call?.args[1] && src.string(call.args[1].start);
    if (!call || !method || !path) continue;
    add(method.value, path.value, src.line(m.index), 'oatpp', call.args[2]?.text);
  }

  const blueprints = new Map<string, string>();
  for (const m of c.matchAll(/\bcrow::Blueprint\s+(\w+)\s*[({]\s*"([^"]*)"/g)) blueprints.set(m[1]!, m[2]!);
  for (const m of c.matchAll(/\bCROW_(?:BP_)?ROUTE\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[1] && src.string(call.args[1].start);
    if (!call || !path) continue;
    const prefix = blueprints.get(call.args[0]!.text) ?? '';
    let at = call.end;
    let methods: (string | undefined)[] = [undefined];
    const chained = /^\s*\.\s*methods\s*\(/.exec(c.slice(at, at + 100));
    const methodsCall = chained && src.call(at + chained[0].length - 1);
    if (methodsCall) {
      methods = methodsCall.args.map((a) => {
        const v = /"(\w+)"_method|HTTPMethod::(\w+)/.exec(a.text);
        return v ? (v[1] ?? v[2]) : undefined;
      });
      at = methodsCall.end;
    }
    const handlerCall = /^\s*\(/.exec(c.slice(at, at + 20)) ? src.call(c.indexOf('(', at)) : undefined;
    const { line, handler, ref } = cppHandler(src, handlerCall?.args[0], src.line(m.index));
    for (const method of methods) add(method?.toUpperCase(), joinPaths(prefix, path.value), line, 'crow', handler, ref);
  }

  if (/\bMETHOD_LIST_BEGIN\b/.test(c)) drogonController(src, add);
  for (const m of c.matchAll(/\bregisterHandler\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const methods = [...(call.args[2]?.text ?? '').matchAll(DROGON_METHODS)].map((v) => v[1]!.toUpperCase());
    const { line, handler, ref } = cppHandler(src, call.args[1], src.line(m.index));
    for (const method of methods.length > 0 ? methods : [undefined])
      add(method, path.value.replace(/\?.*$/, ''), line, 'drogon', handler, ref);
  }

  // cpp-httplib: only on a server object, or with a handler taking the Response (a client's Get takes no handler)
  const servers = new Set([...c.matchAll(/\b(?:httplib::)?(?:SSL)?Server\s+(\w+)\s*[;({]/g)].map((m) => m[1]!));
  for (const m of c.matchAll(/\b(\w+)\s*(?:\.|->)\s*(Get|Post|Put|Delete|Patch|Options)\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    const last = call?.args[call.args.length - 1];
    if (!call || !path || call.args.length < 2 || !last) continue;
    if (!servers.has(m[1]!) && !/^\[[^\]]*\]\s*\([^)]*\bResponse\b/.test(last.text)) continue;
    const { line, handler, ref } = cppHandler(src, last, src.line(m.index));
    add(m[2]!.toUpperCase(), path.value, line, 'httplib', handler, ref);
  }

  for (const m of c.matchAll(/\bRoutes::(Get|Post|Put|Delete|Patch|Options|Head)\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[1] && src.string(call.args[1].start);
    if (!call || !path) continue;
    const bound = /^Routes::bind\s*\(\s*&?\s*([\w:]+)/.exec(call.args[2]?.text ?? '');
    const { line, handler, ref } = cppHandler(
      src,
      bound ? { ...call.args[2]!, text: bound[1]! } : call.args[2],
      src.line(m.index),
    );
    add(m[1]!.toUpperCase(), path.value, line, 'pistache', handler, ref);
  }
}

/** Drogon's method list: `ADD_METHOD_TO` paths are absolute, `METHOD_ADD` ones hang from `/<namespaces>/<Class>`. */
function drogonController(
  src: Source,
  add: (method: string | undefined, route: string, line: number, framework: string, handler?: string, ref?: HandlerRef) => void,
): void {
  const c = src.code;
  const namespaces: { name: string; start: number; end: number }[] = [];
  for (const m of c.matchAll(/\bnamespace\s+([\w:]+)\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    namespaces.push({ name: m[1]!.replace(/::/g, '/'), start: open, end: src.close(open) });
  }
  for (const m of c.matchAll(/\b(ADD_METHOD_TO|METHOD_ADD|PATH_ADD|ADD_METHOD_VIA_REGEX)\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const isPath = m[1] === 'PATH_ADD';
    const path = src.string(call.args[isPath ? 0 : 1]?.start ?? -1);
    if (!path) continue;
    const cls = [...c.slice(0, m.index).matchAll(/\bclass\s+(\w+)\s*(?:final\s*)?:/g)].pop()?.[1] ?? '';
    const methods = call.args
      .slice(isPath ? 1 : 2)
      .flatMap((a) => [...a.text.matchAll(DROGON_METHODS)].map((v) => v[1]!.toUpperCase()));
    let route = path.value;
    if (m[1] === 'METHOD_ADD') {
      const ns = namespaces.filter((n) => n.start < m.index && m.index < n.end).map((n) => n.name);
      route = joinPaths(...ns, cls, path.value);
    }
    const line = src.line(m.index);
    const target = isPath ? { ...call.args[0]!, text: `${cls}::asyncHandleHttpRequest` } : call.args[0];
    const { handler, ref } = cppHandler(src, target, line, true);
    for (const method of methods.length > 0 ? methods : [undefined]) add(method, route, line, 'drogon', handler, ref);
  }
}

/**
 * The handler of a registration: a lambda is inline (the registration line); `Class::method` and `&Class::method`
 * are defined where the class's methods are, usually another file; a plain name maybe in this one.
 */
function cppHandler(
  src: Source,
  arg: Arg | undefined,
  registration: number,
  declaredHere = false,
): { line: number; handler?: string; ref?: HandlerRef } {
  const name = arg && /^&?\s*((?:\w+::)*\w+)$/.exec(arg.text.trim())?.[1];
  if (!name) return { line: registration };
  const parts = name.split('::');
  const fn = parts.pop()!;
  const owner = parts.pop();
  // a class's header declares its handlers; the definition with a body may be right here or in the .cpp
  const own = src.definitionLine(fn);
  if (own !== undefined && !(declaredHere && own === registration)) return { line: own, handler: name };
  return { line: registration, handler: name, ref: owner ? { name: fn, owner } : { name: fn } };
}
