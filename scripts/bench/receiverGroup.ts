/**
 * The embedded OTLP/HTTP receiver and its store (issue 5).
 *
 * Throughput: `startReceiver({port: 0})` from dist/core.js runs in this process; the load comes from a
 * client in a child process (this file, run with `client <encoding>`): an undici Pool of CONNECTIONS
 * keep-alive connections, each posting 512-span ExportTraceServiceRequests back to back. Every request
 * is a trace the store does not hold (a ring of RING bodies differing in their trace id, more than the
 * store's 100,000 spans take), so the store is full and evicting, as in a long session. The same client,
 * in the same rounds, also posts the same bodies to a bare node:http server that only reads them and
 * answers 200: the ratio of the two request rates is what the receiver costs over HTTP itself. Rates are
 * the client's wall-clock counts; the receiver process's CPU time per span is logged beside them.
 *
 * Memory: retained heap (JS heap + ArrayBuffers, after GC) of a TraceStore holding 100k parsed spans.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Pool } from 'undici';
import type * as Core from '../../src/core/index';
import { readTraceRequest } from '../../src/core/receiver/otlpRequests';
import { TraceStore } from '../../src/core/store/traceStore';
import { exportTraceServiceRequest, generateTrace, toOtlpJson, toOtlpProto } from '../../test/fixtures/generateTraces';
import { median, retainedBytes } from './measure';
import type { BenchGroup, Figure } from './registry';

type Encoding = 'otlp-proto' | 'otlp-json';

const BATCH_SPANS = 512;
/** distinct bodies per encoding: 256 × 512 spans is more than the store's default 100,000 */
const RING = 256;
const CONNECTIONS = 4;
const SEED = 20_240_601;
const ROUNDS = 3;
const PHASE_MS = 1500;
const FIRST_WARMUP_MS = 1500;
const WARMUP_MS = 300;
const STORE_SPANS = 100_000;

const CONTENT_TYPE: Record<Encoding, string> = { 'otlp-proto': 'application/x-protobuf', 'otlp-json': 'application/json' };

const RATIO_CASE = 'receiver.ratio_vs_bare_http';

export const receiverGroup: BenchGroup = {
  name: 'receiver',
  description:
    'OTLP/HTTP receiver spans/s (512-span batches, 4 keep-alive connections from a child process) and vs bare node:http',
  cases: ['receiver.otlp-proto', 'receiver.otlp-json', RATIO_CASE],

  async run(selected, report, { core, log }) {
    core();
    const lib = loadDistCore();
    const encodings: Encoding[] = (['otlp-proto', 'otlp-json'] as const).filter(
      (e) => selected.includes(`receiver.${e}`) || (e === 'otlp-proto' && selected.includes(RATIO_CASE)),
    );
    for (const encoding of encodings) {
      const withBare = selected.includes(RATIO_CASE);
      const result = await measureEncoding(lib, encoding, withBare, log);
      if (selected.includes(`receiver.${encoding}`)) {
        report({ name: `receiver.${encoding}.spans_per_s`, value: Math.round(result.spansPerS), unit: 'spans/s' });
      }
      if (encoding === 'otlp-proto' && result.ratio !== undefined && selected.includes(RATIO_CASE)) {
        report({ name: RATIO_CASE, value: round3(result.ratio), unit: 'ratio' });
      }
    }
  },
};

export const storeGroup: BenchGroup = {
  name: 'store',
  description: "retained heap per span of a TraceStore holding 100k spans read by the receiver's protobuf path",
  cases: ['store.bytes_per_span'],

  run(_selected, report, { log }) {
    report(measureStore(log));
    return Promise.resolve();
  },
};

type DistCore = typeof Core;

function loadDistCore(): DistCore {
  return createRequire(__filename)(path.resolve(__dirname, '../../dist/core.js')) as DistCore;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

// ---- bodies ----

/**
 * RING request bodies of one 512-span trace, each with its own trace id (the first 4 bytes of the
 * generated id replaced by the body's index), so that every one is a new trace to the store.
 */
function ringOfBodies(encoding: Encoding, count: number): Buffer[] {
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

// ---- throughput ----

interface PhaseResult {
  requests: number;
  wallMs: number;
  /** the server process's CPU time during the phase */
  serverCpuMs: number;
}

async function measureEncoding(
  lib: DistCore,
  encoding: Encoding,
  withBare: boolean,
  log: (message: string) => void,
): Promise<{ spansPerS: number; ratio?: number }> {
  const receiver = await lib.startReceiver({ port: 0 });
  const bare = withBare ? await startBareServer() : undefined;
  const client = await startClient(encoding);
  try {
    const receiverRates: number[] = [];
    const bareRates: number[] = [];
    const cpuPerSpan: number[] = [];
    let warmupMs = FIRST_WARMUP_MS;
    const phase = async (url: string, rates: number[]): Promise<void> => {
      const r = await client.phase(url, warmupMs);
      warmupMs = WARMUP_MS;
      rates.push(r.requests / (r.wallMs / 1000));
      if (url === receiver.url) cpuPerSpan.push((r.serverCpuMs * 1000) / (r.requests * BATCH_SPANS));
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (bare === undefined) await phase(receiver.url, receiverRates);
      else if (round % 2 === 0) {
        await phase(receiver.url, receiverRates);
        await phase(bare.url, bareRates);
      } else {
        await phase(bare.url, bareRates);
        await phase(receiver.url, receiverRates);
      }
    }
    const stats = receiver.store.stats();
    if (stats.rejectedSpans > 0 || stats.spans === 0) {
      throw new Error(`receiver.${encoding}: the store holds ${stats.spans} spans and rejected ${stats.rejectedSpans}`);
    }
    const rate = median(receiverRates);
    const bareRate = bare ? median(bareRates) : undefined;
    log(
      `receiver.${encoding}: ${Math.round(rate)} requests/s (${Math.round(rate * BATCH_SPANS)} spans/s, ` +
        `${median(cpuPerSpan).toFixed(2)} µs receiver CPU per span)` +
        (bareRate !== undefined ? `; bare node:http ${Math.round(bareRate)} requests/s` : '') +
        `; ${client.bodyBytes} B per body, medians of ${ROUNDS} rounds of ${PHASE_MS} ms; store: ${stats.spans} spans, ${stats.evictedTraces} traces evicted`,
    );
    const ratio = bareRate !== undefined ? rate / bareRate : undefined;
    if (ratio !== undefined && bareRate !== undefined) {
      const decode = bareDecode(encoding);
      log(
        `receiver.${encoding}: ratio vs bare node:http ${round3(ratio)}; ${decode.name} of one body alone takes ` +
          `${decode.ms.toFixed(2)} ms CPU, which caps any server that decodes the body at ${round3(1000 / decode.ms / bareRate)}`,
      );
    }
    return ratio !== undefined ? { spansPerS: rate * BATCH_SPANS, ratio } : { spansPerS: rate * BATCH_SPANS };
  } finally {
    client.stop();
    await bare?.close();
    await receiver.close();
  }
}

/**
 * CPU milliseconds of the library's bare decode of one body (protobufjs' generated decoder, or JSON.parse),
 * in this process: for the log, as the rate no server that decodes the body can pass.
 */
function bareDecode(encoding: Encoding): { name: string; ms: number } {
  const body = ringOfBodies(encoding, 1)[0]!;
  const decode =
    encoding === 'otlp-proto'
      ? (): unknown => exportTraceServiceRequest.decode(body)
      : (): unknown => JSON.parse(body.toString('utf8'));
  const samples: number[] = [];
  for (let round = 0; round < 25; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 10; i++) decode();
    const { user, system } = process.cpuUsage(start);
    if (round >= 5) samples.push((user + system) / 1000 / 10);
  }
  return { name: encoding === 'otlp-proto' ? 'protobufjs decode' : 'JSON.parse', ms: median(samples) };
}

/** node:http doing the least a server must: read the whole body, answer 200 with an empty body. */
async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json', 'content-length': '0' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface ClientHandle {
  bodyBytes: number;
  phase(url: string, warmupMs: number): Promise<PhaseResult>;
  stop(): void;
}

/**
 * Starts this file as `client <encoding>`. Protocol, one JSON line each way: the parent sends
 * `{url, warmupMs, ms}`; the child answers `{measuring: true}` when the warm-up is over and then
 * `{requests, wallMs, errors}`.
 */
async function startClient(encoding: Encoding): Promise<ClientHandle> {
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

// ---- store memory ----

/**
 * The receiver's own path without HTTP: readTraceRequest (from the sources: dist/core.js does not export
 * it) into a TraceStore, 196 batches of 512 spans, each a new trace.
 */
function measureStore(log: (message: string) => void): Figure {
  const bodies = ringOfBodies('otlp-proto', Math.ceil(STORE_SPANS / BATCH_SPANS));
  const fill = (): TraceStore => {
    const store = new TraceStore({ maxSpans: bodies.length * BATCH_SPANS });
    for (const body of bodies) store.add(readTraceRequest(body, 'protobuf').traces);
    return store;
  };
  fill(); // warm-up: compiled code belongs in the "before" reading
  const { bytes, value } = retainedBytes(fill);
  const { spans, traces } = value.stats();
  if (spans !== bodies.length * BATCH_SPANS) throw new Error(`store.bytes_per_span: the store holds ${spans} spans`);
  log(`store: ${spans} spans in ${traces} traces keep ${(bytes / 1e6).toFixed(1)} MB alive`);
  return { name: 'store.bytes_per_span', value: Math.round(bytes / spans), unit: 'bytes' };
}

if (require.main === module && process.argv[2] === 'client') {
  runClient(process.argv[3] as Encoding).catch((e: unknown) => {
    process.stderr.write(`receiver bench client: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
