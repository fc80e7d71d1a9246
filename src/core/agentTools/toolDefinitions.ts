/**
 * The five read-only agent tools: names, descriptions for people and for models, and input schemas. One
 * definition serves both surfaces: the MCP server registers these schemas, package.json's
 * `contributes.languageModelTools` carries their JSON Schema (a unit test keeps the two equal), and the VS Code
 * tools validate with them.
 */
import { z } from 'zod';

const source = z
  .string()
  .min(1)
  .max(200)
  .describe('Which trace source to read: a name listed by list_services. Default: the active source.')
  .optional();
const traceId = z.string().min(1).max(128).describe('The trace id (hex, as search_traces lists it).');

export const searchTracesInput = z.strictObject({
  query: z
    .string()
    .max(2000)
    .describe(
      'Trace Lens query: space-separated terms, all must hold. `service:checkout`, `name:"POST /orders"` (span name), ' +
        '`http.status_code=500` (any tag, equality), `error` (traces with an error span), `>200ms` `<2s` (trace duration), ' +
        '`last:15m` (window), `limit:50`, free words match span names, services and attribute values. ' +
        'For a Tempo source, TraceQL in braces: `{ resource.service.name = "cart" && duration > 1s }`. Empty: the newest traces.',
    )
    .optional(),
  lookback: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(s|m|h|d|w)$/, 'a number and a unit: 30s, 15m, 1h, 2d or 1w')
    .describe('How far back to search, e.g. `15m`, `1h`, `2d` (default 1h for remote backends; everything held for local ones).')
    .optional(),
  limit: z.number().int().min(1).max(200).describe('Most traces to list (default 20).').optional(),
  source,
});

export const getTraceInput = z.strictObject({
  traceId,
  spanId: z
    .string()
    .min(1)
    .max(64)
    .describe('Show this one span in full (attributes, events, exception stack, code location) instead of the trace summary.')
    .optional(),
  maxChars: z
    .number()
    .int()
    .min(1000)
    .max(200_000)
    .describe('Character budget of the answer (default 8000). The summary is condensed to fit and says what it left out.')
    .optional(),
  source,
});

export const codeLatencyInput = z.strictObject({
  file: z.string().min(1).max(1000).describe('A workspace file, relative to the workspace folder (src/orders.js) or absolute.'),
  function: z.string().min(1).max(500).describe('Only this function (its name as in the code, e.g. placeOrder).').optional(),
  line: z.number().int().min(1).describe('Only the function or span start at this 1-based line.').optional(),
});

export const locateSpanInput = z.strictObject({
  traceId,
  spanId: z.string().min(1).max(64).describe('The span id (hex, as get_trace lists it).'),
  source,
});

export const listServicesInput = z.strictObject({
  service: z.string().min(1).max(500).describe('List only this service, with all its operations.').optional(),
  source,
});

export type SearchTracesInput = z.infer<typeof searchTracesInput>;
export type GetTraceInput = z.infer<typeof getTraceInput>;
export type CodeLatencyInput = z.infer<typeof codeLatencyInput>;
export type LocateSpanInput = z.infer<typeof locateSpanInput>;
export type ListServicesInput = z.infer<typeof listServicesInput>;

export interface ToolDefinition {
  /** the MCP tool name; VS Code's is `traceLens_` + this */
  readonly name: ToolName;
  /** short, for tool pickers */
  readonly title: string;
  /** for people (VS Code's tool picker) */
  readonly userDescription: string;
  /** for the model */
  readonly description: string;
  readonly input: z.ZodObject;
  /** what a person types after `#` in VS Code chat */
  readonly referenceName: string;
}

export const TOOL_NAMES = ['search_traces', 'get_trace', 'code_latency', 'locate_span', 'list_services'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

const READ_ONLY = 'Read-only.';

export const TOOL_DEFINITIONS: Readonly<Record<ToolName, ToolDefinition>> = {
  search_traces: {
    name: 'search_traces',
    title: 'Search Traces',
    userDescription:
      'Search distributed traces (Jaeger, Tempo, Zipkin or the local receiver) with the Trace Lens query language.',
    description:
      'Search distributed traces recorded from the running application. Returns a compact table, newest first: trace id, ' +
      'root service and operation, start time, duration, span count and error count, with the source and time window searched. ' +
      `Use get_trace on an id to see where the time went and which code failed. ${READ_ONLY}`,
    input: searchTracesInput,
    referenceName: 'traces',
  },
  get_trace: {
    name: 'get_trace',
    title: 'Get Trace',
    userDescription: 'One trace condensed for a model: services, critical path, errors with their source lines, slowest spans.',
    description:
      'One trace as text sized for a model: services, duration, the critical path with self times, errors with their exception ' +
      'type and message and the workspace file and line they map to (with the reason), the slowest spans with their code ' +
      'locations, and the operations that dominate self time. Large traces (100,000 spans) are summarised to the character ' +
      'budget, and the answer says what was left out. With spanId: that one span in full. ' +
      READ_ONLY,
    input: getTraceInput,
    referenceName: 'trace',
  },
  code_latency: {
    name: 'code_latency',
    title: 'Code Latency',
    userDescription: 'How fast the functions of a workspace file are in real traffic (what the latency CodeLens shows).',
    description:
      'Latency of the code in one workspace file as measured from traces of real traffic: per function or span start, ' +
      'p50/p95/p99, number of calls, error rate, where the figures come from and the window they cover, with the slowest and ' +
      `the failing trace and span ids (open them with get_trace). ${READ_ONLY}`,
    input: codeLatencyInput,
    referenceName: 'codeLatency',
  },
  locate_span: {
    name: 'locate_span',
    title: 'Locate Span',
    userDescription: 'The workspace file and line a span came from, with the evidence, or why nothing maps.',
    description:
      'The workspace source location of one span (file, line, function), best first, each with its confidence and the ' +
      'evidence it rests on (code attributes, stack trace, span name, HTTP route); when nothing maps, every piece of ' +
      `evidence tried and why it did not. ${READ_ONLY}`,
    input: locateSpanInput,
    referenceName: 'locateSpan',
  },
  list_services: {
    name: 'list_services',
    title: 'List Trace Services',
    userDescription: 'The traced services and their operations, and the trace sources Trace Lens can read.',
    description:
      'The services that sent traces and their operations (span names), from the active trace source or a named one; ' +
      `also lists every trace source by name, for the other tools' source argument. ${READ_ONLY}`,
    input: listServicesInput,
    referenceName: 'traceServices',
  },
};

/** VS Code's name of a tool: prefixed, since tool names are shared by every extension. */
export function vscodeToolName(name: ToolName): string {
  return `traceLens_${name}`;
}

/** The tool's input as JSON Schema, as package.json declares it (without `$schema`). */
export function inputJsonSchema(name: ToolName): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(TOOL_DEFINITIONS[name].input, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return schema;
}
