import * as assert from 'node:assert/strict';
import { formatDuration } from '../../../src/core/formatDuration';

describe('formatDuration', () => {
  it('picks the largest unit that keeps the number at 1 or more, with three significant digits', () => {
    assert.equal(formatDuration(850), '850 µs');
    assert.equal(formatDuration(12.5), '12.5 µs');
    assert.equal(formatDuration(3_000), '3 ms');
    assert.equal(formatDuration(12_345), '12.3 ms');
    assert.equal(formatDuration(999_400), '999 ms');
    assert.equal(formatDuration(1_250_000), '1.25 s');
    assert.equal(formatDuration(59_400_000), '59.4 s');
  });

  it('switches to minutes and hours for long traces', () => {
    assert.equal(formatDuration(125_000_000), '2 min 5 s');
    assert.equal(formatDuration(120_000_000), '2 min');
    assert.equal(formatDuration(3_720_000_000), '1 h 2 min');
  });

  it('says plainly when there is nothing to measure or the value is unreadable', () => {
    assert.equal(formatDuration(0), '0 µs');
    assert.equal(formatDuration(0.2), '< 1 µs');
    assert.equal(formatDuration(Number.NaN), '–');
    assert.equal(formatDuration(-5), '–');
  });
});
