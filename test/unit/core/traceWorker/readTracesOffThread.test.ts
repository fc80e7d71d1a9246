/**
 * The trace worker for real: its bundle built by esbuild as the extension's build does, run in a worker thread,
 * fed documents made by the project's own generator in every format it writes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseTraces } from '../../../../src/core/formats/parse';
import type { Trace } from '../../../../src/core/model/types';
import { readTracesOffThread, type OffThreadTimings } from '../../../../src/core/traceWorker/readTracesOffThread';
import { encodeTrace } from '../../../../src/core/waterfall/encodeTrace';
import { takeEncoding } from '../../../../src/core/waterfall/encodedTraces';
import { generateTrace, renderTrace, SYNTHETIC_FORMATS } from '../../../fixtures/generateTraces';

const REPO = path.resolve(__dirname, '../../../..');

function bytesOf(doc: string | Uint8Array): Uint8Array {
  return typeof doc === 'string' ? new TextEncoder().encode(doc) : new Uint8Array(doc);
}

describe('readTracesOffThread', function () {
  this.timeout(60_000);
  let dir: string;
  let workerFile: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-worker-'));
    workerFile = path.join(dir, 'traceWorker.js');
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src/core/traceWorker/traceWorker.ts')],
      outfile: workerFile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'silent',
    });
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const format of SYNTHETIC_FORMATS) {
    it(`reads ${format} in a worker into the same traces as reading it here`, async () => {
      const doc = renderTrace(generateTrace(3_000, 7), format);
      const expected = parseTraces(bytesOf(doc));
      let timings: OffThreadTimings | undefined;
      const traces = await readTracesOffThread(bytesOf(doc), { workerFile, inThreadBytes: 0 }, (t) => (timings = t));
      assert.equal(timings?.worker, true, 'the worker did the reading');
      assert.deepEqual(traces, expected);
    });
  }

  it('keeps resources shared between spans, as the readers made them', async () => {
    const doc = renderTrace(generateTrace(5_000, 3), 'otlp-json');
    const [trace] = await readTracesOffThread(bytesOf(doc), { workerFile, inThreadBytes: 0 });
    const [local] = parseTraces(bytesOf(doc));
    const distinct = (t: Trace): number => new Set(t.spans.map((s) => s.resource)).size;
    assert.equal(distinct(trace!), distinct(local!));
    assert.ok(distinct(trace!) < trace!.spans.length / 10, 'far fewer resources than spans');
  });

  it('hands the waterfall the encoding made in the worker, equal to encoding here', async () => {
    const doc = renderTrace(generateTrace(8_000, 11), 'jaeger');
    let early = false;
    const [trace] = await readTracesOffThread(bytesOf(doc), { workerFile, inThreadBytes: 0, onEncoded: () => (early = true) });
    assert.ok(early, 'the encoded form came before the traces were complete');
    const made = takeEncoding(trace!);
    assert.ok(made, 'the encoding is kept with the trace');
    const here = encodeTrace(parseTraces(bytesOf(doc))[0]!);
    assert.deepEqual(made.header, here.header);
    assert.deepEqual(made.chunks, here.chunks);
    assert.deepEqual(made.spanOfRow, here.spanOfRow);
    assert.deepEqual(made.tree, here.tree);
    assert.equal(takeEncoding(trace!), undefined, 'handed out once');
  });

  it('keeps the event loop running while a large trace is read', async () => {
    const doc = bytesOf(renderTrace(generateTrace(15_000, 5), 'otlp-json'));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await readTracesOffThread(doc, { workerFile, inThreadBytes: 0 });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 5, `the host ran its timers ${ticks} times during the read`);
  });

  it('rejects a malformed document with the same TraceFormatError as reading it here', async () => {
    const doc = '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": 12}]}]}';
    const here = (() => {
      try {
        parseTraces(bytesOf(doc));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(here instanceof TraceFormatError);
    await assert.rejects(readTracesOffThread(bytesOf(doc), { workerFile, inThreadBytes: 0 }), (e: unknown) => {
      assert.ok(e instanceof TraceFormatError);
      assert.equal(e.message, here.message);
      assert.equal(e.where, here.where);
      return true;
    });
  });

  it('keeps hostile attribute keys as plain keys across the thread boundary', async () => {
    const doc = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: '<img src=x onerror=alert(1)>',
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000001000000',
                  attributes: [
                    { key: '__proto__', value: { stringValue: 'polluted?' } },
                    { key: 'constructor', value: { stringValue: 'x' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const [trace] = await readTracesOffThread(bytesOf(doc), { workerFile, inThreadBytes: 0 });
    const attrs = trace!.spans[0]!.attributes;
    assert.deepEqual(Object.keys(attrs), ['__proto__', 'constructor']);
    assert.equal(Object.getOwnPropertyDescriptor(attrs, '__proto__')?.value, 'polluted?');
    assert.equal(({} as Record<string, unknown>)['polluted?'], undefined);
    assert.equal(trace!.spans[0]!.name, '<img src=x onerror=alert(1)>');
  });

  it('stops the worker when cancelled, rejecting with the reason', async () => {
    const doc = bytesOf(renderTrace(generateTrace(15_000, 9), 'otlp-json'));
    const controller = new AbortController();
    const read = readTracesOffThread(doc, {
      workerFile,
      inThreadBytes: 0,
      signal: controller.signal,
      onEncoded: () => controller.abort(),
    });
    await assert.rejects(read, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  it('reads a small document in this thread, where a worker would only add its start', async () => {
    const doc = renderTrace(generateTrace(200, 4), 'jaeger');
    let timings: OffThreadTimings | undefined;
    const traces = await readTracesOffThread(bytesOf(doc), { workerFile }, (t) => (timings = t));
    assert.equal(timings?.worker, false);
    assert.deepEqual(traces, parseTraces(bytesOf(doc)));
  });

  it('reads in this thread, and says so, when the worker cannot start', async () => {
    const doc = renderTrace(generateTrace(500, 2), 'zipkin');
    const logged: string[] = [];
    let timings: OffThreadTimings | undefined;
    const traces = await readTracesOffThread(
      bytesOf(doc),
      { workerFile: path.join(dir, 'missing.js'), inThreadBytes: 0, log: (_level, m) => logged.push(m) },
      (t) => (timings = t),
    );
    assert.deepEqual(traces, parseTraces(bytesOf(doc)));
    assert.equal(timings?.worker, false);
    assert.match(logged.join('\n'), /trace worker could not start/);
  });
});
