/**
 * The shapes of the HTTP client: its options, one GET's options and response, and what its files share
 * about a request in flight.
 */

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

/** What a remote backend is built from: its base URL and the HTTP client's options. */
export interface RemoteBackendOptions extends Omit<HttpClientOptions, 'backend' | 'baseUrl' | 'serviceNoun' | 'forbiddenHint'> {
  url: string;
  /** the clock for default search windows, epoch ms */
  now?: () => number;
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

/** One GET across its attempts and redirects, as its log lines and error messages describe it. */
export interface RequestState {
  path: string;
  /** the URL now being asked (it changes on a redirect), redacted */
  displayUrl: string;
  /** body bytes on the wire, over every attempt */
  received: number;
  attempts: number;
  viaProxy: boolean;
}
