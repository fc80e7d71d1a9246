import * as assert from 'node:assert/strict';
import { LocationResolver } from '../../../../src/core/stats/locationResolver';
import {
  metricsSummaries,
  parseTempoMetrics,
  TempoMetricsSource,
  tempoLatencyQueries,
  type TempoMetricsClient,
} from '../../../../src/core/stats/tempoMetrics';

const label = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : { doubleValue: value },
});
const at = (file: string, fn: string) => [label('span.code.file.path', file), label('span.code.function.name', fn)];

/** Range answers as Tempo's /api/metrics/query_range gives them (one step as long as the window). */
const QUANTILES = {
  series: [0.5, 0.9, 0.95, 0.99].map((p, i) => ({
    labels: [...at('/app/src/orders.js', 'placeOrder'), label('p', p)],
    promLabels: '{…}',
    samples: [{ timestampMs: '1735689600000', value: [0.012, 0.05, 0.08, 0.23][i] }],
  })),
  metrics: { inspectedSpans: '1234' },
};
const COUNTS = { series: [{ labels: at('/app/src/orders.js', 'placeOrder'), samples: [{ timestampMs: '1', value: 1234 }] }] };
const ERRORS = { series: [{ labels: at('/app/src/orders.js', 'placeOrder'), value: 38 }] };

describe('Tempo TraceQL metrics', () => {
  it('asks for quantiles and counts by code location, of one service when given, with the name quoted', () => {
    const q = tempoLatencyQueries('check"out');
    assert.equal(
      q.quantiles,
      '{ span.code.function.name != nil && resource.service.name = "check\\"out" } | quantile_over_time(duration, 0.5, 0.9, 0.95, 0.99) by (span.code.file.path, span.code.function.name)',
    );
    assert.match(q.errors, /&& status = error \} \| count_over_time\(\) by/);
    assert.doesNotMatch(tempoLatencyQueries().counts, /service/);
  });

  it('reads range and instant answers, and ignores what is not one', () => {
    assert.deepEqual(parseTempoMetrics(ERRORS)[0]!.values, [38]);
    assert.equal(parseTempoMetrics(QUANTILES)[2]!.labels.p, 0.95);
    assert.deepEqual(parseTempoMetrics({ series: [null, { labels: 'x' }, { labels: [], samples: [{ value: 'NaN' }] }] }), []);
    assert.deepEqual(parseTempoMetrics('<html>'), []);
  });

  it('turns the answers into summaries placed in the workspace, saying where they come from', async () => {
    const asked: string[] = [];
    const client: TempoMetricsClient = {
      async metricsQueryRange(query, range) {
        asked.push(`${range.stepSeconds}`);
        return query.includes('quantile') ? QUANTILES : query.includes('status = error') ? ERRORS : COUNTS;
      },
    };
    const source = new TempoMetricsSource(client);
    const metrics = await source.locationMetrics({ windowMinutes: 60, nowUs: 1_735_693_200_000_000 });
    assert.deepEqual(asked, ['3600', '3600', '3600']);
    const resolver = new LocationResolver((span) =>
      span.attributes['code.file.path'] === '/app/src/orders.js'
        ? [{ file: 'src/orders.js', function: String(span.attributes['code.function.name']), confidence: 0.9, reason: 'suffix' }]
        : [],
    );
    const [s] = metricsSummaries(
      metrics,
      resolver.resolver,
      { kind: 'metrics', backend: source.backend, method: source.method },
      60,
    );
    assert.ok(s);
    assert.deepEqual(s.key, { file: 'src/orders.js', function: 'placeOrder' });
    assert.deepEqual([s.p50Us, s.p95Us, s.p99Us, s.count, s.errors], [12_000, 80_000, 230_000, 1234, 38]);
    assert.deepEqual(s.source, { kind: 'metrics', backend: 'Tempo', method: 'TraceQL metrics' });
    assert.equal(s.sketch, undefined);
  });
});
