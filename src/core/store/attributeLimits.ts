/**
 * OpenTelemetry's `attribute_value_length_limit` for what the store keeps: a string longer than the limit is cut
 * to its first `limit` characters (UTF-16 code units, never splitting a surrogate pair), a byte array to its first
 * `limit` bytes, inside arrays and maps too. Unlike an SDK, the store says so: the span gets the attribute
 * TRUNCATED_KEY listing what was cut, and its trace a warning.
 */
import { setAttribute } from '../model/attributes';
import type { AttributeValue, Attributes, InstrumentationScope, Span } from '../model/types';

/** Span attribute naming the attribute values that were cut, e.g. `["db.statement", "event[0].exception.stacktrace"]`. */
export const TRUNCATED_KEY = 'trace_lens.truncated_attributes';

export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 65_536;

/** One value that was cut: where it was, and its length before (characters, or bytes for byte arrays). */
export interface Truncation {
  where: string;
  length: number;
}

/**
 * Resources and scopes are shared by the spans of a batch: each is cut once and its cut copy shared in turn, so
 * that a long value in a resource costs one walk per batch, not one per span.
 */
export class LimitCache {
  readonly attributes = new WeakMap<Attributes, SharedLimit>();
  readonly scopes = new WeakMap<InstrumentationScope, InstrumentationScope>();
}

/**
 * Cuts the values of `span` (its attributes, its events' and links' attributes, its resource's and scope's) that
 * are longer than `limit`, in place; returns what was cut, empty when nothing was.
 */
export function limitSpan(span: Span, limit: number, cache: LimitCache): Truncation[] {
  const cut: Truncation[] = [];
  const attributes = limitAttributes(span.attributes, limit, '', cut);
  if (attributes !== span.attributes) span.attributes = attributes;
  for (let i = 0; i < span.events.length; i++) {
    const event = span.events[i]!;
    const limited = limitAttributes(event.attributes, limit, `event[${i}].`, cut);
    if (limited !== event.attributes) span.events[i] = { ...event, attributes: limited };
  }
  for (let i = 0; i < span.links.length; i++) {
    const link = span.links[i]!;
    const limited = limitAttributes(link.attributes, limit, `link[${i}].`, cut);
    if (limited !== link.attributes) span.links[i] = { ...link, attributes: limited };
  }
  const resource = limitShared(span.resource, limit, 'resource.', cut, cache.attributes);
  if (resource !== span.resource) span.resource = resource;
  const scope = span.scope;
  if (scope?.attributes) {
    const attrs = limitShared(scope.attributes, limit, 'scope.', cut, cache.attributes);
    if (attrs !== scope.attributes) {
      let copy = cache.scopes.get(scope);
      if (!copy) cache.scopes.set(scope, (copy = { ...scope, attributes: attrs }));
      span.scope = copy;
    }
  }
  if (cut.length > 0) {
    const previous = span.attributes[TRUNCATED_KEY];
    const listed = Array.isArray(previous) ? previous.filter((v): v is string => typeof v === 'string') : [];
    const copy = { ...span.attributes };
    setAttribute(copy, TRUNCATED_KEY, [...listed, ...cut.map((c) => c.where)]);
    span.attributes = copy;
  }
  return cut;
}

/** The attributes with every over-long value cut: the same object when nothing is, else a copy. */
export function limitAttributes(attrs: Attributes, limit: number, prefix: string, cut: Truncation[]): Attributes {
  let out: Attributes | undefined;
  for (const key in attrs) {
    const value = attrs[key]!;
    const limited = limitValue(value, limit, `${prefix}${key}`, cut);
    if (limited === value) continue;
    if (!out) {
      out = {};
      for (const k of Object.keys(attrs)) setAttribute(out, k, attrs[k]!);
    }
    setAttribute(out, key, limited);
  }
  return out ?? attrs;
}

/** What cutting a shared resource's or scope's attributes gave: the cut copy (or the same object), and what was cut. */
export interface SharedLimit {
  attributes: Attributes;
  cut: readonly Truncation[];
}

function limitShared(
  attrs: Attributes,
  limit: number,
  prefix: string,
  cut: Truncation[],
  shared: WeakMap<Attributes, SharedLimit>,
): Attributes {
  let known = shared.get(attrs);
  if (!known) {
    const own: Truncation[] = [];
    known = { attributes: limitAttributes(attrs, limit, prefix, own), cut: own };
    shared.set(attrs, known);
    // the cut copy is final: a span that already holds it needs nothing more
    if (known.attributes !== attrs) shared.set(known.attributes, { attributes: known.attributes, cut: [] });
  }
  cut.push(...known.cut);
  return known.attributes;
}

function limitValue(value: AttributeValue, limit: number, where: string, cut: Truncation[]): AttributeValue {
  if (typeof value === 'string') {
    if (value.length <= limit) return value;
    cut.push({ where, length: value.length });
    return cutString(value, limit);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) {
    if (value.length <= limit) return value;
    cut.push({ where, length: value.length });
    return value.slice(0, limit);
  }
  if (Array.isArray(value)) {
    let out: AttributeValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const limited = limitValue(value[i]!, limit, `${where}[${i}]`, cut);
      if (limited !== value[i]) (out ??= value.slice())[i] = limited;
    }
    return out ?? value;
  }
  return limitAttributes(value, limit, `${where}.`, cut);
}

/**
 * The first `limit` UTF-16 code units of `s` (one fewer when that would split a surrogate pair), as a string of
 * its own: a plain `slice` would keep the whole original alive inside V8 as the cut string's parent.
 */
export function cutString(s: string, limit: number): string {
  let end = limit;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return Buffer.from(s.slice(0, end), 'utf8').toString('utf8');
}
