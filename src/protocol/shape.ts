/**
 * Runtime checks typed by what they check. A `Check<T>` is a type guard that TypeScript holds to exactly T
 * (not a wider or narrower type), and a `Shape<T>` needs one check per property of T, optional ones
 * included: so a message type that gains a field without a check, or with the wrong one, does not compile.
 */

/** A type guard for exactly T. */
export interface Check<T> {
  (value: unknown): value is T;
  /** never set: makes Check invariant in T, so that Check<string> is not taken for Check<string | undefined> */
  readonly __exactly?: (value: T) => T;
}

/** One check per property of T; `-?` makes optional properties need a check too (an `optional(...)` one). */
export type Shape<T> = { readonly [K in keyof T]-?: Check<T[K]> };

/** The fields of the member of union U whose `type` is T, without `type`. */
export type FieldsOf<U extends { type: string }, T extends U['type']> = Omit<Extract<U, { type: T }>, 'type'>;

/** A shape for each member of the union U, by its `type`. */
export type UnionShapes<U extends { type: string }> = { readonly [T in U['type']]: Shape<FieldsOf<U, T>> };

export const int: Check<number> = (v): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
export const num: Check<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
/** Any number, NaN and infinities included: for figures the host computes and the webview only shows. */
export const anyNumber: Check<number> = (v): v is number => typeof v === 'number';
export const bool: Check<boolean> = (v): v is boolean => typeof v === 'boolean';
export const str: Check<string> = (v): v is string => typeof v === 'string';

/** A string of at most `max` characters: what the host accepts from the webview is bounded. */
export function text(max: number): Check<string> {
  return (v): v is string => typeof v === 'string' && v.length <= max;
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v): v is T | undefined => v === undefined || check(v);
}

export function oneOf<const V extends string>(...values: V[]): Check<V> {
  return (v): v is V => typeof v === 'string' && (values as string[]).includes(v);
}

export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (v): v is T[] => Array.isArray(v) && v.every((item) => check(item));
}

/** An instance of a typed array class, e.g. `typed(Int32Array)`. */
/** An array of at most `max` items, each valid. */
export function arrayUpTo<T>(max: number, check: Check<T>): Check<T[]> {
  const items = arrayOf(check);
  return (v): v is T[] => Array.isArray(v) && v.length <= max && items(v);
}

export function typed<T extends ArrayBufferView>(kind: { readonly prototype: T }): Check<T> {
  const constructor = kind as unknown as abstract new () => T;
  return (v): v is T => v instanceof constructor;
}

/** A plain object with every field of the shape valid; fields the shape does not name are ignored. */
export function shape<T>(fields: Shape<T>): Check<T> {
  const entries = Object.entries(fields) as [string, Check<unknown>][];
  return (v): v is T => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    return entries.every(([key, check]) => check(record[key]));
  };
}

/**
 * A member of the union U: an object whose `type` is one of the shapes' own keys (not `__proto__` or
 * `constructor`), with every field of that member valid.
 */
export function union<U extends { type: string }>(shapes: UnionShapes<U>): Check<U> {
  const byType = new Map<string, Check<unknown>>(
    Object.entries(shapes).map(([type, fields]) => [type, shape(fields as Shape<unknown>)]),
  );
  return (v): v is U => {
    if (typeof v !== 'object' || v === null) return false;
    const type = (v as { type?: unknown }).type;
    if (typeof type !== 'string') return false;
    const check = byType.get(type);
    return check !== undefined && check(v);
  };
}
