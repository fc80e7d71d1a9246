/**
 * The name column of the waterfall: a small pool of row elements (treeitems, so that screen readers and
 * tests read them) reused as the list scrolls. A slot is rewritten only when its row or the content changed.
 */
import { SpanFlags } from '../src/protocol/waterfallData';
import { serviceColor } from './colors';
import { h, icon } from './dom';
import type { WaterfallModel } from './model';
import { formatDuration } from './timeScale';
import { INDENT, ROW_HEIGHT, indentLevels } from './waterfallLayout';

interface Slot {
  el: HTMLDivElement;
  indent: HTMLSpanElement;
  twisty: HTMLSpanElement;
  swatch: HTMLSpanElement;
  name: HTMLSpanElement;
  service: HTMLSpanElement;
  deep: HTMLSpanElement;
  error: HTMLSpanElement;
  code: HTMLSpanElement;
  row: number;
  key: string;
}

export class RowNames {
  private readonly slots: Slot[] = [];
  /** position among listed siblings and their count, per listed index, for aria-posinset / aria-setsize */
  private treePos: { rows: Int32Array; pos: Int32Array; size: Int32Array } | undefined;

  /** `inner` holds the row elements; `tree` is the element with role tree that names the active row. */
  constructor(
    private readonly inner: HTMLElement,
    private readonly tree: HTMLElement,
  ) {}

  /** Makes sure there are `count` row elements. */
  ensureSlots(count: number): void {
    while (this.slots.length < count) {
      const k = this.slots.length;
      // One chevron per row, turned by CSS when collapsed: nothing is created while scrolling.
      const twisty = h('span', { className: 'twisty' }, [icon('chevronDown')]);
      const slot: Slot = {
        el: h('div', { className: 'row', attrs: { role: 'treeitem', id: `wf-row-${k}` } }),
        indent: h('span', { className: 'indent' }),
        twisty,
        swatch: h('span', { className: 'swatch' }),
        name: h('span', { className: 'name' }),
        service: h('span', { className: 'service' }),
        deep: h('span', { className: 'deep' }),
        error: h('span', { className: 'mark error', title: 'Error', attrs: { 'aria-hidden': 'true' } }, [icon('error')]),
        code: h('span', { className: 'mark code', title: 'Go to Code', attrs: { 'aria-hidden': 'true' } }, [icon('code')]),
        row: -1,
        key: '',
      };
      slot.el.style.top = `${k * ROW_HEIGHT}px`;
      slot.el.hidden = true;
      slot.el.append(slot.indent, slot.twisty, slot.deep, slot.swatch, slot.name, slot.service, slot.error, slot.code);
      this.inner.appendChild(slot.el);
      this.slots.push(slot);
    }
  }

  /**
   * Shows listed rows `first .. first + count - 1`, the first `offset` pixels from the top, in a column
   * `nameWidth` pixels wide. `version` changes when rows' text may have changed, not only their positions.
   */
  render(
    model: WaterfallModel,
    first: number,
    count: number,
    offset: number,
    nameWidth: number,
    version: number,
    focused: boolean,
  ): void {
    const { data } = model;
    this.inner.style.transform = `translateY(${offset}px)`;
    const levels = indentLevels(nameWidth);
    const tree = this.siblingPositions(model);
    let active = '';
    for (let k = 0; k < this.slots.length; k++) {
      const slot = this.slots[k]!;
      if (k >= count) {
        if (!slot.el.hidden) {
          slot.el.hidden = true;
          slot.row = -1;
          slot.key = '';
        }
        continue;
      }
      const row = model.rows[first + k]!;
      const selected = row === model.selected;
      if (selected) active = slot.el.id;
      const key = `${version}:${row}`;
      if (slot.key === key) continue;
      slot.key = key;
      slot.row = row;
      slot.el.hidden = false;
      const depth = Math.max(0, data.depth[row]! - model.depthBase);
      const parent = data.parent[row]!;
      const hasChildren = data.hasChildren(row);
      const collapsed = model.collapsed[row] === 1;
      const flags = data.flags[row]!;
      const error = (flags & SpanFlags.error) !== 0;
      const name = data.nameOf(row);
      const service = data.serviceOf(row);
      slot.indent.style.width = `${Math.min(depth, levels) * INDENT}px`;
      slot.deep.textContent = depth > levels ? `${depth}` : '';
      slot.deep.title = depth > levels ? `depth ${depth}` : '';
      slot.twisty.className = hasChildren ? (collapsed ? 'twisty collapsed' : 'twisty') : 'twisty leaf';
      slot.swatch.style.background = serviceColor(data.service[row]!);
      slot.name.textContent = name;
      // The service is named where it changes, as a trace reader scans for hops.
      const showService = parent < 0 || data.service[parent] !== data.service[row] || depth === 0;
      slot.service.textContent = showService ? service : '';
      slot.error.hidden = !error;
      slot.code.hidden = model.mapped[row] !== 1;
      let cls = 'row';
      if (selected) cls += focused ? ' selected focused' : ' selected';
      if (model.match)
        cls +=
          model.match[row] === 1 ? (row === model.currentMatch ? ' match current' : ' match') : model.dimNonMatches ? ' dim' : '';
      if (model.showCritical && model.critical?.onPath[row] === 1) cls += ' critical';
      if (error) cls += ' has-error';
      slot.el.className = cls;
      slot.el.setAttribute('aria-level', String(depth + 1));
      slot.el.setAttribute('aria-posinset', String(tree.pos[first + k]!));
      slot.el.setAttribute('aria-setsize', String(tree.size[first + k]!));
      slot.el.setAttribute('aria-selected', selected ? 'true' : 'false');
      if (hasChildren) slot.el.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
      else slot.el.removeAttribute('aria-expanded');
      slot.el.setAttribute(
        'aria-label',
        `${name}, ${service}, ${formatDuration(data.durationUs[row]!)}${error ? ', error' : ''}${model.mapped[row] === 1 ? ', has code location' : ''}`,
      );
      slot.el.dataset['row'] = String(row);
    }
    if (active) this.tree.setAttribute('aria-activedescendant', active);
    else this.tree.removeAttribute('aria-activedescendant');
  }

  /**
   * Each listed row's position among its listed siblings and their count: the tree is virtualized, so
   * assistive technology cannot count the items itself. One pass over the listed rows, once per listing.
   */
  private siblingPositions(model: WaterfallModel): { pos: Int32Array; size: Int32Array } {
    const rows = model.rows;
    if (this.treePos?.rows === rows) return this.treePos;
    const { data } = model;
    const n = rows.length;
    const pos = new Int32Array(n);
    const size = new Int32Array(n);
    // Rows listed at the top of the list (roots, orphans, the focused row) share the key data.n.
    const top = model.depthBase;
    const counts = new Int32Array(data.n + 1);
    const keyOf = (row: number): number => {
      const p = data.parent[row]!;
      return p < 0 || data.depth[row]! <= top ? data.n : p;
    };
    for (let i = 0; i < n; i++) pos[i] = ++counts[keyOf(rows[i]!)]!;
    for (let i = 0; i < n; i++) size[i] = counts[keyOf(rows[i]!)]!;
    this.treePos = { rows, pos, size };
    return this.treePos;
  }
}
