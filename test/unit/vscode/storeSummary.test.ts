import * as assert from 'node:assert/strict';
import type { StoreStats } from '../../../src/core/store/traceStore';
import { storeLines } from '../../../src/vscode/receiver/storeSummary';

const LIMITS = { maxSpans: 100_000, maxBytes: 256 * 1024 * 1024, attributeValueLengthLimit: 65_536 };

function stats(overrides: Partial<StoreStats> = {}): StoreStats {
  return {
    traces: 0,
    spans: 0,
    bytes: 0,
    evictedTraces: 0,
    evictedSpans: 0,
    evictedTracesForBytes: 0,
    truncatedValues: 0,
    evictedExceptions: 0,
    rejectedSpans: 0,
    duplicateSpans: 0,
    exceptions: 0,
    ...overrides,
  };
}

describe('store summary (status bar tooltip)', () => {
  it('says what the store holds against both limits, and what it evicted', () => {
    assert.deepEqual(storeLines(stats({ traces: 1, spans: 12, bytes: 7 * 1024 * 1024 }), LIMITS), [
      'Store: 1 trace, 12 spans of 100,000, 7.0 MB of 256 MB',
      'Evicted (oldest first, to stay within the limits): 0 traces, 0 spans',
      'Rejected: 0 spans',
    ]);
  });

  it('counts evictions for the size limit like those for the span limit, and what was cut or dropped', () => {
    const lines = storeLines(
      stats({
        traces: 40,
        spans: 40,
        bytes: 255.4 * 1024 * 1024,
        evictedTraces: 960,
        evictedSpans: 960,
        evictedTracesForBytes: 958,
        truncatedValues: 1000,
        evictedExceptions: 3,
      }),
      LIMITS,
      'http://127.0.0.1:4318',
    );
    assert.deepEqual(lines, [
      'Local receiver also listening on http://127.0.0.1:4318',
      'Store: 40 traces, 40 spans of 100,000, 255 MB of 256 MB',
      'Evicted (oldest first, to stay within the limits): 960 traces, 960 spans (958 traces for the size limit)',
      'Rejected: 0 spans',
      'Cut to 65,536 characters: 1,000 attribute values',
      'Exception records dropped (oldest first): 3',
    ]);
  });
});
