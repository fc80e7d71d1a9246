/**
 * One writer at a time for a snapshot file shared by several windows (processes): a lock file beside it, made
 * with O_EXCL, holding the owner's pid. A lock whose owner is no longer running on this machine, or that is older
 * than STALE_MS (an owner that hung), is taken over.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';

/** A lock this old is taken over even when its owner seems to run, in ms (a save takes seconds at most). */
const STALE_MS = 120_000;
const RETRY_MS = 50;

export class SnapshotLockTimeout extends Error {
  override readonly name = 'SnapshotLockTimeout';
}

/**
 * Runs `task` holding the lock of `file` (`<file>.lock`), waiting up to `waitMs` for another holder to finish.
 * Rejects with SnapshotLockTimeout when the lock stays taken.
 */
export async function withSnapshotLock<T>(file: string, waitMs: number, task: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname(), at: Date.now() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (await isStale(lock)) {
      await fs.rm(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SnapshotLockTimeout(`another Trace Lens window kept ${lock} locked for ${Math.round(waitMs / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  try {
    return await task();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

async function isStale(lock: string): Promise<boolean> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([fs.readFile(lock, 'utf8'), fs.stat(lock).then((s) => s.mtimeMs)]);
  } catch {
    return false; // just released, or being written: try again
  }
  if (Date.now() - mtimeMs > STALE_MS) return true;
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(text) as typeof owner;
  } catch {
    // being written this instant, or left half-written by a crash: only age tells
    return false;
  }
  if (typeof owner.pid !== 'number' || owner.host !== os.hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
