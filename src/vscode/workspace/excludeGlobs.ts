/**
 * The folders and files the workspace index leaves out, from `files.exclude` and `search.exclude` (the
 * settings the Explorer and Search honour) plus dependency and VCS folders. Pure: the controller passes the
 * setting values in. `workspace.findFiles` takes one glob, so every pattern is folded into a single `{a,b}`.
 */
import { globToRegExp } from '../../core/codeLocation/nodeWorkspaceFiles';

/** Never source, whatever the settings say; listing them would cost memory and time on a large repository. */
export const ALWAYS_EXCLUDED = [
  '**/node_modules',
  '**/bower_components',
  '**/.git',
  '**/.hg',
  '**/.svn',
  '**/.venv',
  '**/venv',
  '**/__pycache__',
] as const;

/** A brace group may expand into more alternatives than this; the pattern is then dropped (and reported). */
const MAX_EXPANSIONS = 64;

export interface ExcludePatterns {
  /** globs relative to a workspace folder, braces expanded, no duplicates */
  patterns: string[];
  /** settings entries that could not be used, for the log */
  dropped: string[];
}

/**
 * The patterns switched on (`true`) in each setting object. Entries with a `when` clause
 * (`{ "when": "$(basename).ts" }`) depend on sibling files and are skipped: a flat listing cannot evaluate them.
 */
export function excludePatterns(...settings: readonly unknown[]): ExcludePatterns {
  const seen = new Set<string>();
  const dropped: string[] = [];
  const add = (glob: string): void => {
    const expanded = expandBraces(glob);
    if (expanded === undefined || expanded.some((g) => g.includes(','))) {
      dropped.push(glob);
      return;
    }
    for (const g of expanded) if (g !== '') seen.add(g);
  };
  for (const glob of ALWAYS_EXCLUDED) add(glob);
  for (const setting of settings) {
    if (setting === null || typeof setting !== 'object') continue;
    for (const [glob, on] of Object.entries(setting)) if (on === true) add(glob.trim());
  }
  return { patterns: [...seen], dropped };
}

/** One `{a,b,c}` glob for `workspace.findFiles`' exclude argument (which takes no nested braces). */
export function combinedGlob(patterns: readonly string[]): string | undefined {
  if (patterns.length === 0) return undefined;
  return patterns.length === 1 ? patterns[0] : `{${patterns.join(',')}}`;
}

/** Matchers for the same patterns, for paths relative to a folder (file watcher events). */
export function excludeMatchers(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => globToRegExp(p));
}

/** `src/{a,b}/*.{js,ts}` → four globs; undefined when unbalanced or when it grows past MAX_EXPANSIONS. */
export function expandBraces(glob: string): string[] | undefined {
  const open = glob.indexOf('{');
  if (open < 0) return glob.includes('}') ? undefined : [glob];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length && close < 0; i++) {
    const c = glob[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) close = i;
    else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) return undefined;
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const rest = expandBraces(head + glob.slice(bounds[k]! + 1, bounds[k + 1]) + tail);
    if (rest === undefined) return undefined;
    out.push(...rest);
    if (out.length > MAX_EXPANSIONS) return undefined;
  }
  return out;
}
