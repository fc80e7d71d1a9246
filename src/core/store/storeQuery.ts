/**
 * The span-level filters of a TraceQuery that no index answers: tags and free text. Both scan the spans of
 * a candidate trace, after the indexes have narrowed the candidates down.
 */
import type { AttributeValue, Attributes, Span } from '../model/types';

/** True when one span of `spans` carries every tag (span or resource attribute; `error=true` matches an error status). */
export function matchesTags(spans: readonly Span[], tags: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(tags);
  if (entries.length === 0) return true;
  return spans.some((span) => entries.every(([key, value]) => spanHasTag(span, key, value)));
}

function spanHasTag(span: Span, key: string, value: string): boolean {
  if (key === 'error' && span.status.code === 'error' && value === 'true') return true;
  return valueEquals(own(span.attributes, key), value) || valueEquals(own(span.resource, key), value);
}

function own(attrs: Attributes, key: string): AttributeValue | undefined {
  return Object.prototype.hasOwnProperty.call(attrs, key) ? attrs[key] : undefined;
}

function valueEquals(v: AttributeValue | undefined, expected: string): boolean {
  if (typeof v === 'string') return v === expected;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v) === expected;
  return false;
}

/**
 * True when `needle` (already lower-cased) occurs in the trace id, a span name, a service, an attribute
 * key, or a string attribute value of some span.
 */
export function matchesText(traceId: string, spans: readonly Span[], needle: string): boolean {
  if (needle === '' || traceId.includes(needle)) return true;
  for (const span of spans) {
    if (span.name.toLowerCase().includes(needle) || span.service.toLowerCase().includes(needle)) return true;
    if (span.spanId === needle) return true;
    if (attributesContain(span.attributes, needle)) return true;
  }
  return false;
}

function attributesContain(attrs: Attributes, needle: string): boolean {
  for (const key in attrs) {
    if (key.toLowerCase().includes(needle)) return true;
    const v = attrs[key];
    if (typeof v === 'string' && v.toLowerCase().includes(needle)) return true;
    if (typeof v === 'number' && String(v) === needle) return true;
  }
  return false;
}

/**
 * Keeps the `limit` items with the largest key, largest first, in O(n log limit) and O(limit) memory:
 * search results are few while the store holds many traces.
 */
export class TopK<T> {
  private readonly items: { key: number; item: T }[] = [];

  constructor(private readonly limit: number) {}

  offer(key: number, item: T): void {
    const items = this.items;
    if (this.limit <= 0) return;
    if (items.length === this.limit && key <= items[items.length - 1]!.key) return;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid]!.key >= key) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, { key, item });
    if (items.length > this.limit) items.pop();
  }

  result(): T[] {
    return this.items.map((e) => e.item);
  }
}
