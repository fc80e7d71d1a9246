import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadSnapshot, saveSnapshot, StorePersistence } from '../../../../src/core/store/persistence';
import type { Span, Trace } from '../../../../src/core/model/types';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { startReceiver } from '../../../../src/core/receiver/otlpReceiver';
import { BASE_US, span, spanIdOf, trace, traceIdOf, traceOfSize } from './builders';

/** The trace with its spans' properties that are set to undefined left out (readers set them so; builders do not). */
function definedOnly(trace: Trace | undefined): Trace | undefined {
  if (!trace) return trace;
  const spans = trace.spans.map((span) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(span)) if (value !== undefined) out[key] = value;
    return out as unknown as Span;
  });
  return { ...trace, spans };
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

describe('store persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trace-lens-store-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('round-trips traces, every attribute type, events, links, status, scope and exception records', async () => {
    const store = new TraceStore();
    const id = traceIdOf(7);
    const rich = span({
      traceId: id,
      spanId: spanIdOf(1),
      name: 'POST /pay',
      kind: 'client',
      startUs: BASE_US + 0.5,
      durationUs: 1234.25,
      status: { code: 'error', message: 'declined' },
      attributes: {
        s: 'text',
        n: 42,
        big: '9007199254740993',
        d: 0.5,
        nan: Number.NaN,
        b: true,
        bytes: new Uint8Array([0, 1, 254, 255]),
        list: ['a', 1, [true]],
        map: { inner: 'v' },
        nil: null,
      },
      scope: { name: 'pay', version: '2.0.0' },
      events: [{ name: 'retry', timeUs: BASE_US + 10, attributes: { attempt: 2 } }],
      links: [{ traceId: traceIdOf(8), spanId: spanIdOf(9), attributes: {} }],
      traceState: 'vendor=1',
    });
    Object.defineProperty(rich.attributes, '__proto__', {
      value: 'hostile',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const child = span({ traceId: id, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'db' });
    store.add([trace([rich, child]), traceOfSize(9, 3)]);
    store.addExceptions([
      {
        traceId: id,
        spanId: spanIdOf(1),
        timeUs: BASE_US,
        service: 'checkout',
        type: 'Error',
        stacktrace: 'at x',
        attributes: {},
      },
    ]);

    const file = path.join(dir, 'nested', 'traces.snapshot');
    const saved = await saveSnapshot(store, file);
    assert.deepEqual([saved.traces, saved.omittedTraces], [2, 0]);

    const loaded = new TraceStore();
    const result = await loadSnapshot(loaded, file);
    assert.deepEqual(result, { traces: 2, spans: 5, exceptions: 1 });
    assert.deepEqual(definedOnly(loaded.get(id)), definedOnly(store.get(id)));
    assert.deepEqual(loaded.list(), store.list());
    const back = loaded.get(id)!.spans[0]!;
    assert.ok(back.attributes.bytes instanceof Uint8Array);
    assert.equal(Object.getPrototypeOf(back.attributes), Object.prototype, '__proto__ stayed an ordinary key');
    assert.equal(back.resource, loaded.get(id)!.spans[1]!.resource, 'spans of one resource share one object');
    assert.deepEqual(loaded.exceptionsFor(id, spanIdOf(1)), store.exceptionsFor(id, spanIdOf(1)));
    assert.deepEqual(loaded.services(), store.services());
  });

  it('keeps the newest traces when the snapshot would exceed its size cap', async () => {
    const store = new TraceStore();
    for (let n = 1; n <= 200; n++) {
      const t = traceOfSize(n, 5);
      // random-ish text so that compression cannot make everything fit
      for (const s of t.spans)
        s.attributes = { payload: Buffer.from(`${n}-${s.spanId}-${Math.random()}`).toString('base64').repeat(20) };
      store.add([t]);
    }
    const file = path.join(dir, 'capped.snapshot');
    const maxBytes = 40 * 1024;
    const saved = await saveSnapshot(store, file, maxBytes);
    const size = (await fs.stat(file)).size;
    assert.ok(size <= maxBytes, `${size} bytes ≤ ${maxBytes}`);
    assert.ok(saved.omittedTraces > 0 && saved.traces > 0);
    assert.equal(saved.traces + saved.omittedTraces, 200);

    const loaded = new TraceStore();
    await loadSnapshot(loaded, file);
    assert.equal(loaded.stats().traces, saved.traces);
    assert.ok(loaded.has(traceIdOf(200)), 'the newest trace is kept');
    assert.equal(loaded.has(traceIdOf(1)), false, 'the oldest is left out');
  });

  it('loads nothing from a missing file, and says why for a corrupt or foreign one without throwing', async () => {
    const store = new TraceStore();
    assert.deepEqual(await loadSnapshot(store, path.join(dir, 'missing')), { traces: 0, spans: 0, exceptions: 0 });

    const garbage = path.join(dir, 'garbage');
    await fs.writeFile(garbage, 'not gzip');
    assert.match((await loadSnapshot(store, garbage)).problem ?? '', /ignored the saved traces/);

    const foreign = path.join(dir, 'foreign');
    await fs.writeFile(foreign, zlib.gzipSync(JSON.stringify({ format: 'other', version: 1 })));
    assert.match((await loadSnapshot(store, foreign)).problem ?? '', /not a Trace Lens snapshot/);

    const truncated = path.join(dir, 'truncated');
    await fs.writeFile(
      truncated,
      zlib.gzipSync('{"format":"trace-lens-store","version":1,"traces":[{"traceId":"ab","spans":[{}]}]'),
    );
    assert.ok((await loadSnapshot(store, truncated)).problem);
    assert.equal(store.stats().traces, 0);
  });

  it('saves after changes (throttled) and on dispose, so a reloaded receiver has its traces back', async () => {
    const file = path.join(dir, 'receiver.snapshot');
    const store = new TraceStore();
    const persistence = new StorePersistence(store, { path: file, debounceMs: 10 });
    store.add([traceOfSize(1, 2)]);
    for (let i = 0; i < 200 && !(await exists(file)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const afterDebounce = new TraceStore();
    await loadSnapshot(afterDebounce, file);
    assert.ok(afterDebounce.has(traceIdOf(1)), 'written after the debounce');

    store.add([traceOfSize(2, 2)]);
    await persistence.dispose();
    assert.equal(persistence.lastError, undefined);

    const receiver = await startReceiver({ port: 0, persist: { path: file } });
    try {
      assert.deepEqual(receiver.loaded, { traces: 2, spans: 4, exceptions: 0 });
      assert.ok(receiver.store.has(traceIdOf(2)));
      receiver.store.add([traceOfSize(3, 1)]);
    } finally {
      await receiver.close();
    }
    const reloaded = new TraceStore();
    await loadSnapshot(reloaded, file);
    assert.equal(reloaded.stats().traces, 3, 'close() wrote the snapshot');
  });
});
