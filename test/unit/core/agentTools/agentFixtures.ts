// A context for the agent tools over real core pieces: a TraceStore as the source, the sample workspace's index.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentContext, AgentSource } from '../../../../src/core/agentTools/agentContext';
import { storeSource } from '../../../../src/core/agentTools/sources';
import { explainSpan, locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { createWorkspaceIndex } from '../../../../src/core/codeLocation/nodeWorkspaceFiles';
import type { WorkspaceIndex } from '../../../../src/core/codeLocation/workspaceIndex';
import { parseTraces } from '../../../../src/core/formats/parse';
import type { Trace } from '../../../../src/core/model/types';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { PROJECT_ROOT } from '../../fixtures';

export const SAMPLE_WORKSPACE = path.join(PROJECT_ROOT, 'test/fixtures/sample-workspace');
export const CHECKOUT_TRACE = '5b8efff798038103d269b633813fc60c';

/** The sample workspace's checkout trace (one request through src/, failing in charge). */
export function checkoutTraces(): Trace[] {
  return parseTraces(fs.readFileSync(path.join(SAMPLE_WORKSPACE, 'traces/checkout.otlp.json'), 'utf8'));
}

let sampleIndex: Promise<WorkspaceIndex> | undefined;
export function sampleWorkspaceIndex(): Promise<WorkspaceIndex> {
  return (sampleIndex ??= createWorkspaceIndex(SAMPLE_WORKSPACE));
}

export interface TestContextOptions {
  traces?: readonly Trace[];
  index?: WorkspaceIndex;
  /** more sources after the store */
  sources?: AgentSource[];
  now?: number;
}

export function testContext(options: TestContextOptions = {}): AgentContext & { store: TraceStore } {
  const store = new TraceStore({ maxSpans: 1_000_000 });
  if (options.traces) store.add(options.traces);
  const sources = [storeSource('file', 'trace file test.json', 'file', store), ...(options.sources ?? [])];
  const index = options.index;
  const ctx: AgentContext & { store: TraceStore } = {
    store,
    sources: () => sources.map((s, k) => ({ name: s.name, label: s.label, kind: s.kind, active: k === 0 })),
    source: async (name) => {
      const source = name === undefined ? sources[0] : sources.find((s) => s.name === name);
      if (!source) throw new Error(`no source ${name}`);
      return { source, release: () => undefined };
    },
    configureHint: 'test: configure a source',
    workspaceHint: 'test: no workspace',
  };
  if (options.now !== undefined) ctx.now = () => options.now!;
  if (index) {
    ctx.code = {
      label: 'the sample workspace',
      locate: async (trace, i) => locateSpan(trace.spans[i]!, index),
      explain: async (trace, i) => explainSpan(trace.spans[i]!, index),
    };
  }
  return ctx;
}
