/**
 * Keeps the TraceStore in a snapshot file so that traces survive a window reload: loaded once, then saved
 * (throttled: at most one write per `debounceMs` while spans keep arriving) as traces arrive and when it is
 * disposed. The file is gzip-compressed JSON Lines, newest trace first (snapshotFormat.ts), written streaming
 * under a size cap that leaves out the oldest traces (snapshotWriter.ts), shared safely by several windows of
 * the same workspace, and read back streaming, keeping whatever is readable (snapshotReader.ts).
 *
 * Nothing here fails silently: a save that fails (disk full, no permission) is reported through `onError` and
 * kept in `lastError`; what loading dropped or could not read comes back in the LoadResult.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { Trace } from '../model/types';
import { readTraceLine, type Dropped, type TraceLine } from './snapshotFormat';
import { readSnapshotLines } from './snapshotReader';
import { writeSnapshot, type SaveResult } from './snapshotWriter';
import type { ExceptionRecord, TraceStore } from './traceStore';

export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshotFormat';
export type { SaveResult } from './snapshotWriter';

export const DEFAULT_SNAPSHOT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_SNAPSHOT_DEBOUNCE_MS = 10_000;

/** Traces added to the store between two turns of the event loop while loading. */
const LOAD_SLICE_SPANS = 2000;

/** This process's name in the snapshot lines it writes: another window is another process. */
const PROCESS_WRITER = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export interface SnapshotOptions {
  /** the snapshot file; its folder is created when missing */
  path: string;
  /** the largest file written, in bytes (default 16 MiB); the oldest traces are left out to fit */
  maxBytes?: number;
  /** the shortest time between two writes while traces keep arriving, in ms (default 10,000: a write of 100,000 spans costs about a second of CPU) */
  debounceMs?: number;
  /** this window's name in the file; one per process unless given (tests) */
  writer?: string;
  /** called after every save */
  onSaved?: (result: SaveResult) => void;
  /** called when a save fails; the next change tries again */
  onError?: (error: Error) => void;
}

export interface LoadResult {
  traces: number;
  spans: number;
  exceptions: number;
  /** what was unreadable and left out (lines, spans, exception records); absent when nothing was */
  dropped?: Dropped;
  /** why nothing was loaded from a file that exists (unreadable, too large, another version); absent when all was well */
  problem?: string;
  /** why reading stopped before the end: the older traces after that point were not loaded */
  stoppedEarly?: string;
}

/**
 * Writes `store` to `file` (atomically: a temporary file renamed over it), newest traces first in priority:
 * when the compressed snapshot would exceed `maxBytes`, the oldest traces are left out. Rejects when the file
 * cannot be written.
 */
export function saveSnapshot(store: TraceStore, file: string, maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES): Promise<SaveResult> {
  return writeSnapshot(store, file, { maxBytes, writer: PROCESS_WRITER, loaded: new Set() });
}

/**
 * Reads a snapshot into `store`, oldest trace first (so the store's eviction order is kept), reading at most
 * what the store can hold. A missing file loads nothing; a corrupt, foreign or damaged one loads what can be
 * read and says what was not. Never throws.
 */
export async function loadSnapshot(store: TraceStore, file: string, maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES): Promise<LoadResult> {
  return (await readSnapshot(store, file, maxBytes)).result;
}

async function readSnapshot(
  store: TraceStore,
  file: string,
  maxBytes: number,
): Promise<{ result: LoadResult; traceIds: Set<string> }> {
  const lines: TraceLine[] = [];
  const dropped: Dropped = { lines: 0, spans: 0, exceptions: 0 };
  let spans = 0;
  let fullNote: string | undefined;
  let outcome;
  try {
    outcome = await readSnapshotLines(
      file,
      { maxFileBytes: Math.max(store.maxBytes, maxBytes), maxInflatedBytes: store.maxBytes },
      (text) => {
        const line = readTraceLine(text, dropped);
        if (!line) return;
        lines.push(line);
        spans += line.spans.length;
        if (spans <= store.maxSpans) return;
        fullNote = `the older traces past the store's ${store.maxSpans.toLocaleString('en-US')} spans were not read`;
        return false;
      },
    );
  } catch (e) {
    outcome = { exists: true, problem: `the saved traces could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  const result: LoadResult = { traces: 0, spans: 0, exceptions: 0 };
  const traceIds = new Set<string>();
  if (outcome.problem) result.problem = `ignored the saved traces in ${file}: ${outcome.problem}`;
  const stoppedEarly = outcome.stoppedEarly ?? fullNote;
  if (stoppedEarly) result.stoppedEarly = stoppedEarly;
  if (dropped.lines + dropped.spans + dropped.exceptions > 0) result.dropped = dropped;

  // Oldest first, the pieces of one trace together.
  const traces: Trace[] = [];
  const writtenAtMs: number[] = [];
  const exceptions: ExceptionRecord[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    traceIds.add(line.traceId);
    exceptions.push(...line.exceptions);
    if (line.spans.length === 0) continue;
    const trace: Trace = {
      traceId: line.traceId,
      spans: line.spans,
      services: [],
      startUs: 0,
      durationUs: 0,
      warnings: line.warnings,
    };
    if (line.partial !== undefined) trace.partial = line.partial;
    traces.push(trace);
    writtenAtMs.push(line.writtenAtMs);
  }
  for (let from = 0; from < traces.length;) {
    let to = from;
    for (let n = 0; to < traces.length && n < LOAD_SLICE_SPANS; to++) n += traces[to]!.spans.length;
    store.add(traces.slice(from, to), { writtenAtMs: writtenAtMs.slice(from, to) });
    from = to;
    if (from < traces.length) await new Promise((resolve) => setImmediate(resolve));
  }
  store.addExceptions(exceptions);
  result.traces = new Set(traces.map((t) => t.traceId)).size;
  result.spans = traces.reduce((n, t) => n + t.spans.length, 0);
  result.exceptions = exceptions.length;
  return { result, traceIds };
}

/**
 * Keeps a store saved: after a change, writes within `debounceMs`, and then not again for `debounceMs`.
 * `dispose` writes what is pending and stops.
 */
export class StorePersistence {
  private readonly maxBytes: number;
  private readonly debounceMs: number;
  private readonly writer: string;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private saving: Promise<void> | undefined;
  private loading = false;
  /** trace ids loaded from the file: other windows' lines for them are this window's to keep or drop */
  private loaded = new Set<string>();
  private readonly subscription: { dispose(): void };
  /** the last write's error; cleared by a successful write */
  lastError: Error | undefined;

  constructor(
    private readonly store: TraceStore,
    private readonly options: SnapshotOptions,
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES;
    this.debounceMs = options.debounceMs ?? DEFAULT_SNAPSHOT_DEBOUNCE_MS;
    this.writer = options.writer ?? PROCESS_WRITER;
    this.subscription = store.onDidChange(() => {
      if (!this.loading) this.markDirty();
    });
  }

  async load(): Promise<LoadResult> {
    this.loading = true;
    try {
      const { result, traceIds } = await readSnapshot(this.store, this.options.path, this.maxBytes);
      for (const id of traceIds) this.loaded.add(id);
      return result;
    } finally {
      this.loading = false;
    }
  }

  /** Writes now if anything changed since the last write. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.saving) await this.saving;
    if (!this.dirty) return;
    this.dirty = false;
    this.saving = writeSnapshot(this.store, this.options.path, {
      maxBytes: this.maxBytes,
      writer: this.writer,
      loaded: this.loaded,
    }).then(
      (result) => {
        this.lastError = undefined;
        this.options.onSaved?.(result);
      },
      (e: unknown) => {
        this.lastError = e instanceof Error ? e : new Error(String(e));
        // what was not saved is still to save: the next change (or dispose) tries again
        this.dirty = true;
        this.options.onError?.(this.lastError);
      },
    );
    try {
      await this.saving;
    } finally {
      this.saving = undefined;
    }
  }

  async dispose(): Promise<void> {
    this.subscription.dispose();
    await this.flush();
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }
}
