/** Rails: `config/routes.rb` read line by line, namespaces, scopes and resources expanded to their actions. */
import { emit, joinPaths } from './emit';
import type { RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

export const RAILS_ROUTES_FILE = /(?:^|\/)config\/routes(?:\/[^/]+)*\.rb$|(?:^|\/)routes\.rb$/;

/** The seven standard actions (update answers PATCH and PUT); paths relative to the collection. */
const RAILS_ACTIONS: readonly [action: string, method: string, plural: string, singular: string][] = [
  ['index', 'GET', '', ''],
  ['create', 'POST', '', ''],
  ['new', 'GET', '/new', '/new'],
  ['edit', 'GET', '/:id/edit', '/edit'],
  ['show', 'GET', '/:id', ''],
  ['update', 'PATCH', '/:id', ''],
  ['update', 'PUT', '/:id', ''],
  ['destroy', 'DELETE', '/:id', ''],
];

interface RailsFrame {
  /** URL prefix for routes inside the block */
  path: string;
  /** controller module path: `admin/` */
  module: string;
  /** inside resources: their controller, and the member / collection / nested bases */
  controller?: string;
  member?: string;
  collection?: string;
  nested?: string;
  on?: 'member' | 'collection';
}

export function railsRoutes(src: Source, out: RouteDefinition[]): void {
  const root = src.file.replace(/(?:^|\/)config\/routes(?:\/[^/]+)*\.rb$|(?:^|\/)routes\.rb$/, (m) =>
    m.startsWith('/') ? '/' : '',
  );
  const stack: RailsFrame[] = [{ path: '', module: '' }];
  const lines = src.code.split('\n');
  const handler = (module: string, to: string, line: number): Pick<RouteDefinition, 'handler' | 'target'> & { line: number } => {
    const [controller, action] = to.split('#');
    if (!controller || !action) return { line };
    const path = module + controller;
    const cls = path
      .split('/')
      .map((p) => p.replace(/(?:^|_)([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase()))
      .join('::');
    return {
      handler: `${cls}Controller#${action}`,
      target: { files: [`${root}app/controllers/${path}_controller.rb`], symbol: action },
      line,
    };
  };
  const add = (method: string | undefined, route: string, line: number, to: string | undefined, module: string) => {
    emit(out, src.file, { method, route, framework: 'rails', ...(to ? handler(module, to, line) : { line }) });
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    const top = stack[stack.length - 1]!;
    const opens = /\bdo(?:\s*\|[^|]*\|)?$/.test(text);
    if (/^end\b/.test(text)) {
      if (stack.length > 1) stack.pop();
      return;
    }
    // `if … end` and friends close with `end` too
    if (/^(?:if|unless|case|begin|while|until|def|class|module)\b/.test(text) && !/\bend$/.test(text)) {
      stack.push({ ...top });
      return;
    }
    const word = /^(\w+)\b\s*\(?\s*(.*?)\s*\)?(?:\s+do(?:\s*\|[^|]*\|)?)?$/.exec(text);
    if (!word) {
      if (opens) stack.push({ ...top });
      return;
    }
    const [, keyword, rest = ''] = word;
    const sym = (name: string) => new RegExp(`\\b${name}:\\s*(?::(\\w+)|['"]([^'"]*)['"])`).exec(rest);
    const option = (name: string) => {
      const o = sym(name);
      return o ? (o[1] ?? o[2]) : undefined;
    };
    switch (keyword) {
      case 'namespace': {
        const name = /^:(\w+)|^['"]([^'"]+)['"]/.exec(rest);
        const n = name ? (name[1] ?? name[2]!) : '';
        if (opens) stack.push({ path: joinPaths(top.path, option('path') ?? n), module: `${top.module}${n}/` });
        return;
      }
      case 'scope': {
        const positional = /^['"]([^'"]*)['"]|^:(\w+)/.exec(rest);
        const module = option('module');
        const path = option('path') ?? (positional ? (positional[1] ?? positional[2]) : undefined) ?? '';
        if (opens) stack.push({ path: joinPaths(top.path, path), module: module ? `${top.module}${module}/` : top.module });
        return;
      }
      case 'resources':
      case 'resource': {
        const singular = keyword === 'resource';
        const names = [...rest.replace(/\b\w+:.*$/, '').matchAll(/:(\w+)/g)].map((n) => n[1]!);
        const only = /\bonly:\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+)/.exec(rest);
        const except = /\bexcept:\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+)/.exec(rest);
        const list = (m: RegExpExecArray | null) => (m ? new Set(m[1]!.match(/\w+/g)!.filter((w) => w !== 'i')) : undefined);
        const keep = list(only);
        const drop = list(except);
        let frame: RailsFrame | undefined;
        for (const name of names) {
          const base = joinPaths(top.nested ?? top.path, option('path') ?? name);
          const controller = option('controller') ?? (singular ? `${name}s` : name);
          const module = option('module') ? `${top.module}${option('module')}/` : top.module;
          for (const [action, method, pluralPath, singularPath] of RAILS_ACTIONS) {
            if ((singular && action === 'index') || keep?.has(action) === false || drop?.has(action)) continue;
            add(method, base + (singular ? singularPath : pluralPath), line, `${controller}#${action}`, module);
          }
          const param = `:${name.replace(/s$/, '')}_id`;
          frame = {
            path: top.path,
            module,
            controller,
            member: singular ? base : `${base}/:id`,
            collection: base,
            nested: singular ? base : `${base}/${param}`,
          };
        }
        if (opens) stack.push(frame ?? { ...top });
        return;
      }
      case 'member':
      case 'collection':
        if (opens) stack.push({ ...top, on: keyword });
        return;
      case 'root': {
        const to = option('to') ?? /^['"]([^'"]+#[^'"]+)['"]/.exec(rest)?.[1];
        add('GET', top.path, line, to, top.module);
        return;
      }
      case 'get':
      case 'post':
      case 'put':
      case 'patch':
      case 'delete':
      case 'match': {
        const arrow = /^['"]([^'"]*)['"]\s*=>\s*['"]([^'"]+)['"]/.exec(rest);
        const path = arrow?.[1] ?? /^['"]([^'"]*)['"]/.exec(rest)?.[1];
        const symbol = /^:(\w+)/.exec(rest)?.[1];
        let to = arrow?.[2] ?? option('to');
        const controllerOpt = option('controller');
        const actionOpt = option('action');
        if (!to && controllerOpt && actionOpt) to = `${controllerOpt}#${actionOpt}`;
        const via = /\bvia:\s*(\[[^\]]*\]|:\w+)/.exec(rest);
        const methods = keyword === 'match' ? (via ? via[1]!.match(/\w+/g)!.filter((v) => v !== 'all') : []) : [keyword];
        let route: string;
        const on = option('on') ?? top.on;
        if (top.controller && (symbol !== undefined || (path !== undefined && !path.startsWith('/')))) {
          const name = symbol ?? path!;
          const base = on === 'member' ? top.member! : on === 'collection' ? top.collection! : top.nested!;
          route = joinPaths(base, name);
          if (!to && symbol !== undefined) to = `${top.controller}#${symbol}`;
        } else if (path !== undefined) {
          route = joinPaths(top.path, path);
          // `get 'photos/search'` routes to photos#search
          const inferred = /^\/?([a-z_]+)\/([a-z_]+)$/.exec(path);
          if (!to && inferred) to = `${inferred[1]}#${inferred[2]}`;
        } else {
          return;
        }
        for (const method of methods.length > 0 ? methods : [undefined]) add(method, route, line, to, top.module);
        if (opens) stack.push({ ...top });
        return;
      }
      default:
        if (opens) stack.push({ ...top });
    }
  });
}
