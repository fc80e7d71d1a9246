// The receiver under many large requests at once: a receive budget shared by all of them, 429 with Retry-After
// past it, large bodies read a slice at a time, and nothing kept from a body that turns out malformed.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { ReceiveBudget } from '../../../../src/core/receiver/receiveBudget';
import { startReceiver, type Receiver } from '../../../../src/core/receiver/otlpReceiver';
import { generateTrace, toOtlpJson, toOtlpProto } from '../../../fixtures/generateTraces';
import { json, request } from './rawHttp';

const MiB = 1024 * 1024;
const JSON_GZIP = { 'content-type': 'application/json', 'content-encoding': 'gzip' };

/** An OTLP/JSON request of one span whose attribute is `bytes` long: gzip makes it tiny. */
function floodBody(n: number, bytes: number): Buffer {
  const head = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${n.toString(16).padStart(32, '0')}","spanId":"0000000000000001","name":"flood","startTimeUnixNano":"1735689600000000000","endTimeUnixNano":"1735689600001000000","attributes":[{"key":"payload","value":{"stringValue":"`;
  return zlib.gzipSync(Buffer.concat([Buffer.from(head), Buffer.alloc(bytes, 'a'), Buffer.from('"}}]}]}]}]}')]), { level: 1 });
}

function smallBody(n: number): string {
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: (0xabc000 + n).toString(16).padStart(32, '0'),
                spanId: '0000000000000001',
                name: 'normal',
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

describe('OTLP receiver: receive budget and large bodies', () => {
  let receiver: Receiver;
  let budget: ReceiveBudget;
  /** a 512-span trace: 225 KB in protobuf, 476 KB in JSON, more than one read slice */
  const trace = generateTrace(512, 5);
  const protoBody = Buffer.from(toOtlpProto(trace));
  beforeEach(async () => {
    budget = new ReceiveBudget({ capacity: 24 * MiB, largeRequestBytes: 1 * MiB, reservedForSmall: 4 * MiB });
    receiver = await startReceiver({ port: 0, budget, maxDecompressedBytes: 8 * MiB });
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('answers 429 with Retry-After to inflating uploads past the budget, while small requests still get through', async () => {
    const attack = Array.from({ length: 12 }, (_, i) =>
      request(receiver.url, { headers: JSON_GZIP, body: floodBody(i + 1, 7 * MiB) }),
    );
    const normal = Array.from({ length: 12 }, (_, i) =>
      request(receiver.url, { headers: { 'content-type': 'application/json' }, body: smallBody(i) }),
    );
    const [attacked, served] = await Promise.all([Promise.all(attack), Promise.all(normal)]);
    const refused = attacked.filter((r) => r.status === 429);
    assert.ok(refused.length >= 6, `${refused.length} of 12 uploads refused`);
    assert.ok(
      attacked.some((r) => r.status === 200),
      'some uploads are taken',
    );
    assert.equal(attacked.filter((r) => r.status !== 200 && r.status !== 429).length, 0);
    for (const r of refused) {
      assert.equal(r.headers['retry-after'], '2');
      assert.match((json(r) as { message: string }).message, /busy with other large requests.*retry after 2 s/);
    }
    assert.deepEqual(
      served.map((r) => r.status),
      Array(12).fill(200),
      'every small request was served',
    );
    assert.equal(budget.inUse, 0, 'every request gave its share back');

    const retried = await request(receiver.url, { headers: JSON_GZIP, body: floodBody(1, 7 * MiB) });
    assert.equal(retried.status, 200, 'a refused upload sent again alone is taken');
  });

  it('refuses a body whose gzip trailer says it inflates past the limit without inflating it', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(9 * MiB, ' '), { level: 9 });
    const res = await request(receiver.url, { headers: JSON_GZIP, body: bomb });
    assert.equal(res.status, 413);
    assert.match((json(res) as { message: string }).message, /gzip trailer says 9437184/);
  });

  it('bounds a body whose gzip trailer lies about its size', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(9 * MiB, ' '), { level: 9 });
    bomb.writeUInt32LE(100, bomb.length - 4);
    const res = await request(receiver.url, { headers: JSON_GZIP, body: bomb });
    assert.ok(res.status === 413 || res.status === 400, `${res.status}`);
    assert.equal(budget.inUse, 0);
  });

  it('answers 429 before reading a body whose declared length the budget cannot take, and closes the connection', async () => {
    const small = new ReceiveBudget({ capacity: 2 * MiB, largeRequestBytes: 256 * 1024, reservedForSmall: 512 * 1024 });
    const tight = await startReceiver({ port: 0, budget: small });
    try {
      const res = await request(tight.url, { headers: { 'content-type': 'application/json' }, body: Buffer.alloc(3 * MiB, ' ') });
      assert.equal(res.status, 429);
      assert.equal(res.headers.connection, 'close');
      const chunked = await request(tight.url, {
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: Buffer.alloc(3 * MiB, ' '),
      });
      assert.equal(chunked.status, 429);
      assert.equal(small.inUse, 0);
    } finally {
      await tight.close();
    }
  });

  it('lets other work run while it reads and stores a large body', async () => {
    const body = Buffer.concat(Array.from({ length: 12 }, () => protoBody)); // 6,144 spans, 2.7 MB
    let turns = 0;
    let running = true;
    const spin = (): void => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const res = await request(receiver.url, { headers: { 'content-type': 'application/x-protobuf' }, body });
    running = false;
    assert.equal(res.status, 200);
    assert.equal(receiver.store.stats().spans, 512, 'the 12 copies of one trace are one trace');
    assert.ok(turns > 10, `the event loop turned ${turns} times meanwhile`);
  });

  it('keeps nothing from a large body that is malformed at its end, in either encoding', async () => {
    const proto = Buffer.concat([protoBody, protoBody, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])]);
    const p = await request(receiver.url, { headers: { 'content-type': 'application/x-protobuf' }, body: proto });
    assert.equal(p.status, 400);
    const text = toOtlpJson(trace);
    const j = await request(receiver.url, { headers: { 'content-type': 'application/json' }, body: `${text.slice(0, -2)},}` });
    assert.equal(j.status, 400);
    assert.match((json(j) as { message: string }).message, /invalid JSON/);
    assert.equal(receiver.store.stats().spans, 0);
    assert.equal(budget.inUse, 0);
  });

  it('reads a JSON body of several slices to the same spans as the protobuf one', async () => {
    const res = await request(receiver.url, { headers: { 'content-type': 'application/json' }, body: toOtlpJson(trace) });
    assert.equal(res.status, 200);
    const fromJson = receiver.store.get(trace.traceId)!;
    receiver.store.clear();
    await request(receiver.url, { headers: { 'content-type': 'application/x-protobuf' }, body: protoBody });
    assert.deepEqual(fromJson.spans, receiver.store.get(trace.traceId)!.spans);
  });
});
