/**
 * The HTTP client the trace backends share (undici). Per request: a connect timeout, a time limit for the
 * response headers and for silence while the body streams, and one overall deadline that covers retries
 * and redirects; a response size cap checked while the body streams and again while it is decompressed;
 * a bounded number of redirects (every configured header is dropped when a redirect leaves the origin); retries
 * with jittered backoff on 502/503/504 and connection resets (every request here is a GET, so all are
 * idempotent); cancellation through an AbortSignal, which closes the socket. Every failure leaves as a
 * BackendError whose message names the backend and what to check. Configured header values never reach a log
 * line (only their names do), and secret ones (credentials, and any header named like one) never reach a
 * message either, even when a server echoes them.
 */
import { request, type Dispatcher } from 'undici';
import { parseJson, TraceFormatError } from '../../formats/errors';
import { BackendCancelledError, BackendError, BackendHttpError, BackendMalformedError, settingsRemedies } from '../backendErrors';
import { ERROR_BODY_BYTES, flattenHeaders, formatBytes, headerValue, readBody } from './httpBody';
import { httpClientConfig, type HttpClientConfig } from './httpClientConfig';
import { HttpDispatchers } from './httpDispatchers';
import { describeError } from '../../describeError';
import { isReset } from './httpErrorCauses';
import type { GetOptions, HttpClientOptions, HttpResponse, QueryValue, RequestState } from './httpTypes';
import { HeaderSecrets, redactUrl } from './redact';
import { bodyText, looksLikeHtml, serverMessage } from './serverMessage';
import { REDIRECT_STATUSES, RETRY_STATUSES, statusError as errorForStatus } from './statusError';
import { transportError } from './transportError';

export { awaitWithSignal } from './awaitWithSignal';
export { formatBytes } from './httpBody';
export {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RETRIES,
  DEFAULT_TOTAL_TIMEOUT_MS,
} from './httpClientConfig';
export type { GetOptions, HttpClientOptions, HttpResponse, QueryValue, RemoteBackendOptions } from './httpTypes';
export { redactUrl } from './redact';
export { bodyText, serverMessage } from './serverMessage';

export class HttpClient {
  readonly backend: string;
  /** the base URL as shown to the user: no credentials, no trailing slash */
  readonly displayUrl: string;
  private readonly config: HttpClientConfig;
  private readonly secrets: HeaderSecrets;
  private readonly dispatchers: HttpDispatchers;

  constructor(private readonly options: HttpClientOptions) {
    this.config = httpClientConfig(options);
    this.backend = this.config.backend;
    this.displayUrl = this.config.displayUrl;
    this.secrets = new HeaderSecrets(this.config.headers, options.secretHeaders);
    this.dispatchers = new HttpDispatchers(this.config);
  }

  /** "Jaeger at http://localhost:16686" */
  get where(): string {
    return this.config.where;
  }

  /** A GET below the base URL. Throws a BackendError for every failure and every status not 2xx or passed. */
  async get(path: string, options: GetOptions = {}): Promise<HttpResponse> {
    const url = this.resolve(path, options.query);
    const state: RequestState = { path, displayUrl: redactUrl(url.href), received: 0, attempts: 0, viaProxy: false };
    const deadline = AbortSignal.timeout(this.config.totalTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let response: HttpResponse;
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      response = await this.attempt(url, options, signal, state);
    } catch (e) {
      const error = transportError(this.config, e, state, options.signal, deadline);
      if (!(error instanceof BackendCancelledError))
        this.log(`GET ${state.displayUrl} failed: ${error.message}${this.secrets.headerNote()}`);
      throw error;
    }
    const ok = response.status >= 200 && response.status < 300;
    if (!ok && !options.passStatuses?.includes(response.status)) {
      const error = this.statusError(response);
      this.log(`GET ${response.url} failed: ${error.message}${this.secrets.headerNote()}`);
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
      ? `${this.where} sent an HTML page instead of JSON for ${response.path} — is the URL the API address of ${this.config.serviceNoun}, not a UI or a login page?`
      : `${this.where} sent a response to ${response.path} that could not be read: ${what} — is this the address of ${this.config.serviceNoun}?`;
    return new BackendMalformedError(
      message,
      { backend: this.backend, url: response.url, remedies: settingsRemedies('checkUrl') },
      typeof cause === 'string' ? undefined : cause,
    );
  }

  /** The error for a response whose status is not a success (also used by backends for passed statuses). */
  statusError(response: HttpResponse): BackendError {
    return errorForStatus(this.config, response, this.serverMessage(response));
  }

  /** What the server said in `response`, as short plain text with the configured secrets scrubbed out. */
  serverMessage(response: Pick<HttpResponse, 'body' | 'headers'>): string | undefined {
    return this.secrets.scrub(serverMessage(response));
  }

  /** Closes the connections (in flight requests fail); a later request opens new ones. */
  async close(): Promise<void> {
    await this.dispatchers.close();
  }

  private resolve(path: string, query: Record<string, QueryValue> | undefined): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.config.base);
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
      const canRetry = state.attempts <= this.config.retries;
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
      // a status the caller passes is an answer it reads, not a hiccup to retry
      if (!RETRY_STATUSES.has(response.status) || !canRetry || options.passStatuses?.includes(response.status)) {
        return response;
      }
      const delay = this.backoff(state.attempts, response.headers['retry-after']);
      this.log(`GET ${response.url} → ${response.status}; retrying in ${delay} ms (attempt ${state.attempts + 1})`);
      await sleep(delay, signal);
    }
  }

  private backoff(attempt: number, retryAfter: string | undefined): number {
    const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    // A Retry-After up to 10 s is honoured; the overall deadline still bounds it.
    if (seconds !== undefined && seconds <= 10) return seconds * 1000;
    const cap = this.config.retryBaseDelayMs * 2 ** (attempt - 1);
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }

  /** One attempt: the request, its redirects, and the body. */
  private async follow(start: URL, options: GetOptions, signal: AbortSignal, state: RequestState): Promise<HttpResponse> {
    let url = start;
    let headers = this.requestHeaders(options.accept, true);
    let leftOrigin = false;
    for (let hops = 0; ; hops++) {
      const res = await this.send(url, headers, signal, state);
      const next = hops < this.config.maxRedirects ? await this.redirectTarget(res, url, state) : undefined;
      if (next === undefined) return this.readResponse(res, options, state);
      // Every configured header (credentials, tenant, API keys under whatever name) is for the origin the user
      // configured, never for where it redirects, nor for anywhere after that.
      if (!leftOrigin && next.origin !== url.origin) {
        leftOrigin = true;
        headers = this.requestHeaders(options.accept, false);
        const names = Object.keys(this.config.headers);
        if (names.length > 0)
          this.log(`GET ${redactUrl(next.href)}: not sending the configured headers ${names.join(', ')} to another origin`);
      }
      url = next;
    }
  }

  private send(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
    state: RequestState,
  ): Promise<Dispatcher.ResponseData> {
    const { dispatcher, viaProxy } = this.dispatchers.dispatcherFor(url);
    state.viaProxy = viaProxy;
    state.displayUrl = redactUrl(url.href);
    return request(url, {
      method: 'GET',
      headers,
      signal,
      dispatcher,
      headersTimeout: this.config.headersTimeoutMs,
      bodyTimeout: this.config.bodyTimeoutMs,
    });
  }

  /** Where a redirect leads, its body drained; undefined when `res` is not a redirect that says where. */
  private async redirectTarget(res: Dispatcher.ResponseData, from: URL, state: RequestState): Promise<URL | undefined> {
    const location = headerValue(res.headers.location);
    if (!REDIRECT_STATUSES.has(res.statusCode) || location === undefined) return undefined;
    await res.body.dump({ limit: ERROR_BODY_BYTES }).catch(() => undefined);
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      throw new BackendHttpError(
        `${this.where} redirected ${state.path} to "${redactUrl(location)}", which is not a URL — check the URL`,
        { backend: this.backend, url: state.displayUrl, remedies: settingsRemedies('checkUrl') },
        res.statusCode,
      );
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new BackendHttpError(
        `${this.where} redirected ${state.path} to a ${next.protocol} address, which Trace Lens does not follow — check the URL`,
        { backend: this.backend, url: state.displayUrl, remedies: settingsRemedies('checkUrl') },
        res.statusCode,
      );
    }
    this.log(`GET ${state.displayUrl} → ${res.statusCode}, redirected to ${redactUrl(next.href)}`);
    return next;
  }

  /** The answer: a success or passed status is read up to the size limit, any other only for its message. */
  private async readResponse(res: Dispatcher.ResponseData, options: GetOptions, state: RequestState): Promise<HttpResponse> {
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const passed = options.passStatuses?.includes(res.statusCode) === true;
    const limit = ok || passed ? this.config.maxResponseBytes : ERROR_BODY_BYTES;
    const responseHeaders = flattenHeaders(res.headers);
    const body = await readBody(this.config, res, limit, !(ok || passed), state);
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

  /** The headers of a request; `configured`: with the backend's own (only ever sent to its origin). */
  private requestHeaders(accept: string | undefined, configured: boolean): Record<string, string> {
    const base = { accept: accept ?? 'application/json', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'trace-lens' };
    return configured ? { ...base, ...this.config.headers } : base;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
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
