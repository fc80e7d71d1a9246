/**
 * The HTTP client the trace backends share (undici). Per request: a connect timeout, a time limit for the
 * response headers and for silence while the body streams, and one overall deadline that covers retries
 * and redirects; a response size cap checked while the body streams and again while it is decompressed;
 * a bounded number of redirects (credentials are dropped when a redirect leaves the origin); retries
 * with jittered backoff on 502/503/504 and connection resets (every request here is a GET, so all are
 * idempotent); cancellation through an AbortSignal, which closes the socket. Every failure leaves as a
 * BackendError whose message names the backend and what to check. Header values never reach a message
 * or a log line.
 */
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { parseJson, TraceFormatError } from '../formats/errors';
import {
  BackendCancelledError,
  BackendConfigError,
  BackendError,
  BackendHttpError,
  BackendMalformedError,
  BackendNotFoundError,
  BackendTimeoutError,
  BackendTooLargeError,
  BackendUnauthorizedError,
  BackendUnreachableError,
  SELECT_BACKEND_HINT,
  type BackendErrorContext,
} from './backendErrors';

export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_RETRIES = 2;

/** Error bodies are read only this far: enough for a message, never a download. */
const ERROR_BODY_BYTES = 64 * 1024;
const RETRY_STATUSES = new Set([502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Never sent on to another origin, never shown. Callers add their own through `secretHeaders`. */
const ALWAYS_SECRET = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];
/** Header and query-parameter names that look like credentials are treated as secret too. */
const SECRET_NAME = /auth|token|secret|passw|api[-_]?key|session|signature|credential/i;
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

export interface HttpClientOptions {
  /** names the backend in messages: "Jaeger", "Tempo", "Zipkin" */
  backend: string;
  /** the backend's base URL; request paths resolve below its path (a UI served under /jaeger keeps it) */
  baseUrl: string;
  /** what the user should check is running, with its article: "the query service", "Tempo" */
  serviceNoun?: string;
  /** added to the message of a 403 (e.g. Tempo's tenant header) */
  forbiddenHint?: string;
  /** sent with every request: auth (Authorization: Bearer …/Basic …), tenant, custom headers */
  headers?: Record<string, string>;
  /** names of headers whose values are secret, besides Authorization, Cookie and credential-looking names */
  secretHeaders?: readonly string[];
  connectTimeoutMs?: number;
  /** from the request being sent to the response headers */
  headersTimeoutMs?: number;
  /** longest silence while the body streams */
  bodyTimeoutMs?: number;
  /** the whole call: every attempt, redirect and backoff */
  totalTimeoutMs?: number;
  /** bytes, on the wire and again after decompression */
  maxResponseBytes?: number;
  maxRedirects?: number;
  /** further attempts after a 502/503/504 or a connection reset */
  retries?: number;
  /** first backoff; doubles per attempt, with full jitter */
  retryBaseDelayMs?: number;
  /** PEM certificates trusted in addition to the system's */
  ca?: string | readonly string[];
  /** accept any server certificate; only when the user opted in for this backend */
  allowUntrustedCertificates?: boolean;
  /** http(s)://[user:pass@]host:port of a proxy (VS Code's `http.proxy`); loopback hosts never use it */
  proxy?: string;
  /** hosts that bypass the proxy: "example.com" (and its subdomains), ".example.com", "*" */
  noProxy?: readonly string[];
  /** one line per request and failure; header values are redacted */
  log?: (line: string) => void;
}

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface GetOptions {
  /** in insertion order; undefined values are left out, arrays repeat the parameter */
  query?: Record<string, QueryValue>;
  /** default application/json */
  accept?: string;
  signal?: AbortSignal;
  /** statuses handed back as responses instead of thrown (e.g. 404 where it means "no traces") */
  passStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  /** final URL after redirects, redacted */
  url: string;
  /** the request path as asked, for messages */
  path: string;
  headers: Record<string, string>;
  /** decompressed */
  body: Buffer;
  /** how many attempts it took */
  attempts: number;
}

interface RequestState {
  path: string;
  displayUrl: string;
  received: number;
  attempts: number;
  viaProxy: boolean;
}

export class HttpClient {
  readonly backend: string;
  /** the base URL as shown to the user: no credentials, no trailing slash */
  readonly displayUrl: string;
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly secretNames: Set<string>;
  private readonly serviceNoun: string;
  private readonly connectTimeoutMs: number;
  private readonly headersTimeoutMs: number;
  private readonly bodyTimeoutMs: number;
  private readonly totalTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly maxRedirects: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly proxyUrl: URL | undefined;
  private readonly noProxy: readonly string[];
  private readonly tls: { ca?: string[]; rejectUnauthorized: boolean };
  private direct: Dispatcher | undefined;
  private proxied: Dispatcher | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.backend = options.backend;
    this.serviceNoun = options.serviceNoun ?? options.backend;
    this.secretNames = new Set([...ALWAYS_SECRET, ...(options.secretHeaders ?? []).map((h) => h.toLowerCase())]);
    const context = { backend: options.backend, url: redactUrl(options.baseUrl) };
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new BackendConfigError(
        `The ${options.backend} URL "${redactUrl(options.baseUrl)}" is not a valid URL — use e.g. http://localhost:16686 ${SELECT_BACKEND_HINT}`,
        context,
      );
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new BackendConfigError(
        `The ${options.backend} URL must start with http:// or https://, not ${base.protocol}// ${SELECT_BACKEND_HINT}`,
        context,
      );
    }
    this.headers = checkedHeaders(options.headers ?? {}, context);
    // user:pass@ in the URL becomes Basic auth (undici refuses it in the URL) unless auth was given.
    if ((base.username || base.password) && !Object.keys(this.headers).some((h) => h.toLowerCase() === 'authorization')) {
      const user = decodeURIComponent(base.username);
      const pass = decodeURIComponent(base.password);
      this.headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    base.username = '';
    base.password = '';
    base.hash = '';
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    this.displayUrl = redactUrl(base.href).replace(/\/$/, '');
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    this.totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.noProxy = (options.noProxy ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
    if (options.proxy) {
      try {
        this.proxyUrl = new URL(options.proxy);
      } catch {
        throw new BackendConfigError(`The proxy "${redactUrl(options.proxy)}" is not a valid URL — check http.proxy`, context);
      }
    }
    const extraCa = typeof options.ca === 'string' ? [options.ca] : [...(options.ca ?? [])];
    this.tls = {
      // Node replaces its trust store with `ca`; the system roots are kept so that a custom CA only adds.
      ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
      rejectUnauthorized: options.allowUntrustedCertificates !== true,
    };
  }

  /** "Jaeger at http://localhost:16686" */
  get where(): string {
    return `${this.backend} at ${this.displayUrl}`;
  }

  /** A GET below the base URL. Throws a BackendError for every failure and every status not 2xx or passed. */
  async get(path: string, options: GetOptions = {}): Promise<HttpResponse> {
    const url = this.resolve(path, options.query);
    const state: RequestState = { path, displayUrl: redactUrl(url.href), received: 0, attempts: 0, viaProxy: false };
    const deadline = AbortSignal.timeout(this.totalTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let response: HttpResponse;
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      response = await this.attempt(url, options, signal, state);
    } catch (e) {
      const error = this.toBackendError(e, state, options.signal, deadline);
      if (!(error instanceof BackendCancelledError))
        this.log(`GET ${state.displayUrl} failed: ${error.message}${this.headerNote()}`);
      throw error;
    }
    const ok = response.status >= 200 && response.status < 300;
    if (!ok && !options.passStatuses?.includes(response.status)) {
      const error = this.statusError(response);
      this.log(`GET ${response.url} failed: ${error.message}${this.headerNote()}`);
      throw error;
    }
    return response;
  }

  /** A GET whose body must be JSON; `format` names it in the message when it is not. */
  async getJson(path: string, format: string, options: GetOptions = {}): Promise<{ response: HttpResponse; doc: unknown }> {
    const response = await this.get(path, options);
    return { response, doc: this.parseBody(response, format) };
  }

  /** The body as JSON, or a BackendMalformedError that says where it broke. */
  parseBody(response: HttpResponse, format: string): unknown {
    try {
      return parseJson(bodyText(response.body), format);
    } catch (e) {
      if (e instanceof TraceFormatError) throw this.malformed(response, e);
      throw e;
    }
  }

  /**
   * Runs a format reader on a body; whatever it throws (a TraceFormatError, or a bug tripped by odd
   * input) becomes this response's BackendMalformedError, so that a bad body never escapes as a crash.
   */
  read<T>(response: HttpResponse, reader: () => T): T {
    try {
      return reader();
    } catch (e) {
      if (e instanceof BackendError) throw e;
      throw this.malformed(response, e instanceof TraceFormatError ? e : describeError(e));
    }
  }

  /** A parser's TraceFormatError (or any reason) as the error of this response. */
  malformed(response: HttpResponse, cause: TraceFormatError | string): BackendMalformedError {
    const what = typeof cause === 'string' ? cause : cause.message;
    const html = looksLikeHtml(response.body);
    const message = html
      ? `${this.where} sent an HTML page instead of JSON for ${response.path} — is the URL the API address of ${this.serviceNoun}, not a UI or a login page? ${SELECT_BACKEND_HINT}`
      : `${this.where} sent a response to ${response.path} that could not be read: ${what} — is this the address of ${this.serviceNoun}? ${SELECT_BACKEND_HINT}`;
    return new BackendMalformedError(message, this.context(response.url), typeof cause === 'string' ? undefined : cause);
  }

  /** The error for a response whose status is not a success (also used by backends for passed statuses). */
  statusError(response: HttpResponse): BackendError {
    const { status, path } = response;
    const context = this.context(response.url);
    const said = this.scrub(serverMessage(response));
    const saidPart = said ? `: ${said}` : '';
    const attempts = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    if (status === 401) {
      return new BackendUnauthorizedError(
        `${this.where} rejected the credentials (HTTP 401)${saidPart} — check the authentication (token, user and password, or headers) set for this backend ${SELECT_BACKEND_HINT}`,
        context,
        status,
        said,
      );
    }
    if (status === 403) {
      const extra = this.options.forbiddenHint ? `; ${this.options.forbiddenHint}` : '';
      return new BackendUnauthorizedError(
        `${this.where} refused access (HTTP 403)${saidPart} — the credentials lack permission${extra} ${SELECT_BACKEND_HINT}`,
        context,
        status,
        said,
      );
    }
    if (status === 404) {
      return new BackendNotFoundError(
        `${this.where} has no ${path} (HTTP 404) — is the URL the base address of ${this.serviceNoun}? ${SELECT_BACKEND_HINT}`,
        context,
        'endpoint',
      );
    }
    if (status === 407) {
      return new BackendUnreachableError(
        `${this.where} could not be reached: the proxy asked for credentials (HTTP 407) — add them to the proxy URL (http.proxy)`,
        context,
      );
    }
    if (REDIRECT_STATUSES.has(status)) {
      return new BackendHttpError(
        `${this.where} redirected ${path} more than ${this.maxRedirects} times, or without saying where — check the URL ${SELECT_BACKEND_HINT}`,
        context,
        status,
      );
    }
    if (status === 429) {
      return new BackendHttpError(
        `${this.where} is limiting requests (HTTP 429)${saidPart} — wait a moment and try again`,
        context,
        status,
        said,
      );
    }
    if (status >= 400 && status < 500) {
      return new BackendHttpError(
        `${this.where} rejected the request for ${path} (HTTP ${status})${saidPart} — check the search fields`,
        context,
        status,
        said,
      );
    }
    if (RETRY_STATUSES.has(status)) {
      return new BackendHttpError(
        `${this.where} is unavailable (HTTP ${status}${attempts})${saidPart} — the backend, or a proxy or load balancer in front of it, is down or overloaded`,
        context,
        status,
        said,
      );
    }
    return new BackendHttpError(
      `${this.where} failed with HTTP ${status} for ${path}${attempts}${saidPart} — see the backend's logs`,
      context,
      status,
      said,
    );
  }

  /** Closes the connections; the client cannot be used afterwards. */
  async close(): Promise<void> {
    const dispatchers = [this.direct, this.proxied];
    this.direct = this.proxied = undefined;
    await Promise.all(dispatchers.map((d) => d?.destroy().catch(() => undefined)));
  }

  private context(url?: string): BackendErrorContext {
    return { backend: this.backend, url: url ?? this.displayUrl };
  }

  private resolve(path: string, query: Record<string, QueryValue> | undefined): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    // The base URL's own query (rare: a gateway token) is kept.
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(key, v);
      else url.searchParams.append(key, String(value));
    }
    return url;
  }

  /** Retries around `follow`: 502/503/504 and resets, with backoff, while the deadline allows. */
  private async attempt(url: URL, options: GetOptions, signal: AbortSignal, state: RequestState): Promise<HttpResponse> {
    for (;;) {
      state.attempts++;
      const canRetry = state.attempts <= this.retries;
      let response: HttpResponse;
      try {
        response = await this.follow(url, options, signal, state);
      } catch (e) {
        if (!canRetry || signal.aborted || !isReset(e)) throw e;
        const delay = this.backoff(state.attempts, undefined);
        this.log(`GET ${state.displayUrl}: connection reset; retrying in ${delay} ms (attempt ${state.attempts + 1})`);
        await sleep(delay, signal);
        continue;
      }
      if (!RETRY_STATUSES.has(response.status) || !canRetry) return response;
      const delay = this.backoff(state.attempts, response.headers['retry-after']);
      this.log(`GET ${response.url} → ${response.status}; retrying in ${delay} ms (attempt ${state.attempts + 1})`);
      await sleep(delay, signal);
    }
  }

  private backoff(attempt: number, retryAfter: string | undefined): number {
    const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    // A Retry-After up to 10 s is honoured; the overall deadline still bounds it.
    if (seconds !== undefined && seconds <= 10) return seconds * 1000;
    const cap = this.retryBaseDelayMs * 2 ** (attempt - 1);
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }

  /** One attempt: the request, its redirects, and the body. */
  private async follow(start: URL, options: GetOptions, signal: AbortSignal, state: RequestState): Promise<HttpResponse> {
    let url = start;
    let headers = this.requestHeaders(options.accept);
    for (let hops = 0; ; hops++) {
      const dispatcher = this.dispatcherFor(url);
      state.viaProxy = dispatcher === this.proxied;
      state.displayUrl = redactUrl(url.href);
      const res = await request(url, {
        method: 'GET',
        headers,
        signal,
        dispatcher,
        headersTimeout: this.headersTimeoutMs,
        bodyTimeout: this.bodyTimeoutMs,
      });
      const location = headerValue(res.headers.location);
      if (REDIRECT_STATUSES.has(res.statusCode) && location !== undefined && hops < this.maxRedirects) {
        await res.body.dump({ limit: ERROR_BODY_BYTES }).catch(() => undefined);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new BackendHttpError(
            `${this.where} redirected ${state.path} to a ${next.protocol} address, which Trace Lens does not follow — check the URL ${SELECT_BACKEND_HINT}`,
            this.context(state.displayUrl),
            res.statusCode,
          );
        }
        // Credentials are for the origin the user configured, never for where it redirects.
        if (next.origin !== url.origin) headers = this.withoutSecrets(headers);
        this.log(`GET ${state.displayUrl} → ${res.statusCode}, redirected to ${redactUrl(next.href)}`);
        url = next;
        continue;
      }
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const passed = options.passStatuses?.includes(res.statusCode) === true;
      const limit = ok || passed ? this.maxResponseBytes : ERROR_BODY_BYTES;
      const responseHeaders = flattenHeaders(res.headers);
      const body = await this.readBody(res, limit, !(ok || passed), state);
      this.log(`GET ${state.displayUrl} → ${res.statusCode}, ${formatBytes(body.length)}`);
      return {
        status: res.statusCode,
        url: state.displayUrl,
        path: state.path,
        headers: responseHeaders,
        body,
        attempts: state.attempts,
      };
    }
  }

  /**
   * Streams the body, counting bytes; past `limit` it either stops quietly (error bodies, which are only
   * read for their message) or aborts the response with BackendTooLargeError. Compressed bodies are
   * bounded twice: on the wire and after decompression.
   */
  private async readBody(res: Dispatcher.ResponseData, limit: number, lenient: boolean, state: RequestState): Promise<Buffer> {
    const declared = Number(headerValue(res.headers['content-length']));
    if (!lenient && Number.isFinite(declared) && declared > limit) {
      res.body.destroy();
      throw this.tooLarge(state, declared);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      state.received += chunk.length;
      if (size > limit) {
        if (!lenient) throw this.tooLarge(state, size); // leaving the loop destroys the stream and its socket
        chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
        size = limit;
        break;
      }
      chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks, size);
    const encoding = (headerValue(res.headers['content-encoding']) ?? '').trim().toLowerCase();
    if (encoding === '' || encoding === 'identity' || raw.length === 0) return raw;
    try {
      const options = { maxOutputLength: limit };
      if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzip(raw, options);
      if (encoding === 'br') return await brotliDecompress(raw, options);
      if (encoding === 'deflate') return await inflate(raw, options).catch(() => inflateRaw(raw, options));
    } catch (e) {
      if (lenient) return Buffer.alloc(0);
      if (errorCodes(e).includes('ERR_BUFFER_TOO_LARGE')) throw this.tooLarge(state, undefined);
      throw new BackendMalformedError(
        `${this.where} sent a ${encoding}-compressed response to ${state.path} that is corrupt or cut short (${describeError(e)}) — try again; if it persists, a proxy may be mangling it`,
        this.context(state.displayUrl),
      );
    }
    if (lenient) return raw;
    throw new BackendMalformedError(
      `${this.where} sent a response to ${state.path} in an encoding Trace Lens cannot read ("${encoding}")`,
      this.context(state.displayUrl),
    );
  }

  private tooLarge(state: RequestState, size: number | undefined): BackendTooLargeError {
    const sizePart = size === undefined ? 'that decompresses to more than' : `of ${formatBytes(size)}, over`;
    return new BackendTooLargeError(
      `${this.where} sent a response to ${state.path} ${sizePart} the ${formatBytes(this.maxResponseBytes)} limit — narrow the search (shorter time range, lower limit) or raise the response size limit`,
      this.context(state.displayUrl),
      this.maxResponseBytes,
    );
  }

  private requestHeaders(accept: string | undefined): Record<string, string> {
    return {
      accept: accept ?? 'application/json',
      'accept-encoding': 'gzip, deflate, br',
      'user-agent': 'trace-lens',
      ...this.headers,
    };
  }

  private withoutSecrets(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!this.isSecret(name)) out[name] = value;
    return out;
  }

  /** A server may echo what it was sent: secret header values (and their bare tokens) are masked. */
  private scrub(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    let out = text;
    for (const [name, value] of Object.entries(this.headers)) {
      if (!this.isSecret(name)) continue;
      const token = value.replace(/^(Bearer|Basic|Token)\s+/i, '');
      for (const secret of [value, token]) if (secret.length >= 4) out = out.split(secret).join('<redacted>');
    }
    return out;
  }

  private isSecret(name: string): boolean {
    const lower = name.toLowerCase();
    return this.secretNames.has(lower) || SECRET_NAME.test(lower);
  }

  /** The configured headers for a log line, secret values replaced. */
  private headerNote(): string {
    const names = Object.keys(this.headers);
    if (names.length === 0) return '';
    return ` [headers: ${names.map((n) => `${n}=${this.isSecret(n) ? '<redacted>' : this.headers[n]}`).join(', ')}]`;
  }

  private dispatcherFor(url: URL): Dispatcher {
    if (this.proxyUrl && !this.bypassesProxy(url.hostname)) {
      this.proxied ??= new ProxyAgent({
        uri: this.proxyUrl.href,
        requestTls: { ...this.tls, timeout: this.connectTimeoutMs },
        connect: { timeout: this.connectTimeoutMs },
        headersTimeout: this.headersTimeoutMs,
        bodyTimeout: this.bodyTimeoutMs,
      });
      return this.proxied;
    }
    this.direct ??= new Agent({
      connect: { ...this.tls, timeout: this.connectTimeoutMs },
      headersTimeout: this.headersTimeoutMs,
      bodyTimeout: this.bodyTimeoutMs,
    });
    return this.direct;
  }

  /** Loopback never goes through a proxy (as in Go's net/http); then the noProxy list. */
  private bypassesProxy(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host)) return true;
    return this.noProxy.some((entry) => {
      if (entry === '*') return true;
      const suffix = entry.replace(/^\*?\./, '');
      return host === suffix || host.endsWith(`.${suffix}`);
    });
  }

  private toBackendError(
    e: unknown,
    state: RequestState,
    callerSignal: AbortSignal | undefined,
    deadline: AbortSignal,
  ): BackendError {
    if (e instanceof BackendError) return e;
    const context = { ...this.context(state.displayUrl), cause: e };
    if (callerSignal?.aborted) {
      return new BackendCancelledError(`The request to ${this.where} for ${state.path} was cancelled.`, context);
    }
    const received = state.received > 0 ? ` (${formatBytes(state.received)} received)` : '';
    if (deadline.aborted) {
      return new BackendTimeoutError(
        `${this.where} did not finish answering ${state.path} within ${seconds(this.totalTimeoutMs)}${received} — it may be overloaded or the search too broad; narrow the time range or lower the limit`,
        context,
        'total',
        this.totalTimeoutMs,
      );
    }
    const codes = errorCodes(e);
    const has = (code: string): boolean => codes.includes(code);
    const host = safeHost(state.displayUrl) ?? this.base.hostname;
    if (has('UND_ERR_CONNECT_TIMEOUT')) {
      return new BackendTimeoutError(
        `${this.where} did not accept a connection within ${seconds(this.connectTimeoutMs)} — is the host reachable and the port right? A firewall may be dropping the packets. ${SELECT_BACKEND_HINT}`,
        context,
        'connect',
        this.connectTimeoutMs,
      );
    }
    if (has('UND_ERR_HEADERS_TIMEOUT')) {
      return new BackendTimeoutError(
        `${this.where} accepted the connection but sent no answer to ${state.path} within ${seconds(this.headersTimeoutMs)} — is it overloaded, or is another service listening on this port? ${SELECT_BACKEND_HINT}`,
        context,
        'headers',
        this.headersTimeoutMs,
      );
    }
    if (has('UND_ERR_BODY_TIMEOUT')) {
      return new BackendTimeoutError(
        `${this.where} stopped sending the response to ${state.path} for ${seconds(this.bodyTimeoutMs)}${received} — the backend or the network stalled; try again`,
        context,
        'body',
        this.bodyTimeoutMs,
      );
    }
    if (state.viaProxy && /proxy/i.test(describeError(e))) {
      const status = /\((\d{3})\)/.exec(describeError(e))?.[1];
      const why = status === '407' ? 'the proxy asked for credentials (HTTP 407)' : `the proxy failed (${describeError(e)})`;
      return new BackendUnreachableError(
        `${this.where} could not be reached through the proxy ${redactUrl(this.proxyUrl?.href ?? '')}: ${why} — check http.proxy`,
        context,
        codes[0],
      );
    }
    if (has('ECONNREFUSED')) {
      const through = state.viaProxy ? ` (through the proxy ${redactUrl(this.proxyUrl?.href ?? '')})` : '';
      return new BackendUnreachableError(
        `${this.where} refused the connection${through} — is ${this.serviceNoun} running? ${SELECT_BACKEND_HINT}`,
        context,
        'ECONNREFUSED',
      );
    }
    if (has('ENOTFOUND') || has('EAI_AGAIN')) {
      return new BackendUnreachableError(
        `${this.where} could not be found: the host name "${host}" does not resolve — check the URL, your DNS or VPN ${SELECT_BACKEND_HINT}`,
        context,
        has('ENOTFOUND') ? 'ENOTFOUND' : 'EAI_AGAIN',
      );
    }
    if (has('EHOSTUNREACH') || has('ENETUNREACH')) {
      return new BackendUnreachableError(
        `${this.where} cannot be reached: there is no route to "${host}" — check the network or VPN`,
        context,
        codes.find((c) => c === 'EHOSTUNREACH' || c === 'ENETUNREACH'),
      );
    }
    const cert = codes.find((c) => CERT_CODES.has(c));
    if (cert !== undefined) {
      const what =
        cert === 'CERT_HAS_EXPIRED'
          ? 'an expired certificate'
          : cert === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? `a certificate that is not for "${host}"`
            : 'a certificate that is not trusted';
      return new BackendUnreachableError(
        `${this.where} presented ${what} (${cert}) — add its CA certificate to this backend's settings, or allow untrusted certificates for it if you trust this server ${SELECT_BACKEND_HINT}`,
        context,
        cert,
      );
    }
    if (has('EPROTO') || codes.some((c) => c.startsWith('ERR_SSL_'))) {
      return new BackendUnreachableError(
        `${this.where} did not answer in TLS — if it serves plain HTTP, use an http:// URL ${SELECT_BACKEND_HINT}`,
        context,
        codes.find((c) => c === 'EPROTO' || c.startsWith('ERR_SSL_')),
      );
    }
    if (codes.some((c) => c.startsWith('HPE_'))) {
      return new BackendMalformedError(
        `${this.where} answered ${state.path} with something that is not HTTP — is the port right (not a gRPC port), and does it need https://? ${SELECT_BACKEND_HINT}`,
        context,
      );
    }
    if (codes.some((c) => RESET_CODES.has(c))) {
      return new BackendUnreachableError(
        `${this.where} closed the connection before finishing ${state.path}${received} — is the URL the HTTP API of ${this.serviceNoun} (not a collector port), with no proxy or TLS mismatch in between? ${SELECT_BACKEND_HINT}`,
        context,
        codes.find((c) => RESET_CODES.has(c)),
      );
    }
    return new BackendUnreachableError(
      `${this.where} could not be reached (${describeError(e)}) ${SELECT_BACKEND_HINT}`,
      context,
      codes[0],
    );
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** Removes user info and masks credential-looking query values: for messages and logs. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//');
  }
  url.username = '';
  url.password = '';
  for (const key of [...url.searchParams.keys()]) if (SECRET_NAME.test(key)) url.searchParams.set(key, 'redacted');
  return url.href;
}

/** The body as text; a UTF-8 byte order mark is dropped. */
export function bodyText(body: Uint8Array): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** What an error body says, as one line of plain text: an HTML page's title, a JSON error's message. */
export function serverMessage(response: Pick<HttpResponse, 'body' | 'headers'>): string | undefined {
  const text = bodyText(response.body).trim();
  if (text === '') return undefined;
  let said: string | undefined;
  if (looksLikeHtml(response.body) || /html/i.test(response.headers['content-type'] ?? '')) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
    said = title !== undefined ? stripTags(title) : `an HTML page: ${stripTags(text)}`;
  } else if (text.startsWith('{') || text.startsWith('[')) {
    try {
      said = jsonErrorMessage(JSON.parse(text)) ?? text;
    } catch {
      said = text;
    }
  } else {
    said = text;
  }
  const line = said
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return undefined;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Jaeger `{errors:[{msg}]}`, api_v3 `{error:{message}}`, Tempo/Zipkin `{message}` or `{error}`. */
function jsonErrorMessage(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  if (Array.isArray(o.errors)) {
    const msgs = o.errors
      .map((e) => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>).msg : undefined))
      .filter((m): m is string => typeof m === 'string');
    if (msgs.length > 0) return msgs.join('; ');
  }
  if (typeof o.error === 'object' && o.error !== null) {
    const m = (o.error as Record<string, unknown>).message;
    if (typeof m === 'string') return m;
  }
  if (typeof o.message === 'string') return o.message;
  if (typeof o.error === 'string') return o.error;
  return undefined;
}

function looksLikeHtml(body: Uint8Array): boolean {
  const head = bodyText(body.subarray(0, 512)).trimStart().slice(0, 15).toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body');
}

function stripTags(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function checkedHeaders(headers: Record<string, string>, context: BackendErrorContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new BackendConfigError(`The header name "${name.slice(0, 60)}" is not valid — check this backend's headers`, context);
    }
    // The value is never shown: it may be a credential.
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new BackendConfigError(
        `The value of the header "${name}" contains a line break or is not text — check this backend's headers`,
        context,
      );
    }
    out[name] = value;
  }
  return out;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = headerValue(value);
    if (v !== undefined) out[name.toLowerCase()] = v;
  }
  return out;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Every error code in an error, its causes and an AggregateError's members (happy eyeballs). */
function errorCodes(e: unknown, depth = 0): string[] {
  if (typeof e !== 'object' || e === null || depth > 4) return [];
  const o = e as { code?: unknown; cause?: unknown; errors?: unknown };
  const out: string[] = typeof o.code === 'string' ? [o.code] : [];
  out.push(...errorCodes(o.cause, depth + 1));
  if (Array.isArray(o.errors)) for (const inner of o.errors) out.push(...errorCodes(inner, depth + 1));
  return out;
}

function isReset(e: unknown): boolean {
  return errorCodes(e).some((c) => RESET_CODES.has(c));
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  const mb = n / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** What a remote backend is built from: its base URL and the HTTP client's options. */
export interface RemoteBackendOptions extends Omit<HttpClientOptions, 'backend' | 'baseUrl' | 'serviceNoun' | 'forbiddenHint'> {
  url: string;
  /** the clock for default search windows, epoch ms */
  now?: () => number;
}

/** Waits for a shared promise, but lets this caller give up when its own signal aborts. */
export function awaitWithSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
