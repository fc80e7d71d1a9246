import * as assert from 'node:assert/strict';
import type { Span, Trace } from '../../../../src/core/model/types';
import { TraceTreeModel } from '../../../../src/vscode/tree/traceTreeModel';

/** A trace whose spans are [name, service, parent index or -1, start µs, duration µs, error?]. */
function trace(traceId: string, spans: [string, string, number, number, number, boolean?][]): Trace {
  const built: Span[] = spans.map(([name, service, parent, startUs, durationUs, error], i) => ({
    traceId,
    spanId: `${i + 1}`.padStart(16, '0'),
    ...(parent >= 0 ? { parentSpanId: `${parent + 1}`.padStart(16, '0') } : {}),
    name,
    service,
    kind: 'server',
    startUs,
    durationUs,
    status: { code: error ? 'error' : 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
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

describe('TraceTreeModel', () => {
  it('shows one node per trace: root span name, duration · spans · errors, and a tooltip with id and services', () => {
    const model = new TraceTreeModel();
    model.add(
      [
        trace('a'.repeat(32), [
          ['GET /checkout', 'frontend', -1, T0, 1_250_000],
          ['POST /charge', 'payments', 0, T0 + 10_000, 600_000, true],
          ['SELECT orders', 'db', 0, T0 + 700_000, 40_000],
        ]),
      ],
      'checkout.json',
    );
    const [node] = model.roots;
    assert.equal(node?.label, 'GET /checkout');
    assert.equal(node?.description, '1.25 s · 3 spans · 1 error');
    assert.match(node?.tooltip ?? '', /Trace ID: a{32}/);
    assert.match(node?.tooltip ?? '', /Services: frontend, payments, db/);
    assert.match(node?.tooltip ?? '', /Source: checkout\.json/);
    assert.equal(node?.hasErrors, true);
  });

  it('leaves out the error count when there is none and says "1 span" for one', () => {
    const model = new TraceTreeModel();
    model.add([trace('b'.repeat(32), [['GET /health', 'frontend', -1, T0, 3_000]])], 'health.json');
    assert.equal(model.roots[0]?.description, '3 ms · 1 span');
    assert.equal(model.roots[0]?.hasErrors, false);
  });

  it('lists the newest trace first, across imports', () => {
    const model = new TraceTreeModel();
    model.add(
      [trace('1'.repeat(32), [['old', 's', -1, T0, 1]]), trace('3'.repeat(32), [['newest', 's', -1, T0 + 2e6, 1]])],
      'a.json',
    );
    model.add([trace('2'.repeat(32), [['middle', 's', -1, T0 + 1e6, 1]])], 'b.json');
    assert.deepEqual(
      model.roots.map((n) => n.label),
      ['newest', 'middle', 'old'],
    );
  });

  it('replaces a trace imported again instead of listing it twice', () => {
    const model = new TraceTreeModel();
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
    assert.equal(model.size, 1);
    assert.equal(model.roots[0]?.description, '1 µs · 2 spans');
    assert.match(model.roots[0]?.tooltip ?? '', /Source: second\.json/);
  });

  it('tells listeners when traces were added, and not when nothing was', () => {
    const model = new TraceTreeModel();
    let changes = 0;
    const subscription = model.onDidChange(() => changes++);
    model.add([], 'empty.json');
    model.add([trace('d'.repeat(32), [['x', 's', -1, T0, 1]])], 'x.json');
    subscription.dispose();
    model.add([trace('e'.repeat(32), [['y', 's', -1, T0, 1]])], 'y.json');
    assert.equal(changes, 1);
  });

  it('names a trace without a root span name by its id', () => {
    const model = new TraceTreeModel();
    model.add([trace('f'.repeat(32), [['', 's', -1, T0, 1]])], 'x.json');
    assert.equal(model.roots[0]?.label, `trace ${'f'.repeat(32)}`);
  });
});
