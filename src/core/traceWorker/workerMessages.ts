/**
 * What the trace worker (traceWorker.ts) and the host say to each other, and how a Trace crosses between them:
 * the encoded waterfall form first, its typed arrays transferred without a copy, then the spans in slices so
 * that no single message takes the host long to receive. Resources and scopes are shared by many spans; they
 * cross once each and every span names them by number, so the host's spans share them again.
 */
import { EMPTY_LIST } from '../model/attributes';
import type { Attributes, InstrumentationScope, Span, Trace } from '../model/types';
import type { SpanTree } from '../model/spanTree';
import type { WaterfallChunk, WaterfallHeader } from '../../protocol/waterfallData';
import type { TraceFormat } from '../formats/parse';

/**
 * Host → worker: the bytes of one document (transferred), and the format when the caller knows it; then
 * 'more' for each further slice of spans.
 */
export interface ReadRequest {
  bytes: Uint8Array;
  format?: TraceFormat;
}

/** A Trace without its spans. */
export type TraceFrame = Omit<Trace, 'spans'>;

/** The encoded waterfall form of a trace, without the trace itself (EncodedTrace minus `trace`). */
export interface EncodedParts {
  tree: SpanTree;
  header: WaterfallHeader;
  chunks: WaterfallChunk[];
  spanOfRow: Int32Array;
  rowOfSpan: Int32Array;
  selfUs: Float64Array;
}

/** A span as it crosses: its resource and scope as numbers into the tables that came with earlier slices. */
export type WireSpan = Omit<Span, 'resource' | 'scope'> & { resource: number; scope: number };

export type WorkerMessage =
  /** the worker has loaded and waits for a ReadRequest */
  | { type: 'ready' }
  /** how many traces the document holds; each then comes as `trace`, its `spans` slices, in order */
  | { type: 'traces'; count: number; parseMs: number }
  /** a trace without its spans; the first trace (index 0) with its encoded waterfall form */
  | { type: 'trace'; index: number; frame: TraceFrame; spanCount: number; encoded?: EncodedParts; encodeMs?: number }
  | {
      type: 'spans';
      index: number;
      /** resources and scopes first used by this slice; they extend the tables of earlier slices, in order */
      resources: Attributes[];
      scopes: InstrumentationScope[];
      spans: WireSpan[];
    }
  | { type: 'done' }
  | { type: 'error'; message: string; formatError?: { format: string; where: string; reason: string } };

/** Spans per `spans` message: a slice is received on the host in a few milliseconds. */
export const SPANS_PER_SLICE = 1000;

/** The distinct ArrayBuffers behind an encoded trace's typed arrays, to transfer them rather than copy. */
export function buffersOf(encoded: EncodedParts): ArrayBuffer[] {
  const buffers = new Set<ArrayBufferLike>();
  const add = (a: ArrayBufferView): void => void buffers.add(a.buffer);
  const t = encoded.tree;
  [t.roots, t.parent, t.childStart, t.childIndex, t.depth, t.order, encoded.rowOfSpan, encoded.selfUs].forEach(add);
  for (const c of encoded.chunks) {
    [
      c.spanIndex,
      c.parent,
      c.depth,
      c.subtreeEnd,
      c.startUs,
      c.durationUs,
      c.selfUs,
      c.name,
      c.spanId,
      c.service,
      c.flags,
    ].forEach(add);
  }
  return [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** Turns spans into wire spans, numbering resources and scopes not seen before in `seen`. */
export class SpanPacker {
  private readonly resourceIds = new Map<Attributes, number>();
  private readonly scopeIds = new Map<InstrumentationScope, number>();

  pack(spans: readonly Span[]): { resources: Attributes[]; scopes: InstrumentationScope[]; spans: WireSpan[] } {
    const resources: Attributes[] = [];
    const scopes: InstrumentationScope[] = [];
    const wire = spans.map((span): WireSpan => {
      let resource = this.resourceIds.get(span.resource);
      if (resource === undefined) {
        resource = this.resourceIds.size;
        this.resourceIds.set(span.resource, resource);
        resources.push(span.resource);
      }
      // -1: no scope key, -2: the key with no scope (readers differ; the host keeps the span as it was)
      let scope = 'scope' in span ? -2 : -1;
      if (span.scope !== undefined) {
        const known = this.scopeIds.get(span.scope);
        if (known === undefined) {
          scope = this.scopeIds.size;
          this.scopeIds.set(span.scope, scope);
          scopes.push(span.scope);
        } else scope = known;
      }
      return { ...span, resource, scope };
    });
    return { resources, scopes, spans: wire };
  }
}

/** The host's half of SpanPacker: wire spans back into spans that share their resources and scopes. */
export class SpanUnpacker {
  private readonly resources: Attributes[] = [];
  private readonly scopes: InstrumentationScope[] = [];

  unpack(slice: { resources: Attributes[]; scopes: InstrumentationScope[]; spans: WireSpan[] }, into: Span[]): void {
    this.resources.push(...slice.resources);
    this.scopes.push(...slice.scopes);
    for (const wire of slice.spans) {
      const span = wire as unknown as Span;
      span.resource = this.resources[wire.resource]!;
      if (wire.scope >= 0) span.scope = this.scopes[wire.scope]!;
      else if (wire.scope === -2) span.scope = undefined;
      else delete span.scope;
      // Spans without events or links share one frozen list again, as the readers made them.
      if (span.events.length === 0) span.events = EMPTY_LIST;
      if (span.links.length === 0) span.links = EMPTY_LIST;
      into.push(span);
    }
  }
}
