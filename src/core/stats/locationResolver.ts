/**
 * Span → code location, fast enough for every span: the expensive mapping (path mapping, symbol lookup) runs once
 * per span signature — the `code.*` attributes, or service and span name for spans without a code file path — and
 * its answer is cached. Mapping every span would cost microseconds each; a cache hit costs a few map lookups.
 *
 * `code.stacktrace` is not part of the signature: spans with the same name, service and code attributes are
 * taken to start at the same place, and the first one's stack decides for all.
 */
import type { CodeMatch } from '../codeLocation/evidence';
import { locateFromEvidence } from '../codeLocation/evidence';
import type { PathMapper } from '../codeLocation/pathMapper';
import type { Attributes, Span } from '../model/types';
import { codeKeyId, type CodeKey, type ResolvedLocation } from './codeKey';
import { SignatureCache } from './signatureCache';

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
   * (file, function, namespace, line) → answer (null: none), for spans with a `code.*` file path; spans without
   * one go under (service, span name, function, line) instead (a name-based locator may place them). Keyed by
   * the values the span holds rather than one concatenated key: a lookup hashes strings the span already holds
   * and allocates nothing.
   */
  private readonly cache = new SignatureCache<ResolvedLocation | null>();
  private readonly byName = new SignatureCache<ResolvedLocation | null>();
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
    const line = a['code.line.number'] ?? a['code.lineno'];
    const hit =
      file !== undefined
        ? this.cache.get(file, fn, a['code.namespace'], line)
        : this.byName.get(span.service, span.name, fn, line);
    if (hit !== undefined) return hit ?? undefined;
    this.misses++;
    if (this.size >= this.maxSignatures) this.clear();
    const resolved = this.fromMatches(this.locate(span)) ?? null;
    if (file !== undefined) this.cache.set(file, fn, a['code.namespace'], line, resolved);
    else this.byName.set(span.service, span.name, fn, line, resolved);
    return resolved ?? undefined;
  }

  /** `resolve` as a free function, for LatencyStats.ingest. */
  readonly resolver = (span: Span): ResolvedLocation | undefined => this.resolve(span);

  /** Forgets every answer: call it when the workspace's files or the path mappings change. */
  clear(): void {
    this.cache.clear();
    this.byName.clear();
  }

  /** Signatures cached. */
  get size(): number {
    return this.cache.size + this.byName.size;
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
