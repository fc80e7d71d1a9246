/** Agent sources over the pieces both surfaces have: a TraceStore (the receiver's, or trace files loaded into one) and a backend client. */
import { createLocalBackend } from '../backends/localBackend';
import type { TraceBackend } from '../backends/types';
import type { TraceStore } from '../store/traceStore';
import type { Trace } from '../model/types';
import type { AgentContext, AgentSource, SourceKind } from './agentContext';
import { plural } from './format';
import { sourceLine } from './searchTracesTool';

/** A store as a source: searches and traces from memory; its holdings are the window of every answer. */
export function storeSource(name: string, label: string, kind: Exclude<SourceKind, 'remote'>, store: TraceStore): AgentSource {
  return {
    name,
    label,
    kind,
    backend: createLocalBackend(store),
    holdings: () => {
      const { traces, spans, evictedTraces } = store.stats();
      const evicted = evictedTraces > 0 ? `; ${plural(evictedTraces, 'older trace')} evicted to stay within its span limit` : '';
      return `${plural(traces, 'trace')} with ${plural(spans, 'span')} held now${evicted}`;
    },
  };
}

/** A remote backend as a source; `label` like `Jaeger at http://localhost:16686`. */
export function remoteSource(name: string, label: string, backend: TraceBackend): AgentSource {
  return { name, label, kind: 'remote', backend };
}

/** `Jaeger at http://localhost:16686` */
export function backendLabel(backend: TraceBackend): string {
  const system = { jaeger: 'Jaeger', tempo: 'Tempo', zipkin: 'Zipkin', local: 'Local store' }[backend.type];
  return backend.url ? `${system} at ${backend.url}` : system;
}

/** One trace from the named source (or the active one), with the line that names where it was read. */
export async function fetchTrace(
  ctx: AgentContext,
  sourceName: string | undefined,
  traceId: string,
  signal?: AbortSignal,
): Promise<{ trace: Trace; source: string }> {
  const lease = await ctx.source(sourceName, signal);
  try {
    const trace = await lease.source.backend.getTrace(traceId, undefined, { signal });
    return { trace, source: sourceLine(lease.source) };
  } finally {
    await lease.release();
  }
}
