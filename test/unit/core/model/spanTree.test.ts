import * as assert from 'node:assert/strict';
import { parseTraces } from '../../../../src/core/formats/parse';
import { summarize } from '../../../../src/core/model/assemble';
import { buildSpanTree, childrenOf, selfTimeUs, type SpanTree } from '../../../../src/core/model/spanTree';
import type { Span, Trace } from '../../../../src/core/model/types';
import { readSharedFixture } from '../../fixtures';

const T0 = 1_700_000_000_000_000; // epoch µs

/** A span with id `id`, child of `parent`, starting `at` µs after T0 and lasting `dur` µs. */
function span(id: string, parent: string | undefined, at: number, dur: number, extra: Partial<Span> = {}): Span {
  return {
    traceId: 'trace-1',
    spanId: id,
    parentSpanId: parent,
    name: `op-${id}`,
    service: 'svc',
    kind: 'internal',
    startUs: T0 + at,
    durationUs: dur,
    status: { code: 'unset' },
    attributes: {},
    resource: {},
    events: [],
    links: [],
    ...extra,
  };
}

function traceOf(...spans: Span[]): Trace {
  return summarize('trace-1', spans);
}

function maxOf(values: Int32Array): number {
  return values.reduce((a, b) => Math.max(a, b), -1);
}

/** Span ids in waterfall order, indented two spaces per depth: reads like the tree it asserts. */
function outline(trace: Trace, tree: SpanTree): string[] {
  return Array.from(tree.order, (i) => '  '.repeat(tree.depth[i]!) + trace.spans[i]!.spanId);
}

/** The invariants every consumer relies on, whatever the input. */
function assertWellFormed(trace: Trace, tree: SpanTree): void {
  const n = trace.spans.length;
  assert.equal(tree.order.length, n);
  assert.equal(new Set(tree.order).size, n, 'order holds every span exactly once');
  assert.equal(tree.childStart.length, n + 1);
  assert.equal(tree.childIndex.length + tree.roots.length, n);
  for (const r of tree.roots) {
    assert.equal(tree.parent[r], -1);
    assert.equal(tree.depth[r], 0);
  }
  for (let i = 0; i < n; i++) {
    for (const c of childrenOf(tree, i)) {
      assert.equal(tree.parent[c], i);
      assert.equal(tree.depth[c], tree.depth[i]! + 1);
    }
  }
}

function build(trace: Trace): SpanTree {
  const tree = buildSpanTree(trace);
  assertWellFormed(trace, tree);
  return tree;
}

describe('buildSpanTree', () => {
  it('nests children under parents, by start time, in depth-first pre-order', () => {
    const trace = traceOf(
      span('c', 'a', 50, 10),
      span('a', undefined, 0, 100),
      span('b', 'a', 10, 20),
      span('b1', 'b', 12, 5),
      span('z', '0000000000000000', 200, 1), // an all-zero parent id says "root"
    );
    const tree = build(trace);
    assert.deepEqual(outline(trace, tree), ['a', '  b', '    b1', '  c', 'z']);
    assert.deepEqual(Array.from(tree.roots), [1, 4]);
    assert.deepEqual(Array.from(childrenOf(tree, 1)), [2, 0]);
    assert.deepEqual(Array.from(tree.parent), [1, -1, 1, 2, -1]);
    assert.deepEqual(tree.warnings, []);
  });

  it('keeps input order among spans that start at the same time', () => {
    const trace = traceOf(span('r', undefined, 0, 10), span('x', 'r', 5, 1), span('y', 'r', 5, 1), span('w', 'r', 5, 1));
    assert.deepEqual(outline(trace, build(trace)), ['r', '  x', '  y', '  w']);
  });

  it('shows orphans as roots after the true roots, with one warning per missing parent', () => {
    const trace = traceOf(
      span('o1', '00000000000000ff', 1, 1),
      span('root', undefined, 5, 10),
      span('o2', '00000000000000ff', 0, 1),
      span('o3', '00000000000000ff', 2, 1),
      span('o4', '00000000000000ee', 3, 1),
    );
    const tree = build(trace);
    assert.deepEqual(outline(trace, tree), ['root', 'o2', 'o1', 'o3', 'o4']);
    assert.deepEqual(tree.warnings, [
      '3 spans name parent 00000000000000ff, which is not in this trace',
      '1 span names parent 00000000000000ee, which is not in this trace',
    ]);
  });

  it('shows a span that names itself as parent as a root, and says so', () => {
    const trace = traceOf(span('a', undefined, 0, 10), span('s', 's', 1, 1), span('k', 's', 2, 1));
    const tree = build(trace);
    assert.deepEqual(outline(trace, tree), ['a', 's', '  k']);
    assert.equal(tree.warnings.length, 1);
    assert.match(tree.warnings[0]!, /span s "op-s" \(svc\) names itself as its parent/);
  });

  it('breaks a two-span cycle at its earliest-starting span', () => {
    const trace = traceOf(span('a', 'b', 5, 1), span('b', 'a', 3, 10));
    const tree = build(trace);
    assert.deepEqual(outline(trace, tree), ['b', '  a']);
    assert.equal(tree.warnings.length, 1);
    assert.match(tree.warnings[0]!, /cycle: a → b → a; span b "op-b" \(svc\), which starts first, is shown as a root/);
  });

  it('breaks longer cycles, keeps what hangs off them, and is deterministic on equal starts', () => {
    // c → d → e → c, all at the same start: the first listed of them (c) becomes the root.
    const trace = traceOf(
      span('root', undefined, 0, 100),
      span('tail', 'd', 9, 1),
      span('c', 'e', 4, 20),
      span('d', 'c', 4, 10),
      span('e', 'd', 4, 1),
    );
    const tree = build(trace);
    assert.deepEqual(outline(trace, tree), ['root', 'c', '  d', '    e', '    tail']);
    assert.equal(tree.warnings.length, 1);
    assert.match(tree.warnings[0]!, /^parent links form a cycle: .*span c "op-c"/);
  });

  it('cuts a 100,000-span ring without recursion', () => {
    const n = 100_000;
    const spans = Array.from({ length: n }, (_, i) => span(`s${i}`, `s${(i + 1) % n}`, n - i, 1));
    const tree = build(summarize('trace-1', spans));
    assert.deepEqual(Array.from(tree.roots), [n - 1]); // the ring's earliest start
    assert.equal(tree.depth[0], n - 1);
    assert.match(tree.warnings[0]!, /\(100000 spans\)/);
  });

  describe('duplicate span ids', () => {
    it('hangs a Zipkin server half under its client half, and children under the half of their service', () => {
      const trace = traceOf(
        span('call', 'root', 12, 50, { shared: true, kind: 'server', service: 'backend' }),
        span('root', undefined, 0, 100, { kind: 'server', service: 'frontend' }),
        span('db', 'call', 20, 5, { kind: 'client', service: 'backend' }),
        span('call', 'root', 10, 60, { kind: 'client', service: 'frontend' }),
        span('retry', 'call', 65, 2, { service: 'frontend' }),
      );
      const tree = build(trace);
      assert.deepEqual(outline(trace, tree), ['root', '  call', '    call', '      db', '    retry']);
      assert.equal(tree.parent[0], 3, 'the shared half is the child of the client half');
      assert.equal(tree.parent[2], 0, 'a backend child attaches to the backend (server) half');
      assert.equal(tree.parent[4], 3, 'a frontend child attaches to the client half');
      assert.deepEqual(tree.warnings, [], 'one client and one server half is the normal Zipkin shape');
    });

    it('puts a child under the server half (of several) that started last before it', () => {
      const trace = traceOf(
        span('root', undefined, 0, 100, { service: 'bouncer' }),
        span('msg', 'root', 1, 40, { kind: 'client', service: 'bouncer' }),
        span('msg', 'root', 10, 5, { shared: true, kind: 'server', service: 'pusher' }),
        span('msg', 'root', 30, 5, { shared: true, kind: 'server', service: 'pusher' }),
        span('work', 'msg', 31, 1, { service: 'pusher' }),
        span('early', 'msg', 11, 1, { service: 'pusher' }),
      );
      const tree = build(trace);
      assert.equal(tree.parent[4], 3);
      assert.equal(tree.parent[5], 2);
      assert.equal(tree.warnings.length, 1);
      assert.match(tree.warnings[0]!, /span id is used by more than one client\/server pair \(msg: 1 non-shared, 2 shared\)/);
    });

    it('keeps every copy of a span listed twice and attaches children to the first', () => {
      const trace = traceOf(
        span('dup', undefined, 0, 10),
        span('dup', undefined, 0, 10, { name: 'second copy' }),
        span('kid', 'dup', 1, 1),
      );
      const tree = build(trace);
      assert.deepEqual(outline(trace, tree), ['dup', '  kid', 'dup']);
      assert.deepEqual(tree.warnings, ['span id is listed more than once (dup ×2); all are shown, children attach to the first']);
    });
  });

  describe('clock skew', () => {
    it('warns about a child that starts before its parent, and leaves the times alone', () => {
      const trace = traceOf(span('p', undefined, 1000, 100, { service: 'a' }), span('c', 'p', 0, 50, { service: 'b' }));
      const tree = build(trace);
      assert.deepEqual(outline(trace, tree), ['p', '  c']);
      assert.equal(trace.spans[1]!.startUs, T0);
      assert.deepEqual(tree.warnings, [
        'clock skew: span c "op-c" (b) starts 1 ms before its parent span p "op-p" (a); times are shown as reported',
      ]);
    });

    it('warns about a child that ends after its parent by more than the parent lasted, not less', () => {
      const within = traceOf(span('p', undefined, 0, 100), span('c', 'p', 50, 140)); // ends 90 µs late
      assert.deepEqual(build(within).warnings, []);
      const beyond = traceOf(span('p', undefined, 0, 100), span('c', 'p', 50, 160)); // ends 110 µs late
      assert.deepEqual(build(beyond).warnings, [
        'clock skew: span c "op-c" (svc) ends 110 µs after its parent span p "op-p" (svc); times are shown as reported',
      ]);
    });

    it('does not call asynchronous messaging or placeholder starts skew', () => {
      const trace = traceOf(
        span('p', undefined, 0, 100),
        span('send', 'p', 10, 5, { kind: 'producer' }),
        span('recv', 'send', 20, 5000, { kind: 'consumer' }),
        span('late', 'p', 50, 0),
        span('unknown', 'late', 0, 0), // where a reader puts a span whose start was missing
      );
      assert.deepEqual(build(trace).warnings, []);
    });
  });

  describe('scale', () => {
    const N = 100_000;

    it('builds a 100,000-deep parent chain, listed in either order', () => {
      const chain = Array.from({ length: N }, (_, i) => span(`s${i}`, i === 0 ? undefined : `s${i - 1}`, i, N - i));
      for (const spans of [chain, [...chain].reverse()]) {
        const trace = summarize('trace-1', spans);
        const tree = build(trace);
        assert.equal(tree.roots.length, 1);
        assert.equal(trace.spans[tree.order[N - 1]!]!.spanId, `s${N - 1}`);
        assert.equal(maxOf(tree.depth), N - 1);
        assert.deepEqual(tree.warnings, []);
      }
    });

    it('builds 100,000 siblings ordered by start, then input order', () => {
      const kids = Array.from({ length: N - 1 }, (_, i) => span(`k${i}`, 'root', (i * 7919) % 1000, 1));
      const trace = summarize('trace-1', [span('root', undefined, 0, 2000), ...kids]);
      const tree = build(trace);
      const children = childrenOf(tree, 0);
      assert.equal(children.length, N - 1);
      for (let k = 1; k < children.length; k++) {
        const a = trace.spans[children[k - 1]!]!.startUs;
        const b = trace.spans[children[k]!]!.startUs;
        assert.ok(a < b || (a === b && children[k - 1]! < children[k]!), `children ${k - 1} and ${k} out of order`);
      }
    });
  });
});

describe('childrenOf', () => {
  it('is a view of the tree, not a copy', () => {
    const trace = traceOf(span('a', undefined, 0, 10), span('b', 'a', 1, 1));
    const tree = buildSpanTree(trace);
    assert.equal(childrenOf(tree, 0).buffer, tree.childIndex.buffer);
    assert.equal(childrenOf(tree, 1).length, 0);
  });
});

describe('selfTimeUs', () => {
  it('is the whole duration for a leaf', () => {
    const trace = traceOf(span('a', undefined, 0, 100));
    assert.equal(selfTimeUs(trace, buildSpanTree(trace), 0), 100);
  });

  it('subtracts the union of overlapping children, not their sum', () => {
    const trace = traceOf(
      span('p', undefined, 0, 100),
      span('c1', 'p', 10, 30), // 10..40
      span('c2', 'p', 20, 30), // 20..50, overlaps c1
      span('c3', 'p', 45, 5), // 45..50, inside c2
      span('c4', 'p', 70, 10), // 70..80
      span('g', 'c4', 0, 100), // a grandchild counts only against its own parent
    );
    assert.equal(selfTimeUs(trace, buildSpanTree(trace), 0), 100 - 40 - 10);
  });

  it('clips children that stick out of the span and ignores ones wholly outside', () => {
    const trace = traceOf(
      span('p', undefined, 100, 100), // 100..200
      span('before', 'p', 50, 70), // 50..120 → 20 inside
      span('after', 'p', 190, 50), // 190..240 → 10 inside
      span('outside', 'p', 300, 10),
    );
    assert.equal(selfTimeUs(trace, buildSpanTree(trace), 0), 70);
  });

  it('is never negative', () => {
    const trace = traceOf(span('p', undefined, 0, 10), span('c', 'p', -5, 100));
    assert.equal(selfTimeUs(trace, buildSpanTree(trace), 0), 0);
  });
});

describe('buildSpanTree on upstream traces', () => {
  function only(text: string): Trace {
    const traces = parseTraces(text);
    assert.equal(traces.length, 1);
    return traces[0]!;
  }

  it('zipkin/skew.json: server half under its client half, clock skew reported', function () {
    const trace = only(readSharedFixture(this, 'zipkin/skew.json'));
    const tree = build(trace);
    const line = (i: number) => `${'  '.repeat(tree.depth[i]!)}${trace.spans[i]!.name} (${trace.spans[i]!.service})`;
    assert.deepEqual(Array.from(tree.order, line), [
      'get (servicea)',
      '  post (servicea)',
      '    post (serviceb)',
      '      async (serviceb)',
    ]);
    assert.equal(tree.warnings.length, 1);
    assert.match(tree.warnings[0]!, /^clock skew: span 74280ae0c10d8062 "post" \(serviceb\) starts 65\.4 ms before its parent/);
  });

  it('zipkin/smartthings-mobile-web-install.json: 1041 spans with 290 shared ids, one root, nothing lost', function () {
    const trace = only(readSharedFixture(this, 'zipkin/smartthings-mobile-web-install.json'));
    assert.equal(trace.spans.length, 1041);
    const tree = build(trace);
    assert.deepEqual(
      Array.from(tree.roots, (i) => trace.spans[i]!.name),
      ['get /login/tokenauth'],
    );
    assert.ok(!tree.warnings.some((w) => w.includes('not in this trace')), 'no orphans');
    // Every server half sits directly under a client half of the same id.
    for (let i = 0; i < trace.spans.length; i++) {
      const s = trace.spans[i]!;
      if (s.shared !== true) continue;
      const p = trace.spans[tree.parent[i]!]!;
      assert.equal(p.spanId, s.spanId);
      assert.notEqual(p.shared, true);
    }
    assert.ok(tree.warnings.some((w) => w.startsWith('85 span ids are used by more than one client/server pair')));
  });

  it('jaeger/ui_01.json: a listed-twice span id keeps both spans, children under the first', function () {
    const trace = only(readSharedFixture(this, 'jaeger/ui_01.json'));
    const tree = build(trace);
    const byId = (id: string) => trace.spans.findIndex((s) => s.spanId === id);
    assert.deepEqual(Array.from(tree.roots), [0, 1]);
    assert.equal(tree.parent[byId('0000000000000003')], 0);
    assert.equal(tree.parent[byId('0000000000000005')], byId('0000000000000004'));
    assert.ok(tree.warnings.some((w) => w.includes('0000000000000002 ×2')));
  });

  it('jaeger/testTrace.json: non-hex ids resolve as parents, FOLLOWS_FROM included', function () {
    const trace = only(readSharedFixture(this, 'jaeger/testTrace.json'));
    const tree = build(trace);
    assert.deepEqual(outline(trace, tree), [
      'span-1',
      '  span-2',
      '  span-3',
      '    span-4',
      '      span-5',
      '  span-2_1',
      '  span-6',
      '    span-7',
      '  span-12',
      '    span-13',
      '    span-14',
    ]);
    assert.deepEqual(tree.warnings, []);
  });
});
