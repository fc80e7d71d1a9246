// POST /v1/logs: exception log records are kept and tied to their span; other log records are let go.
import * as assert from 'node:assert/strict';
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import { startReceiver, type Receiver } from '../../../../src/core/receiver/otlpReceiver';
import { json, request } from './rawHttp';

interface Codec {
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: object): object;
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options?: object): Record<string, unknown>;
}
const logsV1 = (generatedRoot as unknown as { opentelemetry: { proto: { collector: { logs: { v1: Record<string, Codec> } } } } })
  .opentelemetry.proto.collector.logs.v1;

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const STACK = 'TypeError: cart is undefined\n    at loadCart (/app/src/cart.ts:42:13)\n    at main (/app/src/index.ts:7:3)';

function attr(key: string, stringValue: string) {
  return { key, value: { stringValue } };
}

/** An ExportLogsServiceRequest as OTLP/JSON: one exception record, one plain log line, one exception without a trace. */
function logsDocument() {
  return {
    resourceLogs: [
      {
        resource: { attributes: [attr('service.name', 'cart')] },
        scopeLogs: [
          {
            scope: { name: 'app' },
            logRecords: [
              {
                timeUnixNano: '1735689600000123000',
                severityNumber: 17,
                severityText: 'ERROR',
                body: { stringValue: 'unhandled' },
                traceId: TRACE_ID,
                spanId: SPAN_ID,
                attributes: [
                  attr('exception.type', 'TypeError'),
                  attr('exception.message', 'cart is undefined'),
                  attr('exception.stacktrace', STACK),
                ],
              },
              {
                timeUnixNano: '1735689600000200000',
                severityText: 'INFO',
                body: { stringValue: 'cart loaded' },
                traceId: TRACE_ID,
                spanId: SPAN_ID,
              },
              { severityText: 'ERROR', attributes: [attr('exception.type', 'Error')] },
            ],
          },
        ],
      },
    ],
  };
}

describe('OTLP receiver: exception log records', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver({ port: 0 });
  });
  afterEach(async () => {
    await receiver.close();
  });

  function assertCorrelated(): void {
    const records = receiver.store.exceptionsFor(TRACE_ID, SPAN_ID);
    assert.equal(records.length, 1);
    assert.deepEqual(
      { ...records[0], attributes: undefined },
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        timeUs: 1735689600000123,
        service: 'cart',
        type: 'TypeError',
        message: 'cart is undefined',
        stacktrace: STACK,
        severity: 'ERROR',
        attributes: undefined,
      },
    );
    assert.equal(receiver.store.stats().exceptions, 1, 'the plain log line and the uncorrelated record are not kept');
  }

  it('keeps an OTLP/JSON exception record, correlated to its span', async () => {
    const res = await request(receiver.url, {
      path: '/v1/logs',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(logsDocument()),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), {});
    assertCorrelated();
  });

  it('keeps an OTLP/protobuf exception record, correlated to its span', async () => {
    const Request = logsV1.ExportLogsServiceRequest!;
    const doc = logsDocument();
    for (const rl of doc.resourceLogs) {
      for (const sl of rl.scopeLogs) {
        for (const r of sl.logRecords as Record<string, unknown>[]) {
          if (typeof r.traceId === 'string') r.traceId = Buffer.from(r.traceId, 'hex');
          if (typeof r.spanId === 'string') r.spanId = Buffer.from(r.spanId, 'hex');
        }
      }
    }
    const body = Buffer.from(Request.encode(Request.fromObject(doc)).finish());
    const res = await request(receiver.url, { path: '/v1/logs', headers: { 'content-type': 'application/x-protobuf' }, body });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assertCorrelated();
  });

  it('counts log records that are not records as rejected, in ExportLogsPartialSuccess', async () => {
    const doc = { resourceLogs: [{ scopeLogs: [{ logRecords: [42, { body: { stringValue: 'fine' } }] }] }] };
    const res = await request(receiver.url, {
      path: '/v1/logs',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    assert.equal(res.status, 200);
    const partial = (json(res) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } }).partialSuccess;
    assert.equal(partial.rejectedLogRecords, '1');
    assert.match(partial.errorMessage, /logRecords\[0\]: not an object/);
  });

  it('400 for a malformed logs body', async () => {
    const res = await request(receiver.url, {
      path: '/v1/logs',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from([0x0a, 0x7f]),
    });
    assert.equal(res.status, 400);
  });
});
