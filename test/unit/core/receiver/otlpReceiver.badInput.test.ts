// The receiver's answers to what an exporter should not send, and to browsers (CORS), over raw HTTP.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import { startReceiver, type Receiver } from '../../../../src/core/receiver/otlpReceiver';
import { json, request } from './rawHttp';

interface Codec {
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: object): object;
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options?: object): Record<string, unknown>;
}
const v1 = (generatedRoot as unknown as { opentelemetry: { proto: { collector: { trace: { v1: Record<string, Codec> } } } } })
  .opentelemetry.proto.collector.trace.v1;
const RequestCodec = v1.ExportTraceServiceRequest!;
const ResponseCodec = v1.ExportTraceServiceResponse!;

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const NOW_NS = '1735689600000000000';

function otlpSpan(spanId: string, traceId = TRACE_ID, name = 'op') {
  return { traceId, spanId, name, kind: 2, startTimeUnixNano: NOW_NS, endTimeUnixNano: '1735689600001000000' };
}

function jsonRequest(spans: object[]): string {
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw' } }] }, scopeSpans: [{ spans }] },
    ],
  });
}

function protoRequest(spans: { traceId: string; spanId: string; name: string }[]): Buffer {
  const message = RequestCodec.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw' } }] },
        scopeSpans: [
          {
            spans: spans.map((s) => ({
              ...s,
              traceId: Buffer.from(s.traceId, 'hex'),
              spanId: Buffer.from(s.spanId, 'hex'),
              startTimeUnixNano: NOW_NS,
              endTimeUnixNano: NOW_NS,
            })),
          },
        ],
      },
    ],
  });
  return Buffer.from(RequestCodec.encode(message).finish());
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const PROTO_HEADERS = { 'content-type': 'application/x-protobuf' };

describe('OTLP receiver: bad input and browsers', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver({ port: 0, maxBodyBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 });
  });
  after(async () => {
    await receiver.close();
  });
  beforeEach(() => receiver.store.clear());

  describe('accepted', () => {
    it('answers 200 with an empty ExportTraceServiceResponse in the request encoding', async () => {
      const j = await request(receiver.url, {
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: jsonRequest([otlpSpan('0000000000000001')]),
      });
      assert.equal(j.status, 200);
      assert.equal(j.headers['content-type'], 'application/json');
      assert.deepEqual(json(j), {});

      const p = await request(receiver.url, { headers: PROTO_HEADERS, body: protoRequest([otlpSpan('0000000000000002')]) });
      assert.equal(p.status, 200);
      assert.equal(p.headers['content-type'], 'application/x-protobuf');
      assert.equal(p.body.length, 0, 'an empty message');
      assert.equal(receiver.store.get(TRACE_ID)!.spans.length, 2);
    });

    it('takes an empty request, and a path with a trailing slash or query', async () => {
      assert.equal((await request(receiver.url, { headers: JSON_HEADERS, body: '{}' })).status, 200);
      assert.equal(
        (await request(receiver.url, { path: '/v1/traces/?x=1', headers: PROTO_HEADERS, body: Buffer.alloc(0) })).status,
        200,
      );
    });

    it('reports spans without ids as a partial success, keeping the rest (JSON)', async () => {
      const res = await request(receiver.url, {
        headers: JSON_HEADERS,
        body: jsonRequest([otlpSpan('0000000000000001'), otlpSpan('0000000000000002', ''), otlpSpan('', TRACE_ID)]),
      });
      assert.equal(res.status, 200);
      const body = json(res) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
      assert.equal(body.partialSuccess.rejectedSpans, '2');
      assert.match(body.partialSuccess.errorMessage, /2 spans rejected: .*spans\[1\]: no trace id.*spans\[2\]: no span id/);
      assert.equal(receiver.store.get(TRACE_ID)!.spans.length, 1);
      assert.equal(receiver.store.stats().rejectedSpans, 2);
      assert.deepEqual(
        receiver.store.get(TRACE_ID)!.warnings.filter((w) => /no trace id/.test(w)),
        [],
        'not pinned on an unrelated trace',
      );
    });

    it('reports rejected spans in a protobuf ExportTracePartialSuccess, even when all are rejected', async () => {
      const res = await request(receiver.url, {
        headers: PROTO_HEADERS,
        body: protoRequest([{ traceId: '', spanId: '0000000000000001', name: 'a' }]),
      });
      assert.equal(res.status, 200);
      const decoded = ResponseCodec.toObject(ResponseCodec.decode(res.body), { longs: Number }) as {
        partialSuccess: { rejectedSpans: number; errorMessage: string };
      };
      assert.equal(decoded.partialSuccess.rejectedSpans, 1);
      assert.match(decoded.partialSuccess.errorMessage, /no trace id/);
      assert.equal(receiver.store.stats().traces, 0);
    });
  });

  describe('refused', () => {
    it('400 for a malformed body, with a google.rpc.Status in the request encoding', async () => {
      const j = await request(receiver.url, { headers: JSON_HEADERS, body: '{"resourceSpans": [' });
      assert.equal(j.status, 400);
      const status = json(j) as { code: number; message: string };
      assert.equal(status.code, 3);
      assert.match(status.message, /invalid JSON/);

      const notArray = await request(receiver.url, { headers: JSON_HEADERS, body: '{"resourceSpans": 7}' });
      assert.equal(notArray.status, 400);

      const p = await request(receiver.url, { headers: PROTO_HEADERS, body: Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]) });
      assert.equal(p.status, 400);
      assert.equal(p.headers['content-type'], 'application/x-protobuf');
      // google.rpc.Status: field 1 (code) = 3, then field 2 (message)
      assert.deepEqual([...p.body.subarray(0, 3)], [0x08, 3, 0x12]);
      assert.match(p.body.toString('latin1'), /otlp-proto document at byte 1: a field of 32767 bytes runs past the end/);
    });

    it('400 for a body that says gzip but is not', async () => {
      const res = await request(receiver.url, { headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: '{}' });
      assert.equal(res.status, 400);
      assert.match((json(res) as { message: string }).message, /not valid gzip/);
    });

    it('413 for a body over the size limit, by its Content-Length or as it streams in', async () => {
      const big = Buffer.alloc(200 * 1024, 0x20);
      const declared = await request(receiver.url, { headers: JSON_HEADERS, body: big });
      assert.equal(declared.status, 413);
      assert.equal((json(declared) as { code: number }).code, 8);

      const chunked = await request(receiver.url, { headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' }, body: big });
      assert.equal(chunked.status, 413);
    });

    it('413 for a gzip bomb, which is never inflated whole', async () => {
      const bomb = zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
      assert.ok(bomb.length < 64 * 1024, 'the bomb itself passes the raw limit');
      const res = await request(receiver.url, { headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body: bomb });
      assert.equal(res.status, 413);
      assert.match((json(res) as { message: string }).message, /inflates to more than 262144 bytes/);
    });

    it('415 for another content type or content encoding', async () => {
      const text = await request(receiver.url, { headers: { 'content-type': 'text/plain' }, body: 'hello' });
      assert.equal(text.status, 415);
      assert.match((json(text) as { message: string }).message, /application\/x-protobuf or application\/json/);
      assert.equal((await request(receiver.url, { body: '{}' })).status, 415, 'no content type');
      const br = await request(receiver.url, { headers: { ...JSON_HEADERS, 'content-encoding': 'br' }, body: '{}' });
      assert.equal(br.status, 415);
    });

    it('405 for other methods, naming the allowed ones', async () => {
      const res = await request(receiver.url, { method: 'GET' });
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'POST, OPTIONS');
      assert.equal((await request(receiver.url, { method: 'PUT', headers: JSON_HEADERS, body: '{}' })).status, 405);
    });

    it('404 for other paths', async () => {
      const res = await request(receiver.url, { path: '/v1/metrics', headers: JSON_HEADERS, body: '{}' });
      assert.equal(res.status, 404);
      assert.match((json(res) as { message: string }).message, /\/v1\/metrics/);
      assert.equal((await request(receiver.url, { path: '/', method: 'GET' })).status, 404);
    });

    it('keeps serving after every bad request', async () => {
      const res = await request(receiver.url, { headers: JSON_HEADERS, body: jsonRequest([otlpSpan('00000000000000aa')]) });
      assert.equal(res.status, 200);
      assert.ok(receiver.store.get(TRACE_ID));
    });
  });

  describe('CORS', () => {
    it('is off by default: a browser preflight or post is refused without CORS headers', async () => {
      const preflight = await request(receiver.url, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers['access-control-allow-origin'], undefined);
      assert.match((json(preflight) as { message: string }).message, /no CORS origins are configured/);
      const post = await request(receiver.url, {
        headers: { ...JSON_HEADERS, origin: 'http://localhost:3000' },
        body: jsonRequest([otlpSpan('0000000000000001')]),
      });
      assert.equal(post.status, 403);
      assert.equal(receiver.store.stats().spans, 0);
    });

    it('answers preflights and posts from a configured origin only', async () => {
      const cors = await startReceiver({ port: 0, corsOrigins: ['http://localhost:3000'] });
      try {
        const preflight = await request(cors.url, {
          method: 'OPTIONS',
          headers: {
            origin: 'http://localhost:3000',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'x-custom',
          },
        });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:3000');
        assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
        assert.match(String(preflight.headers['access-control-allow-headers']), /content-type.*x-custom/);

        const post = await request(cors.url, {
          headers: { ...JSON_HEADERS, origin: 'http://localhost:3000' },
          body: jsonRequest([otlpSpan('0000000000000001')]),
        });
        assert.equal(post.status, 200);
        assert.equal(post.headers['access-control-allow-origin'], 'http://localhost:3000');
        assert.equal(cors.store.stats().spans, 1);

        const other = await request(cors.url, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
        assert.equal(other.status, 403);
        assert.equal(other.headers['access-control-allow-origin'], undefined);
      } finally {
        await cors.close();
      }
    });
  });
});
