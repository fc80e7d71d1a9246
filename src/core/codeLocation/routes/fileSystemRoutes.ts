/**
 * File-system routers other than Next.js: SvelteKit (`src/routes/**∕+page.svelte`, `+page.server.ts`, `+server.ts`)
 * and Nuxt (`pages/**∕*.vue`, `server/api/**∕*.ts` with `.get.ts`-style method suffixes). The URL is the folder
 * path; `[param]`, `[...rest]`, `[[optional]]` stay as written (normalizeRoute reads them) and groups `(x)` go.
 */
import { emit } from './emit';
import type { RouteDefinition } from './routeTypes';
import { Source } from './sourceScan';

const HTTP_METHODS = 'GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS';
const SVELTEKIT = /^(?:.*?\/)?src\/routes\/((?:[^/]+\/)*)\+(page|page\.server|server)\.(svelte|ts|js)$/;
const NUXT_PAGE = /^(?:.*?\/)?pages\/((?:[^/]+\/)*)([^/]+)\.vue$/;
const NUXT_SERVER =
  /^(?:.*?\/)?server\/(api|routes)\/((?:[^/]+\/)*)([^/.]+)(?:\.(get|post|put|delete|patch|head|options))?\.(?:ts|js|mjs)$/;

/** Whether the file's path makes it a route of one of these routers: the test before reading it. */
export function isFileSystemRoute(file: string): boolean {
  return SVELTEKIT.test(file) || NUXT_PAGE.test(file) || NUXT_SERVER.test(file);
}

export function fileSystemRoutes(file: string, text: string, out: RouteDefinition[]): void {
  const kit = SVELTEKIT.exec(file);
  if (kit) return svelteKitRoutes(file, text, kit[1]!, kit[2]!, kit[3]!, out);
  const page = NUXT_PAGE.exec(file);
  if (page) {
    const segments = urlSegments(page[1]!, page[2]!);
    if (!segments) return;
    // the page component: its script when it has one
    const script = /<script\b/.exec(text);
    const line = script ? new Source(file, 'js', text).line(script.index) : 1;
    emit(out, file, { method: 'GET', route: '/' + segments.join('/'), line, framework: 'nuxt' });
    return;
  }
  const server = NUXT_SERVER.exec(file);
  if (server) {
    const segments = urlSegments(server[2]!, server[3]!);
    if (!segments) return;
    if (server[1] === 'api') segments.unshift('api');
    const src = new Source(file, 'js', text);
    const def = /\bexport\s+default\b/.exec(src.code);
    emit(out, file, {
      method: server[4],
      route: '/' + segments.join('/'),
      line: def ? src.line(def.index) : 1,
      handler: 'default',
      framework: 'nuxt',
    });
  }
}

function svelteKitRoutes(file: string, text: string, folders: string, kind: string, ext: string, out: RouteDefinition[]): void {
  const segments = urlSegments(folders, 'index');
  if (!segments) return;
  const route = '/' + segments.join('/');
  if (ext === 'svelte') {
    // the page component serves any method the server files leave: a GET without a server `load`
    emit(out, file, { route, line: 1, framework: 'sveltekit' });
    return;
  }
  const src = new Source(file, 'js', text);
  const exported = (names: string) =>
    [...src.code.matchAll(new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\s+|(?:const|let|var)\\s+)(${names})\\b`, 'g'))].map(
      (m) => ({ name: m[1]!, line: src.line(m.index + m[0].length - m[1]!.length) }),
    );
  if (kind === 'server') {
    for (const e of exported(`${HTTP_METHODS}|fallback`)) {
      emit(out, file, {
        method: e.name === 'fallback' ? undefined : e.name,
        route,
        line: e.line,
        handler: e.name,
        framework: 'sveltekit',
      });
    }
    return;
  }
  // +page.server.ts: `load` renders the page, `actions` take its form posts
  for (const e of exported('load|actions')) {
    emit(out, file, { method: e.name === 'load' ? 'GET' : 'POST', route, line: e.line, handler: e.name, framework: 'sveltekit' });
  }
}

/** The URL segments of a route file's folders and name (`index` adds none); undefined for files that are not routes. */
function urlSegments(folders: string, stem: string): string[] | undefined {
  const all = folders.split('/').filter((s) => s !== '');
  if (stem !== 'index') all.push(stem);
  if (all.some((s) => s.startsWith('_') || s.startsWith('.'))) return undefined;
  return all.filter((s) => !/^\(.*\)$/.test(s));
}
