/** The benchmark registry: named groups of cases, each case reporting one or more figures. */
import type { BenchCore } from './loadCore';

/** One line of the bench's stdout. Lower is better for every figure unless its group says otherwise. */
export interface Figure {
  /** dotted, `<group>.<subject>.<size>.<measure>`, e.g. `parse.jaeger.100k.ratio_vs_json_parse` */
  name: string;
  value: number;
  /** e.g. `ratio`, `ms`, `bytes` */
  unit: string;
}

/** What the runner hands every group; loaded on first use, so that `--list` needs no build. */
export interface BenchContext {
  core(): BenchCore;
  /** human-readable progress; stdout carries figures only */
  log(message: string): void;
}

export interface BenchGroup {
  /** the first segment of its case and figure names, e.g. `parse` */
  name: string;
  /** one line, shown by `--list` */
  description: string;
  /** every case the group can run, e.g. `parse.jaeger.100k`; a filter selects among these */
  cases: readonly string[];
  /**
   * Runs `selected` (a subset of `cases`, in their listed order), reporting each figure as soon as it is
   * measured. A group owns its inputs so that it can build them once for several cases.
   */
  run(selected: readonly string[], report: (figure: Figure) => void, context: BenchContext): Promise<void>;
}

/**
 * The cases that `filters` select: a case is selected when one filter is a prefix of it or matches it
 * as a glob (`*` = any run of characters); no filters select every case.
 */
export function selectCases(cases: readonly string[], filters: readonly string[]): string[] {
  if (filters.length === 0) return [...cases];
  const matchers = filters.map((f) => {
    const glob = new RegExp(`^${f.split('*').map(escapeRegExp).join('.*')}`);
    return (c: string): boolean => c.startsWith(f) || glob.test(c);
  });
  return cases.filter((c) => matchers.some((m) => m(c)));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
