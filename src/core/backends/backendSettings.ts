/**
 * The `traceLens.backends` setting: reads its entries into named backends with readable problems, merges
 * the user's and the workspace's lists (the workspace's only when it is trusted), and resolves one entry
 * plus its stored secret into a BackendConfig.
 *
 * Secrets live in the editor's secret store, never in settings. A stored secret remembers the origin it was
 * entered for and is sent only there: a settings file that later points the same backend name at another
 * host gets no credentials, trusted workspace or not.
 */
import { BackendConfigError, settingsRemedies } from './backendErrors';
import type { BackendConfig } from './createBackend';
import { DEFAULT_BACKEND_URLS } from './createBackend';
import type { BackendType } from './types';
import { isObject } from '../formats/json';

export type RemoteBackendType = Exclude<BackendType, 'local'>;
export const REMOTE_BACKEND_TYPES: readonly RemoteBackendType[] = ['jaeger', 'tempo', 'zipkin'];

export const AUTH_KINDS = ['none', 'bearer', 'basic', 'headers'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];
export type SecretAuthKind = Exclude<AuthKind, 'none'>;

/** Where a backend entry came from; workspace entries are used only in trusted workspaces. */
export type SettingScope = 'user' | 'workspace' | 'folder';

export interface BackendSetting {
  /** unique among the merged entries; what the status bar and the pickers show */
  name: string;
  type: RemoteBackendType;
  /** normalised: no trailing slash, no user info; the type's default when the entry gives none */
  url: string;
  /** where "Open in Backend UI" links go, when not `url` */
  uiUrl?: string;
  /** Tempo: X-Scope-OrgID */
  tenant?: string;
  /** plain, non-secret headers sent with every request */
  headers: Record<string, string>;
  auth: { kind: AuthKind; /** the secret store key; defaults to defaultSecretKey(name) */ secretKey: string };
  /** Jaeger: skip the API probe */
  jaegerApi?: 'v3' | 'v1';
  /** a PEM file of certificates trusted in addition to the system's */
  caFile?: string;
  /** accept any certificate from this backend (self-signed); only when the user opted in */
  allowUntrustedCertificates: boolean;
  scope: SettingScope;
}

export interface BackendSettings {
  backends: BackendSetting[];
  /** one readable sentence per entry or field that was left out or looks wrong */
  problems: string[];
  /** entries in workspace settings not used because the workspace is not trusted */
  ignoredUntrusted: number;
}

/** What the secret store holds for one backend (JSON). */
export interface StoredSecret {
  kind: SecretAuthKind;
  /** the origin (scheme://host:port) the secret was entered for; it is sent nowhere else */
  origin: string;
  /** bearer: the token; basic: "user:password"; headers: a JSON object of header name → value */
  value: string;
}

/** The per-call HTTP options the adapter supplies (proxy, size cap, log) besides what the entry says. */
export type HttpSettings = NonNullable<BackendConfig['http']>;

const TYPE_LABELS: Readonly<Record<RemoteBackendType, string>> = { jaeger: 'Jaeger', tempo: 'Tempo', zipkin: 'Zipkin' };
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header names that carry credentials; in settings they would be readable by anyone with the file. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|auth|token|secret|passw|api[-_]?key|session/i;

export function backendTypeLabel(type: BackendType): string {
  return type === 'local' ? 'Local receiver' : TYPE_LABELS[type];
}

/** The secret store key of a backend whose entry names none. */
export function defaultSecretKey(name: string): string {
  return `traceLens.backend/${name}`;
}

/**
 * Why `text` cannot be a backend URL, in a sentence for an input box; undefined when it can. Accepts
 * http(s) URLs with a host; a path is kept (a UI served under /jaeger).
 */
export function checkBackendUrl(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'Enter the URL of the backend, e.g. http://localhost:16686';
  // "localhost:16686" parses as a URL whose scheme is "localhost:".
  if (!trimmed.includes('://') && /^[\w.-]+(:\d+)?(\/\S*)?$/.test(trimmed)) return `Add the scheme: http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `"${trimmed}" is not a URL; use e.g. http://localhost:16686`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Use http:// or https://, not ${url.protocol}//`;
  if (url.hostname === '') return 'The URL needs a host, e.g. http://localhost:16686';
  if (url.username || url.password)
    return 'Leave credentials out of the URL: choose an authentication method next, they are stored securely';
  if (url.search || url.hash) return 'Leave the query and fragment out: give the base URL of the API';
  return undefined;
}

/** `text` as stored: trimmed, without a trailing slash. Call checkBackendUrl first. */
export function normalizeBackendUrl(text: string): string {
  const url = new URL(text.trim());
  url.username = '';
  url.password = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

/** scheme://host:port of a URL, as secrets are bound to it; undefined when it is not a URL. */
export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Reads one scope's `traceLens.backends` value. Entries that cannot work are left out, each with a problem. */
export function parseBackendSettings(
  value: unknown,
  scope: SettingScope = 'user',
): { backends: BackendSetting[]; problems: string[] } {
  const backends: BackendSetting[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { backends, problems };
  if (!Array.isArray(value)) {
    problems.push(`traceLens.backends (${scope} settings) must be a list of backends, not ${describe(value)}; it is ignored.`);
    return { backends, problems };
  }
  const names = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const where = `traceLens.backends[${index}] (${scope} settings)`;
    const result = parseEntry(entry, where, scope);
    problems.push(...result.problems);
    if (!result.backend) return;
    if (names.has(result.backend.name)) {
      problems.push(`${where}: another backend is already named "${result.backend.name}"; this one is ignored.`);
      return;
    }
    names.add(result.backend.name);
    backends.push(result.backend);
  });
  return { backends, problems };
}

/**
 * The backends in effect: the user's list, with the workspace's and then the folder's entries added or
 * replacing user entries of the same name. In an untrusted workspace only the user's list counts.
 */
export function mergeBackendScopes(
  values: { user?: unknown; workspace?: unknown; folder?: unknown },
  trusted: boolean,
): BackendSettings {
  const merged = new Map<string, BackendSetting>();
  const problems: string[] = [];
  let ignoredUntrusted = 0;
  const scopes: [SettingScope, unknown][] = [
    ['user', values.user],
    ['workspace', values.workspace],
    ['folder', values.folder],
  ];
  for (const [scope, value] of scopes) {
    const parsed = parseBackendSettings(value, scope);
    if (scope !== 'user' && !trusted) {
      ignoredUntrusted += parsed.backends.length;
      continue;
    }
    problems.push(...parsed.problems);
    for (const backend of parsed.backends) merged.set(backend.name, backend);
  }
  return { backends: [...merged.values()], problems, ignoredUntrusted };
}

/** Headers that carry `secret`, and which of them are secret (for redaction). */
export function authHeaders(kind: SecretAuthKind, value: string): { headers: Record<string, string>; secretHeaders: string[] } {
  switch (kind) {
    case 'bearer': {
      const token = value.trim().replace(/^bearer\s+/i, '');
      checkHeaderValue('the token', token);
      return { headers: { authorization: `Bearer ${token}` }, secretHeaders: ['authorization'] };
    }
    case 'basic': {
      if (!value.includes(':')) throw new Error('Basic credentials must be "user:password"');
      return {
        headers: { authorization: `Basic ${Buffer.from(value, 'utf8').toString('base64')}` },
        secretHeaders: ['authorization'],
      };
    }
    case 'headers': {
      const headers = parseSecretHeaders(value);
      return { headers, secretHeaders: Object.keys(headers) };
    }
  }
}

/**
 * Custom secret headers typed into an input box: `Name: value`, several separated by newlines, or a JSON
 * object. Throws with a sentence saying what is wrong.
 */
export function parseSecretHeaders(text: string): Record<string, string> {
  const trimmed = text.trim();
  const headers: Record<string, string> = {};
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new Error('The headers are not valid JSON; write them as {"Name": "value"} or Name: value');
    }
    if (!isObject(doc)) throw new Error('The headers must be a JSON object of names and values');
    for (const [name, value] of Object.entries(doc)) {
      if (typeof value !== 'string') throw new Error(`The value of header "${name}" must be a string`);
      addHeader(headers, name, value);
    }
  } else {
    for (const line of trimmed.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`"${line.slice(0, 40)}" is not a header; write Name: value`);
      addHeader(headers, line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
  }
  if (Object.keys(headers).length === 0) throw new Error('Enter at least one header, as Name: value');
  return headers;
}

export function encodeSecret(secret: StoredSecret): string {
  return JSON.stringify({ v: 1, kind: secret.kind, origin: secret.origin, value: secret.value });
}

/** The stored secret, or undefined when the text is not one this version wrote. */
export function decodeSecret(text: string | undefined): StoredSecret | undefined {
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || doc.v !== 1) return undefined;
  const { kind, origin, value } = doc;
  if (kind !== 'bearer' && kind !== 'basic' && kind !== 'headers') return undefined;
  if (typeof origin !== 'string' || typeof value !== 'string') return undefined;
  return { kind, origin, value };
}

/**
 * The BackendConfig for `setting`. `secret` is what the secret store holds under its key; it must have
 * been entered for the same origin as the setting's URL. Throws BackendConfigError with what to do when
 * the credentials are missing, of another kind, or bound to another origin.
 */
export function resolveBackendConfig(
  setting: BackendSetting,
  options: { secret?: StoredSecret; ca?: string; http?: HttpSettings } = {},
): BackendConfig {
  const label = `"${setting.name}"`;
  const context = { backend: backendTypeLabel(setting.type), url: setting.url };
  const headers: Record<string, string> = { ...setting.headers };
  const secretHeaders: string[] = [];
  if (setting.auth.kind !== 'none') {
    const { secret } = options;
    const credentials = { ...context, remedies: settingsRemedies('addCredentials') };
    if (!secret) {
      throw new BackendConfigError(
        `No credentials for ${label} are stored on this machine. Enter them with Trace Lens: Add Backend… (same name)`,
        credentials,
      );
    }
    if (secret.kind !== setting.auth.kind) {
      throw new BackendConfigError(
        `The credentials stored for ${label} are ${describeAuth(secret.kind)}, but its settings ask for ${describeAuth(setting.auth.kind)}. Enter them again with Trace Lens: Add Backend…`,
        credentials,
      );
    }
    const origin = originOf(setting.url);
    if (origin !== secret.origin) {
      throw new BackendConfigError(
        `The credentials for ${label} were saved for ${secret.origin}, but its URL is now ${origin ?? setting.url}: Trace Lens sends them only where they were entered. If the new URL is right, enter them again with Trace Lens: Add Backend…`,
        credentials,
      );
    }
    let auth: ReturnType<typeof authHeaders>;
    try {
      auth = authHeaders(secret.kind, secret.value);
    } catch (e) {
      throw new BackendConfigError(`The credentials stored for ${label} cannot be used: ${(e as Error).message}`, credentials);
    }
    // Secret headers replace plain ones of the same name, whatever their case.
    for (const name of Object.keys(auth.headers)) {
      for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    }
    Object.assign(headers, auth.headers);
    secretHeaders.push(...auth.secretHeaders);
  }
  const http: HttpSettings = { ...options.http };
  if (secretHeaders.length > 0) http.secretHeaders = [...(http.secretHeaders ?? []), ...secretHeaders];
  if (options.ca !== undefined) http.ca = options.ca;
  if (setting.allowUntrustedCertificates) http.allowUntrustedCertificates = true;
  return {
    type: setting.type,
    url: setting.url,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(setting.tenant !== undefined ? { tenant: setting.tenant } : {}),
    ...(setting.jaegerApi !== undefined ? { jaegerApi: setting.jaegerApi } : {}),
    http,
  };
}

/** The entry as written to settings: only what differs from the defaults, and never a secret. */
export function toSettingValue(setting: Omit<BackendSetting, 'scope'>): Record<string, unknown> {
  const value: Record<string, unknown> = { name: setting.name, type: setting.type, url: setting.url };
  if (setting.uiUrl !== undefined) value.uiUrl = setting.uiUrl;
  if (setting.tenant !== undefined) value.tenant = setting.tenant;
  if (Object.keys(setting.headers).length > 0) value.headers = { ...setting.headers };
  const auth: Record<string, unknown> = { kind: setting.auth.kind };
  if (setting.auth.kind !== 'none' && setting.auth.secretKey !== defaultSecretKey(setting.name))
    auth.secretKey = setting.auth.secretKey;
  value.auth = auth;
  if (setting.jaegerApi !== undefined) value.jaegerApi = setting.jaegerApi;
  if (setting.caFile !== undefined) value.caFile = setting.caFile;
  if (setting.allowUntrustedCertificates) value.allowUntrustedCertificates = true;
  return value;
}

/** `list` (a raw setting value) with the entry named like `entry` replaced, or `entry` appended. Other entries are kept as they are. */
export function upsertSettingValue(list: unknown, entry: Record<string, unknown>): unknown[] {
  const entries = Array.isArray(list) ? [...(list as unknown[])] : [];
  const at = entries.findIndex((e) => isObject(e) && e.name === entry.name);
  if (at === -1) entries.push(entry);
  else entries[at] = entry;
  return entries;
}

/** `list` without the entry named `name`. */
export function removeSettingValue(list: unknown, name: string): unknown[] {
  return (Array.isArray(list) ? (list as unknown[]) : []).filter((e) => !(isObject(e) && e.name === name));
}

/** VS Code's proxy settings and the environment, as the HTTP client's options. */
export interface ProxySettings {
  /** `http.proxy` */
  proxy?: string;
  /** `http.proxyStrictSSL` (default true) */
  strictSSL?: boolean;
  /** `http.noProxy` */
  noProxy?: readonly string[];
  /** `http.proxySupport`: "off" turns every proxy off */
  proxySupport?: string;
  /** process environment: HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case) when `http.proxy` is empty */
  env?: Readonly<Record<string, string | undefined>>;
}

export function proxyOptions(settings: ProxySettings): Pick<HttpSettings, 'proxy' | 'noProxy' | 'allowUntrustedCertificates'> {
  if (settings.proxySupport === 'off') return {};
  const env = settings.env ?? {};
  const fromEnv = (name: string): string | undefined => (env[name] ?? env[name.toLowerCase()])?.trim() || undefined;
  const proxy = settings.proxy?.trim() || fromEnv('HTTPS_PROXY') || fromEnv('HTTP_PROXY');
  if (!proxy) return {};
  const noProxy = [...(settings.noProxy ?? [])];
  if (noProxy.length === 0) noProxy.push(...(fromEnv('NO_PROXY') ?? '').split(','));
  const result: Pick<HttpSettings, 'proxy' | 'noProxy' | 'allowUntrustedCertificates'> = { proxy };
  const hosts = noProxy.map((h) => h.trim()).filter((h) => h !== '');
  if (hosts.length > 0) result.noProxy = hosts;
  // As in VS Code: with http.proxyStrictSSL off, certificates are not checked on proxied requests.
  if (settings.strictSSL === false) result.allowUntrustedCertificates = true;
  return result;
}

function parseEntry(entry: unknown, where: string, scope: SettingScope): { backend?: BackendSetting; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(entry)) return { problems: [`${where} must be an object with a name, type and url; it is ignored.`] };
  const name = typeof entry.name === 'string' ? entry.name.trim() : '';
  const label = name ? `${where} "${name}"` : where;
  if (!name) return { problems: [`${where} has no name; it is ignored.`] };
  const type = entry.type;
  if (typeof type !== 'string' || !(REMOTE_BACKEND_TYPES as readonly string[]).includes(type)) {
    return { problems: [`${label}: type must be jaeger, tempo or zipkin, not ${describe(type)}; it is ignored.`] };
  }
  const remoteType = type as RemoteBackendType;
  let url: string = DEFAULT_BACKEND_URLS[remoteType];
  if (entry.url !== undefined) {
    const problem =
      typeof entry.url === 'string' ? checkBackendUrl(entry.url) : `url must be a string, not ${describe(entry.url)}`;
    if (problem !== undefined) return { problems: [`${label}: ${problem}; it is ignored.`] };
    url = normalizeBackendUrl(entry.url as string);
  }
  const backend: BackendSetting = {
    name,
    type: remoteType,
    url,
    headers: {},
    auth: { kind: 'none', secretKey: defaultSecretKey(name) },
    allowUntrustedCertificates: false,
    scope,
  };
  if (entry.uiUrl !== undefined) {
    const problem = typeof entry.uiUrl === 'string' ? checkBackendUrl(entry.uiUrl) : 'it must be a string';
    if (problem === undefined) backend.uiUrl = normalizeBackendUrl(entry.uiUrl as string);
    else problems.push(`${label}: uiUrl is ignored: ${problem}.`);
  }
  if (entry.tenant !== undefined) {
    if (typeof entry.tenant === 'string' && entry.tenant.trim() !== '') {
      if (remoteType === 'tempo') backend.tenant = entry.tenant.trim();
      else problems.push(`${label}: tenant applies to Tempo only; it is ignored.`);
    } else problems.push(`${label}: tenant must be a non-empty string; it is ignored.`);
  }
  if (entry.headers !== undefined) {
    if (!isObject(entry.headers)) problems.push(`${label}: headers must be an object of names and values; they are ignored.`);
    else
      for (const [header, value] of Object.entries(entry.headers)) {
        if (typeof value !== 'string') {
          problems.push(`${label}: header "${header}" must have a string value; it is ignored.`);
          continue;
        }
        try {
          addHeader(backend.headers, header, value);
        } catch (e) {
          problems.push(`${label}: ${(e as Error).message}; it is ignored.`);
          continue;
        }
        if (CREDENTIAL_HEADER.test(header)) {
          problems.push(
            `${label}: header "${header}" looks like a credential, which anyone who can read the settings file can see. Add the backend with Trace Lens: Add Backend… to keep it in the secret store.`,
          );
        }
      }
  }
  if (entry.auth !== undefined) {
    const auth = entry.auth;
    const kind = isObject(auth) ? auth.kind : auth;
    if (typeof kind === 'string' && (AUTH_KINDS as readonly string[]).includes(kind)) backend.auth.kind = kind as AuthKind;
    else
      problems.push(
        `${label}: auth.kind must be none, bearer, basic or headers, not ${describe(kind)}; no credentials are sent.`,
      );
    if (isObject(auth) && auth.secretKey !== undefined) {
      if (typeof auth.secretKey === 'string' && auth.secretKey.trim() !== '') backend.auth.secretKey = auth.secretKey.trim();
      else problems.push(`${label}: auth.secretKey must be a non-empty string; the default key is used.`);
    }
  }
  if (entry.jaegerApi !== undefined) {
    if ((entry.jaegerApi === 'v3' || entry.jaegerApi === 'v1') && remoteType === 'jaeger') backend.jaegerApi = entry.jaegerApi;
    else problems.push(`${label}: jaegerApi must be "v3" or "v1", for Jaeger only; it is ignored.`);
  }
  if (entry.caFile !== undefined) {
    if (typeof entry.caFile === 'string' && entry.caFile.trim() !== '') backend.caFile = entry.caFile.trim();
    else problems.push(`${label}: caFile must be the path of a PEM file; it is ignored.`);
  }
  if (entry.allowUntrustedCertificates !== undefined) {
    if (typeof entry.allowUntrustedCertificates === 'boolean')
      backend.allowUntrustedCertificates = entry.allowUntrustedCertificates;
    else problems.push(`${label}: allowUntrustedCertificates must be true or false; certificates are checked.`);
  }
  return { backend, problems };
}

function addHeader(headers: Record<string, string>, name: string, value: string): void {
  if (!HEADER_NAME.test(name)) throw new Error(`"${name.slice(0, 40)}" is not a valid header name`);
  checkHeaderValue(`header "${name}"`, value);
  headers[name] = value;
}

function checkHeaderValue(what: string, value: string): void {
  // CR, LF or NUL would let a value start a new header or end the request.
  if (/[\r\n\0]/.test(value)) throw new Error(`${what} must be one line`);
  if (value === '') throw new Error(`${what} is empty`);
}

function describeAuth(kind: AuthKind): string {
  return { none: 'none', bearer: 'a bearer token', basic: 'a user name and password', headers: 'custom headers' }[kind];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}
