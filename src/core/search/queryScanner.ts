/**
 * The search language's scanner (queryLanguage.ts describes the language): the text split into terms, each
 * with its key, operator and value unquoted, and TraceQL kept verbatim up to its closing brace and on through
 * its operators. Total: every character belongs to one term or to the whitespace between them.
 */

/** Words that are keywords wherever they stand alone (unquoted): `error`, `errors`. */
export const KEYWORDS: ReadonlySet<string> = new Set(['error', 'errors']);
const OPERATORS = ['!=', '=~', '!~', '>=', '<=', '==', ':', '=', '>', '<'] as const;

/** One whitespace-delimited term before interpretation. */
export interface RawTerm {
  start: number;
  end: number;
  /** TraceQL: the verbatim query text of this term */
  traceQl?: boolean;
  /** key (unquoted) when the term has an operator */
  key?: string;
  keyQuoted?: boolean;
  operator?: string;
  /** the value when there is an operator, else the whole term, unquoted */
  value: string;
  /** any part of the value was quoted */
  quoted: boolean;
  valueStart: number;
  /** position of a quote (or brace, for TraceQL) that is never closed */
  unclosedAt?: number;
  /** TraceQL: an unmatched closing bracket */
  strayAt?: number;
}

interface Piece {
  text: string;
  quoted: boolean;
  /** source span, quotes included */
  start: number;
  end: number;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** Splits `text` into terms. Total: every character belongs to one term or to whitespace between them. */
export function scanTerms(text: string): RawTerm[] {
  const terms: RawTerm[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    if (startsTraceQl(text, i)) {
      i = scanTraceQl(text, i, terms);
      continue;
    }
    const { term, next } = scanWord(text, i);
    terms.push(term);
    i = next;
  }
  return terms;
}

/** `{`, or `(` before `{` (a TraceQL query may group spansets: `({ a } && { b }) >> { c }`). */
function startsTraceQl(text: string, i: number): boolean {
  return text[i] === '{' || (text[i] === '(' && /^\(\s*\{/.test(text.slice(i, i + 64)));
}

function scanWord(text: string, start: number): { term: RawTerm; next: number } {
  const pieces: Piece[] = [];
  let unclosedAt: number | undefined;
  let i = start;
  let plain = '';
  let plainStart = start;
  const flush = (end: number): void => {
    if (plain) pieces.push({ text: plain, quoted: false, start: plainStart, end });
    plain = '';
  };
  while (i < text.length && !isSpace(text[i])) {
    const c = text[i] as string;
    if (c === '"' || c === "'") {
      flush(i);
      const q = scanQuoted(text, i);
      pieces.push({ text: q.value, quoted: true, start: i, end: q.end });
      if (q.unclosed) unclosedAt = i;
      i = q.end;
      plainStart = i;
    } else {
      plain += c;
      i++;
    }
  }
  flush(i);
  return { term: splitTerm(pieces, start, i, unclosedAt), next: i };
}

/** A quoted string from its opening quote: backslash escapes any character; it may run to the end. */
function scanQuoted(text: string, open: number): { value: string; end: number; unclosed: boolean } {
  const quote = text[open];
  let value = '';
  let i = open + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else if (c === quote) {
      return { value, end: i + 1, unclosed: false };
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: text.length, unclosed: true };
}

/** Finds the first operator outside quotes and splits the word into key, operator and value. */
function splitTerm(pieces: Piece[], start: number, end: number, unclosedAt: number | undefined): RawTerm {
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p] as Piece;
    if (piece.quoted) continue;
    for (let k = 0; k < piece.text.length; k++) {
      const op = OPERATORS.find((o) => piece.text.startsWith(o, k));
      if (!op) continue;
      const before = [...pieces.slice(0, p), { ...piece, text: piece.text.slice(0, k) }];
      const after = [{ ...piece, text: piece.text.slice(k + op.length), quoted: false }, ...pieces.slice(p + 1)];
      const valueStart = piece.start + k + op.length;
      return {
        start,
        end,
        key: before.map((x) => x.text).join(''),
        keyQuoted: before.some((x) => x.quoted),
        operator: op,
        value: after.map((x) => x.text).join(''),
        quoted: after.some((x) => x.quoted),
        valueStart,
        unclosedAt,
      };
    }
  }
  return {
    start,
    end,
    value: pieces.map((x) => x.text).join(''),
    quoted: pieces.some((x) => x.quoted),
    valueStart: start,
    unclosedAt,
  };
}

/**
 * TraceQL from its first brace: balanced braces and parentheses, "…" and `…` strings. After a top-level
 * closing brace it goes on only if a spanset operator or pipe follows; within a pipeline it runs to the
 * end. Top-level `limit:` and `last:` words are palette terms and are taken out.
 */
function scanTraceQl(text: string, start: number, terms: RawTerm[]): number {
  const n = text.length;
  const stack: number[] = [];
  const options: RawTerm[] = [];
  let pipeline = false;
  let unclosedAt: number | undefined;
  let strayAt: number | undefined;
  let end = n;
  let i = start;
  const segments: [number, number][] = [];
  let segmentStart = start;
  scan: while (i < n) {
    const c = text[i] as string;
    if (c === '"' || c === '`') {
      const close = closingQuote(text, i);
      if (close < 0) {
        unclosedAt ??= i;
        i = n;
        break;
      }
      i = close + 1;
      continue;
    }
    if (c === '{' || c === '(') {
      stack.push(i);
    } else if (c === '}' || c === ')') {
      const open = stack.pop();
      if (open === undefined || text[open] !== (c === '}' ? '{' : '(')) {
        strayAt ??= i;
        if (open !== undefined) stack.push(open);
      } else if (stack.length === 0 && !pipeline) {
        let j = i + 1;
        while (j < n && isSpace(text[j])) j++;
        if (j < n && !continuesTraceQl(text, j)) {
          end = i + 1;
          break scan;
        }
      }
    } else if (c === '|' && stack.length === 0 && text[i + 1] !== '|' && text[i - 1] !== '|') {
      pipeline = true;
    } else if (stack.length === 0 && isSpace(text[i - 1]) && /^(limit|last):/i.test(text.slice(i, i + 6))) {
      segments.push([segmentStart, i]);
      const { term, next } = scanWord(text, i);
      options.push(term);
      i = next;
      segmentStart = i;
      continue;
    }
    i++;
  }
  // An unclosed string swallows the brace after it: report the string, the cause.
  if (stack.length > 0) unclosedAt ??= stack[0];
  segments.push([segmentStart, end]);
  const query = segments
    .map(([a, b]) => text.slice(a, b).trim())
    .filter((s) => s !== '')
    .join(' ');
  let last = end;
  while (last > start && isSpace(text[last - 1])) last--;
  terms.push({ start, end: last, traceQl: true, value: query, quoted: false, valueStart: start, unclosedAt, strayAt });
  terms.push(...options);
  return end;
}

/** Index of the quote closing the TraceQL string opened at `open` ("…" with escapes, `…` raw), or -1. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** TraceQL spanset operators (`&&`, `>>`, `!~`, `&<<`, `| …`) and `> {` go on; `>200ms` is ours. */
function continuesTraceQl(text: string, j: number): boolean {
  const rest = text.slice(j, j + 4);
  if (/^(&&|\|\||\||>>|<<|!>>|!<<|&>>|&<<|~|!~|&~)/.test(rest)) return true;
  return /^[!&]?[<>]\s*\{/.test(text.slice(j, j + 64));
}
