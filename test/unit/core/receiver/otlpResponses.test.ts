// The receiver's protobuf responses, written by hand, read back by protobufjs' generated code of the official protos.
import * as assert from 'node:assert/strict';
import generatedRoot from 'otlp-transformer-generated/build/src/generated/root.js';
import { exportResponse, statusBody } from '../../../../src/core/receiver/otlpResponses';

interface Codec {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options?: object): Record<string, unknown>;
}
const collector = (
  generatedRoot as unknown as {
    opentelemetry: { proto: { collector: { trace: { v1: Record<string, Codec> }; logs: { v1: Record<string, Codec> } } } };
  }
).opentelemetry.proto.collector;

function decode(codec: Codec, bytes: Buffer): Record<string, unknown> {
  return codec.toObject(codec.decode(bytes), { longs: Number, defaults: true });
}

describe('receiver responses', () => {
  const cases = [
    { rejected: 0, message: '' },
    { rejected: 3, message: '3 spans rejected: no trace id' },
    { rejected: 2 ** 40, message: 'ünïcode ✓' },
    { rejected: 0, message: 'a warning without a rejection' },
  ];

  it('ExportTraceServiceResponse and ExportLogsServiceResponse decode to what was meant', () => {
    for (const { rejected, message } of cases) {
      const traces = decode(
        collector.trace.v1.ExportTraceServiceResponse!,
        exportResponse('traces', 'protobuf', rejected, message),
      );
      const logs = decode(collector.logs.v1.ExportLogsServiceResponse!, exportResponse('logs', 'protobuf', rejected, message));
      if (rejected === 0 && message === '') {
        assert.equal(exportResponse('traces', 'protobuf', 0, '').length, 0, 'full success is the empty message');
        assert.equal(traces.partialSuccess, null);
        continue;
      }
      assert.deepEqual(traces.partialSuccess, { rejectedSpans: rejected, errorMessage: message });
      assert.deepEqual(logs.partialSuccess, { rejectedLogRecords: rejected, errorMessage: message });
    }
  });

  it('the JSON forms write int64 as decimal strings', () => {
    assert.deepEqual(JSON.parse(exportResponse('traces', 'json', 0, '').toString()), {});
    assert.deepEqual(JSON.parse(exportResponse('logs', 'json', 7, 'bad').toString()), {
      partialSuccess: { rejectedLogRecords: '7', errorMessage: 'bad' },
    });
  });

  it('google.rpc.Status: code as field 1, message as field 2', () => {
    const bytes = statusBody('protobuf', 8, 'too large ✗');
    assert.deepEqual([...bytes.subarray(0, 4)], [0x08, 8, 0x12, Buffer.byteLength('too large ✗')]);
    assert.equal(bytes.subarray(4).toString('utf8'), 'too large ✗');
    const long = statusBody('protobuf', 3, 'x'.repeat(300));
    assert.deepEqual([...long.subarray(0, 5)], [0x08, 3, 0x12, 0xac, 0x02], 'a two-byte length');
    assert.deepEqual(JSON.parse(statusBody('json', 3, 'no').toString()), { code: 3, message: 'no' });
  });
});
