/**
 * Flask and FastAPI: route decorators, `add_url_rule`, and blueprint and router prefixes, in the same file and
 * across files (a router imported from another module and included under a prefix: RouteMount keys
 * `py:<package>.<module>.<variable>`).
 */
import { emit, emitMount, handlerPlace, handlerName, joinPaths } from './emit';
import type { HandlerRef, RouteDefinition, RouteMount } from './routeTypes';
import type { Source } from './sourceScan';

const PY_DECORATOR = /@[ \t]*(\w+)\.(route|get|post|put|delete|patch|head|options|api_route)[ \t]*\(/g;
const PY_UNDECLARED = /^(?:app|api|bp|blueprint|router|\w+_(?:bp|blueprint|router|api))$/;

interface Prefix {
  prefix: string;
  partial: boolean;
  /** the router (in this module) that other modules mount, when the prefix is relative to that */
  parentKey?: string;
}

export function pythonDecoratorRoutes(src: Source, out: RouteDefinition[], routeMounts: RouteMount[] = []): void {
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
  const module = pythonModulePath(src.file);
  const imports = pythonImports(c, src.file);
  const mounts: { parent: string; child: string; expr: string; path: string; known: boolean; line: number }[] = [];
  for (const m of c.matchAll(/\b(\w+)\.(register_blueprint|include_router)[ \t]*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const expr = call?.args[0]?.text;
    const child = expr?.split('.').pop();
    if (!call || !expr || !child) continue;
    const prefix = src.keyword(call, 'url_prefix') ?? src.keyword(call, 'prefix');
    const literal = prefix && src.string(prefix.start)?.value;
    mounts.push({
      parent: m[1]!,
      child,
      expr,
      path: literal ?? '',
      known: !prefix || literal !== undefined,
      line: src.line(m.index),
    });
  }
  const local = (mt: { expr: string }) => !mt.expr.includes('.') && !imports.has(mt.expr);
  const prefixes = (name: string, depth: number): Prefix[] => {
    const own = declared.get(name);
    const parents = depth > 8 ? [] : mounts.filter((mt) => mt.child === name && local(mt));
    if (parents.length === 0) {
      const role = own?.role ?? (name === 'app' ? 'app' : 'router');
      if (role === 'app') return [{ prefix: own?.prefix ?? '', partial: false }];
      return [{ prefix: own?.prefix ?? '', partial: true, parentKey: pythonRouterKey([...module, name]) }];
    }
    // a prefix given at registration replaces the blueprint's own in Flask, and adds to it in FastAPI
    return parents.flatMap((mt) =>
      prefixes(mt.parent, depth + 1).map((p) => ({
        ...p,
        prefix: joinPaths(p.prefix, framework === 'flask' && mt.path !== '' ? mt.path : joinPaths(mt.path, own?.prefix ?? '')),
        partial: p.partial || !mt.known,
      })),
    );
  };
  // routers of other modules included here: their routes get this file's prefixes
  for (const mt of mounts) {
    if (local(mt)) continue;
    const parts = mt.expr.split('.');
    const head = imports.get(parts[0]!);
    if (!head) continue;
    const key = pythonRouterKey([...head, ...parts.slice(1)]);
    for (const p of prefixes(mt.parent, 0)) {
      emitMount(routeMounts, {
        key,
        prefix: joinPaths(p.prefix, mt.path),
        parentKey: p.parentKey,
        partial: !mt.known || (p.partial && p.parentKey === undefined),
        file: src.file,
        line: mt.line,
      });
    }
  }

  const register = (
    receiver: string,
    methods: (string | undefined)[],
    path: string,
    place: { line: number; handlerRef?: HandlerRef },
    handler?: string,
  ) => {
    for (const p of prefixes(receiver, 0)) {
      for (const method of methods) {
        emit(out, src.file, {
          method,
          route: joinPaths(p.prefix, path),
          ...place,
          handler,
          framework,
          partial: p.partial,
          mountKey: p.parentKey,
        });
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

/** The key other modules name a router by: the last three parts of its dotted path, `routes.profiles.router`. */
function pythonRouterKey(dotted: readonly string[]): string {
  return `py:${dotted.slice(-3).join('.')}`;
}

/** `app/api/routes/invoices.py` → app.api.routes.invoices; a package's `__init__.py` is the package. */
function pythonModulePath(file: string): string[] {
  const parts = file.replace(/\.py$/, '').split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts;
}

/** Names a module imports, each with the dotted path it stands for; relative imports resolved against the file's package. */
function pythonImports(code: string, file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const module = pythonModulePath(file);
  const pkg = file.endsWith('__init__.py') ? module : module.slice(0, -1);
  const resolve = (from: string): string[] => {
    const dots = /^\.*/.exec(from)![0].length;
    const rest = from
      .slice(dots)
      .split('.')
      .filter((p) => p !== '');
    if (dots === 0) return rest;
    return [...pkg.slice(0, Math.max(0, pkg.length - (dots - 1))), ...rest];
  };
  for (const m of code.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]+)/gm)) {
    const base = resolve(m[1]!);
    for (const item of m[2]!.replace(/[()]/g, '').split(',')) {
      const named = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(item);
      if (named) out.set(named[2] ?? named[1]!, [...base, named[1]!]);
    }
  }
  for (const m of code.matchAll(/^[ \t]*import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?/gm)) {
    const dotted = m[1]!.split('.');
    if (m[2] !== undefined) out.set(m[2], dotted);
    else out.set(dotted[0]!, [dotted[0]!]);
  }
  return out;
}
