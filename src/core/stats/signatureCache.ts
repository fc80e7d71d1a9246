/**
 * A map keyed by five values (SameValueZero, as Map compares), laid out for lookups that touch little memory:
 * two Map levels, then a short chain of entries compared in place. Keys are the strings and numbers a span
 * already holds, so a lookup hashes them (V8 caches a string's hash on the string) and allocates nothing.
 *
 * The last three keys rarely vary under the first two (a span name has one function, start line and namespace in
 * a file), so a chain is usually one entry. A chain that grows past CHAIN_LIMIT becomes three more Map levels,
 * which keeps a lookup bounded whatever the data.
 */

/** Entries compared one by one under the first two keys, at most. */
const CHAIN_LIMIT = 8;

class Entry<V> {
  constructor(
    readonly c: unknown,
    readonly d: unknown,
    readonly e: unknown,
    readonly value: V,
    readonly next: Entry<V> | undefined,
  ) {}
}

/** Third key → fourth key → fifth key → value. */
type Deep<V> = Map<unknown, Map<unknown, Map<unknown, V>>>;
/** Under the first two keys: a chain of entries, or, once long, the deep maps. */
type Tail<V> = Entry<V> | Deep<V>;

export class SignatureCache<V> {
  private readonly root = new Map<unknown, Map<unknown, Tail<V>>>();
  private entries = 0;

  /** The value under (a, b, c, d, e), or undefined when none was set. */
  get(a: unknown, b: unknown, c: unknown, d: unknown, e: unknown): V | undefined {
    const tail = this.root.get(a)?.get(b);
    if (tail === undefined) return undefined;
    if (tail instanceof Map) return tail.get(c)?.get(d)?.get(e);
    for (let x: Entry<V> | undefined = tail; x !== undefined; x = x.next) {
      if (same(x.c, c) && same(x.d, d) && same(x.e, e)) return x.value;
    }
    return undefined;
  }

  /** Sets the value under (a, b, c, d, e); a value already there is replaced. */
  set(a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, value: V): void {
    let level = this.root.get(a);
    if (level === undefined) this.root.set(a, (level = new Map()));
    const tail = level.get(b);
    if (tail instanceof Map) {
      this.entries += setDeep(tail, c, d, e, value);
      return;
    }
    const matches = (x: Entry<V>): boolean => same(x.c, c) && same(x.d, d) && same(x.e, e);
    let length = 0;
    let found = false;
    for (let x = tail; x !== undefined; x = x.next, length++) if (matches(x)) found = true;
    if (found) {
      // entries are immutable: the chain is rebuilt without the old one
      let rest: Entry<V> | undefined;
      for (let x = tail; x !== undefined; x = x.next) if (!matches(x)) rest = new Entry(x.c, x.d, x.e, x.value, rest);
      level.set(b, new Entry(c, d, e, value, rest));
      return;
    }
    this.entries++;
    if (length < CHAIN_LIMIT) {
      level.set(b, new Entry(c, d, e, value, tail));
      return;
    }
    const deep: Deep<V> = new Map();
    for (let x = tail; x !== undefined; x = x.next) setDeep(deep, x.c, x.d, x.e, x.value);
    setDeep(deep, c, d, e, value);
    level.set(b, deep);
  }

  /** Values held. */
  get size(): number {
    return this.entries;
  }

  clear(): void {
    this.root.clear();
    this.entries = 0;
  }
}

/** Map's SameValueZero: like ===, but NaN equals NaN. */
function same(x: unknown, y: unknown): boolean {
  return x === y || (x !== x && y !== y);
}

/** 1 when the key triple was new. */
function setDeep<V>(deep: Deep<V>, c: unknown, d: unknown, e: unknown, value: V): number {
  let middle = deep.get(c);
  if (middle === undefined) deep.set(c, (middle = new Map()));
  let inner = middle.get(d);
  if (inner === undefined) middle.set(d, (inner = new Map()));
  const before = inner.size;
  inner.set(e, value);
  return inner.size - before;
}
