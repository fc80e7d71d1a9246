/** Query pieces the remote backends share: the search window, duration and time encodings, text matching. */
import { normalizeTraceId } from '../model/ids';
import type { TraceQuery } from '../model/traceQuery';
import type { Trace, TraceSummary } from '../model/types';

/** What a search covers when the query does not say: the last hour. */
export const DEFAULT_LOOKBACK_US = 3_600_000_000;
export const DEFAULT_SEARCH_LIMIT = 20;

/** Both bounds of the search, epoch µs: the query's, else the hour before `nowMs` (or before its end). */
export function searchWindow(query: TraceQuery, nowMs: number): { startUs: number; endUs: number } {
  const endUs = query.endUs ?? nowMs * 1000;
  const startUs = query.startUs ?? endUs - DEFAULT_LOOKBACK_US;
  return { startUs: Math.floor(startUs), endUs: Math.ceil(endUs) };
}

/** µs → a Go duration string ("1500us"), which time.ParseDuration reads exactly. */
export function goDuration(us: number): string {
  return `${Math.max(0, Math.round(us))}us`;
}

/** Epoch µs → RFC 3339 with microseconds, as Go's time.Parse(time.RFC3339Nano) accepts. */
export function rfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = Math.floor(us) - ms * 1000;
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_, millis: string) => `.${millis}${String(micros).padStart(3, '0')}Z`);
}

/** The tags a query filters on, with `errorsOnly` as the tag each backend's convention uses. */
export function queryTags(query: TraceQuery, errorTag: [string, string] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(query.tags ?? {})) tags[k] = v;
  if (query.errorsOnly && errorTag) tags[errorTag[0]] = errorTag[1];
  return tags;
}

/** Case-insensitive match of free text against span names, services and string attribute values. */
export function traceMatchesText(trace: Trace, text: string | undefined): boolean {
  const needle = text?.trim().toLowerCase();
  if (!needle) return true;
  for (const span of trace.spans) {
    if (span.name.toLowerCase().includes(needle) || span.service.toLowerCase().includes(needle)) return true;
    for (const value of Object.values(span.attributes)) {
      if (typeof value === 'string' && value.toLowerCase().includes(needle)) return true;
    }
  }
  return false;
}

/** The same for a summary, which has only its root and service names. */
export function summaryMatchesText(summary: TraceSummary, text: string | undefined): boolean {
  const needle = text?.trim().toLowerCase();
  if (!needle) return true;
  const names = [summary.rootName, summary.rootService, ...(summary.services ?? []).map((s) => s.name)];
  return names.some((n) => n.toLowerCase().includes(needle));
}

/** Every attribute in `tags` present with that value (compared as text) on one span. */
export function traceHasTags(trace: Trace, tags: Record<string, string>): boolean {
  const entries = Object.entries(tags);
  if (entries.length === 0) return true;
  return trace.spans.some((span) =>
    entries.every(([k, v]) => {
      const actual = Object.prototype.hasOwnProperty.call(span.attributes, k) ? span.attributes[k] : span.resource[k];
      if (k === 'error' && v === 'true' && span.status.code === 'error') return true;
      return actual !== undefined && actual !== null && String(actual) === v;
    }),
  );
}

export function newestFirst(a: TraceSummary, b: TraceSummary): number {
  return b.startUs - a.startUs;
}

/** A trace id as the backends accept it: 1 to 32 hex digits. */
export function isHexTraceId(id: string): boolean {
  return /^[0-9a-fA-F]{1,32}$/.test(id);
}

/** The asked-for trace among those a body held; a lone trace is taken whatever its id was written as. */
export function pickTrace(id: string, traces: readonly Trace[]): Trace | undefined {
  const wanted = normalizeTraceId(id);
  return traces.find((t) => t.traceId === wanted) ?? (traces.length === 1 ? traces[0] : undefined);
}
