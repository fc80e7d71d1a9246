/**
 * HttpClientOptions checked and completed: the base URL parsed and stripped of credentials, the headers
 * validated, the defaults filled in. A bad URL, header or proxy is a BackendConfigError here.
 */
import { rootCertificates } from 'node:tls';
import { BackendConfigError, settingsRemedies, type BackendErrorContext } from '../backendErrors';
import type { HttpClientOptions } from './httpTypes';
import { redactUrl } from './redact';

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_BASE_DELAY_MS = 250;

/** The options as the client's parts read them: checked, with every default applied. */
export interface HttpClientConfig {
  readonly backend: string;
  /** "Jaeger at http://localhost:16686" */
  readonly where: string;
  readonly serviceNoun: string;
  readonly forbiddenHint: string | undefined;
  /** no user info, no fragment; the path ends in "/" so that request paths resolve below it */
  readonly base: URL;
  /** the base URL as shown to the user: no credentials, no trailing slash */
  readonly displayUrl: string;
  /** checked; the base URL's user info became Basic auth here */
  readonly headers: Readonly<Record<string, string>>;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  readonly retries: number;
  readonly retryBaseDelayMs: number;
  /** trimmed, lower case, no empty entries */
  readonly noProxy: readonly string[];
  readonly proxyUrl: URL | undefined;
  readonly tls: { ca?: string[]; rejectUnauthorized: boolean };
}

export function httpClientConfig(options: HttpClientOptions): HttpClientConfig {
  const context = { backend: options.backend, url: redactUrl(options.baseUrl) };
  const base = parseBaseUrl(options, context);
  const headers = checkedHeaders(options.headers ?? {}, context);
  // user:pass@ in the URL becomes Basic auth (undici refuses it in the URL) unless auth was given.
  if ((base.username || base.password) && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
    const user = decodeURIComponent(base.username);
    const pass = decodeURIComponent(base.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  base.username = '';
  base.password = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const displayUrl = redactUrl(base.href).replace(/\/$/, '');
  return {
    backend: options.backend,
    where: `${options.backend} at ${displayUrl}`,
    serviceNoun: options.serviceNoun ?? options.backend,
    forbiddenHint: options.forbiddenHint,
    base,
    displayUrl,
    headers,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    totalTimeoutMs: options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
    retries: options.retries ?? DEFAULT_RETRIES,
    retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    noProxy: (options.noProxy ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== ''),
    proxyUrl: parseProxyUrl(options.proxy, context),
    tls: tlsOptions(options),
  };
}

function parseBaseUrl(options: HttpClientOptions, context: BackendErrorContext): URL {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new BackendConfigError(
      `The ${options.backend} URL "${redactUrl(options.baseUrl)}" is not a valid URL — use e.g. http://localhost:16686`,
      { ...context, remedies: settingsRemedies('checkUrl') },
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new BackendConfigError(`The ${options.backend} URL must start with http:// or https://, not ${base.protocol}//`, {
      ...context,
      remedies: settingsRemedies('checkUrl'),
    });
  }
  return base;
}

function checkedHeaders(headers: Record<string, string>, context: BackendErrorContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new BackendConfigError(
        `The header name "${name.slice(0, 60)}" is not valid — check this backend's headers`,
        settingsFault(context),
      );
    }
    // The value is never shown: it may be a credential.
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new BackendConfigError(
        `The value of the header "${name}" contains a line break or is not text — check this backend's headers`,
        settingsFault(context),
      );
    }
    out[name] = value;
  }
  return out;
}

function settingsFault(context: BackendErrorContext): BackendErrorContext {
  return { ...context, remedies: settingsRemedies('checkSettings') };
}

function parseProxyUrl(proxy: string | undefined, context: BackendErrorContext): URL | undefined {
  if (!proxy) return undefined;
  try {
    return new URL(proxy);
  } catch {
    throw new BackendConfigError(`The proxy "${redactUrl(proxy)}" is not a valid URL — check http.proxy`, settingsFault(context));
  }
}

function tlsOptions(options: HttpClientOptions): HttpClientConfig['tls'] {
  const extraCa = typeof options.ca === 'string' ? [options.ca] : [...(options.ca ?? [])];
  return {
    // Node replaces its trust store with `ca`; the system roots are kept so that a custom CA only adds.
    ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
    rejectUnauthorized: options.allowUntrustedCertificates !== true,
  };
}
