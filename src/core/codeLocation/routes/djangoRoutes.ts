/** Django: `urlpatterns` entries, with the view resolved through the file's imports to the module that defines it. */
import { emit, joinPaths } from './emit';
import type { RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

export function djangoRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  if (!/\burlpatterns\b/.test(c)) return;
  const dir = src.file.includes('/') ? src.file.slice(0, src.file.lastIndexOf('/')) : '';
  const imports = pythonImports(c);
  for (const m of c.matchAll(/\b(path|re_path|url)[ \t]*\(/g)) {
    if (m.index > 0 && c[m.index - 1] === '.') continue;
    const call = src.call(m.index + m[0].length - 1);
    const [first, view] = call?.args ?? [];
    const route = first && src.string(first.start);
    if (!route || !view || /^include\s*\(/.test(view.text)) continue;
    const expr = view.text.replace(/\.as_view\s*\([\s\S]*\)$/, '');
    if (!/^\w+(?:\.\w+)*$/.test(expr)) continue;
    const parts = expr.split('.');
    const symbol = parts[parts.length - 1]!;
    const def: Parameters<typeof emit>[2] = {
      route: route.value,
      line: src.line(m.index),
      handler: expr,
      framework: 'django',
      partial: true,
    };
    const local = parts.length === 1 ? src.definitionLine(symbol) : undefined;
    const module = viewModule(parts, imports);
    if (local !== undefined) def.line = local;
    else if (module !== undefined) def.target = { files: moduleFiles(dir, module), symbol };
    emit(out, src.file, def);
  }
}

/** A local name's origin: `from module import name [as local]`, or `import module [as local]` (no name). */
interface PythonImport {
  module: string;
  name?: string;
}

function pythonImports(code: string): Map<string, PythonImport> {
  const map = new Map<string, PythonImport>();
  for (const m of code.matchAll(/^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]+\(?([^)]+?)\)?[ \t]*$/gm)) {
    for (const spec of m[2]!.split(',')) {
      const [name, alias] = spec.trim().split(/\s+as\s+/);
      if (name) map.set((alias ?? name).trim(), { module: m[1]!, name });
    }
  }
  for (const m of code.matchAll(/^[ \t]*import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?/gm)) {
    map.set(m[2] ?? m[1]!.split('.')[0]!, { module: m[2] ? m[1]! : m[1]!.split('.')[0]! });
  }
  return map;
}

/** The module a view expression's function lives in: `views.detail` → ".views" after `from . import views`. */
function viewModule(parts: string[], imports: Map<string, PythonImport>): string | undefined {
  const join = (a: string, b: string) => (a.endsWith('.') ? a + b : `${a}.${b}`);
  const head = imports.get(parts[0]!);
  if (parts.length === 1) return head?.name !== undefined ? head.module : undefined;
  const middle = parts.slice(1, -1);
  const base = head === undefined ? parts[0]! : head.name !== undefined ? join(head.module, head.name) : head.module;
  return middle.reduce(join, base);
}

/** Files a module may be, relative to the urls.py folder for relative imports, else in that same app folder. */
function moduleFiles(dir: string, module: string): string[] {
  let base: string;
  const dots = /^\.*/.exec(module)![0].length;
  if (dots > 0) {
    const up = dir.split('/').filter((s) => s !== '');
    up.splice(up.length - (dots - 1), dots - 1);
    base = joinPaths(up.join('/'), module.slice(dots).split('.').join('/'));
  } else {
    base = joinPaths(dir, module.split('.').pop()!);
  }
  return [`${base}.py`, `${base}/__init__.py`];
}
