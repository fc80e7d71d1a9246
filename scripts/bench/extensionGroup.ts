/**
 * Activation, measured with the real bundle in a real VS Code: the host runner (scripts/host-tests) starts
 * code-server with the extension as built, and the host test "Trace Lens activation" reads the activation time
 * VS Code itself shows in Developer: Show Running Extensions (code loading + activate()) and sums the extension's
 * bundles that Node loaded by then. Each run starts a fresh VS Code, so activation happens once per run; the
 * figures are medians of RUNS runs. On a loaded machine VS Code's figure includes time the extension host spends
 * on other extensions activating beside it; `activate_ms_min` is the least disturbed run, and the ratio compares
 * with the built-in Merge Conflict extension (a 200 KB bundle), activated on the same event in the same run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchGroup } from './registry';

const RUNS = Number(process.env.TRACE_LENS_BENCH_ACTIVATION_RUNS) || 5;
const ROOT = path.resolve(__dirname, '../..');

interface ActivationFigures {
  activate_ms: number;
  merge_conflict_ms: number;
  bundle_kb: number;
  main_kb: number;
}

export const extensionGroup: BenchGroup = {
  name: 'extension',
  description: `activation time VS Code shows (median of ${RUNS} fresh host runs) and the code it loads, KB`,
  cases: ['extension.activation'],
  async run(_selected, report, context) {
    const runs: ActivationFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await hostRun());
      context.log(`extension: run ${i + 1}/${RUNS}: ${JSON.stringify(runs[runs.length - 1])}`);
    }
    const times = runs.map((r) => r.activate_ms).sort((a, b) => a - b);
    const last = runs[runs.length - 1];
    report({ name: 'extension.activate_ms', value: times[Math.floor(times.length / 2)] ?? NaN, unit: 'ms' });
    report({ name: 'extension.activate_ms_min', value: times[0] ?? NaN, unit: 'ms' });
    const ratios = runs.map((r) => r.activate_ms / r.merge_conflict_ms).sort((a, b) => a - b);
    report({
      name: 'extension.activate.ratio_vs_merge_conflict',
      value: Math.round((ratios[Math.floor(ratios.length / 2)] ?? NaN) * 100) / 100,
      unit: 'ratio',
    });
    report({ name: 'extension.bundle_kb', value: round(last?.bundle_kb), unit: 'KB' });
    report({ name: 'extension.main_bundle_kb', value: round(last?.main_kb), unit: 'KB' });
  },
};

/** One headless host run of the activation test; its output goes to stderr. */
async function hostRun(): Promise<ActivationFigures> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-activation-')), 'figures.json');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/host-tests/run-via-test-electron.js')], {
      cwd: ROOT,
      env: { ...process.env, HOST_TEST_GREP: 'Trace Lens activation', TRACE_LENS_ACTIVATION_FIGURES: out },
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0 || !fs.existsSync(out))
    throw new Error(`the host run failed (exit status ${String(code)}); see test-results/host/`);
  const figures = JSON.parse(fs.readFileSync(out, 'utf8')) as ActivationFigures;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return figures;
}

function round(kb: number | undefined): number {
  return kb === undefined ? NaN : Math.round(kb * 10) / 10;
}
