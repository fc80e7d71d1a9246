/**
 * What importing a trace file costs in memory, per format, as a multiple of the file's size: the figure the
 * large-import dialog (src/vscode/commands/importTraceFile.ts) states. Each format is read in a child process
 * of its own (this file, run with `import <format> <file>`) as the command reads it: the whole file into a
 * buffer, then `parseTraces` from dist/core.js. The figure is the process's peak resident memory
 * (`resourceUsage().maxRSS`) over its resident memory just before, divided by the file's size.
 *
 * The files, IMPORT_MB each, are copies of one generated 2,000-span trace with their trace ids changed, so that
 * the file holds many distinct traces of realistic spans.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Core from '../../src/core/index';
import { generateTrace, renderTrace, SYNTHETIC_FORMATS, type SyntheticFormat } from '../../test/fixtures/generateTraces';
import type { BenchGroup } from './registry';

const IMPORT_MB = 96;
const TRACE_SPANS = 2000;
const SEED = 20_240_601;

const caseName = (format: SyntheticFormat): string => `import.${format}`;

export const importGroup: BenchGroup = {
  name: 'import',
  description: `peak memory of importing a ${IMPORT_MB} MB trace file, per format, as a multiple of its size`,
  cases: SYNTHETIC_FORMATS.map(caseName),

  async run(selected, report, { log }) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'trace-lens-import-'));
    try {
      const trace = generateTrace(TRACE_SPANS, SEED);
      for (const format of SYNTHETIC_FORMATS) {
        if (!selected.includes(caseName(format))) continue;
        const file = path.join(dir, `traces.${format}`);
        const bytes = fileOf(renderTrace(trace, format), trace.traceId);
        await fs.writeFile(file, bytes);
        const child = spawnSync(process.execPath, [...process.execArgv, __filename, 'import', format, file], {
          encoding: 'utf8',
          maxBuffer: 1024 * 1024,
        });
        if (child.status !== 0) throw new Error(`import.${format}: ${child.stderr}`);
        const { peakMb, beforeMb, spans, traces } = JSON.parse(child.stdout) as Record<string, number>;
        const ratio = (peakMb! - beforeMb!) / (bytes.length / 1048576);
        log(
          `import.${format}: ${(bytes.length / 1048576).toFixed(0)} MB file, ${traces} traces of ${spans} spans: ` +
            `peak ${peakMb} MB resident, ${beforeMb} MB before reading`,
        );
        report({ name: `import.${format}.peak_memory_ratio`, value: Math.round(ratio * 100) / 100, unit: 'ratio' });
        await fs.rm(file);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
};

/** About IMPORT_MB of copies of one rendered trace, each with a trace id of its own, as one file of `format`. */
function fileOf(rendered: string | Uint8Array, traceId: string): Buffer {
  const copies = Math.max(1, Math.floor((IMPORT_MB * 1048576) / rendered.length));
  const idOf = (i: number): string => `${(i + 1).toString(16).padStart(8, '0')}${traceId.slice(8)}`;
  if (typeof rendered !== 'string') {
    const from = Buffer.from(traceId, 'hex');
    return Buffer.concat(
      Array.from({ length: copies }, (_, i) => {
        const out = Buffer.from(rendered);
        const to = Buffer.from(idOf(i), 'hex');
        for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + from.length)) to.copy(out, at);
        return out;
      }),
    );
  }
  // Every JSON format here is one list of items in an envelope: `{"data":[…]}`, `{"resourceSpans":[…]}`, `[…]`.
  const open = rendered.indexOf('[') + 1;
  const close = rendered.lastIndexOf(']');
  const inner = rendered.slice(open, close);
  const parts = Array.from({ length: copies }, (_, i) => inner.replaceAll(traceId, idOf(i)));
  return Buffer.from(`${rendered.slice(0, open)}${parts.join(',')}${rendered.slice(close)}`);
}

/** Child mode: reads the file as the import command does and reports its peak memory. */
function runImport(format: string, file: string): void {
  const core = createRequire(__filename)(path.resolve(__dirname, '../../dist/core.js')) as typeof Core;
  globalThis.gc?.();
  const beforeMb = Math.round(process.memoryUsage().rss / 1048576);
  const bytes = new Uint8Array(readFileSync(file));
  const traces = core.parseTraces(bytes);
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const spans = traces.reduce((n, t) => n + t.spans.length, 0);
  process.stdout.write(JSON.stringify({ format, peakMb, beforeMb, spans, traces: traces.length }));
}

if (require.main === module && process.argv[2] === 'import') runImport(process.argv[3]!, process.argv[4]!);
