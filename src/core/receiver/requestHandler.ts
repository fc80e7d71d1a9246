/**
 * The receiver's HTTP front: finds the route for a request's path, refuses browsers from origins that are not
 * allowed (before any body is read), answers preflights and methods a route does not take, and turns whatever a
 * route throws into an answer in the route's own error format. It never throws: whatever goes wrong becomes a
 * response. Routes are the extension point: the OTLP endpoints are two (otlpRoutes.ts); others (a query API)
 * are added the same way.
 */
import type * as http from 'node:http';
import { TraceFormatError } from '../formats/errors';
import type { CorsPolicy } from './cors';
import { grpcCodeFor, statusBody } from './otlpResponses';
import { ReceiverHttpError } from './receiverErrors';

export interface ErrorAnswer {
  contentType: string;
  body: Buffer;
}

export interface ReceiverRoute {
  /** the path it answers, e.g. `/v1/traces`; a trailing slash and a query string are ignored */
  readonly path: string;
  /** the methods it takes besides OPTIONS (answered here for browsers), e.g. `['POST']` */
  readonly methods: readonly string[];
  /**
   * Answers one request. Throws ReceiverHttpError to refuse it with a status, TraceFormatError for a body that
   * cannot be read (400); anything else is a 500. `corsHeaders` go on every answer to an allowed browser.
   */
  handle(req: http.IncomingMessage, res: http.ServerResponse, corsHeaders: Record<string, string>): Promise<void>;
  /** The body of an error answer in the route's own format. */
  errorAnswer(req: http.IncomingMessage, status: number, message: string): ErrorAnswer;
}

/** An error answered before reading a body at most this large keeps its connection, in bytes. */
const SMALL_UNREAD_BODY_BYTES = 64 * 1024;

export class RequestHandler {
  private readonly routes = new Map<string, ReceiverRoute>();

  constructor(
    routes: readonly ReceiverRoute[],
    private readonly cors: CorsPolicy,
  ) {
    for (const route of routes) this.routes.set(route.path, route);
  }

  /** Answers one request; never rejects. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let route: ReceiverRoute | undefined;
    try {
      route = this.routeOf(req.url);
      const preflight = req.method === 'OPTIONS';
      const corsHeaders = this.cors.headers(req, preflight);
      if (req.headers.origin !== undefined && corsHeaders['access-control-allow-origin'] === undefined) {
        throw new ReceiverHttpError(
          403,
          this.cors.enabled
            ? `origin ${req.headers.origin} is not among the receiver's allowed CORS origins`
            : `browser requests are refused: no CORS origins are configured for the receiver (origin ${req.headers.origin})`,
        );
      }
      if (!route) {
        const known = [...this.routes.keys()].join(' or ');
        throw new ReceiverHttpError(404, `no endpoint at ${pathOf(req.url)}; use ${known}`);
      }
      const allow = [...route.methods, 'OPTIONS'].join(', ');
      if (preflight) {
        res.writeHead(204, { ...corsHeaders, allow, 'content-length': '0' }).end();
        return;
      }
      if (!route.methods.includes(req.method ?? '')) {
        const methods = route.methods.join(' or ');
        const inner = route;
        route = undefined; // answered in the common format: the route never saw it
        throw new ReceiverHttpError(405, `${req.method ?? 'this method'} is not supported at ${inner.path}; use ${methods}`, {
          allow,
        });
      }
      await route.handle(req, res, corsHeaders);
    } catch (e) {
      this.fail(req, res, route, e);
    }
  }

  private routeOf(url: string | undefined): ReceiverRoute | undefined {
    let path = pathOf(url);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return this.routes.get(path);
  }

  private fail(req: http.IncomingMessage, res: http.ServerResponse, route: ReceiverRoute | undefined, e: unknown): void {
    let status: number;
    let message: string;
    let headers: Record<string, string> = {};
    if (e instanceof ReceiverHttpError) {
      status = e.status;
      message = e.message;
      headers = { ...e.headers };
    } else if (e instanceof TraceFormatError) {
      status = 400;
      message = e.message;
    } else {
      status = 500;
      message = `the receiver failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    // The rest of an oversized or unread large body is not worth reading: answer, then drop the
    // connection. A small unread body is left for Node to discard, keeping the connection alive.
    if (status === 413 || (!req.complete && !(Number(req.headers['content-length']) <= SMALL_UNREAD_BODY_BYTES))) {
      headers.connection = 'close';
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    Object.assign(headers, this.cors.headers(req, false));
    const answer = route
      ? route.errorAnswer(req, status, message)
      : { contentType: 'application/json', body: statusBody('json', grpcCodeFor(status), message) };
    res.writeHead(status, { ...headers, 'content-type': answer.contentType, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  }
}

/** The path of a request target (origin-form or absolute-form), without its query. */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  let path = url;
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname; // absolute-form request target
    } catch {
      return url;
    }
  }
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}
