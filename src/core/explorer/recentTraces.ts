/**
 * "Recent traces" of a backend for the Traces view: summaries only, never whole traces. One search when the
 * backend can search across services; otherwise (Jaeger's query API needs a service) one search per service,
 * a few at a time, merged by trace id. Times are epoch µs.
 */
import { BackendQueryError, isBackendError } from '../backends/backendErrors';
import type { TraceBackend } from '../backends/types';
import type { TraceQuery } from '../model/traceQuery';
import type { TraceSummary } from '../model/types';
import { newestFirst, type ListFilter } from './traceList';

export interface RecentTracesOptions {
  filter?: ListFilter;
  /** most traces in all; default 50 */
  limit?: number;
  /** per service when searching service by service; default 20 */
  perServiceLimit?: number;
  /** services searched at most, when searching service by service; default 25 */
  maxServices?: number;
  /** searches in flight at once; default 4 */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface RecentTraces {
  /** newest first, at most `limit` */
  summaries: TraceSummary[];
  /** what was left out or failed without failing the whole load ("12 more services not searched") */
  notes: string[];
}

const DEFAULTS = { limit: 50, perServiceLimit: 20, maxServices: 25, concurrency: 4 } as const;

export async function loadRecentTraces(backend: TraceBackend, options: RecentTracesOptions = {}): Promise<RecentTraces> {
  const { filter = {}, signal } = options;
  const limit = options.limit ?? DEFAULTS.limit;
  const base: TraceQuery = { limit };
  if (filter.service !== undefined) base.service = filter.service;
  if (filter.errorsOnly) base.errorsOnly = true;
  if (filter.minDurationUs !== undefined) base.minDurationUs = filter.minDurationUs;

  try {
    const summaries = await backend.searchTraces(base, { signal });
    return { summaries: summaries.sort(newestFirst).slice(0, limit), notes: [] };
  } catch (e) {
    if (!(e instanceof BackendQueryError) || base.service !== undefined) throw e;
  }
  return byService(backend, base, options, limit);
}

async function byService(
  backend: TraceBackend,
  base: TraceQuery,
  options: RecentTracesOptions,
  limit: number,
): Promise<RecentTraces> {
  const { signal } = options;
  const all = await backend.listServices({ signal });
  const maxServices = options.maxServices ?? DEFAULTS.maxServices;
  const services = all.slice(0, maxServices);
  const notes: string[] = [];
  if (all.length > services.length) {
    const skipped = all.length - services.length;
    const what = skipped === 1 ? '1 more service was' : `${skipped} more services were`;
    notes.push(`${what} not searched — filter by service to see theirs`);
  }
  const perService = Math.min(limit, options.perServiceLimit ?? DEFAULTS.perServiceLimit);
  const byId = new Map<string, TraceSummary>();
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < services.length) {
      const service = services[next++]!;
      try {
        const found = await backend.searchTraces({ ...base, service, limit: perService }, { signal });
        for (const summary of found) if (!byId.has(summary.traceId)) byId.set(summary.traceId, summary);
      } catch (e) {
        if (signal?.aborted || (isBackendError(e) && e.kind === 'cancelled')) throw e;
        failures.push(e);
      }
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULTS.concurrency);
  await Promise.all(Array.from({ length: Math.min(concurrency, services.length) }, worker));
  if (failures.length > 0 && failures.length === services.length) throw failures[0];
  if (failures.length > 0) {
    const reason = failures[0] instanceof Error ? failures[0].message : String(failures[0]);
    notes.push(`${failures.length} of ${services.length} services could not be searched: ${reason}`);
  }
  return { summaries: [...byId.values()].sort(newestFirst).slice(0, limit), notes };
}
