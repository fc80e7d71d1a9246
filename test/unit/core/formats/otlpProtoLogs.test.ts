// The hand-written OTLP log protobuf reader against the reference: protobufjs' generated decoder + the shared value readers.
import * as assert from 'node:assert/strict';
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { otlpProtoLogReader, type OtlpLogRecord } from '../../../../src/core/formats/otlpProtoLogs';
import { readAnyValue, readAttributes, readNanos, readSpanId, readTraceId } from '../../../../src/core/formats/otlpValues';
import { stringAttribute } from '../../../../src/core/model/attributes';

interface Codec {
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: object): object;
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options?: object): Record<string, unknown>;
}
const LogsRequest = (
  generatedRoot as unknown as { opentelemetry: { proto: { collector: { logs: { v1: Record<string, Codec> } } } } }
).opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest!;

type Raw = Record<string, unknown>;

/** What the reader hands out, with each record's path. */
function readDirect(bytes: Uint8Array, sliceBytes = Infinity): [OtlpLogRecord, string][] {
  const out: [OtlpLogRecord, string][] = [];
  const reader = otlpProtoLogReader(bytes, (record, where) => out.push([record, where]));
  while (!reader.step(sliceBytes));
  return out;
}

/** The same read through protobufjs' decoder and the readers the JSON path uses. */
function readReference(bytes: Uint8Array): [OtlpLogRecord, string][] {
  const doc = LogsRequest.toObject(LogsRequest.decode(bytes), { longs: String, defaults: false }) as Raw;
  const out: [OtlpLogRecord, string][] = [];
  ((doc.resourceLogs ?? []) as Raw[]).forEach((rl, r) => {
    const resource = readAttributes((rl.resource as Raw | undefined)?.attributes);
    const service = stringAttribute(resource, 'service.name') || 'unknown_service';
    ((rl.scopeLogs ?? []) as Raw[]).forEach((sl, s) => {
      ((sl.logRecords ?? []) as Raw[]).forEach((record, k) => {
        out.push([
          {
            service,
            timeUs: readNanos(record.timeUnixNano),
            observedTimeUs: readNanos(record.observedTimeUnixNano),
            severityText: typeof record.severityText === 'string' ? record.severityText : '',
            body: readAnyValue(record.body),
            attributes: readAttributes(record.attributes),
            traceId: readTraceId(record.traceId),
            spanId: readSpanId(record.spanId),
          },
          `$.resourceLogs[${r}].scopeLogs[${s}].logRecords[${k}]`,
        ]);
      });
    });
  });
  return out;
}

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const kv = (key: string, value: object): object => ({ key, value });

function encode(doc: object): Uint8Array {
  return LogsRequest.encode(LogsRequest.fromObject(doc)).finish();
}

function exceptionRecord(n: number): object {
  return {
    timeUnixNano: String(1_700_000_000_123_456_789n + BigInt(n)),
    observedTimeUnixNano: '1700000000200000000',
    severityNumber: 17,
    severityText: 'ERROR',
    body: { stringValue: `payment ${n} failed` },
    attributes: [
      kv('exception.type', { stringValue: 'TimeoutError' }),
      kv('exception.stacktrace', { stringValue: `TimeoutError: late\n    at pay (src/pay.ts:${n}:5)` }),
      kv('attempt', { intValue: String(n) }),
      kv('nested', { kvlistValue: { values: [kv('ok', { boolValue: true }), kv('ratio', { doubleValue: 0.5 })] } }),
      kv('raw', { bytesValue: b64('00ff10') }),
    ],
    traceId: b64('5b8efff798038103d269b633813fc60c'),
    spanId: b64('eee19b7ec3c1b174'),
    flags: 1,
    eventName: 'exception',
  };
}

describe('otlpProtoLogReader', () => {
  it('reads what protobufjs + the shared value readers read, resources and scopes included', () => {
    const bytes = encode({
      resourceLogs: [
        {
          resource: { attributes: [kv('service.name', { stringValue: 'checkout' })] },
          scopeLogs: [
            { scope: { name: 'logger' }, logRecords: [exceptionRecord(1), { body: { stringValue: 'plain' } }] },
            { logRecords: [exceptionRecord(2), {}] },
          ],
        },
        { scopeLogs: [{ logRecords: [exceptionRecord(3), { timeUnixNano: '11651379494838206464', traceId: b64('ab') }] }] },
      ],
    });
    const direct = readDirect(bytes);
    assert.deepStrictEqual(direct, readReference(bytes));
    assert.equal(direct.length, 6);
    const [first, where] = direct[0]!;
    assert.equal(where, '$.resourceLogs[0].scopeLogs[0].logRecords[0]');
    assert.equal(first.service, 'checkout');
    assert.equal(first.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(first.attributes['exception.type'], 'TimeoutError');
    assert.equal(direct[4]![0].service, 'unknown_service');
    assert.ok(Number.isNaN(direct[5]![0].timeUs), 'a time beyond 2^63 ns is unreadable, not huge');
  });

  it('reads the same in slices of any size as in one go', () => {
    const bytes = encode({
      resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 30 }, (_, i) => exceptionRecord(i)) }] }],
    });
    const whole = readDirect(bytes);
    for (const slice of [1, 50, 1000]) assert.deepStrictEqual(readDirect(bytes, slice), whole, `slices of ${slice} bytes`);
  });

  it('fails with a TraceFormatError naming the byte on a truncated or corrupted body', () => {
    const bytes = encode({ resourceLogs: [{ scopeLogs: [{ logRecords: [exceptionRecord(1)] }] }] });
    for (let cut = 1; cut < bytes.length; cut++) {
      try {
        readDirect(bytes.subarray(0, cut));
      } catch (e) {
        assert.ok(e instanceof TraceFormatError, `cut at ${cut}: ${String(e)}`);
        assert.match(e.where, /^byte \d+$/);
      }
    }
    assert.throws(() => readDirect(new Uint8Array([0x0a, 0xff])), TraceFormatError);
  });
});
