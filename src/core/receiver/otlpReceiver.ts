/**
 * The embedded OTLP/HTTP receiver: an HTTP server (loopback unless a host is given explicitly) with bounded
 * connections, whose routes (requestHandler.ts) are the OTLP endpoints (otlpRoutes.ts), filling a bounded
 * TraceStore that may be kept in a snapshot file across restarts.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { StorePersistence, type LoadResult, type SnapshotOptions } from '../store/persistence';
import { TraceStore } from '../store/traceStore';
import { CorsPolicy } from './cors';
import { isJaegerQueryPath, serveJaegerQuery, type JaegerQueryApiOptions } from './jaegerQueryApi';
import { otlpRoutes } from './otlpRoutes';
import { processReceiveBudget, type ReceiveBudget } from './receiveBudget';
import { PortInUseError } from './receiverErrors';
import { RequestHandler } from './requestHandler';

export const DEFAULT_RECEIVER_HOST = '127.0.0.1';
export const DEFAULT_RECEIVER_PORT = 4318;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
/** How many ports after a busy one are tried for the suggestion. */
const PORT_SUGGESTION_ATTEMPTS = 20;
/** How long close() lets requests in flight finish before it drops their connections, in ms. */
const CLOSE_GRACE_MS = 2000;

/**
 * Connection limits, so that silent or slow clients cannot pile up sockets in the extension host. Exporters
 * connect, send at once and reuse the connection every few seconds (the SDKs' batch processors export every
 * 5 s); anything slower than these figures is not an exporter at work.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  // A connection may stay open this long without a request, between two requests (more than the SDKs' 5 s
  // export interval, so that their connections are reused rather than raced), in ms.
  keepAliveMs: 30_000,
  // From a connection's first byte (or its opening, for one that sends nothing) to the end of a request's
  // headers, in ms: 408 after it.
  headersMs: 10_000,
  // For a whole request, body included (32 MiB at 0.5 MB/s), in ms: 408 after it.
  requestMs: 60_000,
  // No byte either way for this long ends the connection, whatever it waits for (a client that stops reading
  // its answer), in ms; above the time a maximum-size body takes to decode on a busy machine.
  idleMs: 120_000,
  // Connections at once; beyond, new ones are closed as they arrive. Exporters use a handful each.
  maxConnections: 256,
};

export interface ConnectionLimits {
  keepAliveMs: number;
  headersMs: number;
  requestMs: number;
  idleMs: number;
  maxConnections: number;
}

export interface ReceiverOptions {
  /** the interface to listen on; loopback (127.0.0.1) unless given */
  host?: string;
  /** 4318 unless given; 0 picks a free port */
  port?: number;
  /** the store's limits when the receiver makes the store (defaults: 100,000 spans, 256 MiB, 65,536 characters) */
  maxSpans?: number;
  maxStoreBytes?: number;
  attributeValueLengthLimit?: number;
  /** a store to fill instead of a new one (e.g. to move the receiver to another port and keep the traces) */
  store?: TraceStore;
  /** the largest request body accepted off the wire, in bytes (default 32 MiB) */
  maxBodyBytes?: number;
  /** the largest body once decompressed, in bytes (default 64 MiB) */
  maxDecompressedBytes?: number;
  /** origins allowed to post from a browser (`http://localhost:3000`, or `*`); none by default */
  corsOrigins?: readonly string[];
  /** keep the store in a snapshot file: loaded before listening, saved as traces arrive and on close */
  persist?: SnapshotOptions;
  /** serve the read-only Jaeger query API (jaegerQueryApi.ts) on the same port; off unless given */
  jaegerQueryApi?: JaegerQueryApiOptions;
  /** timeouts and the connection cap; DEFAULT_CONNECTION_LIMITS for what is not given */
  connections?: Partial<ConnectionLimits>;
  /** what all requests may hold at once while bodies are read; the one every receiver of the process shares by default */
  budget?: ReceiveBudget;
}

export interface Receiver {
  /** the base URL to give exporters as OTEL_EXPORTER_OTLP_ENDPOINT, e.g. `http://127.0.0.1:4318` */
  readonly url: string;
  readonly host: string;
  /** the port listened on (the one picked when 0 was asked for) */
  readonly port: number;
  readonly store: TraceStore;
  /** what loading the snapshot gave, when `persist` was set */
  readonly loaded?: LoadResult;
  /** stops listening, ends idle keep-alive connections, and writes the snapshot when `persist` was set */
  close(): Promise<void>;
}

/**
 * Starts the receiver. Rejects with PortInUseError (carrying a suggested free port) when the port is
 * taken, or with an Error saying why it could not listen otherwise.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? DEFAULT_RECEIVER_HOST;
  const port = options.port ?? DEFAULT_RECEIVER_PORT;
  const store =
    options.store ??
    new TraceStore({
      ...(options.maxSpans !== undefined ? { maxSpans: options.maxSpans } : {}),
      ...(options.maxStoreBytes !== undefined ? { maxBytes: options.maxStoreBytes } : {}),
      ...(options.attributeValueLengthLimit !== undefined
        ? { attributeValueLengthLimit: options.attributeValueLengthLimit }
        : {}),
    });
  const persistence = options.persist ? new StorePersistence(store, options.persist) : undefined;
  const loaded = persistence ? await persistence.load() : undefined;

  const routes = otlpRoutes({
    store,
    limits: {
      maxBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxDecompressedBytes: options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
    },
    budget: options.budget ?? processReceiveBudget,
  });
  const queryApi = options.jaegerQueryApi;
  const loopback = isLoopbackHost(host);
  const handler = new RequestHandler(routes, new CorsPolicy(options.corsOrigins));
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const server = http.createServer(
    {
      keepAlive: true,
      keepAliveTimeout: limits.keepAliveMs,
      headersTimeout: limits.headersMs,
      requestTimeout: limits.requestMs,
      // how often Node checks the two above; its default of 30 s would let them run late by as much
      connectionsCheckingInterval: Math.min(1000, limits.headersMs),
    },
    (req, res) => {
      // the Jaeger query API, when on, answers its own paths; everything else is OTLP's
      if (queryApi && isJaegerQueryPath(req.url ?? '/')) serveJaegerQuery(store, req, res, loopback, queryApi);
      else void handler.handle(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleMs, (socket) => socket.destroy());
  try {
    await listen(server, host, port);
  } catch (e) {
    await persistence?.dispose();
    throw e;
  }
  const address = server.address() as net.AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await persistence?.dispose();
    })());

  const receiver: Receiver = { url: `http://${urlHost(host)}:${address.port}`, host, port: address.port, store, close };
  return loaded ? { ...receiver, loaded } : receiver;
}

/** True for names and addresses that only the local machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return net.isIPv6(host) ? `[${host}]` : host;
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') {
        findFreePort(host, port + 1).then(
          (suggested) => reject(new PortInUseError(host, port, suggested)),
          () => reject(new PortInUseError(host, port, undefined)),
        );
      } else if (e.code === 'EACCES') {
        reject(new Error(`Not allowed to listen on port ${port} of ${host} (ports below 1024 need privileges): ${e.message}`));
      } else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') {
        reject(new Error(`Cannot listen on ${host}: no such local address (${e.code})`));
      } else {
        reject(e);
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** The first port from `from` that could be listened on just now, or undefined. */
export async function findFreePort(host: string, from: number, attempts = PORT_SUGGESTION_ATTEMPTS): Promise<number | undefined> {
  for (let port = from; port < from + attempts && port <= 65535; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  return undefined;
}
