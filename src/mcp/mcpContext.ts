/**
 * The agent tools' context for the MCP server: the backends and trace files of its configuration, the workspace
 * index of its workspace folders (built in the background from startup), and latency statistics counted from the
 * active source as the CodeLens counts them — a trace file's spans, or traces sampled from a remote backend while
 * an agent asks for figures.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { BackendConfigError } from '../core/backends/backendErrors';
import { createBackend } from '../core/backends/createBackend';
import type { TraceBackend } from '../core/backends/types';
import { explainSpan, locateSpan } from '../core/codeLocation/locateSpan';
import { createWorkspaceIndex } from '../core/codeLocation/nodeWorkspaceFiles';
import type { WorkspaceFolderInfo } from '../core/codeLocation/pathMapper';
import type { WorkspaceIndex } from '../core/codeLocation/workspaceIndex';
import { parseTraces } from '../core/formats/parse';
import { LatencyStats } from '../core/stats/latencyStats';
import { LocationResolver, withoutErrorStacks } from '../core/stats/locationResolver';
import { RemoteStatsFeed } from '../core/stats/remoteStatsFeed';
import { StoreStatsFeed } from '../core/stats/storeStatsFeed';
import { TraceStore } from '../core/store/traceStore';
import type { AgentContext, AgentSource, CodePort, LatencyPort } from '../core/agentTools/agentContext';
import { backendLabel, remoteSource, storeSource } from '../core/agentTools/sources';
import { statsLatencyPort } from '../core/agentTools/statsLatency';
import { ToolError } from '../core/agentTools/toolErrors';
import type { McpConfig } from './mcpArgs';

/** Remote sampling for code_latency goes on this long after the last call asked for figures, in ms. */
const SAMPLING_AFTER_ASKED_MS = 10 * 60_000;
const TRACES_PER_MINUTE = 30;

export interface McpContext {
  ctx: AgentContext;
  dispose(): Promise<void>;
}

export type Log = (line: string) => void;

export async function createMcpContext(config: McpConfig, log: Log): Promise<McpContext> {
  const sources: AgentSource[] = [];
  const disposers: (() => void | Promise<void>)[] = [];
  const http = { connectTimeoutMs: Math.min(5000, config.timeoutMs), totalTimeoutMs: config.timeoutMs, retries: 1 };
  const remote = config.remotes.map((r) => {
    const backend = createBackend({ type: r.type, url: r.url, headers: r.headers, tenant: r.tenant, http });
    disposers.push(() => backend.dispose?.());
    return remoteSource(r.name, backendLabel(backend), backend);
  });
  let fileStore: TraceStore | undefined;
  if (config.files.length > 0) {
    fileStore = await loadFiles(config.files);
    const names = config.files.map((f) => path.basename(f)).join(', ');
    const file = storeSource('file', `trace file${config.files.length > 1 ? 's' : ''} ${names}`, 'file', fileStore);
    if (config.filesFirst) sources.push(file, ...remote);
    else sources.push(...remote, file);
  } else {
    sources.push(...remote);
  }

  let index: Promise<WorkspaceIndex | undefined> | undefined;
  let folders: readonly WorkspaceFolderInfo[] = [];
  if (config.workspaces.length > 0) {
    const started = performance.now();
    index = createWorkspaceIndex(config.workspaces).then(
      async (built) => {
        folders = await workspaceFolders(config.workspaces);
        const s = built.stats;
        log(`workspace index: ${s.indexed} source files of ${s.files} in ${Math.round(performance.now() - started)} ms`);
        return built;
      },
      (e: unknown) => {
        log(`workspace index failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      },
    );
  }
  const workspaceLabel = `the workspace ${config.workspaces.join(', ')}`;
  const extras = (traceId: string, spanId: string): { exceptions?: ReturnType<TraceStore['exceptionsFor']> } | undefined => {
    const exceptions = fileStore?.exceptionsFor(traceId, spanId);
    return exceptions && exceptions.length > 0 ? { exceptions } : undefined;
  };
  const code: CodePort | undefined = index && {
    label: workspaceLabel,
    locate: async (trace, i) => {
      const built = await index;
      const span = trace.spans[i];
      return built && span ? locateSpan(span, built, extras(span.traceId, span.spanId)) : [];
    },
    explain: async (trace, i) => {
      const built = await index;
      const span = trace.spans[i];
      return built && span ? explainSpan(span, built, extras(span.traceId, span.spanId)) : undefined;
    },
  };

  const active = sources[0];
  const latency = index && active ? latencyPort(active, fileStore, index, () => folders, disposers) : undefined;
  const ctx: AgentContext = {
    sources: () => sources.map((s, k) => ({ name: s.name, label: s.label, kind: s.kind, active: k === 0 })),
    source: async (name) => {
      const source = name === undefined ? active : sources.find((s) => s.name === name);
      if (!source) {
        if (sources.length === 0)
          throw new ToolError(
            'noSource',
            'No trace source is configured: start trace-lens-mcp with --backend <type>=<url> or --file <trace.json>.',
          );
        throw new ToolError(
          'noSource',
          `No source named ${JSON.stringify(name)}; the sources are ${sources.map((s) => JSON.stringify(s.name)).join(', ')}.`,
        );
      }
      return { source, release: () => undefined };
    },
    configureHint: 'trace-lens-mcp: --backend <type>=<url>, and TRACE_LENS_<TYPE>_TOKEN for credentials',
    workspaceHint: 'start trace-lens-mcp with --workspace <dir>',
  };
  if (code) ctx.code = code;
  if (latency) ctx.latency = latency;
  return {
    ctx,
    dispose: async () => {
      for (const d of disposers) await d();
    },
  };
}

/** Trace files into one store; a file that cannot be read fails the start, saying which and why. */
async function loadFiles(files: readonly string[]): Promise<TraceStore> {
  const store = new TraceStore({ maxSpans: 5_000_000 });
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      throw new BackendConfigError(`Cannot read the trace file ${file}: ${e instanceof Error ? e.message : String(e)}`, {
        backend: 'File',
      });
    }
    try {
      store.add(parseTraces(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    } catch (e) {
      throw new BackendConfigError(
        `${file} is not a trace file Trace Lens reads: ${e instanceof Error ? e.message : String(e)}`,
        { backend: 'File' },
      );
    }
  }
  return store;
}

/** Figures of the active source: a store's spans as they are, a remote backend's traces sampled while agents ask. */
function latencyPort(
  active: AgentSource,
  store: TraceStore | undefined,
  index: Promise<WorkspaceIndex | undefined>,
  folders: () => readonly WorkspaceFolderInfo[],
  disposers: (() => void | Promise<void>)[],
): LatencyPort {
  const stats = new LatencyStats();
  let ready: Promise<void> | undefined;
  const resolverOf = (built: WorkspaceIndex): LocationResolver =>
    new LocationResolver((span) => locateSpan(withoutErrorStacks(span), built));
  if (active.kind !== 'remote' && store) {
    const port = statsLatencyPort({
      label: active.label,
      stats,
      folders,
      refresh: () =>
        (ready ??= index.then((built) => {
          if (!built) return;
          const feed = new StoreStatsFeed(store, stats, resolverOf(built)).start();
          disposers.push(() => feed.dispose());
        })),
    });
    return port;
  }
  let feed: RemoteStatsFeed | undefined;
  let askedAt = 0;
  const backend: TraceBackend = active.backend;
  return statsLatencyPort({
    label: `traces sampled from ${active.label} (at most ${TRACES_PER_MINUTE} a minute, while agents ask)`,
    stats,
    folders,
    figures: {
      summariesIn: (f) => feed?.summariesIn(f) ?? [],
      tracesAt: (id) => feed?.tracesAt(id) ?? { slowest: [], failing: [] },
    },
    refresh: async () => {
      askedAt = Date.now();
      if (feed) return;
      const built = await index;
      if (!built) return;
      feed = new RemoteStatsFeed({
        backend,
        backendName: active.label,
        stats,
        resolver: resolverOf(built),
        tracesPerMinute: TRACES_PER_MINUTE,
        isIdle: () => Date.now() - askedAt > SAMPLING_AFTER_ASKED_MS,
        onDidChange: () => undefined,
      });
      disposers.push(() => feed?.dispose());
      await feed.round();
      feed.start();
    },
  });
}

/** The folders as NodeWorkspaceFiles names them: real paths, named by their base name (made unique). */
async function workspaceFolders(dirs: readonly string[]): Promise<WorkspaceFolderInfo[]> {
  const names = new Set<string>();
  const out: WorkspaceFolderInfo[] = [];
  for (const dir of dirs) {
    const real = await fs.realpath(dir).catch(() => dir);
    let name = path.basename(real) || 'root';
    for (let n = 2; names.has(name); n++) name = `${path.basename(real)}-${n}`;
    names.add(name);
    out.push({ name, root: real });
  }
  return out;
}
