/**
 * Where a service's code lives, as the workspace itself says: compose files (`OTEL_SERVICE_NAME` and the
 * service's build context), Dockerfiles and `.env` files, Spring's `spring.application.name`, .NET's
 * `appsettings.json`, package manifests (package.json, Cargo.toml, pyproject.toml, go.mod, mix.exs,
 * composer.json, pom.xml, Gradle settings, .csproj) and service names written into tracing setup code.
 */

export interface ServiceDeclaration {
  /** the service name as written */
  name: string;
  /** workspace-relative folder of the service's code ('' for the root); undefined: the project that holds the declaring file */
  root?: string;
  /** how the name was declared, for reasons */
  via: string;
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
  if (base === 'cargo.toml' || base === 'pyproject.toml') {
    const name = /^\s*\[(?:package|project|tool\.poetry)\][^[]*?^\s*name\s*=\s*["']([^"']+)["']/ms.exec(text)?.[1];
    return here(name, base);
  }
  if (base === 'go.mod') return here(/^module\s+(\S+)/m.exec(text)?.[1]?.split('/').pop(), 'go.mod');
  if (base === 'mix.exs') return here(/\bapp:\s*:(\w+)/.exec(text)?.[1], 'mix.exs');
  if (base === 'pom.xml') {
    const project = text.replace(/<parent>[\s\S]*?<\/parent>|<dependencies>[\s\S]*|<build>[\s\S]*/g, '');
    return here(/<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(project)?.[1], 'pom.xml');
  }
  if (base.startsWith('settings.gradle')) return here(/rootProject\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1], base);
  if (base.endsWith('.csproj')) return here(file.slice(file.lastIndexOf('/') + 1, -'.csproj'.length), '.csproj');
  if (base === 'dockerfile' || base === '.env') {
    const name = /^\s*(?:ENV\s+|export\s+)?OTEL_SERVICE_NAME(?:\s*=\s*|\s+)["']?([^"'\s]+)/im.exec(text)?.[1];
    return here(name, base === '.env' ? '.env' : 'Dockerfile');
  }
  if (SPRING_CONFIG.test(file)) {
    const name =
      /^\s*spring\.application\.name\s*[=:]\s*(\S+)/m.exec(text)?.[1] ??
      /^spring:\s*\n(?:[ \t]+.*\n)*?[ \t]+application:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*["']?([^"'\s]+)/m.exec(text)?.[1];
    // src/main/resources/application.yml belongs to the module above src/
    const root = dir.replace(/(?:^|\/)src\/main\/resources(?:\/.*)?$/, '');
    return name !== undefined && plausible(name) ? [{ name, root, via: 'spring.application.name' }] : [];
  }
  if (APPSETTINGS.test(file)) return here(/"ServiceName"\s*:\s*"([^"]+)"/.exec(text)?.[1], 'appsettings');
  return codeServiceNames(text);
}

/**
 * Names written into tracing setup code: `service.name` attributes and keys, `ServiceName("x")`,
 * `AddService("x")`, `service_name = 'x'`, and the first argument of tracer/telemetry setup calls
 * (`initTracer("customer")`, `require('./tracer')('example-server')`).
 */
function codeServiceNames(text: string): ServiceDeclaration[] {
  const out: ServiceDeclaration[] = [];
  const seen = new Set<string>();
  const add = (name: string, via: string) => {
    if (!plausible(name) || seen.has(name)) return;
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
      /\b\w*(?:[Tt]racer|[Tt]racing|[Tt]elemetry|[Oo]tel|OTel)\w*['"`]?\)?\s*\(\s*["'`]([\w.@/-]{2,80})["'`]/g,
      'tracing setup call',
    ],
  ];
  for (const [re, via] of patterns) for (const m of text.matchAll(re)) add(m[1]!, via);
  return out.slice(0, 8);
}

/** compose `services:` entries: their OTEL_SERVICE_NAME (and key) with the folder their image builds from. */
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
    const build = /^\s*build:\s*["']?([^"'\s{]+)["']?\s*$/m.exec(block)?.[1];
    const context = /^\s*context:\s*["']?([^"'\s]+)/m.exec(block)?.[1];
    const dockerfile = /^\s*dockerfile:\s*["']?([^"'\s]+)/m.exec(block)?.[1];
    let root: string | undefined;
    const base = build ?? context;
    if (base !== undefined && !base.includes('$')) {
      root = joinDir(dir, base);
      if (root !== undefined && dockerfile !== undefined && !dockerfile.includes('$') && dockerfile.includes('/')) {
        root = joinDir(root, dockerfile.slice(0, dockerfile.lastIndexOf('/')));
      }
    }
    if (root !== undefined) {
      if (name !== undefined && plausible(name)) out.push({ name, root, via: `${key} in a compose file` });
      if (plausible(key)) out.push({ name: key, root, via: 'a compose service' });
    }
    i = j;
  }
  return out;
}

/** A folder joined with a relative path, `..` resolved; undefined when it leaves the workspace. */
function joinDir(dir: string, rel: string): string | undefined {
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
