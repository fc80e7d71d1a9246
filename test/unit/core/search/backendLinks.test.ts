import * as assert from 'node:assert/strict';
import { searchUrl, toTraceQl, traceUrl, whyNoUrl, type LinkableBackend } from '../../../../src/core/search/backendLinks';
import { parseQuery } from '../../../../src/core/search/queryLanguage';
import { parseTraceRef } from '../../../../src/core/search/traceRef';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const NOW_MS = 1_700_000_000_000;
const jaeger: LinkableBackend = { type: 'jaeger', url: 'http://localhost:16686' };
const zipkin: LinkableBackend = { type: 'zipkin', url: 'http://localhost:9411/' };
const tempo: LinkableBackend = {
  type: 'tempo',
  url: 'http://localhost:3200',
  grafanaUrl: 'https://grafana.example.com/grafana/',
  tempoDatasourceUid: 'tempo-prod',
};

/** The Explore pane a Grafana link carries. */
function pane(url: string): Record<string, unknown> {
  const panes = JSON.parse(new URL(url).searchParams.get('panes') ?? 'null') as Record<string, Record<string, unknown>>;
  const values = Object.values(panes);
  assert.equal(values.length, 1);
  return values[0] as Record<string, unknown>;
}

describe('traceUrl', () => {
  it('links Jaeger UI, selecting the span with uiFind', () => {
    assert.equal(traceUrl(jaeger, ID), `http://localhost:16686/trace/${ID}`);
    assert.equal(traceUrl(jaeger, ID.toUpperCase(), SPAN), `http://localhost:16686/trace/${ID}?uiFind=${SPAN}`);
  });

  it('keeps base paths, drops credentials and trailing slashes', () => {
    assert.equal(
      traceUrl({ type: 'jaeger', url: 'https://u:secret@ops.example/jaeger/' }, ID),
      `https://ops.example/jaeger/trace/${ID}`,
    );
    assert.equal(traceUrl(zipkin, ID), `http://localhost:9411/zipkin/traces/${ID}`);
  });

  it('writes a 64-bit id as the UIs do, in 16 digits', () => {
    assert.equal(traceUrl(zipkin, '4bf92f3577b34da6'), 'http://localhost:9411/zipkin/traces/4bf92f3577b34da6');
    assert.equal(traceUrl(jaeger, '00000000000000004bf92f3577b34da6'), 'http://localhost:16686/trace/4bf92f3577b34da6');
  });

  it('opens a Tempo trace in Grafana Explore, with the data source and span', () => {
    const url = traceUrl(tempo, ID, SPAN) ?? '';
    assert.ok(url.startsWith('https://grafana.example.com/grafana/explore?schemaVersion=1&panes='), url);
    assert.deepEqual(pane(url), {
      datasource: 'tempo-prod',
      queries: [{ refId: 'A', datasource: { type: 'tempo', uid: 'tempo-prod' }, queryType: 'traceql', query: ID }],
      range: { from: 'now-1h', to: 'now' },
      panelsState: { trace: { spanId: SPAN } },
    });
  });

  it('round-trips through parseTraceRef', () => {
    for (const backend of [jaeger, zipkin, tempo]) {
      const back = parseTraceRef(traceUrl(backend, ID, SPAN) ?? '');
      assert.ok(!('error' in back));
      assert.equal(back.traceId, ID);
      assert.equal(back.backend, backend.type);
    }
  });

  it('has no link for Tempo without Grafana, the local store, a bad URL or a bad id, and says why', () => {
    const bare: LinkableBackend = { type: 'tempo', url: 'http://localhost:3200' };
    assert.equal(traceUrl(bare, ID), undefined);
    assert.match(whyNoUrl(bare) ?? '', /Tempo has no UI of its own — set the Grafana URL/);
    const local: LinkableBackend = { type: 'local', url: '' };
    assert.equal(traceUrl(local, ID), undefined);
    assert.match(whyNoUrl(local) ?? '', /live only in VS Code/);
    const broken: LinkableBackend = { type: 'jaeger', url: 'not a url' };
    assert.equal(traceUrl(broken, ID), undefined);
    assert.match(whyNoUrl(broken) ?? '', /"not a url" is not a valid http\(s\) URL/);
    assert.equal(traceUrl(jaeger, 'span-A'), undefined);
    assert.match(whyNoUrl(jaeger, 'span-A') ?? '', /not a trace id/);
    assert.equal(whyNoUrl(jaeger, ID), undefined);
    assert.equal(whyNoUrl(tempo), undefined);
  });
});

describe('searchUrl', () => {
  const { query } = parseQuery(
    'service:checkout name:"POST /orders" http.status_code=500 error >200ms <2s last:1h limit:50',
    NOW_MS,
  );

  it('opens Jaeger UI search with service, operation, JSON tags, durations, window and limit', () => {
    const url = new URL(searchUrl(jaeger, query, NOW_MS) ?? '');
    assert.equal(url.pathname, '/search');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      service: 'checkout',
      operation: 'POST /orders',
      tags: '{"http.status_code":"500","error":"true"}',
      minDuration: '200ms',
      maxDuration: '2s',
      limit: '50',
      lookback: 'custom',
      start: String((NOW_MS - 3_600_000) * 1000),
      end: String(NOW_MS * 1000),
    });
    assert.ok(!(searchUrl(jaeger, query, NOW_MS) ?? '').includes('+'), 'spaces are %20: Jaeger UI keeps +');
  });

  it('opens the Zipkin Lens discover page', () => {
    const url = new URL(searchUrl(zipkin, query, NOW_MS) ?? '');
    assert.equal(url.pathname, '/zipkin/');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      serviceName: 'checkout',
      spanName: 'POST /orders',
      annotationQuery: 'http.status_code=500 and error',
      minDuration: '200ms',
      maxDuration: '2s',
      lookback: 'range',
      startTs: String(NOW_MS - 3_600_000),
      endTs: String(NOW_MS),
      limit: '50',
    });
  });

  it('defaults to the last hour and 20 traces', () => {
    const url = new URL(searchUrl(jaeger, { service: 'cart' }, NOW_MS) ?? '');
    assert.equal(url.searchParams.get('limit'), '20');
    assert.equal(url.searchParams.get('start'), String((NOW_MS - 3_600_000) * 1000));
  });

  it('searches Tempo in Grafana with the query as TraceQL', () => {
    const p = pane(searchUrl(tempo, query, NOW_MS) ?? '');
    assert.deepEqual(p.range, { from: String(NOW_MS - 3_600_000), to: String(NOW_MS) });
    const queries = p.queries as { query: string; limit: number }[];
    assert.equal(
      queries[0]?.query,
      '{ resource.service.name = "checkout" && name = "POST /orders" && .http.status_code = 500 && status = error } && { traceDuration >= 200ms && traceDuration <= 2s }',
    );
    assert.equal(queries[0]?.limit, 50);
  });

  it('passes TraceQL through to Grafana and has no Jaeger or Zipkin link for it', () => {
    const { query: tql } = parseQuery('{ span.q = "a b" }', NOW_MS);
    assert.equal(toTraceQl(tql), '{ span.q = "a b" }');
    assert.equal(searchUrl(jaeger, tql, NOW_MS), undefined);
    assert.equal(searchUrl(zipkin, tql, NOW_MS), undefined);
    assert.equal(searchUrl({ type: 'local', url: '' }, query, NOW_MS), undefined);
  });

  it('writes scoped tags as they are and strings quoted', () => {
    assert.equal(
      toTraceQl({ tags: { 'resource.env': 'prod', 'span.ok': 'true' } }),
      '{ resource.env = "prod" && span.ok = true }',
    );
    assert.equal(toTraceQl({}), '{}');
  });
});
