import * as assert from 'node:assert/strict';
import { clampWindow, formatDuration, panWindow, parseDuration, tickStep, ticks, zoomWindow } from '../../../webview/timeScale';
import { decodeBitset, encodeBitset } from '../../../webview/bitset';
import { isWebUrl, sizeLabel } from '../../../webview/detailPane';

describe('timeScale', () => {
  it('picks 1-2-5 steps at least the minimum spacing apart', () => {
    assert.equal(tickStep(1_000_000, 1000, 80), 100_000);
    assert.equal(tickStep(1_000, 1000, 80), 100);
    assert.deepEqual(ticks(0, 1000, 1000, 200), [0, 200, 400, 600, 800, 1000]);
  });

  it('formats durations short', () => {
    assert.deepEqual([0, 0.5, 850, 12_345, 1_250_000, 125_000_000].map(formatDuration), [
      '0',
      '500ns',
      '850µs',
      '12.3ms',
      '1.25s',
      '2m 5s',
    ]);
  });

  it('zooms around the anchor and stays inside the trace', () => {
    assert.deepEqual(zoomWindow({ startUs: 0, endUs: 1000 }, 0.5, 500, 1000), { startUs: 250, endUs: 750 });
    assert.deepEqual(zoomWindow({ startUs: 0, endUs: 1000 }, 0.5, 0, 1000), { startUs: 0, endUs: 500 });
    assert.deepEqual(zoomWindow({ startUs: 0, endUs: 1000 }, 4, 500, 1000), { startUs: 0, endUs: 1000 });
    assert.deepEqual(panWindow({ startUs: 0, endUs: 500 }, 800, 1000), { startUs: 500, endUs: 1000 });
    assert.deepEqual(clampWindow({ startUs: -50, endUs: 50 }, 1000), { startUs: 0, endUs: 100 });
  });
});

describe('waterfall helpers', () => {
  it('round-trips a bitset of collapsed rows', () => {
    const bits = new Uint8Array(100_001);
    bits[0] = bits[7] = bits[8] = bits[100_000] = 1;
    assert.deepEqual(decodeBitset(encodeBitset(bits), bits.length), bits);
    assert.deepEqual(decodeBitset('not base64!!', 4), new Uint8Array(4));
  });

  it('makes links only of whole http(s) URLs', () => {
    assert.equal(isWebUrl('https://example.com/a?b=1'), true);
    assert.equal(isWebUrl('javascript:alert(1)'), false);
    assert.equal(isWebUrl('JaVaScRiPt:alert(1)//https://x'), false);
    assert.equal(isWebUrl('see https://example.com'), false);
    assert.equal(isWebUrl('data:text/html,hi'), false);
  });

  it('reads thresholds and sizes as people write them', () => {
    assert.equal(parseDuration('1ms'), 1000);
    assert.equal(parseDuration('250us'), 250);
    assert.equal(parseDuration('2'), 2000);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(sizeLabel(1_048_576), '1.0 MB');
  });
});
