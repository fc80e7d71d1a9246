/** Helpers for building Attributes from untrusted input. */
import type { AttributeValue, Attributes } from './types';

/** Assigns `key` even when it is `__proto__`, which a plain assignment would treat as the prototype. */
export function setAttribute(target: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** One shared, frozen empty object for spans, events and links that have no attributes. */
export const EMPTY_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/** One shared, frozen empty list for spans without events or links; span lists are read-only to their users. */
export const EMPTY_LIST: never[] = Object.freeze([]) as never[];

/** A string attribute's value, or undefined when the key is absent or not a string/number. */
export function stringAttribute(attrs: Attributes, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(attrs, key)) return undefined;
  const v = attrs[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A number attribute, accepting numeric strings (int64 beyond 2^53 written as text, Zipkin string tags). */
export function numberAttribute(attrs: Attributes, key: string): number | undefined {
  if (!Object.prototype.hasOwnProperty.call(attrs, key)) return undefined;
  const v = attrs[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
