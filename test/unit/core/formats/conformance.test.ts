// Every file of the shared upstream fixtures, read through the public entry points and checked against
// what /work/shared/fixtures/README.md says it holds. A file without an expectation fails the suite.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceFormatError } from '../../../../src/core/formats/errors';
import { detectFormat, parseTraceSummaries, parseTraces, type TraceFormat } from '../../../../src/core/formats/parse';
import type { Trace, TraceSummary } from '../../../../src/core/model/types';
import { sharedFixturesDir } from '../../fixtures';

interface TraceFile {
  format: TraceFormat;
  traces: number;
  spans: number;
  services: number;
  /** spans with status error */
  errors: number;
  /** [spans naming a parent, of which the parent is in the same trace] */
  parents: [number, number];
  /** ids that were never hex (Jaeger UI test data) are kept verbatim */
  verbatimIds?: boolean;
  /** a trap this file is known for */
  checkTraces?: (traces: Trace[]) => void;
}

interface SummaryFile {
  format: TraceFormat;
  summaries: number;
  checkSummaries?: (summaries: TraceSummary[]) => void;
}

/** Bodies of API endpoints that hold no traces: reading them as traces must say what they are. */
interface NotTracesFile {
  notTraces: RegExp;
}

type Expectation = TraceFile | SummaryFile | NotTracesFile;

function spansOf(traces: Trace[]) {
  return traces.flatMap((t) => t.spans);
}

const EXPECTATIONS: Record<string, Expectation> = {
  'jaeger/genaiTestTrace.json': { format: 'jaeger', traces: 1, spans: 57, services: 10, errors: 1, parents: [56, 56] },
  'jaeger/oltp2jaeger-multi-out.json': { format: 'jaeger', traces: 1, spans: 4, services: 1, errors: 0, parents: [3, 3] },
  'jaeger/otlp2jaeger-out.json': {
    format: 'jaeger',
    traces: 1,
    spans: 2,
    services: 1,
    errors: 0,
    parents: [2, 0],
    checkTraces: (traces) =>
      assert.equal(new Set(spansOf(traces).map((s) => s.spanId)).size, 1, 'both copies of the duplicated span are kept'),
  },
  'jaeger/spanAmongEachOtherGroupedAndSpans.json': {
    format: 'jaeger',
    traces: 1,
    spans: 17,
    services: 2,
    errors: 0,
    parents: [16, 16],
    checkTraces: (traces) => {
      assert.equal(traces[0]!.traceId, '0df84e36b9e2ee3815d07f0867a5be1f', '31-char trace id padded');
      assert.ok(
        spansOf(traces).some((s) => s.spanId === '0a68c6983a6d81a2'),
        '15-char span id padded',
      );
    },
  },
  'jaeger/testTrace.json': {
    format: 'jaeger',
    traces: 1,
    spans: 11,
    services: 2,
    errors: 1,
    parents: [10, 10],
    verbatimIds: true,
    checkTraces: (traces) => assert.equal(traces[0]!.traceId, 'trace-123'),
  },
  'jaeger/ui-trace.json': {
    format: 'jaeger',
    traces: 1,
    spans: 2,
    services: 1,
    errors: 0,
    parents: [1, 1],
    checkTraces: (traces) =>
      assert.ok(
        spansOf(traces).some((s) => s.spanId === '0ec2b4e0bcea566d'),
        '15-char span id padded',
      ),
  },
  'jaeger/ui_01.json': {
    format: 'jaeger',
    traces: 1,
    spans: 5,
    services: 2,
    errors: 1,
    parents: [3, 3],
    checkTraces: (traces) => {
      const spans = spansOf(traces);
      const tagged = spans.find((s) => 'javascript_limit' in s.attributes)!;
      assert.equal(tagged.attributes['javascript_limit'], '9223372036854775222', 'int64 beyond 2^53 kept exact');
      assert.ok(tagged.attributes['blob'] instanceof Uint8Array, 'binary tag decoded');
      const links = spans.flatMap((s) => s.links);
      assert.ok(
        links.some((l) => l.traceId === '000000000000000000000000000000ff' && l.spanId === '00000000000000ff'),
        'the reference to trace 00000000000000ff is a link',
      );
    },
  },

  'jaeger-v3/FindTraceSummaries.json': {
    format: 'jaeger-v3-summaries',
    summaries: 1,
    checkSummaries: (summaries) => {
      assert.equal(summaries[0]!.spanCount, 2);
      assert.equal(summaries[0]!.errorCount, 1);
    },
  },
  'jaeger-v3/FindTraces.json': { format: 'jaeger-v3', traces: 1, spans: 1, services: 1, errors: 1, parents: [0, 0] },
  'jaeger-v3/GetOperations.json': { notTraces: /operations/ },
  'jaeger-v3/GetServices.json': { notTraces: /service names/ },
  'jaeger-v3/GetTrace.json': { format: 'jaeger-v3', traces: 1, spans: 1, services: 1, errors: 1, parents: [0, 0] },
  'jaeger-v3/GetTrace.v1.53-base64.json': {
    format: 'jaeger-v3',
    traces: 1,
    spans: 1,
    services: 1,
    errors: 1,
    parents: [0, 0],
    checkTraces: (traces) => {
      assert.equal(traces[0]!.traceId, '000000000000009600000000000000a0', 'base64 trace id decoded');
      assert.ok(
        traces[0]!.warnings.some((w) => w.includes('2^63')),
        `a start beyond 2^63 ns is warned about; warnings: ${traces[0]!.warnings.join(' | ')}`,
      );
    },
  },

  'otlp/example_trace.json': { format: 'otlp-json', traces: 1, spans: 5, services: 3, errors: 0, parents: [0, 0] },
  'otlp/link_attributes_trace.json': {
    format: 'otlp-json',
    traces: 1,
    spans: 1,
    services: 1,
    errors: 0,
    parents: [0, 0],
    checkTraces: (traces) => assert.equal(traces[0]!.spans[0]!.links.length, 3),
  },
  'otlp/otel_traces_01.json': { format: 'otlp-json', traces: 2, spans: 4, services: 1, errors: 4, parents: [4, 0] },
  'otlp/otlp2jaeger-in.json': { format: 'otlp-json', traces: 1, spans: 2, services: 1, errors: 0, parents: [2, 0] },
  'otlp/otlp2jaeger-multi-in.json.txt': { format: 'otlp-jsonl', traces: 1, spans: 4, services: 1, errors: 0, parents: [3, 3] },
  'otlp/trace-with-failed-requests.json': {
    format: 'otlp-json',
    traces: 1,
    spans: 15,
    services: 2,
    errors: 3,
    parents: [14, 14],
  },
  'otlp/trace.json': { format: 'otlp-json', traces: 1, spans: 1, services: 1, errors: 0, parents: [1, 0] },

  'tempo/search_bookinfo.json': {
    format: 'tempo-search',
    summaries: 1,
    checkSummaries: (summaries) => assert.equal(summaries[0]!.rootService, 'istio-ingressgateway.istio-system'),
  },
  'tempo/trace_bookinfo_batches.json': { format: 'tempo', traces: 1, spans: 8, services: 5, errors: 0, parents: [7, 7] },
  'tempo/vulture_trace.2022-01.json': { format: 'tempo', traces: 1, spans: 25, services: 1, errors: 0, parents: [0, 0] },
  // Tempo 2.6 and later write the OTLP key itself.
  'tempo/vulture_trace.json': { format: 'otlp-json', traces: 1, spans: 6, services: 1, errors: 0, parents: [4, 4] },

  'zipkin/envoy.json': {
    format: 'zipkin',
    traces: 1,
    spans: 1,
    services: 1,
    errors: 0,
    parents: [0, 0],
    checkTraces: (traces) => {
      assert.equal(traces[0]!.spans[0]!.service, 'unknown_service');
      assert.ok(traces[0]!.warnings.some((w) => w.includes('serviceName')));
    },
  },
  'zipkin/messaging-kafka.json': { format: 'zipkin', traces: 1, spans: 28, services: 2, errors: 3, parents: [27, 27] },
  'zipkin/simple-db-p6.json': { format: 'zipkin', traces: 1, spans: 5, services: 1, errors: 0, parents: [4, 4] },
  'zipkin/skew.json': { format: 'zipkin', traces: 1, spans: 4, services: 2, errors: 0, parents: [3, 3] },
  'zipkin/smartthings-mobile-web-install.json': {
    format: 'zipkin',
    traces: 1,
    spans: 1041,
    services: 16,
    errors: 2,
    parents: [1040, 1040],
    checkTraces: (traces) => {
      const counts = new Map<string, number>();
      for (const s of traces[0]!.spans) counts.set(s.spanId, (counts.get(s.spanId) ?? 0) + 1);
      assert.equal([...counts.values()].filter((n) => n > 1).length, 290, '290 duplicated ids, every span kept');
    },
  },
  'zipkin/yelp.json': { format: 'zipkin', traces: 1, spans: 16, services: 6, errors: 0, parents: [15, 15] },
  'zipkin/zipkin2-client.json': { format: 'zipkin', traces: 1, spans: 1, services: 1, errors: 0, parents: [1, 0] },
  'zipkin/zipkin_v2_03.json': {
    format: 'zipkin',
    traces: 1,
    spans: 1,
    services: 1,
    errors: 0,
    parents: [1, 0],
    checkTraces: (traces) => assert.equal(traces[0]!.spans[0]!.parentSpanId, '0c26551047c72d19', '15-char parentId padded'),
  },
};

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;
const NOT_HEX = /[^0-9a-fA-F]/;

function assertId(id: string, canonical: RegExp, verbatimAllowed: boolean, what: string): void {
  assert.ok(canonical.test(id) || (verbatimAllowed && NOT_HEX.test(id)), `${what} ${JSON.stringify(id)} is not normalised`);
}

function checkTraces(rel: string, bytes: Uint8Array, e: TraceFile): void {
  assert.equal(detectFormat(bytes), e.format, 'detected format');
  const traces = parseTraces(bytes);
  const spans = spansOf(traces);
  assert.equal(traces.length, e.traces, 'traces');
  assert.equal(spans.length, e.spans, 'spans');
  assert.equal(new Set(traces.flatMap((t) => t.services)).size, e.services, 'services');
  assert.equal(spans.filter((s) => s.status.code === 'error').length, e.errors, 'error spans');

  const verbatim = e.verbatimIds === true;
  let parents = 0;
  let resolved = 0;
  for (const t of traces) {
    assertId(t.traceId, HEX_TRACE_ID, verbatim, 'trace id');
    const ids = new Set(t.spans.map((s) => s.spanId));
    for (const s of t.spans) {
      assert.equal(s.traceId, t.traceId, `span ${s.spanId} is in its own trace`);
      assertId(s.spanId, HEX_SPAN_ID, verbatim, 'span id');
      assert.ok(
        Number.isFinite(s.startUs) && Number.isFinite(s.durationUs) && s.durationUs >= 0,
        `span ${s.spanId} has readable times`,
      );
      for (const l of s.links) {
        assertId(l.traceId, HEX_TRACE_ID, verbatim, 'link trace id');
        assertId(l.spanId, HEX_SPAN_ID, verbatim, 'link span id');
      }
      if (s.parentSpanId === undefined) continue;
      assertId(s.parentSpanId, HEX_SPAN_ID, verbatim, 'parent span id');
      parents++;
      if (ids.has(s.parentSpanId)) resolved++;
    }
  }
  assert.deepEqual([parents, resolved], e.parents, '[spans with a parent, parents found in the trace]');
  e.checkTraces?.(traces);
  // The same file given as text reads the same.
  assert.deepEqual(
    parseTraces(new TextDecoder().decode(bytes)).map((t) => [t.traceId, t.spans.length]),
    traces.map((t) => [t.traceId, t.spans.length]),
    `${rel} as text`,
  );
}

function checkSummaries(bytes: Uint8Array, e: SummaryFile): void {
  assert.equal(detectFormat(bytes), e.format, 'detected format');
  const summaries = parseTraceSummaries(bytes);
  assert.equal(summaries.length, e.summaries, 'summaries');
  for (const s of summaries) assertId(s.traceId, HEX_TRACE_ID, false, 'trace id');
  e.checkSummaries?.(summaries);
  assert.throws(
    () => parseTraces(bytes),
    (err: unknown) => err instanceof TraceFormatError && /search results/.test(err.reason),
  );
}

function checkNotTraces(bytes: Uint8Array, e: NotTracesFile): void {
  for (const read of [detectFormat, parseTraces, parseTraceSummaries]) {
    assert.throws(
      () => read(bytes),
      (err: unknown) => err instanceof TraceFormatError && e.notTraces.test(err.reason) && /not traces/.test(err.reason),
    );
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .filter((rel) => !rel.endsWith('.md'))
    .sort();
}

describe('conformance: every shared upstream fixture', () => {
  const dir = sharedFixturesDir();
  if (dir === undefined) {
    it('(skipped: shared fixtures not found; set TRACE_LENS_FIXTURES to the fixtures folder)', function () {
      this.skip();
    });
    return;
  }
  const files = listFiles(dir);

  for (const rel of files) {
    it(rel, () => {
      const e = EXPECTATIONS[rel];
      assert.ok(e, `new fixture: add its expectations to EXPECTATIONS in conformance.test.ts (${rel})`);
      const bytes = new Uint8Array(fs.readFileSync(path.join(dir, rel)));
      if ('notTraces' in e) checkNotTraces(bytes, e);
      else if ('summaries' in e) checkSummaries(bytes, e);
      else checkTraces(rel, bytes, e);
    });
  }

  it('has a file for every expectation', () => {
    assert.deepEqual(
      Object.keys(EXPECTATIONS).filter((rel) => !files.includes(rel)),
      [],
    );
  });
});
