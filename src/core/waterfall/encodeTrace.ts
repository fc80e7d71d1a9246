/**
 * A Trace in the waterfall's compact form (src/protocol/waterfallData.ts): rows in depth-first pre-order,
 * typed-array columns, one string table, chunks of CHUNK_ROWS rows. Linear after the span tree is built.
 */
import { isNullId } from '../model/ids';
import { buildSpanTree, selfTimeUs, type SpanTree } from '../model/spanTree';
import type { Trace } from '../model/types';
import {
  CHUNK_ROWS,
  KIND_SHIFT,
  MAX_LABEL_CHARS,
  SPAN_KINDS,
  SpanFlags,
  type WaterfallChunk,
  type WaterfallHeader,
} from '../../protocol/waterfallData';

/** A trace made ready for one waterfall: what is sent, and the maps the host needs to answer about rows. */
export interface EncodedTrace {
  trace: Trace;
  tree: SpanTree;
  header: WaterfallHeader;
  chunks: WaterfallChunk[];
  /** row → index into trace.spans */
  spanOfRow: Int32Array;
  /** index into trace.spans → row */
  rowOfSpan: Int32Array;
  /** microseconds per row, as sent (self time is also needed by the detail pane) */
  selfUs: Float64Array;
}

export interface EncodeOptions {
  hasBackendUi?: boolean;
  chunkRows?: number;
}

export function encodeTrace(trace: Trace, options: EncodeOptions = {}): EncodedTrace {
  const tree = buildSpanTree(trace);
  const spans = trace.spans;
  const n = spans.length;
  const order = tree.order;
  const chunkRows = Math.max(1, options.chunkRows ?? CHUNK_ROWS);
  const traceStart = Number.isFinite(trace.startUs) ? trace.startUs : 0;

  const rowOfSpan = new Int32Array(n);
  for (let row = 0; row < n; row++) rowOfSpan[order[row]!] = row;

  // subtreeEnd by a reverse sweep: a row's subtree ends where its last child's subtree ends.
  const subtreeEnd = new Int32Array(n);
  for (let row = n - 1; row >= 0; row--) {
    const s = order[row]!;
    const last = tree.childStart[s + 1]! - 1;
    subtreeEnd[row] = last >= tree.childStart[s]! ? subtreeEnd[rowOfSpan[tree.childIndex[last]!]!]! : row + 1;
  }

  const selfUs = new Float64Array(n);
  const serviceIndex = new Map<string, number>();
  const services: string[] = [];
  const strings = new Map<string, number>();
  const chunks: WaterfallChunk[] = [];

  for (let offset = 0; offset < n || (n === 0 && chunks.length === 0); offset += chunkRows) {
    const count = Math.min(chunkRows, n - offset);
    const fresh: string[] = [];
    const intern = (text: string): number => {
      let id = strings.get(text);
      if (id === undefined) {
        id = strings.size;
        strings.set(text, id);
        fresh.push(text);
      }
      return id;
    };
    const chunk: WaterfallChunk = {
      offset,
      count,
      strings: fresh,
      spanIndex: order.slice(offset, offset + count),
      parent: new Int32Array(count),
      depth: new Int32Array(count),
      subtreeEnd: subtreeEnd.slice(offset, offset + count),
      startUs: new Float64Array(count),
      durationUs: new Float64Array(count),
      selfUs: new Float64Array(count),
      name: new Int32Array(count),
      spanId: new Int32Array(count),
      service: new Int32Array(count),
      flags: new Uint16Array(count),
    };
    for (let k = 0; k < count; k++) {
      const s = order[offset + k]!;
      const span = spans[s]!;
      const p = tree.parent[s]!;
      chunk.parent[k] = p < 0 ? -1 : rowOfSpan[p]!;
      chunk.depth[k] = tree.depth[s]!;
      chunk.startUs[k] = Number.isFinite(span.startUs) ? span.startUs - traceStart : 0;
      chunk.durationUs[k] = span.durationUs > 0 ? span.durationUs : 0;
      const self = selfTime(trace, tree, s);
      selfUs[offset + k] = self;
      chunk.selfUs[k] = self;
      chunk.name[k] = intern(label(span.name));
      chunk.spanId[k] = intern(label(span.spanId));
      const serviceName = label(span.service);
      let svc = serviceIndex.get(serviceName);
      if (svc === undefined) {
        svc = services.length;
        serviceIndex.set(serviceName, svc);
        services.push(serviceName);
      }
      chunk.service[k] = svc;
      chunk.flags[k] = flagsOf(span, p);
    }
    chunks.push(chunk);
    if (n === 0) break;
  }

  const header: WaterfallHeader = {
    traceId: trace.traceId,
    spanCount: n,
    chunkCount: chunks.length,
    startUs: traceStart,
    durationUs: Number.isFinite(trace.durationUs) && trace.durationUs > 0 ? trace.durationUs : 0,
    services,
    warnings: [...trace.warnings, ...tree.warnings],
    hasBackendUi: options.hasBackendUi ?? false,
  };
  if (trace.partial !== undefined) header.partial = trace.partial;
  return { trace, tree, header, chunks, spanOfRow: order, rowOfSpan, selfUs };
}

function flagsOf(span: Trace['spans'][number], parent: number): number {
  let flags = Math.max(0, SPAN_KINDS.indexOf(span.kind)) << KIND_SHIFT;
  if (span.status.code === 'error') flags |= SpanFlags.error;
  if (span.events.length > 0) flags |= SpanFlags.hasEvents;
  if (span.links.length > 0) flags |= SpanFlags.hasLinks;
  if (parent < 0 && !isNullId(span.parentSpanId)) flags |= SpanFlags.orphan;
  if (span.shared === true) flags |= SpanFlags.shared;
  for (const event of span.events) {
    if (event.name === 'exception') {
      flags |= SpanFlags.exception | SpanFlags.error;
      break;
    }
  }
  return flags;
}

/** Names and ids as the rows show them: text, cut to MAX_LABEL_CHARS. */
function label(text: unknown): string {
  const s = typeof text === 'string' ? text : String(text);
  return s.length > MAX_LABEL_CHARS ? `${s.slice(0, MAX_LABEL_CHARS - 1)}…` : s;
}

/** A leaf's self time is its duration; only spans with children need the interval sweep. */
function selfTime(trace: Trace, tree: SpanTree, s: number): number {
  if (tree.childStart[s + 1] === tree.childStart[s]) {
    const d = trace.spans[s]!.durationUs;
    return d > 0 ? d : 0;
  }
  return selfTimeUs(trace, tree, s);
}
