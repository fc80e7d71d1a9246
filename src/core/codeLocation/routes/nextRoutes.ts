/**
 * Next.js: routes are files. App router (`app/`, optionally under `src/`): `route.ts` (one handler per exported
 * method) and `page.tsx` (the default export); pages router (`pages/`): API routes and pages, each the default
 * export. Route groups `(x)` and parallel slots `@x` are not in the URL, private folders `_x` are not routable;
 * `[id]`, `[...slug]` and `[[...slug]]` stay as Next spells them (normalizeRoute reads them).
 */
import { emit } from './emit';
import type { RouteDefinition } from './routeTypes';
import { Source } from './sourceScan';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

const NEXT_APP = /^(?:.*?\/)?(?:src\/)?app\/((?:[^/]+\/)*)(route|page)\.(?:ts|js|mjs|tsx|jsx|mdx)$/;
const NEXT_PAGES = /^(?:.*?\/)?(?:src\/)?pages\/((?:[^/]+\/)*)([^/]+)\.(?:ts|js|mjs|tsx|jsx)$/;
/** pages-router files that are not routes */
const NEXT_SPECIAL_PAGE = /^_(?:app|document|error|middleware)$/;

export function nextRoutes(file: string, text: string, out: RouteDefinition[]): void {
  const app = NEXT_APP.exec(file);
  const pages = app ? undefined : NEXT_PAGES.exec(file);
  if (!app && !pages) return;
  const folders = (app ? app[1]! : pages![1]!).split('/').filter((s) => s !== '');
  if (pages) {
    const stem = pages[2]!;
    if (folders.length === 0 && NEXT_SPECIAL_PAGE.test(stem)) return;
    if (stem !== 'index') folders.push(stem);
  }
  // private folders are not routable; intercepting routes `(.)x` render another route's page
  if (folders.some((s) => s.startsWith('_') || /^\(\.+\)/.test(s))) return;
  const route = '/' + folders.filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')).join('/');
  const src = new Source(file, 'js', text);
  if (app?.[2] === 'route') {
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
  const def = /\bexport\s+default\s+(?:async\s+)?(?:function\b\s*\*?\s*(\w*)|class\s+(\w+)|(\w+))/.exec(src.code);
  if (!def) return;
  const name = def[1] || def[2] || def[3];
  const line = (def[3] !== undefined ? src.definitionLine(def[3]) : undefined) ?? src.line(def.index);
  // a page answers GET, and POST for server actions; an API route any method its body checks for
  emit(out, file, { route, line, handler: name || 'default', framework: 'next' });
}
