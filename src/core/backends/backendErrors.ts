/**
 * The errors a trace backend throws. Each kind names what went wrong; each message says, in words a user
 * can act on, which backend failed and what to check. Messages and fields never carry header values
 * (credentials), and URLs in them have their user info and secret-looking query values removed.
 */
import type { TraceFormatError } from '../formats/errors';

export type BackendErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'http'
  | 'unauthorized'
  | 'notFound'
  | 'malformed'
  | 'tooLarge'
  | 'partial'
  | 'cancelled'
  | 'invalidQuery'
  | 'config';

/**
 * What the user can do about a failure, as data: the core says which apply, and each surface turns them into
 * its own actions (buttons in VS Code, words for an agent). Messages never carry these as text.
 */
export type Remedy =
  /** the same request may work later */
  | 'retry'
  /** another backend may serve it */
  | 'selectBackend'
  /** the backend's URL (host, port, path or scheme) is likely wrong */
  | 'checkUrl'
  /** the backend wants credentials it was not given, or rejected those it was given */
  | 'addCredentials'
  /** another setting of the backend can fix it: its type, tenant, CA certificate, proxy */
  | 'checkSettings';

/** The remedies of a failure whose fix is in the backend's settings, with the one setting most likely at fault. */
export function settingsRemedies(setting: 'checkUrl' | 'addCredentials' | 'checkSettings'): readonly Remedy[] {
  return ['retry', 'selectBackend', setting];
}

/** Whether a setting can fix the failure (what "Open Settings" or an agent's configure hint is for). */
export function settingsCanFix(remedies: readonly Remedy[]): boolean {
  return remedies.includes('checkUrl') || remedies.includes('addCredentials') || remedies.includes('checkSettings');
}

export interface BackendErrorContext {
  /** "Jaeger", "Tempo", "Zipkin" */
  backend: string;
  /** the request URL or the backend's base URL, already redacted */
  url?: string;
  cause?: unknown;
  /** what the user can do; default: retry or select another backend (nothing for a cancellation) */
  remedies?: readonly Remedy[];
}

export abstract class BackendError extends Error {
  abstract readonly kind: BackendErrorKind;
  readonly backend: string;
  readonly url: string | undefined;
  private readonly givenRemedies: readonly Remedy[] | undefined;

  constructor(message: string, context: BackendErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.backend = context.backend;
    this.url = context.url;
    this.givenRemedies = context.remedies;
  }

  /** What the user can do about it, filled where the error is made (see Remedy). */
  get remedies(): readonly Remedy[] {
    return this.givenRemedies ?? (this.kind === 'cancelled' ? [] : DEFAULT_REMEDIES);
  }
}

const DEFAULT_REMEDIES: readonly Remedy[] = ['retry', 'selectBackend'];

/** Refused, reset, DNS failure, untrusted certificate, proxy failure: no HTTP answer at all. */
export class BackendUnreachableError extends BackendError {
  override readonly name = 'BackendUnreachableError';
  readonly kind = 'unreachable';
  constructor(
    message: string,
    context: BackendErrorContext,
    /** the system or TLS error code, e.g. ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT */
    readonly code?: string,
  ) {
    super(message, context);
  }
}

export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'total';

export class BackendTimeoutError extends BackendError {
  override readonly name = 'BackendTimeoutError';
  readonly kind = 'timeout';
  constructor(
    message: string,
    context: BackendErrorContext,
    readonly phase: TimeoutPhase,
    readonly timeoutMs: number,
  ) {
    super(message, context);
  }
}

/** An answer with an HTTP status that is not a success. */
abstract class BackendStatusError extends BackendError {
  constructor(
    message: string,
    context: BackendErrorContext,
    readonly status: number,
    /** what the server said, as plain text (HTML reduced to its title), at most a few hundred chars */
    readonly serverMessage?: string,
  ) {
    super(message, context);
  }
}

/** An HTTP status that is none of the more specific kinds (400, 5xx, too many redirects, …). */
export class BackendHttpError extends BackendStatusError {
  override readonly name = 'BackendHttpError';
  readonly kind = 'http';
}

/** 401 or 403. */
export class BackendUnauthorizedError extends BackendStatusError {
  override readonly name = 'BackendUnauthorizedError';
  readonly kind = 'unauthorized';
}

export class BackendNotFoundError extends BackendError {
  override readonly name = 'BackendNotFoundError';
  readonly kind = 'notFound';
  constructor(
    message: string,
    context: BackendErrorContext,
    /** a trace that the backend does not have, or an endpoint that it does not serve */
    readonly what: 'trace' | 'endpoint',
  ) {
    super(message, context);
  }
}

/** The body could not be read: not JSON, not the expected shape, or a broken compressed stream. */
export class BackendMalformedError extends BackendError {
  override readonly name = 'BackendMalformedError';
  readonly kind = 'malformed';
  constructor(
    message: string,
    context: BackendErrorContext,
    /** the parser's error, which says where the body failed */
    readonly formatError?: TraceFormatError,
  ) {
    super(message, context);
  }
}

export class BackendTooLargeError extends BackendError {
  override readonly name = 'BackendTooLargeError';
  readonly kind = 'tooLarge';
  constructor(
    message: string,
    context: BackendErrorContext,
    readonly limitBytes: number,
  ) {
    super(message, context);
  }
}

/** The backend said it answered only in part and nothing usable came back (Tempo `status: PARTIAL`). */
export class BackendPartialError extends BackendError {
  override readonly name = 'BackendPartialError';
  readonly kind = 'partial';
}

/** The caller cancelled; not a failure to show the user. */
export class BackendCancelledError extends BackendError {
  override readonly name = 'BackendCancelledError';
  readonly kind = 'cancelled';
}

/** A query this backend cannot run (e.g. Jaeger's query API needs a service); refused before sending. */
export class BackendQueryError extends BackendError {
  override readonly name = 'BackendQueryError';
  readonly kind = 'invalidQuery';
}

/** A setting that cannot work: an unknown backend type, a URL that is not http(s), a bad CA file. */
export class BackendConfigError extends BackendError {
  override readonly name = 'BackendConfigError';
  readonly kind = 'config';
}

export function isBackendError(e: unknown): e is BackendError {
  return e instanceof BackendError;
}

/**
 * The remedies of any failure: a backend error's own; for anything else (a bug, a file that is not a trace) a
 * retry, another backend or a setting, since nothing is known.
 */
export function remediesOf(e: unknown): readonly Remedy[] {
  return isBackendError(e) ? e.remedies : UNKNOWN_REMEDIES;
}

const UNKNOWN_REMEDIES: readonly Remedy[] = settingsRemedies('checkSettings');
