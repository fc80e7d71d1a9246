import * as assert from 'node:assert/strict';
import { TempoBackend } from '../../../../src/core/backends/tempoBackend';
import { LocationResolver } from '../../../../src/core/stats/locationResolver';
import { metricsSummaries } from '../../../../src/core/stats/metricsSource';
import {
  parseTempoMetrics,
  TempoMetricsSource,
  tempoLatencyQueries,
  tempoSpanNameQueries,
  type TempoMetricsClient,
} from '../../../../src/core/stats/tempoMetrics';
import { startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';

const label = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : { doubleValue: value },
});
const at = (file: string, fn: string) => [
  label('span.code.file.path', file),
  label('span.code.function.name', fn),
  { key: 'span.code.line.number', value: { intValue: '3' } },
  label('name', 'place order'),
];
const named = (service: string, name: string) => [label('resource.service.name', service), label('name', name)];

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
const NAME_QUANTILES = {
  series: [0.5, 0.9, 0.95, 0.99].map((p) => ({
    labels: [...named('payments', 'POST /charge'), label('p', p)],
    samples: [{ timestampMs: '1735689600000', value: 0.3 }],
  })),
};
const NAME_COUNTS = { series: [{ labels: named('payments', 'POST /charge'), samples: [{ timestampMs: '1', value: 40 }] }] };
const NO_SERIES = { series: [] };

/** orders.js by code attributes; a span named `POST /charge` of a server span to the route in payments.js. */
const resolver = (): LocationResolver =>
  new LocationResolver((span) => {
    if (span.attributes['code.file.path'] === '/app/src/orders.js')
      return [
        {
          file: 'src/orders.js',
          line: Number(span.attributes['code.line.number']),
          function: String(span.attributes['code.function.name']),
          confidence: 0.9,
          reason: 'suffix',
        },
      ];
    if (span.name === 'POST /charge' && span.kind === 'server' && span.service === 'payments')
      return [{ file: 'src/payments.js', line: 10, confidence: 0.8, reason: 'route POST /charge' }];
    return [];
  });

describe('Tempo TraceQL metrics', () => {
  it('asks for quantiles and counts by code location, of one service when given, with the name quoted', () => {
    const q = tempoLatencyQueries('check"out');
    assert.equal(
      q.quantiles,
      '{ span.code.function.name != nil && resource.service.name = "check\\"out" } | quantile_over_time(duration, 0.5, 0.9, 0.95, 0.99) by (span.code.file.path, span.code.function.name, span.code.line.number, name)',
    );
    assert.match(q.errors, /&& status = error \} \| count_over_time\(\) by/);
    assert.doesNotMatch(tempoLatencyQueries().counts, /service/);
  });

  it('asks by service and span name for the spans without a function name, client spans left out', () => {
    const q = tempoSpanNameQueries();
    assert.equal(
      q.quantiles,
      '{ span.code.function.name = nil && kind != client } | quantile_over_time(duration, 0.5, 0.9, 0.95, 0.99) by (resource.service.name, name)',
    );
    assert.equal(
      q.errors,
      '{ span.code.function.name = nil && kind != client && status = error } | count_over_time() by (resource.service.name, name)',
    );
    assert.match(tempoSpanNameQueries('shop').counts, /kind != client && resource\.service\.name = "shop" \}/);
  });

  it('reads range and instant answers, and ignores what is not one', () => {
    assert.deepEqual(parseTempoMetrics(ERRORS)[0]!.values, [38]);
    assert.equal(parseTempoMetrics(QUANTILES)[2]!.labels.p, 0.95);
    assert.deepEqual(parseTempoMetrics({ series: [null, { labels: 'x' }, { labels: [], samples: [{ value: 'NaN' }] }] }), []);
    assert.deepEqual(parseTempoMetrics('<html>'), []);
  });

  it('turns both groupings into summaries placed in the workspace, saying where they come from', async () => {
    const asked: string[] = [];
    const client: TempoMetricsClient = {
      async metricsQueryRange(query, range) {
        asked.push(`${range.stepSeconds}`);
        const byName = query.includes(' = nil');
        if (query.includes('quantile')) return byName ? NAME_QUANTILES : QUANTILES;
        if (query.includes('status = error')) return byName ? NO_SERIES : ERRORS;
        return byName ? NAME_COUNTS : COUNTS;
      },
    };
    const source = new TempoMetricsSource(client);
    const metrics = await source.locationMetrics({ windowMinutes: 60, nowUs: 1_735_693_200_000_000 });
    assert.deepEqual(asked, Array<string>(6).fill('3600'));
    const summaries = metricsSummaries(
      metrics,
      resolver().resolver,
      { kind: 'metrics', backend: 'Staging', system: source.backend, method: source.method },
      60,
    );
    const byFile = new Map(summaries.map((s) => [s.key.file, s]));
    const orders = byFile.get('src/orders.js');
    assert.ok(orders);
    // by the line spans start at and their name, as the editor keys figures of spans it counts itself
    assert.deepEqual(orders.key, { file: 'src/orders.js', line: 3, function: 'placeOrder', span: 'place order' });
    assert.deepEqual(
      [orders.p50Us, orders.p95Us, orders.p99Us, orders.count, orders.errors],
      [12_000, 80_000, 230_000, 1234, 38],
    );
    assert.deepEqual(orders.source, { kind: 'metrics', backend: 'Staging', system: 'Tempo', method: 'TraceQL metrics' });
    assert.equal(orders.sketch, undefined);
    // placed by its span name as a server span's route: no code attribute names it
    const route = byFile.get('src/payments.js');
    assert.deepEqual([route?.key.line, route?.count, route?.errors, route?.p50Us], [10, 40, 0, 300_000]);
  });

  it('keeps the code-attribute figures when this Tempo refuses the span-name queries, and stops asking them', async () => {
    const asked: string[] = [];
    const warnings: string[] = [];
    const fake = await startFakeBackend('tempo', { withoutFixtures: true });
    const tempo = new TempoBackend({ url: fake.url, retries: 0 });
    try {
      const client: TempoMetricsClient = {
        async metricsQueryRange(query, range, options) {
          asked.push(query.includes(' = nil') ? 'name' : 'code');
          // a Tempo older than `= nil` answers such a query 400; the real parse error is passed through
          if (query.includes(' = nil')) return tempo.metricsQueryRange('{ span.x = nil } | nonsense()', range, options);
          return query.includes('quantile') ? QUANTILES : query.includes('status = error') ? ERRORS : COUNTS;
        },
      };
      const source = new TempoMetricsSource(client, { onWarning: (m) => warnings.push(m) });
      const query = { windowMinutes: 60, nowUs: 1_735_693_200_000_000 };
      const first = await source.locationMetrics(query);
      assert.deepEqual(
        first.map((m) => m.functionName),
        ['placeOrder'],
      );
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /refused the metrics query by span name.*HTTP 400/);
      await source.locationMetrics(query);
      assert.deepEqual(asked.filter((a) => a === 'name').length, 3, 'the span-name queries are not asked again');
      assert.deepEqual(asked.filter((a) => a === 'code').length, 6);
    } finally {
      await tempo.dispose();
      await fake.close();
    }
  });

  it('answers by span name from a Tempo, for spans without code attributes, once each', async () => {
    const fake: FakeBackend = await startFakeBackend('tempo', { withoutFixtures: true, documents: [paymentsTrace()] });
    const tempo = new TempoBackend({ url: fake.url });
    try {
      const metrics = await new TempoMetricsSource(tempo).locationMetrics({ windowMinutes: 60, nowUs: NOW_MS * 1000 });
      const rows = metrics
        .map((m) => [m.functionName ?? `${m.service} ${m.spanName}`, m.spanKind ?? '-', m.count, m.errors, m.p99Us])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      assert.deepEqual(rows, [
        ['chargeCard', '-', 2, 1, 50_000],
        ['payments POST /charge', 'server', 2, 0, 90_000],
      ]);
    } finally {
      await tempo.dispose();
      await fake.close();
    }
  });
});

/** 2025-01-01T12:00:00Z, in ms */
const NOW_MS = 1_735_732_800_000;

/**
 * Two traces of service "payments" ten minutes ago: a server span `POST /charge` (no code attributes), its child
 * chargeCard (with code attributes, failing once), and an outgoing client call that no grouping may count.
 */
function paymentsTrace(): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const spans = [0, 1].flatMap((n) => {
    const startNs = BigInt(NOW_MS - 600_000 + n * 1000) * 1_000_000n;
    const span = (id: number, name: string, kind: number, ms: number, extra: object = {}) => ({
      traceId: `${n + 1}`.padStart(32, 'c'),
      spanId: `${id}`.padStart(16, 'd'),
      name,
      kind,
      startTimeUnixNano: String(startNs),
      endTimeUnixNano: String(startNs + BigInt(ms) * 1_000_000n),
      ...extra,
    });
    return [
      span(n * 10 + 1, 'POST /charge', 2, 80 + n * 10),
      span(n * 10 + 2, 'chargeCard', 1, 40 + n * 10, {
        attributes: [str('code.function.name', 'chargeCard'), str('code.file.path', '/app/src/payments.js')],
        status: n === 0 ? { code: 2 } : {},
      }),
      span(n * 10 + 3, 'POST', 3, 30),
    ];
  });
  return {
    resourceSpans: [
      { resource: { attributes: [str('service.name', 'payments')] }, scopeSpans: [{ scope: { name: 't' }, spans }] },
    ],
  };
}
