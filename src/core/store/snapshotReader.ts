/**
 * Reading a snapshot file line by line, streaming: the file's size is checked before it is opened, what it
 * inflates to is bounded (a gzip bomb costs at most the bound, read as it streams, never held), and a line
 * longer than any this version writes stops the reading. Whatever was read before a problem is kept: the
 * lines are newest first, so a cut file still gives the newest traces.
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as zlib from 'node:zlib';
import { headerProblem } from './snapshotFormat';

/** The longest line read, in bytes: a piece of a trace is written at about 1 MiB, a single huge span may pass it. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface ReadLimits {
  /** a file larger than this is not read at all, in bytes */
  maxFileBytes: number;
  /** reading stops once this much has been inflated, in bytes */
  maxInflatedBytes: number;
}

export interface ReadOutcome {
  /** false: no file there */
  exists: boolean;
  /** why nothing was read (unreadable, too large, not a snapshot of this version) */
  problem?: string;
  /** why reading stopped before the end, after some lines were read */
  stoppedEarly?: string;
}

/**
 * Hands each line after the header to `onLine`, in file order, until the end or a limit; `onLine` returning
 * false stops the reading too (without a note). Never throws: problems come back in the outcome.
 */
export async function readSnapshotLines(
  file: string,
  limits: ReadLimits,
  onLine: (line: string) => boolean | void,
): Promise<ReadOutcome> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false };
    return { exists: true, problem: `cannot read ${file}: ${(e as Error).message}` };
  }
  if (size > limits.maxFileBytes) {
    return {
      exists: true,
      problem: `${file} is ${megabytes(size)}, more than the ${megabytes(limits.maxFileBytes)} it could hold; not read`,
    };
  }
  const input = createReadStream(file);
  const gunzip = zlib.createGunzip();
  let inflated = 0;
  let header: string | undefined;
  let problem: string | undefined;
  let stoppedEarly: string | undefined;
  let stopped = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const stop = (): void => {
    stopped = true;
    input.destroy();
    gunzip.destroy();
  };
  const line = (text: string): void => {
    if (stopped) return;
    if (header === undefined) {
      header = text;
      problem = headerProblem(text);
      if (problem) stop();
      return;
    }
    if (text !== '' && onLine(text) === false) stop();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      input.on('error', reject);
      gunzip.on('error', reject);
      gunzip.on('end', resolve);
      gunzip.on('close', resolve);
      gunzip.on('data', (chunk: Buffer) => {
        if (stopped) return;
        inflated += chunk.length;
        let start = 0;
        for (let nl = chunk.indexOf(10, start); nl !== -1 && !stopped; nl = chunk.indexOf(10, start)) {
          const piece = chunk.subarray(start, nl);
          const text = pendingBytes > 0 ? Buffer.concat([...pending, piece]).toString('utf8') : piece.toString('utf8');
          pending = [];
          pendingBytes = 0;
          start = nl + 1;
          line(text);
        }
        if (stopped) return;
        if (start < chunk.length) {
          pending.push(chunk.subarray(start));
          pendingBytes += chunk.length - start;
        }
        if (pendingBytes > MAX_LINE_BYTES) {
          stoppedEarly = `a line is longer than ${megabytes(MAX_LINE_BYTES)}; the rest of the file was not read`;
          stop();
        } else if (inflated > limits.maxInflatedBytes) {
          stoppedEarly = `the older traces past ${megabytes(limits.maxInflatedBytes)} (the store's size) were not read`;
          stop();
        }
      });
      input.pipe(gunzip);
    });
    if (!stopped && pendingBytes > 0) line(Buffer.concat(pending).toString('utf8'));
  } catch (e) {
    if (!stopped) {
      const reason = (e as Error).message;
      if (header === undefined) problem = `not a Trace Lens snapshot (${reason})`;
      else stoppedEarly = `the file ends early or is damaged (${reason}); what came before was read`;
    }
  }
  if (header === undefined && problem === undefined) problem = 'the file is empty';
  const outcome: ReadOutcome = { exists: true };
  if (problem !== undefined) outcome.problem = problem;
  if (stoppedEarly !== undefined) outcome.stoppedEarly = stoppedEarly;
  return outcome;
}

export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb).toLocaleString('en-US')} MB`;
}
