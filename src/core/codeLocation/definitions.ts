/**
 * Function, method and class definitions of source files, found by line-level scanning (no parsers): Java,
 * Kotlin, Python, JavaScript/TypeScript, C#, Go, Ruby, PHP and Rust. Each definition keeps the names that
 * qualify it at runtime (package, namespace, module path, enclosing types) so that a name seen in telemetry,
 * such as `com.shop.cart.CartService.addItem` or `github.com/acme/shop/cart.(*Service).Add`, can find it.
 */

export type SourceLanguage =
  'java' | 'kotlin' | 'python' | 'javascript' | 'typescript' | 'csharp' | 'go' | 'ruby' | 'php' | 'rust';

export interface Definition {
  name: string;
  /**
   * What qualifies the name, outermost first, each split at dots: package or namespace, module path (from the
   * file path for Python, JS/TS, Go and Rust), enclosing classes. `['com','shop','cart','CartService']`
   */
  qualifier: string[];
  kind: 'function' | 'type';
  /** 1-based */
  line: number;
}

const EXTENSIONS: Readonly<Record<string, SourceLanguage>> = {
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  py: 'python',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  cs: 'csharp',
  go: 'go',
  rb: 'ruby',
  php: 'php',
  rs: 'rust',
};

/** The language of a source file by its extension; undefined for other files, declaration files and minified bundles. */
export function languageOf(file: string): SourceLanguage | undefined {
  const slash = file.lastIndexOf('/');
  const base = file.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  if (/\.d\.[cm]?ts$|\.min\.js$/.test(base)) return undefined;
  return EXTENSIONS[base.slice(dot + 1).toLowerCase()];
}

const C_COMMENTS: ReadonlySet<SourceLanguage> = new Set([
  'java',
  'kotlin',
  'javascript',
  'typescript',
  'csharp',
  'go',
  'php',
  'rust',
]);
const HASH_COMMENTS: ReadonlySet<SourceLanguage> = new Set(['python', 'ruby', 'php']);
/** Languages where `'` opens a one-character literal rather than a string. */
const CHAR_LITERALS: ReadonlySet<SourceLanguage> = new Set(['java', 'kotlin', 'csharp', 'go', 'rust']);
const CHAR_LITERAL = /'(?:\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/y;

/**
 * `text` with comments and the contents of string literals replaced by spaces, offsets and newlines kept,
 * so that braces, keywords and indentation can be read with regular expressions. String delimiters stay.
 */
export function maskSource(text: string, lang: SourceLanguage): string {
  const out: string[] = [];
  let last = 0;
  const n = text.length;
  const mask = (from: number, to: number): void => {
    if (to <= from) return;
    out.push(text.slice(last, from), text.slice(from, to).replace(/[^\n]/g, ' '));
    last = to;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === 47 /* / */ && C_COMMENTS.has(lang) && (next === 47 || next === 42)) {
      const end = next === 47 ? lineEnd(text, i) : blockEnd(text, i + 2, '*/');
      mask(i, end);
      i = end;
    } else if (c === 35 /* # */ && HASH_COMMENTS.has(lang) && !(lang === 'php' && next === 91) /* #[ attribute */) {
      const end = lineEnd(text, i);
      mask(i, end);
      i = end;
    } else if (c === 34 /* " */ || c === 39 /* ' */ || c === 96 /* ` */) {
      if (c === 39 && CHAR_LITERALS.has(lang)) {
        CHAR_LITERAL.lastIndex = i;
        // otherwise a Rust lifetime or label ('a): plain code
        const end = CHAR_LITERAL.test(text) ? CHAR_LITERAL.lastIndex : i + 1;
        mask(i + 1, end - 1);
        i = end;
        continue;
      }
      if (c === 96 && !(lang === 'javascript' || lang === 'typescript' || lang === 'go')) {
        i++;
        continue;
      }
      const end = stringEnd(text, i, lang);
      const q = tripleAt(text, i) && c !== 96 ? 3 : 1;
      mask(i + q, Math.max(i + q, end - q));
      i = end;
    } else {
      i++;
    }
  }
  if (last === 0) return text;
  out.push(text.slice(last));
  return out.join('');
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

function blockEnd(text: string, from: number, close: string): number {
  const end = text.indexOf(close, from);
  return end < 0 ? text.length : end + close.length;
}

function tripleAt(text: string, i: number): boolean {
  const c = text[i];
  return text[i + 1] === c && text[i + 2] === c;
}

/**
 * The offset just past the string literal opening at `i`. Triple quotes (Python, Java and Kotlin text
 * blocks, C# raw strings) and JS templates and Go raw strings may span lines; other strings end at the line.
 * C# verbatim strings (@"…") and Rust raw strings (r#"…"#) have no backslash escapes.
 */
export function stringEnd(text: string, i: number, lang: SourceLanguage): number {
  const quote = text[i]!;
  if (quote !== '`' && tripleAt(text, i)) return blockEnd(text, i + 3, quote.repeat(3));
  if (quote === '`') {
    if (lang === 'go') return blockEnd(text, i + 1, '`');
    return scanTo(text, i + 1, '`', true, true);
  }
  const prev = text[i - 1];
  if (lang === 'csharp' && (prev === '@' || (prev === '$' && text[i - 2] === '@'))) {
    let j = i + 1;
    for (;;) {
      const k = text.indexOf('"', j);
      if (k < 0) return text.length;
      if (text[k + 1] === '"') j = k + 2;
      else return k + 1;
    }
  }
  if (lang === 'rust' && (prev === 'r' || prev === '#')) {
    let hashes = 0;
    let j = i - 1;
    while (text[j] === '#') [hashes, j] = [hashes + 1, j - 1];
    if (text[j] === 'r') return blockEnd(text, i + 1, '"' + '#'.repeat(hashes));
  }
  return scanTo(text, i + 1, quote, true, false);
}

function scanTo(text: string, from: number, quote: string, escapes: boolean, multiline: boolean): number {
  const n = text.length;
  for (let j = from; j < n; j++) {
    const ch = text[j];
    if (escapes && ch === '\\') j++;
    else if (ch === quote) return j + 1;
    else if (ch === '\n' && !multiline) return j;
  }
  return n;
}

interface Scope {
  /** undefined for scopes that qualify nothing (function bodies, blocks, `class << self`) */
  name?: string;
  kind: 'type' | 'namespace' | 'function' | 'block';
  /** brace depth inside the scope, or the indentation of its opening line */
  depth: number;
}

interface Pending {
  name?: string;
  kind: Scope['kind'];
}

/** Definitions of `file` (workspace-relative) in source order; empty for files of other languages. */
export function extractDefinitions(file: string, text: string, lang = languageOf(file)): Definition[] {
  if (lang === undefined) return [];
  const masked = maskSource(text, lang);
  const lines = masked.split('\n');
  // Go code names functions by import path, except in `package main`, which the runtime calls `main`
  const prefix = lang === 'go' && /^package\s+main\b/m.test(masked) ? ['main'] : filePrefix(file, lang);
  if (lang === 'python' || lang === 'ruby') return indentScan(lines, lang, prefix);
  return braceScan(lines, lang, prefix);
}

const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'if else for foreach while do switch case catch try finally return throw new delete typeof sizeof nameof ' +
    'await yield using lock fixed checked unchecked synchronized when super this base function constructor_ ' +
    'get set init add remove default match loop unsafe where select from in is as of'
  ).split(' '),
);

interface LineDef {
  name: string;
  kind: Definition['kind'];
  /** a qualifier the scope stack does not show: a Go method's receiver type */
  owner?: string;
}

interface LineResult {
  defs: LineDef[];
  open?: Pending;
  fileNamespace?: string[];
}

/** Scanner for brace-delimited languages: a stack of named scopes follows `{` and `}` in masked code. */
function braceScan(lines: readonly string[], lang: Exclude<SourceLanguage, 'python' | 'ruby'>, prefix: string[]): Definition[] {
  const out: Definition[] = [];
  const scopes: Scope[] = [];
  let fileNamespace: string[] = [];
  let depth = 0;
  let pending: Pending | undefined;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const top = scopes[scopes.length - 1];
    const inTypeBody = top !== undefined && top.kind === 'type' && top.depth === depth;
    const enclosingType = inTypeBody ? top.name : undefined;
    const r = LINE_SCANNERS[lang](line, inTypeBody, enclosingType);
    if (r) {
      if (r.fileNamespace) fileNamespace = r.fileNamespace;
      if (r.defs.length > 0) {
        const qualifier = [...prefix, ...fileNamespace, ...scopeNames(scopes)];
        for (const d of r.defs) {
          const q = d.owner === undefined ? qualifier : [...qualifier, d.owner];
          out.push({ name: d.name, qualifier: q, kind: d.kind, line: li + 1 });
        }
      }
      if (r.open) pending = r.open;
    }
    for (let j = 0; j < line.length; j++) {
      const c = line.charCodeAt(j);
      if (c === 123 /* { */) {
        depth++;
        scopes.push(pending ? { ...pending, depth } : { kind: 'block', depth });
        pending = undefined;
      } else if (c === 125 /* } */) {
        if (depth > 0) depth--;
        while (scopes.length > 0 && scopes[scopes.length - 1]!.depth > depth) scopes.pop();
      } else if (c === 59 /* ; */) {
        pending = undefined;
      }
    }
  }
  return out;
}

function scopeNames(scopes: readonly Scope[]): string[] {
  const names: string[] = [];
  for (const s of scopes) if (s.name !== undefined) names.push(...s.name.split('.'));
  return names;
}

/** Scanner for Python and Ruby: a scope lasts while lines are indented deeper than its opening line. */
function indentScan(lines: readonly string[], lang: 'python' | 'ruby', prefix: string[]): Definition[] {
  const out: Definition[] = [];
  const scopes: Scope[] = [];
  let brackets = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const trimmed = line.trimStart();
    if (trimmed === '') continue;
    const indent = line.length - trimmed.length;
    const continued = brackets > 0;
    brackets = Math.max(0, brackets + bracketBalance(line));
    if (continued) continue;
    while (scopes.length > 0 && scopes[scopes.length - 1]!.depth >= indent) scopes.pop();
    const d = lang === 'python' ? pythonLine(trimmed) : rubyLine(trimmed);
    if (!d) continue;
    if (d.def) {
      const qualifier = [...prefix, ...scopeNames(scopes)];
      if (d.def.owner !== undefined) qualifier.push(...d.def.owner.split('.'));
      out.push({ name: d.def.name, qualifier, kind: d.def.kind, line: li + 1 });
    }
    if (d.open) scopes.push({ ...d.open, depth: indent });
  }
  return out;
}

function bracketBalance(line: string): number {
  let b = 0;
  for (let j = 0; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 40 || c === 91 || c === 123) b++;
    else if (c === 41 || c === 93 || c === 125) b--;
  }
  return b;
}

type IndentResult = { def?: LineDef; open?: Pending } | undefined;

const PY_CLASS = /^class\s+([A-Za-z_]\w*)/;
const PY_DEF = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/;

function pythonLine(t: string): IndentResult {
  let m = PY_CLASS.exec(t);
  if (m) return { def: { name: m[1]!, kind: 'type' }, open: { name: m[1]!, kind: 'type' } };
  m = PY_DEF.exec(t);
  if (m) return { def: { name: m[1]!, kind: 'function' }, open: { kind: 'function' } };
  return undefined;
}

const RB_TYPE = /^(?:class|module)\s+((?:::)?[A-Z]\w*(?:::[A-Z]\w*)*)/;
const RB_SELF = /^class\s*<<\s*self\b/;
const RB_DEF = /^def\s+(?:self\.|[A-Z]\w*\.)?([A-Za-z_]\w*[?!=]?|\[\]=?|[-+*/%<>=!~^&|]+)/;

function rubyLine(t: string): IndentResult {
  if (RB_SELF.test(t)) return { open: { kind: 'block' } };
  let m = RB_TYPE.exec(t);
  if (m) {
    const parts = m[1]!.replace(/^::/, '').split('::');
    const def: LineDef = { name: parts.pop()!, kind: 'type' };
    if (parts.length > 0) def.owner = parts.join('.');
    return { def, open: { name: [...parts, def.name].join('.'), kind: 'type' } };
  }
  m = RB_DEF.exec(t);
  if (m) return { def: { name: m[1]!, kind: 'function' }, open: { kind: 'function' } };
  return undefined;
}

type LineScanner = (line: string, inTypeBody: boolean, enclosingType: string | undefined) => LineResult | undefined;

const JAVA_PACKAGE = /^\s*package\s+([\w.]+)/;
const JVM_TYPE = /(?:^|[^.\w$])(?:class|interface|enum|record|object)\s+([A-Za-z_$][\w$]*)/;
const COMPANION = /(?:^|\s)companion\s+object\b/;
const KOTLIN_FUN = /(?:^|\s)fun\s+(?:<[^>]*>\s*)?(?:[\w.<>?,\s]+?\.)?([A-Za-z_]\w*|`[^`]+`)\s*\(/;
const ANNOTATIONS = /^\s*(?:@[\w.]+(?:\s*\([^)]*\))?\s*)+/;
const CS_ATTRIBUTES = /^\s*(?:\[[^\]]*\]\s*)+/;
/** `<modifiers and return type> name<generics>(` with no `=` before the name: a member declaration. */
const MEMBER = /^\s*([^=(;{}]*?)\b([A-Za-z_$][\w$]*)\s*(?:<[^()=]*>)?\s*\(/;
const MEMBER_PREFIX_BAD = /\b(?:return|new|throw|await|else|case|yield|goto)\b|[.:]\s*$|^\s*[-+*/!&|?]/;

function member(line: string, enclosingType: string | undefined): string | undefined {
  const stripped = line.replace(ANNOTATIONS, '').replace(CS_ATTRIBUTES, '');
  const m = MEMBER.exec(stripped);
  if (!m) return undefined;
  const [, before, name] = m as unknown as [string, string, string];
  if (KEYWORDS.has(name) || MEMBER_PREFIX_BAD.test(before)) return undefined;
  // a call statement has nothing before the name; a constructor is the one member that may look like one
  if (before.trim() === '' && name !== enclosingType) return undefined;
  if (stripped.trimEnd().endsWith(';') && !stripped.includes('{') && !stripped.includes('=>')) return undefined;
  return name;
}

const javaLine: LineScanner = (line, inTypeBody, enclosingType) => {
  const pkg = JAVA_PACKAGE.exec(line);
  if (pkg) return { defs: [], fileNamespace: pkg[1]!.split('.') };
  const t = JVM_TYPE.exec(line.replace(ANNOTATIONS, ''));
  if (t && !/\bnew\s/.test(line)) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  if (!inTypeBody) return undefined;
  const name = member(line, enclosingType);
  return name === undefined ? undefined : { defs: [{ name, kind: 'function' }], open: { kind: 'function' } };
};

const kotlinLine: LineScanner = (line) => {
  const pkg = JAVA_PACKAGE.exec(line);
  if (pkg) return { defs: [], fileNamespace: pkg[1]!.split('.') };
  if (COMPANION.test(line)) return { defs: [], open: { kind: 'type' } };
  const f = KOTLIN_FUN.exec(line);
  if (f) return { defs: [{ name: f[1]!.replace(/`/g, ''), kind: 'function' }], open: { kind: 'function' } };
  const t = JVM_TYPE.exec(line.replace(ANNOTATIONS, ''));
  if (t) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  return undefined;
};

const CS_NAMESPACE = /^\s*namespace\s+([\w.]+)\s*(;)?/;
const CS_TYPE = /(?:^|\s)(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)\s+([A-Za-z_]\w*)/;

const csharpLine: LineScanner = (line, inTypeBody, enclosingType) => {
  const ns = CS_NAMESPACE.exec(line);
  if (ns) {
    if (ns[2] === ';') return { defs: [], fileNamespace: ns[1]!.split('.') };
    return { defs: [], open: { name: ns[1]!, kind: 'namespace' } };
  }
  const t = CS_TYPE.exec(line.replace(CS_ATTRIBUTES, ''));
  if (t && !/\bwhere\s/.test(line)) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  if (!inTypeBody) return undefined;
  const name = member(line, enclosingType);
  return name === undefined ? undefined : { defs: [{ name, kind: 'function' }], open: { kind: 'function' } };
};

const GO_FUNC = /^func\s+(?:\(\s*(?:\w+\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?([A-Za-z_]\w*)\s*[([]/;
const GO_TYPE = /^type\s+([A-Za-z_]\w*)(?:\[[^\]]*\])?\s+(?:struct|interface)\b/;

const goLine: LineScanner = (line) => {
  const f = GO_FUNC.exec(line);
  if (f) {
    const def: LineDef = { name: f[2]!, kind: 'function' };
    if (f[1] !== undefined) def.owner = f[1];
    return { defs: [def], open: { kind: 'function' } };
  }
  const t = GO_TYPE.exec(line);
  return t ? { defs: [{ name: t[1]!, kind: 'type' }] } : undefined;
};

const PHP_NAMESPACE = /^\s*namespace\s+([\w\\]+)\s*([;{])?/;
const PHP_TYPE = /(?:^|[^:\w$>])(?:class|interface|trait|enum)\s+([A-Za-z_]\w*)/;
const PHP_FUNCTION = /(?:^|[^\w$>:])function\s+&?\s*([A-Za-z_]\w*)\s*\(/;

const phpLine: LineScanner = (line) => {
  const ns = PHP_NAMESPACE.exec(line);
  if (ns) {
    const parts = ns[1]!.split('\\').filter((p) => p !== '');
    if (ns[2] === '{') return { defs: [], open: { name: parts.join('.'), kind: 'namespace' } };
    return { defs: [], fileNamespace: parts };
  }
  const t = PHP_TYPE.exec(line);
  if (t && !/\bnew\s+class\b/.test(line)) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  const f = PHP_FUNCTION.exec(line);
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  return undefined;
};

const RUST_VIS = String.raw`(?:pub(?:\s*\([^)]*\))?\s+)?`;
const RUST_MOD = new RegExp(String.raw`^\s*${RUST_VIS}mod\s+(\w+)\s*\{`);
const RUST_IMPL = /^\s*(?:unsafe\s+)?impl\b(.*)$/;
const RUST_TYPE = new RegExp(String.raw`^\s*${RUST_VIS}(struct|enum|trait|union)\s+(\w+)`);
const RUST_FN = new RegExp(String.raw`^\s*${RUST_VIS}(?:(?:const|async|unsafe|default|extern\s+"[^"]*"|extern)\s+)*fn\s+(\w+)`);

const rustLine: LineScanner = (line) => {
  const mod = RUST_MOD.exec(line);
  if (mod) return { defs: [], open: { name: mod[1]!, kind: 'namespace' } };
  const impl = RUST_IMPL.exec(line);
  if (impl) {
    const type = implType(impl[1]!);
    return type === undefined ? undefined : { defs: [], open: { name: type, kind: 'type' } };
  }
  const t = RUST_TYPE.exec(line);
  if (t) {
    const defs = [{ name: t[2]!, kind: 'type' as const }];
    return t[1] === 'trait' ? { defs, open: { name: t[2]!, kind: 'type' } } : { defs };
  }
  const f = RUST_FN.exec(line);
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  return undefined;
};

/** `<T: Clone> Store for Cache<T> {` → `Cache`. */
function implType(rest: string): string | undefined {
  let s = rest.replace(/\{.*$/, '');
  for (let k = 0; k < 4 && s.includes('<'); k++) s = s.replace(/<[^<>]*>/g, '');
  const forAt = s.search(/\sfor\s/);
  if (forAt >= 0) s = s.slice(forAt + 4);
  const m = /^\s*&?\s*(?:dyn\s+)?((?:\w+::)*\w+)/.exec(s);
  if (!m) return undefined;
  const parts = m[1]!.split('::');
  return parts[parts.length - 1];
}

const JS_CLASS = /(?:^|[\s(=])(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_FUNCTION = /(?:^|[\s(=!])(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/;
const JS_CONST_FN =
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>|\(\s*$)/;
const JS_METHOD =
  /^\s*(?:(?:public|private|protected|static|async|readonly|override|abstract|declare|get|set|accessor)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\s*\(/;
const JS_ARROW_PROPERTY =
  /^\s*(?:(?:public|private|protected|static|readonly|override)\s+)*(#?[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/;
const JS_DECORATORS = /^\s*(?:@[\w.]+(?:\s*\([^)]*\))?\s*)+/;

const jsLine: LineScanner = (line, inTypeBody) => {
  const c = JS_CLASS.exec(line);
  if (c) return { defs: [{ name: c[1]!, kind: 'type' }], open: { name: c[1]!, kind: 'type' } };
  const f = JS_FUNCTION.exec(line) ?? JS_CONST_FN.exec(line);
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  if (!inTypeBody) return undefined;
  const stripped = line.replace(JS_DECORATORS, '');
  const m = JS_ARROW_PROPERTY.exec(stripped) ?? JS_METHOD.exec(stripped);
  if (!m || KEYWORDS.has(m[1]!) || stripped.trimEnd().endsWith(';')) return undefined;
  return { defs: [{ name: m[1]!.replace(/^#/, ''), kind: 'function' }], open: { kind: 'function' } };
};

const LINE_SCANNERS: Record<Exclude<SourceLanguage, 'python' | 'ruby'>, LineScanner> = {
  java: javaLine,
  kotlin: kotlinLine,
  csharp: csharpLine,
  go: goLine,
  php: phpLine,
  rust: rustLine,
  javascript: jsLine,
  typescript: jsLine,
};

/**
 * The runtime qualifier a file's path gives its definitions: Python and JS/TS module paths
 * (`src/orders/service.py` → src.orders.service), Go package directories, Rust crate and module path
 * (`cart-rs/src/api/mod.rs` → cart_rs.api). Empty where the source declares it (package, namespace).
 */
export function filePrefix(file: string, lang: SourceLanguage): string[] {
  const segments = file.split('/');
  const base = segments.pop()!;
  const stem = base.slice(0, base.lastIndexOf('.'));
  switch (lang) {
    case 'python':
      return splitDots(stem === '__init__' ? segments : [...segments, stem]);
    case 'javascript':
    case 'typescript':
      return splitDots(stem === 'index' ? segments : [...segments, stem]);
    case 'go':
      return splitDots(segments);
    case 'rust': {
      const src = segments.lastIndexOf('src');
      if (src < 0) return splitDots(/^(?:lib|main|mod)$/.test(stem) ? segments : [...segments, stem]);
      const crate = src > 0 ? [segments[src - 1]!.replace(/-/g, '_')] : [];
      const mods = segments.slice(src + 1);
      if (!/^(?:lib|main|mod)$/.test(stem)) mods.push(stem);
      return splitDots([...crate, ...mods]);
    }
    default:
      return [];
  }
}

function splitDots(segments: readonly string[]): string[] {
  return segments.flatMap((s) => s.split('.')).filter((s) => s !== '');
}
