/**
 * Backend clients: `getTrace` of one 10k-span trace from a fake Jaeger (api_v3), Tempo or Zipkin server
 * over loopback, against `parseTraces` of the very bytes that server sends, already in memory. The ratio
 * is what the client adds to the parse: the HTTP exchange, reading the body, picking the trace.
 *
 * The fake server runs in a child process (this file, run with `serve <kind>`), so that serialising the
 * response is not counted: time is this process's CPU time, as in every other group. Wall time, which
 * also holds the server's work and the loopback transfer, is logged beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { request } from 'undici';
import type * as Core from '../../src/core/index';
import type { Trace } from '../../src/core/model/types';
import { generateTrace, renderTrace, type SyntheticFormat } from '../../test/fixtures/generateTraces';
import { median, requireGc } from './measure';
import type { BenchGroup, Figure } from './registry';

type RemoteType = 'jaeger' | 'tempo' | 'zipkin';
type FakeBackendKind = 'jaeger-v3' | 'tempo' | 'zipkin';

/**
 * test/fakes/fakeBackend.ts, loaded when serving rather than imported: it imports test/unit/fixtures.ts,
 * whose mocha types this project's tsconfig does not load.
 */
interface FakeBackendModule {
  startFakeBackend(
    kind: FakeBackendKind,
    options: { documents: readonly unknown[]; withoutFixtures: boolean },
  ): Promise<{ url: string; close(): Promise<void> }>;
}

interface Subject {
  type: RemoteType;
  /** the fake that plays it: Jaeger with api_v3, which the client probes for and prefers */
  fake: FakeBackendKind;
  /** the wire document the fake is given */
  format: SyntheticFormat;
  /** the format the client reads the response as */
  parseAs: Core.TraceFormat;
  /** where the client fetches a trace */
  tracePath(id: string): string;
}

const SUBJECTS: readonly Subject[] = [
  { type: 'jaeger', fake: 'jaeger-v3', format: 'otlp-json', parseAs: 'jaeger-v3', tracePath: (id) => `/api/v3/traces/${id}` },
  { type: 'tempo', fake: 'tempo', format: 'otlp-json', parseAs: 'tempo', tracePath: (id) => `/api/v2/traces/${id}` },
  { type: 'zipkin', fake: 'zipkin', format: 'zipkin', parseAs: 'zipkin', tracePath: (id) => `/api/v2/trace/${id}` },
];

const SPANS = 10_000;
const SEED = 20_240_601;
const WARMUP_MS = 1000;
const BUDGET_MS = 2500;
const MIN_ROUNDS = 5;
const MAX_ROUNDS = 31;

const caseName = (s: Subject): string => `backend.${s.type}.get_trace.10k`;

export const backendGroup: BenchGroup = {
  name: 'backend',
  description: 'getTrace of a 10k-span trace from a fake backend over loopback vs parseTraces of the same bytes',
  cases: SUBJECTS.map(caseName),

  async run(selected, report, { core, log }) {
    core(); // the dist/core.js check and its message
    const lib = loadDistCore();
    const subjects = SUBJECTS.filter((s) => selected.includes(caseName(s)));
    // All servers start at once (each generates its trace); they are idle while the others are measured.
    const servers = await Promise.allSettled(subjects.map(startServer));
    try {
      for (const [i, subject] of subjects.entries()) {
        const started = servers[i]!;
        if (started.status === 'rejected') throw started.reason;
        report(await measureSubject(lib, subject, started.value, log));
      }
    } finally {
      for (const s of servers) if (s.status === 'fulfilled') s.value.stop();
    }
  },
};

async function measureSubject(
  lib: DistCore,
  subject: Subject,
  server: ServerHandle,
  log: (message: string) => void,
): Promise<Figure> {
  const name = caseName(subject);
  const backend = lib.createBackend({ type: subject.type, url: server.url });
  try {
    const bytes = await fetchBytes(server.url + subject.tracePath(server.traceId));
    const options = { format: subject.parseAs };
    const timing = await timeAsyncPair(
      () => backend.getTrace(server.traceId),
      () => Promise.resolve(lib.parseTraces(bytes, options)),
    );
    const got = await backend.getTrace(server.traceId);
    if (got.spans.length !== SPANS) throw new Error(`${name}: got ${got.spans.length} spans, expected ${SPANS}`);
    log(
      `${name}: getTrace ${timing.subject.cpuMs.toFixed(1)} ms CPU (${timing.subject.wallMs.toFixed(1)} ms wall), ` +
        `parseTraces ${timing.baseline.cpuMs.toFixed(1)} ms CPU, ${(bytes.byteLength / 1e6).toFixed(1)} MB body, median of ${timing.rounds} rounds`,
    );
    return {
      name: `${name}.ratio_vs_parse`,
      value: Math.round((timing.subject.cpuMs / timing.baseline.cpuMs) * 1000) / 1000,
      unit: 'ratio',
    };
  } finally {
    await backend.dispose?.();
  }
}

type DistCore = typeof Core;

function loadDistCore(): DistCore {
  return createRequire(__filename)(path.resolve(__dirname, '../../dist/core.js')) as DistCore;
}

interface ServerHandle {
  url: string;
  traceId: string;
  stop(): void;
}

/** Starts this file as `serve <type>` in a child process and waits for the URL it prints. */
async function startServer(subject: Subject): Promise<ServerHandle> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, __filename, 'serve', subject.type], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the fake ${subject.fake} server exited (${code}) before listening`)));
  });
  const { url, traceId } = JSON.parse(line) as { url: string; traceId: string };
  return { url, traceId, stop: () => child.stdin!.end() };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await request(url);
  const body = new Uint8Array(await res.body.arrayBuffer());
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  return body;
}

interface Cost {
  cpuMs: number;
  wallMs: number;
}

/** One call after a full GC: this process's CPU time (user + system) and wall time, in ms. */
async function timeOnce(fn: () => Promise<Trace | Trace[]>, gc: () => void): Promise<Cost> {
  gc();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await fn();
  const { user, system } = process.cpuUsage(cpu);
  return { cpuMs: (user + system) / 1000, wallMs: performance.now() - wall };
}

/** measure.ts's timePair for async calls: warm-up, then alternating rounds; medians of each side. */
async function timeAsyncPair(
  subject: () => Promise<Trace | Trace[]>,
  baseline: () => Promise<Trace | Trace[]>,
): Promise<{ subject: Cost; baseline: Cost; rounds: number }> {
  const gc = requireGc();
  const warmStart = performance.now();
  let roundMs = 0;
  do {
    const a = await timeOnce(subject, gc);
    const b = await timeOnce(baseline, gc);
    roundMs = a.wallMs + b.wallMs;
  } while (performance.now() - warmStart < WARMUP_MS);
  const rounds = Math.max(MIN_ROUNDS, Math.min(MAX_ROUNDS, Math.floor(BUDGET_MS / Math.max(roundMs, 1e-3)) | 1));
  const s: Cost[] = [];
  const b: Cost[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      s.push(await timeOnce(subject, gc));
      b.push(await timeOnce(baseline, gc));
    } else {
      b.push(await timeOnce(baseline, gc));
      s.push(await timeOnce(subject, gc));
    }
  }
  const medians = (costs: Cost[]): Cost => ({
    cpuMs: median(costs.map((c) => c.cpuMs)),
    wallMs: median(costs.map((c) => c.wallMs)),
  });
  return { subject: medians(s), baseline: medians(b), rounds };
}

/** Child mode: serve the synthetic trace from the fake backend until stdin closes. */
async function serve(type: string): Promise<void> {
  const subject = SUBJECTS.find((s) => s.type === type);
  if (!subject) throw new Error(`unknown backend ${type}`);
  const trace = generateTrace(SPANS, SEED);
  const document: unknown = JSON.parse(renderTrace(trace, subject.format) as string);
  const fakes = createRequire(__filename)(path.resolve(__dirname, '../../test/fakes/fakeBackend.ts')) as FakeBackendModule;
  const fake = await fakes.startFakeBackend(subject.fake, { documents: [document], withoutFixtures: true });
  process.stdout.write(`${JSON.stringify({ url: fake.url, traceId: trace.traceId })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void fake.close());
}

if (require.main === module && process.argv[2] === 'serve') {
  serve(process.argv[3] ?? '').catch((e: unknown) => {
    process.stderr.write(`fake backend: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
