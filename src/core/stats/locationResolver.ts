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
import type { NumberedLocations, Resolve } from './latencyStats';
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

export class LocationResolver implements NumberedLocations {
  /**
   * (file, function, namespace, line) → number of the answer (−1: none), for spans with a `code.*` file path;
   * spans without one go under (service, span name, function, line) instead (a name-based locator may place
   * them). Keyed by the values the span holds rather than one concatenated key: a lookup hashes strings the span
   * already holds and allocates nothing.
   */
  private readonly cache = new SignatureCache<number>();
  private readonly byName = new SignatureCache<number>();
  /** the answers by number, dense from 0; one per signature that has one */
  private locations: ResolvedLocation[] = [];
  private readonly minConfidence: number;
  private readonly maxSignatures: number;
  /** locate calls made, for tests and the log */
  misses = 0;
  /** bumped by `clear`: numbers then start over */
  era = 0;

  constructor(
    private readonly locate: Locate,
    options: LocationResolverOptions = {},
  ) {
    this.minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    this.maxSignatures = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  }

  /** The span's location, or undefined when nothing credible places it in the workspace. */
  resolve(span: Span): ResolvedLocation | undefined {
    const n = this.numberOf(span);
    return n < 0 ? undefined : this.locations[n];
  }

  /**
   * The number of the span's location (see `location`), −1 when nothing places it. Spans of one signature get one
   * number and one location object, until `clear`.
   */
  numberOf(span: Span): number {
    const a = span.attributes;
    const file = a['code.file.path'] ?? a['code.filepath'];
    const fn = a['code.function.name'] ?? a['code.function'];
    const line = a['code.line.number'] ?? a['code.lineno'];
    const hit =
      file !== undefined
        ? this.cache.get(file, fn, a['code.namespace'], line)
        : this.byName.get(span.service, span.name, fn, line);
    if (hit !== undefined) return hit;
    this.misses++;
    if (this.size >= this.maxSignatures) this.clear();
    const resolved = this.fromMatches(this.locate(span));
    const n = resolved === undefined ? -1 : this.locations.push(resolved) - 1;
    if (file !== undefined) this.cache.set(file, fn, a['code.namespace'], line, n);
    else this.byName.set(span.service, span.name, fn, line, n);
    return n;
  }

  /** The location numbered `n` by `numberOf` since the last `clear`. */
  location(n: number): ResolvedLocation {
    const location = this.locations[n];
    if (location === undefined) throw new RangeError(`no location numbered ${n}`);
    return location;
  }

  /** `resolve` as a free function for LatencyStats.ingest, which uses the numbers when it can. */
  readonly resolver: Resolve = Object.assign((span: Span) => this.resolve(span), { numbered: this });

  /** Forgets every answer: call it when the workspace's files or the path mappings change. */
  clear(): void {
    this.cache.clear();
    this.byName.clear();
    this.locations = [];
    this.era++;
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
