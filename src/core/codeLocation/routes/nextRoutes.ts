/** Next.js: routes are files, `route.ts` under an `app` folder (one handler per exported method) and `pages/api` files. */
import { emit } from './emit';
import type { RouteDefinition } from './routeTypes';
import { Source } from './sourceScan';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/** The first `app` (optionally under `src`) folder; route groups `(x)` and parallel slots `@x` are not in the URL. */
const NEXT_APP_ROUTE = /^(?:.*?\/)?(?:src\/)?app\/((?:[^/]+\/)*)route\.(?:ts|js|mjs|tsx|jsx)$/;
const NEXT_PAGES_API = /^(?:.*?\/)?(?:src\/)?pages\/(api(?:\/[^/]+)*?)(?:\/index)?\.(?:ts|js|mjs|tsx|jsx)$/;

export function nextRoutes(file: string, text: string, out: RouteDefinition[]): void {
  const app = NEXT_APP_ROUTE.exec(file);
  const pages = app ? undefined : NEXT_PAGES_API.exec(file);
  if (!app && !pages) return;
  const folders = (app ? app[1]! : pages![1]!).split('/').filter((s) => s !== '');
  // private folders (_x) are not routable
  if (folders.some((s) => s.startsWith('_'))) return;
  const route = '/' + folders.filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')).join('/');
  const src = new Source(file, 'js', text);
  if (app) {
    const found = new Map<string, number>();
    const verbs = HTTP_METHODS.join('|');
    const direct = new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\s+|(?:const|let|var)\\s+)(${verbs})\\b`, 'g');
    for (const m of src.code.matchAll(direct)) found.set(m[1]!, src.line(m.index + m[0].length - m[1]!.length));
    for (const m of src.code.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
      for (const spec of m[1]!.matchAll(new RegExp(`(?:(\\w+)\\s+as\\s+)?\\b(${verbs})\\b`, 'g'))) {
        const local = spec[1] ?? spec[2]!;
        found.set(spec[2]!, src.definitionLine(local) ?? src.line(m.index));
      }
    }
    for (const [method, line] of found) emit(out, file, { method, route, line, handler: method, framework: 'next' });
    return;
  }
  const def = /\bexport\s+default\s+(?:async\s+)?(?:function\b\s*(\w*)|(\w+))/.exec(src.code);
  if (!def) return;
  const name = def[1] || def[2];
  const line = (def[2] !== undefined ? src.definitionLine(def[2]) : undefined) ?? src.line(def.index);
  emit(out, file, { route, line, handler: name || 'default', framework: 'next' });
}
