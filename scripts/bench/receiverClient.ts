/**
 * The load generator of the receiver bench, in a child process of its own (this file, run with `client
 * <encoding>`): an undici Pool of CONNECTIONS keep-alive connections, each posting 512-span
 * ExportTraceServiceRequests back to back. Every request is a trace the store does not hold (a ring of RING
 * bodies differing in their trace id, more than the store's 100,000 spans take), so the store is full and
 * evicting, as in a long session.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { Pool } from 'undici';
import { generateTrace, toOtlpJson, toOtlpProto } from '../../test/fixtures/generateTraces';

export type Encoding = 'otlp-proto' | 'otlp-json';

export const BATCH_SPANS = 512;
/** distinct bodies per encoding: 256 × 512 spans is more than the store's default 100,000 */
const RING = 256;
const CONNECTIONS = 4;
const SEED = 20_240_601;
export const PHASE_MS = 1500;

const CONTENT_TYPE: Record<Encoding, string> = { 'otlp-proto': 'application/x-protobuf', 'otlp-json': 'application/json' };

export interface PhaseResult {
  requests: number;
  wallMs: number;
  /** this (the server's) process's CPU time during the phase */
  serverCpuMs: number;
}

/**
 * RING request bodies of one 512-span trace, each with its own trace id (the first 4 bytes of the
 * generated id replaced by the body's index), so that every one is a new trace to the store.
 */
export function ringOfBodies(encoding: Encoding, count: number): Buffer[] {
  const trace = generateTrace(BATCH_SPANS, SEED);
  const idOf = (i: number): string => `${(i + 1).toString(16).padStart(8, '0')}${trace.traceId.slice(8)}`;
  if (encoding === 'otlp-json') {
    const text = toOtlpJson(trace);
    return Array.from({ length: count }, (_, i) => Buffer.from(text.replaceAll(trace.traceId, idOf(i))));
  }
  const bytes = Buffer.from(toOtlpProto(trace));
  const from = Buffer.from(trace.traceId, 'hex');
  return Array.from({ length: count }, (_, i) => {
    const out = Buffer.from(bytes);
    const to = Buffer.from(idOf(i), 'hex');
    for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + from.length)) to.copy(out, at);
    return out;
  });
}

export interface ClientHandle {
  bodyBytes: number;
  phase(url: string, warmupMs: number): Promise<PhaseResult>;
  stop(): void;
}

/**
 * Starts this file as `client <encoding>`. Protocol, one JSON line each way: the parent sends
 * `{url, warmupMs, ms}`; the child answers `{measuring: true}` when the warm-up is over and then
 * `{requests, wallMs, errors}`.
 */
export async function startClient(encoding: Encoding): Promise<ClientHandle> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, __filename, 'client', encoding], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let exited: Error | undefined;
  lines.on('line', (line) => {
    const w = waiters.shift();
    if (w) w(line);
    else queue.push(line);
  });
  const fail = new Promise<never>((_, reject) => {
    child.once('exit', (code) => {
      exited = new Error(`the ${encoding} client exited (${code})`);
      reject(exited);
    });
  });
  fail.catch(() => undefined);
  const next = (): Promise<Record<string, number>> =>
    Promise.race([
      new Promise<string>((resolve) => {
        const line = queue.shift();
        if (line !== undefined) resolve(line);
        else waiters.push(resolve);
      }),
      fail,
    ]).then((line) => JSON.parse(line) as Record<string, number>);

  const ready = await next();
  return {
    bodyBytes: ready.bodyBytes ?? 0,
    async phase(url, warmupMs) {
      if (exited) throw exited;
      child.stdin!.write(`${JSON.stringify({ url, warmupMs, ms: PHASE_MS })}\n`);
      await next();
      const cpu = process.cpuUsage();
      const done = await next();
      const { user, system } = process.cpuUsage(cpu);
      if ((done.errors ?? 0) > 0) throw new Error(`${done.errors} of the requests to ${url} failed`);
      return { requests: done.requests ?? 0, wallMs: done.wallMs ?? NaN, serverCpuMs: (user + system) / 1000 };
    },
    stop: () => child.stdin!.end(),
  };
}

/** Child mode: the load generator. */
async function runClient(encoding: Encoding): Promise<void> {
  const bodies = ringOfBodies(encoding, RING);
  const send = (line: object): void => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  send({ bodyBytes: bodies[0]!.length });
  let next = 0;
  const pools = new Map<string, Pool>();
  const headers = { 'content-type': CONTENT_TYPE[encoding] };

  /** Posts back to back on every connection until `until`; counts 200 answers and the others. */
  const load = async (pool: Pool, until: number): Promise<{ ok: number; errors: number }> => {
    let ok = 0;
    let errors = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < until) {
          const body = bodies[next++ % bodies.length]!;
          const res = await pool.request({ path: '/v1/traces', method: 'POST', headers, body });
          await res.body.dump();
          if (res.statusCode === 200) ok++;
          else errors++;
        }
      }),
    );
    return { ok, errors };
  };

  for await (const line of readline.createInterface({ input: process.stdin })) {
    const { url, warmupMs, ms } = JSON.parse(line) as { url: string; warmupMs: number; ms: number };
    let pool = pools.get(url);
    if (!pool) pools.set(url, (pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1 })));
    await load(pool, performance.now() + warmupMs);
    send({ measuring: 1 });
    const started = performance.now();
    const { ok, errors } = await load(pool, started + ms);
    send({ requests: ok, wallMs: performance.now() - started, errors });
  }
  await Promise.all([...pools.values()].map((p) => p.close()));
}

if (require.main === module && process.argv[2] === 'client') {
  runClient(process.argv[3] as Encoding).catch((e: unknown) => {
    process.stderr.write(`receiver bench client: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
