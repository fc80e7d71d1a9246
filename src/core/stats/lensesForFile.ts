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
 * One lens per location: above the declaration of its function when the document's symbols name it and it holds
 * the line the spans start at, else above that line; locations that cannot be placed get none. Where several
 * locations land on one line (two spans started in one function), each lens names its spans. Sorted by line,
 * then by start line.
 */
export function lensesForFile(
  summaries: readonly LocationSummary[],
  symbols: FileSymbols | undefined,
  options: LensOptions,
): FileLens[] {
  const placed: { lens: FileLens; start: number; summary: LocationSummary }[] = [];
  const perLine = new Map<number, number>();
  for (const s of summaries) {
    const start = startLine(s);
    let line = start;
    let placedBy: FileLens['placedBy'] = 'line';
    if (s.key.function !== undefined && symbols) {
      const symbol = symbols.find(s.key.function, start);
      // a symbol of that name elsewhere is another function (anonymous ones share names such as `Object.handler`)
      if (symbol && (start === undefined || (symbol.startLine <= start && start <= symbol.endLine))) {
        [line, placedBy] = [symbol.startLine, 'symbol'];
      }
    }
    if (line === undefined || line < 1 || line > options.lineCount) continue;
    placed.push({ lens: { line, title: '', id: s.id, placedBy }, start: start ?? line, summary: s });
    perLine.set(line, (perLine.get(line) ?? 0) + 1);
  }
  for (const p of placed) {
    const title = options.format(p.summary);
    // a span name is trace data: `$(…)` in it is text, not an icon
    const label = spanLabel(p.summary).replace(/\$\(/g, '\\$(');
    p.lens.title = (perLine.get(p.lens.line) ?? 0) > 1 ? `${label}: ${title}` : title;
  }
  return placed
    .sort((a, b) => a.lens.line - b.lens.line || a.start - b.start || a.lens.title.localeCompare(b.lens.title))
    .map((p) => p.lens);
}

/**
 * A hint at the end of every line spans start at, coloured by p95, with the figures of those spans only. Where
 * spans of several names start on one line, the one with the most calls speaks for it and the hint says how many
 * more there are (the hover lists them all). Sorted by line.
 */
export function hintsForFile(summaries: readonly LocationSummary[], options: HintOptions): LineHint[] {
  const byLine = new Map<number, { best: LocationSummary; count: number }>();
  for (const s of summaries) {
    const line = startLine(s);
    if (line === undefined || line < 1 || line > options.lineCount) continue;
    const other = byLine.get(line);
    if (!other) byLine.set(line, { best: s, count: 1 });
    else {
      other.count++;
      if (s.count > other.best.count) other.best = s;
    }
  }
  const out: LineHint[] = [];
  for (const [line, { best, count }] of byLine) {
    const more = count > 1 ? ` (+${count - 1} more)` : '';
    out.push({ line, text: options.format(best) + more, level: hintLevel(best.p95Us, options), id: best.id });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The summaries whose spans start on `line` (1-based), most calls first: what a hint on that line stands for. */
export function summariesOnLine(summaries: readonly LocationSummary[], line: number): LocationSummary[] {
  return summaries.filter((s) => startLine(s) === line).sort((a, b) => b.count - a.count);
}

/** 1-based line the location's spans start at (or its function is defined at); undefined when unknown. */
export function startLine(s: LocationSummary): number | undefined {
  return s.key.line ?? s.lines[s.lines.length - 1];
}

/** The spans a location counts, for a person: their name, or what the bucket of further names holds. */
export function spanLabel(s: LocationSummary): string {
  return s.key.span ?? 'other span names';
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
