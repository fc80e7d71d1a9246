/**
 * `trace-lens-mcp`'s configuration, from its arguments and environment. Credentials come only from the
 * environment (arguments show in process lists), and each is sent only to the backend it names.
 */
import * as path from 'node:path';

export type RemoteType = 'jaeger' | 'tempo' | 'zipkin';

export interface RemoteConfig {
  /** what tools call it: the type, `jaeger-2` for a second one */
  name: string;
  type: RemoteType;
  url: string;
  headers: Record<string, string>;
  tenant?: string;
}

export interface McpConfig {
  /** in the order given; the first source given is the active one */
  remotes: RemoteConfig[];
  /** trace files, absolute */
  files: string[];
  /** workspace roots, absolute */
  workspaces: string[];
  /** per request to a backend, ms */
  timeoutMs: number;
  /** which comes first: the files or the first remote (the order of the arguments) */
  filesFirst: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: trace-lens-mcp [options]

An MCP server (stdio) with Trace Lens's read-only trace tools: search_traces, get_trace, code_latency,
locate_span, list_services. The first source given is the active one; tools may name another.

Options:
  --backend <type>=<url>   a Jaeger, Tempo or Zipkin query API, e.g. --backend jaeger=http://localhost:16686
                           (repeatable; --jaeger <url>, --tempo <url> and --zipkin <url> are short for it).
                           Trace Lens's own receiver serves the Jaeger API when traceLens.receiver.jaegerQueryApi
                           is on: --backend jaeger=http://127.0.0.1:4318
  --file <path>            a trace file (Jaeger UI download, OTLP JSON or protobuf, Zipkin JSON); repeatable
  --workspace <dir>        the source tree spans are mapped to; repeatable
  --timeout <seconds>      the longest a backend request may take (default 20)
  --help, --version

Environment:
  TRACE_LENS_BACKENDS      more backends, comma-separated: jaeger=http://…,tempo=http://…
  TRACE_LENS_WORKSPACE     workspace directories, separated by '${path.delimiter}'
  TRACE_LENS_FILES         trace files, separated by '${path.delimiter}'
  TRACE_LENS_JAEGER_TOKEN, TRACE_LENS_TEMPO_TOKEN, TRACE_LENS_ZIPKIN_TOKEN
                           a bearer token sent to the backends of that type only
  TRACE_LENS_TEMPO_TENANT  sent to Tempo as X-Scope-OrgID
`;

const TYPES: readonly RemoteType[] = ['jaeger', 'tempo', 'zipkin'];
const DEFAULT_TIMEOUT_S = 20;

export function parseMcpArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): McpConfig {
  const remotes: { type: RemoteType; url: string }[] = [];
  const files: string[] = [];
  const workspaces: string[] = [];
  let timeoutS = DEFAULT_TIMEOUT_S;
  let filesFirst = false;
  let help = false;
  let version = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    // `--file=x` as well as `--file x`; but `--backend jaeger=url` keeps its own `=`
    const [flag, inline] = eq > 0 && !arg.startsWith('--backend=') ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--backend':
        remotes.push(parseBackend(value()));
        break;
      case '--jaeger':
      case '--tempo':
      case '--zipkin':
        remotes.push({ type: flag.slice(2) as RemoteType, url: checkUrl(value(), flag) });
        break;
      case '--file':
        if (remotes.length === 0 && files.length === 0) filesFirst = true;
        files.push(path.resolve(cwd, value()));
        break;
      case '--workspace':
        workspaces.push(path.resolve(cwd, value()));
        break;
      case '--timeout': {
        const v = value();
        timeoutS = Number(v);
        if (!(timeoutS > 0 && timeoutS <= 600)) throw new UsageError(`--timeout wants seconds from 1 to 600, not "${v}"`);
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      case '--version':
        version = true;
        break;
      default:
        if (arg.startsWith('--backend=')) remotes.push(parseBackend(arg.slice('--backend='.length)));
        else throw new UsageError(`unknown argument "${arg}"`);
    }
  }

  for (const item of splitList(env.TRACE_LENS_BACKENDS, ',')) remotes.push(parseBackend(item));
  for (const dir of splitList(env.TRACE_LENS_WORKSPACE, path.delimiter)) workspaces.push(path.resolve(cwd, dir));
  for (const file of splitList(env.TRACE_LENS_FILES, path.delimiter)) {
    if (remotes.length === 0 && files.length === 0) filesFirst = true;
    files.push(path.resolve(cwd, file));
  }

  const seen = new Map<string, number>();
  const named: RemoteConfig[] = remotes.map(({ type, url }) => {
    const n = (seen.get(type) ?? 0) + 1;
    seen.set(type, n);
    const headers: Record<string, string> = {};
    const token = env[`TRACE_LENS_${type.toUpperCase()}_TOKEN`]?.trim();
    if (token) headers.Authorization = `Bearer ${token}`;
    const config: RemoteConfig = { name: n === 1 ? type : `${type}-${n}`, type, url, headers };
    const tenant = type === 'tempo' ? env.TRACE_LENS_TEMPO_TENANT?.trim() : undefined;
    if (tenant) config.tenant = tenant;
    return config;
  });
  return { remotes: named, files, workspaces, timeoutMs: timeoutS * 1000, filesFirst, help, version };
}

function parseBackend(text: string): { type: RemoteType; url: string } {
  const eq = text.indexOf('=');
  const type = (eq > 0 ? text.slice(0, eq) : '').trim().toLowerCase();
  if (!TYPES.includes(type as RemoteType)) {
    throw new UsageError(
      `--backend wants <type>=<url> with type jaeger, tempo or zipkin, e.g. jaeger=http://localhost:16686; got "${text}"`,
    );
  }
  return { type: type as RemoteType, url: checkUrl(text.slice(eq + 1).trim(), `--backend ${type}`) };
}

function checkUrl(url: string, flag: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${flag}: "${url}" is not a URL (e.g. http://localhost:16686)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`${flag}: ${url} is not an http(s) URL`);
  if (parsed.username || parsed.password) {
    throw new UsageError(`${flag}: put no credentials in the URL; use TRACE_LENS_<TYPE>_TOKEN in the environment`);
  }
  return url;
}

function splitList(value: string | undefined, separator: string): string[] {
  return (value ?? '')
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
