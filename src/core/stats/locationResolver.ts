/**
 * Span → code location, fast enough for every span: the expensive mapping (path mapping, symbol lookup) runs once
 * per span signature — the `code.*` attributes, or service and span name for spans without a code file path — and
 * its answer is cached. Mapping every span
 * would cost microseconds each; a cache hit costs one string key.
 *
 * `code.stacktrace` is not part of the signature: spans with the same name, service and code attributes are
 * taken to start at the same place, and the first one's stack decides for all.
 */
import type { CodeMatch } from '../codeLocation/evidence';
import { locateFromEvidence } from '../codeLocation/evidence';
import type { PathMapper } from '../codeLocation/pathMapper';
import type { Attributes, Span } from '../model/types';
import { codeKeyId, type CodeKey, type ResolvedLocation } from './codeKey';

/** Best match first, as `locateSpan` and `locateFromEvidence` answer. */
export type Locate = (span: Span) => readonly CodeMatch[];

export interface LocationResolverOptions {
  /** matches below this confidence (0..1) are not used (default 0.5) */
  minConfidence?: number;
  /** signatures cached before the cache starts over (default 100,000) */
  maxSignatures?: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;
const DEFAULT_MAX_SIGNATURES = 100_000;

export class LocationResolver {
  /**
   * file → function → namespace → line → answer (null: none), for spans with a `code.*` file path; spans without
   * one go under service → span name → undefined → line instead (a name-based locator may place them). Nested
   * maps rather than one concatenated key: a lookup hashes strings the span already holds and allocates nothing,
   * and the common case is three small maps deep.
   */
  private readonly cache = new Map<unknown, unknown>();
  private readonly byName = new Map<unknown, unknown>();
  private signatures = 0;
  private readonly minConfidence: number;
  private readonly maxSignatures: number;
  /** locate calls made, for tests and the log */
  misses = 0;

  constructor(
    private readonly locate: Locate,
    options: LocationResolverOptions = {},
  ) {
    this.minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    this.maxSignatures = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  }

  /** The span's location, or undefined when nothing credible places it in the workspace. */
  resolve(span: Span): ResolvedLocation | undefined {
    const a = span.attributes;
    const file = a['code.file.path'] ?? a['code.filepath'];
    const fn = a['code.function.name'] ?? a['code.function'];
    const level =
      file !== undefined
        ? step(step(step(this.cache, file), fn), a['code.namespace'])
        : step(step(step(this.byName, span.service), span.name), fn);
    const line = a['code.line.number'] ?? a['code.lineno'];
    const hit = level.get(line) as ResolvedLocation | null | undefined;
    if (hit !== undefined) return hit ?? undefined;
    this.misses++;
    if (this.signatures >= this.maxSignatures) this.clear();
    const resolved = this.fromMatches(this.locate(span));
    // `clear` may have dropped `level`: look it up again so that the answer is kept
    (file !== undefined
      ? step(step(step(this.cache, file), fn), a['code.namespace'])
      : step(step(step(this.byName, span.service), span.name), fn)
    ).set(line, resolved ?? null);
    this.signatures++;
    return resolved;
  }

  /** `resolve` as a free function, for LatencyStats.ingest. */
  readonly resolver = (span: Span): ResolvedLocation | undefined => this.resolve(span);

  /** Forgets every answer: call it when the workspace's files or the path mappings change. */
  clear(): void {
    this.cache.clear();
    this.byName.clear();
    this.signatures = 0;
  }

  /** Signatures cached. */
  get size(): number {
    return this.signatures;
  }

  private fromMatches(matches: readonly CodeMatch[]): ResolvedLocation | undefined {
    const m = matches[0];
    if (!m || m.confidence < this.minConfidence) return undefined;
    let key: CodeKey;
    if (m.function !== undefined) key = { file: m.file, function: m.function };
    else if (m.line !== undefined) key = { file: m.file, line: m.line };
    else return undefined;
    const location: { -readonly [K in keyof ResolvedLocation]: ResolvedLocation[K] } = {
      key,
      id: codeKeyId(key),
      reason: m.reason,
      confidence: m.confidence,
    };
    if (m.line !== undefined) location.line = m.line;
    return location;
  }
}

/** The map under `key`, made when absent. */
function step(level: Map<unknown, unknown>, key: unknown): Map<unknown, unknown> {
  let next = level.get(key) as Map<unknown, unknown> | undefined;
  if (next === undefined) level.set(key, (next = new Map()));
  return next;
}

/**
 * The span as statistics should see it: without exception events and the stack attributes of its error. An
 * exception stack says where an error was raised, not where the span was started; placing spans by it would put
 * the failing calls of a function somewhere else than its successful ones. Use it to wrap any locator:
 * `(span) => locateSpan(withoutErrorStacks(span), index)`.
 */
export function withoutErrorStacks(span: Span): Span {
  let attributes = span.attributes;
  if (ERROR_STACK_KEYS.some((k) => Object.prototype.hasOwnProperty.call(attributes, k))) {
    attributes = Object.create(null) as Attributes;
    for (const key of Object.keys(span.attributes)) if (!ERROR_STACK_KEYS.includes(key)) attributes[key] = span.attributes[key]!;
  }
  return { ...span, events: [], attributes };
}

const ERROR_STACK_KEYS = ['exception.stacktrace', 'error.stack', 'stack'];

/** Locates spans by their own evidence (`code.*` attributes, `code.stacktrace`, vendor tags), error stacks aside. */
export function locateByCodeAttributes(mapper: PathMapper): Locate {
  return (span) => locateFromEvidence(withoutErrorStacks(span), mapper);
}
