/**
 * The BackendError for a request that ended without a response to judge: cancelled, out of time, or
 * failed in the connection, TLS or HTTP parsing, each with what the user should check.
 */
import {
  BackendCancelledError,
  BackendError,
  BackendMalformedError,
  BackendTimeoutError,
  BackendUnreachableError,
  settingsRemedies,
} from '../backendErrors';
import { formatBytes } from './httpBody';
import type { HttpClientConfig } from './httpClientConfig';
import { describeError } from '../../describeError';
import { CERT_CODES, errorCodes, RESET_CODES } from './httpErrorCauses';
import type { RequestState } from './httpTypes';
import { redactUrl } from './redact';

/** `callerSignal` aborted means the caller cancelled; `deadline` aborted means the total time ran out. */
export function transportError(
  config: HttpClientConfig,
  e: unknown,
  state: RequestState,
  callerSignal: AbortSignal | undefined,
  deadline: AbortSignal,
): BackendError {
  if (e instanceof BackendError) return e;
  const context = { backend: config.backend, url: state.displayUrl, cause: e };
  if (callerSignal?.aborted) {
    return new BackendCancelledError(`The request to ${config.where} for ${state.path} was cancelled.`, context);
  }
  const received = state.received > 0 ? ` (${formatBytes(state.received)} received)` : '';
  if (deadline.aborted) {
    return new BackendTimeoutError(
      `${config.where} did not finish answering ${state.path} within ${seconds(config.totalTimeoutMs)}${received} — it may be overloaded or the search too broad; narrow the time range or lower the limit`,
      context,
      'total',
      config.totalTimeoutMs,
    );
  }
  const codes = errorCodes(e);
  const has = (code: string): boolean => codes.includes(code);
  const host = safeHost(state.displayUrl) ?? config.base.hostname;
  if (has('UND_ERR_CONNECT_TIMEOUT')) {
    return new BackendTimeoutError(
      `${config.where} did not accept a connection within ${seconds(config.connectTimeoutMs)} — is the host reachable and the port right? A firewall may be dropping the packets.`,
      { ...context, remedies: settingsRemedies('checkUrl') },
      'connect',
      config.connectTimeoutMs,
    );
  }
  if (has('UND_ERR_HEADERS_TIMEOUT')) {
    return new BackendTimeoutError(
      `${config.where} accepted the connection but sent no answer to ${state.path} within ${seconds(config.headersTimeoutMs)} — is it overloaded, or is another service listening on this port?`,
      { ...context, remedies: settingsRemedies('checkUrl') },
      'headers',
      config.headersTimeoutMs,
    );
  }
  if (has('UND_ERR_BODY_TIMEOUT')) {
    return new BackendTimeoutError(
      `${config.where} stopped sending the response to ${state.path} for ${seconds(config.bodyTimeoutMs)}${received} — the backend or the network stalled; try again`,
      context,
      'body',
      config.bodyTimeoutMs,
    );
  }
  if (state.viaProxy && /proxy/i.test(describeError(e))) {
    const status = /\((\d{3})\)/.exec(describeError(e))?.[1];
    const why = status === '407' ? 'the proxy asked for credentials (HTTP 407)' : `the proxy failed (${describeError(e)})`;
    return new BackendUnreachableError(
      `${config.where} could not be reached through the proxy ${redactUrl(config.proxyUrl?.href ?? '')}: ${why} — check http.proxy`,
      { ...context, remedies: settingsRemedies('checkSettings') },
      codes[0],
    );
  }
  if (has('ECONNREFUSED')) {
    const through = state.viaProxy ? ` (through the proxy ${redactUrl(config.proxyUrl?.href ?? '')})` : '';
    return new BackendUnreachableError(
      `${config.where} refused the connection${through} — is ${config.serviceNoun} running?`,
      { ...context, remedies: settingsRemedies('checkUrl') },
      'ECONNREFUSED',
    );
  }
  if (has('ENOTFOUND') || has('EAI_AGAIN')) {
    return new BackendUnreachableError(
      `${config.where} could not be found: the host name "${host}" does not resolve — check the URL, your DNS or VPN`,
      { ...context, remedies: settingsRemedies('checkUrl') },
      has('ENOTFOUND') ? 'ENOTFOUND' : 'EAI_AGAIN',
    );
  }
  if (has('EHOSTUNREACH') || has('ENETUNREACH')) {
    return new BackendUnreachableError(
      `${config.where} cannot be reached: there is no route to "${host}" — check the network or VPN`,
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
      `${config.where} presented ${what} (${cert}) — add its CA certificate to this backend's settings, or allow untrusted certificates for it if you trust this server`,
      { ...context, remedies: settingsRemedies('checkSettings') },
      cert,
    );
  }
  if (has('EPROTO') || codes.some((c) => c.startsWith('ERR_SSL_'))) {
    return new BackendUnreachableError(
      `${config.where} did not answer in TLS — if it serves plain HTTP, use an http:// URL`,
      { ...context, remedies: settingsRemedies('checkSettings') },
      codes.find((c) => c === 'EPROTO' || c.startsWith('ERR_SSL_')),
    );
  }
  if (codes.some((c) => c.startsWith('HPE_'))) {
    return new BackendMalformedError(
      `${config.where} answered ${state.path} with something that is not HTTP — is the port right (not a gRPC port), and does it need https://?`,
      { ...context, remedies: settingsRemedies('checkUrl') },
    );
  }
  if (codes.some((c) => RESET_CODES.has(c))) {
    return new BackendUnreachableError(
      `${config.where} closed the connection before finishing ${state.path}${received} — is the URL the HTTP API of ${config.serviceNoun} (not a collector port), with no proxy or TLS mismatch in between?`,
      { ...context, remedies: settingsRemedies('checkSettings') },
      codes.find((c) => RESET_CODES.has(c)),
    );
  }
  return new BackendUnreachableError(
    `${config.where} could not be reached (${describeError(e)})`,
    { ...context, remedies: settingsRemedies('checkUrl') },
    codes[0],
  );
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
