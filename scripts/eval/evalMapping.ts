/**
 * `npm run eval:mapping -- <workspace> <cases.jsonl> [--only <id-substring>] [--all]`
 *
 * Builds the workspace index the way the extension does (createWorkspaceIndex), runs locateSpan on every
 * case and prints top-1 accuracy by evidence kind and by language, the index time, and every miss with the
 * engine's own explanation. Exit status 0 whatever the score: this measures, it does not gate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { explainSpan } from '../../src/core/codeLocation/locateSpan';
import { createWorkspaceIndex } from '../../src/core/codeLocation/nodeWorkspaceFiles';
import { caseLanguage, caseSpan, readCases, score, type MappingCase, type Verdict } from './mappingCases';

interface Tally {
  right: number;
  total: number;
}

function usage(): never {
  console.error('usage: npm run eval:mapping -- <workspace folder> <cases.jsonl> [--only <id substring>] [--all]');
  process.exit(2);
}

function pct(t: Tally): string {
  return `${t.right}/${t.total} (${t.total === 0 ? '-' : ((100 * t.right) / t.total).toFixed(1)}%)`;
}

function add(map: Map<string, Tally>, key: string, right: boolean): void {
  const t = map.get(key) ?? { right: 0, total: 0 };
  t.total++;
  if (right) t.right++;
  map.set(key, t);
}

function table(title: string, map: Map<string, Tally>): void {
  console.log(`\n${title}`);
  const rows = [...map].sort((a, b) => a[0].localeCompare(b[0]));
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, t] of rows) console.log(`  ${k.padEnd(w)}  ${pct(t)}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const only = flag('--only');
  const all = args.includes('--all');
  const positional = args.filter((a) => !a.startsWith('--'));
  if (positional.length !== 2) usage();
  const [workspace, casesFile] = positional.map((p) => path.resolve(p!)) as [string, string];
  if (!fs.statSync(workspace, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`${workspace} is not a folder: build the workspace first (see the case set's README)`);
    process.exit(2);
  }
  let cases: MappingCase[] = readCases(fs.readFileSync(casesFile, 'utf8'));
  if (only !== undefined) cases = cases.filter((c) => c.id.includes(only));

  const t0 = performance.now();
  const index = await createWorkspaceIndex(workspace);
  void index.mapper; // built on first use: part of indexing, not of a lookup
  const indexMs = performance.now() - t0;

  const byKind = new Map<string, Tally>();
  const byLanguage = new Map<string, Tally>();
  const overall: Tally = { right: 0, total: 0 };
  const negatives: Tally = { right: 0, total: 0 };
  const misses: string[] = [];
  let locateMs = 0;
  for (const c of cases) {
    const span = caseSpan(c);
    const s = performance.now();
    const { matches, steps } = explainSpan(span, index);
    locateMs += performance.now() - s;
    const verdict: Verdict = score(c, matches);
    const right = verdict === 'right';
    add(byKind, c.kind, right);
    add(byLanguage, caseLanguage(c), right);
    const bucket = c.expect.file === null ? negatives : overall;
    bucket.total++;
    if (right) bucket.right++;
    if (!right || all) {
      const top = matches[0];
      const expected = c.expect.file === null ? 'nothing' : `${c.expect.file}:${c.expect.line ?? '-'}`;
      const got = top === undefined ? 'nothing' : `${top.file}:${top.line ?? '-'} (${top.confidence})`;
      const lines = [
        `${right ? 'ok  ' : 'MISS'} ${c.id} [${c.kind}, ${caseLanguage(c)}] ${verdict}`,
        `     expected ${expected}`,
        `     got      ${got}`,
      ];
      if (top) lines.push(`     reason   ${top.reason}`);
      for (const st of steps) lines.push(`     - ${st.kind} (${st.outcome}): ${st.evidence} → ${st.detail}`);
      misses.push(lines.join('\n'));
    }
  }

  console.log(
    `workspace ${workspace}: ${index.stats.indexed} source files indexed of ${index.stats.files} files (${index.stats.definitions} definitions, ${index.stats.spanStarts} span starts, ${index.stats.routes} routes) in ${(indexMs / 1000).toFixed(2)} s`,
  );
  // a second pass, once the index's lazily built structures exist: what each further span costs
  const w0 = performance.now();
  for (const c of cases) explainSpan(caseSpan(c), index);
  const warmMs = performance.now() - w0;
  const perSpan = (ms: number): string => ((1000 * ms) / Math.max(1, cases.length)).toFixed(0);
  console.log(`${cases.length} cases, locate ${perSpan(locateMs)} µs/span on the first pass, ${perSpan(warmMs)} µs/span after`);
  table('by evidence kind', byKind);
  table('by language', byLanguage);
  console.log(`\npositives top-1: ${pct(overall)}`);
  console.log(`negatives answered with nothing: ${pct(negatives)} (false maps: ${negatives.total - negatives.right})`);
  const total: Tally = { right: overall.right + negatives.right, total: overall.total + negatives.total };
  console.log(`all cases: ${pct(total)}`);
  if (misses.length > 0) console.log(`\n${all ? 'every case' : 'misses'}:\n${misses.join('\n')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
