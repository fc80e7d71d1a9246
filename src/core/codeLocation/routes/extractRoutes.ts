/** Entry points by file: which language a file is, whether it is worth scanning, and which scanners read it. */
import { aspNetControllerRoutes, aspNetMinimalRoutes } from './aspNetRoutes';
import { cppRoutes } from './cppRoutes';
import { djangoRoutes } from './djangoRoutes';
import { fileSystemRoutes, isFileSystemRoute } from './fileSystemRoutes';
import { goRoutes } from './goRoutes';
import { grpcJsRoutes } from './grpcJsRoutes';
import { expressRoutes } from './jsRoutes';
import { jaxrsRoutes, micronautRoutes } from './jvmRoutes';
import { ktorRoutes } from './ktorRoutes';
import { laravelRoutes } from './laravelRoutes';
import { nestRoutes } from './nestRoutes';
import { nextRoutes } from './nextRoutes';
import { phoenixRoutes } from './phoenixRoutes';
import { plugRoutes } from './plugRoutes';
import { pythonDecoratorRoutes } from './pythonRoutes';
import { RAILS_ROUTES_FILE, railsRoutes } from './railsRoutes';
import type { HandlerDefinition, RouteDefinition, RouteMount } from './routeTypes';
import { rustRoutes } from './rustRoutes';
import { sinatraRoutes } from './sinatraRoutes';
import { slimRoutes } from './slimRoutes';
import { type Lang, Source } from './sourceScan';
import { springRoutes } from './springRoutes';
import { starletteRoutes } from './starletteRoutes';
import { symfonyRoutes } from './symfonyRoutes';

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
  ru: 'ruby',
  php: 'php',
  rs: 'rust',
  ex: 'elixir',
  exs: 'elixir',
  cpp: 'cpp',
  cc: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  hxx: 'cpp',
  h: 'cpp',
};

/** Cheap tests on the raw text: a file failing its language's test is not masked or scanned. */
const WORTH_SCANNING: Readonly<Record<Lang, RegExp>> = {
  js: /\.\s*(?:get|post|put|patch|delete|options|head|all|route|use|addService)\s*\(|@Controller\b/,
  python:
    /@\s*\w+\.(?:route|get|post|put|patch|delete|head|options|api_route)\s*\(|\burlpatterns\b|\.(?:add_url_rule|include_router|register_blueprint)\s*\(|\bRoute\s*\(|\.add_route\s*\(/,
  java: /@(?:Get|Post|Put|Delete|Patch|Request)Mapping\b|@(?:Path|ApplicationPath|Get|Post|Put|Delete|Patch)\b|\brouting\s*\{|\bfun\s+Rout(?:e|ing)\./,
  cs: /\[\s*(?:Http[A-Z]|Route\b|AcceptVerbs\b)|\.Map(?:Get|Post|Put|Delete|Patch|Methods|Group)\s*\(/,
  go: /\.\s*(?:HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options|All|Method|MethodFunc|Group|PathPrefix|Route|Mount)\s*\(/,
  // a Sinatra or Grape route opens a block; rack-test and RSpec calls do not
  ruby: /^[ \t]*(?:(?:get|post|put|patch|delete|head|options|link|unlink|route)\b[^\n]*(?:\bdo\b|\)\s*\{|,[ \t]*$)|(?:mount|map|run)\b[ \t(])/m,
  php: /Route::|->\s*(?:get|post|put|patch|delete|options|any|map|group)\s*\(\s*(?:\[|['"])|#\[\s*\\?(?:[\w\\]+\\)?Route\b|@Route\b/,
  rust: /\.\s*(?:route|nest|merge|service|mount|configure|at)\s*\(|#\[\s*(?:\w+::)?(?:get|post|put|delete|patch|head|options|route)\s*\(|\bpath!\s*\(|\bweb::resource\b/,
  elixir: /\buse\s+[\w.]+,\s*:router\b|\bPhoenix\.Router\b|\bPlug\.Router\b/,
  cpp: /\b(?:ENDPOINT|ENDPOINT_ASYNC|CROW_ROUTE|CROW_BP_ROUTE|METHOD_LIST_BEGIN|registerHandler)\b|\bRoutes::|[.>]\s*(?:Get|Post|Put|Delete|Patch|Options)\s*\(/,
};

/**
 * Route registrations in one file. `file` is workspace-relative with forward slashes. Routers this file mounts
 * under a prefix for routes registered elsewhere go to `mounts`.
 */
export function extractRoutes(file: string, text: string, mounts: RouteMount[] = []): RouteDefinition[] {
  const out: RouteDefinition[] = [];
  if (isFileSystemRoute(file)) fileSystemRoutes(file, text, out);
  const lang = languageOf(file);
  if (!lang) return out;
  if (lang === 'js') nextRoutes(file, text, out);
  const rails = lang === 'ruby' && RAILS_ROUTES_FILE.test(file);
  if (!rails && !WORTH_SCANNING[lang].test(text)) return out;
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
      starletteRoutes(src, out);
      break;
    case 'java':
      springRoutes(src, out);
      jaxrsRoutes(src, out, mounts);
      micronautRoutes(src, out);
      ktorRoutes(src, out, mounts);
      break;
    case 'cs':
      aspNetControllerRoutes(src, out);
      aspNetMinimalRoutes(src, out);
      break;
    case 'go':
      goRoutes(src, out, mounts);
      break;
    case 'ruby':
      if (rails) railsRoutes(src, out);
      // Rails routes also mount Grape and Sinatra apps: `mount Api::Root => '/api'`
      sinatraRoutes(src, out, mounts);
      break;
    case 'php':
      laravelRoutes(src, out);
      slimRoutes(src, out);
      symfonyRoutes(src, out);
      break;
    case 'rust':
      rustRoutes(src, out, mounts);
      break;
    case 'elixir':
      phoenixRoutes(src, out);
      plugRoutes(src, out, mounts);
      break;
    case 'cpp':
      cppRoutes(src, out);
      break;
  }
  return out;
}

/** Function, class and action definitions that Django, Rails, Laravel, Phoenix and Rust routes point to from other files. */
export function extractHandlers(file: string, text: string): HandlerDefinition[] {
  const lang = languageOf(file);
  let pattern: RegExp;
  if (lang === 'python') pattern = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm;
  else if (lang === 'ruby' && file.endsWith('_controller.rb')) pattern = /^[ \t]*def[ \t]+(\w+[!?]?)/gm;
  else if (lang === 'php' && /Controller[^/]*\.php$/.test(file)) pattern = /\bfunction[ \t]+(\w+)[ \t]*\(/g;
  else if (lang === 'elixir' && /_(?:controller|live)\.ex$/.test(file)) pattern = /^[ \t]*def[ \t]+(\w+[!?]?)/gm;
  else if (lang === 'rust') return rustFreeFunctions(file, text);
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

/**
 * A Rust module's free functions (handlers), not the methods of its `impl` blocks: read from the raw text, since
 * a definition at the start of a line is never inside a `//` comment and masking every Rust file costs time.
 */
function rustFreeFunctions(file: string, text: string): HandlerDefinition[] {
  const out: HandlerDefinition[] = [];
  const seen = new Set<string>();
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(
    /^(?:pub(?:\([^)]*\))?[ \t]+)?(?:const[ \t]+)?(?:async[ \t]+)?(?:unsafe[ \t]+)?fn[ \t]+(\w+)/gm,
  )) {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    counted = m.index;
    if (seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    out.push({ file, line, symbol: m[1]! });
  }
  return out;
}

function languageOf(file: string): Lang | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : LANG_BY_EXTENSION[file.slice(dot + 1).toLowerCase()];
}
