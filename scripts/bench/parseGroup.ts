/**
 * Format readers: `parseTraces` on one synthetic trace per size, rendered in each wire format.
 * JSON readers are measured against a bare `JSON.parse` of the same text (parseTraces includes its own),
 * the protobuf reader against protobufjs' bare decode of the same bytes (the reader decodes the wire format
 * itself, so it can come in below 1): the ratio is what the reader costs next to the unavoidable work, and
 * varies far less across machines than milliseconds do.
 */
import {
  exportTraceServiceRequest,
  generateTrace,
  renderTrace,
  SYNTHETIC_FORMATS,
  type SyntheticFormat,
} from '../../test/fixtures/generateTraces';
import type { Trace } from '../../src/core/model/types';
import type { BenchCore } from './loadCore';
import { retainedBytes, timePair } from './measure';
import type { BenchGroup, Figure } from './registry';

/**
 * Per size: the timing options (see measure.ts). At 100k spans a call takes seconds, so one warm-up call
 * each (the hot loops reach the optimising compiler within it, and the 10k cases ran the same code
 * before) and at least 3 rounds keep the whole bench near two minutes on two cores.
 */
const SIZES = [
  { label: '10k', spans: 10_000, timing: { budgetMs: 2000, minRounds: 5, warmupMs: 1000 } },
  { label: '100k', spans: 100_000, timing: { budgetMs: 10_000, minRounds: 3, warmupMs: 0 } },
] as const;
/** Sizes that also report absolute time and retained memory. */
const DETAILED = '100k';
const SEED = 20_240_601;

type Size = (typeof SIZES)[number];

const caseName = (format: SyntheticFormat, size: Size): string => `parse.${format}.${size.label}`;

export const parseGroup: BenchGroup = {
  name: 'parse',
  description: 'parseTraces per wire format vs bare JSON.parse / protobuf decode; retained heap per span',
  cases: SIZES.flatMap((size) => SYNTHETIC_FORMATS.map((format) => caseName(format, size))),

  run(selected, report, { core, log }) {
    const parser = core();
    for (const size of SIZES) {
      const formats = SYNTHETIC_FORMATS.filter((f) => selected.includes(caseName(f, size)));
      if (formats.length === 0) continue;
      const started = performance.now();
      const inputs = renderInputs(size.spans, formats);
      log(`${size.label}: generated and rendered ${formats.join(', ')} in ${Math.round(performance.now() - started)} ms`);
      for (const format of formats) {
        const input = inputs.get(format)!;
        measureCase(parser, format, size, input, report, log);
        inputs.delete(format);
      }
    }
    return Promise.resolve();
  },
};

/** Every input of one size, built up front; the model is not kept, so it is no live heap while timing. */
function renderInputs(spans: number, formats: readonly SyntheticFormat[]): Map<SyntheticFormat, string | Uint8Array> {
  const trace = generateTrace(spans, SEED);
  return new Map(formats.map((f) => [f, renderTrace(trace, f)]));
}

function measureCase(
  parser: BenchCore,
  format: SyntheticFormat,
  size: Size,
  input: string | Uint8Array,
  report: (figure: Figure) => void,
  log: (message: string) => void,
): void {
  const name = caseName(format, size);
  const options = { format };
  const parse = (): Trace[] => parser.parseTraces(input, options);
  const proto = format === 'otlp-proto';
  const baseline = proto
    ? (): unknown => exportTraceServiceRequest.decode(input as Uint8Array)
    : (): unknown => JSON.parse(input as string);

  const timing = timePair(parse, baseline, size.timing);
  // After the timing rounds, so that compiled code is not counted; it also checks that the reader read
  // every span, without which its timing would mean nothing.
  const { bytes, value } = retainedBytes(parse);
  const spanCount = value.reduce((n, t) => n + t.spans.length, 0);
  if (spanCount !== size.spans) throw new Error(`${name}: parseTraces gave ${spanCount} spans, expected ${size.spans}`);

  const megabytes = (typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength) / 1e6;
  log(
    `${name}: parseTraces ${timing.subjectMs.toFixed(1)} ms, ${proto ? 'decode' : 'JSON.parse'} ${timing.baselineMs.toFixed(1)} ms` +
      ` (median of ${timing.rounds} rounds, ${megabytes.toFixed(1)} MB input); result keeps ${(bytes / 1e6).toFixed(1)} MB alive`,
  );
  report({
    name: `${name}.${proto ? 'ratio_vs_decode' : 'ratio_vs_json_parse'}`,
    value: round(timing.subjectMs / timing.baselineMs, 3),
    unit: 'ratio',
  });
  if (size.label !== DETAILED) return;
  report({ name: `${name}.ms`, value: round(timing.subjectMs, 1), unit: 'ms' });
  report({ name: `${name}.bytes_per_span`, value: Math.round(bytes / spanCount), unit: 'bytes' });
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
