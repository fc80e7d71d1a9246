/**
 * A TraceQuery back as text: as palette terms that parse back to the same query (formatQuery), and as words
 * for a title (describeQuery). The values are written in the units the scanner reads (queryLanguage.ts).
 */
import type { TraceQuery } from '../model/traceQuery';
import { KEYWORDS } from './queryScanner';

/**
 * The query as palette text; parseQuery(formatQuery(q), now) gives q back for any q parseQuery made with
 * that `now`. The window is written as `last:` its length, so it is relative again when parsed; a window
 * with only one bound cannot be written and is left out.
 */
export function formatQuery(query: TraceQuery): string {
  const parts: string[] = [];
  if (query.text) parts.push(formatText(query.text));
  if (query.service !== undefined) parts.push(`service:${quoteValue(query.service)}`);
  if (query.operation !== undefined) parts.push(`name:${quoteValue(query.operation)}`);
  for (const [k, v] of Object.entries(query.tags ?? {})) parts.push(`${quoteKey(k)}=${quoteValue(v)}`);
  if (query.errorsOnly) parts.push('error');
  if (query.minDurationUs !== undefined) parts.push(`>${formatDurationValue(query.minDurationUs)}`);
  if (query.maxDurationUs !== undefined) parts.push(`<${formatDurationValue(query.maxDurationUs)}`);
  if (query.startUs !== undefined && query.endUs !== undefined)
    parts.push(`last:${formatWindowValue(query.endUs - query.startUs)}`);
  if (query.limit !== undefined) parts.push(`limit:${query.limit}`);
  if (query.traceQl !== undefined) parts.push(query.traceQl.trim() || '{}');
  return parts.join(' ');
}

/** "service checkout · errors only · > 200 ms · last 1 h" */
export function describeQuery(query: TraceQuery): string {
  const parts: string[] = [];
  if (query.traceQl !== undefined) parts.push(`TraceQL ${shorten(query.traceQl.trim() || '{}', 80)}`);
  if (query.text) parts.push(`“${shorten(query.text, 40)}”`);
  if (query.service !== undefined) parts.push(`service ${query.service}`);
  if (query.operation !== undefined) parts.push(`name ${query.operation}`);
  for (const [k, v] of Object.entries(query.tags ?? {})) parts.push(`${k} = ${v === '' ? '""' : v}`);
  if (query.errorsOnly) parts.push('errors only');
  if (query.minDurationUs !== undefined) parts.push(`> ${describeDuration(query.minDurationUs)}`);
  if (query.maxDurationUs !== undefined) parts.push(`< ${describeDuration(query.maxDurationUs)}`);
  if (query.startUs !== undefined && query.endUs !== undefined) parts.push(`last ${describeWindow(query.endUs - query.startUs)}`);
  else if (query.startUs !== undefined) parts.push(`since ${new Date(query.startUs / 1000).toISOString()}`);
  else if (query.endUs !== undefined) parts.push(`until ${new Date(query.endUs / 1000).toISOString()}`);
  if (query.limit !== undefined) parts.push(`limit ${query.limit}`);
  return parts.length > 0 ? parts.join(' · ') : 'all traces';
}

/** µs → a term value in the largest unit that keeps it exact to 3 decimals: 200000 → "200ms", 1500000 → "1.5s". */
export function formatDurationValue(us: number): string {
  const ns = Math.round(us * 1000);
  if (ns === 0) return '0ms';
  if (!Number.isSafeInteger(ns)) return `${Math.round(us)}us`;
  for (const [unit, factor] of [
    ['h', 3600e9],
    ['m', 60e9],
    ['s', 1e9],
    ['ms', 1e6],
    ['us', 1e3],
  ] as const) {
    if (Math.abs(ns) >= factor && ns % (factor / 1000) === 0) return `${ns / factor}${unit}`;
  }
  return `${ns}ns`;
}

/** Window length µs → a `last:` value, whole seconds at the finest. */
export function formatWindowValue(us: number): string {
  const seconds = Math.max(1, Math.ceil(us / 1e6 - 1e-9));
  for (const [unit, factor] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % factor === 0) return `${seconds / factor}${unit}`;
  }
  return `${seconds}s`;
}

/** µs → "850 µs", "200 ms", "1.5 s", "2 min", "1 h". */
export function describeDuration(us: number): string {
  const units: [string, number][] = [
    ['h', 3600e6],
    ['min', 60e6],
    ['s', 1e6],
    ['ms', 1e3],
    ['µs', 1],
  ];
  for (const [unit, factor] of units) {
    if (us >= factor) return `${trimNumber(us / factor)} ${unit}`;
  }
  return us === 0 ? '0 µs' : `${trimNumber(us * 1000)} ns`;
}

function describeWindow(us: number): string {
  const value = formatWindowValue(us);
  const m = /^(\d+)([a-z])$/.exec(value);
  if (!m) return value;
  const unit = m[2] === 'm' ? 'min' : m[2];
  return `${m[1]} ${unit}`;
}

function trimNumber(n: number): string {
  return String(Number(n.toFixed(3)));
}

function shorten(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A value after ':' or '=' needs quotes when empty or holding whitespace or quotes. */
export function quoteValue(value: string): string {
  return value === '' || /[\s"'\\]/.test(value) ? quote(value) : value;
}

/** A tag key needs quotes when it holds anything the lexer reads as an operator, space or quote. */
export function quoteKey(key: string): string {
  return key === '' || /[\s"'\\:=<>!~]/.test(key) ? quote(key) : key;
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Free text: bare words when each reads back as text, else one quoted string. */
function formatText(text: string): string {
  const words = text.split(' ');
  const plain = words.every((w) => /^[^\s"'\\{}:=<>!~]+$/.test(w) && !KEYWORDS.has(w.toLowerCase()));
  return plain ? text : quote(text);
}
