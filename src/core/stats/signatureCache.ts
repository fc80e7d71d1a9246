/**
 * A map keyed by four values (SameValueZero, as Map compares), laid out for lookups that touch little memory:
 * two Map levels, then a short chain of entries compared in place. Keys are the strings and numbers a span
 * already holds, so a lookup hashes them (V8 caches a string's hash on the string) and allocates nothing.
 *
 * The last two keys rarely vary under the first two (a function has one start line and one namespace), so a chain
 * is usually one entry. A chain that grows past CHAIN_LIMIT becomes two more Map levels, which keeps a lookup
 * bounded whatever the data.
 */

/** Entries compared one by one under the first two keys, at most. */
const CHAIN_LIMIT = 8;

class Entry<V> {
  constructor(
    readonly c: unknown,
    readonly d: unknown,
    readonly value: V,
    readonly next: Entry<V> | undefined,
  ) {}
}

/** Under the first two keys: a chain of entries, or, once long, third key → fourth key → value. */
type Tail<V> = Entry<V> | Map<unknown, Map<unknown, V>>;

export class SignatureCache<V> {
  private readonly root = new Map<unknown, Map<unknown, Tail<V>>>();
  private entries = 0;

  /** The value under (a, b, c, d), or undefined when none was set. */
  get(a: unknown, b: unknown, c: unknown, d: unknown): V | undefined {
    const tail = this.root.get(a)?.get(b);
    if (tail === undefined) return undefined;
    if (tail instanceof Map) return tail.get(c)?.get(d);
    for (let e: Entry<V> | undefined = tail; e !== undefined; e = e.next) {
      if (same(e.c, c) && same(e.d, d)) return e.value;
    }
    return undefined;
  }

  /** Sets the value under (a, b, c, d); a value already there is replaced. */
  set(a: unknown, b: unknown, c: unknown, d: unknown, value: V): void {
    let level = this.root.get(a);
    if (level === undefined) this.root.set(a, (level = new Map()));
    const tail = level.get(b);
    if (tail instanceof Map) {
      this.entries += setDeep(tail, c, d, value);
      return;
    }
    let length = 0;
    let found = false;
    for (let e = tail; e !== undefined; e = e.next, length++) if (same(e.c, c) && same(e.d, d)) found = true;
    if (found) {
      // entries are immutable: the chain is rebuilt without the old one
      let rest: Entry<V> | undefined;
      for (let e = tail; e !== undefined; e = e.next)
        if (!(same(e.c, c) && same(e.d, d))) rest = new Entry(e.c, e.d, e.value, rest);
      level.set(b, new Entry(c, d, value, rest));
      return;
    }
    this.entries++;
    if (length < CHAIN_LIMIT) {
      level.set(b, new Entry(c, d, value, tail));
      return;
    }
    const deep = new Map<unknown, Map<unknown, V>>();
    for (let e = tail; e !== undefined; e = e.next) setDeep(deep, e.c, e.d, e.value);
    setDeep(deep, c, d, value);
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

/** 1 when the key pair was new. */
function setDeep<V>(deep: Map<unknown, Map<unknown, V>>, c: unknown, d: unknown, value: V): number {
  let inner = deep.get(c);
  if (inner === undefined) deep.set(c, (inner = new Map()));
  const before = inner.size;
  inner.set(d, value);
  return inner.size - before;
}
