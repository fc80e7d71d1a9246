/**
 * The `local` backend: the traces the embedded OTLP receiver has stored, read through the same interface
 * as Jaeger, Tempo and Zipkin. Every answer comes from memory; the store's indexes do the filtering.
 */
import type { TraceStore } from '../store/traceStore';
import type { Trace, TraceSummary } from '../model/types';
import { BackendCancelledError, BackendNotFoundError, BackendQueryError } from './backendErrors';
import type { TraceQuery } from '../model/traceQuery';
import type { BackendCapabilities, RequestOptions, TraceBackend } from './types';

const BACKEND = 'Local receiver';

export class LocalBackend implements TraceBackend {
  readonly type = 'local';
  readonly url = undefined;
  readonly capabilities: BackendCapabilities = { summaries: true, traceQl: false, tagSearch: true, spanFiltering: false };

  constructor(readonly store: TraceStore) {}

  async listServices(options?: RequestOptions): Promise<string[]> {
    checkCancelled(options);
    return this.store.services();
  }

  async listOperations(service: string, options?: RequestOptions): Promise<string[]> {
    checkCancelled(options);
    return this.store.operations(service);
  }

  /** Summaries of matching traces, newest first. A TraceQL query is refused: the local store has no TraceQL engine. */
  async searchTraces(query: TraceQuery, options?: RequestOptions): Promise<TraceSummary[]> {
    checkCancelled(options);
    if (query.traceQl !== undefined && query.traceQl.trim() !== '') {
      throw new BackendQueryError(
        'The local receiver does not run TraceQL; search by service, operation, tags or text instead.',
        {
          backend: BACKEND,
        },
      );
    }
    return this.store.list(query);
  }

  /** The whole trace; the window is ignored (the store holds whole traces). */
  async getTrace(traceId: string, _window?: { startUs?: number; endUs?: number }, options?: RequestOptions): Promise<Trace> {
    checkCancelled(options);
    const trace = this.store.get(traceId);
    if (!trace) {
      const { evictedTraces } = this.store.stats();
      const hint =
        evictedTraces > 0
          ? ` It may have been evicted: ${evictedTraces} older traces were, to stay within ${this.store.maxSpans} spans and ${Math.round(this.store.maxBytes / (1024 * 1024))} MB.`
          : '';
      throw new BackendNotFoundError(
        `Trace ${traceId} is not in the local receiver's store.${hint}`,
        { backend: BACKEND },
        'trace',
      );
    }
    return trace;
  }

  async tagKeys(options?: RequestOptions): Promise<string[]> {
    checkCancelled(options);
    return this.store.tagKeys();
  }

  async tagValues(key: string, options?: RequestOptions): Promise<string[]> {
    checkCancelled(options);
    return this.store.tagValues(key);
  }
}

/** The `local` backend over `store`, for createBackend. */
export function createLocalBackend(store: TraceStore): LocalBackend {
  return new LocalBackend(store);
}

function checkCancelled(options: RequestOptions | undefined): void {
  if (options?.signal?.aborted) throw new BackendCancelledError('Cancelled.', { backend: BACKEND });
}
