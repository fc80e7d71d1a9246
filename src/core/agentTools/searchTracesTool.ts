/** search_traces: the palette's query language (or TraceQL for Tempo) → a compact table of matching traces. */
import type { TraceQuery } from '../model/traceQuery';
import { DEFAULT_LOOKBACK_US, DEFAULT_SEARCH_LIMIT } from '../backends/searchWindow';
import { describeQuery } from '../search/queryFormat';
import { parseQuery } from '../search/queryLanguage';
import type { AgentContext, AgentSource } from './agentContext';
import { DATA_CLOSE, DATA_NOTICE, DATA_OPEN, id, quote } from './dataText';
import { count, duration, instant, plural, timeWindow } from './format';
import type { SearchTracesInput } from './toolDefinitions';
import { ToolError } from './toolErrors';

const UNIT_US: Readonly<Record<string, number>> = { s: 1e6, m: 60e6, h: 3600e6, d: 86_400e6, w: 604_800e6 };

export async function searchTracesTool(ctx: AgentContext, input: SearchTracesInput, signal?: AbortSignal): Promise<string> {
  const nowMs = ctx.now?.() ?? Date.now();
  const parsed = parseQuery(input.query ?? '', nowMs);
  if (parsed.errors.length > 0) {
    throw new ToolError(
      'invalidInput',
      `The query cannot be read: ${parsed.errors.map((e) => e.message).join('; ')}. ` +
        'Terms look like service:checkout name:"POST /orders" http.status_code=500 error >200ms last:1h limit:50, or TraceQL in braces for Tempo.',
    );
  }
  const lease = await ctx.source(input.source, signal);
  try {
    const source = lease.source;
    const query: TraceQuery = { ...parsed.query };
    query.limit ??= input.limit ?? DEFAULT_SEARCH_LIMIT;
    const nowUs = nowMs * 1000;
    let windowText: string;
    if (query.startUs !== undefined || query.endUs !== undefined || input.lookback !== undefined || source.kind === 'remote') {
      if (query.startUs === undefined && query.endUs === undefined) {
        const lookbackUs = input.lookback !== undefined ? lookback(input.lookback) : DEFAULT_LOOKBACK_US;
        [query.startUs, query.endUs] = [nowUs - lookbackUs, nowUs];
      }
      const startUs = query.startUs ?? (query.endUs ?? nowUs) - DEFAULT_LOOKBACK_US;
      const endUs = query.endUs ?? nowUs;
      windowText = `traces that started from ${timeWindow(startUs, endUs)} (the last ${duration(endUs - startUs)})`;
    } else {
      windowText = `everything the store holds (${source.holdings?.() ?? 'all its traces'})`;
    }
    const hits = await source.backend.searchTraces(query, { signal });
    const lines = [
      `Source: ${sourceLine(source)}.`,
      `Window: ${windowText}. Query: ${describeQuery(query)}.`,
      DATA_NOTICE,
      DATA_OPEN,
      hits.length === 0
        ? 'no trace matches'
        : `${plural(hits.length, 'trace')}, newest first (trace id | root service | root operation | start | duration | spans | error spans):`,
      ...hits.map(
        (h) =>
          `${id(h.traceId)} | ${quote(h.rootService, 80)} | ${quote(h.rootName, 120)} | ${instant(h.startUs)} | ${duration(h.durationUs)} | ` +
          `${h.spanCount !== undefined ? count(h.spanCount) : '?'} | ${h.errorCount !== undefined ? count(h.errorCount) : '?'}`,
      ),
      DATA_CLOSE,
    ];
    if (hits.length >= (query.limit ?? Infinity)) {
      lines.push(`The limit of ${query.limit} was reached: there may be more. Narrow the query, or raise limit.`);
    }
    if (hits.length > 0) lines.push('get_trace with a traceId shows where its time went, its errors and the code they map to.');
    else if (source.kind === 'remote')
      lines.push('Nothing in this window: try a longer lookback, fewer terms, or list_services for the service names.');
    return lines.join('\n');
  } finally {
    await lease.release();
  }
}

/** `Jaeger at http://localhost:16686 (remote backend "jaeger")` */
export function sourceLine(source: AgentSource): string {
  const kind = source.kind === 'remote' ? 'remote backend' : source.kind === 'local' ? 'local receiver store' : 'trace file';
  return `${source.label} (${kind} ${JSON.stringify(source.name)})`;
}

/** `15m` → microseconds. The schema has checked the shape. */
function lookback(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!m) throw new ToolError('invalidInput', `lookback "${text}" is not a number and a unit such as 30s, 15m, 1h, 2d or 1w`);
  return Number(m[1]) * UNIT_US[m[2]!]!;
}
