/**
 * The error for a response whose status is not a success: one kind and message per status family,
 * with what the server said and what the user should check.
 */
import {
  BackendHttpError,
  BackendNotFoundError,
  BackendUnauthorizedError,
  BackendUnreachableError,
  settingsRemedies,
  type BackendError,
} from '../backendErrors';
import type { HttpClientConfig } from './httpClientConfig';
import type { HttpResponse } from './httpTypes';

export const RETRY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** `said` is the server's message with the configured secrets already scrubbed out. */
export function statusError(config: HttpClientConfig, response: HttpResponse, said: string | undefined): BackendError {
  const { status, path } = response;
  const context = { backend: config.backend, url: response.url };
  const saidPart = said ? `: ${said}` : '';
  const attempts = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
  if (status === 401) {
    return new BackendUnauthorizedError(
      `${config.where} rejected the credentials (HTTP 401)${saidPart} — check the authentication (token, user and password, or headers) set for this backend`,
      { ...context, remedies: settingsRemedies('addCredentials') },
      status,
      said,
    );
  }
  if (status === 403) {
    const extra = config.forbiddenHint ? `; ${config.forbiddenHint}` : '';
    return new BackendUnauthorizedError(
      `${config.where} refused access (HTTP 403)${saidPart} — the credentials lack permission${extra}`,
      { ...context, remedies: settingsRemedies('addCredentials') },
      status,
      said,
    );
  }
  if (status === 404) {
    return new BackendNotFoundError(
      `${config.where} has no ${path} (HTTP 404) — is the URL the base address of ${config.serviceNoun}?`,
      { ...context, remedies: settingsRemedies('checkUrl') },
      'endpoint',
    );
  }
  if (status === 407) {
    return new BackendUnreachableError(
      `${config.where} could not be reached: the proxy asked for credentials (HTTP 407) — add them to the proxy URL (http.proxy)`,
      { ...context, remedies: settingsRemedies('checkSettings') },
    );
  }
  if (REDIRECT_STATUSES.has(status)) {
    return new BackendHttpError(
      `${config.where} redirected ${path} more than ${config.maxRedirects} times, or without saying where — check the URL`,
      { ...context, remedies: settingsRemedies('checkUrl') },
      status,
    );
  }
  if (status === 429) {
    return new BackendHttpError(
      `${config.where} is limiting requests (HTTP 429)${saidPart} — wait a moment and try again`,
      context,
      status,
      said,
    );
  }
  if (status >= 400 && status < 500) {
    return new BackendHttpError(
      `${config.where} rejected the request for ${path} (HTTP ${status})${saidPart} — check the search fields`,
      context,
      status,
      said,
    );
  }
  if (RETRY_STATUSES.has(status)) {
    return new BackendHttpError(
      `${config.where} is unavailable (HTTP ${status}${attempts})${saidPart} — the backend, or a proxy or load balancer in front of it, is down or overloaded`,
      context,
      status,
      said,
    );
  }
  return new BackendHttpError(
    `${config.where} failed with HTTP ${status} for ${path}${attempts}${saidPart} — see the backend's logs`,
    context,
    status,
    said,
  );
}
