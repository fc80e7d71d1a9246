/**
 * HTTP route registrations found in source text, and an index from a server span's `http.route` (+ method) to
 * them. Scanning is regex-level over text whose comments are blanked, per framework: Express/Fastify/Koa/Hono,
 * Nest, Next.js, Flask, FastAPI, Django, Spring, ASP.NET, Go net/http/gin/echo/chi/gorilla, Rails, Laravel.
 * Prefixes compose only within one file; a router mounted elsewhere gives a `partial` route (a tail of the
 * served path). Django, Rails and Laravel handlers live in other files and are resolved by the index.
 */

export interface RouteDefinition {
  /** upper-case; undefined = any method */
  method?: string;
  /** normalised (normalizeRoute) */
  route: string;
  /** workspace-relative, forward slashes: the handler's file when known, else the registration's */
  file: string;
  /** 1-based: the handler's definition when known, else the registration */
  line: number;
  /** as the framework names it: `OrdersController.show`, `views.detail`, `OrdersController#show` */
  handler?: string;
  /** express, fastify, koa, hono, nest, next, flask, fastapi, django, spring, aspnet, go, gin, echo, chi, fiber, gorilla, rails, laravel */
  framework: string;
  /** served under a prefix set in another file (a router mounted elsewhere, a global prefix): `route` is a tail of the path */
  partial?: boolean;
  /** the handler is defined in another file; the index resolves it when that file is indexed */
  target?: HandlerTarget;
}

export interface HandlerTarget {
  /** candidate files, workspace-relative, in order of preference */
  files: string[];
  /** the function, method or class defined there */
  symbol: string;
}

/** A definition a route's `target` can point to: a Django view, a Rails or Laravel controller action. */
export interface HandlerDefinition {
  file: string;
  /** 1-based */
  line: number;
  symbol: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

/**
 * One spelling for every framework's template: placeholders (`:id`, `{id}`, `{id:int}`, `<int:id>`, `[id]`,
 * `[...slug]`, `*`, `*path`, regex groups) become `{}`, optional groups such as Rails' `(.:format)` and
 * Express' `(\d+)` constraints go, the leading slash is added and the trailing one dropped. Case is kept.
 */
export function normalizeRoute(route: string): string {
  let r = route.trim();
  if (REGEX_ROUTE.test(r)) r = regexToTemplate(r);
  r = r.replace(/\{\$\}/g, '');
  for (let prev = ''; prev !== r;) {
    prev = r;
    r = r.replace(/\([^()]*\)\??/g, '');
  }
  const segments: string[] = [];
  for (const s of r.split('/')) {
    if (s === '' || s === '~' || s === '.') continue;
    if (s.startsWith('*') || /^\[\[?\.\.\.[^\]]*\]\]?$/.test(s)) segments.push('{}');
    else segments.push(s.replace(PLACEHOLDER, (_m, lead: string | undefined) => `${lead ?? ''}{}`));
  }
  return '/' + segments.join('/');
}

/** Django `re_path`/`url()` patterns and other regex routes. */
const REGEX_ROUTE = /^\^|\(\?P?<|\$$/;
/** `{…}`, `<…>`, `[…]`, and `:name` at a segment's start or after `.`/`-` (Express `/:from-:to`). */
const PLACEHOLDER = /\{[^}]*\}|<[^>]*>|\[[^\]]*\]|(^|[.-]):[A-Za-z_]\w*\??/g;

function regexToTemplate(r: string): string {
  let s = r.replace(/^\^/, '').replace(/\/?\??\$$/, '');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      out += s[i + 1] ?? '';
      i++;
    } else if (c === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < s.length && depth > 0; j++) {
        if (s[j] === '\\') j++;
        else if (s[j] === '(') depth++;
        else if (s[j] === ')') depth--;
      }
      out += '{}';
      i = j - 1;
      if (s[j] === '?') s = s.slice(0, j) + s.slice(j + 1);
    } else if (c !== '?' && c !== '+') out += c;
  }
  return out;
}

function segmentsOf(normalized: string): string[] {
  return normalized === '/' ? [] : normalized.slice(1).split('/');
}

// ---------------------------------------------------------------------------------------------------------------
// The index

interface Entry {
  def: RouteDefinition;
  segments: string[];
}

/** Route definitions by normalised route; handler definitions by file and symbol. */
export class RouteIndex {
  private readonly exact = new Map<string, Entry[]>();
  private readonly folded = new Map<string, Entry[]>();
  /** partial definitions by their last segment, for paths served under a prefix set elsewhere */
  private readonly tails = new Map<string, Entry[]>();
  private readonly byFile = new Map<string, Entry[]>();
  private readonly handlers = new Map<string, Map<string, HandlerDefinition>>();

  add(defs: readonly RouteDefinition[]): void {
    for (const def of defs) {
      const key = normalizeRoute(def.route);
      const e: Entry = { def, segments: segmentsOf(key) };
      push(this.exact, key, e);
      push(this.folded, key.toLowerCase(), e);
      if (def.partial) push(this.tails, e.segments[e.segments.length - 1] ?? '', e);
      push(this.byFile, def.file, e);
    }
  }

  /** Definitions that routes in other files point to (extractHandlers). */
  addHandlers(defs: readonly HandlerDefinition[]): void {
    for (const h of defs) {
      let symbols = this.handlers.get(h.file);
      if (!symbols) this.handlers.set(h.file, (symbols = new Map()));
      if (!symbols.has(h.symbol)) symbols.set(h.symbol, h);
    }
  }

  /** Replaces whatever `file` contributed with what its current text defines. */
  addFile(file: string, text: string): void {
    this.removeFile(file);
    this.add(extractRoutes(file, text));
    this.addHandlers(extractHandlers(file, text));
  }

  removeFile(file: string): void {
    this.handlers.delete(file);
    const entries = this.byFile.get(file);
    if (!entries) return;
    this.byFile.delete(file);
    const gone = new Set(entries);
    const drop = (map: Map<string, Entry[]>, key: string) => {
      const list = map.get(key)?.filter((e) => !gone.has(e));
      if (list?.length) map.set(key, list);
      else map.delete(key);
    };
    for (const e of entries) {
      const key = '/' + e.segments.join('/');
      drop(this.exact, key);
      drop(this.folded, key.toLowerCase());
      if (e.def.partial) drop(this.tails, e.segments[e.segments.length - 1] ?? '');
    }
  }

  /**
   * Handlers of `route` (an `http.route` template, optionally "GET /path"), best first: the exact method
   * before any-method registrations, full routes before partial ones. Tried in turn: the same template, the
   * same ignoring case (ASP.NET and Spring match case-insensitively), a partial route that ends the path.
   */
  match(method: string | undefined, route: string): RouteDefinition[] {
    let m = method?.trim().toUpperCase() || undefined;
    let r = route.trim();
    const prefixed = /^([A-Za-z]+)\s+(\S+)$/.exec(r);
    if (prefixed) {
      m ??= prefixed[1]!.toUpperCase();
      r = prefixed[2]!;
    }
    const key = normalizeRoute(r);
    const tiers = [() => this.exact.get(key), () => this.folded.get(key.toLowerCase()), () => this.byTail(segmentsOf(key))];
    for (const tier of tiers) {
      const found = byMethod(tier() ?? [], m);
      if (found.length > 0) return this.resolve(found);
    }
    return [];
  }

  /** Longest partial routes first; a tail of placeholders alone says too little to count. */
  private byTail(path: string[]): Entry[] {
    const candidates = this.tails.get(path[path.length - 1] ?? '') ?? [];
    return candidates
      .filter((e) => {
        const n = e.segments.length;
        if (n === 0 || n >= path.length || !e.segments.some((s) => s !== '{}')) return false;
        return e.segments.every((s, i) => s === path[path.length - n + i]);
      })
      .sort((a, b) => b.segments.length - a.segments.length);
  }

  private resolve(entries: Entry[]): RouteDefinition[] {
    const seen = new Set<string>();
    const out: RouteDefinition[] = [];
    for (const { def } of entries) {
      const d = this.resolveTarget(def);
      const key = `${d.file}:${d.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out;
  }

  private resolveTarget(def: RouteDefinition): RouteDefinition {
    if (!def.target) return def;
    for (const file of def.target.files) {
      const h = this.handlers.get(file)?.get(def.target.symbol);
      if (h) return { ...def, file: h.file, line: h.line };
    }
    return def;
  }
}

function byMethod(entries: Entry[], method: string | undefined): Entry[] {
  const fullFirst = (list: Entry[]) => [...list.filter((e) => !e.def.partial), ...list.filter((e) => e.def.partial)];
  if (method === undefined) return fullFirst(entries);
  let exact = entries.filter((e) => e.def.method === method);
  // every framework that registers GET answers HEAD with it
  if (exact.length === 0 && method === 'HEAD') exact = entries.filter((e) => e.def.method === 'GET');
  return [...fullFirst(exact), ...fullFirst(entries.filter((e) => e.def.method === undefined))];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

type Lang = 'js' | 'python' | 'java' | 'cs' | 'go' | 'ruby' | 'php';

const LANG_BY_EXTENSION: Readonly<Record<string, Lang>> = {
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  jsx: 'js',
  ts: 'js',
  mts: 'js',
  cts: 'js',
  tsx: 'js',
  py: 'python',
  java: 'java',
  kt: 'java',
  cs: 'cs',
  go: 'go',
  rb: 'ruby',
  php: 'php',
};

/** Cheap tests on the raw text: a file failing its language's test is not masked or scanned. */
const WORTH_SCANNING: Readonly<Record<Lang, RegExp>> = {
  js: /\.\s*(?:get|post|put|patch|delete|options|head|all|route)\s*\(|@Controller\b/,
  python: /@\s*\w+\.(?:route|get|post|put|patch|delete|head|options|api_route)\s*\(|\burlpatterns\b|\.add_url_rule\s*\(/,
  java: /@(?:Get|Post|Put|Delete|Patch|Request)Mapping\b/,
  cs: /\[\s*(?:Http[A-Z]|Route\b|AcceptVerbs\b)|\.Map(?:Get|Post|Put|Delete|Patch|Methods|Group)\s*\(/,
  go: /\.\s*(?:HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options|All|Method|MethodFunc)\s*\(/,
  ruby: /./,
  php: /Route::/,
};

/** Route registrations in one file. `file` is workspace-relative with forward slashes. */
export function extractRoutes(file: string, text: string): RouteDefinition[] {
  const lang = languageOf(file);
  if (!lang) return [];
  const out: RouteDefinition[] = [];
  if (lang === 'js') nextRoutes(file, text, out);
  if (lang === 'ruby' && !RAILS_ROUTES_FILE.test(file)) return out;
  if (!WORTH_SCANNING[lang].test(text)) return out;
  const src = new Source(file, lang, text);
  switch (lang) {
    case 'js':
      nestRoutes(src, out);
      expressRoutes(src, out);
      break;
    case 'python':
      pythonDecoratorRoutes(src, out);
      djangoRoutes(src, out);
      break;
    case 'java':
      springRoutes(src, out);
      break;
    case 'cs':
      aspNetControllerRoutes(src, out);
      aspNetMinimalRoutes(src, out);
      break;
    case 'go':
      goRoutes(src, out);
      break;
    case 'ruby':
      railsRoutes(src, out);
      break;
    case 'php':
      laravelRoutes(src, out);
      break;
  }
  return out;
}

/** Function, class and action definitions that Django, Rails and Laravel routes point to from other files. */
export function extractHandlers(file: string, text: string): HandlerDefinition[] {
  const lang = languageOf(file);
  let pattern: RegExp;
  if (lang === 'python') pattern = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm;
  else if (lang === 'ruby' && file.endsWith('_controller.rb')) pattern = /^[ \t]*def[ \t]+(\w+[!?]?)/gm;
  else if (lang === 'php' && /Controller[^/]*\.php$/.test(file)) pattern = /\bfunction[ \t]+(\w+)[ \t]*\(/g;
  else return [];
  const src = new Source(file, lang, text);
  // a module-level `def detail` wins over a method `detail` of some class in the same file
  const best = new Map<string, { def: HandlerDefinition; indent: number }>();
  for (const m of src.code.matchAll(pattern)) {
    const symbol = m[1]!;
    const indent = m[0].search(/\S/);
    const known = best.get(symbol);
    if (known && known.indent <= indent) continue;
    best.set(symbol, { def: { file, line: src.line(m.index + m[0].length - symbol.length), symbol }, indent });
  }
  return [...best.values()].map((b) => b.def);
}

function languageOf(file: string): Lang | undefined {
  const dot = file.lastIndexOf('.');
  return dot < 0 ? undefined : LANG_BY_EXTENSION[file.slice(dot + 1).toLowerCase()];
}

// ---------------------------------------------------------------------------------------------------------------
// Source text: comments blanked (offsets and lines kept), strings and bracketed argument lists read from it

interface Literal {
  value: string;
  start: number;
  /** just past the closing quote */
  end: number;
}

interface Arg {
  start: number;
  end: number;
  /** trimmed */
  text: string;
}

interface Call {
  args: Arg[];
  /** just past the closing bracket */
  end: number;
}

/** Character codes the scanners compare against. */
const DQ = 34; // "
const SQ = 39; // '
const BT = 96; // `
const SLASH = 47;
const STAR = 42;
const HASH = 35;
const BRACKET = 91; // [
const EQUALS = 61;
const NEWLINE = 10;
const BACKSLASH = 92;

const HASH_COMMENTS: ReadonlySet<Lang> = new Set(['python', 'ruby', 'php']);
const SLASH_COMMENTS: ReadonlySet<Lang> = new Set(['js', 'java', 'cs', 'go', 'php']);
const TRIPLE_QUOTES: ReadonlySet<Lang> = new Set(['python', 'java']);

class Source {
  /** the text with comments (and Python/Kotlin/Java triple-quoted strings) replaced by spaces */
  readonly code: string;
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly lang: Lang,
    text: string,
  ) {
    this.code = maskComments(text, lang);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** 1-based line of `offset` */
  line(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  offsetOfLine(line: number): number {
    return this.lineStarts[line - 1] ?? 0;
  }

  /** Offsets just past each `;`, `{` and `}` outside strings: where statements may start. */
  statementBoundaries(): number[] {
    const c = this.code;
    const out = [0];
    for (let i = 0; i < c.length; i++) {
      const ch = c[i]!;
      if (ch === '"' || ch === "'" || ch === '`') i = skipString(c, i) - 1;
      else if (ch === ';' || ch === '{' || ch === '}') out.push(i + 1);
    }
    return out;
  }

  /** The string literal starting at `i` (after blanks); undefined for anything else, or one with interpolation. */
  string(i: number): Literal | undefined {
    const c = this.code;
    let p = skipBlanks(c, i);
    let raw = false;
    if (this.lang === 'python') {
      const prefix = /^[rRbBuUfF]{1,2}(?=['"])/.exec(c.slice(p, p + 3));
      if (prefix) {
        raw = /r/i.test(prefix[0]);
        if (/f/i.test(prefix[0])) return undefined;
        p += prefix[0].length;
      }
    } else if (this.lang === 'cs' && c[p] === '@' && c[p + 1] === '"') {
      raw = true;
      p++;
    }
    const q = c[p];
    if (q !== '"' && q !== "'" && q !== '`') return undefined;
    if (q === "'" && (this.lang === 'java' || this.lang === 'cs' || this.lang === 'go')) return undefined;
    if (q === '`' && this.lang !== 'js' && this.lang !== 'go') return undefined;
    raw ||= q === '`' && this.lang === 'go';
    let value = '';
    for (let j = p + 1; j < c.length; j++) {
      const ch = c[j]!;
      if (ch === '\\' && !raw) {
        value += c[j + 1] ?? '';
        j++;
      } else if (ch === q) {
        return { value, start: p, end: j + 1 };
      } else if (ch === '\n' && q !== '`') {
        return undefined;
      } else if (q === '`' && ch === '$' && c[j + 1] === '{') {
        return undefined;
      } else {
        value += ch;
      }
    }
    return undefined;
  }

  /** Every string literal in `[start, end)`: the values of an array of paths or methods. */
  strings(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i < end; i++) {
      const ch = this.code[i];
      if (ch !== '"' && ch !== "'" && ch !== '`') continue;
      const s = this.string(i);
      if (!s) break;
      out.push(s.value);
      i = s.end - 1;
    }
    return out;
  }

  /** The index of the bracket closing the one at `open`, or -1. */
  close(open: number): number {
    const c = this.code;
    let depth = 0;
    for (let i = open; i < c.length; i++) {
      const ch = c[i]!;
      if (ch === '"' || ch === "'" || ch === '`') i = skipString(c, i) - 1;
      else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) return i;
      }
    }
    return -1;
  }

  /** The items of the bracketed list opening at `open` (call arguments, an object's entries), split at top-level commas. */
  call(open: number): Call | undefined {
    const close = this.close(open);
    if (close < 0) return undefined;
    const c = this.code;
    const args: Arg[] = [];
    let depth = 0;
    let start = open + 1;
    const flush = (end: number) => {
      const text = c.slice(start, end).trim();
      if (text !== '')
        args.push({ start: start + (c.slice(start, end).length - c.slice(start, end).trimStart().length), end, text });
    };
    for (let i = open + 1; i < close; i++) {
      const ch = c[i]!;
      if (ch === '"' || ch === "'" || ch === '`') i = skipString(c, i) - 1;
      else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
      else if (ch === ',' && depth === 0) {
        flush(i);
        start = i + 1;
      }
    }
    flush(close);
    return { args, end: close + 1 };
  }

  /** The top-level `key: value` entries of an object literal argument; none for anything else. */
  entries(a: Arg): Call {
    return (a.text.startsWith('{') ? this.call(a.start) : undefined) ?? { args: [], end: a.end };
  }

  /** A keyword argument's expression text: `name=` (Python), `name:` (JS, Ruby), `name =` (Java/Kotlin/C#). */
  keyword(call: Call, name: string): Arg | undefined {
    const re = new RegExp(`^${name}\\s*[=:](?!=)\\s*`);
    for (const a of call.args) {
      const m = re.exec(a.text);
      if (m) return { start: a.start + m[0].length, end: a.end, text: a.text.slice(m[0].length) };
    }
    return undefined;
  }

  /** The 1-based line where function or method `name` is defined in this file, if it is. */
  definitionLine(name: string): number | undefined {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
    const n = name.replace(/\$/g, '\\$');
    const pattern = DEFINITIONS[this.lang](n);
    for (const m of this.code.matchAll(pattern)) {
      const at = m.index + m[0].lastIndexOf(name);
      const lineStart = this.offsetOfLine(this.line(at));
      if (/^\s*(?:return|await|yield|throw|new|if|else|case)\b/.test(this.code.slice(lineStart, at))) continue;
      return this.line(at);
    }
    return undefined;
  }
}

const DEFINITIONS: Readonly<Record<Lang, (name: string) => RegExp>> = {
  js: (n) =>
    new RegExp(
      `\\bfunction\\s*\\*?\\s*${n}\\s*[(<]|\\b(?:const|let|var)\\s+${n}\\s*(?::[^=\\n]+)?=|` +
        `^[ \\t]*(?:(?:public|private|protected|static|async|override|readonly)\\s+)*${n}\\s*(?:<[^>\\n]*>)?\\([^)]*\\)\\s*(?::[^{\\n]+)?\\{|` +
        `\\b${n}\\s*:\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|\\w+\\s*=>)|` +
        // class fields: `show = async (req, res) => {…}`
        `^[ \\t]*(?:(?:public|private|protected|static|readonly)\\s+)*${n}\\s*(?::[^=\\n]+)?=\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=\\n]+)?=>|\\w+\\s*=>)`,
      'gm',
    ),
  python: (n) => new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${n}\\s*\\(|^[ \\t]*class[ \\t]+${n}\\b`, 'gm'),
  go: (n) => new RegExp(`^func[ \\t]+(?:\\([^)]*\\)[ \\t]*)?${n}[ \\t]*[(\\[]`, 'gm'),
  cs: (n) => new RegExp(`^[ \\t]*(?:[\\w<>\\[\\],?.]+[ \\t]+)+${n}[ \\t]*(?:<[^>\\n]*>)?\\(`, 'gm'),
  java: (n) => new RegExp(`^[ \\t]*(?:[\\w<>\\[\\],?.]+[ \\t]+)+${n}[ \\t]*\\(|\\bfun[ \\t]+${n}[ \\t]*\\(`, 'gm'),
  php: (n) => new RegExp(`\\bfunction[ \\t]+${n}[ \\t]*\\(`, 'g'),
  ruby: (n) => new RegExp(`^[ \\t]*def[ \\t]+(?:self\\.)?${n}\\b`, 'gm'),
};

function skipBlanks(c: string, i: number): number {
  while (i < c.length && /\s/.test(c[i]!)) i++;
  return i;
}

/** `c[i]` is a quote: the index just past its string (single-line quotes stop at the end of the line). */
function skipString(c: string, i: number): number {
  const q = c.charCodeAt(i);
  for (let j = i + 1; j < c.length; j++) {
    const ch = c.charCodeAt(j);
    if (ch === BACKSLASH) j++;
    else if (ch === q) return j + 1;
    else if (ch === NEWLINE && q !== BT) return j;
  }
  return c.length;
}

function blanks(gap: string): string {
  return gap
    .split('\n')
    .map((line) => ' '.repeat(line.length))
    .join('\n');
}

/** Comments become spaces, newlines stay: offsets and line numbers are those of the original text. */
function maskComments(text: string, lang: Lang): string {
  const hash = HASH_COMMENTS.has(lang);
  const slash = SLASH_COMMENTS.has(lang);
  const triple = TRIPLE_QUOTES.has(lang);
  const chunks: string[] = [];
  let from = 0;
  const blank = (start: number, end: number) => {
    const gap = text.slice(start, end);
    chunks.push(text.slice(from, start), gap.includes('\n') ? blanks(gap) : ' '.repeat(gap.length));
    from = end;
  };
  const until = (needle: string, i: number, extra: number) => {
    const at = text.indexOf(needle, i);
    return at < 0 ? text.length : at + extra;
  };
  for (let i = 0; i < text.length;) {
    const ch = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (ch === DQ || ch === SQ || ch === BT) {
      if (triple && ch !== BT && next === ch && text.charCodeAt(i + 2) === ch) {
        const stop = until(text[i]!.repeat(3), i + 3, 3);
        blank(i, stop);
        i = stop;
      } else {
        i = skipString(text, i);
      }
    } else if ((slash && ch === SLASH && next === SLASH) || (hash && ch === HASH && !(lang === 'php' && next === BRACKET))) {
      const stop = until('\n', i, 0);
      blank(i, stop);
      i = stop;
    } else if (slash && ch === SLASH && next === STAR) {
      const stop = until('*/', i + 2, 2);
      blank(i, stop);
      i = stop;
    } else if (
      lang === 'ruby' &&
      ch === EQUALS &&
      (i === 0 || text.charCodeAt(i - 1) === NEWLINE) &&
      text.startsWith('=begin', i)
    ) {
      const stop = until('\n=end', i, 5);
      blank(i, stop);
      i = stop;
    } else {
      i++;
    }
  }
  chunks.push(text.slice(from));
  return chunks.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces of the extractors

function emit(out: RouteDefinition[], file: string, d: Omit<RouteDefinition, 'file' | 'route'> & { route: string }): void {
  const def: RouteDefinition = { route: normalizeRoute(d.route), file, line: d.line, framework: d.framework };
  if (d.method !== undefined) def.method = d.method.toUpperCase();
  if (d.handler !== undefined) def.handler = d.handler;
  if (d.partial) def.partial = true;
  if (d.target) def.target = d.target;
  out.push(def);
}

function joinPaths(...parts: string[]): string {
  return parts.filter((p) => p !== '' && p !== '/').join('/');
}

/** A handler argument that names a function (`show`, `orders.show`, `h.GetOrder`), unwrapped from `http.HandlerFunc(…)`. */
function handlerName(arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  const t = arg.text.replace(/^(?:http\.HandlerFunc|http\.Handler)\((.*)\)$/s, '$1').trim();
  return /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(t) ? t : undefined;
}

/** The handler's definition line when it is in this file, else the registration's. */
function handlerLine(src: Source, handler: string | undefined, registration: number): number {
  if (handler === undefined) return registration;
  const last = handler.slice(handler.lastIndexOf('.') + 1);
  return src.definitionLine(last) ?? registration;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Next.js: routes are files

/** The first `app` (optionally under `src`) folder; route groups `(x)` and parallel slots `@x` are not in the URL. */
const NEXT_APP_ROUTE = /^(?:.*?\/)?(?:src\/)?app\/((?:[^/]+\/)*)route\.(?:ts|js|mjs|tsx|jsx)$/;
const NEXT_PAGES_API = /^(?:.*?\/)?(?:src\/)?pages\/(api(?:\/[^/]+)*?)(?:\/index)?\.(?:ts|js|mjs|tsx|jsx)$/;

function nextRoutes(file: string, text: string, out: RouteDefinition[]): void {
  const app = NEXT_APP_ROUTE.exec(file);
  const pages = app ? undefined : NEXT_PAGES_API.exec(file);
  if (!app && !pages) return;
  const folders = (app ? app[1]! : pages![1]!).split('/').filter((s) => s !== '');
  // private folders (_x) are not routable
  if (folders.some((s) => s.startsWith('_'))) return;
  const route = '/' + folders.filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')).join('/');
  const src = new Source(file, 'js', text);
  if (app) {
    const found = new Map<string, number>();
    const verbs = HTTP_METHODS.join('|');
    const direct = new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\s+|(?:const|let|var)\\s+)(${verbs})\\b`, 'g');
    for (const m of src.code.matchAll(direct)) found.set(m[1]!, src.line(m.index + m[0].length - m[1]!.length));
    for (const m of src.code.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
      for (const spec of m[1]!.matchAll(new RegExp(`(?:(\\w+)\\s+as\\s+)?\\b(${verbs})\\b`, 'g'))) {
        const local = spec[1] ?? spec[2]!;
        found.set(spec[2]!, src.definitionLine(local) ?? src.line(m.index));
      }
    }
    for (const [method, line] of found) emit(out, file, { method, route, line, handler: method, framework: 'next' });
    return;
  }
  const def = /\bexport\s+default\s+(?:async\s+)?(?:function\b\s*(\w*)|(\w+))/.exec(src.code);
  if (!def) return;
  const name = def[1] || def[2];
  const line = (def[2] !== undefined ? src.definitionLine(def[2]) : undefined) ?? src.line(def.index);
  emit(out, file, { route, line, handler: name || 'default', framework: 'next' });
}

// ---------------------------------------------------------------------------------------------------------------
// Nest

function nestRoutes(src: Source, out: RouteDefinition[]): void {
  const controllers: { at: number; prefixes: string[]; name: string }[] = [];
  for (const m of src.code.matchAll(/@Controller\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const first = call.args[0];
    let prefixes = [''];
    if (first?.text.startsWith('{')) {
      const path = /\bpath\s*:\s*/.exec(first.text);
      if (path) prefixes = src.strings(first.start + path.index + path[0].length, first.end);
    } else if (first) {
      prefixes = src.strings(first.start, first.end);
    }
    const cls = /\bclass\s+(\w+)/.exec(src.code.slice(call.end));
    controllers.push({ at: m.index, prefixes, name: cls?.[1] ?? 'Controller' });
  }
  if (controllers.length === 0) return;
  const decorator = /@(Get|Post|Put|Delete|Patch|Options|Head|All)\s*\(/g;
  for (const m of src.code.matchAll(decorator)) {
    const controller = controllers.filter((c) => c.at < m.index).pop();
    const call = src.call(m.index + m[0].length - 1);
    if (!controller || !call) continue;
    const first = call.args[0];
    const paths = first ? src.strings(first.start, first.end) : [''];
    const member = memberAfter(src, call.end);
    if (!member) continue;
    const method = m[1] === 'All' ? undefined : m[1]!.toUpperCase();
    for (const prefix of controller.prefixes) {
      for (const path of paths) {
        emit(out, src.file, {
          method,
          route: joinPaths(prefix, path),
          line: src.line(member.at),
          handler: `${controller.name}.${member.name}`,
          framework: 'nest',
          // app.setGlobalPrefix and RouterModule add prefixes elsewhere
          partial: true,
        });
      }
    }
  }
}

interface Member {
  name: string;
  /** offset of the name */
  at: number;
  isClass: boolean;
}

/**
 * The declaration an annotation or attribute list ending at `from` belongs to: further annotations
 * (`@X(…)`, C# `[X(…)]`) and modifiers are skipped; a class (or Kotlin object) or the method name before `(`.
 */
function memberAfter(src: Source, from: number): Member | undefined {
  const c = src.code;
  let i = from;
  for (;;) {
    i = skipBlanks(c, i);
    if (c[i] === '@' || (src.lang === 'cs' && c[i] === '[')) {
      const name = /^@?\[?\s*[\w.]+\s*/.exec(c.slice(i, i + 200));
      if (!name) return undefined;
      i += name[0].length;
      if (c[i] === '(') {
        const close = src.close(i);
        if (close < 0) return undefined;
        i = close + 1;
      }
      if (src.lang === 'cs') {
        const close = c.indexOf(']', i);
        if (close < 0) return undefined;
        i = close + 1;
      }
      continue;
    }
    break;
  }
  const head = /^[^;{(=]*/.exec(c.slice(i, i + 500))![0];
  const cls = /\b(?:class|interface|object|record)\s+(\w+)/.exec(head);
  if (cls) return { name: cls[1]!, at: i + cls.index + cls[0].length - cls[1]!.length, isClass: true };
  if (c[i + head.length] !== '(') return undefined;
  const name = /(\w+)\s*(?:<[^<>]*>)?\s*$/.exec(head);
  if (!name) return undefined;
  return { name: name[1]!, at: i + name.index, isClass: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Express, Fastify, Koa-router, Hono

type JsRole = 'app' | 'router';

/** Receivers taken as routers without a declaration in the file: `api`, `client`, `http` are often HTTP clients. */
const UNDECLARED_ROUTER = /^(?:app|server|router|fastify|[a-z]\w*(?:Router|App))$/;
const JS_VERB = /(?:\bthis\s*\.\s*)?\b([A-Za-z_$][\w$]*)\s*\.\s*(get|post|put|delete|patch|options|head|all|route|use)\s*\(/g;

interface JsRegistration {
  receiver: string;
  method: string | undefined;
  path: string;
  line: number;
  handler: Arg | undefined;
}

function expressRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const framework = /['"](?:@koa\/router|koa-router|koa)['"]/.test(c)
    ? 'koa'
    : /['"]fastify['"]/.test(c)
      ? 'fastify'
      : /['"]hono['"]/.test(c)
        ? 'hono'
        : 'express';
  const declared = new Map<string, { role: JsRole; prefix: string }>();
  const factory =
    /(?:\b(?:const|let|var)\s+|\bthis\s*\.\s*)([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*(?:await\s+)?(?:new\s+)?([\w$.]+)\s*\(/g;
  for (const m of c.matchAll(factory)) {
    const callee = m[2]!.slice(m[2]!.lastIndexOf('.') + 1).toLowerCase();
    let role: JsRole | undefined;
    if (callee === 'router') role = 'router';
    else if (['express', 'fastify', 'hono', 'elysia', 'koa', 'polka'].includes(callee)) role = 'app';
    else if (callee === 'require' && /^\s*\(\s*['"]fastify['"]\s*\)\s*\(/.test(c.slice(m.index + m[0].length - 1))) role = 'app';
    if (!role) continue;
    const call = src.call(m.index + m[0].length - 1);
    const options = call?.args[0];
    const prefix = options && src.keyword(src.entries(options), 'prefix');
    declared.set(m[1]!, { role, prefix: (prefix && src.string(prefix.start)?.value) ?? '' });
  }
  const eligible = (name: string) => declared.has(name) || UNDECLARED_ROUTER.test(name);

  const registrations: JsRegistration[] = [];
  const mounts: { parent: string; child: string; path: string }[] = [];
  for (const m of c.matchAll(JS_VERB)) {
    const receiver = m[1]!;
    const verb = m[2]!;
    if (!eligible(receiver)) continue;
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const [first, second] = call.args;
    const path = first ? src.string(first.start) : undefined;
    const line = src.line(m.index + m[0].length - verb.length - 1);
    if (verb === 'use') {
      for (const a of path ? call.args.slice(1) : call.args) {
        const child = /^([A-Za-z_$][\w$]*)(?:\.routes\(\))?$/.exec(a.text)?.[1];
        if (child && eligible(child)) mounts.push({ parent: receiver, child, path: path?.value ?? '' });
      }
      continue;
    }
    if (verb === 'route') {
      if (first?.text.startsWith('{')) {
        registrations.push(...fastifyRoute(src, receiver, first, line));
      } else if (path && second) {
        // Hono: app.route('/api', api)
        const child = /^[A-Za-z_$][\w$]*$/.exec(second.text)?.[0];
        if (child) mounts.push({ parent: receiver, child, path: path.value });
      } else if (path) {
        // Express: app.route('/x').get(h).post(h)
        const chain = /\s*\.\s*(get|post|put|delete|patch|options|head|all)\s*\(/y;
        let at = call.end;
        for (;;) {
          chain.lastIndex = at;
          const link = chain.exec(c);
          if (!link) break;
          const linkCall = src.call(at + link[0].length - 1);
          if (!linkCall) break;
          registrations.push({
            receiver,
            method: link[1] === 'all' ? undefined : link[1],
            path: path.value,
            line: src.line(at + link[0].indexOf(link[1]!)),
            handler: linkCall.args[linkCall.args.length - 1],
          });
          at = linkCall.end;
        }
      }
      continue;
    }
    if (!path || !/^[/*]/.test(path.value) || call.args.length < 2) continue;
    registrations.push({
      receiver,
      method: verb === 'all' ? undefined : verb,
      path: path.value,
      line,
      handler: call.args[call.args.length - 1],
    });
  }

  const prefixes = (name: string, seen: Set<string>): { prefix: string; partial: boolean }[] => {
    const own = declared.get(name);
    const parents = mounts.filter((mt) => mt.child === name && !seen.has(mt.parent));
    if (parents.length === 0) {
      const role = own?.role ?? (/^(?:app|server)$/.test(name) ? 'app' : 'router');
      return [{ prefix: own?.prefix ?? '', partial: role === 'router' }];
    }
    const next = new Set(seen).add(name);
    return parents.flatMap((mt) =>
      prefixes(mt.parent, next).map((p) => ({ prefix: joinPaths(p.prefix, mt.path, own?.prefix ?? ''), partial: p.partial })),
    );
  };
  for (const r of registrations) {
    const handler = handlerName(r.handler);
    const line = handlerLine(src, handler, r.line);
    for (const p of prefixes(r.receiver, new Set())) {
      emit(out, src.file, {
        method: r.method,
        route: joinPaths(p.prefix, r.path),
        line,
        handler,
        framework,
        partial: p.partial,
      });
    }
  }
}

/** `fastify.route({ method: ['GET', 'HEAD'], url: '/x', handler })` */
function fastifyRoute(src: Source, receiver: string, obj: Arg, line: number): JsRegistration[] {
  const entries = src.entries(obj);
  const url = src.keyword(entries, 'url') ?? src.keyword(entries, 'path');
  const path = url && src.string(url.start);
  if (!path) return [];
  const method = src.keyword(entries, 'method');
  const methods = method ? src.strings(method.start, method.end) : [];
  const handler = src.keyword(entries, 'handler');
  return (methods.length > 0 ? methods : [undefined]).map((m) => ({ receiver, method: m, path: path.value, line, handler }));
}

// ---------------------------------------------------------------------------------------------------------------
// Flask and FastAPI

const PY_DECORATOR = /@[ \t]*(\w+)\.(route|get|post|put|delete|patch|head|options|api_route)[ \t]*\(/g;
const PY_UNDECLARED = /^(?:app|api|bp|blueprint|router|\w+_(?:bp|blueprint|router|api))$/;

function pythonDecoratorRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const framework = /^\s*(?:from|import)\s+fastapi\b/m.test(c) ? 'fastapi' : 'flask';
  const declared = new Map<string, { role: JsRole; prefix: string }>();
  for (const m of c.matchAll(
    /^[ \t]*(\w+)[ \t]*(?::[^=\n]+)?=[ \t]*(?:[\w.]+\.)?(Flask|Blueprint|FastAPI|APIRouter)[ \t]*\(/gm,
  )) {
    const call = src.call(m.index + m[0].length - 1);
    const prefix = call && (src.keyword(call, 'url_prefix') ?? src.keyword(call, 'prefix'));
    const role = m[2] === 'Flask' || m[2] === 'FastAPI' ? 'app' : 'router';
    declared.set(m[1]!, { role, prefix: (prefix && src.string(prefix.start)?.value) ?? '' });
  }
  const mounts: { parent: string; child: string; path: string }[] = [];
  for (const m of c.matchAll(/\b(\w+)\.(register_blueprint|include_router)[ \t]*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const child = call?.args[0]?.text.split('.').pop();
    if (!call || !child) continue;
    const prefix = src.keyword(call, 'url_prefix') ?? src.keyword(call, 'prefix');
    mounts.push({ parent: m[1]!, child, path: (prefix && src.string(prefix.start)?.value) ?? '' });
  }
  const prefixes = (name: string, depth: number): { prefix: string; partial: boolean }[] => {
    const own = declared.get(name);
    const parents = depth > 8 ? [] : mounts.filter((mt) => mt.child === name);
    if (parents.length === 0) {
      const role = own?.role ?? (name === 'app' ? 'app' : 'router');
      return [{ prefix: own?.prefix ?? '', partial: role === 'router' }];
    }
    // a prefix given at registration replaces the blueprint's own in Flask, and adds to it in FastAPI
    return parents.flatMap((mt) =>
      prefixes(mt.parent, depth + 1).map((p) => ({
        prefix: joinPaths(p.prefix, framework === 'flask' && mt.path !== '' ? mt.path : joinPaths(mt.path, own?.prefix ?? '')),
        partial: p.partial,
      })),
    );
  };

  const register = (receiver: string, methods: (string | undefined)[], path: string, line: number, handler?: string) => {
    for (const p of prefixes(receiver, 0)) {
      for (const method of methods) {
        emit(out, src.file, { method, route: joinPaths(p.prefix, path), line, handler, framework, partial: p.partial });
      }
    }
  };

  for (const m of c.matchAll(PY_DECORATOR)) {
    const receiver = m[1]!;
    if (!declared.has(receiver) && !PY_UNDECLARED.test(receiver)) continue;
    const call = src.call(m.index + m[0].length - 1);
    const first = call?.args[0];
    const path = first && src.string(first.start);
    if (!call || !path) continue;
    const verb = m[2]!;
    let methods: (string | undefined)[];
    if (verb === 'route' || verb === 'api_route') {
      const listed = src.keyword(call, 'methods');
      methods = listed ? src.strings(listed.start, listed.end).map((s) => s.toUpperCase()) : ['GET'];
    } else {
      methods = [verb.toUpperCase()];
    }
    // the decorated function: only further decorators may come between
    const def = /^[^\S\n]*\n\s*(?:@[^\n]*\n\s*)*(?:async\s+)?def\s+(\w+)/.exec(c.slice(call.end));
    const line = def ? src.line(call.end + def.index + def[0].length - def[1]!.length) : src.line(m.index);
    register(receiver, methods.length > 0 ? methods : ['GET'], path.value, line, def?.[1]);
  }

  for (const m of c.matchAll(/\b(\w+)\.add_url_rule[ \t]*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const view = src.keyword(call, 'view_func') ?? call.args.filter((a) => !/^\w+\s*=/.test(a.text))[2];
    const listed = src.keyword(call, 'methods');
    const methods = listed ? src.strings(listed.start, listed.end).map((s) => s.toUpperCase()) : ['GET'];
    const handler = handlerName(view);
    register(m[1]!, methods, path.value, handlerLine(src, handler, src.line(m.index)), handler);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Django

function djangoRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  if (!/\burlpatterns\b/.test(c)) return;
  const dir = src.file.includes('/') ? src.file.slice(0, src.file.lastIndexOf('/')) : '';
  const imports = pythonImports(c);
  for (const m of c.matchAll(/\b(path|re_path|url)[ \t]*\(/g)) {
    if (m.index > 0 && c[m.index - 1] === '.') continue;
    const call = src.call(m.index + m[0].length - 1);
    const [first, view] = call?.args ?? [];
    const route = first && src.string(first.start);
    if (!route || !view || /^include\s*\(/.test(view.text)) continue;
    const expr = view.text.replace(/\.as_view\s*\([\s\S]*\)$/, '');
    if (!/^\w+(?:\.\w+)*$/.test(expr)) continue;
    const parts = expr.split('.');
    const symbol = parts[parts.length - 1]!;
    const def: Parameters<typeof emit>[2] = {
      route: route.value,
      line: src.line(m.index),
      handler: expr,
      framework: 'django',
      partial: true,
    };
    const local = parts.length === 1 ? src.definitionLine(symbol) : undefined;
    const module = viewModule(parts, imports);
    if (local !== undefined) def.line = local;
    else if (module !== undefined) def.target = { files: moduleFiles(dir, module), symbol };
    emit(out, src.file, def);
  }
}

/** A local name's origin: `from module import name [as local]`, or `import module [as local]` (no name). */
interface PythonImport {
  module: string;
  name?: string;
}

function pythonImports(code: string): Map<string, PythonImport> {
  const map = new Map<string, PythonImport>();
  for (const m of code.matchAll(/^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]+\(?([^)]+?)\)?[ \t]*$/gm)) {
    for (const spec of m[2]!.split(',')) {
      const [name, alias] = spec.trim().split(/\s+as\s+/);
      if (name) map.set((alias ?? name).trim(), { module: m[1]!, name });
    }
  }
  for (const m of code.matchAll(/^[ \t]*import[ \t]+([\w.]+)(?:[ \t]+as[ \t]+(\w+))?/gm)) {
    map.set(m[2] ?? m[1]!.split('.')[0]!, { module: m[2] ? m[1]! : m[1]!.split('.')[0]! });
  }
  return map;
}

/** The module a view expression's function lives in: `views.detail` → ".views" after `from . import views`. */
function viewModule(parts: string[], imports: Map<string, PythonImport>): string | undefined {
  const join = (a: string, b: string) => (a.endsWith('.') ? a + b : `${a}.${b}`);
  const head = imports.get(parts[0]!);
  if (parts.length === 1) return head?.name !== undefined ? head.module : undefined;
  const middle = parts.slice(1, -1);
  const base = head === undefined ? parts[0]! : head.name !== undefined ? join(head.module, head.name) : head.module;
  return middle.reduce(join, base);
}

/** Files a module may be, relative to the urls.py folder for relative imports, else in that same app folder. */
function moduleFiles(dir: string, module: string): string[] {
  let base: string;
  const dots = /^\.*/.exec(module)![0].length;
  if (dots > 0) {
    const up = dir.split('/').filter((s) => s !== '');
    up.splice(up.length - (dots - 1), dots - 1);
    base = joinPaths(up.join('/'), module.slice(dots).split('.').join('/'));
  } else {
    base = joinPaths(dir, module.split('.').pop()!);
  }
  return [`${base}.py`, `${base}/__init__.py`];
}

// ---------------------------------------------------------------------------------------------------------------
// Spring (Java and Kotlin)

const SPRING_MAPPING = /@(RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping)\b/g;

function springRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  // Feign clients and HTTP interfaces use the same annotations for calls going out
  if (/@FeignClient\b/.test(c)) return;
  const classPrefixes = new Map<string, string[]>();
  const methods: { at: number; annotation: string; call?: Call; member: Member }[] = [];
  for (const m of c.matchAll(SPRING_MAPPING)) {
    let end = m.index + m[0].length;
    const open = skipBlanks(c, end);
    const call = c[open] === '(' ? src.call(open) : undefined;
    if (call) end = call.end;
    const member = memberAfter(src, end);
    if (!member) continue;
    if (member.isClass) classPrefixes.set(member.name, springPaths(src, call));
    else methods.push({ at: m.index, annotation: m[1]!, call, member });
  }
  const classes = [...c.matchAll(/\b(?:class|interface|object)\s+(\w+)/g)].map((m) => ({ at: m.index, name: m[1]! }));
  for (const { at, annotation, call, member } of methods) {
    const cls = classes.filter((k) => k.at < at).pop()?.name ?? '';
    let verbs: (string | undefined)[] = [annotation.replace('Mapping', '').toUpperCase()];
    if (annotation === 'RequestMapping') {
      const listed = call && src.keyword(call, 'method');
      const named = listed
        ? [...listed.text.matchAll(/\b(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|TRACE)\b/g)].map((v) => v[1]!)
        : [];
      verbs = named.length > 0 ? named : [undefined];
    }
    for (const prefix of classPrefixes.get(cls) ?? ['']) {
      for (const path of springPaths(src, call)) {
        for (const method of verbs) {
          emit(out, src.file, {
            method,
            route: joinPaths(prefix, path),
            line: src.line(member.at),
            handler: `${cls}.${member.name}`,
            framework: 'spring',
          });
        }
      }
    }
  }
}

/** `("/x")`, `(value = "/x")`, `(path = {"/a", "/b"})`, `(["/a"])` (Kotlin); [''] when none. */
function springPaths(src: Source, call: Call | undefined): string[] {
  if (!call) return [''];
  const named = src.keyword(call, 'value') ?? src.keyword(call, 'path');
  const positional = call.args.find((a) => !/^\w+\s*=/.test(a.text));
  const arg = named ?? positional;
  const paths = arg ? src.strings(arg.start, arg.end) : [];
  return paths.length > 0 ? paths : [''];
}

// ---------------------------------------------------------------------------------------------------------------
// ASP.NET Core

const ASPNET_ATTRIBUTE = /[[,]\s*(Http(Get|Post|Put|Delete|Patch|Head|Options)|Route|AcceptVerbs)(?:Attribute)?\b/g;

function aspNetControllerRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  interface Decl {
    member: Member;
    verbs: string[];
    templates: string[];
    routeTemplates: string[];
  }
  const decls = new Map<number, Decl>();
  for (const m of c.matchAll(ASPNET_ATTRIBUTE)) {
    let end = m.index + m[0].length;
    const open = skipBlanks(c, end);
    const call = c[open] === '(' ? src.call(open) : undefined;
    if (call) end = call.end;
    const close = c.indexOf(']', end);
    if (close < 0) continue;
    const member = memberAfter(src, close + 1);
    if (!member) continue;
    let d = decls.get(member.at);
    if (!d) decls.set(member.at, (d = { member, verbs: [], templates: [], routeTemplates: [] }));
    const first = call?.args.find((a) => !/^\w+\s*=/.test(a.text));
    const template = first && src.string(first.start)?.value;
    if (m[1] === 'Route') {
      if (template !== undefined) d.routeTemplates.push(template);
    } else if (m[1] === 'AcceptVerbs') {
      d.verbs.push(...(call ? call.args.flatMap((a) => src.strings(a.start, a.end)) : []).map((v) => v.toUpperCase()));
    } else {
      d.verbs.push(m[2]!.toUpperCase());
      if (template !== undefined) d.templates.push(template);
    }
  }
  const classes = [...decls.values()].filter((d) => d.member.isClass).sort((a, b) => a.member.at - b.member.at);
  // in a controller with a [Route], a public method without attributes is an action too, for any verb
  for (const cls of classes) {
    if (cls.routeTemplates.length === 0) continue;
    const open = c.indexOf('{', cls.member.at);
    const close = open < 0 ? -1 : src.close(open);
    if (close < 0) continue;
    const body = c.slice(open, close);
    for (const m of body.matchAll(
      /^[ \t]*public[ \t]+(?:(?:async|virtual|override|new)[ \t]+)*[\w<>[\],?. ]+?[ \t]+(\w+)[ \t]*\(/gm,
    )) {
      const name = m[1]!;
      const at = open + m.index + m[0].lastIndexOf(name);
      const before = c.slice(Math.max(open, c.lastIndexOf('\n', c.lastIndexOf('\n', at) - 1)), at);
      if (decls.has(at) || name === cls.member.name || /\[\s*NonAction\b/.test(before) || /\b(?:class|static)\b/.test(m[0]))
        continue;
      decls.set(at, { member: { name, at, isClass: false }, verbs: [], templates: [], routeTemplates: [] });
    }
  }
  const classAt = [...c.matchAll(/\bclass\s+(\w+)/g)].map((m) => ({ at: m.index, name: m[1]! }));
  for (const d of decls.values()) {
    if (d.member.isClass) continue;
    const clsName = classAt.filter((k) => k.at < d.member.at).pop()?.name ?? '';
    const cls = classes.filter((k) => k.member.name === clsName).pop();
    const controller = clsName.replace(/Controller$/, '');
    const tokens = (t: string) =>
      t
        .replace(/\[controller\]/gi, controller)
        .replace(/\[action\]/gi, d.member.name)
        .replace(/\[area\]/gi, '');
    const prefixes = cls && cls.routeTemplates.length > 0 ? cls.routeTemplates : [''];
    const templates = [...d.templates, ...d.routeTemplates];
    for (const template of templates.length > 0 ? templates : ['']) {
      const absolute = /^~?\//.test(template);
      for (const prefix of absolute ? [''] : prefixes) {
        for (const method of d.verbs.length > 0 ? d.verbs : [undefined]) {
          emit(out, src.file, {
            method,
            route: tokens(joinPaths(prefix, template.replace(/^~/, ''))),
            line: src.line(d.member.at),
            handler: `${clsName}.${d.member.name}`,
            framework: 'aspnet',
          });
        }
      }
    }
  }
}

function aspNetMinimalRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const groups = new Map<string, { parent: string; path: string }>();
  for (const m of c.matchAll(/\b(?:var|RouteGroupBuilder)\s+(\w+)\s*=\s*(\w+)\s*\.\s*MapGroup\s*\(/g)) {
    const path = src.string(m.index + m[0].length);
    if (path) groups.set(m[1]!, { parent: m[2]!, path: path.value });
  }
  const prefix = (name: string, depth: number): string => {
    const g = groups.get(name);
    return g && depth < 8 ? joinPaths(prefix(g.parent, depth + 1), g.path) : '';
  };
  for (const m of c.matchAll(/\b(\w+)\s*\.\s*Map(Get|Post|Put|Delete|Patch|Methods)\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    if (!call || !path) continue;
    const methods: (string | undefined)[] =
      m[2] === 'Methods' && call.args[1]
        ? src.strings(call.args[1].start, call.args[1].end).map((v) => v.toUpperCase())
        : [m[2]!.toUpperCase()];
    const handler = handlerName(call.args[call.args.length - 1]);
    const line = handlerLine(src, handler, src.line(m.index + m[0].indexOf('Map')));
    for (const method of methods) {
      emit(out, src.file, { method, route: joinPaths(prefix(m[1]!, 0), path.value), line, handler, framework: 'aspnet' });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Go: net/http (1.22 patterns), gorilla/mux, gin, echo, chi, fiber

interface GoScope {
  start: number;
  end: number;
  /** the router parameter inside a chi `Route` closure */
  param?: string;
  /** the receiver `Route` or `Mount` was called on, and where */
  receiver: string;
  at: number;
  path: string;
}

function goRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const framework = /"github\.com\/gin-gonic\/gin"/.test(c)
    ? 'gin'
    : /"github\.com\/labstack\/echo/.test(c)
      ? 'echo'
      : /"github\.com\/go-chi\/chi/.test(c)
        ? 'chi'
        : /"github\.com\/gofiber\/fiber/.test(c)
          ? 'fiber'
          : /"github\.com\/gorilla\/mux"/.test(c)
            ? 'gorilla'
            : 'go';
  // top-level functions, for "same function" group resolution and Mount targets
  const funcs: { name: string; start: number; end: number; params: string }[] = [];
  for (const m of c.matchAll(/^func[ \t]+(?:\([^)]*\)[ \t]*)?(\w+)[ \t]*(?:\[[^\]]*\])?\(([^)]*)\)[^\n{]*\{/gm)) {
    const open = m.index + m[0].length - 1;
    const close = src.close(open);
    funcs.push({ name: m[1]!, start: open, end: close < 0 ? c.length : close, params: m[2]! });
  }
  const funcAt = (pos: number) => funcs.find((f) => f.start <= pos && pos <= f.end);

  const scopes: GoScope[] = [];
  for (const m of c.matchAll(/\b(\w+)\s*\.\s*Route\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    const fn = call?.args[1] && /^func\s*\(\s*(\w+)/.exec(call.args[1].text);
    if (!call || !path || !fn) continue;
    const open = c.indexOf('{', call.args[1]!.start);
    scopes.push({ start: open, end: src.close(open), param: fn[1]!, receiver: m[1]!, at: m.index, path: path.value });
  }
  for (const m of c.matchAll(/\b(\w+)\s*\.\s*Mount\s*\(/g)) {
    const call = src.call(m.index + m[0].length - 1);
    const path = call?.args[0] && src.string(call.args[0].start);
    const target = call?.args[1] && /(\w+)\s*\(\s*\)$/.exec(call.args[1].text);
    const fn = target && funcs.find((f) => f.name === target[1]);
    if (path && fn) scopes.push({ start: fn.start, end: fn.end, receiver: m[1]!, at: m.index, path: path.value });
  }
  const groups: { name: string; parent: string; at: number; path: string }[] = [];
  for (const m of c.matchAll(/\b(\w+)\s*:?=\s*(\w+)\s*\.\s*(?:Group|PathPrefix)\s*\(/g)) {
    const path = src.string(m.index + m[0].length);
    if (path) groups.push({ name: m[1]!, parent: m[2]!, at: m.index, path: path.value });
  }

  const prefixOf = (name: string, pos: number, depth: number): { prefix: string; partial: boolean } => {
    if (depth > 16) return { prefix: '', partial: true };
    const fn = funcAt(pos);
    const closure = scopes.filter((s) => s.param === name && s.start < pos && pos < s.end).pop();
    if (closure) {
      const outer = prefixOf(closure.receiver, closure.at, depth + 1);
      return { prefix: joinPaths(outer.prefix, closure.path), partial: outer.partial };
    }
    const group = groups.filter((g) => g.name === name && g.at < pos && (!fn || (fn.start <= g.at && g.at <= fn.end))).pop();
    if (group) {
      const outer = prefixOf(group.parent, group.at, depth + 1);
      return { prefix: joinPaths(outer.prefix, group.path), partial: outer.partial };
    }
    const mount = fn && scopes.find((s) => s.param === undefined && s.start === fn.start);
    if (mount) {
      const outer = prefixOf(mount.receiver, mount.at, depth + 1);
      return { prefix: joinPaths(outer.prefix, mount.path), partial: outer.partial };
    }
    // a router group handed in as a parameter was made, and maybe prefixed, elsewhere; a whole engine was not
    const param = fn && new RegExp(`(?:^|,)\\s*${name}\\s+([^,]+)`).exec(fn.params);
    return { prefix: '', partial: !!param && !/\b(?:gin\.Engine|echo\.Echo|fiber\.App|http\.ServeMux)\b/.test(param[1]!) };
  };

  const register = (receiver: string, at: number, method: string | undefined, pattern: string, call: Call, line: number) => {
    let path = pattern;
    let verb = method;
    const spaced = /^([A-Z]+)\s+(.*)$/.exec(path);
    if (spaced) [verb, path] = [spaced[1], spaced[2]!];
    // net/http host patterns: "api.example.com/orders"
    if (path !== '' && !path.startsWith('/')) {
      const host = /^[\w-]+(?:\.[\w-]+)+(?::\d+)?(?=\/)/.exec(path);
      if (!host) return;
      path = path.slice(host[0].length);
    }
    const handler = handlerName(call.args[call.args.length - 1]);
    const { prefix, partial } = prefixOf(receiver, at, 0);
    const gorilla = /^\s*\.\s*Methods\s*\(/.exec(c.slice(call.end, call.end + 100));
    const gorillaCall = gorilla ? src.call(call.end + gorilla[0].length - 1) : undefined;
    const verbs = gorillaCall ? gorillaCall.args.flatMap((a) => src.strings(a.start, a.end)) : [verb];
    for (const v of verbs) {
      emit(out, src.file, {
        method: v,
        route: joinPaths(prefix, path),
        line: handlerLine(src, handler, line),
        handler,
        framework,
        partial,
      });
    }
  };

  const verbs =
    /\b(\w+)\s*\.\s*(HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options|Connect|Trace|All|Method|MethodFunc)\s*\(/g;
  for (const m of c.matchAll(verbs)) {
    const name = m[2]!;
    const call = src.call(m.index + m[0].length - 1);
    if (!call || call.args.length < 2) continue;
    const line = src.line(m.index + m[0].indexOf(name));
    const first = src.string(call.args[0]!.start);
    if (!first) continue;
    if (name === 'Method' || name === 'MethodFunc' || (name === 'Handle' && /^[A-Z]+$/.test(first.value))) {
      // chi r.Method("GET", "/x", h); gin r.Handle("GET", "/x", h)
      const path = call.args.length >= 3 ? src.string(call.args[1]!.start) : undefined;
      if (path) register(m[1]!, m.index, first.value, path.value, call, line);
      continue;
    }
    const verb = name === 'HandleFunc' || name === 'Handle' || name === 'Any' || name === 'All' ? undefined : name.toUpperCase();
    // gin and echo accept "" for a group's own path
    if (verb !== undefined && first.value !== '' && !first.value.startsWith('/')) continue;
    register(m[1]!, m.index, verb, first.value, call, line);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rails

const RAILS_ROUTES_FILE = /(?:^|\/)config\/routes(?:\/[^/]+)*\.rb$|(?:^|\/)routes\.rb$/;

/** The seven standard actions (update answers PATCH and PUT); paths relative to the collection. */
const RAILS_ACTIONS: readonly [action: string, method: string, plural: string, singular: string][] = [
  ['index', 'GET', '', ''],
  ['create', 'POST', '', ''],
  ['new', 'GET', '/new', '/new'],
  ['edit', 'GET', '/:id/edit', '/edit'],
  ['show', 'GET', '/:id', ''],
  ['update', 'PATCH', '/:id', ''],
  ['update', 'PUT', '/:id', ''],
  ['destroy', 'DELETE', '/:id', ''],
];

interface RailsFrame {
  /** URL prefix for routes inside the block */
  path: string;
  /** controller module path: `admin/` */
  module: string;
  /** inside resources: their controller, and the member / collection / nested bases */
  controller?: string;
  member?: string;
  collection?: string;
  nested?: string;
  on?: 'member' | 'collection';
}

function railsRoutes(src: Source, out: RouteDefinition[]): void {
  const root = src.file.replace(/(?:^|\/)config\/routes(?:\/[^/]+)*\.rb$|(?:^|\/)routes\.rb$/, (m) =>
    m.startsWith('/') ? '/' : '',
  );
  const stack: RailsFrame[] = [{ path: '', module: '' }];
  const lines = src.code.split('\n');
  const handler = (module: string, to: string, line: number): Pick<RouteDefinition, 'handler' | 'target'> & { line: number } => {
    const [controller, action] = to.split('#');
    if (!controller || !action) return { line };
    const path = module + controller;
    const cls = path
      .split('/')
      .map((p) => p.replace(/(?:^|_)([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase()))
      .join('::');
    return {
      handler: `${cls}Controller#${action}`,
      target: { files: [`${root}app/controllers/${path}_controller.rb`], symbol: action },
      line,
    };
  };
  const add = (method: string | undefined, route: string, line: number, to: string | undefined, module: string) => {
    emit(out, src.file, { method, route, framework: 'rails', ...(to ? handler(module, to, line) : { line }) });
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    const top = stack[stack.length - 1]!;
    const opens = /\bdo(?:\s*\|[^|]*\|)?$/.test(text);
    if (/^end\b/.test(text)) {
      if (stack.length > 1) stack.pop();
      return;
    }
    // `if … end` and friends close with `end` too
    if (/^(?:if|unless|case|begin|while|until|def|class|module)\b/.test(text) && !/\bend$/.test(text)) {
      stack.push({ ...top });
      return;
    }
    const word = /^(\w+)\b\s*\(?\s*(.*?)\s*\)?(?:\s+do(?:\s*\|[^|]*\|)?)?$/.exec(text);
    if (!word) {
      if (opens) stack.push({ ...top });
      return;
    }
    const [, keyword, rest = ''] = word;
    const sym = (name: string) => new RegExp(`\\b${name}:\\s*(?::(\\w+)|['"]([^'"]*)['"])`).exec(rest);
    const option = (name: string) => {
      const o = sym(name);
      return o ? (o[1] ?? o[2]) : undefined;
    };
    switch (keyword) {
      case 'namespace': {
        const name = /^:(\w+)|^['"]([^'"]+)['"]/.exec(rest);
        const n = name ? (name[1] ?? name[2]!) : '';
        if (opens) stack.push({ path: joinPaths(top.path, option('path') ?? n), module: `${top.module}${n}/` });
        return;
      }
      case 'scope': {
        const positional = /^['"]([^'"]*)['"]|^:(\w+)/.exec(rest);
        const module = option('module');
        const path = option('path') ?? (positional ? (positional[1] ?? positional[2]) : undefined) ?? '';
        if (opens) stack.push({ path: joinPaths(top.path, path), module: module ? `${top.module}${module}/` : top.module });
        return;
      }
      case 'resources':
      case 'resource': {
        const singular = keyword === 'resource';
        const names = [...rest.replace(/\b\w+:.*$/, '').matchAll(/:(\w+)/g)].map((n) => n[1]!);
        const only = /\bonly:\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+)/.exec(rest);
        const except = /\bexcept:\s*(\[[^\]]*\]|%i\[[^\]]*\]|:\w+)/.exec(rest);
        const list = (m: RegExpExecArray | null) => (m ? new Set(m[1]!.match(/\w+/g)!.filter((w) => w !== 'i')) : undefined);
        const keep = list(only);
        const drop = list(except);
        let frame: RailsFrame | undefined;
        for (const name of names) {
          const base = joinPaths(top.nested ?? top.path, option('path') ?? name);
          const controller = option('controller') ?? (singular ? `${name}s` : name);
          const module = option('module') ? `${top.module}${option('module')}/` : top.module;
          for (const [action, method, pluralPath, singularPath] of RAILS_ACTIONS) {
            if ((singular && action === 'index') || keep?.has(action) === false || drop?.has(action)) continue;
            add(method, base + (singular ? singularPath : pluralPath), line, `${controller}#${action}`, module);
          }
          const param = `:${name.replace(/s$/, '')}_id`;
          frame = {
            path: top.path,
            module,
            controller,
            member: singular ? base : `${base}/:id`,
            collection: base,
            nested: singular ? base : `${base}/${param}`,
          };
        }
        if (opens) stack.push(frame ?? { ...top });
        return;
      }
      case 'member':
      case 'collection':
        if (opens) stack.push({ ...top, on: keyword });
        return;
      case 'root': {
        const to = option('to') ?? /^['"]([^'"]+#[^'"]+)['"]/.exec(rest)?.[1];
        add('GET', top.path, line, to, top.module);
        return;
      }
      case 'get':
      case 'post':
      case 'put':
      case 'patch':
      case 'delete':
      case 'match': {
        const arrow = /^['"]([^'"]*)['"]\s*=>\s*['"]([^'"]+)['"]/.exec(rest);
        const path = arrow?.[1] ?? /^['"]([^'"]*)['"]/.exec(rest)?.[1];
        const symbol = /^:(\w+)/.exec(rest)?.[1];
        let to = arrow?.[2] ?? option('to');
        const controllerOpt = option('controller');
        const actionOpt = option('action');
        if (!to && controllerOpt && actionOpt) to = `${controllerOpt}#${actionOpt}`;
        const via = /\bvia:\s*(\[[^\]]*\]|:\w+)/.exec(rest);
        const methods = keyword === 'match' ? (via ? via[1]!.match(/\w+/g)!.filter((v) => v !== 'all') : []) : [keyword];
        let route: string;
        const on = option('on') ?? top.on;
        if (top.controller && (symbol !== undefined || (path !== undefined && !path.startsWith('/')))) {
          const name = symbol ?? path!;
          const base = on === 'member' ? top.member! : on === 'collection' ? top.collection! : top.nested!;
          route = joinPaths(base, name);
          if (!to && symbol !== undefined) to = `${top.controller}#${symbol}`;
        } else if (path !== undefined) {
          route = joinPaths(top.path, path);
          // `get 'photos/search'` routes to photos#search
          const inferred = /^\/?([a-z_]+)\/([a-z_]+)$/.exec(path);
          if (!to && inferred) to = `${inferred[1]}#${inferred[2]}`;
        } else {
          return;
        }
        for (const method of methods.length > 0 ? methods : [undefined]) add(method, route, line, to, top.module);
        if (opens) stack.push({ ...top });
        return;
      }
      default:
        if (opens) stack.push({ ...top });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Laravel

const LARAVEL_VERB = /(?:Route::|->)\s*(get|post|put|patch|delete|options|any|match|resource|apiResource)\s*\(/g;
const LARAVEL_RESOURCE: readonly [action: string, method: string, path: string, api: boolean][] = [
  ['index', 'GET', '', true],
  ['create', 'GET', '/create', false],
  ['store', 'POST', '', true],
  ['show', 'GET', '/{id}', true],
  ['edit', 'GET', '/{id}/edit', false],
  ['update', 'PUT', '/{id}', true],
  ['update', 'PATCH', '/{id}', true],
  ['destroy', 'DELETE', '/{id}', true],
];

interface LaravelScope {
  start: number;
  end: number;
  prefix: string;
  controller?: string;
  namespace?: string;
}

function laravelRoutes(src: Source, out: RouteDefinition[]): void {
  const c = src.code;
  const routesDir = /(?:^|\/)routes\/[^/]+\.php$/.exec(src.file);
  const root = routesDir ? src.file.slice(0, routesDir.index + (routesDir[0].startsWith('/') ? 1 : 0)) : '';
  // RouteServiceProvider (Laravel ≤ 10) and bootstrap/app.php (11+) serve routes/api.php under /api
  const base = /(?:^|\/)routes\/api\.php$/.test(src.file) ? 'api' : '';
  const uses = new Map<string, string>();
  for (const m of c.matchAll(/^[ \t]*use[ \t]+\\?([\w\\]+)(?:[ \t]+as[ \t]+(\w+))?[ \t]*;/gm)) {
    uses.set(m[2] ?? m[1]!.split('\\').pop()!, m[1]!);
  }

  const boundaries = src.statementBoundaries();
  const startsWithRoute = (from: number, to: number) => /^\s*(?:<\?php\b\s*)?Route::/.test(c.slice(from, to));
  const statementStart = (pos: number) => {
    let lo = 0;
    let hi = boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (boundaries[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return boundaries[lo]!;
  };
  const scopes: LaravelScope[] = [];
  for (const m of c.matchAll(/(?:Route::|->)\s*group\s*\(/g)) {
    const start = statementStart(m.index);
    const chain = c.slice(start, m.index);
    if (!startsWithRoute(start, m.index + m[0].length)) continue;
    const call = src.call(m.index + m[0].length - 1);
    const closure = call?.args.find((a) => /^(?:static\s+)?function\b/.test(a.text));
    if (!call || !closure) continue;
    const open = c.indexOf('{', closure.start);
    const scope: LaravelScope = { start: open, end: src.close(open), prefix: '' };
    const prefix =
      /->\s*prefix\s*\(\s*['"]([^'"]*)['"]|Route::prefix\s*\(\s*['"]([^'"]*)['"]|['"]prefix['"]\s*=>\s*['"]([^'"]*)['"]/.exec(
        chain + (call.args[0]?.text ?? ''),
      );
    if (prefix) scope.prefix = prefix[1] ?? prefix[2] ?? prefix[3] ?? '';
    const controller = /controller\s*\(\s*([\w\\]+)::class/.exec(chain);
    if (controller) scope.controller = controller[1];
    const namespace = /['"]namespace['"]\s*=>\s*['"]([^'"]*)['"]|namespace\s*\(\s*['"]([^'"]*)['"]/.exec(
      chain + (call.args[0]?.text ?? ''),
    );
    if (namespace) scope.namespace = namespace[1] ?? namespace[2];
    scopes.push(scope);
  }

  const controllerFile = (name: string, namespace: string | undefined): string => {
    const [head, ...rest] = name.split('\\');
    const imported = uses.get(head!);
    // group namespaces (Laravel ≤ 7) are relative to App\Http\Controllers unless absolute
    const ns =
      namespace === undefined
        ? 'App\\Http\\Controllers'
        : /^\\?App\\/.test(namespace)
          ? namespace.replace(/^\\/, '')
          : `App\\Http\\Controllers\\${namespace}`;
    const fqn = imported !== undefined ? [imported, ...rest].join('\\') : `${ns}\\${name}`;
    // PSR-4: App\ → app/
    return root + fqn.replace(/^App\\/, 'app\\').replace(/\\/g, '/') + '.php';
  };

  for (const m of c.matchAll(LARAVEL_VERB)) {
    const start = statementStart(m.index);
    if (!startsWithRoute(start, m.index + m[0].length)) continue;
    const call = src.call(m.index + m[0].length - 1);
    if (!call) continue;
    const verb = m[1]!;
    const enclosing = scopes.filter((s) => s.start < m.index && m.index < s.end).sort((a, b) => a.start - b.start);
    const prefix = joinPaths(base, ...enclosing.map((s) => s.prefix));
    const groupController = enclosing
      .map((s) => s.controller)
      .filter((x) => x !== undefined)
      .pop();
    const namespace = enclosing
      .map((s) => s.namespace)
      .filter((x) => x !== undefined)
      .pop();
    const line = src.line(m.index + m[0].indexOf(verb));
    const target = (controller: string, action: string): Pick<RouteDefinition, 'handler' | 'target'> => ({
      handler: `${controller.split('\\').pop()}@${action}`,
      target: { files: [controllerFile(controller, namespace)], symbol: action },
    });

    if (verb === 'resource' || verb === 'apiResource') {
      const name = call.args[0] && src.string(call.args[0].start);
      const controller = call.args[1] && /^([\w\\]+)::class$/.exec(call.args[1].text)?.[1];
      if (!name || !controller) continue;
      const tail = c.slice(call.end, call.end + 300);
      const filter = /^\s*->\s*(only|except)\s*\(\s*\[([^\]]*)\]/.exec(tail);
      const listed = filter ? new Set(filter[2]!.match(/\w+/g)) : undefined;
      const parts = name.value.split('.');
      const path = parts.map((p, i) => (i < parts.length - 1 ? `${p}/{${p}}` : p)).join('/');
      for (const [action, method, suffix, api] of LARAVEL_RESOURCE) {
        if (verb === 'apiResource' && !api) continue;
        if (listed && (filter![1] === 'only') !== listed.has(action)) continue;
        emit(out, src.file, {
          method,
          route: joinPaths(prefix, path) + suffix,
          line,
          framework: 'laravel',
          ...target(controller, action),
        });
      }
      continue;
    }

    const pathArg = verb === 'match' ? call.args[1] : call.args[0];
    const path = pathArg && src.string(pathArg.start);
    if (!path) continue;
    const methods: (string | undefined)[] =
      verb === 'match' && call.args[0] ? src.strings(call.args[0].start, call.args[0].end) : [verb === 'any' ? undefined : verb];
    const action = call.args[verb === 'match' ? 2 : 1];
    let handler: Pick<RouteDefinition, 'handler' | 'target'> = {};
    const pair = action && /^\[\s*([\w\\]+)::class\s*,\s*['"](\w+)['"]\s*\]$/.exec(action.text);
    const at = action && src.string(action.start);
    const invokable = action && /^([\w\\]+)::class$/.exec(action.text);
    if (pair) handler = target(pair[1]!, pair[2]!);
    else if (at && at.value.includes('@')) handler = target(at.value.split('@')[0]!, at.value.split('@')[1]!);
    else if (at && groupController) handler = target(groupController, at.value);
    else if (invokable) handler = target(invokable[1]!, '__invoke');
    for (const method of methods) {
      emit(out, src.file, { method, route: joinPaths(prefix, path.value), line, framework: 'laravel', ...handler });
    }
  }
}
