/**
 * `receiver.max_block_ms`: the longest the receiver keeps the event loop (in VS Code: the extension host, every
 * extension's) from running anything else while it takes one maximum-size body, gzip-compressed, just under the
 * receiver's 64 MiB inflated limit. The body is made of the load generator's 512-span requests (protobuf
 * requests concatenate into one whose resource spans add up; JSON ones are spliced into one resourceSpans
 * list), so it holds about 150,000 protobuf or 70,000 JSON spans, each trace new to the store.
 *
 * The receiver runs in this process; the longest block is the maximum of `perf_hooks.monitorEventLoopDelay`
 * (1 ms resolution) from sending the body until its answer, i.e. how late a 1 ms timer fired at worst.
 */
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
  /** median over the rounds of the longest block, ms */
  maxBlockMs: number;
  /** median time from sending the body to its answer, ms */
  answerMs: number;
  spans: number;
  inflatedBytes: number;
}

export async function measureMaxBlock(lib: typeof Core, encoding: Encoding): Promise<BlockResult> {
  const { body, spans, inflatedBytes } = maximumBody(encoding);
  const blocks: number[] = [];
  const answers: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const receiver = await lib.startReceiver({ port: 0 });
    try {
      globalThis.gc?.();
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
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
      histogram.disable();
      if (res.statusCode !== 200) throw new Error(`receiver.max_block_ms: ${res.statusCode} ${text.slice(0, 200)}`);
      if (receiver.store.stats().spans === 0) throw new Error('receiver.max_block_ms: nothing was stored');
      blocks.push(histogram.max / 1e6);
    } finally {
      await receiver.close();
    }
  }
  return { maxBlockMs: median(blocks), answerMs: median(answers), spans, inflatedBytes };
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
