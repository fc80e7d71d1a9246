/**
 * What the waterfall's detail pane shows about one span, as plain text values. Values are cut at
 * VALUE_CAP characters (the pane says so and offers the full value through "Copy value"), events and links
 * at a few hundred, so that a hostile span cannot make one message huge.
 */
import { formatDuration } from '../formatDuration';
import type { AttributeValue, Attributes, Span } from '../model/types';
import type { DetailLocation, DetailValue, SpanDetail } from '../../protocol/waterfallData';
import type { EncodedTrace } from './encodeTrace';

/** characters of one value sent to the webview */
export const VALUE_CAP = 65_536;
export const MAX_DETAIL_EVENTS = 500;
export const MAX_DETAIL_LINKS = 200;
/** attributes listed per section; a span with more says how many were left out */
export const MAX_DETAIL_ATTRIBUTES = 2_000;
/** nesting shown inside arrays and maps before "…" */
const MAX_NESTING = 16;

export function spanDetail(encoded: EncodedTrace, row: number, locations?: DetailLocation[]): SpanDetail {
  const s = encoded.spanOfRow[row]!;
  const span = encoded.trace.spans[s]!;
  const traceStart = encoded.header.startUs;
  const startUs = Number.isFinite(span.startUs) ? span.startUs : traceStart;
  const detail: SpanDetail = {
    row,
    name: cut(String(span.name)),
    service: cut(String(span.service)),
    spanId: cut(span.spanId),
    traceId: cut(span.traceId),
    kind: span.kind,
    startUs: startUs - traceStart,
    durationUs: span.durationUs > 0 ? span.durationUs : 0,
    selfUs: encoded.selfUs[row]!,
    status:
      span.status.message === undefined
        ? { code: span.status.code }
        : { code: span.status.code, message: cut(span.status.message) },
    attributes: describeAttributes(span.attributes),
    resource: describeAttributes(span.resource),
    events: span.events.slice(0, MAX_DETAIL_EVENTS).map((event) => ({
      offsetUs: (Number.isFinite(event.timeUs) ? event.timeUs : startUs) - startUs,
      name: cut(String(event.name)),
      attributes: describeAttributes(event.attributes),
    })),
    moreEvents: Math.max(0, span.events.length - MAX_DETAIL_EVENTS),
    links: span.links.slice(0, MAX_DETAIL_LINKS).map((link) => ({
      traceId: cut(link.traceId),
      spanId: cut(link.spanId),
      attributes: describeAttributes(link.attributes),
    })),
    moreLinks: Math.max(0, span.links.length - MAX_DETAIL_LINKS),
    warnings: spanWarnings(encoded, s, span),
  };
  if (span.parentSpanId !== undefined) detail.parentSpanId = cut(span.parentSpanId);
  if (span.scope !== undefined) {
    detail.scope = { name: cut(String(span.scope.name)) };
    if (span.scope.version !== undefined) detail.scope.version = cut(String(span.scope.version));
  }
  if (span.traceState !== undefined) detail.traceState = cut(span.traceState);
  if (locations !== undefined) detail.locations = locations;
  return detail;
}

/** The full text of one attribute value, uncut: for "Copy value". undefined when the key is not there. */
export function fullValue(span: Span, section: 'attributes' | 'resource', key: string): string | undefined {
  const attrs = section === 'attributes' ? span.attributes : span.resource;
  if (!Object.prototype.hasOwnProperty.call(attrs, key)) return undefined;
  return valueText(attrs[key]!, Infinity);
}

export function describeAttributes(attrs: Attributes): DetailValue[] {
  const out: DetailValue[] = [];
  for (const key of Object.keys(attrs)) {
    if (out.length >= MAX_DETAIL_ATTRIBUTES) {
      out.push({
        key: '…',
        value: `${Object.keys(attrs).length - MAX_DETAIL_ATTRIBUTES} more attributes not shown`,
        type: 'null',
        length: 0,
      });
      break;
    }
    const value = attrs[key]!;
    const text = valueText(value, VALUE_CAP + 1);
    out.push({
      key: cut(key),
      value: text.length > VALUE_CAP ? text.slice(0, VALUE_CAP) : text,
      type: typeOf(value),
      length: text.length > VALUE_CAP ? fullLength(value) : text.length,
    });
  }
  return out;
}

function typeOf(value: AttributeValue): DetailValue['type'] {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'array';
  return 'map';
}

/** The length of the full text, computed without building it for the common case of one long string. */
function fullLength(value: AttributeValue): number {
  return typeof value === 'string' ? value.length : valueText(value, Infinity).length;
}

/**
 * A value as text: strings verbatim, bytes as hex, arrays and maps JSON-like. Stops once `limit` characters
 * are produced, so that a 1 MB value costs no more than its cap.
 */
export function valueText(value: AttributeValue, limit: number): string {
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  const parts: string[] = [];
  let length = 0;
  const emit = (s: string): boolean => {
    parts.push(s);
    length += s.length;
    return length < limit;
  };
  // An explicit stack of pending output: nesting is bounded by MAX_NESTING, but the walk stays flat anyway.
  type Item = { value: AttributeValue; depth: number } | { text: string };
  const stack: Item[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      if (!emit(item.text)) break;
      continue;
    }
    const v = item.value;
    if (typeof v === 'string') {
      if (!emit(item.depth === 0 ? v : JSON.stringify(v))) break;
    } else if (v === null || typeof v === 'number' || typeof v === 'boolean') {
      if (!emit(String(v))) break;
    } else if (v instanceof Uint8Array) {
      if (!emit(hex(v, limit - length))) break;
    } else if (item.depth >= MAX_NESTING) {
      if (!emit('…')) break;
    } else if (Array.isArray(v)) {
      const pending: Item[] = [{ text: '[' }];
      v.forEach((x, i) => {
        if (i > 0) pending.push({ text: ', ' });
        pending.push({ value: x, depth: item.depth + 1 });
      });
      pending.push({ text: ']' });
      for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]!);
    } else {
      const pending: Item[] = [{ text: '{' }];
      Object.keys(v).forEach((k, i) => {
        pending.push({ text: `${i > 0 ? ', ' : ''}${JSON.stringify(k)}: ` });
        pending.push({ value: v[k]!, depth: item.depth + 1 });
      });
      pending.push({ text: '}' });
      for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]!);
    }
  }
  const text = parts.join('');
  return text.length > limit ? text.slice(0, limit) : text;
}

function hex(bytes: Uint8Array, limit: number): string {
  const take = Math.min(bytes.length, Math.ceil(Math.max(0, limit) / 2));
  let s = '';
  for (let i = 0; i < take; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

function cut(text: string): string {
  return text.length > VALUE_CAP ? text.slice(0, VALUE_CAP) : text;
}

/** Odd things about one span a trace expert would want to know before trusting its bar. */
function spanWarnings(encoded: EncodedTrace, s: number, span: Span): string[] {
  const { trace, tree } = encoded;
  const warnings: string[] = [];
  const p = tree.parent[s]!;
  if (p < 0 && span.parentSpanId !== undefined && !/^0*$/.test(span.parentSpanId)) {
    warnings.push(
      span.parentSpanId === span.spanId
        ? 'names itself as its parent; shown at the top level'
        : `its parent ${cut(span.parentSpanId)} is not in this trace (or is in a cycle); shown at the top level`,
    );
  }
  if (!Number.isFinite(span.startUs)) warnings.push('its start time was missing; drawn at the trace start');
  if (p >= 0) {
    const parent = trace.spans[p]!;
    if (span.startUs < parent.startUs)
      warnings.push(`starts ${formatDuration(parent.startUs - span.startUs)} before its parent (clock skew?)`);
    const overrun = span.startUs + span.durationUs - (parent.startUs + parent.durationUs);
    if (overrun > 0 && parent.kind !== 'producer' && span.kind !== 'consumer') {
      warnings.push(`ends ${formatDuration(overrun)} after its parent`);
    }
  }
  if (span.durationUs === 0) warnings.push('has zero duration');
  const end = span.startUs + span.durationUs;
  const outside = span.events.filter((e) => e.timeUs < span.startUs || e.timeUs > end).length;
  if (outside > 0) warnings.push(`${outside} event${outside === 1 ? '' : 's'} outside the span's own time`);
  return warnings;
}
