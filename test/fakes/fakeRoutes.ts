/**
 * What the fake servers' route files share with fakeBackend.ts: the kinds and options of a fake, a request
 * as a route sees it, its reply, and reply helpers. Kept apart so that the route files and the server that
 * loads them do not import each other.
 */
import type * as http from 'node:http';

export type FakeBackendKind = 'jaeger-v1' | 'jaeger-v3' | 'tempo' | 'zipkin';

export interface FakeBackendOptions {
  /** the shared fixtures folder; default: test/unit/fixtures.ts's sharedFixturesDir() */
  fixturesDir?: string;
  /** leave the recorded fixtures out */
  withoutFixtures?: boolean;
  /** more wire documents to serve: Jaeger trace objects or envelopes, OTLP/Tempo documents, Zipkin span lists */
  documents?: readonly unknown[];
  /** jaeger-v3: "current" has trace-summaries and camelCase names (snake_case still accepted); "legacy" has neither */
  jaegerV3?: 'current' | 'legacy';
  /** tempo: "v2" serves /api/v2/traces and /api/v2/search/tags; "v1" only the older paths */
  tempoApi?: 'v2' | 'v1';
  /** tempo: multi-tenant; requests must carry X-Scope-OrgID (other tenants see no data) */
  tenant?: string;
  /** tempo: trace ids (hex) answered with status PARTIAL */
  partialTraceIds?: readonly string[];
  /** zipkin: keys the server was configured to autocomplete (AUTOCOMPLETE_KEYS) */
  autocompleteKeys?: readonly string[];
  /** every request must carry this header with this value, else 401 */
  requireHeader?: { name: string; value: string };
  /** gzip responses when the client accepts it */
  gzip?: boolean;
  /** serve HTTPS with this key and certificate (PEM) */
  tls?: { key: string; cert: string };
  /** the API lives under this path, as with Jaeger's --query.base-path */
  basePath?: string;
}

export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export interface FakeReply {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type FakeRoutes = (request: FakeRequest) => FakeReply;

/** JSON reply helper for the route files. */
export function json(status: number, doc: unknown): FakeReply {
  return { status, body: JSON.stringify(doc), contentType: 'application/json' };
}

export function text(status: number, body: string): FakeReply {
  return { status, body, contentType: 'text/plain; charset=utf-8' };
}
