/** get_trace: one trace summarised to a character budget, or one of its spans in full. */
import type { CodeMatch } from '../codeLocation/evidence';
import { normalizeSpanId } from '../model/ids';
import type { AgentContext, CodePort } from './agentContext';
import { id } from './dataText';
import { duration, plural, timeWindow } from './format';
import { fetchTrace } from './sources';
import { spanText } from './spanText';
import { digestTrace, type TraceDigest } from './traceDigest';
import { traceSummaryText } from './traceSummaryText';
import type { GetTraceInput } from './toolDefinitions';
import { ToolError } from './toolErrors';

export const DEFAULT_MAX_CHARS = 8000;
/** Spans of each kind whose code is looked up for a summary (what a budget of a few thousand characters can show). */
const LOCATED = { errors: 20, path: 25, slowest: 15 } as const;
/** Lookups run at once. */
const CONCURRENCY = 8;

export async function getTraceTool(ctx: AgentContext, input: GetTraceInput, signal?: AbortSignal): Promise<string> {
  const { trace, source } = await fetchTrace(ctx, input.source, input.traceId, signal);
  const maxChars = input.maxChars ?? DEFAULT_MAX_CHARS;
  const digest = digestTrace(trace);
  const header = [
    `Trace ${id(trace.traceId)} from ${source}.`,
    `Window: the trace ran from ${timeWindow(trace.startUs, trace.startUs + trace.durationUs)} (${duration(trace.durationUs)}).`,
    ctx.code
      ? `Code locations: looked up in ${ctx.code.label}.`
      : `Code locations: none, no workspace is indexed (${ctx.workspaceHint}).`,
  ];
  if (input.spanId !== undefined) {
    const wanted = normalizeSpanId(input.spanId);
    const i = trace.spans.findIndex((s) => s.spanId === wanted || s.spanId === input.spanId);
    if (i < 0) {
      throw new ToolError(
        'notFound',
        `Span ${JSON.stringify(input.spanId)} is not in trace ${trace.traceId} (${plural(trace.spans.length, 'span')}). ` +
          'Call get_trace without spanId to list its spans.',
      );
    }
    const locations = ctx.code ? await ctx.code.locate(trace, i, signal) : undefined;
    return spanText(digest, i, { maxChars, header, locations });
  }
  const locations = ctx.code ? await locateShown(ctx.code, digest, signal) : new Map<number, readonly CodeMatch[]>();
  return traceSummaryText(digest, { maxChars, header, locations });
}

/** Code of the spans a summary is likely to show: the first errors, the spans longest on the critical path, the slowest. */
async function locateShown(
  code: CodePort,
  digest: TraceDigest,
  signal: AbortSignal | undefined,
): Promise<Map<number, readonly CodeMatch[]>> {
  const wanted = new Set<number>(digest.errors.slice(0, LOCATED.errors));
  const onPath = [...digest.path.entries].sort((a, b) => b.onPathUs - a.onPathUs).slice(0, LOCATED.path);
  for (const e of onPath) wanted.add(e.span);
  for (const i of digest.slowest.slice(0, LOCATED.slowest)) wanted.add(i);
  const todo = [...wanted];
  const out = new Map<number, readonly CodeMatch[]>();
  for (let k = 0; k < todo.length; k += CONCURRENCY) {
    signal?.throwIfAborted();
    const batch = todo.slice(k, k + CONCURRENCY);
    const found = await Promise.all(batch.map((i) => code.locate(digest.trace, i, signal)));
    batch.forEach((i, j) => {
      if (found[j]!.length > 0) out.set(i, found[j]!);
    });
  }
  return out;
}
