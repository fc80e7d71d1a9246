/**
 * The core under measurement: the built bundle dist/core.js (what ships), or with `--core=src` the
 * TypeScript sources through tsx, for working on a reader before it is exported.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Trace } from '../../src/core/model/types';

/** The part of the core's public surface that the benchmarks use. */
export interface BenchCore {
  parseTraces(input: string | Uint8Array, options?: { format?: string }): Trace[];
}

export type CoreSource = 'dist' | 'src';

/** The core could not be loaded; its message says what to do, so the runner prints no stack for it. */
export class CoreLoadError extends Error {
  override readonly name = 'CoreLoadError';
}

const ROOT = path.resolve(__dirname, '../..');

const ENTRY: Record<CoreSource, string> = {
  dist: path.join(ROOT, 'dist/core.js'),
  // the readers' entry until src/core/index.ts exports parseTraces
  src: path.join(ROOT, 'src/core/formats/parse.ts'),
};

export function loadCore(source: CoreSource): BenchCore {
  const load = createRequire(__filename);
  let mod: unknown;
  try {
    mod = load(ENTRY[source]);
  } catch (e) {
    const hint = source === 'dist' ? ' (build it with `node esbuild.mjs`)' : '';
    throw new CoreLoadError(
      `cannot load ${path.relative(ROOT, ENTRY[source])}${hint}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const parseTraces = (mod as { parseTraces?: unknown } | null)?.parseTraces;
  if (typeof parseTraces !== 'function') {
    throw new CoreLoadError(
      `${path.relative(ROOT, ENTRY[source])} does not export parseTraces` +
        (source === 'dist' ? ': export it from src/core/index.ts, or measure the sources with `--core=src`' : ''),
    );
  }
  return { parseTraces: parseTraces as BenchCore['parseTraces'] };
}
