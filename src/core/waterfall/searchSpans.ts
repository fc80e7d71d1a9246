/**
 * Search within one trace, as the waterfall's search box understands it. Words are ANDed, case-insensitive:
 * - `text`: a substring of the span's name, service, span id, or an attribute key or value (span or resource);
 * - `key=value`: an attribute (span or resource) whose key is `key` and whose value contains `value`; the
 *   keys `service`, `name`, `kind`, `status`, `span` and `id` also match the span's own fields;
 * - `>10ms`, `<2s`, `>=500us`: the span's duration;
 * - `"two words"`: a quoted phrase.
 */
import type { AttributeValue, Attributes, Span } from '../model/types';
import type { EncodedTrace } from './encodeTrace';

type Term =
  | { kind: 'text'; text: string }
  | { kind: 'field'; key: string; value: string }
  | { kind: 'duration'; op: '>' | '>=' | '<' | '<='; us: number };

const UNITS: Record<string, number> = { ns: 0.001, us: 1, µs: 1, ms: 1000, s: 1_000_000, m: 60_000_000, min: 60_000_000 };

/** The terms of a query; words that are not a duration or key=value are text. */
export function parseSearchQuery(query: string): Term[] {
  const terms: Term[] = [];
  const words = query.match(/"[^"]*"?|\S+/g) ?? [];
  for (const raw of words) {
    const word = raw.startsWith('"') ? raw.replace(/^"|"$/g, '') : raw;
    if (word === '') continue;
    const duration = raw.startsWith('"') ? null : /^(>=|<=|>|<)(\d+(?:\.\d+)?)(ns|us|µs|ms|s|min|m)?$/i.exec(word);
    if (duration) {
      const unit = UNITS[(duration[3] ?? 'ms').toLowerCase()] ?? 1000;
      terms.push({ kind: 'duration', op: duration[1] as '>' | '>=' | '<' | '<=', us: Number(duration[2]) * unit });
      continue;
    }
    const eq = raw.startsWith('"') ? -1 : word.indexOf('=');
    if (eq > 0) {
      terms.push({ kind: 'field', key: word.slice(0, eq).toLowerCase(), value: word.slice(eq + 1).toLowerCase() });
      continue;
    }
    terms.push({ kind: 'text', text: word.toLowerCase() });
  }
  return terms;
}

/** Rows (ascending) whose span matches every term; an empty query matches nothing. */
export function searchSpans(encoded: EncodedTrace, query: string): Int32Array {
  const terms = parseSearchQuery(query);
  if (terms.length === 0) return new Int32Array(0);
  const spans = encoded.trace.spans;
  const rows: number[] = [];
  // Resource objects are shared by the spans of one resource: their lowercase text is built once each.
  const resourceText = new Map<Attributes, string>();
  for (let row = 0; row < spans.length; row++) {
    const span = spans[encoded.spanOfRow[row]!]!;
    if (terms.every((term) => matches(span, term, resourceText))) rows.push(row);
  }
  return Int32Array.from(rows);
}

function matches(span: Span, term: Term, resourceText: Map<Attributes, string>): boolean {
  switch (term.kind) {
    case 'duration': {
      const d = span.durationUs;
      if (term.op === '>') return d > term.us;
      if (term.op === '>=') return d >= term.us;
      if (term.op === '<') return d < term.us;
      return d <= term.us;
    }
    case 'field':
      return fieldMatches(span, term.key, term.value);
    case 'text': {
      const t = term.text;
      if (includes(span.name, t) || includes(span.service, t) || includes(span.spanId, t)) return true;
      if (attributesContain(span.attributes, t)) return true;
      let res = resourceText.get(span.resource);
      if (res === undefined) {
        res = flatText(span.resource);
        resourceText.set(span.resource, res);
      }
      return res.includes(t);
    }
  }
}

function fieldMatches(span: Span, key: string, value: string): boolean {
  switch (key) {
    case 'service':
      return includes(span.service, value);
    case 'name':
      return includes(span.name, value);
    case 'kind':
      return span.kind === value;
    case 'status':
      return span.status.code === value;
    case 'span':
    case 'id':
      return includes(span.spanId, value);
  }
  return attributeMatches(span.attributes, key, value) || attributeMatches(span.resource, key, value);
}

function attributeMatches(attrs: Attributes, key: string, value: string): boolean {
  for (const k of Object.keys(attrs)) {
    if (k.toLowerCase() === key && primitiveText(attrs[k]!).includes(value)) return true;
  }
  return false;
}

function attributesContain(attrs: Attributes, text: string): boolean {
  for (const k of Object.keys(attrs)) {
    if (includes(k, text) || primitiveText(attrs[k]!).includes(text)) return true;
  }
  return false;
}

function flatText(attrs: Attributes): string {
  return Object.keys(attrs)
    .map((k) => `${k}\u0000${primitiveText(attrs[k]!)}`)
    .join('\u0000')
    .toLowerCase();
}

/** Lowercase text of a scalar or of the scalars in an array; maps and bytes are not searched. */
function primitiveText(value: AttributeValue): string {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? '' : String(v).toLowerCase())).join('\u0000');
  return '';
}

function includes(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle);
}
