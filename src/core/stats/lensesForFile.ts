/**
 * Where the lenses and inline hints of a file go and what they say: the whole work of the CodeLens provider and
 * the hint decorations, as pure functions of precomputed summaries, so that it can be measured and tested
 * without an editor. Lines are 1-based here; VS Code's are 0-based.
 */
import type { FileSymbols } from './fileSymbols';
import type { LensFormat } from './formatStats';
import type { LocationSummary } from './locationSummary';

export interface FileLens {
  /** 1-based line the lens sits above */
  line: number;
  title: string;
  /** the location's id, for the click */
  id: string;
  /** how the line was found: the document's symbol for the function, or the line spans were started at */
  placedBy: 'symbol' | 'line';
}

export type HintLevel = 'fast' | 'slow' | 'critical';

export interface LineHint {
  /** 1-based line the hint ends */
  line: number;
  text: string;
  level: HintLevel;
  id: string;
}

export interface LensOptions {
  /** compiled `traceLens.codeLens.format` */
  format: LensFormat;
  /** lines in the document; lenses beyond it (a stale mapping) are left out */
  lineCount: number;
}

export interface HintOptions {
  /** compiled `traceLens.inlineHints.format` */
  format: LensFormat;
  lineCount: number;
  /** p95 at or above which a hint is "slow", microseconds */
  slowUs: number;
  /** p95 at or above which a hint is "critical", microseconds */
  criticalUs: number;
}

export const DEFAULT_HINT_FORMAT = 'p95 ${p95}';
export const DEFAULT_SLOW_MS = 100;
export const DEFAULT_CRITICAL_MS = 500;

/**
 * One lens per location, above its function's declaration when the document's symbols name it, else above the
 * latest line spans were started at; locations that cannot be placed get none. Sorted by line.
 */
export function lensesForFile(
  summaries: readonly LocationSummary[],
  symbols: FileSymbols | undefined,
  options: LensOptions,
): FileLens[] {
  const out: FileLens[] = [];
  for (const s of summaries) {
    const mapped = s.lines.length > 0 ? s.lines[s.lines.length - 1] : s.key.line;
    let line = mapped;
    let placedBy: FileLens['placedBy'] = 'line';
    if (s.key.function !== undefined && symbols) {
      const symbol = symbols.find(s.key.function, mapped);
      if (symbol) [line, placedBy] = [symbol.startLine, 'symbol'];
    }
    if (line === undefined || line < 1 || line > options.lineCount) continue;
    out.push({ line, title: options.format(s), id: s.id, placedBy });
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * A hint at the end of every line spans were started at, coloured by p95. Where several locations share a line,
 * the one with the most calls speaks for it. Sorted by line.
 */
export function hintsForFile(summaries: readonly LocationSummary[], options: HintOptions): LineHint[] {
  const best = new Map<number, LocationSummary>();
  for (const s of summaries) {
    const lines = s.lines.length > 0 ? s.lines : s.key.line !== undefined ? [s.key.line] : [];
    for (const line of lines) {
      if (line < 1 || line > options.lineCount) continue;
      const other = best.get(line);
      if (!other || s.count > other.count) best.set(line, s);
    }
  }
  const out: LineHint[] = [];
  for (const [line, s] of best) {
    out.push({ line, text: options.format(s), level: hintLevel(s.p95Us, options), id: s.id });
  }
  return out.sort((a, b) => a.line - b.line);
}

export function hintLevel(p95Us: number, thresholds: { slowUs: number; criticalUs: number }): HintLevel {
  if (p95Us >= thresholds.criticalUs) return 'critical';
  if (p95Us >= thresholds.slowUs) return 'slow';
  return 'fast';
}

/** The summaries of several sources merged by location: the first source that has a location speaks for it. */
export function combineSummaries(...sources: readonly (readonly LocationSummary[])[]): LocationSummary[] {
  if (sources.length === 1) return sources[0]!.slice();
  const byId = new Map<string, LocationSummary>();
  for (const list of sources) for (const s of list) if (!byId.has(s.id)) byId.set(s.id, s);
  return [...byId.values()];
}
