import * as assert from 'node:assert/strict';
import {
  compileLensFormat,
  DEFAULT_LENS_FORMAT,
  formatAge,
  formatCount,
  formatLatency,
  formatPercent,
  formatRate,
} from '../../../../src/core/stats/formatStats';
import { summaryOf } from './statsBuilders';

describe('formatStats', () => {
  it('writes durations as everywhere else: the unit people read them in, three significant digits', () => {
    assert.deepEqual([0, 0.4, 850, 12_345, 80_400, 999_000, 1_250_000, 95_000_000, 7_200_000_000].map(formatLatency), [
      '0 µs',
      '< 1 µs',
      '850 µs',
      '12.3 ms',
      '80.4 ms',
      '999 ms',
      '1.25 s',
      '1 min 35 s',
      '2 h',
    ]);
    assert.equal(formatLatency(Number.NaN), '–');
  });

  it('writes counts short', () => {
    assert.deepEqual([0, 950, 1_234, 12_345, 999_499, 999_500, 1_250_000].map(formatCount), [
      '0',
      '950',
      '1.2k',
      '12k',
      '999k',
      '1M',
      '1.3M',
    ]);
  });

  it('writes error rates without false precision, and never rounds a failure down to 0%', () => {
    assert.deepEqual([0, 0.0004, 0.031, 0.0995, 0.125, 1].map(formatPercent), ['0%', '<0.1%', '3.1%', '10%', '13%', '100%']);
  });

  it('writes throughput per minute, or per second when busy', () => {
    assert.deepEqual([0.2, 12, 600].map(formatRate), ['0.2/min', '12/min', '10/s']);
  });

  it('writes how long ago', () => {
    const now = 1_000_000_000_000;
    assert.equal(formatAge(now - 2_000_000, now), 'just now');
    assert.equal(formatAge(now - 12 * 60_000_000, now), '12 min ago');
    assert.equal(formatAge(now - 3 * 3_600_000_000, now), '3 h ago');
  });

  it('renders the default lens as the issue shows it', () => {
    assert.equal(compileLensFormat(DEFAULT_LENS_FORMAT)(summaryOf()), 'p50 12 ms · p95 80.4 ms · 1.2k calls · 3.1% errors');
  });

  it('renders any template, leaving unknown variables as written', () => {
    const format = compileLensFormat('${rate} · max ${max} · ${nope} · p99 ${p99}');
    assert.equal(format(summaryOf()), '21/min · max 1.25 s · ${nope} · p99 230 ms');
    assert.equal(compileLensFormat('no variables')(summaryOf()), 'no variables');
  });
});
