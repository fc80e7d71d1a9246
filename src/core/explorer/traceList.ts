/**
 * The Traces view's list, apart from drawing it: which summaries pass the view's filter, how they group by
 * root service, and how a start time reads relative to now. Times are epoch µs, durations µs.
 */
import type { TraceQuery } from '../model/traceQuery';
import type { TraceSummary } from '../model/types';
import { formatDurationValue, quoteValue } from '../search/queryFormat';
import { parseQuery } from '../search/queryLanguage';

/** What the view's Filter narrows the list to; every field set must hold. */
export interface ListFilter {
  service?: string;
  errorsOnly?: boolean;
  minDurationUs?: number;
}

export interface ServiceGroup {
  service: string;
  /** newest first */
  traces: TraceSummary[];
  /** traces with at least one error span */
  errorTraces: number;
}

/** The name shown for a trace whose root span has no service. */
export const UNKNOWN_SERVICE = 'unknown service';

export function isEmptyFilter(filter: ListFilter): boolean {
  return filter.service === undefined && !filter.errorsOnly && filter.minDurationUs === undefined;
}

export function matchesFilter(summary: TraceSummary, filter: ListFilter): boolean {
  if (filter.service !== undefined && summary.rootService !== filter.service && !servesIn(summary, filter.service)) {
    return false;
  }
  if (filter.errorsOnly && !((summary.errorCount ?? 0) > 0)) return false;
  if (filter.minDurationUs !== undefined && !(summary.durationUs >= filter.minDurationUs)) return false;
  return true;
}

/** The service took part in the trace, though not at its root (searches by service match those too). */
function servesIn(summary: TraceSummary, service: string): boolean {
  return summary.services?.some((s) => s.name === service) ?? false;
}

/**
 * Summaries by root service. Traces are newest first within a group; groups are ordered by their newest
 * trace, so that the service that just answered is on top. A trace listed twice (by id) is kept once.
 */
export function groupByRootService(summaries: readonly TraceSummary[]): ServiceGroup[] {
  const seen = new Set<string>();
  const groups = new Map<string, ServiceGroup>();
  for (const summary of [...summaries].sort(newestFirst)) {
    if (seen.has(summary.traceId)) continue;
    seen.add(summary.traceId);
    const service = summary.rootService || UNKNOWN_SERVICE;
    let group = groups.get(service);
    if (!group) {
      group = { service, traces: [], errorTraces: 0 };
      groups.set(service, group);
    }
    group.traces.push(summary);
    if ((summary.errorCount ?? 0) > 0) group.errorTraces++;
  }
  return [...groups.values()];
}

/** Newest start first; equal starts by trace id, so that the order never depends on the input's. */
export function newestFirst(a: TraceSummary, b: TraceSummary): number {
  return b.startUs - a.startUs || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0);
}

/** The filter as query terms: `service:checkout error >200ms`; "" when empty. */
export function formatFilter(filter: ListFilter): string {
  const terms: string[] = [];
  if (filter.service !== undefined) terms.push(`service:${quoteValue(filter.service)}`);
  if (filter.errorsOnly) terms.push('error');
  if (filter.minDurationUs !== undefined) terms.push(`>${formatDurationValue(filter.minDurationUs)}`);
  return terms.join(' ');
}

export type FilterParse = { filter: ListFilter } | { error: string };

/**
 * Filter text in the search language's terms: `service:`, `error` and `>duration` narrow the list; anything
 * else is refused with a reason, since the view shows recent traces and does not search.
 */
export function parseFilter(text: string): FilterParse {
  const parsed = parseQuery(text);
  const [first] = parsed.errors;
  if (first) return { error: first.message };
  const unsupported = parsed.tokens.find((t) => !['service', 'error', 'minDuration'].includes(t.kind));
  if (unsupported) {
    const term = text.slice(unsupported.start, unsupported.end);
    return { error: `'${term}': the list filters by service:, error and >duration only — use Search Traces… for more` };
  }
  return { filter: filterOf(parsed.query) };
}

function filterOf(query: TraceQuery): ListFilter {
  const filter: ListFilter = {};
  if (query.service !== undefined) filter.service = query.service;
  if (query.errorsOnly) filter.errorsOnly = true;
  if (query.minDurationUs !== undefined) filter.minDurationUs = query.minDurationUs;
  return filter;
}

/**
 * How long ago `startUs` was, as a list reads it: "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago";
 * beyond a week the UTC date. `nowMs` is epoch milliseconds. A start in the future (clock skew) is "just now".
 */
export function formatRelativeTime(startUs: number, nowMs: number): string {
  if (!Number.isFinite(startUs)) return '';
  const seconds = Math.floor((nowMs * 1000 - startUs) / 1e6);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days} d ago`;
  return new Date(startUs / 1000).toISOString().slice(0, 10);
}
