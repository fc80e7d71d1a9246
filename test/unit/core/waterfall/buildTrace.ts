/** Small hand-made traces for the waterfall tests: spans given as [id, parent, startMs, durationMs, extras]. */
import type { Span, Trace } from '../../../../src/core/model/types';
import { encodeTrace, type EncodeOptions } from '../../../../src/core/waterfall/encodeTrace';
import { TraceData } from '../../../../webview/traceData';
import { buildSpan } from '../../../builders';

export type SpanSpec = [id: string, parent: string | undefined, startMs: number, durationMs: number, extra?: Partial<Span>];

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const T0 = 1_700_000_000_000_000;

export function buildTrace(specs: SpanSpec[]): Trace {
  const spans: Span[] = specs.map(([id, parent, startMs, durationMs, extra]) =>
    buildSpan({
      traceId: TRACE_ID,
      spanId: id,
      ...(parent === undefined ? {} : { parentSpanId: parent }),
      name: `op-${id}`,
      service: 'svc',
      kind: 'internal',
      startUs: T0 + startMs * 1000,
      durationUs: durationMs * 1000,
      resource: {},
      ...extra,
    }),
  );
  const start = Math.min(...spans.map((s) => s.startUs));
  const end = Math.max(...spans.map((s) => s.startUs + s.durationUs));
  return {
    traceId: TRACE_ID,
    spans,
    services: [...new Set(spans.map((s) => s.service))],
    startUs: start,
    durationUs: end - start,
    warnings: [],
  };
}

/** The trace as the webview holds it, after every chunk arrived. */
export function toTraceData(trace: Trace, options?: EncodeOptions): TraceData {
  const encoded = encodeTrace(trace, options);
  const data = new TraceData(encoded.header);
  for (const chunk of encoded.chunks) if (!data.addChunk(chunk)) throw new Error('chunk refused');
  return data;
}

/** Span ids of rows, for readable assertions. */
export function ids(data: TraceData, rows: ArrayLike<number>): string[] {
  return Array.from(rows as ArrayLike<number>, (r) => data.spanIdOf(r));
}
