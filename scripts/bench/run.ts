/**
 * `npm run bench [-- <filter>...] [--list] [--core=src]`: builds dist/ and measures the built core.
 * stdout: one JSON object per line, {"name", "value", "unit"}; everything else goes to stderr.
 * A filter is a case-name prefix or glob (`parse.zipkin`, `parse.*.100k`); none runs every case.
 *
 * Methodology
 * - Inputs are deterministic: synthetic traces from test/fixtures/generateTraces.ts with a fixed seed,
 *   built before timing; the generator's model is dropped so that it is not live heap while timing.
 * - Relative figures: the code under test is timed against a baseline doing the unavoidable part of
 *   the same work on the same input in the same process (e.g. JSON.parse of the same text). The ratio
 *   cancels most of the machine's speed, so figures compare across machines and runs.
 * - Warm-up: subject and baseline run alternately before any measurement (10k spans: for at least 1 s;
 *   100k: once each, as every call runs the hot loops 100k times and the 10k cases ran the same code),
 *   so that V8 has compiled the hot paths with type feedback from this kind of input.
 * - Rounds: each round times subject and baseline once each, the order alternating between rounds, so
 *   slow drift (CPU frequency, the other core's load, heap growth) falls on both alike. The number of
 *   rounds comes from a per-size time budget, odd, at least 5 (3 at 100k spans, where a call takes
 *   seconds) and at most 31. Figures are medians of rounds, which shrug off the odd slow round
 *   that a mean would carry.
 * - Time is the process's CPU time (user + system, all threads, so GC helper threads count), read
 *   around each call: other processes sharing the cores delay wall time by whatever they take but
 *   leave CPU time alone. On a quiet machine it matches wall time for this single-threaded code.
 * - GC: every timed call starts after a full `global.gc()` (outside the timed region), so no call pays
 *   for garbage the previous one left behind. Collections the call itself causes are part of its cost.
 * - Memory: retained bytes = JS heap + ArrayBuffer memory after the call minus before, each read after
 *   two full GCs, with the input held in both readings so that it is not counted. Measured after the
 *   timing rounds, so compiled code is already in the "before" reading.
 * - Cases run one after another on the main thread; nothing else of the bench runs while timing.
 *
 * Adding figures: write a BenchGroup (registry.ts) in its own file beside this one, with case names
 * `<group>.<subject>.<size>`, and add it to GROUPS.
 */
import { CoreLoadError, loadCore, type BenchCore, type CoreSource } from './loadCore';
import { requireGc } from './measure';
import { agentGroup } from './agentGroup';
import { backendGroup } from './backendGroup';
import { extensionGroup } from './extensionGroup';
import { mappingGroup } from './mappingGroup';
import { parseGroup } from './parseGroup';
import { importGroup } from './importGroup';
import { overloadGroup } from './overloadGroup';
import { receiverGroup, storeGroup } from './receiverGroup';
import { statsGroup } from './statsGroup';
import { selectCases, type BenchGroup, type Figure } from './registry';

/** Every benchmark group, in the order they run. Add new groups here. */
const GROUPS: readonly BenchGroup[] = [
  parseGroup,
  statsGroup,
  mappingGroup,
  backendGroup,
  receiverGroup,
  storeGroup,
  overloadGroup,
  importGroup,
  agentGroup,
  extensionGroup,
];

async function main(argv: readonly string[]): Promise<number> {
  const filters = argv.filter((a) => !a.startsWith('--'));
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  if (flags.has('--list')) {
    for (const group of GROUPS) {
      process.stderr.write(`${group.name}: ${group.description}\n`);
      for (const c of group.cases) process.stdout.write(`${c}\n`);
    }
    return 0;
  }
  const source: CoreSource = flags.has('--core=src') ? 'src' : 'dist';
  const unknown = [...flags].filter((f) => f !== '--core=src' && f !== '--core=dist');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(', ')} (known: --list, --core=src, --core=dist)`);

  requireGc();
  let core: BenchCore | undefined;
  const context = {
    core: (): BenchCore => (core ??= loadCore(source)),
    log: (message: string): void => {
      process.stderr.write(`${message}\n`);
    },
  };
  const report = (figure: Figure): void => {
    process.stdout.write(`${JSON.stringify(figure)}\n`);
  };

  const started = performance.now();
  let selectedAny = false;
  let failed = 0;
  for (const group of GROUPS) {
    const selected = selectCases(group.cases, filters);
    if (selected.length === 0) continue;
    selectedAny = true;
    context.log(`${group.name}: ${selected.length} case(s), core from ${source}`);
    try {
      await group.run(selected, report, context);
    } catch (e) {
      failed++;
      const detail = e instanceof CoreLoadError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      context.log(`${group.name} failed: ${detail}`);
    }
  }
  if (!selectedAny) throw new Error(`no case matches ${filters.join(' ')}; \`npm run bench -- --list\` shows them`);
  context.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
