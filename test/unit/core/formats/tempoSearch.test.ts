import * as assert from 'node:assert/strict';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { parseTempoSearch } from '../../../../src/core/formats/tempoSearch';
import { readSharedFixture } from '../../fixtures';

describe('parseTempoSearch', () => {
  it('reads the hits of a TraceQL search (search_bookinfo.json)', function () {
    const hits = parseTempoSearch(JSON.parse(readSharedFixture(this, 'tempo/search_bookinfo.json')));
    assert.deepEqual(hits, [
      {
        traceId: '100cb753c787ed5657c8d88dafc176ed',
        rootService: 'istio-ingressgateway.istio-system',
        rootName: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
        startUs: 1701778055570888,
        durationUs: 9000,
      },
    ]);
  });

  it('pads a trace id whose leading zeros were dropped and sums serviceStats, a missing errorCount being 0', () => {
    const [hit] = parseTempoSearch({
      traces: [
        {
          traceID: 'f9a7e9b4c0d1e2f30405060708090a0',
          rootServiceName: 'api',
          startTimeUnixNano: '1701778055570888123',
          durationMs: 12,
          serviceStats: { api: { spanCount: 3, errorCount: 1 }, db: { spanCount: 2 } },
        },
      ],
      metrics: { inspectedBytes: '100' },
    });
    assert.equal(hit!.traceId, '0f9a7e9b4c0d1e2f30405060708090a0');
    assert.equal(hit!.rootName, '');
    assert.equal(hit!.startUs, 1701778055570888 + 0.123); // exact µs, then the ns remainder
    assert.equal(hit!.spanCount, 5);
    assert.equal(hit!.errorCount, 1);
    assert.deepEqual(hit!.services, [
      { name: 'api', spanCount: 3, errorCount: 1 },
      { name: 'db', spanCount: 2, errorCount: 0 },
    ]);
  });

  it('says when the root span has not been received, as Tempo does', () => {
    const [hit] = parseTempoSearch({ traces: [{ traceID: 'ab', startTimeUnixNano: '1000' }] });
    assert.equal(hit!.rootService, '<root span not yet received>');
    assert.equal(hit!.durationUs, 0);
    assert.equal(hit!.spanCount, undefined);
  });

  it('reads an empty result, with or without the traces list', () => {
    assert.deepEqual(parseTempoSearch({ traces: [], metrics: {} }), []);
    assert.deepEqual(parseTempoSearch({ metrics: { completedJobs: 1 } }), []);
  });

  it('throws a TraceFormatError naming the hit without traceID, and for a document of another shape', () => {
    assert.throws(
      () => parseTempoSearch({ traces: [{ traceID: 'ab', startTimeUnixNano: '1' }, { rootServiceName: 'x' }] }),
      (e: unknown) => e instanceof TraceFormatError && e.format === 'tempo-search' && e.where === '$.traces[1].traceID',
    );
    assert.throws(() => parseTempoSearch({ data: [] }), /keys data/);
  });
});
