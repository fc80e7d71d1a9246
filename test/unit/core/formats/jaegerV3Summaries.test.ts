import * as assert from 'node:assert/strict';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseJaegerV3Summaries } from '../../../../src/core/formats/jaegerV3Summaries';
import { readSharedFixture } from '../../fixtures';

describe('parseJaegerV3Summaries', () => {
  it('reads the api_v3 trace-summaries snapshot: root, times in µs, span and error counts per service', function () {
    const summaries = parseJaegerV3Summaries(JSON.parse(readSharedFixture(this, 'jaeger-v3/FindTraceSummaries.json')));
    assert.deepEqual(summaries, [
      {
        traceId: '00000000000000000000000000000001',
        rootService: 'frontend',
        rootName: 'HTTP GET /',
        startUs: 1_000_000_000,
        durationUs: 1_000_000,
        spanCount: 2,
        errorCount: 1,
        services: [{ name: 'frontend', spanCount: 2, errorCount: 1 }],
      },
    ]);
  });

  it('reads base64 trace ids, int64 counts written as strings, and omitted zero counts', () => {
    const [summary] = parseJaegerV3Summaries({
      summaries: [
        {
          traceId: 'AAAAAAAAAJYAAAAAAAAAoA==',
          rootServiceName: 'api',
          rootOperationName: 'GET /',
          minStartTimeUnixNano: '1700000000000000000',
          maxEndTimeUnixNano: '1700000000250000500',
          spanCount: '12',
          services: [{ name: 'api', spanCount: '12' }],
        },
      ],
    });
    assert.equal(summary!.traceId, '000000000000009600000000000000a0');
    assert.equal(summary!.startUs, 1_700_000_000_000_000);
    assert.equal(summary!.durationUs, 250_000.5);
    assert.equal(summary!.spanCount, 12);
    assert.equal(summary!.errorCount, 0);
    assert.deepEqual(summary!.services, [{ name: 'api', spanCount: 12, errorCount: 0 }]);
  });

  it('leaves out summaries without a trace id and keeps the rest', () => {
    const summaries = parseJaegerV3Summaries({ summaries: [{ rootServiceName: 'x' }, { traceId: '0000000000000001' }, 'junk'] });
    assert.deepEqual(
      summaries.map((s) => s.traceId),
      ['00000000000000000000000000000001'],
    );
    assert.equal(summaries[0]!.rootService, 'unknown_service');
  });

  it('reads an empty body (protojson omits an empty list) as no summaries', () => {
    assert.deepEqual(parseJaegerV3Summaries({}), []);
    assert.deepEqual(parseJaegerV3Summaries({ summaries: [] }), []);
  });

  it('rejects a body of another shape, or one whose summaries are all unusable', () => {
    for (const body of [null, [], 'summaries', { summaries: {} }]) {
      assert.throws(
        () => parseJaegerV3Summaries(body),
        (e: unknown) => e instanceof TraceFormatError && e.format === 'jaeger-v3' && e.where === '$',
      );
    }
    assert.throws(
      () => parseJaegerV3Summaries({ summaries: [{ traceId: 7 }] }),
      (e: unknown) => e instanceof TraceFormatError && e.where === '$.summaries[0]',
    );
  });
});
