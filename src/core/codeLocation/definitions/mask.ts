/** Comments and string contents blanked out, so that code structure can be read with regular expressions. */
import type { SourceLanguage } from './types';

const C_COMMENTS: ReadonlySet<SourceLanguage> = new Set([
  'java',
  'kotlin',
  'javascript',
  'typescript',
  'csharp',
  'go',
  'php',
  'rust',
  'cpp',
]);
const HASH_COMMENTS: ReadonlySet<SourceLanguage> = new Set(['python', 'ruby', 'php', 'elixir']);
/** Languages where `'` opens a one-character literal rather than a string. */
const CHAR_LITERALS: ReadonlySet<SourceLanguage> = new Set(['java', 'kotlin', 'csharp', 'go', 'rust', 'cpp']);
/** Elixir sigils: `~r/…/`, `~s(…)`, `~w[…]`, `~S"…"`, `~H"""…"""` */
const SIGIL = /~[a-zA-Z]+(?=["'/|([{<])/y;
const SIGIL_CLOSE: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const CHAR_LITERAL = /'(?:\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/y;

/**
 * `text` with comments and the contents of string literals replaced by spaces, offsets and newlines kept,
 * so that braces, keywords and indentation can be read with regular expressions. String delimiters stay.
 */
export function maskSource(text: string, lang: SourceLanguage): string {
  // the index reads each file's definitions, span starts and tracer names in turn, each from the masked text
  if (lastMasked !== undefined && lastMasked.lang === lang && lastMasked.text === text) return lastMasked.masked;
  const masked = maskUncached(text, lang);
  lastMasked = { text, lang, masked };
  return masked;
}

let lastMasked: { text: string; lang: SourceLanguage; masked: string } | undefined;

/** Characters that can open a comment, string, sigil or character literal in some language. */
const SPECIAL = /[/#~?"'`]/g;

function maskUncached(text: string, lang: SourceLanguage): string {
  const out: string[] = [];
  let last = 0;
  const n = text.length;
  const mask = (from: number, to: number): void => {
    if (to <= from) return;
    const nl = text.indexOf('\n', from);
    const blank = nl < 0 || nl >= to ? ' '.repeat(to - from) : text.slice(from, to).replace(/[^\n]/g, ' ');
    out.push(text.slice(last, from), blank);
    last = to;
  };
  let i = 0;
  while (i < n) {
    SPECIAL.lastIndex = i;
    if (SPECIAL.exec(text) === null) break;
    i = SPECIAL.lastIndex - 1;
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === 47 /* / */ && C_COMMENTS.has(lang) && (next === 47 || next === 42)) {
      const end = next === 47 ? lineEnd(text, i) : blockEnd(text, i + 2, '*/');
      mask(i, end);
      i = end;
    } else if (c === 35 /* # */ && lang === 'cpp') {
      // a preprocessor directive, with its backslash-continued lines: macro bodies are not code structure
      const end = directiveEnd(text, i);
      if (!atLineStart(text, i)) i++;
      else {
        mask(i, end);
        i = end;
      }
    } else if (c === 126 /* ~ */ && lang === 'elixir') {
      SIGIL.lastIndex = i;
      if (!SIGIL.test(text)) {
        i++;
        continue;
      }
      const open = SIGIL.lastIndex;
      const end = sigilEnd(text, open);
      const q = tripleAt(text, open) ? 3 : 1;
      mask(open + q, Math.max(open + q, end - q));
      i = end;
    } else if (c === 63 /* ? */ && lang === 'elixir' && (next === 34 || next === 39 || next === 35 || next === 92)) {
      // a character literal: ?" ?' ?# ?\n
      mask(i + 1, Math.min(n, i + (next === 92 ? 3 : 2)));
      i += next === 92 ? 3 : 2;
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

function atLineStart(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const ch = text[j];
    if (ch === '\n') return true;
    if (ch !== ' ' && ch !== '\t') return false;
  }
  return true;
}

function directiveEnd(text: string, i: number): number {
  let end = lineEnd(text, i);
  while (end < text.length && text[end - 1] === '\\') end = lineEnd(text, end + 1);
  while (end > i && text[end - 1] === '\r') end--;
  return end;
}

/** Past the closing delimiter of a sigil whose opening delimiter is at `open`. */
function sigilEnd(text: string, open: number): number {
  const d = text[open]!;
  if ((d === '"' || d === "'") && tripleAt(text, open)) return blockEnd(text, open + 3, d.repeat(3));
  const close = SIGIL_CLOSE[d] ?? d;
  let depth = 0;
  for (let j = open + 1; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === d && close !== d) depth++;
    else if (ch === close) {
      if (depth === 0) return j + 1;
      depth--;
    } else if (ch === '\n' && close === d && d !== '"' && d !== "'") return j;
  }
  return text.length;
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

function blockEnd(text: string, from: number, close: string): number {
  const end = text.indexOf(close, from);
  return end < 0 ? text.length : end + close.length;
}

export function tripleAt(text: string, i: number): boolean {
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
  if (lang === 'cpp' && prev === 'R') {
    // R"delim( … )delim"
    const paren = text.indexOf('(', i + 1);
    const delim = paren < 0 ? undefined : text.slice(i + 1, paren);
    if (delim !== undefined && /^[^\s()\\]{0,16}$/.test(delim)) return blockEnd(text, paren + 1, `)${delim}"`);
  }
  if (lang === 'rust' && (prev === 'r' || prev === '#')) {
    let hashes = 0;
    let j = i - 1;
    while (text[j] === '#') [hashes, j] = [hashes + 1, j - 1];
    if (text[j] === 'r') return blockEnd(text, i + 1, '"' + '#'.repeat(hashes));
  }
  // Elixir strings may span lines; elsewhere an unclosed quote ends at the line
  return scanTo(text, i + 1, quote, true, lang === 'elixir');
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
