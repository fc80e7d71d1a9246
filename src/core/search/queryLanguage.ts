/**
 * The palette's search language → TraceQuery. One line of space-separated terms, all of which must hold:
 *
 *   checkout timeout          free text (words joined by one space; quote to keep spaces or keywords)
 *   service:checkout          the service; `name:` or `operation:` the span name
 *   name:"POST /orders"       quotes ' or " hold spaces; a backslash escapes the next character
 *   http.status_code=500      any tag, equality only (`!=`, `=~`, `>` … need TraceQL and say so)
 *   error | errors            traces with an error span
 *   >200ms  >=1s  <2s  <=500us  duration>1s
 *                             trace duration bounds in ns, us/µs, ms, s, m or h; backends compare
 *                             inclusively, so `>` and `>=` mean the same bound
 *   last:15m  last:1h  last:2d  last:1w
 *                             the window, ending now (s, m, h, d or w)
 *   limit:50                  most traces to return (1 to 10000)
 *   { … }                     TraceQL, passed to Tempo verbatim; it runs to its closing brace and on
 *                             through TraceQL's spanset operators and pipelines; only `limit:` and
 *                             `last:` may sit beside it, as its filters live inside the braces
 *
 * Keys and keywords are case-insensitive. Offsets are UTF-16 code units into the text (as JavaScript
 * strings and VS Code count them), end exclusive.
 *
 * This file interprets the terms into a TraceQuery with inline errors; queryScanner.ts splits the text into
 * terms, queryFormat.ts writes a query back as terms or as words.
 */
import type { TraceQuery } from '../model/traceQuery';
import { describeDuration, formatDurationValue } from './queryFormat';
import { KEYWORDS, scanTerms, type RawTerm } from './queryScanner';

export type QueryTokenKind =
  'text' | 'service' | 'operation' | 'tag' | 'error' | 'minDuration' | 'maxDuration' | 'window' | 'limit' | 'traceQl' | 'invalid';

export interface QueryToken {
  kind: QueryTokenKind;
  start: number;
  end: number;
  /** text before the operator, unquoted ("service", "http.status_code", "" for `>200ms`) */
  key?: string;
  /** ':', '=', '>', '>=', '<', '<=', or an unsupported one ('!=', '=~', '!~') on an invalid token */
  operator?: string;
  /** the value, unquoted and unescaped (for text and TraceQL: the whole term) */
  value?: string;
  /** where the value starts, at its opening quote if quoted */
  valueStart?: number;
}

export interface QueryError {
  start: number;
  end: number;
  /** short, for inline display: "'>200xs': unknown unit 'xs' — use ns, µs, ms, s, m or h" */
  message: string;
}

export interface ParsedQuery {
  query: TraceQuery;
  errors: QueryError[];
  tokens: QueryToken[];
}

export const MAX_LIMIT = 10_000;

/** Duration units → nanoseconds (integers, so that parsing rounds once, to whole nanoseconds). */
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 MICRO SIGN
  μs: 1e3, // U+03BC GREEK SMALL LETTER MU
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION_UNIT_HINT = 'use ns, µs, ms, s, m or h';

/** `last:` units → microseconds. */
const WINDOW_UNITS: Readonly<Record<string, number>> = {
  s: 1e6,
  m: 60e6,
  h: 3600e6,
  d: 86_400e6,
  w: 604_800e6,
};
const WINDOW_UNIT_HINT = 'use s, m, h, d or w';

const SERVICE_KEYS = new Set(['service']);
const OPERATION_KEYS = new Set(['name', 'operation']);

interface Builder {
  query: TraceQuery;
  errors: QueryError[];
  tokens: QueryToken[];
  nowUs: number;
  /** first token that set each single-valued field */
  owners: Map<string, QueryToken>;
}

/** Parses the palette's query. `now` (epoch ms) anchors `last:`. Never throws. */
export function parseQuery(text: string, now: number = Date.now()): ParsedQuery {
  const b: Builder = { query: {}, errors: [], tokens: [], nowUs: Math.round(now * 1000), owners: new Map() };
  const textWords: string[] = [];
  for (const term of scanTerms(text)) {
    const token = interpret(b, text, term);
    b.tokens.push(token);
    if (token.kind === 'text' && token.value !== undefined) textWords.push(token.value);
  }
  if (textWords.length > 0) b.query.text = textWords.join(' ');
  if (b.query.traceQl !== undefined) {
    for (const token of b.tokens) {
      const hint = insideBracesHint(token);
      if (hint) b.errors.push(at(text, token, `a TraceQL query carries its own filters — write ${hint} inside the braces`));
    }
  }
  b.errors.sort((x, y) => x.start - y.start);
  return { query: b.query, errors: b.errors, tokens: b.tokens };
}

function interpret(b: Builder, text: string, term: RawTerm): QueryToken {
  const token: QueryToken = { kind: 'invalid', start: term.start, end: term.end, value: term.value, valueStart: term.valueStart };
  if (term.key !== undefined) token.key = term.key;
  if (term.operator !== undefined) token.operator = term.operator;
  const fail = (message: string, start = term.start, end = term.end): QueryToken => {
    b.errors.push({ start, end, message: `'${excerpt(text, term.start, term.end)}': ${message}` });
    token.kind = 'invalid';
    return token;
  };

  if (term.traceQl) {
    token.kind = 'traceQl';
    if (term.unclosedAt !== undefined) {
      const c = text[term.unclosedAt] ?? '{';
      const message =
        c === '{'
          ? "'{' is never closed — end the TraceQL query with '}'"
          : c === '('
            ? "'(' is never closed — add ')'"
            : `unclosed ${c} — add the closing ${c}`;
      b.errors.push({ start: term.unclosedAt, end: term.end, message });
    }
    if (term.strayAt !== undefined) {
      b.errors.push({ start: term.strayAt, end: term.strayAt + 1, message: `'${text[term.strayAt]}' closes nothing` });
    }
    if (b.query.traceQl !== undefined) return fail('one TraceQL query per search — join spansets inside it with && or ||');
    b.query.traceQl = term.value;
    return token;
  }
  if (term.unclosedAt !== undefined) {
    const q = text[term.unclosedAt];
    b.errors.push({ start: term.unclosedAt, end: term.end, message: `unclosed quote — add the closing ${q}` });
  }

  if (term.operator === undefined) {
    if (!term.quoted && term.value.startsWith('}')) return fail("closes nothing — a TraceQL query starts with '{'");
    if (!term.quoted && KEYWORDS.has(term.value.toLowerCase())) {
      token.kind = 'error';
      b.query.errorsOnly = true;
      return token;
    }
    token.kind = 'text';
    return token;
  }

  const key = term.key ?? '';
  const lowerKey = term.keyQuoted ? key : key.toLowerCase();
  const op = term.operator;
  const value = term.value;

  if (op === '>' || op === '>=' || op === '<' || op === '<=') {
    if (lowerKey === '' || lowerKey === 'duration') return durationBound(b, text, term, token, fail);
    return fail(`tags support only '=' — write TraceQL in braces to compare: { .${key} ${op} ${value || '…'} }`);
  }
  if (op === '!=' || op === '=~' || op === '!~') {
    if (key === '') return fail(`expected a tag name before '${op}'`);
    return fail(`tags support only '=' — write TraceQL in braces for '${op}': { .${key} ${op} ${quoteTraceQl(value)} }`);
  }
  if (key === '') {
    return fail(op === ':' ? `expected a key before ':' — service:, name:, limit: or last:` : `expected a tag name before '='`);
  }

  if (op === ':') {
    if (!term.keyQuoted && SERVICE_KEYS.has(lowerKey)) {
      if (value === '' && !term.quoted) return fail("expected a service name after 'service:'");
      return single(b, text, token, 'service', value, fail, 'service', () => (b.query.service = value));
    }
    if (!term.keyQuoted && OPERATION_KEYS.has(lowerKey)) {
      if (value === '' && !term.quoted) return fail(`expected a span name after '${key}:'`);
      return single(b, text, token, 'operation', value, fail, 'span name', () => (b.query.operation = value));
    }
    if (!term.keyQuoted && lowerKey === 'limit') {
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT) {
        return fail(`limit is a whole number from 1 to ${MAX_LIMIT}`);
      }
      const limit = Number(value);
      return single(b, text, token, 'limit', limit, fail, 'limit', () => (b.query.limit = limit));
    }
    if (!term.keyQuoted && lowerKey === 'last') return lastWindow(b, text, term, token, fail);
    if (value.startsWith('//')) {
      token.kind = 'text';
      token.value = `${key}:${value}`;
      delete token.key;
      delete token.operator;
      return token;
    }
    return fail(`unknown key '${key}' — use service:, name:, limit:, last:, ${key}=… for a tag, or quote it to search the text`);
  }

  // '=' or '=='
  if (value === '' && !term.quoted) return fail(`expected a value after '${op}' (quote an empty value: ${key}="")`);
  token.kind = 'tag';
  const tags = (b.query.tags ??= {});
  if (Object.prototype.hasOwnProperty.call(tags, key)) {
    if (tags[key] !== value) return fail(`tag ${key} is already ${JSON.stringify(tags[key])} — a tag has one value per search`);
    return token;
  }
  setTag(tags, key, value);
  return token;
}

/** Sets a field that may appear once (repeating the same value is harmless). */
function single<T extends string | number>(
  b: Builder,
  text: string,
  token: QueryToken,
  field: 'service' | 'operation' | 'limit',
  value: T,
  fail: (message: string) => QueryToken,
  noun: string,
  set: () => void,
): QueryToken {
  const owner = b.owners.get(field);
  const current = b.query[field];
  if (owner && current !== undefined) {
    if (current === value) return tokenOf(token, field);
    const shown = excerpt(text, owner.start, owner.end);
    return fail(`only one ${noun} per search (already '${shown}')`);
  }
  set();
  b.owners.set(field, token);
  return tokenOf(token, field);
}

function tokenOf(token: QueryToken, field: 'service' | 'operation' | 'limit'): QueryToken {
  token.kind = field;
  return token;
}

function durationBound(
  b: Builder,
  text: string,
  term: RawTerm,
  token: QueryToken,
  fail: (message: string) => QueryToken,
): QueryToken {
  const op = term.operator as string;
  const example = `${op}200ms`;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)$/.exec(term.value);
  if (!m) return fail(`expected a duration such as ${example}`);
  const unitText = m[2] ?? '';
  if (unitText === '') return fail(`add a unit, e.g. ${op}${m[1]}ms — ${DURATION_UNIT_HINT}`);
  const factor = DURATION_UNITS[unitText.toLowerCase()] ?? DURATION_UNITS[unitText];
  if (factor === undefined) return fail(`unknown unit '${unitText}' — ${DURATION_UNIT_HINT}`);
  const us = Math.round(Number(m[1]) * factor) / 1000;
  const isMin = op.startsWith('>');
  const field = isMin ? 'minDurationUs' : 'maxDurationUs';
  const existing = b.query[field];
  if (existing !== undefined && existing !== us) {
    const owner = b.owners.get(field);
    const shown = owner ? excerpt(text, owner.start, owner.end) : formatDurationValue(existing);
    return fail(`only one ${isMin ? 'minimum' : 'maximum'} duration per search (already '${shown}')`);
  }
  const other = isMin ? b.query.maxDurationUs : b.query.minDurationUs;
  if (other !== undefined && (isMin ? us > other : us < other)) {
    const bound = `${isMin ? '<' : '>'} ${describeDuration(other)}`;
    return fail(`${isMin ? 'longer than the maximum' : 'shorter than the minimum'} (${bound}) — nothing can match`);
  }
  b.query[field] = us;
  if (!b.owners.has(field)) b.owners.set(field, token);
  token.kind = isMin ? 'minDuration' : 'maxDuration';
  return token;
}

function lastWindow(
  b: Builder,
  text: string,
  term: RawTerm,
  token: QueryToken,
  fail: (message: string) => QueryToken,
): QueryToken {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)$/.exec(term.value);
  if (!m) return fail('expected a time span such as last:1h');
  const unitText = m[2] ?? '';
  if (unitText === '') return fail(`add a unit, e.g. last:${m[1]}h — ${WINDOW_UNIT_HINT}`);
  const factor = WINDOW_UNITS[unitText.toLowerCase()];
  if (factor === undefined) return fail(`unknown unit '${unitText}' — ${WINDOW_UNIT_HINT}`);
  const spanUs = Math.round(Number(m[1]) * factor);
  if (spanUs <= 0) return fail('the time span must be longer than 0');
  const owner = b.owners.get('window');
  if (owner && b.query.startUs !== undefined && b.query.endUs !== undefined) {
    if (b.query.endUs - b.query.startUs === spanUs) return Object.assign(token, { kind: 'window' as const });
    return fail(`only one time span per search (already '${excerpt(text, owner.start, owner.end)}')`);
  }
  b.query.startUs = b.nowUs - spanUs;
  b.query.endUs = b.nowUs;
  b.owners.set('window', token);
  token.kind = 'window';
  return token;
}

/** For a filter a TraceQL query makes redundant: how to write it in TraceQL. */
function insideBracesHint(token: QueryToken): string | undefined {
  const v = token.value ?? '';
  switch (token.kind) {
    case 'service':
      return `resource.service.name = ${quoteTraceQl(v)}`;
    case 'operation':
      return `name = ${quoteTraceQl(v)}`;
    case 'tag':
      return `.${token.key ?? ''} = ${quoteTraceQl(v)}`;
    case 'error':
      return 'status = error';
    case 'minDuration':
    case 'maxDuration':
      return `duration ${token.operator ?? '>'} ${v}`;
    default:
      return undefined;
  }
}

function quoteTraceQl(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false' ? value : JSON.stringify(value);
}

function setTag(tags: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  else tags[key] = value;
}

function at(text: string, token: QueryToken, message: string): QueryError {
  return { start: token.start, end: token.end, message: `'${excerpt(text, token.start, token.end)}': ${message}` };
}

/** The term as the user typed it, shortened for an inline message. */
function excerpt(text: string, start: number, end: number): string {
  const s = text.slice(start, end);
  return s.length <= 40 ? s : `${s.slice(0, 39)}…`;
}
