/**
 * The one entry both surfaces call: checks the arguments against the tool's schema, runs the tool, and turns
 * every failure into the text an agent reads (see toolErrors.ts). Never throws for a failure of the call itself.
 */
import type { z } from 'zod';
import type { AgentContext } from './agentContext';
import { codeLatencyTool } from './codeLatencyTool';
import { getTraceTool } from './getTraceTool';
import { listServicesTool } from './listServicesTool';
import { locateSpanTool } from './locateSpanTool';
import { searchTracesTool } from './searchTracesTool';
import {
  TOOL_DEFINITIONS,
  type CodeLatencyInput,
  type GetTraceInput,
  type ListServicesInput,
  type LocateSpanInput,
  type SearchTracesInput,
  type ToolName,
} from './toolDefinitions';
import { describeToolError, ToolError } from './toolErrors';

export interface ToolOutcome {
  text: string;
  isError: boolean;
}

export async function runAgentTool(
  ctx: AgentContext,
  name: ToolName,
  input: unknown,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  try {
    const args = checkInput(name, input);
    return { text: await dispatch(ctx, name, args, signal), isError: false };
  } catch (e) {
    return {
      text: describeToolError(signal?.aborted ? new ToolError('cancelled', 'The call was cancelled.') : e, ctx.configureHint),
      isError: true,
    };
  }
}

/** The arguments, validated; a ToolError naming each problem and the arguments the tool knows otherwise. */
export function checkInput(name: ToolName, input: unknown): Record<string, unknown> {
  const schema = TOOL_DEFINITIONS[name].input;
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data as Record<string, unknown>;
  const known = Object.keys(schema.shape);
  const problems = result.error.issues.map((issue) => describeIssue(issue, known));
  throw new ToolError(
    'invalidInput',
    `Invalid arguments for ${name}: ${problems.join('; ')}. Its arguments: ${known.join(', ')}.`,
  );
}

function describeIssue(issue: z.core.$ZodIssue, known: readonly string[]): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => {
        const near = known.find((n) => n.toLowerCase() === k.replace(/[_-]/g, '').toLowerCase());
        return `unknown argument ${JSON.stringify(k)}${near !== undefined ? ` (did you mean ${near}?)` : ''}`;
      })
      .join('; ');
  }
  const at = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  const message =
    issue.code === 'invalid_type' && / received undefined$/.test(issue.message)
      ? 'is required'
      : issue.message.replace(/^Invalid input: /, '');
  return `${at}${message}`;
}

function dispatch(
  ctx: AgentContext,
  name: ToolName,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<string> {
  switch (name) {
    case 'search_traces':
      return searchTracesTool(ctx, args as SearchTracesInput, signal);
    case 'get_trace':
      return getTraceTool(ctx, args as GetTraceInput, signal);
    case 'code_latency':
      return codeLatencyTool(ctx, args as CodeLatencyInput, signal);
    case 'locate_span':
      return locateSpanTool(ctx, args as LocateSpanInput, signal);
    case 'list_services':
      return listServicesTool(ctx, args as ListServicesInput, signal);
    default: {
      const unknown: never = name;
      throw new ToolError('invalidInput', `No tool named ${String(unknown)}.`);
    }
  }
}
