/**
 * CORS for browser apps exporting with the OTLP/HTTP exporter. Off unless origins are configured: a
 * browser page on any site could otherwise post into the developer's trace view.
 */
import type { IncomingMessage } from 'node:http';

/** Headers the OTLP browser exporters send, allowed on every preflight along with what the browser asks for. */
const BASE_ALLOWED_HEADERS = 'content-type, content-encoding';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly anyOrigin: boolean;

  /** `allowedOrigins`: exact origins such as `http://localhost:3000`, or `*` for any. Empty: CORS off. */
  constructor(allowedOrigins: readonly string[] = []) {
    this.origins = new Set(allowedOrigins.map((o) => o.trim().replace(/\/+$/, '').toLowerCase()).filter((o) => o !== ''));
    this.anyOrigin = this.origins.has('*');
  }

  get enabled(): boolean {
    return this.origins.size > 0;
  }

  /** The request's Origin when it is allowed, else undefined (also for requests without an Origin). */
  allowedOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (!origin || !this.enabled) return undefined;
    return this.anyOrigin || this.origins.has(origin.toLowerCase()) ? origin : undefined;
  }

  /** Headers for the answer to a request from an allowed origin (preflight or actual). */
  headers(req: IncomingMessage, preflight: boolean): Record<string, string> {
    const origin = this.allowedOrigin(req);
    if (origin === undefined) return {};
    const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
    if (preflight) {
      const requested = req.headers['access-control-request-headers'];
      headers['access-control-allow-methods'] = 'POST, OPTIONS';
      headers['access-control-allow-headers'] = requested ? `${BASE_ALLOWED_HEADERS}, ${requested}` : BASE_ALLOWED_HEADERS;
      headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_S);
    }
    return headers;
  }
}
