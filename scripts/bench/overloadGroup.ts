/**
 * The receiver under a parallel-inflation attack (issue 15): ATTACK_UPLOADS uploads at once, each a gzip body of
 * about 65 KB that inflates to 64 MiB of valid OTLP/JSON (one span whose attribute is 64 MiB of one letter),
 * while NORMAL_CONNECTIONS exporters keep posting ordinary 512-span protobuf batches.
 *
 * The receiver runs in a child process of its own (this file, run with `receiver`), so that its peak RSS
 * (`process.resourceUsage().maxRSS`, which only grows) is the receiver's alone. The attack and the normal
 * exporters run here. Figures:
 * - `receiver.overload.peak_rss_mb`: the receiver process's peak resident memory during the attack;
 * - `receiver.overload.share_429`: the share of attack uploads answered 429 or 503 (told to retry later);
 * - `receiver.overload.normal_spans_per_s`: spans/s the normal exporters got accepted while the attack ran;
 * - `receiver.overload.attack_s`: seconds until the last attack upload was answered.
 * The log adds the normal exporters' rate without the attack, and the receiver's RSS after it.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { Client, Pool } from 'undici';
import type * as Core from '../../src/core/index';
import { generateTrace, toOtlpProto } from '../../test/fixtures/generateTraces';
import type { BenchGroup } from './registry';

const ATTACK_UPLOADS = 64;
const INFLATED_BYTES = 64 * 1024 * 1024;
const NORMAL_CONNECTIONS = 4;
const BATCH_SPANS = 512;
const QUIET_MS = 3000;
/** The attack is given up (and reported as such) after this long. */
const ATTACK_TIMEOUT_MS = 300_000;
const SEED = 20_240_601;

export const overloadGroup: BenchGroup = {
  name: 'receiver.overload',
  description: `receiver under ${ATTACK_UPLOADS} parallel gzip uploads inflating to 64 MiB each: peak RSS, share of 429s, normal exporters' spans/s`,
  cases: ['receiver.overload'],

  async run(_selected, report, { log }) {
    const receiver = await startReceiverProcess();
    try {
      const normal = normalExporters(receiver.url);
      const quiet = await normal.measure(QUIET_MS);
      log(`receiver.overload: normal exporters alone: ${Math.round(quiet.spansPerS)} spans/s`);

      const bodies = attackBodies();
      log(`receiver.overload: ${ATTACK_UPLOADS} attack bodies of ${bodies[0]!.length} B, each inflating to ${INFLATED_BYTES} B`);
      const during = normal.measure(Infinity);
      const started = performance.now();
      const statuses = await attack(receiver.url, bodies);
      const attackMs = performance.now() - started;
      const normalResult = await during.stop();
      const { maxRssMb, rssMb, stats } = await receiver.stop();

      const refused = statuses.filter((s) => s === 429 || s === 503).length;
      const counts = new Map<number, number>();
      for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
      log(
        `receiver.overload: attack answered in ${(attackMs / 1000).toFixed(1)} s: ` +
          [...counts].map(([s, n]) => `${n}× ${s === 0 ? 'connection error' : s}`).join(', ') +
          `; normal exporters meanwhile ${Math.round(normalResult.spansPerS)} spans/s (${normalResult.refused} batches told to retry, ${normalResult.errors} failed); ` +
          `receiver peak RSS ${maxRssMb} MB, ${rssMb} MB after; store ${stats}`,
      );
      report({ name: 'receiver.overload.peak_rss_mb', value: maxRssMb, unit: 'MB' });
      report({
        name: 'receiver.overload.share_429',
        value: Math.round((refused / statuses.length) * 1000) / 1000,
        unit: 'ratio',
      });
      report({ name: 'receiver.overload.normal_spans_per_s', value: Math.round(normalResult.spansPerS), unit: 'spans/s' });
      report({ name: 'receiver.overload.attack_s', value: Math.round(attackMs / 100) / 10, unit: 's' });
    } finally {
      receiver.kill();
    }
  },
};

/**
 * One gzip body per upload: a span (its own id) whose attribute is 64 MiB of one letter. The filler is
 * compressed once (a gzip of 64 MiB at level 9 takes a second) and framed per body: the head as a stored
 * deflate block, the filler's blocks, the tail as the final stored block; one gzip member, as an exporter
 * would send it.
 */
function attackBodies(): Buffer[] {
  const head = (spanId: string): string =>
    '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"attack"}}]},"scopeSpans":[{"spans":[' +
    `{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"${spanId}","name":"flood","kind":2,` +
    '"startTimeUnixNano":"1735689600000000000","endTimeUnixNano":"1735689600001000000",' +
    '"attributes":[{"key":"payload","value":{"stringValue":"';
  const tail = Buffer.from('"}}]}]}]}]}');
  const filler = Buffer.alloc(INFLATED_BYTES - head('0000000000000000').length - tail.length, 'a');
  const deflatedFiller = zlib.deflateRawSync(filler, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return Array.from({ length: ATTACK_UPLOADS }, (_, i) => {
    const headBytes = Buffer.from(head((i + 1).toString(16).padStart(16, '0')));
    const crc = zlib.crc32(tail, zlib.crc32(filler, zlib.crc32(headBytes)));
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE((headBytes.length + filler.length + tail.length) % 2 ** 32, 4);
    return Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]),
      storedBlock(headBytes, false),
      deflatedFiller,
      storedBlock(tail, true),
      trailer,
    ]);
  });
}

/** A stored (uncompressed) deflate block of at most 65,535 bytes, starting on a byte boundary. */
function storedBlock(data: Buffer, final: boolean): Buffer {
  const header = Buffer.alloc(5);
  header[0] = final ? 1 : 0;
  header.writeUInt16LE(data.length, 1);
  header.writeUInt16LE(~data.length & 0xffff, 3);
  return Buffer.concat([header, data]);
}

/** Posts every body at once, each on its own connection; the status of each answer (0: no answer). */
async function attack(url: string, bodies: readonly Buffer[]): Promise<number[]> {
  const deadline = AbortSignal.timeout(ATTACK_TIMEOUT_MS);
  return Promise.all(
    bodies.map(async (body) => {
      const client = new Client(url, { headersTimeout: ATTACK_TIMEOUT_MS, bodyTimeout: ATTACK_TIMEOUT_MS });
      try {
        const res = await client.request({
          path: '/v1/traces',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body,
          signal: deadline,
        });
        await res.body.dump();
        return res.statusCode;
      } catch {
        return 0;
      } finally {
        await client.close().catch(() => undefined);
      }
    }),
  );
}

interface NormalResult {
  spansPerS: number;
  /** batches answered 429/503 */
  refused: number;
  /** batches that failed otherwise */
  errors: number;
}

/** Ordinary exporters: NORMAL_CONNECTIONS keep-alive connections posting 512-span protobuf batches back to back. */
function normalExporters(url: string): {
  measure(ms: number): Promise<NormalResult> & { stop(): Promise<NormalResult> };
} {
  const trace = generateTrace(BATCH_SPANS, SEED);
  const template = Buffer.from(toOtlpProto(trace));
  const from = Buffer.from(trace.traceId, 'hex');
  let sequence = 0;
  const nextBody = (): Buffer => {
    const out = Buffer.from(template);
    const to = Buffer.from(`${(++sequence).toString(16).padStart(8, '0')}${trace.traceId.slice(8)}`, 'hex');
    for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + from.length)) to.copy(out, at);
    return out;
  };
  const pool = new Pool(url, { connections: NORMAL_CONNECTIONS, pipelining: 1 });
  return {
    measure(ms) {
      let stopped = false;
      let stopAt = performance.now() + ms;
      const started = performance.now();
      let ok = 0;
      let refused = 0;
      let errors = 0;
      const run = Promise.all(
        Array.from({ length: NORMAL_CONNECTIONS }, async () => {
          while (!stopped && performance.now() < stopAt) {
            try {
              const res = await pool.request({
                path: '/v1/traces',
                method: 'POST',
                headers: { 'content-type': 'application/x-protobuf' },
                body: nextBody(),
              });
              await res.body.dump();
              if (res.statusCode === 200) ok++;
              else if (res.statusCode === 429 || res.statusCode === 503) {
                refused++;
                await new Promise((resolve) => setTimeout(resolve, 100));
              } else errors++;
            } catch {
              errors++;
            }
          }
        }),
      ).then(() => ({ spansPerS: (ok * BATCH_SPANS) / ((performance.now() - started) / 1000), refused, errors }));
      return Object.assign(run, {
        stop: (): Promise<NormalResult> => {
          stopped = true;
          stopAt = 0;
          return run;
        },
      });
    },
  };
}

interface ReceiverProcess {
  url: string;
  stop(): Promise<{ maxRssMb: number; rssMb: number; stats: string }>;
  kill(): void;
}

async function startReceiverProcess(): Promise<ReceiverProcess> {
  const child = spawn(process.execPath, [...process.execArgv, __filename, 'receiver'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await iterator.next();
    if (done) throw new Error('the receiver process exited');
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  const { url } = (await next()) as { url: string };
  return {
    url,
    async stop() {
      child.stdin.write('stop\n');
      return (await next()) as { maxRssMb: number; rssMb: number; stats: string };
    },
    kill: () => child.kill(),
  };
}

/** Child mode: the receiver from dist/core.js, with its defaults, until told to stop. */
async function runReceiver(): Promise<void> {
  const core = createRequire(__filename)(path.resolve(__dirname, '../../dist/core.js')) as typeof Core;
  const receiver = await core.startReceiver({ port: 0 });
  process.stdout.write(`${JSON.stringify({ url: receiver.url })}\n`);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line !== 'stop') continue;
    const { maxRSS } = process.resourceUsage();
    globalThis.gc?.();
    const { spans, traces, evictedTraces } = receiver.store.stats();
    const answer = {
      maxRssMb: Math.round(maxRSS / 1024),
      rssMb: Math.round(process.memoryUsage().rss / (1024 * 1024)),
      stats: `${traces} traces, ${spans} spans, ${evictedTraces} traces evicted`,
    };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    await receiver.close();
    process.exit(0);
  }
}

if (require.main === module && process.argv[2] === 'receiver') {
  runReceiver().catch((e: unknown) => {
    process.stderr.write(`overload bench receiver: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
