/**
 * The waterfall as a VS Code webview panel: one panel per trace, a strict CSP with a nonce, resources only
 * from dist/ and media/, and a serializer that restores panels after a reload. The webview persists its UI
 * state itself (getState/setState); the trace is never persisted, and a restored panel asks the injected
 * loader for it again by id. Everything the webview asks for goes through a WaterfallSession. A trace the
 * trace worker is still reading can be shown from its encoded form (showArriving).
 */
import * as vscode from 'vscode';
import { Commands } from '../contributions';
import type { Trace } from '../../core/model/types';
import type { EncodedParts, TraceFrame } from '../../core/traceWorker/workerMessages';
import { WaterfallSession, isWebUrl } from '../../core/waterfall/waterfallSession';
import type { WaterfallViewState } from '../../protocol/messages';
import type { DetailLocation } from '../../protocol/waterfallData';
import { waterfallHtml } from './waterfallHtml';

export const WATERFALL_VIEW_TYPE = 'traceLens.waterfall';
export const OPEN_WATERFALL_COMMAND = Commands.openWaterfall;

/** What the composition root hands the waterfall. */
export interface WaterfallDeps {
  /** the trace with this id from wherever traces live (tree model, store, backend); undefined if gone */
  loadTrace(traceId: string): Promise<Trace | undefined> | Trace | undefined;
  /** the mapping engine: where the code of span `spanIndex` (index into trace.spans) is */
  resolveLocation?(trace: Trace, spanIndex: number): DetailLocation[] | undefined | Promise<DetailLocation[] | undefined>;
  /** opens the code of a span (the mapping engine's Go to Code) */
  goToCode?(trace: Trace, spanIndex: number): void | Promise<void>;
  /** the backend's own UI for this trace (and span), e.g. Jaeger's /trace/<id>; undefined when there is none */
  backendUrl?(trace: Trace, spanIndex: number | undefined): string | undefined;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
}

/**
 * A trace still being read by the trace worker: its encoded waterfall form is here, its spans are on their
 * way. Its panel shows the rows at once; closing the panel before the spans arrive cancels the read.
 */
export interface ArrivingTrace {
  frame: TraceFrame;
  encoded: EncodedParts;
  trace: Promise<Trace>;
  cancel(): void;
}

export interface OpenWaterfallOptions {
  /** span id to select and reveal */
  focusSpanId?: string;
  viewColumn?: vscode.ViewColumn;
}

export class WaterfallPanel {
  private static readonly panels = new Map<string, WaterfallPanel>();
  readonly session: WaterfallSession;
  private traceId: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private renderedWaiters: ((r: { rows: number; ms: number }) => void)[] = [];
  /** ends the read of a trace whose spans are still arriving (showArriving) */
  private cancelRead: (() => void) | undefined;
  private disposed = false;

  /** Shows `trace` in its panel, creating the panel if there is none for this trace id. */
  static createOrShow(
    context: vscode.ExtensionContext,
    deps: WaterfallDeps,
    trace: Trace,
    options: OpenWaterfallOptions = {},
  ): WaterfallPanel {
    const existing = WaterfallPanel.panels.get(trace.traceId);
    if (existing) {
      existing.panel.reveal(options.viewColumn);
      if (options.focusSpanId !== undefined) existing.session.revealSpan(options.focusSpanId);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      WATERFALL_VIEW_TYPE,
      panelTitle(trace),
      options.viewColumn ?? vscode.ViewColumn.Active,
      {
        enableScripts: true,
        localResourceRoots: resourceRoots(context),
      },
    );
    const waterfall = new WaterfallPanel(panel, context, deps);
    waterfall.show(trace, options.focusSpanId);
    return waterfall;
  }

  /** Shows a trace whose spans are still being read; a panel already open for it is only revealed. */
  static showArriving(
    context: vscode.ExtensionContext,
    deps: WaterfallDeps,
    arriving: ArrivingTrace,
    options: OpenWaterfallOptions = {},
  ): WaterfallPanel {
    const traceId = arriving.frame.traceId;
    const existing = WaterfallPanel.panels.get(traceId);
    if (existing) {
      existing.panel.reveal(options.viewColumn);
      return existing;
    }
    const title = titleOf(rootName(arriving.encoded) ?? traceId.slice(0, 8));
    const panel = vscode.window.createWebviewPanel(WATERFALL_VIEW_TYPE, title, options.viewColumn ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: resourceRoots(context),
    });
    const waterfall = new WaterfallPanel(panel, context, deps);
    waterfall.traceId = traceId;
    WaterfallPanel.panels.set(traceId, waterfall);
    waterfall.cancelRead = arriving.cancel;
    const done = (): void => {
      if (waterfall.cancelRead === arriving.cancel) waterfall.cancelRead = undefined;
    };
    arriving.trace.then(done, done);
    waterfall.session.showEncoded(
      arriving.frame,
      arriving.encoded,
      arriving.trace,
      options.focusSpanId === undefined ? {} : { focusSpanId: options.focusSpanId },
    );
    return waterfall;
  }

  /** Restores a panel after a reload: the state names the trace, the loader fetches it again. */
  static async revive(
    context: vscode.ExtensionContext,
    deps: WaterfallDeps,
    panel: vscode.WebviewPanel,
    state: unknown,
  ): Promise<WaterfallPanel> {
    panel.webview.options = { enableScripts: true, localResourceRoots: resourceRoots(context) };
    const waterfall = new WaterfallPanel(panel, context, deps);
    const traceId = isState(state) ? state.traceId : undefined;
    if (traceId === undefined) {
      waterfall.session.fail('This waterfall was closed before its trace was known. Open the trace again from the Traces view.');
      return waterfall;
    }
    try {
      const trace = await deps.loadTrace(traceId);
      if (trace) waterfall.show(trace, undefined);
      else waterfall.session.fail(`Trace ${traceId} is no longer available. Import or fetch it again to see its waterfall.`);
    } catch (e) {
      deps.log.warn(`waterfall: reloading trace ${traceId} failed: ${e instanceof Error ? e.message : String(e)}`);
      waterfall.session.fail(`Trace ${traceId} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
    return waterfall;
  }

  /** The open panel of a trace, if any (for tests and for "reveal span" commands). */
  static get(traceId: string): WaterfallPanel | undefined {
    return WaterfallPanel.panels.get(traceId);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly deps: WaterfallDeps,
  ) {
    const webview = panel.webview;
    this.session = new WaterfallSession(
      (message) => {
        if (!this.disposed) void webview.postMessage(message);
      },
      {
        resolveLocation: deps.resolveLocation,
        goToCode: deps.goToCode,
        openLinkedTrace: (traceId, spanId) => this.openLinkedTrace(context, traceId, spanId),
        openExternal: async (url) => {
          if (isWebUrl(url)) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        },
        hasBackendUi: (trace) => deps.backendUrl?.(trace, undefined) !== undefined,
        openInBackend: async (trace, spanIndex) => {
          const url = deps.backendUrl?.(trace, spanIndex);
          if (url !== undefined && isWebUrl(url)) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        },
        copy: async (text, what) => {
          await vscode.env.clipboard.writeText(text);
          vscode.window.setStatusBarMessage(`Copied ${what}`, 2000);
        },
        log: (level, message) => deps.log[level](message),
        onRendered: (rows, ms) => {
          deps.log.info(
            `waterfall: ${this.traceId ?? '?'} first rows drawn ${ms} ms after the data arrived (${rows} rows listed)`,
          );
          for (const resolve of this.renderedWaiters.splice(0)) resolve({ rows, ms });
        },
      },
    );
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    webview.html = waterfallHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'waterfall.css')).toString(),
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'trace-lens.svg');
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        this.session
          .handle(message)
          .catch((e: unknown) => deps.log.error(`waterfall: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Resolves when the webview has next drawn its first rows. */
  whenRendered(): Promise<{ rows: number; ms: number }> {
    return new Promise((resolve) => this.renderedWaiters.push(resolve));
  }

  private show(trace: Trace, focusSpanId: string | undefined): void {
    if (this.traceId !== undefined && WaterfallPanel.panels.get(this.traceId) === this)
      WaterfallPanel.panels.delete(this.traceId);
    this.traceId = trace.traceId;
    WaterfallPanel.panels.set(trace.traceId, this);
    this.panel.title = panelTitle(trace);
    this.session.show(trace, focusSpanId === undefined ? {} : { focusSpanId });
  }

  private async openLinkedTrace(context: vscode.ExtensionContext, traceId: string, spanId: string | undefined): Promise<void> {
    const trace = await this.deps.loadTrace(traceId);
    if (!trace) {
      void vscode.window.showInformationMessage(
        `The linked trace ${traceId} is not loaded. Fetch it from a backend or import it first.`,
      );
      return;
    }
    WaterfallPanel.createOrShow(context, this.deps, trace, spanId === undefined ? {} : { focusSpanId: spanId });
  }

  private dispose(): void {
    this.disposed = true;
    this.cancelRead?.();
    this.cancelRead = undefined;
    if (this.traceId !== undefined && WaterfallPanel.panels.get(this.traceId) === this)
      WaterfallPanel.panels.delete(this.traceId);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/**
 * Registers `traceLens.openWaterfall` (arguments: a trace id, a Trace, or a tree node with a `trace`, then
 * optional OpenWaterfallOptions) and the serializer that restores waterfalls after a reload.
 */
export function registerWaterfall(context: vscode.ExtensionContext, deps: WaterfallDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_WATERFALL_COMMAND, async (target: unknown, options?: OpenWaterfallOptions) => {
      if (isArriving(target)) return WaterfallPanel.showArriving(context, deps, target, options ?? {});
      const trace = await resolveTrace(deps, target);
      if (!trace) {
        void vscode.window.showWarningMessage(
          typeof target === 'string' ? `Trace ${target} is not loaded.` : 'Pick a trace to open its waterfall.',
        );
        return undefined;
      }
      return WaterfallPanel.createOrShow(context, deps, trace, options ?? {});
    }),
    vscode.window.registerWebviewPanelSerializer(WATERFALL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        await WaterfallPanel.revive(context, deps, panel, state);
      },
    }),
  ];
}

async function resolveTrace(deps: WaterfallDeps, target: unknown): Promise<Trace | undefined> {
  if (typeof target === 'string') return deps.loadTrace(target);
  if (isTrace(target)) return target;
  if (typeof target === 'object' && target !== null && 'trace' in target && isTrace((target as { trace: unknown }).trace)) {
    return (target as { trace: Trace }).trace;
  }
  return undefined;
}

function isTrace(value: unknown): value is Trace {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Trace).traceId === 'string' &&
    Array.isArray((value as Trace).spans)
  );
}

function isArriving(value: unknown): value is ArrivingTrace {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ArrivingTrace).trace instanceof Promise &&
    typeof (value as ArrivingTrace).cancel === 'function' &&
    typeof (value as ArrivingTrace).frame?.traceId === 'string' &&
    Array.isArray((value as ArrivingTrace).encoded?.chunks)
  );
}

function isState(value: unknown): value is WaterfallViewState {
  return typeof value === 'object' && value !== null && typeof (value as WaterfallViewState).traceId === 'string';
}

function resourceRoots(context: vscode.ExtensionContext): vscode.Uri[] {
  return [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')];
}

/** "Waterfall: GET /checkout" from the earliest root; the id when the trace has no spans. */
function panelTitle(trace: Trace): string {
  let root = trace.spans.find((s) => s.parentSpanId === undefined);
  root ??= trace.spans[0];
  return titleOf(root ? String(root.name) : trace.traceId.slice(0, 8));
}

function titleOf(name: string): string {
  return `Waterfall: ${name.length > 40 ? `${name.slice(0, 39)}…` : name}`;
}

/** The name on the first row of an encoded trace: its earliest root. */
function rootName(encoded: EncodedParts): string | undefined {
  const first = encoded.chunks[0];
  return first && first.count > 0 ? first.strings[first.name[0]!] : undefined;
}
