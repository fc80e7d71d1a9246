/** Express, Fastify, Koa-router and Hono: verb calls on apps and routers, with prefixes of routers mounted in the same file. */
import { emit, handlerPlace, handlerName, joinPaths } from './emit';
import type { RouteDefinition } from './routeTypes';
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

export function expressRoutes(src: Source, out: RouteDefinition[]): void {
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
  const eligible = (name: string) => declared.has(name) || UNDECLARED_ROUTER.test(name);

  const registrations: JsRegistration[] = [];
  const mounts: { parent: string; child: string; path: string }[] = [];
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
        const child = /^([A-Za-z_$][\w$]*)(?:\.routes\(\))?$/.exec(a.text)?.[1];
        if (child && eligible(child)) mounts.push({ parent: receiver, child, path: path?.value ?? '' });
      }
      continue;
    }
    if (verb === 'route') {
      if (first?.text.startsWith('{')) {
        registrations.push(...fastifyRoute(src, receiver, first, line));
      } else if (path && second) {
        // Hono: app.route('/api', api)
        const child = /^[A-Za-z_$][\w$]*$/.exec(second.text)?.[0];
        if (child) mounts.push({ parent: receiver, child, path: path.value });
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

  const prefixes = (name: string, seen: Set<string>): { prefix: string; partial: boolean }[] => {
    const own = declared.get(name);
    const parents = mounts.filter((mt) => mt.child === name && !seen.has(mt.parent));
    if (parents.length === 0) {
      const role = own?.role ?? (/^(?:app|server)$/.test(name) ? 'app' : 'router');
      return [{ prefix: own?.prefix ?? '', partial: role === 'router' }];
    }
    const next = new Set(seen).add(name);
    return parents.flatMap((mt) =>
      prefixes(mt.parent, next).map((p) => ({ prefix: joinPaths(p.prefix, mt.path, own?.prefix ?? ''), partial: p.partial })),
    );
  };
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
      });
    }
  }
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
