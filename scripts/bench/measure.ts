/**
 * Timing and memory measurement. See the methodology note at the top of run.ts; every helper here
 * needs `node --expose-gc`.
 */

/** Results are stored here so that no call can be dropped as dead code. */
let _sink: unknown;

export function requireGc(): () => void {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('run with `node --expose-gc` (npm run bench does)');
  return () => {
    gc();
  };
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** JS heap plus ArrayBuffer backing stores (Uint8Array attribute values live there), in bytes. */
function usedBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * CPU milliseconds (user + system, all of the process's threads) of one call of `fn`, started after a
 * full GC that is not timed. CPU time rather than wall time: other processes on the same cores (builds,
 * tests) delay a call's wall time by whatever they take, but do not add to its CPU time. For this
 * single-threaded code on a quiet machine the two agree, plus the GC helper threads' work.
 */
function timeOnce(fn: () => unknown, gc: () => void): number {
  gc();
  const start = process.cpuUsage();
  _sink = fn();
  const { user, system } = process.cpuUsage(start);
  _sink = undefined;
  return (user + system) / 1000;
}

export interface PairOptions {
  /** wall time the measured rounds should take; the round count follows from the warm-up's pace */
  budgetMs: number;
  /** odd; fewer only for inputs so large that each call takes seconds */
  minRounds: number;
  /** run both sides alternately for at least this long (and at least once each) before measuring */
  warmupMs: number;
}

export interface PairTiming {
  /** median milliseconds of `subject` */
  subjectMs: number;
  /** median milliseconds of `baseline` */
  baselineMs: number;
  rounds: number;
}

const MAX_ROUNDS = 31;

/**
 * Times `subject` against `baseline`: warm-up, then an odd number of rounds (from the time budget,
 * between `minRounds` and MAX_ROUNDS), each timing both once in alternating order (subject first in
 * even rounds, baseline first in odd ones), every call after a full GC. Returns the medians.
 */
export function timePair(subject: () => unknown, baseline: () => unknown, options: PairOptions): PairTiming {
  const gc = requireGc();
  const warmStart = performance.now();
  let roundMs = 0;
  do {
    roundMs = timeOnce(subject, gc) + timeOnce(baseline, gc);
  } while (performance.now() - warmStart < options.warmupMs);
  const fit = Math.floor(options.budgetMs / Math.max(roundMs, 1e-3)) | 1;
  const rounds = Math.max(options.minRounds, Math.min(MAX_ROUNDS, fit));
  const subjectSamples: number[] = [];
  const baselineSamples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      subjectSamples.push(timeOnce(subject, gc));
      baselineSamples.push(timeOnce(baseline, gc));
    } else {
      baselineSamples.push(timeOnce(baseline, gc));
      subjectSamples.push(timeOnce(subject, gc));
    }
  }
  return { subjectMs: median(subjectSamples), baselineMs: median(baselineSamples), rounds };
}

/**
 * Bytes that the value `make` returns keeps alive: used memory after minus before, each read after two
 * full GCs (the second collects what the first's finalisation released). Whatever the caller holds in
 * both readings, such as the input, is not counted. Run it once the code is warm, so that compiled code
 * and type feedback made by the first calls are in the "before" reading.
 */
export function retainedBytes<T>(make: () => T): { bytes: number; value: T } {
  const gc = requireGc();
  gc();
  gc();
  const before = usedBytes();
  const value = make();
  gc();
  gc();
  const after = usedBytes();
  return { bytes: after - before, value };
}
