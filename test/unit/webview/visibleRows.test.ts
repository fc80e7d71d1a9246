import * as assert from 'node:assert/strict';
import {
  collapseAll,
  collapseOneLevel,
  collapseShorterThan,
  expandAncestors,
  expandOneLevel,
  visibleRows,
  withAncestors,
} from '../../../webview/visibleRows';
import { buildTrace, ids, toTraceData } from '../core/waterfall/buildTrace';

describe('visibleRows', () => {
  // a ─┬─ b ── c
  //    └─ d ── e
  // o (orphan)
  const data = toTraceData(
    buildTrace([
      ['a', undefined, 0, 100],
      ['b', 'a', 0, 40],
      ['c', 'b', 5, 0.5],
      ['d', 'a', 50, 40],
      ['e', 'd', 55, 10],
      ['o', 'gone', 1, 1],
    ]),
  );
  const row = (id: string): number => data.rowOfSpanId(id);
  const listed = (collapsed: Uint8Array, focusRow = -1, keep?: Uint8Array): string[] =>
    ids(data, visibleRows(data, { collapsed, focusRow, keep }));

  it('lists every row when nothing is collapsed', () => {
    assert.deepEqual(listed(new Uint8Array(data.n)), ['a', 'b', 'c', 'd', 'e', 'o']);
  });

  it('hides the descendants of a collapsed row, and only those', () => {
    const collapsed = new Uint8Array(data.n);
    collapsed[row('b')] = 1;
    assert.deepEqual(listed(collapsed), ['a', 'b', 'd', 'e', 'o']);
  });

  it('collapse all leaves the top level; expand-ancestors brings a row back', () => {
    const collapsed = new Uint8Array(data.n);
    collapseAll(data, collapsed);
    assert.deepEqual(listed(collapsed), ['a', 'o']);
    assert.equal(expandAncestors(data, collapsed, row('e')), true);
    assert.deepEqual(listed(collapsed), ['a', 'b', 'd', 'e', 'o']);
  });

  it('focus lists one subtree', () => {
    assert.deepEqual(listed(new Uint8Array(data.n), row('d')), ['d', 'e']);
  });

  it('keeps matches with their ancestors when non-matching rows are hidden', () => {
    const keep = withAncestors(data, [row('e')]);
    assert.deepEqual(listed(new Uint8Array(data.n), -1, keep), ['a', 'd', 'e']);
  });

  it('collapses and expands one level at a time', () => {
    const collapsed = new Uint8Array(data.n);
    const all = visibleRows(data, { collapsed, focusRow: -1 });
    assert.equal(collapseOneLevel(data, collapsed, all), true);
    assert.deepEqual(listed(collapsed), ['a', 'b', 'd', 'o']);
    assert.equal(collapseOneLevel(data, collapsed, visibleRows(data, { collapsed, focusRow: -1 })), true);
    assert.deepEqual(listed(collapsed), ['a', 'o']);
    assert.equal(expandOneLevel(data, collapsed, visibleRows(data, { collapsed, focusRow: -1 })), true);
    assert.deepEqual(listed(collapsed), ['a', 'b', 'd', 'o']);
  });

  it('collapses spans shorter than a threshold', () => {
    const collapsed = new Uint8Array(data.n);
    assert.equal(collapseShorterThan(data, collapsed, 45_000), 2);
    assert.deepEqual(listed(collapsed), ['a', 'b', 'd', 'o']);
  });

  it('lists rows of a partly received trace', () => {
    const partial = toTraceData(
      buildTrace([
        ['a', undefined, 0, 1],
        ['b', 'a', 0, 1],
      ]),
      { chunkRows: 1 },
    );
    assert.equal(visibleRows(partial, { collapsed: new Uint8Array(2), focusRow: -1 }).length, 2);
  });
});
