/**
 * Latency statistics and the CodeLens provider's work, on 1,000,000 synthetic spans over 5,000 code locations
 * (100 files × 50 functions, spread over the last hour, 2% errors, log-normal durations).
 *
 * - `stats.ingest.spans_per_s`: spans counted per second by LatencyStats.ingest with a LocationResolver
 *   (path mapping once per span signature, a cache hit after), from Span objects to updated minute buckets
 *   (the spans still staged at the end are counted in the time, with LatencyStats.flush).
 *   Median of rounds, each into fresh statistics. Higher is better.
 * - `codelens.provide.2000_lines.1m_spans.p95_ms`: p95 of the provider's work for one 2,000-line file of those
 *   statistics (its summaries, symbol placement, titles) with summaries precomputed, as the controller leaves
 *   them after each refresh.
 * - `codelens.provide.2000_lines.1m_spans.cold_p95_ms`: the same right after new spans arrived at every location
 *   of the file, so that every summary is merged again from its minute buckets (the refresh's own cost).
 * - `stats.ingest.ratio_vs_map_count`: ingest time over a baseline on the same batches that only counts each
 *   span in a Map by its file and function attributes — the irreducible touch of every span; cancels most of the
 *   machine's speed.
 * - `stats.memory.bytes_per_span`: retained bytes of the statistics per span counted.
 */
import { PathMapper } from '../../src/core/codeLocation/pathMapper';
import type { Attributes, Span } from '../../src/core/model/types';
import { FileSymbols, type SymbolInfo } from '../../src/core/stats/fileSymbols';
import { compileLensFormat, DEFAULT_LENS_FORMAT } from '../../src/core/stats/formatStats';
import { LatencyStats, MINUTE_US } from '../../src/core/stats/latencyStats';
import { lensesForFile } from '../../src/core/stats/lensesForFile';
import { LocationResolver, locateByCodeAttributes } from '../../src/core/stats/locationResolver';
import { median, requireGc, retainedBytes } from './measure';
import type { Figure } from './registry';

const SPANS = 1_000_000;
/** spans per export batch (the OpenTelemetry SDKs' default maxExportBatchSize is 512) */
const BATCH = 1_000;
const FILES = 100;
const FUNCTIONS_PER_FILE = 50;
const FILE_LINES = 2_000;
const NOW_US = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

export async function benchStats(): Promise<Figure[]> {
  const gc = requireGc();
  const input = makeInput();
  const figures: Figure[] = [];
  const clock = (): number => NOW_US;

  // ingest: batches as an exporter sends them, each built untimed (only the statistics' work is timed)
  const ingestAll = (stats: LatencyStats, resolver: LocationResolver): number => {
    let ms = 0;
    for (let from = 0; from < SPANS; from += BATCH) {
      const batch = input.batch(from, Math.min(SPANS, from + BATCH));
      const start = process.hrtime.bigint();
      stats.ingest(batch, resolver.resolver);
      ms += Number(process.hrtime.bigint() - start) / 1e6;
    }
    // the spans still staged are counted too, as the first read would
    const start = process.hrtime.bigint();
    stats.flush();
    return ms + Number(process.hrtime.bigint() - start) / 1e6;
  };
  const fresh = (): { stats: LatencyStats; resolver: LocationResolver } => ({
    stats: new LatencyStats({ clock }),
    resolver: new LocationResolver(locateByCodeAttributes(input.mapper)),
  });
  for (let i = 0; i < 2; i++) {
    const f = fresh();
    ingestAll(f.stats, f.resolver);
  }
  const ingestMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const f = fresh();
    gc();
    ingestMs.push(ingestAll(f.stats, f.resolver));
  }
  figures.push({ name: 'stats.ingest.spans_per_s', value: Math.round(SPANS / (median(ingestMs) / 1000)), unit: 'spans/s' });

  // baseline: the least any per-location statistic must do per span — look up its file and function, count it
  const countAll = (): number => {
    let ms = 0;
    const counts = new Map<unknown, Map<unknown, number>>();
    for (let from = 0; from < SPANS; from += BATCH) {
      const batch = input.batch(from, Math.min(SPANS, from + BATCH));
      const start = process.hrtime.bigint();
      for (const span of batch) {
        const a = span.attributes;
        let inFile = counts.get(a['code.filepath']);
        if (!inFile) counts.set(a['code.filepath'], (inFile = new Map()));
        const fn = a['code.function'];
        inFile.set(fn, (inFile.get(fn) ?? 0) + 1);
      }
      ms += Number(process.hrtime.bigint() - start) / 1e6;
    }
    return ms;
  };
  countAll();
  const baselineMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    baselineMs.push(countAll());
  }
  figures.push({ name: 'stats.ingest.ratio_vs_map_count', value: round3(median(ingestMs) / median(baselineMs)), unit: 'ratio' });

  gc();
  const { bytes, value: stats } = retainedBytes(() => {
    const f = fresh();
    ingestAll(f.stats, f.resolver);
    return f.stats;
  });
  figures.push({ name: 'stats.memory.bytes_per_span', value: Math.round(bytes / SPANS), unit: 'bytes' });

  // the provider's work for one file: file 0 holds 50 of the 5,000 locations
  const file = input.files[0]!;
  const symbols = input.symbols;
  const options = { format: compileLensFormat(DEFAULT_LENS_FORMAT), lineCount: FILE_LINES };
  const provide = (): number => lensesForFile(stats.summariesIn(file), symbols, options).length;
  if (provide() !== FUNCTIONS_PER_FILE) throw new Error(`expected ${FUNCTIONS_PER_FILE} lenses, got ${provide()}`);

  const warm: number[] = [];
  for (let i = 0; i < 1_000; i++) warm.push(timeMs(provide));
  figures.push({ name: 'codelens.provide.2000_lines.1m_spans.p95_ms', value: round3(p95(warm.slice(200))), unit: 'ms' });

  const resolver = new LocationResolver(locateByCodeAttributes(input.mapper));
  const inFile = input.batch(0, 20_000).filter((s) => s.attributes['code.filepath'] === input.foreignFiles[0]);
  const cold: number[] = [];
  for (let i = 0; i < 300; i++) {
    stats.ingest(inFile, resolver.resolver);
    cold.push(timeMs(provide));
  }
  figures.push({ name: 'codelens.provide.2000_lines.1m_spans.cold_p95_ms', value: round3(p95(cold.slice(50))), unit: 'ms' });
  return figures;
}

function timeMs(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function p95(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

interface Input {
  /** the spans [from, to) of the million, made on demand: holding a million span objects would make every GC of the run pay for them */
  batch(from: number, to: number): Span[];
  mapper: PathMapper;
  files: string[];
  foreignFiles: string[];
  symbols: FileSymbols;
}

/**
 * Deterministic: a fixed-seed generator draws each span's location, start, duration and status into typed arrays.
 * Spans are made with fresh attribute objects and flat strings, as a parser makes them.
 */
function makeInput(): Input {
  let seed = 42;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return (seed - 1) / 2147483646;
  };
  const files = Array.from({ length: FILES }, (_, i) => `src/module${i}/service${i}.ts`);
  const foreignFiles = files.map((f) => `/app/${f}`);
  const mapper = new PathMapper({ folders: [{ name: 'app', root: '/work/app' }], files });
  const services = ['checkout', 'payments', 'orders'];
  const resources = services.map((s): Attributes => ({ 'service.name': s }));
  const locations = FILES * FUNCTIONS_PER_FILE;
  const loc = new Uint16Array(SPANS);
  const start = new Float64Array(SPANS);
  const duration = new Float64Array(SPANS);
  const error = new Uint8Array(SPANS);
  for (let i = 0; i < SPANS; i++) {
    const l = Math.floor(random() * locations);
    loc[i] = l;
    const median = 200 + (l % 97) * 150; // µs
    const u = Math.max(1e-9, random());
    duration[i] = median * Math.exp(0.8 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()));
    error[i] = random() < 0.02 ? 1 : 0;
    start[i] = NOW_US - Math.floor(random() * 60 * MINUTE_US);
  }
  const flat = (s: string): string => Buffer.from(s).toString();
  const batch = (from: number, to: number): Span[] => {
    const out: Span[] = [];
    for (let i = from; i < to; i++) {
      const l = loc[i]!;
      const f = Math.floor(l / FUNCTIONS_PER_FILE);
      const fn = l % FUNCTIONS_PER_FILE;
      const resource = resources[l % 3]!;
      out.push({
        traceId: flat((i >>> 2).toString(16).padStart(32, '0')),
        spanId: flat(i.toString(16).padStart(16, '0')),
        name: flat(`handler${fn}`),
        service: services[l % 3]!,
        kind: 'server',
        startUs: start[i]!,
        durationUs: duration[i]!,
        status: error[i] ? { code: 'error', message: 'boom' } : { code: 'unset' },
        attributes: {
          'code.filepath': flat(foreignFiles[f]!),
          'code.function': flat(`handler${fn}`),
          'code.lineno': 10 + fn * 38,
          'http.route': flat(`/api/${fn}`),
        },
        resource,
        events: [],
        links: [],
      });
    }
    return out;
  };
  const symbolList: SymbolInfo[] = [];
  for (let fn = 0; fn < FUNCTIONS_PER_FILE; fn++) {
    symbolList.push({
      name: `handler${fn}`,
      containers: ['Service0'],
      startLine: 9 + fn * 38,
      endLine: 9 + fn * 38 + 30,
      callable: true,
    });
  }
  return { batch, mapper, files, foreignFiles, symbols: new FileSymbols(symbolList) };
}

if (require.main === module) {
  benchStats().then(
    (figures) => {
      for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
