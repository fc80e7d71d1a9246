import * as assert from 'node:assert/strict';
import { nanosToMicros, toMicros } from '../../../../src/core/model/time';

describe('time', () => {
  it('converts nanosecond strings beyond 2^53 exactly to microseconds', () => {
    // 1706678909209712.345 µs: the sub-microsecond part survives within a double's ulp at this magnitude
    assert.ok(Math.abs(nanosToMicros('1706678909209712345') - 1706678909209712) - 0.345 < 0.25);
    assert.equal(nanosToMicros('1706678909209712000'), 1706678909209712);
    assert.equal(nanosToMicros('1000'), 1);
    assert.equal(nanosToMicros('0'), 0);
    assert.equal(nanosToMicros(''), 0);
    assert.equal(nanosToMicros(undefined), 0);
  });

  it('flags values beyond 2^63 (Go zero time as uint64) and non-numbers as NaN', () => {
    assert.ok(Number.isNaN(nanosToMicros('11651379494838206464')));
    assert.ok(Number.isNaN(nanosToMicros('9223372036854775808')));
    assert.ok(!Number.isNaN(nanosToMicros('9223372036854775807')));
    assert.ok(Number.isNaN(nanosToMicros('12ab')));
    assert.ok(Number.isNaN(nanosToMicros('-5')));
    assert.ok(Number.isNaN(nanosToMicros(-5)));
  });

  it('treats a number of nanoseconds beyond 2^63 like the same value written as text', () => {
    for (const [number, text] of [
      [1e308, '1' + '0'.repeat(308)],
      [2 ** 63, '9223372036854775808'],
      [11651379494838206464, '11651379494838206464'],
    ] as const) {
      assert.ok(Number.isNaN(nanosToMicros(text)), text);
      assert.ok(Number.isNaN(nanosToMicros(number)), String(number));
    }
    assert.equal(nanosToMicros(1_500_000), nanosToMicros('1500000'));
    assert.ok(Number.isNaN(nanosToMicros(Infinity)));
    assert.ok(Number.isNaN(nanosToMicros(Number.NaN)));
  });

  it('reads bigint and Long halves', () => {
    assert.equal(nanosToMicros(1706678909209712000n), 1706678909209712);
    const ns = 1706678909209712000n;
    const long = { low: Number(ns & 0xffffffffn) | 0, high: Number(ns >> 32n) | 0 };
    assert.equal(nanosToMicros(long), 1706678909209712);
    const odd = 1706678909209712345n; // a Long must give the same as the same time written as a string
    assert.equal(
      nanosToMicros({ low: Number(odd & 0xffffffffn) | 0, high: Number(odd >> 32n) | 0 }),
      nanosToMicros(odd.toString()),
    );
    assert.ok(Number.isNaN(nanosToMicros({ low: 0, high: -1 })));
  });

  it('reads microseconds from numbers and decimal strings only, so that odd values are reported, not read as the epoch', () => {
    assert.equal(toMicros(1706678909209712), 1706678909209712);
    assert.equal(toMicros('1706678909209712'), 1706678909209712);
    assert.equal(toMicros(undefined), 0);
    assert.equal(toMicros(-5), -5);
    for (const odd of ['', ' ', '0x10', '1e3', Infinity, {}, true]) assert.ok(Number.isNaN(toMicros(odd)), String(odd));
  });
});
