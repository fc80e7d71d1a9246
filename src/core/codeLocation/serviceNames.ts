/**
 * Where a service's code lives, as the workspace itself says: compose files (`OTEL_SERVICE_NAME` and the
 * folder the service's image builds from, variables taken from the `.env` beside them), Dockerfiles and
 * `.env` files, Spring's `spring.application.name`, .NET's `appsettings.json`, package manifests
 * (package.json, Cargo.toml, pyproject.toml, go.mod, mix.exs, composer.json, pom.xml, Gradle settings,
 * .csproj) and service names written into tracing setup code.
 */
import { isGeneratedFile } from './generatedCode';

export interface ServiceDeclaration {
  /** the service name as written */
  name: string;
  /** workspace-relative folder of the service's code ('' for the root); undefined: the project that holds the declaring file */
  root?: string;
  /** a compose service's build, when its folder is still to be worked out (variables, or compared with its siblings) */
  build?: ComposeBuild;
  /** how the name was declared, for reasons */
  via: string;
}

/** A compose service's `build:` as written; `${VAR}`s are resolved from the compose folder's `.env`. */
export interface ComposeBuild {
  /** the compose file's folder */
  dir: string;
  /** the compose service's key: services of one compose file are told apart by it */
  service: string;
  context: string;
  dockerfile?: string;
}

const COMPOSE = /(?:^|\/)(?:docker-)?compose(?:[.-][\w.-]*)?\.ya?ml$/i;
const MANIFEST_NAMES: ReadonlySet<string> = new Set([
  'package.json',
  'cargo.toml',
  'pyproject.toml',
  'go.mod',
  'mix.exs',
  'composer.json',
  'pom.xml',
  'settings.gradle',
  'settings.gradle.kts',
  'dockerfile',
  '.env',
]);
const SPRING_CONFIG = /(?:^|\/)application(?:-[\w-]+)?\.(?:properties|ya?ml)$/i;
const APPSETTINGS = /(?:^|\/)appsettings(?:\.[\w-]+)?\.json$/i;
const TEST_FILE = /(?:^|\/)(?:tests?|spec|__tests__|testdata|fixtures?)\/|[._-](?:test|spec)\.\w+$|_test\.go$/i;

/** Folders whose manifest marks the root of one project, for names declared in its code. */
export const PROJECT_MANIFESTS: readonly string[] = [
  'package.json',
  'go.mod',
  'Cargo.toml',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'pyproject.toml',
  'setup.py',
  'requirements.txt',
  'Gemfile',
  'composer.json',
  'mix.exs',
  'CMakeLists.txt',
  'Dockerfile',
];

/** Whether `file` is a non-source file that may declare a service name. */
export function isServiceManifest(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  return (
    MANIFEST_NAMES.has(base) ||
    base.endsWith('.csproj') ||
    COMPOSE.test(file) ||
    SPRING_CONFIG.test(file) ||
    APPSETTINGS.test(file)
  );
}

/** Service names a manifest or a source file declares. */
export function extractServiceDeclarations(file: string, text: string): ServiceDeclaration[] {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  const here = (name: string | undefined, via: string): ServiceDeclaration[] =>
    name !== undefined && plausible(name) ? [{ name: name.trim(), root: dir, via }] : [];
  if (COMPOSE.test(file)) return composeServices(dir, text);
  if (base === 'package.json' || base === 'composer.json') {
    const name = /^\s*"name"\s*:\s*"([^"]+)"/m.exec(text)?.[1];
    return here(name?.replace(/^@[^/]+\//, '').replace(/^[^/]+\//, ''), base);
  }
  if (base === 'cargo.toml' || base === 'pyproject.toml') return here(tomlName(text), base);
  if (base === 'go.mod') {
    // github.com/shop/payments/v2: the major-version suffix is not the name
    const parts = /^module\s+(\S+)/m.exec(text)?.[1]?.split('/') ?? [];
    if (parts.length > 1 && /^v\d+$/.test(parts[parts.length - 1]!)) parts.pop();
    return here(parts.pop(), 'go.mod');
  }
  if (base === 'mix.exs') return here(/\bapp:\s*:(\w+)/.exec(text)?.[1], 'mix.exs');
  if (base === 'pom.xml') {
    const project = text.replace(/<parent>[\s\S]*?<\/parent>|<dependencies>[\s\S]*|<build>[\s\S]*/g, '');
    return here(/<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(project)?.[1], 'pom.xml');
  }
  if (base.startsWith('settings.gradle')) return here(/rootProject\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1], base);
  if (base.endsWith('.csproj')) return here(file.slice(file.lastIndexOf('/') + 1, -'.csproj'.length), '.csproj');
  if (base === 'dockerfile' || base === '.env') {
    const name = /^[ \t]*(?:ENV[ \t]+|export[ \t]+)?OTEL_SERVICE_NAME(?:[ \t]*=[ \t]*|[ \t]+)["']?([^"'\s]+)/im.exec(text)?.[1];
    return here(name, base === '.env' ? '.env' : 'Dockerfile');
  }
  if (SPRING_CONFIG.test(file)) {
    const name = /\.properties$/i.test(file)
      ? /^[ \t]*spring\.application\.name[ \t]*[=:][ \t]*(\S+)/m.exec(text)?.[1]
      : yamlValue(text, ['spring', 'application', 'name']);
    // src/main/resources/application.yml belongs to the module above src/
    const root = dir.replace(/(?:^|\/)src\/main\/resources(?:\/.*)?$/, '');
    return name !== undefined && plausible(name) ? [{ name, root, via: 'spring.application.name' }] : [];
  }
  if (APPSETTINGS.test(file)) return here(/"ServiceName"\s*:\s*"([^"]+)"/.exec(text)?.[1], 'appsettings');
  if (TEST_FILE.test(file) || isGeneratedFile(file)) return [];
  return codeServiceNames(text);
}

/** `KEY=value` lines of a `.env` file (quotes taken off, comments and `export` ignored). */
export function readEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const m of text.matchAll(
    /^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$/gm,
  )) {
    env.set(m[1]!, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return env;
}

/** The folder a compose build's image is made from (the Dockerfile's folder when it names one); undefined when a variable is unknown. */
export function composeRoot(build: ComposeBuild, env: ReadonlyMap<string, string>): string | undefined {
  const context = substitute(build.context, env);
  if (context === undefined) return undefined;
  let root = joinDir(build.dir, context);
  const dockerfile = build.dockerfile === undefined ? undefined : substitute(build.dockerfile, env);
  if (build.dockerfile !== undefined && dockerfile === undefined) return undefined;
  if (root !== undefined && dockerfile !== undefined && dockerfile.includes('/')) {
    root = joinDir(root, dockerfile.slice(0, dockerfile.lastIndexOf('/')));
  }
  return root;
}

/**
 * The roots of one compose file's services, each kept only where it says something: a folder shared by two
 * services, or holding another service's folder (a build from the repository root), is no service's own.
 */
export function distinctComposeRoots(entries: readonly { service: string; root: string }[]): Set<string> {
  const services = new Map<string, Set<string>>();
  for (const e of entries) services.set(e.root, (services.get(e.root) ?? new Set()).add(e.service));
  const roots = [...services.keys()];
  return new Set(
    roots.filter(
      (r) => services.get(r)!.size === 1 && !roots.some((other) => other !== r && (r === '' || other.startsWith(`${r}/`))),
    ),
  );
}

/** `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` from `env`; undefined when one is not set and has no default. */
function substitute(value: string, env: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = value.replace(
    /\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g,
    (_m, braced: string, fallback: string | undefined, bare: string) => {
      const v = env.get(braced ?? bare);
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      unknown = true;
      return '';
    },
  );
  return unknown ? undefined : out;
}

/** The value at a key path of a YAML document, by indentation (no anchors, no flow maps); also `a.b.c: v`. */
function yamlValue(text: string, path: readonly string[]): string | undefined {
  const flat = new RegExp(`^${path.map((p) => p.replace(/\./g, '\\.')).join('\\.')}:[ \\t]*["']?([^"'\\s#]+)`, 'm').exec(
    text,
  )?.[1];
  if (flat !== undefined) return flat;
  let depth = 0;
  const indents: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([ \t]*)([\w.-]+):[ \t]*(.*?)[ \t]*(?:#.*)?$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (indents.length > 0 && indent <= indents[indents.length - 1]!) {
      indents.pop();
      depth--;
    }
    if (m[2] !== path[depth]) continue;
    if (depth === path.length - 1) return m[3]!.replace(/^["']|["']$/g, '') || undefined;
    if (m[3] === '') {
      indents.push(indent);
      depth++;
    }
  }
  return undefined;
}

/** `name` of a Cargo.toml `[package]` or a pyproject.toml `[project]` / `[tool.poetry]` table. */
function tomlName(text: string): string | undefined {
  let inTable = false;
  for (const line of text.split('\n')) {
    const table = /^\s*\[([^\]]+)\]/.exec(line);
    if (table) {
      inTable = /^(?:package|project|tool\.poetry)$/.test(table[1]!.trim());
      continue;
    }
    const name = inTable ? /^\s*name\s*=\s*["']([^"']+)["']/.exec(line)?.[1] : undefined;
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * Calls that name an instrumentation scope, not a service: `trace.getTracer('billing')`, `otel.Tracer("x")`,
 * `get_tracer(...)`, `GetTracer(...)` (tested on the text around a match of the tracing-setup pattern).
 */
const SCOPE_CALL = /(?:\bget_?|\.|\bGet)[Tt]racer\s*\(|(?<![\w.])[Tt]racer\s*\(/;

/** A cheap test first: most source files say nothing of tracing. */
const CODE_HINT = /service|[Tt]rac(?:er|ing)|[Tt]elemetry|[Oo][Tt]el/i;

/**
 * Names written into tracing setup code: `service.name` attributes and keys, `ServiceName("x")`,
 * `AddService("x")`, `service_name = 'x'`, and the first argument of tracer/telemetry setup calls
 * (`setupTracing("orders")`, `require('./tracer')('billing-worker')`).
 */
function codeServiceNames(text: string): ServiceDeclaration[] {
  if (!CODE_HINT.test(text)) return [];
  const out: ServiceDeclaration[] = [];
  const seen = new Set<string>();
  const add = (name: string, via: string) => {
    if (!plausible(name) || seen.has(name) || /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0)$/.test(name)) return;
    seen.add(name);
    out.push({ name, via });
  };
  const patterns: [RegExp, string][] = [
    [/["'`]service\.name["'`]\s*[:=,]>?\s*["'`]([^"'`\n]{2,80})["'`]/g, 'service.name in code'],
    [/(?:\b|_)SERVICE_NAME\b\]?\s*(?:[:=,]|=>)\s*["'`]([^"'`\n]{2,80})["'`]/g, 'service.name in code'],
    [/\b(?:ServiceName|service_name|serviceName)\s*(?:[:=]|=>|\()\s*["'`]([^"'`\n]{2,80})["'`]/g, 'service name in code'],
    [
      /\b(?:ServiceNameKey\.String|AddService|WithServiceName|ConfigureResource\w*)\s*\(\s*(?:serviceName:\s*)?["'`]([^"'`\n]{2,80})["'`]/g,
      'service name in code',
    ],
    [
      // anchored on the keyword, not on the word's start: `\w*` before it would be tried at every word of the file
      /(?:[Tt]racer|[Tt]racing|[Tt]elemetry|Otel|OTel|OTEL|(?<![A-Za-z0-9])otel)\w*['"`]?\)?\s*\(\s*["'`]([\w.@/-]{2,80})["'`]/g,
      'tracing setup call',
    ],
  ];
  for (const [re, via] of patterns) {
    for (const m of text.matchAll(re)) {
      if (via === 'tracing setup call' && SCOPE_CALL.test(text.slice(Math.max(0, m.index - 8), m.index + 8))) continue;
      add(m[1]!, via);
    }
  }
  return out.slice(0, 8);
}

/** compose `services:` entries with a build: their OTEL_SERVICE_NAME (and key) and the build to find their folder by. */
function composeServices(dir: string, text: string): ServiceDeclaration[] {
  const out: ServiceDeclaration[] = [];
  const lines = text.split('\n');
  const services = lines.findIndex((l) => /^services:\s*$/.test(l));
  if (services < 0) return out;
  let i = services + 1;
  while (i < lines.length) {
    const head = /^([ \t]+)([\w.-]+):\s*$/.exec(lines[i]!);
    if (!head) {
      if (/^\S/.test(lines[i]!)) break;
      i++;
      continue;
    }
    const indent = head[1]!.length;
    const key = head[2]!;
    let j = i + 1;
    const body: string[] = [];
    while (j < lines.length && (lines[j]!.trim() === '' || lines[j]!.search(/\S/) > indent)) body.push(lines[j++]!);
    const block = body.join('\n');
    const name = /OTEL_SERVICE_NAME["']?\s*[:=]\s*["']?([^"'\s]+)/.exec(block)?.[1];
    const shortBuild = /^\s*build:\s*["']?([^"'\s{]+)["']?\s*$/m.exec(block)?.[1];
    const context = shortBuild ?? /^\s*context:\s*["']?([^"'\s]+)/m.exec(block)?.[1];
    const dockerfile = shortBuild === undefined ? /^\s*dockerfile:\s*["']?([^"'\s]+)/m.exec(block)?.[1] : undefined;
    if (context !== undefined) {
      const build: ComposeBuild = { dir, service: key, context };
      if (dockerfile !== undefined) build.dockerfile = dockerfile;
      if (name !== undefined && plausible(name)) out.push({ name, build, via: `${key} in a compose file` });
      if (plausible(key)) out.push({ name: key, build, via: 'a compose service' });
    }
    i = j;
  }
  return out;
}

/** A folder joined with a relative path, `..` resolved; undefined when it leaves the workspace. */
export function joinDir(dir: string, rel: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

function plausible(name: string): boolean {
  const n = name.trim();
  return n.length >= 2 && n.length <= 80 && /^[\w.@/-]+$/.test(n) && !/^(?:unknown_service|\d+)$/.test(n);
}
