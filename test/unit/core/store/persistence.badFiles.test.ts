// Snapshots that are damaged, hostile or written by something else: loading keeps what it can read, says what
// it dropped, never throws, never holds more than the store could; saving streams under its cap and reports
// failures.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { startReceiver } from '../../../../src/core/receiver/otlpReceiver';
import { loadSnapshot, saveSnapshot, StorePersistence } from '../../../../src/core/store/persistence';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { traceIdOf, traceOfSize } from './builders';

const HEADER = JSON.stringify({ format: 'trace-lens-store', version: 2, savedAtUs: 1 });

function snapshot(lines: readonly string[]): Buffer {
  return zlib.gzipSync(`${[HEADER, ...lines].join('\n')}\n`);
}

function spanLine(traceId: string, spans: unknown[], extra: object = {}): string {
  return JSON.stringify({ t: traceId, w: 'other', at: 1, r: [{ 'service.name': 'svc' }], spans, ...extra });
}

const goodSpan = (spanId: string): object => ({
  spanId,
  name: 'op',
  service: 'svc',
  kind: 'server',
  startUs: 1.7e15,
  durationUs: 5,
  status: { code: 'unset' },
  attributes: {},
  resource: 0,
  events: [],
  links: [],
});

describe('store persistence: bad files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trace-lens-bad-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps the readable spans of a damaged snapshot, repairs missing or mistyped parts, and counts what it dropped', async () => {
    const file = path.join(dir, 'damaged.json.gz');
    await fs.writeFile(
      file,
      snapshot([
        spanLine(traceIdOf(1), [
          { spanId: 'a1', startUs: 1.7e15 }, // no events, links, attributes, status, kind, name…
          {
            spanId: 'a2',
            startUs: 1.7e15,
            events: 'x',
            links: 5,
            attributes: [1],
            status: 7,
            kind: 'weird',
            durationUs: -3,
            resource: 99,
          },
          {
            spanId: 'a3',
            startUs: 1.7e15,
            events: [null, { name: 3, timeUs: 'x' }],
            links: [{ traceId: 1 }, { traceId: 'b', spanId: 'c' }],
          },
          { startUs: 1.7e15 }, // no span id: dropped
          'not a span',
        ]),
        '{"t": "broken line',
        '[1, 2, 3]',
        spanLine(traceIdOf(2), [goodSpan('b1')], {
          x: [{ traceId: traceIdOf(2), spanId: 'b1', attributes: 'x' }, { spanId: 'no trace' }],
        }),
      ]),
    );
    const store = new TraceStore();
    const result = await loadSnapshot(store, file);
    assert.deepEqual(result, { traces: 2, spans: 4, exceptions: 1, dropped: { lines: 2, spans: 2, exceptions: 1 } });
    const spans = store.get(traceIdOf(1))!.spans;
    assert.deepEqual(
      spans.map((s) => [s.spanId, s.events.length, s.links.length, s.kind, s.status.code, s.durationUs]),
      [
        ['a1', 0, 0, 'unspecified', 'unset', 0],
        ['a2', 0, 0, 'unspecified', 'unset', 0],
        ['a3', 1, 1, 'unspecified', 'unset', 0],
      ],
    );
    assert.deepEqual(spans[2]!.events[0], { name: '', timeUs: 0, attributes: {} });
    assert.deepEqual(store.exceptionsFor(traceIdOf(2))[0]!.attributes, {});
  });

  it('starts the receiver on a damaged or foreign snapshot and says why nothing was loaded', async () => {
    for (const content of [
      Buffer.from('not gzip at all'),
      zlib.gzipSync('{"format":"trace-lens-store","version":1,"traces":[{"traceId":"ab","spans":[{}]}]}'),
      zlib.gzipSync(''),
    ]) {
      const file = path.join(dir, 'snapshot.json.gz');
      await fs.writeFile(file, content);
      const receiver = await startReceiver({ port: 0, persist: { path: file } });
      try {
        assert.match(receiver.loaded?.problem ?? '', /ignored the saved traces/);
        assert.equal(receiver.store.stats().traces, 0);
      } finally {
        await receiver.close();
      }
    }
  });

  it('keeps what came before a cut in the file', async () => {
    const file = path.join(dir, 'cut.json.gz');
    const whole = snapshot(Array.from({ length: 50 }, (_, i) => spanLine(traceIdOf(i + 1), [goodSpan('s1')])));
    await fs.writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const store = new TraceStore();
    const result = await loadSnapshot(store, file);
    assert.ok(result.traces > 10 && result.traces < 50, `${result.traces} traces kept`);
    assert.match(result.stoppedEarly ?? '', /ends early or is damaged/);
    assert.equal(result.problem, undefined);
  });

  it('does not read a file larger than the store could hold, nor inflate a gzip bomb past the store size', async () => {
    const store = new TraceStore({ maxBytes: 1024 * 1024 });
    const big = path.join(dir, 'big.json.gz');
    await fs.writeFile(big, Buffer.alloc(2 * 1024 * 1024));
    const refused = await loadSnapshot(store, big, 1024 * 1024);
    assert.match(refused.problem ?? '', /is 2\.0 MB, more than the 1\.0 MB it could hold; not read/);

    const bomb = path.join(dir, 'bomb.json.gz');
    const line = `${spanLine(traceIdOf(1), [goodSpan('s1')])}\n`;
    const lines = Buffer.from(line.repeat(Math.ceil((64 * 1024 * 1024) / line.length)));
    await fs.writeFile(bomb, zlib.gzipSync(Buffer.concat([Buffer.from(`${HEADER}\n`), lines]), { level: 9 }));
    assert.ok((await fs.stat(bomb)).size < 1024 * 1024, 'the bomb is small');
    const before = process.memoryUsage().rss;
    const result = await loadSnapshot(store, bomb, 1024 * 1024);
    assert.match(result.stoppedEarly ?? '', /past 1\.0 MB \(the store's size\) were not read/);
    assert.equal(store.stats().traces, 1);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'not inflated whole');

    const oneLine = path.join(dir, 'one-line.json.gz');
    await fs.writeFile(
      oneLine,
      zlib.gzipSync(Buffer.concat([Buffer.from(`${HEADER}\n{"t":"`), Buffer.alloc(3 * 1024 * 1024, 'a')])),
    );
    const endless = await loadSnapshot(new TraceStore({ maxBytes: 1024 * 1024 }), oneLine, 1024 * 1024);
    assert.ok(endless.stoppedEarly, 'a line with no end stops the reading');
  });

  it('writes a large trace in pieces of about a megabyte that load back as one trace', async () => {
    const store = new TraceStore();
    const t = traceOfSize(1, 6000);
    for (const s of t.spans) s.attributes = { payload: `${s.spanId}`.padEnd(400, '.') };
    store.add([t]);
    const file = path.join(dir, 'pieces.json.gz');
    await saveSnapshot(store, file, 64 * 1024 * 1024);
    const text = zlib.gunzipSync(await fs.readFile(file)).toString('utf8');
    const lines = text.trimEnd().split('\n');
    assert.ok(lines.length >= 4, `${lines.length} lines`);
    for (const line of lines) assert.ok(line.length <= 1024 * 1024, `a line of ${line.length} bytes`);
    const loaded = new TraceStore();
    await loadSnapshot(loaded, file, 64 * 1024 * 1024);
    assert.equal(loaded.get(traceIdOf(1))!.spans.length, 6000);
  });

  it('never writes past its cap, leaving out the oldest traces and counting them', async () => {
    const store = new TraceStore();
    for (let n = 1; n <= 300; n++) {
      const t = traceOfSize(n, 3);
      for (const s of t.spans)
        s.attributes = { noise: Buffer.from(`${n}${s.spanId}${Math.random()}`).toString('base64').repeat(8) };
      store.add([t]);
    }
    for (const cap of [300, 20_000, 60_000]) {
      const file = path.join(dir, `cap-${cap}.json.gz`);
      const saved = await saveSnapshot(store, file, cap);
      const size = (await fs.stat(file)).size;
      assert.ok(size <= cap, `${size} bytes written under a cap of ${cap}`);
      assert.equal(saved.traces + saved.omittedTraces, 300);
      const loaded = new TraceStore();
      const result = await loadSnapshot(loaded, file, cap);
      assert.equal(result.traces, saved.traces);
      if (saved.traces > 0) assert.ok(loaded.has(traceIdOf(300)), 'the newest is kept');
    }
  });

  it('reports a failed save once per failure and tries again on the next change', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await fs.writeFile(blocker, 'x');
    const errors: Error[] = [];
    const store = new TraceStore();
    const persistence = new StorePersistence(store, {
      path: path.join(blocker, 'store.json.gz'),
      debounceMs: 60_000,
      onError: (e) => errors.push(e),
    });
    store.add([traceOfSize(1, 1)]);
    await persistence.flush();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /ENOTDIR|EEXIST|not a directory/);
    assert.equal(persistence.lastError, errors[0]);
    await persistence.flush();
    assert.equal(errors.length, 2, 'what was not saved is still to save');
    await persistence.dispose();
  });
});
