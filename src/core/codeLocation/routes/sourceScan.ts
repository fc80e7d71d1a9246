/**
 * Source text for the scanners: comments blanked (offsets and lines kept), strings and bracketed argument lists
 * read from it, and where a named function is defined.
 */

export type Lang = 'js' | 'python' | 'java' | 'cs' | 'go' | 'ruby' | 'php' | 'rust' | 'elixir' | 'cpp';

interface Literal {
  value: string;
  start: number;
  /** just past the closing quote */
  end: number;
}

export interface Arg {
  start: number;
  end: number;
  /** trimmed */
  text: string;
}

export interface Call {
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
const LT = 60; // <
/** Ruby `<<~SQL`, `<<-EOS`, `<<'EOS'`: the identifier right after the arrows */
const HEREDOC = /<<([~-]?)(['"`]?)([A-Z_][A-Za-z0-9_]*)\2/y;
/** PHP `<<<EOT`, `<<<'EOT'`, `<<<"EOT"` */
const PHP_HEREDOC = /^<<<([ \t]*)(['"]?)([A-Za-z_]\w*)\2/;
const BACKSLASH = 92;

const HASH_COMMENTS: ReadonlySet<Lang> = new Set(['python', 'ruby', 'php', 'elixir']);
const SLASH_COMMENTS: ReadonlySet<Lang> = new Set(['js', 'java', 'cs', 'go', 'php', 'rust', 'cpp']);
/** Python docstrings, Kotlin raw strings, Elixir heredocs (`@doc """`) */
const TRIPLE_QUOTES: ReadonlySet<Lang> = new Set(['python', 'java', 'elixir']);
/** `'` opens a one-character literal (Rust also writes lifetimes `'a` with it) */
const CHAR_QUOTES: ReadonlySet<Lang> = new Set(['java', 'cs', 'go', 'rust', 'cpp']);
/** Languages whose `"` strings may run over several lines */
const MULTILINE_STRINGS: ReadonlySet<Lang> = new Set(['rust', 'elixir']);
/** Languages where `#{…}` interpolates into a double-quoted string */
const HASH_INTERPOLATION: ReadonlySet<Lang> = new Set(['ruby', 'elixir']);
const CHAR_LITERAL = /'(?:\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/y;

export class Source {
  /** the text with comments (and Python/Kotlin/Java triple-quoted strings) replaced by spaces */
  readonly code: string;
  /** the text as given, for annotations written in comments (PHP `@Route`) */
  readonly text: string;
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly lang: Lang,
    text: string,
  ) {
    this.text = text;
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
      if (ch === '"' || ch === "'" || ch === '`') i = literalEnd(c, i, this.lang) - 1;
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
    } else if (this.lang === 'rust' || this.lang === 'cpp') {
      const prefix = (this.lang === 'rust' ? /^b?r#*(?=")|^b(?=")/ : /^(?:u8|u|U|L)?R?(?=")/).exec(c.slice(p, p + 20));
      if (prefix && /r|R/.test(prefix[0])) {
        const open = p + prefix[0].length;
        const end = literalEnd(c, open, this.lang);
        const close = rawStringClose(c, open, this.lang);
        if (!close || end > c.length || !c.startsWith(close, end - close.length)) return undefined;
        const body = c.slice(open + 1, end - close.length);
        return { value: this.lang === 'cpp' ? body.slice(body.indexOf('(') + 1) : body, start: p, end };
      }
      if (prefix) p += prefix[0].length;
    }
    const q = c[p];
    if (q !== '"' && q !== "'" && q !== '`') return undefined;
    if (q === "'" && CHAR_QUOTES.has(this.lang)) return undefined;
    if (q === '`' && this.lang !== 'js' && this.lang !== 'go') return undefined;
    raw ||= q === '`' && this.lang === 'go';
    const multiline = q === '`' || (q === '"' && MULTILINE_STRINGS.has(this.lang));
    const interpolates = q === '"' && HASH_INTERPOLATION.has(this.lang);
    let value = '';
    for (let j = p + 1; j < c.length; j++) {
      const ch = c[j]!;
      if (ch === '\\' && !raw && !(this.lang === 'php' && q === "'" && c[j + 1] !== '\\' && c[j + 1] !== "'")) {
        value += c[j + 1] ?? '';
        j++;
      } else if (ch === q) {
        return { value, start: p, end: j + 1 };
      } else if (ch === '\n' && !multiline) {
        return undefined;
      } else if ((q === '`' || (this.lang === 'php' && q === '"')) && ch === '$' && c[j + 1] === '{') {
        return undefined;
      } else if (interpolates && ch === '#' && c[j + 1] === '{') {
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
      if (ch === '"' || ch === "'" || ch === '`') i = literalEnd(c, i, this.lang) - 1;
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
      if (ch === '"' || ch === "'" || ch === '`') i = literalEnd(c, i, this.lang) - 1;
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
      if (/^\s*(?:return|await|yield|throw|new|if|else|case|while|for|switch)\b/.test(this.code.slice(lineStart, at))) continue;
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
  rust: (n) => new RegExp(`\\bfn[ \\t]+${n}[ \\t]*[(<]`, 'g'),
  elixir: (n) => new RegExp(`^[ \\t]*defp?[ \\t]+${n}\\b`, 'gm'),
  // a body follows the parameters: a declaration ending in `;` is not the definition
  cpp: (n) => new RegExp(`(?:^|[\\s*&:~])${n}[ \\t]*\\([^;{}]*\\)[^;{}()]*\\{`, 'gm'),
};

export function skipBlanks(c: string, i: number): number {
  while (i < c.length && /\s/.test(c[i]!)) i++;
  return i;
}

/**
 * `c[i]` is a quote: the index just past the literal it opens (single-line quotes stop at the end of the line);
 * `i + 1` when it opens none (a Rust lifetime `'a`, a C++ digit separator). Rust `r#"…"#` and C++ `R"x(…)x"`
 * raw strings end at their own delimiters.
 */
function literalEnd(c: string, i: number, lang: Lang): number {
  const q = c.charCodeAt(i);
  if (q === SQ && (lang === 'rust' || lang === 'cpp')) {
    CHAR_LITERAL.lastIndex = i;
    return CHAR_LITERAL.test(c) ? CHAR_LITERAL.lastIndex : i + 1;
  }
  if (q === DQ && (lang === 'rust' || lang === 'cpp')) {
    const close = rawStringClose(c, i, lang);
    if (close !== undefined) {
      const at = c.indexOf(close, i + 1);
      return at < 0 ? c.length : at + close.length;
    }
  }
  const multiline = q === BT ? lang === 'js' || lang === 'go' : q === DQ && MULTILINE_STRINGS.has(lang);
  for (let j = i + 1; j < c.length; j++) {
    const ch = c.charCodeAt(j);
    if (ch === BACKSLASH) j++;
    else if (ch === q) return j + 1;
    else if (ch === NEWLINE && !multiline) return j;
  }
  return c.length;
}

/** The closing delimiter of a raw string whose opening quote is at `i`: `"##` for `r##"`, `)x"` for `R"x(`. */
function rawStringClose(c: string, i: number, lang: Lang): string | undefined {
  if (lang === 'rust') {
    let j = i - 1;
    while (j >= 0 && c[j] === '#') j--;
    const before = c.slice(Math.max(0, j - 2), j);
    // `r"…"` and `br"…"`, not the tail of an identifier
    if (c[j] !== 'r' || (/\w$/.test(before) && !/(?:^|\W)b$/.test(before))) return undefined;
    return '"' + '#'.repeat(i - 1 - j);
  }
  if (c[i - 1] !== 'R' || !/(?:^|[^\w])(?:u8|u|U|L)?R$/.test(c.slice(Math.max(0, i - 4), i))) return undefined;
  const open = c.indexOf('(', i);
  const delimiter = open < 0 ? '' : c.slice(i + 1, open);
  return open < 0 || /[\s\\)]/.test(delimiter) || delimiter.length > 16 ? undefined : `)${delimiter}"`;
}

/** Rust block comments nest: the index just past the end of the one opening at `i`. */
function nestedCommentEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length - 1; j++) {
    if (text.charCodeAt(j) === SLASH && text.charCodeAt(j + 1) === STAR) {
      depth++;
      j++;
    } else if (text.charCodeAt(j) === STAR && text.charCodeAt(j + 1) === SLASH) {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
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
        i = literalEnd(text, i, lang);
      }
    } else if ((slash && ch === SLASH && next === SLASH) || (hash && ch === HASH && !(lang === 'php' && next === BRACKET))) {
      const stop = until('\n', i, 0);
      blank(i, stop);
      i = stop;
    } else if (slash && ch === SLASH && next === STAR) {
      const stop = lang === 'rust' ? nestedCommentEnd(text, i) : until('*/', i + 2, 2);
      blank(i, stop);
      i = stop;
    } else if (ch === LT && (lang === 'ruby' || lang === 'php') && text.charCodeAt(i + 1) === LT) {
      // heredocs: the body, from the next line to the terminator, is text
      HEREDOC.lastIndex = i;
      const h = lang === 'ruby' ? HEREDOC.exec(text) : PHP_HEREDOC.exec(text.slice(i, i + 80));
      const nl = h ? text.indexOf('\n', i) : -1;
      if (!h || nl < 0 || (lang === 'ruby' && h.index !== i)) {
        i += 2;
        continue;
      }
      const id = h[3]!;
      const indented = lang === 'php' || h[1] !== '';
      const terminator = new RegExp(`^${indented ? '[ \\t]*' : ''}${id}\\b.*$`, 'm');
      const rest = text.slice(nl + 1);
      const t = terminator.exec(rest);
      const stop = t ? nl + 1 + t.index + t[0].length : text.length;
      blank(nl + 1, stop);
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
