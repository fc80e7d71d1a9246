/**
 * Agent tools: get_trace on one 100,000-span synthetic trace with the default budget of 8,000 characters.
 *
 * - `agent.get_trace.100k.chars`: the answer's length, from a whole runAgentTool call over a TraceStore source
 *   (it must stay within the budget; the summary condenses rather than cuts).
 * - `agent.get_trace.100k.ms`: median CPU ms of the summary's work — span tree, self times, critical path, errors,
 *   slowest spans, operations, and the text fitted to the budget — without the store lookup.
 * - `agent.get_trace.100k.ratio_vs_span_tree`: that time over building the span tree alone, the part any summary of
 *   the trace needs; cancels most of the machine's speed.
 */
import type { AgentContext } from '../../src/core/agentTools/agentContext';
import { DEFAULT_MAX_CHARS } from '../../src/core/agentTools/getTraceTool';
import { runAgentTool } from '../../src/core/agentTools/runAgentTool';
import { storeSource } from '../../src/core/agentTools/sources';
import { digestTrace } from '../../src/core/agentTools/traceDigest';
import { traceSummaryText } from '../../src/core/agentTools/traceSummaryText';
import { parseTraces } from '../../src/core/formats/parse';
import { buildSpanTree } from '../../src/core/model/spanTree';
import { TraceStore } from '../../src/core/store/traceStore';
import { generateTrace, toOtlpJson } from '../../test/fixtures/generateTraces';
import { timePair } from './measure';
import type { BenchGroup } from './registry';

const SPANS = 100_000;
const SEED = 20_260_101;

export const agentGroup: BenchGroup = {
  name: 'agent',
  description:
    'agent.get_trace.100k.{chars,ms,ratio_vs_span_tree}: get_trace of a 100,000-span trace within its 8,000-character budget',
  cases: ['agent.get_trace.100k'],
  async run(selected, report, context) {
    if (selected.length === 0) return;
    context.log(`agent: generating a ${SPANS.toLocaleString('en-US')}-span trace`);
    const trace = parseTraces(toOtlpJson(generateTrace(SPANS, SEED)))[0]!;
    const store = new TraceStore({ maxSpans: SPANS });
    store.add([trace]);
    const source = storeSource('file', 'a synthetic trace', 'file', store);
    const ctx: AgentContext = {
      sources: () => [{ name: source.name, label: source.label, kind: source.kind, active: true }],
      source: async () => ({ source, release: () => undefined }),
      configureHint: '',
      workspaceHint: 'no workspace in the bench',
    };
    const answer = await runAgentTool(ctx, 'get_trace', { traceId: trace.traceId });
    if (answer.isError) throw new Error(answer.text);
    report({ name: 'agent.get_trace.100k.chars', value: answer.text.length, unit: 'chars' });
    if (answer.text.length > DEFAULT_MAX_CHARS)
      context.log(`agent: the answer exceeds its budget of ${DEFAULT_MAX_CHARS} characters`);

    const header = ['Trace from a synthetic trace.'];
    const locations = new Map();
    const timing = timePair(
      () => traceSummaryText(digestTrace(trace), { maxChars: DEFAULT_MAX_CHARS, header, locations }),
      () => buildSpanTree(trace),
      { budgetMs: 8000, minRounds: 3, warmupMs: 0 },
    );
    context.log(
      `agent: get_trace ${timing.subjectMs.toFixed(0)} ms, span tree ${timing.baselineMs.toFixed(0)} ms, ${timing.rounds} rounds`,
    );
    report({ name: 'agent.get_trace.100k.ms', value: Number(timing.subjectMs.toFixed(1)), unit: 'ms' });
    report({
      name: 'agent.get_trace.100k.ratio_vs_span_tree',
      value: Number((timing.subjectMs / timing.baselineMs).toFixed(2)),
      unit: 'ratio',
    });
  },
};
