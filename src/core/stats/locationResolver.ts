/**
 * Span → code location, fast enough for every span: the expensive mapping (path mapping, symbol lookup) runs once
 * per span signature — the `code.*` attributes, or service and span name for spans without a code file path — and
 * its answer is cached. Mapping every span would cost microseconds each; a cache hit costs a few map lookups.
 *
 * The span name is part of the signature and of the location's key: spans of other names started at the same
 * place are counted apart (up to MAX_SPAN_NAMES_PER_PLACE names a place; the rest share one bucket).
 *
 * `code.stacktrace` is not part of the signature: spans with the same name, service and code attributes are
 * taken to start at the same place, and the first one's stack decides for all.
 */
import type { CodeMatch } from '../codeLocation/evidence';
import { locateFromEvidence } from '../codeLocation/evidence';
import type { PathMapper } from '../codeLocation/pathMapper';
import type { Attributes, Span } from '../model/types';
import { codeKeyId, MAX_SPAN_NAMES_PER_PLACE, placeId, type CodeKey, type ResolvedLocation } from './codeKey';
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
   * (file, span name, function, line, namespace) → number of the answer (−1: none), for spans with a `code.*` file
   * path; spans without one go under (service, span name, function, line, namespace) instead (a name-based locator
   * may place them). Keyed by the values the span holds rather than one concatenated key: a lookup hashes strings
   * the span already holds and allocates nothing.
   */
  private readonly cache = new SignatureCache<number>();
  private readonly byName = new SignatureCache<number>();
  /** place (`placeId`) → the span names counted apart there */
  private readonly namesAt = new Map<string, Set<string>>();
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
    const namespace = a['code.namespace'];
    const name = span.name;
    const hit =
      file !== undefined
        ? this.cache.get(file, name, fn, line, namespace)
        : this.byName.get(span.service, name, fn, line, namespace);
    if (hit !== undefined) return hit;
    this.misses++;
    if (this.size >= this.maxSignatures) this.clear();
    const resolved = this.fromMatches(this.locate(span), name);
    const n = resolved === undefined ? -1 : this.locations.push(resolved) - 1;
    if (file !== undefined) this.cache.set(file, name, fn, line, namespace, n);
    else this.byName.set(span.service, name, fn, line, namespace, n);
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
    this.namesAt.clear();
    this.locations = [];
    this.era++;
  }

  /** Signatures cached. */
  get size(): number {
    return this.cache.size + this.byName.size;
  }

  /** The best match as a location of spans named `name`; none below the confidence floor or without line and function. */
  private fromMatches(matches: readonly CodeMatch[], name: string): ResolvedLocation | undefined {
    const m = matches[0];
    if (!m || m.confidence < this.minConfidence) return undefined;
    if (m.function === undefined && m.line === undefined) return undefined;
    const place: { -readonly [K in keyof CodeKey]: CodeKey[K] } = { file: m.file };
    if (m.line !== undefined) place.line = m.line;
    if (m.function !== undefined) place.function = m.function;
    if (this.countsApart(placeId(place), name)) place.span = name;
    const key: CodeKey = place;
    const location: { -readonly [K in keyof ResolvedLocation]: ResolvedLocation[K] } = {
      key,
      id: codeKeyId(key),
      reason: m.reason,
      confidence: m.confidence,
    };
    if (m.line !== undefined) location.line = m.line;
    return location;
  }

  /** Whether spans named `name` get a bucket of their own at the place: the first MAX_SPAN_NAMES_PER_PLACE names do. */
  private countsApart(place: string, name: string): boolean {
    let names = this.namesAt.get(place);
    if (!names) this.namesAt.set(place, (names = new Set()));
    if (names.has(name)) return true;
    if (names.size >= MAX_SPAN_NAMES_PER_PLACE) return false;
    names.add(name);
    return true;
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
