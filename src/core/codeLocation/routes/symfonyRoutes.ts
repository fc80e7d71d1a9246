/**
 * Symfony controllers: `#[Route('/path', name: 'x', methods: ['GET'])]` attributes and `@Route("/path",
 * name="x", methods={"GET"})` docblock annotations on the class (a prefix) and its methods. Symfony's
 * instrumentation reports the route's name (`_route`: the given name, else the generated `app_blog_show`),
 * so each route is recorded under its path and its name.
 */
import { emit, joinPaths } from './emit';
import type { RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

interface RouteSpec {
  paths: string[];
  name?: string;
  methods: string[];
}

interface Declaration {
  kind: 'class' | 'function';
  name: string;
  /** offset of the name */
  at: number;
}

export function symfonyRoutes(src: Source, out: RouteDefinition[]): void {
  const found: { spec: RouteSpec; decl: Declaration }[] = [];
  // attributes are code; annotations live in docblocks, which the masked text has blanked
  for (const m of src.code.matchAll(/#\[\s*\\?(?:[\w\\]+\\)?Route\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const close = call && src.code.indexOf(']', call.end - 1);
    if (!call || close === undefined || close < 0) continue;
    const decl = declarationAfter(src, close + 1);
    if (decl)
      found.push({
        spec: attributeSpec(
          src,
          call.args.map((a) => a.text),
        ),
        decl,
      });
  }
  for (const m of src.text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?@Route\b(?:(?!\*\/)[\s\S])*?)\*\//g)) {
    const body = m[1]!.replace(/^[ \t]*\*[ \t]?/gm, ' ');
    const args = annotationArgs(body);
    const decl = args !== undefined ? declarationAfter(src, m.index + m[0].length) : undefined;
    if (args === undefined || !decl) continue;
    const spec = annotationSpec(args);
    const legacy = /@Method\s*\(\s*\{?([^)}]*)/.exec(body);
    if (legacy && spec.methods.length === 0) spec.methods = [...legacy[1]!.matchAll(/[A-Z]+/g)].map((v) => v[0]);
    found.push({ spec, decl });
  }
  if (found.length === 0) return;
  const cls = found.find((f) => f.decl.kind === 'class');
  const className = /\bclass\s+(\w+)/.exec(src.code)?.[1] ?? '';
  const namespace = /^\s*namespace\s+([\w\\]+)\s*;/m.exec(src.code)?.[1] ?? '';
  const prefixes = cls?.spec.paths.length ? cls.spec.paths : [''];
  for (const { spec, decl } of found) {
    if (decl.kind === 'class') continue;
    const line = src.line(decl.at);
    const handler = `${className}::${decl.name}`;
    const name = (cls?.spec.name ?? '') + (spec.name ?? defaultRouteName(namespace, className, decl.name));
    const methods = spec.methods.length > 0 ? spec.methods : cls?.spec.methods.length ? cls.spec.methods : [undefined];
    for (const method of methods) {
      for (const prefix of prefixes) {
        for (const path of spec.paths.length > 0 ? spec.paths : ['']) {
          emit(out, src.file, { method, route: joinPaths(prefix, path), line, handler, framework: 'symfony' });
        }
      }
      emit(out, src.file, { method, route: name, line, handler, framework: 'symfony' });
    }
  }
}

/** Symfony's name for a route given none: `App\Controller\BlogController::show` → `app_blog_show`. */
function defaultRouteName(namespace: string, className: string, method: string): string {
  const name = `${namespace.replace(/\\/g, '_')}_${className}_${method}`.replace(/^_/, '').toLowerCase();
  return name
    .replace(/(?:bundle|controller)_/g, '_')
    .replace(/action(_\d+)?$/, '$1')
    .replace(/__/g, '_');
}

/** `'/path'` or `path: '/path'` (or a map of localized paths), `name: 'x'`, `methods: ['GET']` or `methods: 'GET'`. */
function attributeSpec(src: Source, args: string[]): RouteSpec {
  const spec: RouteSpec = { paths: [], methods: [] };
  for (const a of args) {
    const named = /^(\w+)\s*:\s*([\s\S]*)$/.exec(a);
    const key = named ? named[1] : spec.paths.length === 0 ? 'path' : 'name';
    const value = named ? named[2]! : a;
    const strings = [...value.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((s) => s[1] ?? s[2] ?? '');
    if (key === 'path') spec.paths = /=>/.test(value) ? strings.filter((_s, i) => i % 2 === 1) : strings;
    else if (key === 'name' && strings[0] !== undefined) spec.name = strings[0];
    else if (key === 'methods') spec.methods = strings.map((s) => s.toUpperCase());
  }
  return spec;
}

/** The text between the parentheses of the docblock's `@Route(…)`. */
function annotationArgs(body: string): string | undefined {
  const open = /@Route\s*\(/.exec(body);
  if (!open) return undefined;
  let depth = 0;
  let quoted = false;
  for (let i = open.index + open[0].length - 1; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return body.slice(open.index + open[0].length, i);
  }
  return undefined;
}

/** `"/path", name="x", methods={"GET","POST"}` as written in a docblock. */
function annotationSpec(body: string): RouteSpec {
  const spec: RouteSpec = { paths: [], methods: [] };
  const path = /^\s*"([^"]*)"|\bpath\s*=\s*"([^"]*)"/.exec(body);
  if (path) spec.paths = [path[1] ?? path[2]!];
  const name = /\bname\s*=\s*"([^"]*)"/.exec(body);
  if (name) spec.name = name[1];
  const methods = /\bmethods\s*=\s*\{([^}]*)\}|\bmethods\s*=\s*"([^"]*)"/.exec(body);
  if (methods) spec.methods = [...(methods[1] ?? methods[2]!).matchAll(/[A-Za-z]+/g)].map((v) => v[0].toUpperCase());
  return spec;
}

/** The class or method an attribute or docblock ending at `from` belongs to; other attributes and modifiers between. */
function declarationAfter(src: Source, from: number): Declaration | undefined {
  const c = src.code;
  let i = from;
  for (;;) {
    while (i < c.length && /\s/.test(c[i]!)) i++;
    if (c[i] !== '#' || c[i + 1] !== '[') break;
    const close = src.close(i + 1);
    if (close < 0) return undefined;
    i = close + 1;
  }
  const m =
    /^(?:(?:public|protected|private|static|final|abstract|readonly)\s+)*(?:(class)\s+(\w+)|function\s+&?\s*(\w+)\s*\()/.exec(
      c.slice(i, i + 300),
    );
  if (!m) return undefined;
  const name = m[2] ?? m[3]!;
  return { kind: m[1] ? 'class' : 'function', name, at: i + m[0].lastIndexOf(name) };
}
