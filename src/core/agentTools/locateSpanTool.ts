/** locate_span: the workspace code of one span, with the evidence tried, or why nothing maps. */
import { normalizeSpanId } from '../model/ids';
import type { AgentContext } from './agentContext';
import { where } from './codeText';
import { DATA_CLOSE, DATA_NOTICE, DATA_OPEN, id, quote } from './dataText';
import { plural, timeWindow } from './format';
import { fetchTrace } from './sources';
import type { LocateSpanInput } from './toolDefinitions';
import { ToolError } from './toolErrors';

export async function locateSpanTool(ctx: AgentContext, input: LocateSpanInput, signal?: AbortSignal): Promise<string> {
  const code = ctx.code;
  if (!code)
    throw new ToolError('noWorkspace', `No workspace is indexed, so spans cannot be mapped to code: ${ctx.workspaceHint}.`);
  const { trace, source } = await fetchTrace(ctx, input.source, input.traceId, signal);
  const wanted = normalizeSpanId(input.spanId);
  const i = trace.spans.findIndex((s) => s.spanId === wanted || s.spanId === input.spanId);
  if (i < 0) {
    throw new ToolError(
      'notFound',
      `Span ${JSON.stringify(input.spanId)} is not in trace ${trace.traceId} (${plural(trace.spans.length, 'span')}); get_trace lists its spans.`,
    );
  }
  const span = trace.spans[i]!;
  const explanation = await code.explain(trace, i, signal);
  if (!explanation) throw new ToolError('noWorkspace', `No workspace to look in: ${ctx.workspaceHint}.`);
  const { matches, steps } = explanation;
  const lines = [
    `Code of span ${id(span.spanId)} of trace ${id(trace.traceId)}, read from ${source}, looked up in ${code.label}.`,
    `Window: the span ran from ${timeWindow(span.startUs, span.startUs + span.durationUs)}.`,
    DATA_NOTICE,
    DATA_OPEN,
    `span ${quote(span.name, 200)} in service ${quote(span.service, 120)}, kind ${span.kind}, status ${span.status.code}`,
    matches.length === 0
      ? 'no match: nothing in the workspace fits this span credibly'
      : `${plural(matches.length, 'match', 'matches')}, best first:`,
    ...matches.map((m, k) => `  ${k + 1}. ${where(m)} · confidence ${m.confidence} · ${quote(m.reason, 600)}`),
    steps.length === 0
      ? 'evidence tried: none (the span has no code attributes, stack trace, name or route to go by)'
      : 'evidence tried:',
    ...steps.map((s) => `  - ${s.kind}: ${quote(s.evidence, 300)} → ${s.outcome}: ${quote(s.detail, 600)}`),
    DATA_CLOSE,
  ];
  if (matches.length === 0) {
    lines.push(
      'To map such spans, the app can set code.file.path / code.function.name / code.line.number attributes, or start spans with names that appear in the code.',
    );
  }
  return lines.join('\n');
}
