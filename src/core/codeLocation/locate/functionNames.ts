/**
 * Kind 4 of the evidence: a function name (`code.function.name`, `code.function` + `code.namespace`, or a span
 * named like a qualified function) looked up among the workspace's definitions, every part of the qualified
 * name compared with the definition's package, types and name.
 */
import type { CodeMatch } from '../evidence';
import type { DefinitionHit, WorkspaceIndex } from '../workspaceIndex';
import type { Disambiguator } from './disambiguator';
import { functionNameParts } from './qualifiedNames';
import { listFiles, MAX_NAME, OVERLOADED, PICKED, round, TRUST, type EvidenceStep } from './types';

/** Roots of runtime libraries: a qualified name under one of them is not workspace code. */
const LIBRARY_ROOTS: ReadonlySet<string> = new Set([
  'java',
  'javax',
  'jakarta',
  'jdk',
  'sun',
  'kotlin',
  'kotlinx',
  'scala',
  'System',
  'Microsoft',
  'Internal',
  'runtime',
  'net',
  'std',
  'core',
  'alloc',
  'tokio',
  'builtins',
  'asyncio',
  'Illuminate',
  'Symfony',
  'ActiveRecord',
  'ActionController',
  'ActiveSupport',
  'Rack',
]);

export function byFunctionName(
  fn: string,
  key: string,
  line: number | undefined,
  ctx: Disambiguator,
  index: WorkspaceIndex,
  out: CodeMatch[],
  steps: EvidenceStep[],
  trustCap?: number,
): void {
  const evidence = `${key} ${fn}`;
  const step = (outcome: EvidenceStep['outcome'], detail: string): void => {
    steps.push({ kind: 'function name', evidence, outcome, detail });
  };
  const q = fn.length > MAX_NAME ? [] : functionNameParts(fn);
  const name = q[q.length - 1];
  if (name === undefined) return step('not found', 'no function name could be read from it');
  const hits = index.definitions(name);
  if (hits.length === 0) return step('not found', `no definition named ${name} in the workspace`);
  let best = 0;
  let scored: { hit: DefinitionHit; m: number }[] = [];
  for (const hit of hits) {
    const m = commonSuffix(q, hit.qualifier, hit.name);
    if (m > best) [best, scored] = [m, [{ hit, m }]];
    else if (m === best) scored.push({ hit, m });
  }
  if (q.length > 1 && best < 2) {
    const owner = q[q.length - 2]!;
    return step('not found', `${hits.length} definition(s) of ${name}, none in ${owner}`);
  }
  if (best < q.length && LIBRARY_ROOTS.has(q[0]!))
    return step('not found', `${q[0]} is a runtime or library namespace; definitions of ${name} here are other code`);
  let trust: number =
    q.length === 1
      ? TRUST.definitionBare
      : best < q.length
        ? TRUST.definitionPartial
        : best >= 3
          ? TRUST.definitionQualified
          : TRUST.definitionOwner;
  if (trustCap !== undefined) trust = Math.min(trust, trustCap);
  let candidates = scored.map((s) => s.hit);
  let picked = '';
  const scopes = new Set(candidates.map((c) => `${c.file}\0${c.qualifier.join('.')}`));
  if (scopes.size > 1) {
    const r = ctx.pick(candidates, (c) => c.file, undefined);
    if (r.chosen.length === 0 || new Set(r.chosen.map((c) => `${c.file}\0${c.qualifier.join('.')}`)).size > 1) {
      return step('ambiguous', `${scopes.size} places define ${fmtQualified(q, best)}: ${listFiles(candidates)}${r.why}`);
    }
    candidates = r.chosen;
    picked = r.why;
    trust *= PICKED;
  } else if (q.length === 1 || ctx.sdkLanguages !== undefined) {
    const r = ctx.pick(candidates, (c) => c.file, undefined);
    if (r.chosen.length === 0) return step('not found', `${name} is defined in ${listFiles(candidates)}${r.why}`);
  }
  candidates.sort((a, b) => a.line - b.line);
  let chosen = candidates[0]!;
  let overloads = '';
  if (candidates.length > 1) {
    const byLine = line === undefined ? undefined : [...candidates].reverse().find((c) => c.line <= line);
    if (byLine) {
      chosen = byLine;
      overloads = `; ${candidates.length} overloads, line ${line} is in this one`;
    } else {
      trust *= OVERLOADED;
      overloads = `; first of ${candidates.length} overloads (lines ${candidates.map((c) => c.line).join(', ')})`;
    }
  }
  const where = `${[...chosen.qualifier.slice(-1), chosen.name].join('.')} at ${chosen.file}:${chosen.line}`;
  const reason = `${evidence} matches the definition of ${where}${overloads}${picked}`;
  out.push({ file: chosen.file, line: chosen.line, function: fn, confidence: round(trust), reason });
  step('mapped', reason);
}

/** How many trailing parts of `q` equal those of `qualifier` + `name` (no array built: hot for common names). */
function commonSuffix(q: readonly string[], qualifier: readonly string[], name: string): number {
  if (q.length === 0 || q[q.length - 1] !== name) return 0;
  let n = 1;
  while (n < q.length && n <= qualifier.length && q[q.length - 1 - n] === qualifier[qualifier.length - n]) n++;
  return n;
}

function fmtQualified(q: readonly string[], matched: number): string {
  return q.slice(q.length - Math.max(1, matched)).join('.');
}
