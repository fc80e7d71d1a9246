/**
 * The embedded OTLP/HTTP receiver and its store (issues 5, 15 and 16).
 *
 * Throughput: `startReceiver({port: 0})` from dist/core.js runs in this process; the load comes from a client
 * in a child process (receiverClient.ts) posting 512-span requests over 4 keep-alive connections. In the same
 * rounds, alternating which goes first, the same client posts the same bodies to a decode-only server in a
 * process of its own (decodeOnlyServer.ts: node:http + protobufjs decode, answering 200): the ratio of the two
 * request rates is what the receiver costs next to the least a receiver must do. Rates are the client's
 * wall-clock counts; the receiver process's CPU time per span is logged beside them.
 *
 * Longest block: `receiver.max_block_ms` (receiverBlock.ts), the longest the receiver keeps the event loop to
 * itself while it takes one maximum-size body (main-thread CPU time), the larger of the protobuf and JSON figures.
 *
 * Memory: retained heap (JS heap + ArrayBuffers, after GC) of a TraceStore holding 100k parsed spans.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as Core from '../../src/core/index';
import { readTraceRequest } from '../../src/core/receiver/otlpRequests';
import { TraceStore } from '../../src/core/store/traceStore';
import { startDecodeOnlyServer } from './decodeOnlyServer';
import { median, retainedBytes } from './measure';
import { measureMaxBlock } from './receiverBlock';
import { BATCH_SPANS, PHASE_MS, ringOfBodies, startClient, type Encoding } from './receiverClient';
import type { BenchGroup, Figure } from './registry';

const ROUNDS = 3;
const FIRST_WARMUP_MS = 1500;
const WARMUP_MS = 300;
const STORE_SPANS = 100_000;

const RATIO_CASE = 'receiver.ratio_vs_decode_only';
const BLOCK_CASE = 'receiver.max_block_ms';

export const receiverGroup: BenchGroup = {
  name: 'receiver',
  description:
    'OTLP/HTTP receiver spans/s (512-span batches, 4 keep-alive connections from a child process) and vs a decode-only server; longest event-loop block for a maximum-size body',
  cases: ['receiver.otlp-proto', 'receiver.otlp-json', RATIO_CASE, BLOCK_CASE],

  async run(selected, report, { core, log }) {
    core();
    const lib = loadDistCore();
    const encodings: Encoding[] = (['otlp-proto', 'otlp-json'] as const).filter(
      (e) => selected.includes(`receiver.${e}`) || (e === 'otlp-proto' && selected.includes(RATIO_CASE)),
    );
    for (const encoding of encodings) {
      const withBaseline = encoding === 'otlp-proto' && selected.includes(RATIO_CASE);
      const result = await measureEncoding(lib, encoding, withBaseline, log);
      if (selected.includes(`receiver.${encoding}`)) {
        report({ name: `receiver.${encoding}.spans_per_s`, value: Math.round(result.spansPerS), unit: 'spans/s' });
      }
      if (result.ratio !== undefined) report({ name: RATIO_CASE, value: round3(result.ratio), unit: 'ratio' });
    }
    if (selected.includes(BLOCK_CASE)) {
      let worst = 0;
      for (const encoding of ['otlp-proto', 'otlp-json'] as const) {
        const r = await measureMaxBlock(lib, encoding);
        log(
          `receiver.max_block_ms: ${encoding}: ${r.maxBlockMs.toFixed(1)} ms longest block (${r.cpu ? 'main-thread CPU time' : 'wall time'}; ` +
            `a 1 ms timer fired up to ${r.maxDelayMs.toFixed(1)} ms late), answered in ${Math.round(r.answerMs)} ms ` +
            `(${r.spans} spans, ${(r.inflatedBytes / 1048576).toFixed(1)} MiB inflated; medians of 3)`,
        );
        worst = Math.max(worst, r.maxBlockMs);
      }
      report({ name: BLOCK_CASE, value: Math.round(worst * 10) / 10, unit: 'ms' });
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

// ---- throughput ----

async function measureEncoding(
  lib: DistCore,
  encoding: Encoding,
  withBaseline: boolean,
  log: (message: string) => void,
): Promise<{ spansPerS: number; ratio?: number }> {
  const receiver = await lib.startReceiver({ port: 0 });
  const baseline = withBaseline ? await startDecodeOnlyServer() : undefined;
  const client = await startClient(encoding);
  try {
    const receiverRates: number[] = [];
    const baselineRates: number[] = [];
    const cpuPerSpan: number[] = [];
    let warmupMs = FIRST_WARMUP_MS;
    const phase = async (url: string, rates: number[]): Promise<void> => {
      const r = await client.phase(url, warmupMs);
      warmupMs = WARMUP_MS;
      rates.push(r.requests / (r.wallMs / 1000));
      if (url === receiver.url) cpuPerSpan.push((r.serverCpuMs * 1000) / (r.requests * BATCH_SPANS));
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (baseline === undefined) await phase(receiver.url, receiverRates);
      else if (round % 2 === 0) {
        await phase(receiver.url, receiverRates);
        await phase(baseline.url, baselineRates);
      } else {
        await phase(baseline.url, baselineRates);
        await phase(receiver.url, receiverRates);
      }
    }
    const stats = receiver.store.stats();
    if (stats.rejectedSpans > 0 || stats.spans === 0) {
      throw new Error(`receiver.${encoding}: the store holds ${stats.spans} spans and rejected ${stats.rejectedSpans}`);
    }
    const rate = median(receiverRates);
    const baselineRate = baseline ? median(baselineRates) : undefined;
    log(
      `receiver.${encoding}: ${Math.round(rate)} requests/s (${Math.round(rate * BATCH_SPANS)} spans/s, ` +
        `${median(cpuPerSpan).toFixed(2)} µs receiver CPU per span)` +
        (baselineRate !== undefined ? `; decode-only node:http + protobufjs ${Math.round(baselineRate)} requests/s` : '') +
        `; ${client.bodyBytes} B per body, medians of ${ROUNDS} rounds of ${PHASE_MS} ms; store: ${stats.spans} spans, ${stats.evictedTraces} traces evicted`,
    );
    const spansPerS = rate * BATCH_SPANS;
    return baselineRate !== undefined ? { spansPerS, ratio: rate / baselineRate } : { spansPerS };
  } finally {
    client.stop();
    await baseline?.close();
    await receiver.close();
  }
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
