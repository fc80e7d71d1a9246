/**
 * The trace graph tab: service/operation nodes (graphModel.ts) in layers by depth, left to right, each
 * node one line of the tree's pre-order, with its calls, total and self time and errors; the nodes of the
 * critical path outlined. An SVG built with DOM calls: every name reaches the page as text.
 *
 * A WAI-ARIA tree: one tab stop, the node of the selected span as its active descendant; Up and Down go
 * through the nodes, Left to the caller, Right to the first callee; Enter or a click selects the node's
 * slowest span (for every view), G opens its code. At most MAX_NODES are drawn.
 */
import { h } from './dom';
import { serviceColor } from './colors';
import { buildGraph, type GraphNode, type TraceGraph } from './graphModel';
import type { AppState } from './state';
import { formatDuration } from './timeScale';
import type { SpanActions, TraceView } from './viewSwitcher';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_W = 250;
const NODE_H = 40;
const COL = 300;
const ROW = 50;
const MAX_NODES = 2_000;

export class TraceGraphView implements TraceView {
  readonly id = 'graph';
  readonly label = 'Trace graph';
  readonly showsDetail = true;
  readonly tools = 'all';
  readonly root: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly scroller: HTMLElement;
  private svg: SVGSVGElement;
  private graph: TraceGraph | undefined;
  private key = '';
  private elements: SVGGElement[] = [];

  constructor(
    private readonly state: AppState,
    private readonly actions: SpanActions,
  ) {
    this.caption = h('div', { className: 'graph-caption', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.svg = document.createElementNS(SVG, 'svg');
    this.scroller = h(
      'div',
      {
        className: 'graph-scroller',
        attrs: { role: 'tree', tabindex: '0', 'aria-label': 'Trace graph' },
      },
      [this.svg],
    );
    this.root = h('div', { className: 'trace-graph' }, [this.caption, this.scroller]);
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.scroller.addEventListener('click', (e) => this.onClick(e));
  }

  /** The graph drawn (for tests). */
  get current(): TraceGraph | undefined {
    return this.graph;
  }

  shown(): void {
    this.refresh();
  }

  refresh(): void {
    const { data, model } = this.state;
    if (!data || !model) return;
    const root = this.state.focusRow;
    const critical = model.showCritical ? model.critical : undefined;
    const key = `${data.header.traceId}:${data.loaded}:${root}:${critical ? critical.root : 'none'}`;
    if (key !== this.key) {
      this.key = key;
      this.graph = buildGraph(data, root, critical?.onPath);
      this.draw(this.graph);
    }
    this.selectionChanged();
  }

  selectionChanged(): void {
    const graph = this.graph;
    const selected = this.state.model?.selected ?? -1;
    const node = graph && selected >= 0 ? graph.nodeOf[selected]! : -1;
    for (const el of this.elements) el.classList.remove('selected');
    const el = node >= 0 ? this.elements[node] : undefined;
    if (el) {
      el.classList.add('selected');
      el.setAttribute('aria-selected', 'true');
      this.scroller.setAttribute('aria-activedescendant', el.id);
      const y = Number(el.dataset['y']);
      if (y < this.scroller.scrollTop || y + ROW > this.scroller.scrollTop + this.scroller.clientHeight)
        this.scroller.scrollTop = Math.max(0, y - ROW);
    } else this.scroller.removeAttribute('aria-activedescendant');
  }

  focus(): void {
    this.scroller.focus();
  }

  private draw(graph: TraceGraph): void {
    const data = this.state.data!;
    const nodes = graph.nodes.slice(0, MAX_NODES);
    const svg = document.createElementNS(SVG, 'svg');
    const width = (Math.max(0, ...nodes.map((n) => n.depth)) + 1) * COL;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(nodes.length * ROW + 10));
    svg.setAttribute('class', 'graph');
    const edges = document.createElementNS(SVG, 'g');
    svg.appendChild(edges);
    this.elements = [];
    nodes.forEach((node, i) => {
      const x = node.depth * COL + 10;
      const y = i * ROW + 5;
      if (node.parent >= 0 && node.parent < nodes.length) {
        const px = nodes[node.parent]!.depth * COL + 10 + 16;
        const py = node.parent * ROW + 5 + NODE_H;
        const path = document.createElementNS(SVG, 'path');
        path.setAttribute('d', `M${px} ${py} V${y + NODE_H / 2} H${x}`);
        path.setAttribute('class', node.critical ? 'edge critical' : 'edge');
        edges.appendChild(path);
      }
      const g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', `node${node.critical ? ' critical' : ''}${node.errors > 0 ? ' has-error' : ''}`);
      g.setAttribute('role', 'treeitem');
      g.setAttribute('id', `graph-node-${i}`);
      g.setAttribute('aria-level', String(node.depth + 1));
      g.setAttribute('aria-label', describe(node, data.header.services[node.service] ?? ''));
      g.dataset['node'] = String(i);
      g.dataset['y'] = String(y);
      g.setAttribute('transform', `translate(${x} ${y})`);
      const box = document.createElementNS(SVG, 'rect');
      box.setAttribute('width', String(NODE_W));
      box.setAttribute('height', String(NODE_H));
      box.setAttribute('rx', '3');
      box.setAttribute('class', 'box');
      const swatch = document.createElementNS(SVG, 'rect');
      swatch.setAttribute('width', '4');
      swatch.setAttribute('height', String(NODE_H));
      swatch.setAttribute('fill', serviceColor(node.service));
      const title = text(8 + 4, 16, 'title', clip(node.name, 30));
      const calls = node.calls > 1 ? `×${node.calls.toLocaleString('en-US')} · ` : '';
      const errors = node.errors > 0 ? ` · ${errorCount(node.errors)}` : '';
      const meta = text(
        12,
        32,
        'meta',
        clip(`${calls}${formatDuration(node.totalUs)} (self ${formatDuration(node.selfUs)})${errors}`, 40),
      );
      const service = text(NODE_W - 6, 32, 'service', clip(data.header.services[node.service] ?? '', 16));
      service.setAttribute('text-anchor', 'end');
      const tip = document.createElementNS(SVG, 'title');
      tip.textContent = `${node.name}\n${data.header.services[node.service] ?? ''}`;
      g.append(tip, box, swatch, title, meta, service);
      svg.appendChild(g);
      this.elements.push(g);
    });
    this.svg.replaceWith(svg);
    this.svg = svg;
    const more = graph.nodes.length - nodes.length;
    const spans = graph.nodeOf.reduce((n, v) => (v >= 0 ? n + 1 : n), 0);
    this.caption.textContent =
      `${graph.nodes.length.toLocaleString('en-US')} nodes for ${spans.toLocaleString('en-US')} spans` +
      (more > 0 ? ` · the first ${MAX_NODES.toLocaleString('en-US')} drawn` : '');
  }

  private onClick(e: MouseEvent): void {
    const g = (e.target as Element).closest<SVGGElement>('g.node');
    if (!g || !this.graph) return;
    const node = this.graph.nodes[Number(g.dataset['node'])];
    if (node) this.actions.select(node.slowest);
    this.scroller.focus({ preventScroll: true });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || !this.graph) return;
    const nodes = this.graph.nodes;
    const drawn = Math.min(nodes.length, MAX_NODES);
    const selected = this.state.model?.selected ?? -1;
    const at = selected >= 0 ? this.graph.nodeOf[selected]! : -1;
    const go = (i: number): void => {
      if (i >= 0 && i < drawn) this.actions.select(nodes[i]!.slowest);
    };
    switch (e.key) {
      case 'ArrowDown':
        go(at < 0 ? 0 : at + 1);
        break;
      case 'ArrowUp':
        go(at < 0 ? 0 : at - 1);
        break;
      case 'ArrowLeft':
        if (at >= 0) go(nodes[at]!.parent);
        break;
      case 'ArrowRight':
        if (at >= 0) go(nodes[at]!.children[0] ?? -1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(drawn - 1);
        break;
      case 'g':
      case 'Enter':
        if (selected >= 0) this.actions.goToCode(selected);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

function text(x: number, y: number, className: string, content: string): SVGTextElement {
  const el = document.createElementNS(SVG, 'text');
  el.setAttribute('x', String(x));
  el.setAttribute('y', String(y));
  el.setAttribute('class', className);
  el.textContent = content;
  return el;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function describe(node: GraphNode, service: string): string {
  const parts = [
    node.name,
    service,
    `${node.calls.toLocaleString('en-US')} ${node.calls === 1 ? 'call' : 'calls'}`,
    `total ${formatDuration(node.totalUs)}`,
    `self ${formatDuration(node.selfUs)}`,
    ...(node.errors > 0 ? [errorCount(node.errors)] : []),
    ...(node.critical ? ['on the critical path'] : []),
  ];
  return parts.join(', ');
}

function errorCount(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'error' : 'errors'}`;
}
