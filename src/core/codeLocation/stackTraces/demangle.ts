/**
 * The qualified name in an Itanium C++ ABI symbol (GCC, Clang): `_ZN4shop4Cart3addEi` → `shop::Cart::add`.
 * Names only — no parameter types, template arguments or return types — which is what finding the definition
 * needs. Symbols it cannot read with certainty give undefined rather than a wrong name.
 */

const MAX_SYMBOL = 2048;

const OPERATORS: Readonly<Record<string, string>> = {
  nw: 'new',
  na: 'new[]',
  dl: 'delete',
  da: 'delete[]',
  ps: '+',
  ng: '-',
  ad: '&',
  de: '*',
  co: '~',
  pl: '+',
  mi: '-',
  ml: '*',
  dv: '/',
  rm: '%',
  an: '&',
  or: '|',
  eo: '^',
  aS: '=',
  pL: '+=',
  mI: '-=',
  mL: '*=',
  dV: '/=',
  rM: '%=',
  aN: '&=',
  oR: '|=',
  eO: '^=',
  ls: '<<',
  rs: '>>',
  lS: '<<=',
  rS: '>>=',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  ss: '<=>',
  nt: '!',
  aa: '&&',
  oo: '||',
  pp: '++',
  mm: '--',
  cm: ',',
  pm: '->*',
  pt: '->',
  cl: '()',
  ix: '[]',
};

class Reader {
  i: number;
  /** the last plain name read: what a constructor or destructor is named after */
  last = '';
  constructor(
    readonly s: string,
    start: number,
  ) {
    this.i = start;
  }

  peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }

  fail(): never {
    throw new Error('unreadable symbol');
  }

  number(): number {
    const m = /^\d+/.exec(this.s.slice(this.i, this.i + 6));
    if (!m) this.fail();
    this.i += m[0].length;
    return Number(m[0]);
  }

  sourceName(): string {
    const n = this.number();
    if (n <= 0 || this.i + n > this.s.length) this.fail();
    const id = this.s.slice(this.i, this.i + n);
    this.i += n;
    return id.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : id;
  }

  /** `<name>`: the components of a nested, unscoped or local name */
  name(): string[] {
    const c = this.peek();
    if (c === 'N') return this.nested();
    if (c === 'Z') return this.local();
    const out: string[] = [];
    if (c === 'S' && this.peek(1) === 't') {
      this.i += 2;
      out.push('std');
    }
    out.push(this.unqualified());
    this.abiTags();
    if (this.peek() === 'I') this.skipArgs();
    return out;
  }

  nested(): string[] {
    this.i++; // N
    while ('rVK'.includes(this.peek()) && this.peek() !== '') this.i++;
    if (this.peek() === 'R' || this.peek() === 'O') this.i++;
    const out: string[] = [];
    for (;;) {
      const c = this.peek();
      if (c === 'E') {
        this.i++;
        break;
      }
      if (c === '') this.fail();
      if (c === 'I') this.skipArgs();
      else if (c === 'S') {
        const std = this.standardPrefix();
        if (std === undefined) this.fail();
        out.push(...std);
      } else if (c === 'T' || (c === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T'))) this.fail();
      else {
        out.push(this.unqualified());
        this.abiTags();
      }
    }
    if (out.length === 0) this.fail();
    return out;
  }

  /** `Z <encoding> E <entity>`: a lambda or local class; its code is in the enclosing function */
  local(): string[] {
    this.i++; // Z
    return this.name();
  }

  /** St, Sa, Ss, …: the standard library's fixed abbreviations; an indexed substitution is not followed */
  standardPrefix(): string[] | undefined {
    const k = this.peek(1);
    const fixed: Record<string, string[]> = {
      t: ['std'],
      a: ['std', 'allocator'],
      b: ['std', 'basic_string'],
      s: ['std', 'string'],
      i: ['std', 'istream'],
      o: ['std', 'ostream'],
      d: ['std', 'iostream'],
    };
    const out = fixed[k];
    if (out) this.i += 2;
    return out;
  }

  unqualified(): string {
    const c = this.peek();
    if (c >= '0' && c <= '9') return (this.last = this.sourceName());
    if (c === 'C' && /[1-5I]/.test(this.peek(1))) {
      if (this.peek(1) === 'I') this.fail();
      this.i += 2;
      return this.last || this.fail();
    }
    if (c === 'D' && /[0-5]/.test(this.peek(1))) {
      this.i += 2;
      return this.last ? `~${this.last}` : this.fail();
    }
    if (c === 'U' && (this.peek(1) === 't' || this.peek(1) === 'l')) return this.unnamedType();
    if (c === 'L') {
      // internal linkage: `_ZL4helpv`
      this.i++;
      return this.unqualified();
    }
    if (c === 'c' && this.peek(1) === 'v') this.fail(); // conversion operator: a type follows
    const op = OPERATORS[this.s.slice(this.i, this.i + 2)];
    if (op !== undefined) {
      this.i += 2;
      return `operator${op}`;
    }
    return this.fail();
  }

  /** `Ut_` unnamed types and `Ul…E_` lambdas: the closure is reported as `{lambda}` */
  unnamedType(): string {
    const lambda = this.peek(1) === 'l';
    this.i += 2;
    if (lambda) this.skipToE();
    while (/[0-9]/.test(this.peek())) this.i++;
    if (this.peek() !== '_') this.fail();
    this.i++;
    return lambda ? '{lambda}' : '{unnamed}';
  }

  abiTags(): void {
    while (this.peek() === 'B') {
      this.i++;
      this.sourceName();
    }
  }

  /** `I … E`, nested: template arguments are not part of the name */
  skipArgs(): void {
    this.i++; // I
    this.skipToE();
  }

  /** Past the `E` that closes the construct just opened, counting the constructs nested in it. */
  skipToE(): void {
    let depth = 1;
    while (depth > 0) {
      const c = this.peek();
      if (c === '') this.fail();
      if (c >= '0' && c <= '9') {
        this.sourceName();
        continue;
      }
      this.i++;
      if (c === 'E') depth--;
      else if ('INXJF'.includes(c)) depth++;
      else if (c === 'L') this.literal();
      else if (c === 'S' || c === 'T') {
        while (/[0-9A-Z]/.test(this.peek())) this.i++;
        if (this.peek() === '_') this.i++;
        else if (/[a-z]/.test(this.peek())) this.i++;
      } else if (c === 'D' && /[tTp]/.test(this.peek())) {
        if (this.peek() !== 'p') depth++;
        this.i++;
      }
    }
  }

  /** `L <type> <value> E` or `L _Z <encoding> E`, the `L` already read */
  literal(): void {
    if (this.peek() === '_' && this.peek(1) === 'Z') {
      this.i += 2;
      this.name();
      this.skipToE();
      return;
    }
    if (/[0-9]/.test(this.peek())) this.sourceName();
    else this.i++;
    while (this.peek() !== 'E' && this.peek() !== '') this.i++;
    if (this.peek() === '') this.fail();
    this.i++;
  }
}

export function demangle(symbol: string): string | undefined {
  let s = symbol.trim();
  if (s.startsWith('__Z')) s = s.slice(1); // macOS adds an underscore
  if (!s.startsWith('_Z') || s.length > MAX_SYMBOL) return undefined;
  try {
    const parts = new Reader(s, 2).name();
    return parts.join('::');
  } catch {
    return undefined;
  }
}
