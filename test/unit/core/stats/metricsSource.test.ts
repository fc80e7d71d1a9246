import * as assert from 'node:assert/strict';
import type { Span } from '../../../../src/core/model/types';
import { LocationResolver } from '../../../../src/core/stats/locationResolver';
import { metricsSummaries, spanKindFromName, type RemoteLocationMetric } from '../../../../src/core/stats/metricsSource';

const SOURCE = { kind: 'metrics', backend: 'Production', system: 'Jaeger', method: 'SPM metrics', estimated: true } as const;

function metric(overrides: Partial<RemoteLocationMetric>): RemoteLocationMetric {
  return { p50Us: 1000, p90Us: 2000, p95Us: 3000, p99Us: 4000, count: 10, errors: 1, ...overrides };
}

describe('metricsSummaries', () => {
  it('places a metric by span name through the same locator as spans, handing it the name, service and kind', () => {
    const seen: Span[] = [];
    const resolver = new LocationResolver((span) => {
      seen.push(span);
      return span.name === 'charge card' && span.service === 'payments'
        ? [{ file: 'src/payments.js', line: 19, function: 'chargeCard', confidence: 0.8, reason: 'span name "charge card"' }]
        : [];
    });
    const [s, ...rest] = metricsSummaries(
      [
        metric({ spanName: 'charge card', service: 'payments', count: 120 }),
        metric({ spanName: 'GET /orders/{id}', service: 'shop', spanKind: 'server' }),
      ],
      resolver.resolver,
      SOURCE,
      60,
    );
    assert.deepEqual(rest, [], 'what the locator cannot place is left out');
    assert.deepEqual(
      seen.map((span) => [span.name, span.service, span.kind, Object.keys(span.attributes).length]),
      [
        ['charge card', 'payments', 'unspecified', 0],
        ['GET /orders/{id}', 'shop', 'server', 0],
      ],
    );
    assert.deepEqual(
      [s?.key, s?.lines, s?.count, s?.perMinute, s?.reason],
      [
        { file: 'src/payments.js', line: 19, function: 'chargeCard', span: 'charge card' },
        [19],
        120,
        2,
        'span name "charge card"',
      ],
    );
    assert.equal(s?.source, SOURCE);
  });

  it('lets the metric over more calls speak for a location two of them land on; another span name is another location', () => {
    const resolver = new LocationResolver(() => [
      { file: 'src/orders.js', function: 'placeOrder', confidence: 0.9, reason: 'r' },
    ]);
    const summaries = metricsSummaries(
      [
        metric({ filePath: '/app/src/orders.js', functionName: 'placeOrder', count: 50, p50Us: 1 }),
        metric({ spanName: 'placeOrder', service: 'shop', count: 500, p50Us: 2 }),
        metric({ spanName: 'place-order', service: 'shop', count: 5, p50Us: 3 }),
      ],
      resolver.resolver,
      SOURCE,
      60,
    );
    assert.deepEqual(
      summaries.map((s) => [s.key.span, s.count, s.p50Us]),
      [
        ['placeOrder', 500, 2],
        ['place-order', 5, 3],
      ],
    );
  });
});

describe('spanKindFromName', () => {
  it('takes an HTTP route name for a server span’s, and leaves any other name unspecified', () => {
    assert.equal(spanKindFromName('GET /orders/{id}'), 'server');
    assert.equal(spanKindFromName('POST /'), 'server');
    assert.equal(spanKindFromName('GET'), undefined);
    assert.equal(spanKindFromName('charge card'), undefined);
    assert.equal(spanKindFromName('GET /a b'), undefined);
  });
});
