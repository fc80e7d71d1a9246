import * as assert from 'node:assert/strict';
import { summarize } from '../../../../src/core/model/assemble';
import { summarizeTrace } from '../../../../src/core/model/summary';
import type { Span, StatusCode } from '../../../../src/core/model/types';

function span(
  spanId: string,
  service: string,
  startUs: number,
  durationUs: number,
  parentSpanId?: string,
  status: StatusCode = 'unset',
): Span {
  return {
    traceId: 't1',
    spanId,
    parentSpanId,
    name: `op-${spanId}`,
    service,
    kind: 'internal',
    startUs,
    durationUs,
    status: { code: status },
    attributes: {},
    resource: {},
    events: [],
    links: [],
  };
}

describe('summarizeTrace', () => {
  it('names the earliest span without a parent as the root and counts spans and errors per service', () => {
    const trace = summarize('t1', [
      span('c', 'db', 150, 10, 'b', 'error'),
      span('b', 'api', 120, 50, 'a'),
      span('a', 'web', 100, 100),
      span('late-root', 'cron', 300, 5),
      span('d', 'db', 160, 5, 'b', 'error'),
    ]);
    assert.deepEqual(summarizeTrace(trace), {
      traceId: 't1',
      rootService: 'web',
      rootName: 'op-a',
      startUs: 100,
      durationUs: 205,
      spanCount: 5,
      errorCount: 2,
      services: [
        { name: 'db', spanCount: 2, errorCount: 2 },
        { name: 'api', spanCount: 1, errorCount: 0 },
        { name: 'web', spanCount: 1, errorCount: 0 },
        { name: 'cron', spanCount: 1, errorCount: 0 },
      ],
    });
  });

  it('takes the earliest span as the root of a fragment whose spans all name a parent', () => {
    const summary = summarizeTrace(summarize('t1', [span('b', 'api', 200, 5, 'x'), span('c', 'db', 150, 5, 'y')]));
    assert.equal(summary.rootService, 'db');
    assert.equal(summary.rootName, 'op-c');
  });

  it('summarises a trace without spans as empty', () => {
    const summary = summarizeTrace(summarize('t1', []));
    assert.equal(summary.spanCount, 0);
    assert.equal(summary.rootService, '');
    assert.deepEqual(summary.services, []);
  });
});
