/**
 * Saves the TraceStore to a gzip-compressed JSON snapshot so that traces survive a window reload, and
 * loads it back. Saving is throttled (at most one write per `debounceMs` while spans keep arriving), the
 * file is replaced atomically, and it is capped at `maxBytes`: beyond, the oldest traces are left out.
 *
 * Snapshot, version 1: `{format, version, savedAtUs, resources, scopes, traces, exceptions}`. Resources
 * and scopes are written once and referred to by index, which keeps the model's invariant that the spans
 * of one resource share one object. Bytes and non-finite numbers, which JSON cannot hold, are written as
 * one-key objects tagged with a key that starts with NUL.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { EMPTY_LIST } from '../model/attributes';
import { EMPTY_ATTRIBUTES, setAttribute } from '../model/attributes';
import type { AttributeValue, Attributes, InstrumentationScope, Span, Trace } from '../model/types';
import type { ExceptionRecord, TraceStore } from './traceStore';

export const SNAPSHOT_FORMAT = 'trace-lens-store';
export const SNAPSHOT_VERSION = 1;
export const DEFAULT_SNAPSHOT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_SNAPSHOT_DEBOUNCE_MS = 10_000;

const BYTES_TAG = '\u0000bytes';
const NUMBER_TAG = '\u0000number';

/** Spans encoded between two turns of the event loop while saving (a few milliseconds of work). */
const SPANS_PER_SLICE = 2000;
/** zlib level: 3 compresses 100,000 spans about twice as fast as the default 6, for ~15% more bytes. */
const GZIP_LEVEL = 3;

const gzip = (data: string): Promise<Buffer> => promisify(zlib.gzip)(data, { level: GZIP_LEVEL });
const gunzip = promisify(zlib.gunzip);

export interface SnapshotOptions {
  /** the snapshot file; its folder is created when missing */
  path: string;
  /** the largest file written, in bytes (default 16 MiB); the oldest traces are left out to fit */
  maxBytes?: number;
  /** the shortest time between two writes while traces keep arriving, in ms (default 10,000: a write of 100,000 spans costs about a second of CPU) */
  debounceMs?: number;
}

export interface SaveResult {
  traces: number;
  /** traces left out to stay under maxBytes */
  omittedTraces: number;
  bytes: number;
}

export interface LoadResult {
  traces: number;
  spans: number;
  exceptions: number;
  /** why nothing was loaded from a file that exists (unreadable, corrupt, another version); undefined when all was well */
  problem?: string;
}

/** A span as written: resource and scope by index into the snapshot's tables. */
type SnapshotSpan = Omit<Span, 'resource' | 'scope'> & { resource: number; scope?: number };

interface SnapshotTrace {
  traceId: string;
  spans: SnapshotSpan[];
  warnings?: string[];
  partial?: string;
}

interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** epoch microseconds */
  savedAtUs: number;
  resources: Attributes[];
  scopes: InstrumentationScope[];
  /** oldest first */
  traces: SnapshotTrace[];
  exceptions: ExceptionRecord[];
}

/**
 * Writes `store` to `file` (atomically: a temporary file renamed over it), newest traces first in
 * priority: when the compressed snapshot would exceed `maxBytes`, the oldest traces are left out.
 */
export async function saveSnapshot(store: TraceStore, file: string, maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES): Promise<SaveResult> {
  const resources = new Interner<Attributes>();
  const scopes = new Interner<InstrumentationScope>();
  const encoded: string[] = [];
  // Taken at once, then encoded in slices between which the event loop runs (the extension host must
  // stay responsive): stored spans are never changed in place, so the copy stays consistent.
  const traces = [...store.traces()];
  let sliceSpans = 0;
  for (const trace of traces) {
    encoded.push(JSON.stringify(toSnapshotTrace(trace, resources, scopes)));
    sliceSpans += trace.spans.length;
    if (sliceSpans >= SPANS_PER_SLICE) {
      sliceSpans = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const exceptions = JSON.stringify(
    [...store.allExceptions()].map((r) => ({ ...r, attributes: encodeAttributes(r.attributes) })),
  );
  const scopeValues = scopes.values.map((s) => (s.attributes ? { ...s, attributes: encodeAttributes(s.attributes) } : s));
  const head = `{"format":"${SNAPSHOT_FORMAT}","version":${SNAPSHOT_VERSION},"savedAtUs":${Date.now() * 1000},"resources":${JSON.stringify(resources.values.map(encodeAttributes))},"scopes":${JSON.stringify(scopeValues)},"exceptions":${exceptions},"traces":[`;

  // Keep the newest traces whose compressed size fits; the ratio is measured, then the cut refined.
  let keep = encoded.length;
  let data = await gzip(head + encoded.join(',') + ']}');
  for (let attempt = 0; data.length > maxBytes && keep > 0 && attempt < 8; attempt++) {
    const ratio = data.length / rawLength(head, encoded, keep);
    let budget = Math.max(0, (maxBytes * 0.95) / ratio - head.length);
    let next = 0;
    for (let i = encoded.length - 1; i >= encoded.length - keep; i--) {
      budget -= encoded[i]!.length + 1;
      if (budget < 0) break;
      next++;
    }
    keep = Math.min(next, keep - 1);
    data = await gzip(head + encoded.slice(encoded.length - keep).join(',') + ']}');
  }
  if (data.length > maxBytes) {
    keep = 0;
    data = await gzip(head + ']}');
  }

  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, file);
  return { traces: keep, omittedTraces: encoded.length - keep, bytes: data.length };
}

function rawLength(head: string, encoded: readonly string[], keep: number): number {
  let n = head.length + 2;
  for (let i = encoded.length - keep; i < encoded.length; i++) n += encoded[i]!.length + 1;
  return n;
}

/**
 * Reads a snapshot into `store` (oldest trace first, so the store's eviction order is kept). A missing
 * file loads nothing; a corrupt or foreign one loads nothing and says why in `problem`, never throws.
 */
export async function loadSnapshot(store: TraceStore, file: string, maxBytes = DEFAULT_SNAPSHOT_MAX_BYTES): Promise<LoadResult> {
  const empty: LoadResult = { traces: 0, spans: 0, exceptions: 0 };
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    return { ...empty, problem: `cannot read ${file}: ${(e as Error).message}` };
  }
  let snapshot: Snapshot;
  try {
    // A snapshot compresses about tenfold; the cap keeps a hostile file from inflating without bound.
    const text = (await gunzip(data, { maxOutputLength: Math.max(maxBytes, data.length) * 64 })).toString('utf8');
    snapshot = checkSnapshot(JSON.parse(text));
    snapshot.resources = snapshot.resources.map(decodeAttributes);
    for (const scope of snapshot.scopes) if (scope.attributes) scope.attributes = decodeAttributes(scope.attributes);
    for (const record of snapshot.exceptions) record.attributes = decodeAttributes(record.attributes);
  } catch (e) {
    return { ...empty, problem: `ignored the saved traces in ${file}: ${(e as Error).message}` };
  }
  const traces = snapshot.traces.map((t) => fromSnapshotTrace(t, snapshot));
  store.add(traces);
  store.addExceptions(snapshot.exceptions);
  return { traces: traces.length, spans: traces.reduce((n, t) => n + t.spans.length, 0), exceptions: snapshot.exceptions.length };
}

/**
 * Keeps a store saved: after a change, writes within `debounceMs`, and then not again for `debounceMs`.
 * `dispose` writes what is pending and stops.
 */
export class StorePersistence {
  private readonly maxBytes: number;
  private readonly debounceMs: number;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private saving: Promise<void> | undefined;
  private loading = false;
  private readonly subscription: { dispose(): void };
  /** the last write's error, kept for the caller to show; cleared by a successful write */
  lastError: Error | undefined;

  constructor(
    private readonly store: TraceStore,
    private readonly options: SnapshotOptions,
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES;
    this.debounceMs = options.debounceMs ?? DEFAULT_SNAPSHOT_DEBOUNCE_MS;
    this.subscription = store.onDidChange(() => {
      if (!this.loading) this.markDirty();
    });
  }

  async load(): Promise<LoadResult> {
    this.loading = true;
    try {
      return await loadSnapshot(this.store, this.options.path, this.maxBytes);
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
    this.saving = saveSnapshot(this.store, this.options.path, this.maxBytes).then(
      () => {
        this.lastError = undefined;
      },
      (e: unknown) => {
        this.lastError = e instanceof Error ? e : new Error(String(e));
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

class Interner<T extends object> {
  readonly values: T[] = [];
  private readonly ids = new Map<T, number>();

  id(value: T): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

function toSnapshotTrace(trace: Trace, resources: Interner<Attributes>, scopes: Interner<InstrumentationScope>): SnapshotTrace {
  const spans = trace.spans.map((span): SnapshotSpan => {
    const { resource, scope, ...rest } = span;
    const out: SnapshotSpan = { ...rest, resource: resources.id(resource), attributes: encodeAttributes(span.attributes) };
    if (!Number.isFinite(out.startUs)) out.startUs = 0;
    if (!Number.isFinite(out.durationUs)) out.durationUs = 0;
    if (span.events.some((e) => hasUntagged(e.attributes))) {
      out.events = span.events.map((e) => ({ ...e, attributes: encodeAttributes(e.attributes) }));
    }
    if (span.links.some((l) => hasUntagged(l.attributes))) {
      out.links = span.links.map((l) => ({ ...l, attributes: encodeAttributes(l.attributes) }));
    }
    if (scope) out.scope = scopes.id(scope);
    return out;
  });
  const out: SnapshotTrace = { traceId: trace.traceId, spans };
  if (trace.warnings.length > 0) out.warnings = trace.warnings;
  if (trace.partial !== undefined) out.partial = trace.partial;
  return out;
}

function fromSnapshotTrace(t: SnapshotTrace, snapshot: Snapshot): Trace {
  const spans = t.spans.map((s): Span => {
    const { resource, scope, ...rest } = s;
    const span: Span = { ...rest, resource: snapshot.resources[resource] ?? EMPTY_ATTRIBUTES };
    // Share the empty values again, as the parsers do: a reloaded store costs what the original did.
    span.attributes = isEmptyObject(span.attributes) ? EMPTY_ATTRIBUTES : decodeAttributes(span.attributes);
    if (span.events.length === 0) span.events = EMPTY_LIST;
    else for (const e of span.events) e.attributes = decodeAttributes(e.attributes);
    if (span.links.length === 0) span.links = EMPTY_LIST;
    else for (const l of span.links) l.attributes = decodeAttributes(l.attributes);
    const sc = scope === undefined ? undefined : snapshot.scopes[scope];
    if (sc) span.scope = sc;
    return span;
  });
  const trace: Trace = { traceId: t.traceId, spans, services: [], startUs: 0, durationUs: 0, warnings: t.warnings ?? [] };
  if (t.partial !== undefined) trace.partial = t.partial;
  return trace;
}

function isEmptyObject(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

// Bytes and non-finite numbers are rare, so attributes are checked first and copied only when one is
// there: a replacer or reviver function would cost a call for every value of every span.

/** True when some value (at any depth) is bytes or a non-finite number, which JSON cannot hold. */
function hasUntagged(attrs: Attributes): boolean {
  for (const key in attrs) if (needsTag(attrs[key]!)) return true;
  return false;
}

function needsTag(v: AttributeValue): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v !== 'object' || v === null) return false;
  if (v instanceof Uint8Array) return true;
  if (Array.isArray(v)) return v.some(needsTag);
  return hasUntagged(v);
}

function encodeAttributes(attrs: Attributes): Attributes {
  return hasUntagged(attrs) ? mapAttributes(attrs, encodeValue) : attrs;
}

function encodeValue(v: AttributeValue): AttributeValue {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { [NUMBER_TAG]: String(v) };
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(encodeValue);
  return mapAttributes(v, encodeValue);
}

function decodeAttributes(attrs: Attributes): Attributes {
  for (const key in attrs) if (hasTag(attrs[key]!)) return mapAttributes(attrs, decodeValue);
  return attrs;
}

function hasTag(v: AttributeValue): boolean {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return false;
  if (Array.isArray(v)) return v.some(hasTag);
  if (tagOf(v) !== undefined) return true;
  for (const key in v) if (hasTag(v[key]!)) return true;
  return false;
}

function decodeValue(v: AttributeValue): AttributeValue {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const tag = tagOf(v);
  if (tag === BYTES_TAG) return new Uint8Array(Buffer.from(v[BYTES_TAG] as string, 'base64'));
  if (tag === NUMBER_TAG) return Number(v[NUMBER_TAG]);
  return mapAttributes(v, decodeValue);
}

/** The tag of a one-key object written by encodeValue, or undefined. */
function tagOf(v: Attributes): string | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return (key === BYTES_TAG || key === NUMBER_TAG) && typeof v[key] === 'string' ? key : undefined;
}

function mapAttributes(attrs: Attributes, f: (v: AttributeValue) => AttributeValue): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attrs)) setAttribute(out, key, f(attrs[key]!));
  return out;
}

/** Checks the outline of a parsed snapshot (our own file, but it may be truncated or from another version). */
function checkSnapshot(doc: unknown): Snapshot {
  const s = doc as Partial<Snapshot> | null;
  if (typeof s !== 'object' || s === null || s.format !== SNAPSHOT_FORMAT) throw new Error('not a Trace Lens snapshot');
  if (s.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${String(s.version)} is not ${SNAPSHOT_VERSION}`);
  if (!Array.isArray(s.resources) || !Array.isArray(s.scopes) || !Array.isArray(s.traces) || !Array.isArray(s.exceptions)) {
    throw new Error('the snapshot is incomplete');
  }
  for (const t of s.traces) {
    if (typeof t !== 'object' || t === null || typeof t.traceId !== 'string' || !Array.isArray(t.spans)) {
      throw new Error('a saved trace is malformed');
    }
    for (const span of t.spans) {
      if (typeof span !== 'object' || span === null || typeof span.spanId !== 'string' || typeof span.startUs !== 'number') {
        throw new Error(`a saved span of trace ${t.traceId} is malformed`);
      }
    }
  }
  return s as Snapshot;
}
