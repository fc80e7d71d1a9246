/**
 * The LatencyPort over the statistics the CodeLens uses (LatencyStats, and a RemoteStatsFeed's combined figures
 * when a remote backend is sampled), for surfaces that keep their own statistics, such as the MCP server.
 */
import * as path from 'node:path';
import type { WorkspaceFolderInfo } from '../codeLocation/pathMapper';
import type { LatencyStats, LocationTraces } from '../stats/latencyStats';
import type { LocationSummary } from '../stats/locationSummary';
import type { LatencyPort } from './agentContext';

/** What RemoteStatsFeed answers beyond the sampled statistics: the backend's metrics where it has them. */
export interface FigureSource {
  summariesIn(file: string): LocationSummary[];
  tracesAt(id: string): LocationTraces;
}

export interface StatsLatencyOptions {
  label: string;
  stats: LatencyStats;
  /** a RemoteStatsFeed over `stats`; default: `stats` alone */
  figures?: FigureSource;
  /** the workspace folders, to turn an absolute path into the key statistics use */
  folders: () => readonly WorkspaceFolderInfo[];
  refresh?: (signal?: AbortSignal) => Promise<void>;
}

export function statsLatencyPort(options: StatsLatencyOptions): LatencyPort {
  const figures: FigureSource = options.figures ?? options.stats;
  return {
    label: options.label,
    refresh: options.refresh,
    summariesIn: async (file) => {
      const key = workspaceKey(options.folders(), file);
      return key === undefined ? undefined : { file: key, summaries: figures.summariesIn(key) };
    },
    tracesAt: (id) => figures.tracesAt(id),
    files: () => options.stats.files(),
    window: () => ({ minutes: options.stats.windowMinutes, endUs: options.stats.windowEndUs }),
  };
}

/**
 * A path as the workspace index names files: relative with forward slashes, prefixed with the folder's name in a
 * multi-root workspace. An absolute path outside every folder gives undefined.
 */
export function workspaceKey(folders: readonly WorkspaceFolderInfo[], file: string): string | undefined {
  const slashed = file.replace(/\\/g, '/');
  if (!path.isAbsolute(file) && !/^[A-Za-z]:\//.test(slashed)) {
    const rel = path.posix.normalize(slashed).replace(/^\.\//, '');
    return rel.startsWith('../') || rel === '..' ? undefined : rel;
  }
  for (const folder of folders) {
    const rel = path.relative(folder.root, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const key = rel.split(path.sep).join('/');
    return folders.length > 1 ? `${folder.name}/${key}` : key;
  }
  return undefined;
}
