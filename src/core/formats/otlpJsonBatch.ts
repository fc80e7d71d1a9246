/**
 * OTLP/JSON requests (ExportTraceServiceRequest, ExportLogsServiceRequest) read a slice at a time, so that a large
 * body never holds the event loop for one whole `JSON.parse` (nor for decoding the whole body to a string). Two
 * passes over the UTF-8 bytes, each resumable after any slice:
 * 1. an outline: one scan finds where each resource, scope and item (span, log record) is, checking the JSON
 *    around them (JSON's structural characters are ASCII, so no byte of a multi-byte character is one);
 * 2. each of those values alone decoded and through `JSON.parse`, handed to a visitor in document order.
 *
 * What the visitor gets equals what it would get walking `JSON.parse` of the whole body decoded as UTF-8, a key
 * given twice included (the last one counts). Invalid JSON fails with a TraceFormatError naming the byte, except
 * inside the values of keys it does not read, whose brackets are only counted: it skips them as the protobuf
 * reader skips unknown fields.
 */
import { TraceFormatError } from './errors';

export interface OtlpJsonKeys {
  /** the document's list of resources, e.g. `resourceSpans` */
  resources: string;
  /** the resource's list of scopes, e.g. `scopeSpans` */
  scopes: string;
  /** its name before OTLP 0.15, read when `scopes` is absent or null, e.g. `instrumentationLibrarySpans` */
  legacyScopes?: string;
  /** a scope entry's scope, e.g. `scope` */
  scope: string;
  /** its name before OTLP 0.15, e.g. `instrumentationLibrary` */
  legacyScope?: string;
  /** a scope entry's list of items, e.g. `spans` */
  items: string;
}

export interface OtlpJsonVisitor {
  /** Something not read, with its JSON path: a resource that is not an object, a list that is not an array. */
  ignore(where: string, reason: string): void;
  /** The resource of the items that follow (undefined when the entry has none). */
  resource(raw: unknown): void;
  /** The scope of the items that follow (undefined when the entry has none). */
  scope(raw: unknown): void;
  /** One item; `path()` gives its JSON path, e.g. `$.resourceSpans[0].scopeSpans[1].spans[7]`. */
  item(raw: unknown, path: () => string): void;
}

/** How a list key of a resource or scope entry was found. */
const ABSENT = 0;
const NULL = 1;
const ARRAY = 2;
const OTHER_KIND = 3;

interface ScopeOutline {
  /** [start, end) of `scope` and of `legacyScope`; -1 when absent */
  scope: [number, number];
  legacyScope: [number, number];
  items: number;
  /** [start, end) pairs */
  itemRanges: number[];
}

interface ListOutline {
  kind: number;
  scopes: ScopeOutline[];
}

interface ResourceOutline {
  /** false: the entry is not an object */
  object: boolean;
  resource: [number, number];
  current: ListOutline;
  legacy: ListOutline;
}

// Roles of the values the scan meets.
const TOP = 0;
const RESOURCES = 1;
const RESOURCE = 2;
const SCOPES = 3;
const LEGACY_SCOPES = 4;
const SCOPE = 5;
const ITEMS = 6;
const RESOURCE_VALUE = 7;
const SCOPE_VALUE = 8;
const LEGACY_SCOPE_VALUE = 9;
const ITEM = 10;
const OTHER = 11;

// What the scan expects next.
const VALUE = 0;
const AFTER_VALUE = 1;
const KEY = 2;
const COLON = 3;
const DONE = 4;

// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"$/;
const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')] as const;
const NULL_BYTES = LITERALS[2];

export class OtlpJsonBatchReader {
  private pos = 0;
  private state = VALUE;
  /** after `{` or `[`: the container may close at once */
  private justOpened = false;
  // the containers the scan is in (at most TOP … ITEMS deep; other values are skipped, not entered)
  private readonly roles: number[] = [];
  private readonly keys: string[] = [];
  /** skipping a value whose role is in `skipRole`, from `skipStart`, `skipDepth` brackets deep */
  private skipDepth = 0;
  private skipStart = 0;
  private skipRole = OTHER;

  private resources: ResourceOutline[] = [];
  private currentList: ListOutline | undefined;
  private currentScope: ScopeOutline | undefined;
  private outlined = false;

  // the second pass: where it is
  private r = 0;
  private s = 0;
  private k = 0;
  private inResource = false;
  private inScope = false;

  constructor(
    private readonly buf: Buffer,
    private readonly format: string,
    /** e.g. "an ExportTraceServiceRequest object", for a document that is not an object */
    private readonly expected: string,
    private readonly names: OtlpJsonKeys,
    private readonly visitor: OtlpJsonVisitor,
  ) {}

  readAll(): void {
    while (!this.step(Infinity));
  }

  /**
   * Goes on for about `sliceBytes` more bytes of the body (whole items only); true once the document is
   * read. Throws TraceFormatError like JSON.parse would fail, and for a document that is not an object.
   */
  step(sliceBytes: number): boolean {
    if (!this.outlined) {
      this.outline(this.pos + sliceBytes);
      return false;
    }
    return this.visit(sliceBytes);
  }

  // ---- pass 1: the outline ----

  private outline(stop: number): void {
    if (this.pos === 0 && this.roles.length === 0 && this.state === VALUE) {
      const first = this.skipSpace();
      if (first === -1) throw this.invalid('unexpected end of input');
      if (first !== 123 /* { */) throw new TraceFormatError(this.format, '$', `expected ${this.expected}`);
    }
    while (this.pos < stop) {
      if (this.skipDepth > 0) {
        this.skipContainer(stop);
        continue;
      }
      const c = this.skipSpace();
      if (c === -1) {
        if (this.state !== DONE) throw this.invalid('unexpected end of input');
        this.outlined = true;
        return;
      }
      switch (this.state) {
        case VALUE:
          if (this.justOpened && c === 93 /* ] */) {
            this.pos++;
            this.close();
          } else this.value(c);
          break;
        case AFTER_VALUE: {
          const object = this.isObject();
          if (c === 44 /* , */) {
            this.pos++;
            this.state = object ? KEY : VALUE;
            this.justOpened = false;
          } else if (c === (object ? 125 /* } */ : 93) /* ] */) {
            this.pos++;
            this.close();
          } else throw this.invalid(`expected , or ${object ? '}' : ']'}`);
          break;
        }
        case KEY:
          if (c === 34 /* " */) {
            this.keys[this.keys.length - 1] = this.key();
            this.state = COLON;
          } else if (this.justOpened && c === 125 /* } */) {
            this.pos++;
            this.close();
          } else throw this.invalid('expected a key');
          break;
        case COLON:
          if (c !== 58 /* : */) throw this.invalid('expected :');
          this.pos++;
          this.state = VALUE;
          break;
        default:
          throw this.invalid('unexpected text after the document');
      }
    }
  }

  private isObject(): boolean {
    const role = this.roles[this.roles.length - 1];
    return role === TOP || role === RESOURCE || role === SCOPE;
  }

  /** The role of the value starting now, from its container and key. */
  private childRole(): number {
    const depth = this.roles.length;
    if (depth === 0) return TOP;
    const key = this.keys[depth - 1]!;
    const n = this.names;
    switch (this.roles[depth - 1]) {
      case TOP:
        return key === n.resources ? RESOURCES : OTHER;
      case RESOURCES:
        return RESOURCE;
      case RESOURCE:
        if (key === 'resource') return RESOURCE_VALUE;
        if (key === n.scopes) return SCOPES;
        return key === n.legacyScopes ? LEGACY_SCOPES : OTHER;
      case SCOPES:
      case LEGACY_SCOPES:
        return SCOPE;
      case SCOPE:
        if (key === n.items) return ITEMS;
        if (key === n.scope) return SCOPE_VALUE;
        return key === n.legacyScope ? LEGACY_SCOPE_VALUE : OTHER;
      case ITEMS:
        return ITEM;
      default:
        return OTHER;
    }
  }

  private value(c: number): void {
    const role = this.childRole();
    const array = c === 91; /* [ */
    switch (role) {
      case TOP:
        return this.enter(TOP);
      case RESOURCES:
        if (array) {
          this.resources = [];
          return this.enter(RESOURCES);
        }
        if (this.isNull()) {
          this.resources = [];
          return this.skip(OTHER, c);
        }
        throw new TraceFormatError(this.format, `$.${this.names.resources}`, 'expected an array');
      case RESOURCE:
        if (c === 123) {
          this.resources.push({ object: true, resource: [-1, -1], current: emptyList(), legacy: emptyList() });
          return this.enter(RESOURCE);
        }
        this.resources.push({ object: false, resource: [-1, -1], current: emptyList(), legacy: emptyList() });
        return this.skip(OTHER, c);
      case SCOPES:
      case LEGACY_SCOPES: {
        const entry = this.resources[this.resources.length - 1]!;
        const list = emptyList();
        if (role === SCOPES) entry.current = list;
        else entry.legacy = list;
        if (array) {
          list.kind = ARRAY;
          this.currentList = list;
          return this.enter(role);
        }
        list.kind = this.isNull() ? NULL : OTHER_KIND;
        return this.skip(OTHER, c);
      }
      case SCOPE:
        // entries that are not objects hold no items, but keep their place for the paths of the others
        this.currentScope = { scope: [-1, -1], legacyScope: [-1, -1], items: ABSENT, itemRanges: [] };
        this.currentList!.scopes.push(this.currentScope);
        return c === 123 ? this.enter(SCOPE) : this.skip(OTHER, c);
      case ITEMS: {
        const scope = this.currentScope!;
        scope.itemRanges = [];
        if (array) {
          scope.items = ARRAY;
          return this.enter(ITEMS);
        }
        scope.items = this.isNull() ? NULL : OTHER_KIND;
        return this.skip(OTHER, c);
      }
      default:
        return this.skip(role, c);
    }
  }

  private enter(role: number): void {
    this.roles.push(role);
    this.keys.push('');
    this.pos++;
    this.state = role === RESOURCES || role === SCOPES || role === LEGACY_SCOPES || role === ITEMS ? VALUE : KEY;
    this.justOpened = true;
  }

  private close(): void {
    this.roles.pop();
    this.keys.pop();
    this.justOpened = false;
    this.state = this.roles.length === 0 ? DONE : AFTER_VALUE;
  }

  private scalarDone(): void {
    this.justOpened = false;
    this.state = this.roles.length === 0 ? DONE : AFTER_VALUE;
  }

  /** Skips a value (recording its range when its role is one that is read), scalars at once, containers in slices. */
  private skip(role: number, c: number): void {
    const start = this.pos;
    if (c === 123 || c === 91) {
      this.skipRole = role;
      this.skipStart = start;
      this.skipDepth = 1;
      this.pos++;
      return;
    }
    if (c === 34) this.pos = role === OTHER ? this.checkedStringEnd() : this.stringEnd(this.pos);
    else this.scalar();
    this.record(role, start, this.pos);
    this.scalarDone();
  }

  private skipContainer(stop: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let depth = this.skipDepth;
    const end = buf.length;
    while (pos < end) {
      const c = buf[pos]!;
      if (c === 34) {
        pos = this.stringEnd(pos);
        continue;
      }
      pos++;
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) break;
      }
      if (pos >= stop) break;
    }
    this.pos = pos;
    this.skipDepth = depth;
    if (depth === 0) {
      this.record(this.skipRole, this.skipStart, pos);
      this.scalarDone();
    } else if (pos >= end) throw this.invalid('unexpected end of input');
  }

  private record(role: number, start: number, end: number): void {
    switch (role) {
      case RESOURCE_VALUE:
        this.resources[this.resources.length - 1]!.resource = [start, end];
        break;
      case SCOPE_VALUE:
        this.currentScope!.scope = [start, end];
        break;
      case LEGACY_SCOPE_VALUE:
        this.currentScope!.legacyScope = [start, end];
        break;
      case ITEM:
        this.currentScope!.itemRanges.push(start, end);
        break;
    }
  }

  private isNull(): boolean {
    return this.startsWith(NULL_BYTES);
  }

  private startsWith(bytes: Buffer): boolean {
    const buf = this.buf;
    const pos = this.pos;
    if (pos + bytes.length > buf.length) return false;
    for (let i = 0; i < bytes.length; i++) if (buf[pos + i] !== bytes[i]) return false;
    return true;
  }

  /** A number, true, false or null at `pos`; moves past it. */
  private scalar(): void {
    for (const literal of LITERALS) {
      if (this.startsWith(literal)) {
        this.pos += literal.length;
        return;
      }
    }
    const end = numberEnd(this.buf, this.pos);
    if (end === -1) throw this.invalid(`unexpected character ${JSON.stringify(String.fromCharCode(this.buf[this.pos]!))}`);
    this.pos = end;
  }

  /** A key at `pos`, unescaped and checked; moves past it. */
  private key(): string {
    const start = this.pos;
    const end = this.stringEnd(start);
    const buf = this.buf;
    let plain = true;
    for (let i = start + 1; i < end - 1; i++) {
      const b = buf[i]!;
      if (b === 92 /* \\ */ || b < 32) plain = false;
    }
    this.pos = end;
    if (plain) return buf.toString('utf8', start + 1, end - 1);
    try {
      return JSON.parse(buf.toString('utf8', start, end)) as string;
    } catch {
      this.pos = start;
      throw this.invalid('a key is not a valid JSON string');
    }
  }

  /** The end of the string starting at `start` (its opening quote), past its closing quote; escapes not checked. */
  private stringEnd(start: number): number {
    const buf = this.buf;
    for (let p = start + 1; ;) {
      const q = buf.indexOf(34 /* " */, p);
      if (q === -1) {
        this.pos = buf.length;
        throw this.invalid('unexpected end of input in a string');
      }
      let backslashes = 0;
      for (let i = q - 1; buf[i] === 92; i--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      p = q + 1;
    }
  }

  /** The same, checking the string as JSON.parse would. */
  private checkedStringEnd(): number {
    const end = this.stringEnd(this.pos);
    if (!STRING.test(this.buf.toString('utf8', this.pos, end))) throw this.invalid('a string is not valid JSON');
    return end;
  }

  /** The next byte that is not whitespace (-1 at the end), `pos` left on it. */
  private skipSpace(): number {
    const buf = this.buf;
    let pos = this.pos;
    for (; pos < buf.length; pos++) {
      const c = buf[pos]!;
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
        this.pos = pos;
        return c;
      }
    }
    this.pos = pos;
    return -1;
  }

  private invalid(reason: string): TraceFormatError {
    return new TraceFormatError(
      this.format,
      this.pos < this.buf.length ? `byte ${this.pos}` : 'end of input',
      `invalid JSON (${reason})`,
    );
  }

  // ---- pass 2: the values, in document order ----

  private visit(sliceBytes: number): boolean {
    let budget = sliceBytes;
    const { visitor, names } = this;
    while (this.r < this.resources.length) {
      const entry = this.resources[this.r]!;
      const resourcePath = `$.${names.resources}[${this.r}]`;
      if (!this.inResource) {
        if (!entry.object) {
          visitor.ignore(resourcePath, 'not an object');
          this.nextResource();
          continue;
        }
        visitor.resource(this.parse(entry.resource));
        this.inResource = true;
        this.s = 0;
      }
      const legacy = entry.current.kind <= NULL && entry.legacy.kind > NULL;
      const list = legacy ? entry.legacy : entry.current;
      const listKey = legacy ? names.legacyScopes! : names.scopes;
      if (list.kind === OTHER_KIND) visitor.ignore(`${resourcePath}.${listKey}`, 'not an array');
      if (list.kind !== ARRAY) {
        this.nextResource();
        continue;
      }
      while (this.s < list.scopes.length) {
        const scope = list.scopes[this.s]!;
        if (!this.inScope) {
          if (scope.items === OTHER_KIND) visitor.ignore(`${resourcePath}.${listKey}[${this.s}].${names.items}`, 'not an array');
          if (scope.items !== ARRAY) {
            this.s++;
            continue;
          }
          visitor.scope(this.parse(legacy ? scope.legacyScope : scope.scope));
          this.inScope = true;
          this.k = 0;
        }
        const ranges = scope.itemRanges;
        while (this.k < ranges.length / 2) {
          if (budget <= 0) return false;
          const start = ranges[this.k * 2]!;
          const end = ranges[this.k * 2 + 1]!;
          budget -= end - start;
          const s = this.s;
          const k = this.k;
          visitor.item(this.parse([start, end]), () => `${resourcePath}.${listKey}[${s}].${names.items}[${k}]`);
          this.k++;
        }
        this.inScope = false;
        this.s++;
      }
      this.nextResource();
    }
    return true;
  }

  private nextResource(): void {
    this.r++;
    this.inResource = false;
    this.inScope = false;
  }

  /** The value in bytes `[start, end)`; undefined for an absent one (start -1). */
  private parse([start, end]: [number, number]): unknown {
    if (start < 0) return undefined;
    const text = this.buf.toString('utf8', start, end);
    try {
      return JSON.parse(text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const at = /position (\d+)/.exec(message);
      this.pos = at ? start + Buffer.byteLength(text.slice(0, Number(at[1]))) : start;
      throw this.invalid(message);
    }
  }
}

/** Where the JSON number at `pos` ends, or -1 when there is none (`-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?`). */
function numberEnd(buf: Buffer, start: number): number {
  let pos = start;
  const digits = (): number => {
    const from = pos;
    while (pos < buf.length && buf[pos]! >= 48 && buf[pos]! <= 57) pos++;
    return pos - from;
  };
  if (buf[pos] === 45 /* - */) pos++;
  if (buf[pos] === 48 /* 0 */) pos++;
  else if (digits() === 0) return -1;
  if (buf[pos] === 46 /* . */) {
    pos++;
    if (digits() === 0) return -1;
  }
  if (buf[pos] === 101 || buf[pos] === 69 /* e E */) {
    pos++;
    if (buf[pos] === 43 || buf[pos] === 45) pos++;
    if (digits() === 0) return -1;
  }
  return pos;
}

function emptyList(): ListOutline {
  return { kind: ABSENT, scopes: [] };
}
