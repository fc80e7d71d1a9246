/** What the waterfall panel needs from the rest of the extension, built from the explorer, the code locator and the active backend. */
import * as vscode from 'vscode';
import { traceUrl } from '../../core/search/backendLinks';
import type { ActiveBackend } from '../backends/activeBackend';
import type { CodeLocator } from '../codeNavigation/codeLocator';
import { Commands } from '../contributions';
import type { Explorer } from '../explorer/registerExplorer';
import type { WaterfallDeps } from './waterfallPanel';

export function waterfallDependencies(deps: {
  explorer: Explorer;
  locator: CodeLocator;
  activeBackend: ActiveBackend;
  log: vscode.LogOutputChannel;
}): WaterfallDeps {
  return {
    loadTrace: (traceId) => deps.explorer.loadTrace(traceId),
    resolveLocation: async (trace, spanIndex) => {
      const matches = await deps.locator.locate(trace, spanIndex);
      return matches.map((m) => ({ file: m.file, line: m.line ?? 1, reason: deps.locator.describe(m) }));
    },
    goToCode: async (trace, spanIndex) => {
      await vscode.commands.executeCommand(Commands.goToCode, { trace, spanIndex });
    },
    backendUrl: (trace, spanIndex) => {
      const info = deps.activeBackend.info;
      if (!info || info.type === 'local' || !info.url) return undefined;
      const spanId = spanIndex === undefined ? undefined : trace.spans[spanIndex]?.spanId;
      const backend =
        info.type === 'tempo'
          ? { type: info.type, url: info.url, grafanaUrl: info.uiUrl }
          : { type: info.type, url: info.uiUrl ?? info.url };
      return traceUrl(backend, trace.traceId, spanId);
    },
    log: deps.log,
  };
}
