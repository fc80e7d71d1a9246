// Two windows saving the same snapshot (the same workspace open twice): each keeps the other's traces. Once with
// two real processes saving concurrently, once in-process for the rules of who drops what.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { loadSnapshot, StorePersistence } from '../../../../src/core/store/persistence';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { request } from '../receiver/rawHttp';
import { traceIdOf, traceOfSize } from './builders';

interface Window {
  url: string;
  /** resolves with the next line the process writes */
  next(): Promise<Record<string, unknown>>;
  child: ChildProcess;
}

async function openWindow(file: string): Promise<Window> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'snapshotWriterProcess.ts'), file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the window process exited');
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  const { url } = (await next()) as { url: string };
  return { url, next, child };
}

function spanBody(n: number): string {
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: traceIdOf(n),
                spanId: '0000000000000001',
                name: `trace ${n}`,
                startTimeUnixNano: '1735689600000000000',
                endTimeUnixNano: '1735689600001000000',
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('store persistence: two windows, one snapshot', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trace-lens-two-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('two processes saving the same file concurrently keep both windows traces', async function () {
    this.timeout(60_000);
    const file = path.join(dir, 'receiver-store.json.gz');
    const [a, b] = await Promise.all([openWindow(file), openWindow(file)]);
    try {
      // Interleaved, with pauses longer than the 20 ms debounce: both save many times, often at once.
      for (let n = 1; n <= 60; n++) {
        const sent = await Promise.all([
          request(a.url, { headers: { 'content-type': 'application/json' }, body: spanBody(n) }),
          request(b.url, { headers: { 'content-type': 'application/json' }, body: spanBody(1000 + n) }),
        ]);
        assert.deepEqual(
          sent.map((r) => r.status),
          [200, 200],
        );
        if (n % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
      }
      for (const w of [a, b]) w.child.stdin!.end();
      await Promise.all([a.next(), b.next()]);
    } finally {
      a.child.kill();
      b.child.kill();
    }
    const store = new TraceStore();
    const loaded = await loadSnapshot(store, file);
    assert.equal(loaded.problem, undefined);
    const ids = new Set(store.traceIds());
    const missing = [...Array(60).keys()].flatMap((i) => [traceIdOf(i + 1), traceIdOf(1001 + i)]).filter((id) => !ids.has(id));
    assert.deepEqual(missing, [], 'every trace of both windows is in the file');
    assert.equal(loaded.traces, 120);
    await assert.rejects(fs.stat(`${file}.lock`), 'the lock is gone');
  });

  it("a window drops from the file only the traces it held or loaded, never another window's", async () => {
    const file = path.join(dir, 'store.json.gz');
    const storeA = new TraceStore({ maxSpans: 4 });
    const storeB = new TraceStore();
    const a = new StorePersistence(storeA, { path: file, writer: 'A', debounceMs: 60_000 });
    const b = new StorePersistence(storeB, { path: file, writer: 'B', debounceMs: 60_000 });
    storeA.add([traceOfSize(1, 2), traceOfSize(2, 2)]);
    storeB.add([traceOfSize(11, 2)]);
    await a.flush();
    await b.flush();
    storeA.add([traceOfSize(3, 2)]); // evicts trace 1 from A
    await a.flush();
    const after = new TraceStore();
    await loadSnapshot(after, file);
    assert.deepEqual([...after.traceIds()].sort(), [traceIdOf(2), traceIdOf(3), traceIdOf(11)]);

    // A third window loads all, then clears: what it loaded and dropped leaves the file; B still holds 11 and saves it again.
    const storeC = new TraceStore();
    const c = new StorePersistence(storeC, { path: file, writer: 'C', debounceMs: 60_000 });
    assert.equal((await c.load()).traces, 3);
    storeC.clear();
    await c.flush();
    const cleared = new TraceStore();
    assert.equal((await loadSnapshot(cleared, file)).traces, 0);
    storeB.add([traceOfSize(12, 1)]);
    await b.flush();
    const again = new TraceStore();
    await loadSnapshot(again, file);
    assert.deepEqual([...again.traceIds()].sort(), [traceIdOf(11), traceIdOf(12)]);
    for (const p of [a, b, c]) await p.dispose();
  });
});
