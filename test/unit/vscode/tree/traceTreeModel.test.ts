import * as assert from 'node:assert/strict';
import type { Span, Trace, TraceSummary } from '../../../../src/core/model/types';
import {
  MessageNode,
  ServiceNode,
  SourceNode,
  TraceNode,
  TraceTreeModel,
  type BackendListing,
  type ExplorerNode,
} from '../../../../src/vscode/tree/traceTreeModel';

type SpanRow = [name: string, service: string, parent: number, startUs: number, durationUs: number, error?: boolean];

/** A trace whose spans are [name, service, parent index or -1, start µs, duration µs, error?]. */
function trace(traceId: string, spans: SpanRow[], extra: (i: number) => Partial<Span> = () => ({})): Trace {
  const built: Span[] = spans.map(([name, service, parent, startUs, durationUs, error], i) => ({
    traceId,
    spanId: `${i + 1}`.padStart(16, '0'),
    ...(parent >= 0 ? { parentSpanId: `${parent + 1}`.padStart(16, '0') } : {}),
    name,
    service,
    kind: parent >= 0 ? 'client' : 'server',
    startUs,
    durationUs,
    status: error ? { code: 'error', message: 'card declined' } : { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
    ...extra(i),
  }));
  const start = Math.min(...built.map((s) => s.startUs));
  const end = Math.max(...built.map((s) => s.startUs + s.durationUs));
  return {
    traceId,
    spans: built,
    services: [...new Set(built.map((s) => s.service))],
    startUs: start,
    durationUs: end - start,
    warnings: [],
  };
}

const T0 = 1_700_000_000_000_000; // epoch µs
const NOW_MS = T0 / 1000 + 5 * 60_000; // five minutes after T0

function summary(traceId: string, rootService: string, rootName: string, startUs: number, extra: Partial<TraceSummary> = {}) {
  return { traceId, rootService, rootName, startUs, durationUs: 20_000, spanCount: 3, errorCount: 0, ...extra };
}

function listing(overrides: Partial<BackendListing> = {}): BackendListing {
  return {
    label: 'Jaeger at http://localhost:16686',
    description: 'http://localhost:16686',
    live: false,
    state: 'loaded',
    summaries: [],
    notes: [],
    ...overrides,
  };
}

/** The rows as a person reads them: label and description, indented by depth (spans and actions included). */
function render(model: TraceTreeModel, nodes: readonly ExplorerNode[] = model.roots, depth = 0): string[] {
  const rows: string[] = [];
  for (const node of nodes) {
    const pad = '  '.repeat(depth);
    switch (node.kind) {
      case 'source':
        rows.push(`${pad}${node.label} (${node.description})`, ...render(model, node.children, depth + 1));
        break;
      case 'service':
        rows.push(`${pad}${node.label} — ${node.description}`, ...render(model, node.children, depth + 1));
        break;
      case 'trace':
        rows.push(`${pad}${node.label} — ${node.description(model.now())}`);
        break;
      case 'message':
        rows.push(`${pad}[${node.severity}] ${node.label}`, ...node.children().map((a) => `${pad}  > ${a.command.title}`));
        break;
      default:
        rows.push(`${pad}${node.kind}`);
    }
  }
  return rows;
}

const errorActions = {
  retry: { id: 'traceLens.refresh', title: 'Retry' },
  more: [{ id: 'traceLens.selectBackend', title: 'Select Backend…' }],
};

describe('TraceTreeModel', () => {
  it('groups imported traces by root service, newest first, with duration, spans, errors and age', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.add(
      [
        trace('a'.repeat(32), [
          ['GET /checkout', 'frontend', -1, T0, 1_250_000],
          ['POST /charge', 'payments', 0, T0 + 10_000, 600_000, true],
          ['SELECT orders', 'db', 0, T0 + 700_000, 40_000],
        ]),
        trace('b'.repeat(32), [['GET /health', 'frontend', -1, T0 + 60_000_000, 3_000]]),
        trace('c'.repeat(32), [['consume orders', 'worker', -1, T0 - 3_600_000_000, 12_300]]),
      ],
      'checkout.json',
    );
    assert.deepEqual(render(model), [
      'frontend — 2 traces · 1 with errors',
      '  GET /health — 3 ms · 1 span · 4 min ago',
      '  GET /checkout — 1.25 s · 3 spans · 1 error · 5 min ago',
      'worker — 1 trace',
      '  consume orders — 12.3 ms · 1 span · 1 h ago',
    ]);
  });

  it('puts a heading over each source when both the backend and imports have something', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.add([trace('a'.repeat(32), [['GET /a', 'web', -1, T0, 1_000]])], 'a.json');
    model.setBackend(listing({ summaries: [summary('1'.repeat(32), 'checkout', 'POST /orders', T0)] }));
    assert.deepEqual(render(model), [
      'Jaeger at http://localhost:16686 (http://localhost:16686)',
      '  checkout — 1 trace',
      '    POST /orders — 20 ms · 3 spans · 5 min ago',
      'Imported (1 file)',
      '  web — 1 trace',
      '    GET /a — 1 ms · 1 span · 5 min ago',
    ]);
  });

  it("shows a failed load as one line with the backend's message, Retry and Select Backend…", () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    const message = 'Jaeger at http://localhost:16686 refused the connection — is the query service running?';
    model.setBackend(listing({ state: 'error', error: message }));
    assert.deepEqual(render(model), [`[error] ${message}`, '  > Retry', '  > Select Backend…']);
    const [row] = model.roots;
    assert.ok(row instanceof MessageNode);
    assert.equal(row.command?.id, 'traceLens.refresh', 'clicking the line retries');
  });

  it('says it is loading only while there is nothing to show yet', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(listing({ state: 'loading' }));
    assert.deepEqual(render(model), ['[loading] Loading recent traces from Jaeger at http://localhost:16686…']);
    model.setBackend(listing({ state: 'loading', summaries: [summary('1'.repeat(32), 'api', 'GET /', T0)] }));
    assert.deepEqual(render(model), ['api — 1 trace', '  GET / — 20 ms · 3 spans · 5 min ago']);
  });

  it('says when the backend has no recent traces, and when the filter hides them all', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(listing());
    assert.deepEqual(render(model), ['[info] No traces in the last hour from Jaeger at http://localhost:16686']);
    model.setBackend(listing({ summaries: [summary('1'.repeat(32), 'api', 'GET /', T0)] }));
    model.setFilter({ errorsOnly: true, minDurationUs: 200_000 });
    assert.deepEqual(render(model), ['[info] No traces match error >200ms', '  > Clear Filter']);
  });

  it('filters by service, errors and minimum duration', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(
      listing({
        summaries: [
          summary('1'.repeat(32), 'api', 'GET /fast', T0, { durationUs: 5_000 }),
          summary('2'.repeat(32), 'api', 'GET /slow', T0, { durationUs: 900_000, errorCount: 2 }),
          summary('3'.repeat(32), 'web', 'GET /page', T0, { durationUs: 900_000, errorCount: 1 }),
        ],
      }),
    );
    model.setFilter({ service: 'api', errorsOnly: true, minDurationUs: 200_000 });
    assert.deepEqual(
      model.traceNodes().map((n) => n.label),
      ['GET /slow'],
    );
  });

  it('leaves an empty local receiver to the welcome view, which shows where to send traces', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(listing({ label: 'Local receiver', description: 'live', live: true, receiverUrl: 'http://127.0.0.1:4318' }));
    assert.deepEqual(model.roots, []);
    model.add([trace('a'.repeat(32), [['GET /a', 'web', -1, T0, 1_000]])], 'a.json');
    assert.deepEqual(render(model).slice(0, 2), [
      'Local receiver (live)',
      '  [info] Waiting for traces — send OTLP/HTTP to http://127.0.0.1:4318',
    ]);
  });

  it('fetches nothing to draw the list: a backend trace has spans only once its trace is set', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(listing({ summaries: [summary('1'.repeat(32), 'api', 'GET /', T0)] }));
    const [node] = model.traceNodes();
    assert.equal(node?.rootSpans(), undefined);
    node!.trace = trace('1'.repeat(32), [['GET /', 'api', -1, T0, 20_000]]);
    assert.deepEqual(
      node!.rootSpans()?.map((s) => s.label),
      ['GET /'],
    );
  });

  it('draws spans with duration, self time, the service where it changes, and an error flag', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    const [node] = model.add(
      [
        trace(
          'a'.repeat(32),
          [
            ['GET /checkout', 'frontend', -1, T0, 1_250_000],
            ['POST /charge', 'payments', 0, T0 + 10_000, 600_000, true],
            ['SELECT orders', 'payments', 1, T0 + 20_000, 40_000],
          ],
          (i) =>
            i === 1
              ? {
                  attributes: {
                    'http.request.method': 'POST',
                    'http.route': '/charge',
                    'code.file.path': '/app/src/payments.js',
                    'code.line.number': 42,
                  },
                }
              : {},
        ),
      ],
      'x.json',
    );
    const [root] = node!.rootSpans()!;
    assert.equal(root?.description, '1.25 s · self 650 ms · frontend');
    const [charge] = root!.children();
    assert.equal(charge?.description, '600 ms · self 560 ms · payments');
    assert.equal(charge?.hasErrors, true);
    assert.equal(charge?.iconId, 'call-outgoing');
    const [select] = charge!.children();
    assert.equal(select?.description, '40 ms', 'same service as its parent: not repeated');
    assert.equal(select?.hasChildren, false);
    const tooltip = charge!.tooltip;
    assert.match(tooltip, /^POST \/charge — payments\nClient span · 600 ms \(self 560 ms\)\nError: card declined/);
    assert.match(tooltip, /method: POST\nroute: \/charge/);
    assert.match(tooltip, /Code: \/app\/src\/payments\.js:42/);
    assert.match(tooltip, /Span ID: 0{15}2/);
    assert.match(select!.tooltip, /Code: not declared by the span/);
  });

  it('replaces a trace imported again instead of listing it twice', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.add([trace('c'.repeat(32), [['GET /a', 's', -1, T0, 1]])], 'first.json');
    model.add(
      [
        trace('c'.repeat(32), [
          ['GET /a', 's', -1, T0, 1],
          ['child', 's', 0, T0, 1],
        ]),
      ],
      'second.json',
    );
    const nodes = model.traceNodes();
    assert.equal(nodes.length, 1);
    assert.match(nodes[0]!.tooltip(), /Source: second\.json/);
    assert.equal(nodes[0]!.summary.spanCount, 2);
  });

  it('tells listeners about changes, and not when nothing was added', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    let changes = 0;
    const subscription = model.onDidChange(() => changes++);
    model.add([], 'empty.json');
    model.add([trace('d'.repeat(32), [['x', 's', -1, T0, 1]])], 'x.json');
    model.setFilter({ errorsOnly: true });
    subscription.dispose();
    model.add([trace('e'.repeat(32), [['y', 's', -1, T0, 1]])], 'y.json');
    assert.equal(changes, 2);
  });

  it('names a trace without a root span name by its id, and keeps fetched traces to open them again', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.add([trace('f'.repeat(32), [['', 's', -1, T0, 1]])], 'x.json');
    assert.equal(model.traceNodes()[0]?.label, `trace ${'f'.repeat(32)}`);
    const fetched = trace('1'.repeat(32), [['GET /', 'api', -1, T0, 1]]);
    model.rememberFetched(fetched);
    assert.equal(model.knownTrace('1'.repeat(32)), fetched);
    assert.equal(model.knownTrace('2'.repeat(32)), undefined);
  });

  it('exposes node classes for the provider', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.add([trace('a'.repeat(32), [['GET /a', 'web', -1, T0, 1_000]])], 'a.json');
    model.setBackend(listing({ summaries: [summary('1'.repeat(32), 'api', 'GET /', T0)] }));
    const [backend, imported] = model.roots;
    assert.ok(backend instanceof SourceNode && imported instanceof SourceNode);
    assert.ok(backend.children[0] instanceof ServiceNode);
    assert.ok((backend.children[0] as ServiceNode).children[0] instanceof TraceNode);
    assert.notEqual(backend.children[0]?.id, imported.children[0]?.id, 'row ids are unique across sources');
  });
});

describe('TraceTreeModel: keeping what is looked at while traces arrive', () => {
  const page = (from: number, count: number): TraceSummary[] =>
    Array.from({ length: count }, (_, i) =>
      summary(`${from + i}`.padStart(32, '0'), 'api', `GET /${from + i}`, T0 + (from + i) * 1e6),
    );
  const listed = (model: TraceTreeModel): string[] => model.traceNodes().map((n) => n.label);

  it('keeps an expanded trace listed after newer ones push it out of the page, and lets it go once collapsed', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(listing({ live: true, limit: 3, summaries: page(1, 3).reverse() }));
    model.keep('1'.padStart(32, '0'));
    model.setBackend(listing({ live: true, limit: 3, summaries: page(4, 3).reverse() }));
    assert.deepEqual(listed(model), ['GET /6', 'GET /5', 'GET /4', 'GET /1']);
    model.release('1'.padStart(32, '0'));
    assert.deepEqual(listed(model), ['GET /6', 'GET /5', 'GET /4']);
  });

  it('says how many of how many are listed under a full page, with Show More, and when live updates are paused', () => {
    const model = new TraceTreeModel(errorActions, () => NOW_MS);
    model.setBackend(listing({ live: true, limit: 3, total: 1800, summaries: page(1, 3) }));
    const more = model.roots.find((n): n is MessageNode => n instanceof MessageNode && n.id === 'backend/more');
    assert.equal(more?.label, '3 of 1,800 traces listed · Show More');
    assert.equal(more?.command?.id, 'traceLens.showMoreTraces');
    model.setBackend(listing({ live: true, limit: 3, total: 1800, summaries: page(1, 3), paused: true }));
    assert.ok(
      render(model).includes('[info] 3 of 1,800 traces listed · live updates paused · Show More'),
      render(model).join('\n'),
    );
    model.setBackend(listing({ live: true, limit: 50, total: 2, summaries: page(1, 2), paused: true }));
    assert.ok(render(model).includes('[info] Live updates paused'), render(model).join('\n'));
    model.setBackend(listing({ live: true, limit: 50, total: 2, summaries: page(1, 2) }));
    assert.ok(!render(model).some((r) => /Show More|paused/.test(r)), 'a page that holds everything needs no Show More');
  });
});
