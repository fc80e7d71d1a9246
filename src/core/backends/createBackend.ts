/**
 * Builds the configured backend. The VS Code layer resolves settings into this config: auth as headers
 * (Authorization: Bearer …/Basic …, or custom ones), `http.proxy` as `http.proxy`, a CA file's PEM as
 * `http.ca`. The embedded store ('local') is supplied by the caller, so the remote clients do not
 * depend on it.
 */
import { BackendConfigError, settingsRemedies } from './backendErrors';
import type { RemoteBackendOptions } from './http/httpClient';
import { JaegerBackend, type JaegerApi } from './jaegerBackend';
import { TempoBackend } from './tempoBackend';
import type { BackendType, TraceBackend } from './types';
import { ZipkinBackend } from './zipkinBackend';

/** Where each backend listens by default (its query/HTTP API port). */
export const DEFAULT_BACKEND_URLS = {
  jaeger: 'http://localhost:16686',
  tempo: 'http://localhost:3200',
  zipkin: 'http://localhost:9411',
} as const;

export interface BackendConfig {
  type: BackendType;
  /** default: DEFAULT_BACKEND_URLS[type] */
  url?: string;
  /** sent with every request; values are never logged */
  headers?: Record<string, string>;
  /** Tempo: X-Scope-OrgID */
  tenant?: string;
  /** Jaeger: skip the api_v3 probe */
  jaegerApi?: JaegerApi;
  /** timeouts, size cap, retries, proxy, CA, logging (see HttpClientOptions) */
  http?: Omit<RemoteBackendOptions, 'url' | 'headers'>;
}

export interface BackendDependencies {
  /** the embedded store, or a factory for it, for type 'local' */
  local?: TraceBackend | (() => TraceBackend);
}

export function createBackend(config: BackendConfig, deps: BackendDependencies = {}): TraceBackend {
  if (config.type === 'local') {
    if (!deps.local) {
      throw new BackendConfigError(`The built-in trace store is not available here`, {
        backend: 'Local',
        remedies: ['selectBackend', 'checkSettings'],
      });
    }
    return typeof deps.local === 'function' ? deps.local() : deps.local;
  }
  const url = config.url?.trim() || DEFAULT_BACKEND_URLS[config.type];
  const options: RemoteBackendOptions = { ...config.http, url, headers: config.headers };
  switch (config.type) {
    case 'jaeger':
      return new JaegerBackend({ ...options, api: config.jaegerApi });
    case 'tempo':
      return new TempoBackend({ ...options, tenant: config.tenant });
    case 'zipkin':
      return new ZipkinBackend(options);
    default: {
      const unknown: never = config.type;
      throw new BackendConfigError(`"${String(unknown)}" is not a backend Trace Lens knows (jaeger, tempo, zipkin or local)`, {
        backend: String(unknown),
        remedies: settingsRemedies('checkSettings'),
      });
    }
  }
}
