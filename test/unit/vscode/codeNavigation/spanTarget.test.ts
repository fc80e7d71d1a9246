import * as assert from 'node:assert/strict';
import type { Trace } from '../../../../src/core/model/types';
import { readSpanTarget } from '../../../../src/vscode/codeNavigation/spanTarget';
import { span } from '../../core/codeLocation/spans';

const trace: Trace = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spans: [span(), { ...span(), spanId: '00f067aa0ba902b7' }],
  services: ['cart'],
  startUs: 0,
  durationUs: 0,
  warnings: [],
};

describe('readSpanTarget (the argument of goToCode and explainSpan)', () => {
  it('accepts { trace, spanIndex } and { trace, spanId }', () => {
    assert.deepEqual(readSpanTarget({ trace, spanIndex: 1 }), { trace, spanIndex: 1 });
    assert.deepEqual(readSpanTarget({ trace, spanId: '00f067aa0ba902b7' }), { trace, spanIndex: 1 });
  });

  it('refuses what names no span: no argument (the palette), a bad index, an unknown id, a non-trace', () => {
    for (const arg of [
      undefined,
      null,
      'x',
      { trace },
      { trace, spanIndex: 2 },
      { trace, spanIndex: -1 },
      { trace, spanIndex: 0.5 },
    ]) {
      assert.equal(readSpanTarget(arg), undefined, JSON.stringify(arg));
    }
    assert.equal(readSpanTarget({ trace, spanId: 'nope' }), undefined);
    assert.equal(readSpanTarget({ trace: { traceId: 'x', spans: 'no' }, spanIndex: 0 }), undefined);
  });
});
