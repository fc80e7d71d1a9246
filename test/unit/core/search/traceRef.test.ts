import * as assert from 'node:assert/strict';
import { parseTraceRef, type TraceRef } from '../../../../src/core/search/traceRef';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ID64 = '00000000000000004bf92f3577b34da6';
const SPAN = '00f067aa0ba902b7';

function ref(input: string): TraceRef {
  const result = parseTraceRef(input);
  assert.ok(!('error' in result), `unexpected error for ${input}: ${'error' in result ? result.error : ''}`);
  return result;
}

function error(input: string): string {
  const result = parseTraceRef(input);
  assert.ok('error' in result, `expected an error for ${input}`);
  return result.error;
}

describe('parseTraceRef', () => {
  describe('ids', () => {
    it('accepts 32 and 16 hex digits, trimmed, in any case, padding dropped zeros', () => {
      assert.deepEqual(ref(ID), { traceId: ID });
      assert.deepEqual(ref(`  ${ID.toUpperCase()}\n`), { traceId: ID });
      assert.deepEqual(ref('4bf92f3577b34da6'), { traceId: ID64 });
      assert.deepEqual(ref('abc123'), { traceId: '00000000000000000000000000abc123' });
      assert.deepEqual(ref(`0x${ID}`), { traceId: ID });
      assert.deepEqual(ref(`"${ID}"`), { traceId: ID });
    });

    it('accepts base64 of 16 and 8 bytes, standard and URL-safe', () => {
      const b16 = Buffer.from(ID, 'hex');
      assert.deepEqual(ref(b16.toString('base64')), { traceId: ID });
      assert.deepEqual(ref(b16.toString('base64url')), { traceId: ID });
      assert.deepEqual(ref(Buffer.from('4bf92f3577b34da6', 'hex').toString('base64')), { traceId: ID64 });
    });

    it('accepts a traceparent header, with or without its name', () => {
      assert.deepEqual(ref(`00-${ID}-${SPAN}-01`), { traceId: ID, spanId: SPAN });
      assert.deepEqual(ref(`traceparent: 00-${ID.toUpperCase()}-${SPAN}-00`), { traceId: ID, spanId: SPAN });
      assert.match(error(`ff-${ID}-${SPAN}-01`), /version ff/);
      assert.match(error(`00-${'0'.repeat(32)}-${SPAN}-01`), /all-zero/);
    });

    it('accepts UUID and X-Ray forms', () => {
      assert.deepEqual(ref('4bf92f35-77b3-4da6-a3ce-929d0e0e4736'), { traceId: ID });
      assert.deepEqual(ref('1-4bf92f35-77b34da6a3ce929d0e0e4736'), { traceId: ID });
    });

    it('says what was expected', () => {
      assert.match(error(''), /^Paste a trace id \(16 or 32 hex digits, or base64\), a traceparent header, or a Jaeger/);
      assert.match(error('   '), /^Paste a trace id/);
      assert.match(error('not an id'), /'not an id' is not a trace id — expected a trace id/);
      assert.match(error('a'.repeat(40)), /has 40 hex digits — a trace id has 16 or 32/);
      assert.match(error('0'.repeat(32)), /all-zero/);
      assert.match(error('x'.repeat(10_000)), /…' is not a trace id/);
      assert.match(error('日本語'), /is not a trace id/);
    });
  });

  describe('Jaeger and Zipkin links', () => {
    it('reads a Jaeger UI trace link with uiFind and a base path', () => {
      assert.deepEqual(ref(`http://localhost:16686/trace/${ID}?uiFind=${SPAN}`), {
        traceId: ID,
        spanId: SPAN,
        backend: 'jaeger',
        baseUrl: 'http://localhost:16686',
      });
      assert.deepEqual(ref(`https://ops.example.com/jaeger/trace/4bf92f3577b34da6/`), {
        traceId: ID64,
        backend: 'jaeger',
        baseUrl: 'https://ops.example.com/jaeger',
      });
    });

    it('ignores a uiFind that is not a span id, and drops credentials', () => {
      assert.deepEqual(ref(`https://u:p@j.example/trace/${ID}?uiFind=checkout`), {
        traceId: ID,
        backend: 'jaeger',
        baseUrl: 'https://j.example',
      });
    });

    it('reads a Jaeger search by trace id, and refuses a comparison', () => {
      assert.deepEqual(ref(`http://localhost:16686/search?traceID=${ID}`), {
        traceId: ID,
        backend: 'jaeger',
        baseUrl: 'http://localhost:16686',
      });
      assert.match(error(`http://localhost:16686/trace/${ID}...${ID64}`), /compares two traces/);
    });

    it('reads a Zipkin Lens link, with or without a scheme', () => {
      assert.deepEqual(ref(`localhost:9411/zipkin/traces/${ID}`), {
        traceId: ID,
        backend: 'zipkin',
        baseUrl: 'http://localhost:9411',
      });
      assert.deepEqual(ref(`https://tools.example/tracing/zipkin/traces/4bf92f3577b34da6`), {
        traceId: ID64,
        backend: 'zipkin',
        baseUrl: 'https://tools.example/tracing',
      });
    });

    it('reads the backends’ API trace endpoints', () => {
      assert.equal(ref(`http://z:9411/api/v2/trace/${ID}`).backend, 'zipkin');
      assert.deepEqual(ref(`http://tempo:3200/api/v2/traces/${ID}?start=1700000000&end=1700003600`), {
        traceId: ID,
        backend: 'tempo',
        baseUrl: 'http://tempo:3200',
        startUs: 1_700_000_000_000_000,
        endUs: 1_700_003_600_000_000,
      });
      assert.equal(ref(`http://j:16686/api/v3/traces/${ID}`).backend, 'jaeger');
      assert.deepEqual(ref(`http://either:16686/api/traces/${ID}`), { traceId: ID, baseUrl: 'http://either:16686' });
    });

    it('falls back to a traceId query parameter', () => {
      assert.deepEqual(ref(`https://logs.example/view?traceId=${ID}`), { traceId: ID });
    });

    it('says what it expected from a link without a trace', () => {
      assert.match(error('https://example.com/dashboards'), /No trace id in that link — expected a Jaeger/);
      assert.match(error('http://localhost:16686/trace/not-hex'), /'not-hex' in that link is not a trace id/);
    });
  });

  describe('Grafana links', () => {
    const pane = {
      datasource: 'P214B5B846CF3925F',
      queries: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: 'P214B5B846CF3925F' },
          queryType: 'traceql',
          limit: 20,
          query: ID,
        },
      ],
      range: { from: '1700000000000', to: '1700003600000' },
      panelsState: { trace: { spanId: SPAN } },
    };
    const expected: TraceRef = {
      traceId: ID,
      spanId: SPAN,
      backend: 'tempo',
      baseUrl: 'https://grafana.example.com',
      datasourceUid: 'P214B5B846CF3925F',
      startUs: 1_700_000_000_000_000,
      endUs: 1_700_003_600_000_000,
    };

    it('reads the panes form (Grafana 10+)', () => {
      const url = `https://grafana.example.com/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ x7a: pane }))}&orgId=1`;
      assert.deepEqual(ref(url), expected);
    });

    it('finds the trace in a split view whose other pane is a search', () => {
      const search = { ...pane, queries: [{ refId: 'A', queryType: 'traceql', query: '{ status = error }' }] };
      const url = `https://grafana.example.com/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ a: search, b: pane }))}`;
      assert.deepEqual(ref(url), expected);
    });

    it('reads the older left= JSON form, under a base path, even encoded twice', () => {
      const left = encodeURIComponent(encodeURIComponent(JSON.stringify(pane)));
      assert.deepEqual(ref(`https://ops.example.com/grafana/explore?orgId=1&left=${left}`), {
        ...expected,
        baseUrl: 'https://ops.example.com/grafana',
      });
    });

    it('reads the compact left= array form, guessing the backend from the data source name', () => {
      const left = encodeURIComponent(JSON.stringify(['now-1h', 'now', 'Jaeger', { query: '4bf92f3577b34da6' }]));
      assert.deepEqual(ref(`http://localhost:3000/explore?left=${left}`), {
        traceId: ID64,
        backend: 'jaeger',
        baseUrl: 'http://localhost:3000',
        datasourceUid: 'Jaeger',
      });
    });

    it('reads a Traces Drilldown link', () => {
      const url = `https://g.example/a/grafana-exploretraces-app/explore?from=now-30m&to=now&var-ds=tempo-prod&traceId=${ID}&spanId=${SPAN}`;
      assert.deepEqual(ref(url), {
        traceId: ID,
        spanId: SPAN,
        backend: 'tempo',
        baseUrl: 'https://g.example',
        datasourceUid: 'tempo-prod',
      });
    });

    it('explains a search link and an unreadable one', () => {
      const search = { queries: [{ refId: 'A', query: '{ status = error }' }] };
      assert.match(
        error(`https://g.example/explore?panes=${encodeURIComponent(JSON.stringify({ a: search }))}`),
        /is a search, not a trace/,
      );
      assert.match(error('https://g.example/explore?left=%7Bbroken'), /holds no query Trace Lens can read/);
      assert.match(error('https://g.example/a/grafana-exploretraces-app/explore?var-ds=x'), /has no trace open/);
    });
  });
});
