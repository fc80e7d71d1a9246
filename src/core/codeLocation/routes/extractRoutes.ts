/** Entry points by file: which language a file is, whether it is worth scanning, and which scanners read it. */
import { aspNetControllerRoutes, aspNetMinimalRoutes } from './aspNetRoutes';
import { djangoRoutes } from './djangoRoutes';
import { goRoutes } from './goRoutes';
import { grpcJsRoutes } from './grpcJsRoutes';
import { expressRoutes } from './jsRoutes';
import { laravelRoutes } from './laravelRoutes';
import { nestRoutes } from './nestRoutes';
import { nextRoutes } from './nextRoutes';
import { pythonDecoratorRoutes } from './pythonRoutes';
import { RAILS_ROUTES_FILE, railsRoutes } from './railsRoutes';
import type { HandlerDefinition, RouteDefinition, RouteMount } from './routeTypes';
import { type Lang, Source } from './sourceScan';
import { springRoutes } from './springRoutes';

const LANG_BY_EXTENSION: Readonly<Record<string, Lang>> = {
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  jsx: 'js',
  ts: 'js',
  mts: 'js',
  cts: 'js',
  tsx: 'js',
  py: 'python',
  java: 'java',
  kt: 'java',
  cs: 'cs',
  go: 'go',
  rb: 'ruby',
  php: 'php',
};

/** Cheap tests on the raw text: a file failing its language's test is not masked or scanned. */
const WORTH_SCANNING: Readonly<Record<Lang, RegExp>> = {
  js: /\.\s*(?:get|post|put|patch|delete|options|head|all|route|use|addService)\s*\(|@Controller\b/,
  python:
    /@\s*\w+\.(?:route|get|post|put|patch|delete|head|options|api_route)\s*\(|\burlpatterns\b|\.(?:add_url_rule|include_router|register_blueprint)\s*\(/,
  java: /@(?:Get|Post|Put|Delete|Patch|Request)Mapping\b/,
  cs: /\[\s*(?:Http[A-Z]|Route\b|AcceptVerbs\b)|\.Map(?:Get|Post|Put|Delete|Patch|Methods|Group)\s*\(/,
  go: /\.\s*(?:HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options|All|Method|MethodFunc|Group|PathPrefix|Route|Mount)\s*\(/,
  ruby: /./,
  php: /Route::/,
};

/**
 * Route registrations in one file. `file` is workspace-relative with forward slashes. Routers this file mounts
 * under a prefix for routes registered elsewhere go to `mounts`.
 */
export function extractRoutes(file: string, text: string, mounts: RouteMount[] = []): RouteDefinition[] {
  const lang = languageOf(file);
  if (!lang) return [];
  const out: RouteDefinition[] = [];
  if (lang === 'js') nextRoutes(file, text, out);
  if (lang === 'ruby' && !RAILS_ROUTES_FILE.test(file)) return out;
  if (!WORTH_SCANNING[lang].test(text)) return out;
  const src = new Source(file, lang, text);
  switch (lang) {
    case 'js':
      nestRoutes(src, out);
      expressRoutes(src, out, mounts);
      grpcJsRoutes(src, out);
      break;
    case 'python':
      pythonDecoratorRoutes(src, out, mounts);
      djangoRoutes(src, out);
      break;
    case 'java':
      springRoutes(src, out);
      break;
    case 'cs':
      aspNetControllerRoutes(src, out);
      aspNetMinimalRoutes(src, out);
      break;
    case 'go':
      goRoutes(src, out, mounts);
      break;
    case 'ruby':
      railsRoutes(src, out);
      break;
    case 'php':
      laravelRoutes(src, out);
      break;
  }
  return out;
}

/** Function, class and action definitions that Django, Rails and Laravel routes point to from other files. */
export function extractHandlers(file: string, text: string): HandlerDefinition[] {
  const lang = languageOf(file);
  let pattern: RegExp;
  if (lang === 'python') pattern = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm;
  else if (lang === 'ruby' && file.endsWith('_controller.rb')) pattern = /^[ \t]*def[ \t]+(\w+[!?]?)/gm;
  else if (lang === 'php' && /Controller[^/]*\.php$/.test(file)) pattern = /\bfunction[ \t]+(\w+)[ \t]*\(/g;
  else return [];
  const src = new Source(file, lang, text);
  // a module-level `def detail` wins over a method `detail` of some class in the same file
  const best = new Map<string, { def: HandlerDefinition; indent: number }>();
  for (const m of src.code.matchAll(pattern)) {
    const symbol = m[1]!;
    const indent = m[0].search(/\S/);
    const known = best.get(symbol);
    if (known && known.indent <= indent) continue;
    best.set(symbol, { def: { file, line: src.line(m.index + m[0].length - symbol.length), symbol }, indent });
  }
  return [...best.values()].map((b) => b.def);
}

function languageOf(file: string): Lang | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : LANG_BY_EXTENSION[file.slice(dot + 1).toLowerCase()];
}
