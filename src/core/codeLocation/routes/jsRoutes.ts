/**
 * Express, Fastify, Koa-router and Hono: verb calls on apps and routers, with the prefixes of routers mounted
 * in the same file (also routers made by a function and mounted as its result) and across files (an exported
 * router imported and mounted elsewhere: RouteMount keys `js:<file without extension>[#export]`).
 */
import { emit, emitMount, handlerPlace, handlerName, joinPaths } from './emit';
import type { RouteDefinition, RouteMount } from './routeTypes';
import type { Arg, Source } from './sourceScan';

type JsRole = 'app' | 'router';

/** Receivers taken as routers without a declaration in the file: `api`, `client`, `http` are often HTTP clients. */
const UNDECLARED_ROUTER = /^(?:app|server|router|fastify|[a-z]\w*(?:Router|App))$/;
const JS_VERB = /(?:\bthis\s*\.\s*)?\b([A-Za-z_$][\w$]*)\s*\.\s*(get|post|put|delete|patch|options|head|all|route|use)\s*\(/g;

interface JsRegistration {
  receiver: string;
  method: string | undefined;
  path: string;
  line: number;
  handler: Arg | undefined;
}

export function expressRoutes(src: Source, out: RouteDefinition[], routeMounts: RouteMount[] = []): void {
  const c = src.code;
  const framework = /['"](?:@koa\/router|koa-router|koa)['"]/.test(c)
    ? 'koa'
    : /['"]fastify['"]/.test(c)
      ? 'fastify'
      : /['"]hono['"]/.test(c)
        ? 'hono'
        : 'express';
  const declared = new Map<string, { role: JsRole; prefix: string }>();
  const factory =
    /(?:\b(?:const|let|var)\s+|\bthis\s*\.\s*)([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*(?:await\s+)?(?:new\s+)?([\w$.]+)\s*\(/g;
  for (const m of c.matchAll(factory)) {
    const callee = m[2]!.slice(m[2]!.lastIndexOf('.') + 1).toLowerCase();
    let role: JsRole | undefined;
    if (callee === 'router') role = 'router';
    else if (['express', 'fastify', 'hono', 'elysia', 'koa', 'polka'].includes(callee)) role = 'app';
    else if (callee === 'require' && /^\s*\(\s*['"]fastify['"]\s*\)\s*\(/.test(c.slice(m.index + m[0].length - 1))) role = 'app';
    if (!role) continue;
    const call = src.call(m.index + m[0].length - 1);
    const options = call?.args[0];
    const prefix = options && src.keyword(src.entries(options), 'prefix');
    declared.set(m[1]!, { role, prefix: (prefix && src.string(prefix.start)?.value) ?? '' });
  }
  const imports = jsImports(c, src.file);
  const exported = jsExports(c, moduleKey(src.file));
  const made = routerFactories(src, declared);
  const eligible = (name: string) => declared.has(name) || UNDECLARED_ROUTER.test(name) || imports.has(name);

  const registrations: JsRegistration[] = [];
  const mounts: { parent: string; child: string; path: string; line: number }[] = [];
  for (const m of c.matchAll(JS_VERB)) {
    const receiver = m[1]!;
    const verb = m[2]!;
    if (!eligible(receiver)) continue;
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const [first, second] = call.args;
    const path = first ? src.string(first.start) : undefined;
    const line = src.line(m.index + m[0].length - verb.length - 1);
    if (verb === 'use') {
      for (const a of path ? call.args.slice(1) : call.args) {
        const named = /^([A-Za-z_$][\w$]*)(?:\.routes\(\))?$/.exec(a.text)?.[1];
        // a function that makes and returns a router: `app.use('/cats', crudRouter())`
        const child = named ?? made.get(/^([A-Za-z_$][\w$]*)\s*\(\s*\)$/.exec(a.text)?.[1] ?? '');
        if (child && eligible(child)) mounts.push({ parent: receiver, child, path: path?.value ?? '', line });
      }
      continue;
    }
    if (verb === 'route') {
      if (first?.text.startsWith('{')) {
        registrations.push(...fastifyRoute(src, receiver, first, line));
      } else if (path && second) {
        // Hono: app.route('/api', api)
        const child = /^[A-Za-z_$][\w$]*$/.exec(second.text)?.[0];
        if (child) mounts.push({ parent: receiver, child, path: path.value, line });
      } else if (path) {
        // Express: app.route('/x').get(h).post(h)
        const chain = /\s*\.\s*(get|post|put|delete|patch|options|head|all)\s*\(/y;
        let at = call.end;
        for (;;) {
          chain.lastIndex = at;
          const link = chain.exec(c);
          if (!link) break;
          const linkCall = src.call(at + link[0].length - 1);
          if (!linkCall) break;
          registrations.push({
            receiver,
            method: link[1] === 'all' ? undefined : link[1],
            path: path.value,
            line: src.line(at + link[0].indexOf(link[1]!)),
            handler: linkCall.args[linkCall.args.length - 1],
          });
          at = linkCall.end;
        }
      }
      continue;
    }
    if (!path || !/^[/*]/.test(path.value) || call.args.length < 2) continue;
    registrations.push({
      receiver,
      method: verb === 'all' ? undefined : verb,
      path: path.value,
      line,
      handler: call.args[call.args.length - 1],
    });
  }

  const prefixes = (name: string, seen: Set<string>): { prefix: string; partial: boolean; parentKey?: string }[] => {
    const own = declared.get(name);
    const parents = mounts.filter((mt) => mt.child === name && !seen.has(mt.parent));
    if (parents.length === 0) {
      const role = own?.role ?? (/^(?:app|server)$/.test(name) ? 'app' : 'router');
      if (role === 'app') return [{ prefix: own?.prefix ?? '', partial: false }];
      return [{ prefix: own?.prefix ?? '', partial: true, parentKey: exported.get(name) }];
    }
    const next = new Set(seen).add(name);
    return parents.flatMap((mt) =>
      prefixes(mt.parent, next).map((p) => ({ ...p, prefix: joinPaths(p.prefix, mt.path, own?.prefix ?? '') })),
    );
  };
  // routers of other files mounted here: their routes get this file's prefixes
  for (const mt of mounts) {
    const key = imports.get(mt.child);
    if (key === undefined || declared.has(mt.child)) continue;
    for (const p of prefixes(mt.parent, new Set())) {
      emitMount(routeMounts, {
        key,
        prefix: joinPaths(p.prefix, mt.path),
        parentKey: p.parentKey,
        partial: p.partial && p.parentKey === undefined,
        file: src.file,
        line: mt.line,
      });
    }
  }
  for (const r of registrations) {
    const handler = handlerName(r.handler);
    const place = handlerPlace(src, handler, r.line);
    for (const p of prefixes(r.receiver, new Set())) {
      emit(out, src.file, {
        method: r.method,
        route: joinPaths(p.prefix, r.path),
        ...place,
        handler,
        framework,
        partial: p.partial,
        mountKey: p.parentKey,
      });
    }
  }
}

/** `src/routes/orders.ts`, `src/routes/orders/index.ts` → the key of what the module exports by default. */
function moduleKey(file: string): string {
  return `js:${file.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '')}`;
}

/** Local names of routers this module exports, with the key importers name them by. */
function jsExports(c: string, key: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of c.matchAll(
    /\bexport\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*$|\bmodule\.exports\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$/gm,
  )) {
    out.set(m[1] ?? m[2]!, key);
  }
  for (const m of c.matchAll(/\bexport\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)/g)) out.set(m[1]!, `${key}#${m[1]!}`);
  for (const m of c.matchAll(/\b(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$/gm)) {
    out.set(m[2]!, `${key}#${m[1]!}`);
  }
  for (const m of c.matchAll(/\bexport\s*\{([^}]*)\}(?!\s*from)/g)) {
    for (const spec of m[1]!.split(',')) {
      const named = /^\s*([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(spec);
      if (named) out.set(named[1]!, named[2] === 'default' ? key : `${key}#${named[2] ?? named[1]!}`);
    }
  }
  return out;
}

/** Local names imported from relative modules (`import x from './r'`, `const x = require('./r')`), with the key of what they name. */
function jsImports(c: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const keyOf = (spec: string): string | undefined => {
    const parts = dir === '' ? [] : dir.split('/');
    for (const p of spec.split('/')) {
      if (p === '.' || p === '') continue;
      if (p === '..') {
        if (parts.length === 0) return undefined;
        parts.pop();
      } else parts.push(p);
    }
    return moduleKey(parts.join('/'));
  };
  const named = (list: string, key: string) => {
    for (const spec of list.split(',')) {
      const m = /^\s*([A-Za-z_$][\w$]*)(?:\s+as\s+|\s*:\s*)?([A-Za-z_$][\w$]*)?\s*$/.exec(spec);
      if (m) out.set(m[2] ?? m[1]!, m[1] === 'default' ? key : `${key}#${m[1]!}`);
    }
  };
  for (const m of c.matchAll(/\bimport\s+(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\}\s*)?from\s*['"](\.{1,2}\/[^'"]*)['"]/g)) {
    const key = keyOf(m[3]!);
    if (key === undefined) continue;
    if (m[1] !== undefined) out.set(m[1], key);
    if (m[2] !== undefined) named(m[2], key);
  }
  for (const m of c.matchAll(
    /\b(?:const|let|var)\s+(?:([A-Za-z_$][\w$]*)|\{([^}]*)\})\s*=\s*require\s*\(\s*['"](\.{1,2}\/[^'"]*)['"]\s*\)/g,
  )) {
    const key = keyOf(m[3]!);
    if (key === undefined) continue;
    if (m[1] !== undefined) out.set(m[1], key);
    if (m[2] !== undefined) named(m[2], key);
  }
  return out;
}

/** Functions that make a router and return it (`const crud = () => { const r = Router(); …; return r; }`): name → the router. */
function routerFactories(src: Source, declared: ReadonlyMap<string, { role: JsRole }>): Map<string, string> {
  const c = src.code;
  const out = new Map<string, string>();
  const fn =
    /\bfunction\s+([A-Za-z_$][\w$]*)\s*\([^)]*\)[^{]*\{|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>\s*\{/g;
  for (const m of c.matchAll(fn)) {
    const open = m.index + m[0].length - 1;
    const close = src.close(open);
    if (close < 0) continue;
    const returned = /\breturn\s+([A-Za-z_$][\w$]*)\s*;?\s*$/m.exec(c.slice(open, close))?.[1];
    if (returned !== undefined && declared.get(returned)?.role === 'router') out.set(m[1] ?? m[2]!, returned);
  }
  return out;
}

/** `fastify.route({ method: ['GET', 'HEAD'], url: '/x', handler })` */
function fastifyRoute(src: Source, receiver: string, obj: Arg, line: number): JsRegistration[] {
  const entries = src.entries(obj);
  const url = src.keyword(entries, 'url') ?? src.keyword(entries, 'path');
  const path = url && src.string(url.start);
  if (!path) return [];
  const method = src.keyword(entries, 'method');
  const methods = method ? src.strings(method.start, method.end) : [];
  const handler = src.keyword(entries, 'handler');
  return (methods.length > 0 ? methods : [undefined]).map((m) => ({ receiver, method: m, path: path.value, line, handler }));
}
