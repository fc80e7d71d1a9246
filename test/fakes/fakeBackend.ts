/**
 * Fake Jaeger (query JSON API, with or without api_v3), Tempo and Zipkin servers on 127.0.0.1 for host
 * tests and benchmarks. They serve the upstream recorded fixtures (and any documents a test adds) at the
 * real endpoint paths, check query parameters as the real servers do (answering 400 with the real
 * server's message), record every request, and inject faults on demand.
 *
 *   const fake = await startFakeBackend('jaeger-v3');
 *   fake.inject({ kind: 'status', status: 503 }, { times: 1 });
 *   …
 *   await fake.close();
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as zlib from 'node:zlib';
import { sharedFixturesDir } from '../unit/fixtures';
import type { FakeTrace } from './fakeData';
import { createJaegerRoutes } from './fakeJaeger';
import type { FakeBackendKind, FakeBackendOptions, FakeReply } from './fakeRoutes';
import { createTempoRoutes } from './fakeTempo';
import { createZipkinRoutes } from './fakeZipkin';

export type { FakeBackendKind, FakeBackendOptions, FakeReply, FakeRequest, FakeRoutes } from './fakeRoutes';
export { json, text } from './fakeRoutes';

export type FakeFault =
  /** reads the request and never answers */
  | { kind: 'hang' }
  /** 200 and headers at once, then one byte of a JSON body per interval, never finishing */
  | { kind: 'trickle'; intervalMs?: number }
  /** this status instead of the real answer */
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** the real answer cut after `keepBytes` (default: half), the response ended cleanly */
  | { kind: 'truncate'; keepBytes?: number }
  /** a 200 JSON body of `bytes` bytes, with or without a Content-Length */
  | { kind: 'oversize'; bytes: number; declareLength?: boolean }
  /** the socket destroyed without an answer */
  | { kind: 'reset' }
  | { kind: 'redirect'; location: string; status?: number };

export interface FaultRule {
  fault: FakeFault;
  /** only requests whose path matches (a prefix string or a RegExp) */
  path?: string | RegExp;
  /** how many requests it applies to; then it is gone (default: all) */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: http.IncomingHttpHeaders;
}

export interface FakeBackend {
  readonly kind: FakeBackendKind;
  /** base URL, including basePath, without a trailing slash */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** the traces served, as indexed from their wire documents */
  readonly traces: readonly FakeTrace[];
  readonly faults: FaultRule[];
  inject(fault: FakeFault, rule?: Omit<FaultRule, 'fault'>): void;
  clearFaults(): void;
  /** requests whose path ends with this suffix */
  requestsTo(pathSuffix: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeBackend(kind: FakeBackendKind, options: FakeBackendOptions = {}): Promise<FakeBackend> {
  const fixturesDir = options.withoutFixtures ? undefined : (options.fixturesDir ?? sharedFixturesDir());
  const { routes, traces } =
    kind === 'tempo'
      ? createTempoRoutes(fixturesDir, options)
      : kind === 'zipkin'
        ? createZipkinRoutes(fixturesDir, options)
        : createJaegerRoutes(kind, fixturesDir, options);
  const requests: RecordedRequest[] = [];
  const faults: FaultRule[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers });

    const fault = takeFault(faults, url.pathname);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'trickle') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), fault.intervalMs ?? 50);
      timers.add(timer);
      res.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/plain; charset=utf-8', ...fault.headers });
      res.end(fault.body ?? '');
      return;
    }
    if (fault?.kind === 'redirect') {
      res.writeHead(fault.status ?? 302, { location: fault.location });
      res.end();
      return;
    }
    if (fault?.kind === 'oversize') {
      sendOversize(res, fault.bytes, fault.declareLength === true);
      return;
    }

    let reply: FakeReply;
    if (options.requireHeader && req.headers[options.requireHeader.name.toLowerCase()] !== options.requireHeader.value) {
      reply = { status: 401, body: 'Unauthorized', headers: { 'www-authenticate': 'Bearer realm="fake"' } };
    } else if (basePath !== '' && !url.pathname.startsWith(`${basePath}/`)) {
      reply = { status: 404, body: '404 page not found\n' };
    } else {
      try {
        reply = routes({ path: url.pathname.slice(basePath.length), query: url.searchParams, headers: req.headers });
      } catch (e) {
        reply = { status: 500, body: `fake backend bug: ${e instanceof Error ? e.stack : String(e)}` };
      }
    }
    let body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
    if (fault?.kind === 'truncate') body = body.subarray(0, fault.keepBytes ?? Math.floor(body.length / 2));
    const headers: Record<string, string> = { 'content-type': reply.contentType ?? 'application/json', ...reply.headers };
    if (options.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      body = zlib.gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    // A truncated body is sent chunked, so that the response ends cleanly with the JSON cut short.
    if (fault?.kind !== 'truncate') headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(body);
  };

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${basePath}`;

  return {
    kind,
    url,
    requests,
    traces,
    faults,
    inject(fault, rule = {}) {
      faults.push({ fault, ...rule });
    },
    clearFaults() {
      faults.length = 0;
    },
    requestsTo(suffix) {
      return requests.filter((r) => r.path.endsWith(suffix));
    },
    async close() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function takeFault(faults: FaultRule[], path: string): FakeFault | undefined {
  const i = faults.findIndex(
    (r) => r.path === undefined || (typeof r.path === 'string' ? path.startsWith(r.path) : r.path.test(path)),
  );
  if (i === -1) return undefined;
  const rule = faults[i]!;
  if (rule.times !== undefined && --rule.times <= 0) faults.splice(i, 1);
  return rule.fault;
}

/** `{"data":"xxxx…"}` of exactly `bytes` bytes, written in 64 kB chunks. */
function sendOversize(res: http.ServerResponse, bytes: number, declareLength: boolean): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (declareLength) headers['content-length'] = String(bytes);
  res.writeHead(200, headers);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = bytes - 11;
  res.write('{"data":"');
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end('"}');
  };
  res.on('error', () => undefined);
  pump();
}

/** A URL on 127.0.0.1 where nothing listens: a port that was just free. */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
