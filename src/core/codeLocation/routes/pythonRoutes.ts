/** Flask and FastAPI: route decorators, `add_url_rule`, and blueprint and router prefixes set in the same file. */
import { emit, handlerPlace, handlerName, joinPaths } from './emit';
import type { HandlerRef, RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

const PY_DECORATOR = /@[ \t]*(\w+)\.(route|get|post|put|delete|patch|head|options|api_route)[ \t]*\(/g;
const PY_UNDECLARED = /^(?:app|api|bp|blueprint|router|\w+_(?:bp|blueprint|router|api))$/;

export function pythonDecoratorRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const framework = /^\s*(?:from|import)\s+fastapi\b/m.test(c) ? 'fastapi' : 'flask';
  const declared = new Map<string, { role: 'app' | 'router'; prefix: string }>();
  for (const m of c.matchAll(
    /^[ \t]*(\w+)[ \t]*(?::[^=\n]+)?=[ \t]*(?:[\w.]+\.)?(Flask|Blueprint|FastAPI|APIRouter)[ \t]*\(/gm,
  )) {
    const call = src.call(m.index + m[0].length - 1);
    const prefix = call && (src.keyword(call, 'url_prefix') ?? src.keyword(call, 'prefix'));
    const role = m[2] === 'Flask' || m[2] === 'FastAPI' ? 'app' : 'router';
    declared.set(m[1]!, { role, prefix: (prefix && src.string(prefix.start)?.value) ?? '' });
  }
  const mounts: { parent: string; child: string; path: string }[] = [];
  for (const m of c.matchAll(/\b(\w+)\.(register_blueprint|include_router)[ \t]*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const child = call?.args[0]?.text.split('.').pop();
    if (!call || !child) continue;
    const prefix = src.keyword(call, 'url_prefix') ?? src.keyword(call, 'prefix');
    mounts.push({ parent: m[1]!, child, path: (prefix && src.string(prefix.start)?.value) ?? '' });
  }
  const prefixes = (name: string, depth: number): { prefix: string; partial: boolean }[] => {
    const own = declared.get(name);
    const parents = depth > 8 ? [] : mounts.filter((mt) => mt.child === name);
    if (parents.length === 0) {
      const role = own?.role ?? (name === 'app' ? 'app' : 'router');
      return [{ prefix: own?.prefix ?? '', partial: role === 'router' }];
    }
    // a prefix given at registration replaces the blueprint's own in Flask, and adds to it in FastAPI
    return parents.flatMap((mt) =>
      prefixes(mt.parent, depth + 1).map((p) => ({
        prefix: joinPaths(p.prefix, framework === 'flask' && mt.path !== '' ? mt.path : joinPaths(mt.path, own?.prefix ?? '')),
        partial: p.partial,
      })),
    );
  };

  const register = (
    receiver: string,
    methods: (string | undefined)[],
    path: string,
    place: { line: number; handlerRef?: HandlerRef },
    handler?: string,
  ) => {
    for (const p of prefixes(receiver, 0)) {
      for (const method of methods) {
        emit(out, src.file, { method, route: joinPaths(p.prefix, path), ...place, handler, framework, partial: p.partial });
      }
    }
  };

  for (const m of c.matchAll(PY_DECORATOR)) {
    const receiver = m[1]!;
    if (!declared.has(receiver) && !PY_UNDECLARED.test(receiver)) continue;
    const call = src.call(m.index + m[0].length - 1);
    const first = call?.args[0];
    const path = first && src.string(first.start);
    if (!call || !path) continue;
    const verb = m[2]!;
    let methods: (string | undefined)[];
    if (verb === 'route' || verb === 'api_route') {
      const listed = src.keyword(call, 'methods');
      methods = listed ? src.strings(listed.start, listed.end).map((s) => s.toUpperCase()) : ['GET'];
    } else {
      methods = [verb.toUpperCase()];
    }
    // the decorated function: only further decorators may come between
    const def = /^[^\S\n]*\n\s*(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+(\w+)/.exec(c.slice(call.end));
    const line = def ? src.line(call.end + def.index + def[0].length - def[1]!.length) : src.line(m.index);
    register(receiver, methods.length > 0 ? methods : ['GET'], path.value, { line }, def?.[1]);
  }

  for (const m of c.matchAll(/\b(\w+)\.add_url_rule[ \t]*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const view = src.keyword(call, 'view_func') ?? call.args.filter((a) => !/^\w+\s*=/.test(a.text))[2];
    const listed = src.keyword(call, 'methods');
    const methods = listed ? src.strings(listed.start, listed.end).map((s) => s.toUpperCase()) : ['GET'];
    const handler = handlerName(view);
    register(m[1]!, methods, path.value, handlerPlace(src, handler, src.line(m.index)), handler);
  }
}
