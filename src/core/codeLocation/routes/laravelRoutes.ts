/** Laravel: `Route::` calls, group prefixes, controllers and namespaces, and resources expanded to their actions. */
import { emit, joinPaths } from './emit';
import type { RouteDefinition } from './routeTypes';
import type { Source } from './sourceScan';

const LARAVEL_VERB = /(?:Route::|->)\s*(get|post|put|patch|delete|options|any|match|resource|apiResource)\s*\(/g;
const LARAVEL_RESOURCE: readonly [action: string, method: string, path: string, api: boolean][] = [
  ['index', 'GET', '', true],
  ['create', 'GET', '/create', false],
  ['store', 'POST', '', true],
  ['show', 'GET', '/{id}', true],
  ['edit', 'GET', '/{id}/edit', false],
  ['update', 'PUT', '/{id}', true],
  ['update', 'PATCH', '/{id}', true],
  ['destroy', 'DELETE', '/{id}', true],
];

interface LaravelScope {
  start: number;
  end: number;
  prefix: string;
  controller?: string;
  namespace?: string;
}

export function laravelRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const routesDir = /(?:^|\/)routes\/[^/]+\.php$/.exec(src.file);
  const root = routesDir ? src.file.slice(0, routesDir.index + (routesDir[0].startsWith('/') ? 1 : 0)) : '';
  // RouteServiceProvider (Laravel ≤ 10) and bootstrap/app.php (11+) serve routes/api.php under /api
  const base = /(?:^|\/)routes\/api\.php$/.test(src.file) ? 'api' : '';
  const uses = new Map<string, string>();
  for (const m of c.matchAll(/^[ \t]*use[ \t]+\\?([\w\\]+)(?:[ \t]+as[ \t]+(\w+))?[ \t]*;/gm)) {
    uses.set(m[2] ?? m[1]!.split('\\').pop()!, m[1]!);
  }

  const boundaries = src.statementBoundaries();
  const startsWithRoute = (from: number, to: number) => /^\s*(?:<\?php\b\s*)?Route::/.test(c.slice(from, to));
  const statementStart = (pos: number) => {
    let lo = 0;
    let hi = boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (boundaries[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return boundaries[lo]!;
  };
  const scopes: LaravelScope[] = [];
  for (const m of c.matchAll(/(?:Route::|->)\s*group\s*\(/g)) {
    const start = statementStart(m.index);
    const chain = c.slice(start, m.index);
    if (!startsWithRoute(start, m.index + m[0].length)) continue;
    const call = src.call(m.index + m[0].length - 1);
    const closure = call?.args.find((a) => /^(?:static\s+)?function\b/.test(a.text));
    if (!call || !closure) continue;
    const open = c.indexOf('{', closure.start);
    const scope: LaravelScope = { start: open, end: src.close(open), prefix: '' };
    const prefix =
      /->\s*prefix\s*\(\s*['"]([^'"]*)['"]|Route::prefix\s*\(\s*['"]([^'"]*)['"]|['"]prefix['"]\s*=>\s*['"]([^'"]*)['"]/.exec(
        chain + (call.args[0]?.text ?? ''),
      );
    if (prefix) scope.prefix = prefix[1] ?? prefix[2] ?? prefix[3] ?? '';
    const controller = /controller\s*\(\s*([\w\\]+)::class/.exec(chain);
    if (controller) scope.controller = controller[1];
    const namespace = /['"]namespace['"]\s*=>\s*['"]([^'"]*)['"]|namespace\s*\(\s*['"]([^'"]*)['"]/.exec(
      chain + (call.args[0]?.text ?? ''),
    );
    if (namespace) scope.namespace = namespace[1] ?? namespace[2];
    scopes.push(scope);
  }

  const controllerFile = (name: string, namespace: string | undefined): string => {
    const [head, ...rest] = name.split('\\');
    const imported = uses.get(head!);
    // group namespaces (Laravel ≤ 7) are relative to App\Http\Controllers unless absolute
    const ns =
      namespace === undefined
        ? 'App\\Http\\Controllers'
        : /^\\?App\\/.test(namespace)
          ? namespace.replace(/^\\/, '')
          : `App\\Http\\Controllers\\${namespace}`;
    const fqn = imported !== undefined ? [imported, ...rest].join('\\') : `${ns}\\${name}`;
    // PSR-4: App\ → app/
    return root + fqn.replace(/^App\\/, 'app\\').replace(/\\/g, '/') + '.php';
  };

  for (const m of c.matchAll(LARAVEL_VERB)) {
    const start = statementStart(m.index);
    if (!startsWithRoute(start, m.index + m[0].length)) continue;
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const verb = m[1]!;
    const enclosing = scopes.filter((s) => s.start < m.index && m.index < s.end).sort((a, b) => a.start - b.start);
    const prefix = joinPaths(base, ...enclosing.map((s) => s.prefix));
    const groupController = enclosing
      .map((s) => s.controller)
      .filter((x) => x !== undefined)
      .pop();
    const namespace = enclosing
      .map((s) => s.namespace)
      .filter((x) => x !== undefined)
      .pop();
    const line = src.line(m.index + m[0].indexOf(verb));
    const target = (controller: string, action: string): Pick<RouteDefinition, 'handler' | 'target'> => ({
      handler: `${controller.split('\\').pop()}@${action}`,
      target: { files: [controllerFile(controller, namespace)], symbol: action },
    });

    if (verb === 'resource' || verb === 'apiResource') {
      const name = call.args[0] && src.string(call.args[0].start);
      // `ArticleController::class`, or the string of Laravel ≤ 7 (relative to the group namespace)
      const controller =
        call.args[1] && (/^([\w\\]+)::class$/.exec(call.args[1].text)?.[1] ?? src.string(call.args[1].start)?.value);
      if (!name || !controller) continue;
      const tail = c.slice(call.end, call.end + 300);
      // `->only([...])`, or the options array of Laravel ≤ 5: `['except' => [...]]`
      const filter =
        /^\s*->\s*(only|except)\s*\(\s*\[([^\]]*)\]/.exec(tail) ??
        /['"](only|except)['"]\s*=>\s*\[([^\]]*)\]/.exec(call.args[2]?.text ?? '');
      const listed = filter ? new Set(filter[2]!.match(/\w+/g)) : undefined;
      const parts = name.value.split('.');
      const path = parts.map((p, i) => (i < parts.length - 1 ? `${p}/{${p}}` : p)).join('/');
      for (const [action, method, suffix, api] of LARAVEL_RESOURCE) {
        if (verb === 'apiResource' && !api) continue;
        if (listed && (filter![1] === 'only') !== listed.has(action)) continue;
        emit(out, src.file, {
          method,
          route: joinPaths(prefix, path) + suffix,
          line,
          framework: 'laravel',
          ...target(controller, action),
        });
      }
      continue;
    }

    const pathArg = verb === 'match' ? call.args[1] : call.args[0];
    const path = pathArg && src.string(pathArg.start);
    if (!path) continue;
    const methods: (string | undefined)[] =
      verb === 'match' && call.args[0] ? src.strings(call.args[0].start, call.args[0].end) : [verb === 'any' ? undefined : verb];
    const action = call.args[verb === 'match' ? 2 : 1];
    let handler: Pick<RouteDefinition, 'handler' | 'target'> = {};
    const pair = action && /^\[\s*([\w\\]+)::class\s*,\s*['"](\w+)['"]\s*\]$/.exec(action.text);
    const at = action && src.string(action.start);
    const invokable = action && /^([\w\\]+)::class$/.exec(action.text);
    if (pair) handler = target(pair[1]!, pair[2]!);
    else if (at && at.value.includes('@')) handler = target(at.value.split('@')[0]!, at.value.split('@')[1]!);
    else if (at && groupController) handler = target(groupController, at.value);
    else if (invokable) handler = target(invokable[1]!, '__invoke');
    for (const method of methods) {
      emit(out, src.file, { method, route: joinPaths(prefix, path.value), line, framework: 'laravel', ...handler });
    }
  }
}
