/**
 * `receiver.max_block_ms`: the longest the receiver keeps the event loop (in VS Code: the extension host, every
 * extension's) from running anything else while it takes one maximum-size body, gzip-compressed, just under the
 * receiver's 64 MiB inflated limit. The body is made of the load generator's 512-span requests (protobuf
 * requests concatenate into one whose resource spans add up; JSON ones are spliced into one resourceSpans
 * list), so it holds about 150,000 protobuf or 70,000 JSON spans, each trace new to the store.
 *
 * The receiver runs in this process. From sending the body until its answer, a 1 ms timer reads how much CPU
 * time the main thread had between two of its turns (Linux: /proc/<pid>/task/<pid>/schedstat, nanoseconds on
 * the CPU): the longest is the longest the receiver kept the event loop to itself. CPU time rather than how late
 * the timer fired, for the reason the rest of the bench uses it: on a shared machine the process also waits
 * for the CPU while other processes run, which is no block of its own. Where schedstat is missing, the figure
 * is `perf_hooks.monitorEventLoopDelay`'s maximum (wall time); the log says which, and gives both when it can.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as zlib from 'node:zlib';
import { request } from 'undici';
import type * as Core from '../../src/core/index';
import { median } from './measure';
import { ringOfBodies, type Encoding } from './receiverClient';

const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const ROUNDS = 3;
const CONTENT_TYPE: Record<Encoding, string> = { 'otlp-proto': 'application/x-protobuf', 'otlp-json': 'application/json' };

export interface BlockResult {
  /** median over the rounds of the longest block, ms (main-thread CPU time when `cpu`, else wall time) */
  maxBlockMs: number;
  /** median over the rounds of the longest wall-clock delay of a 1 ms timer, ms */
  maxDelayMs: number;
  cpu: boolean;
  /** median time from sending the body to its answer, ms */
  answerMs: number;
  spans: number;
  inflatedBytes: number;
}

export async function measureMaxBlock(lib: typeof Core, encoding: Encoding): Promise<BlockResult> {
  const { body, spans, inflatedBytes } = maximumBody(encoding);
  const blocks: number[] = [];
  const delays: number[] = [];
  const answers: number[] = [];
  const cpu = mainThreadCpuNs() !== undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const receiver = await lib.startReceiver({ port: 0 });
    try {
      globalThis.gc?.();
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      let lastCpu = mainThreadCpuNs() ?? 0;
      let longestCpuNs = 0;
      const probe = setInterval(() => {
        const now = mainThreadCpuNs() ?? 0;
        longestCpuNs = Math.max(longestCpuNs, now - lastCpu);
        lastCpu = now;
      }, 1);
      const started = performance.now();
      const res = await request(`${receiver.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': CONTENT_TYPE[encoding], 'content-encoding': 'gzip' },
        body,
        headersTimeout: 600_000,
        bodyTimeout: 600_000,
      });
      const text = await res.body.text();
      answers.push(performance.now() - started);
      clearInterval(probe);
      histogram.disable();
      if (res.statusCode !== 200) throw new Error(`receiver.max_block_ms: ${res.statusCode} ${text.slice(0, 200)}`);
      if (receiver.store.stats().spans === 0) throw new Error('receiver.max_block_ms: nothing was stored');
      delays.push(histogram.max / 1e6);
      blocks.push(cpu ? longestCpuNs / 1e6 : histogram.max / 1e6);
    } finally {
      await receiver.close();
    }
  }
  return { maxBlockMs: median(blocks), maxDelayMs: median(delays), cpu, answerMs: median(answers), spans, inflatedBytes };
}

const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/** Nanoseconds the main thread has spent on a CPU, or undefined where Linux's schedstat is not there. */
function mainThreadCpuNs(): number | undefined {
  try {
    return Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** The gzip of the largest body of whole 512-span requests that stays under the inflated limit. */
function maximumBody(encoding: Encoding): { body: Buffer; spans: number; inflatedBytes: number } {
  const one = ringOfBodies(encoding, 1)[0]!;
  const count = Math.floor((MAX_INFLATED_BYTES - 64) / one.length);
  const parts = ringOfBodies(encoding, count);
  let inflated: Buffer;
  if (encoding === 'otlp-proto') {
    inflated = Buffer.concat(parts);
  } else {
    const prefix = '{"resourceSpans":[';
    const inner = parts.map((p) => {
      const text = p.toString('utf8');
      if (!text.startsWith(prefix) || !text.endsWith(']}')) throw new Error('unexpected OTLP/JSON layout');
      return text.slice(prefix.length, -2);
    });
    inflated = Buffer.from(`${prefix}${inner.join(',')}]}`);
  }
  return { body: zlib.gzipSync(inflated, { level: 1 }), spans: count * 512, inflatedBytes: inflated.length };
}
