/** The CodeLens and inline-hint settings, read in one place; ids are also listed for package.json. */
import * as vscode from 'vscode';
import { Commands, Settings } from '../contributions';
import { DEFAULT_LENS_FORMAT } from '../../core/stats/formatStats';
import { DEFAULT_WINDOW_MINUTES } from '../../core/stats/latencyStats';
import { DEFAULT_CRITICAL_MS, DEFAULT_HINT_FORMAT, DEFAULT_SLOW_MS } from '../../core/stats/lensesForFile';

export const CodeLensSettingIds = {
  enabled: Settings.codeLensEnabled,
  format: Settings.codeLensFormat,
  windowMinutes: Settings.codeLensWindowMinutes,
  remoteTracesPerMinute: Settings.codeLensRemoteTracesPerMinute,
  hintsEnabled: Settings.inlineHintsEnabled,
  hintFormat: Settings.inlineHintsFormat,
  slowMs: Settings.latencySlowThresholdMs,
  criticalMs: Settings.latencyCriticalThresholdMs,
} as const;

export const DEFAULT_REMOTE_TRACES_PER_MINUTE = 30;

export const CodeLensCommands = {
  toggle: Commands.toggleCodeLens,
  /** argument: a location id from a lens; hidden from the palette */
  showLocationTraces: Commands.showLocationTraces,
} as const;

/** Theme colours of the inline hints (`contributes.colors`). */
export const LatencyColors = {
  fast: 'traceLens.latency.fast',
  slow: 'traceLens.latency.slow',
  critical: 'traceLens.latency.critical',
} as const;

export interface CodeLensSettings {
  enabled: boolean;
  format: string;
  windowMinutes: number;
  /** whole traces a remote backend is sampled for per minute; 0: not sampled */
  remoteTracesPerMinute: number;
  hintsEnabled: boolean;
  hintFormat: string;
  slowMs: number;
  criticalMs: number;
}

export function readCodeLensSettings(): CodeLensSettings {
  const c = vscode.workspace.getConfiguration();
  const number = (id: string, fallback: number, min: number, max: number): number => {
    const v = c.get<number>(id, fallback);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  const text = (id: string, fallback: string): string => {
    const v = c.get<string>(id, fallback);
    return typeof v === 'string' && v.trim() !== '' ? v : fallback;
  };
  return {
    enabled: c.get<boolean>(CodeLensSettingIds.enabled, true) !== false,
    format: text(CodeLensSettingIds.format, DEFAULT_LENS_FORMAT),
    windowMinutes: Math.round(number(CodeLensSettingIds.windowMinutes, DEFAULT_WINDOW_MINUTES, 1, 10_080)),
    remoteTracesPerMinute: Math.round(number(CodeLensSettingIds.remoteTracesPerMinute, DEFAULT_REMOTE_TRACES_PER_MINUTE, 0, 600)),
    hintsEnabled: c.get<boolean>(CodeLensSettingIds.hintsEnabled, true) !== false,
    hintFormat: text(CodeLensSettingIds.hintFormat, DEFAULT_HINT_FORMAT),
    slowMs: number(CodeLensSettingIds.slowMs, DEFAULT_SLOW_MS, 0, 86_400_000),
    criticalMs: number(CodeLensSettingIds.criticalMs, DEFAULT_CRITICAL_MS, 0, 86_400_000),
  };
}
