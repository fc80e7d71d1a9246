/**
 * Completions for the palette's query language, called on every keystroke: pure and synchronous. The
 * adapter fetches services, span names and tag keys/values from the backend and caches them; this only
 * filters and ranks them. A suggestion replaces text[replaceStart, replaceEnd) with insertText, which
 * ends in a space when it completes a whole term, so typing can go straight on to the next one.
 */
import { quoteKey, quoteValue } from './queryFormat';
import { parseQuery, type ParsedQuery, type QueryTokenKind } from './queryLanguage';
import { scanTerms, type RawTerm } from './queryScanner';

export type SuggestionKind =
  'key' | 'keyword' | 'service' | 'operation' | 'tagKey' | 'tagValue' | 'duration' | 'window' | 'limit';

export interface Suggestion {
  /** what the list shows */
  label: string;
  insertText: string;
  replaceStart: number;
  replaceEnd: number;
  /** a few words on what it does ("filter by service", "tag") */
  detail: string;
  kind: SuggestionKind;
}

export interface SuggestionSources {
  services: readonly string[];
  /** span names of `service`, or of every service when it is undefined */
  operations(service?: string): readonly string[];
  tagKeys: readonly string[];
  tagValues(key: string): readonly string[];
}

export interface SuggestOptions {
  /** most suggestions returned; default 50 */
  max?: number;
}

const DEFAULT_MAX = 50;

const KEY_SUGGESTIONS: readonly { key: string; insert: string; detail: string; field: QueryTokenKind; complete?: boolean }[] = [
  { key: 'service:', insert: 'service:', detail: 'filter by service', field: 'service' },
  { key: 'name:', insert: 'name:', detail: 'filter by span name', field: 'operation' },
  { key: 'error', insert: 'error', detail: 'only traces with an error', field: 'error', complete: true },
  { key: '>', insert: '>', detail: 'longer than a duration, e.g. >200ms', field: 'minDuration' },
  { key: '<', insert: '<', detail: 'shorter than a duration, e.g. <2s', field: 'maxDuration' },
  { key: 'last:', insert: 'last:', detail: 'time window, e.g. last:1h', field: 'window' },
  { key: 'limit:', insert: 'limit:', detail: 'most traces to return', field: 'limit' },
];

const DURATION_CHOICES = ['10ms', '50ms', '100ms', '200ms', '500ms', '1s', '2s', '5s', '10s', '30s', '1m'];
const DURATION_UNITS = ['ms', 's', 'us', 'm'];
const WINDOW_CHOICES = ['15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '1w'];
const WINDOW_UNITS = ['m', 'h', 'd', 'w', 's'];
const LIMIT_CHOICES = ['20', '50', '100', '200', '500', '1000'];
const WINDOW_WORDS: Readonly<Record<string, string>> = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days', w: 'weeks' };

/**
 * Values of one kind, scored as plain strings: a candidate object is built only for the few returned
 * (a span-name list can hold tens of thousands of entries, and this runs per keystroke).
 */
interface CandidateGroup {
  kind: SuggestionKind;
  values: readonly string[];
  label(value: string): string;
  insert(value: string): string;
  detail(value: string): string;
  /** completes a whole term: a space follows */
  complete: boolean;
  /** worst match score accepted (see matchScore); default: any */
  maxScore?: number;
  /** a value whose kind and completeness differ from the group's */
  variant?(value: string): { kind: SuggestionKind; complete: boolean } | undefined;
}

/** Completions for the term at `cursor` (a UTF-16 offset into `text`). */
export function suggest(text: string, cursor: number, sources: SuggestionSources, options: SuggestOptions = {}): Suggestion[] {
  const at = Math.max(0, Math.min(cursor, text.length));
  const terms = scanTerms(text);
  const term = terms.find((t) => t.start <= at && at <= t.end && !(t.traceQl && at === t.start));
  if (term?.traceQl) return [];
  // What the rest of the query already says, without the term being edited.
  const others = term ? text.slice(0, term.start) + ' '.repeat(term.end - term.start) + text.slice(term.end) : text;
  const context = parseQuery(others, 0);
  const replaceStart = term?.start ?? at;
  const replaceEnd = term?.end ?? at;

  let groups: CandidateGroup[];
  let prefix: string;
  if (!term) {
    prefix = '';
    groups = bareWordGroups(context, sources, '');
  } else if (term.operator !== undefined && at >= term.valueStart) {
    prefix = valuePrefix(text, term, at);
    groups = valueGroups(term, prefix, context, sources);
  } else if (term.operator === undefined && !term.quoted) {
    prefix = text.slice(term.start, at);
    groups = bareWordGroups(context, sources, prefix);
  } else {
    return [];
  }

  const after = text[replaceEnd];
  const needsSpace = after === undefined || !/\s/.test(after);
  return rank(groups, prefix, options.max ?? DEFAULT_MAX).map(([g, v]) => {
    const { kind, complete } = g.variant?.(v) ?? g;
    return {
      label: g.label(v),
      insertText: complete && needsSpace ? `${g.insert(v)} ` : g.insert(v),
      replaceStart,
      replaceEnd,
      detail: g.detail(v),
      kind,
    };
  });
}

/** The value typed so far, up to the cursor, without its opening quote. */
function valuePrefix(text: string, term: RawTerm, at: number): string {
  const raw = text.slice(term.valueStart, at);
  const unquoted = /^["']/.test(raw) ? raw.slice(1) : raw;
  return unquoted.replace(/\\(.)/g, '$1');
}

function bareWordGroups(context: ParsedQuery, sources: SuggestionSources, prefix: string): CandidateGroup[] {
  const used = new Set(context.tokens.map((t) => t.kind));
  const keys = KEY_SUGGESTIONS.filter((k) => !used.has(k.field));
  const byKey = new Map(keys.map((k) => [k.key, k]));
  const groups: CandidateGroup[] = [
    {
      kind: 'key',
      values: keys.map((k) => k.key),
      label: (v) => v,
      insert: (v) => byKey.get(v)?.insert ?? v,
      detail: (v) => byKey.get(v)?.detail ?? '',
      complete: false,
      // 'error' is a whole term: a keyword, followed by a space
      variant: (v) => (byKey.get(v)?.complete ? { kind: 'keyword', complete: true } : undefined),
    },
  ];
  const tags = context.query.tags ?? {};
  groups.push({
    kind: 'tagKey',
    values: sources.tagKeys.filter((key) => !Object.prototype.hasOwnProperty.call(tags, key)),
    label: (key) => `${key}=`,
    insert: (key) => `${quoteKey(key)}=`,
    detail: () => 'tag',
    complete: false,
  });
  // Typing a service's name is a quick way to filter by it.
  if (prefix !== '' && !used.has('service')) {
    groups.push({
      kind: 'service',
      values: sources.services,
      label: (service) => `service:${service}`,
      insert: (service) => `service:${quoteValue(service)}`,
      detail: () => 'filter by service',
      complete: true,
      // offered for a bare word only on a prefix or word-start match: fuzzy matches are noise here
      maxScore: 2,
    });
  }
  return groups;
}

function valueGroups(term: RawTerm, prefix: string, context: ParsedQuery, sources: SuggestionSources): CandidateGroup[] {
  const key = term.key ?? '';
  const lower = term.keyQuoted ? key : key.toLowerCase();
  const op = term.operator ?? '';
  const keyText = term.keyQuoted ? quoteKey(key) : key;
  const values = (list: readonly string[], kind: SuggestionKind, detail: string): CandidateGroup[] => [
    {
      kind,
      values: list,
      label: (v) => v,
      insert: (v) => `${keyText}${op}${quoteValue(v)}`,
      detail: () => detail,
      complete: true,
    },
  ];

  if (op === ':' && !term.keyQuoted) {
    if (lower === 'service') return values(sources.services, 'service', 'service');
    if (lower === 'name' || lower === 'operation') {
      const service = context.query.service;
      return values(sources.operations(service), 'operation', service ? `span name in ${service}` : 'span name');
    }
    if (lower === 'limit') return values(withTyped(LIMIT_CHOICES, prefix, /^\d+$/), 'limit', 'most traces to return');
    if (lower === 'last') {
      return [
        {
          kind: 'window',
          values: numbered(WINDOW_CHOICES, WINDOW_UNITS, prefix),
          label: (v) => v,
          insert: (v) => `${keyText}:${v}`,
          detail: (v) => `the last ${windowWords(v)}`,
          complete: true,
        },
      ];
    }
    return [];
  }
  if ((op === '=' || op === '==') && key !== '') return values(sources.tagValues(key), 'tagValue', `value of ${key}`);
  if ((op === '>' || op === '>=' || op === '<' || op === '<=') && (lower === '' || lower === 'duration')) {
    const longer = op.startsWith('>');
    return [
      {
        kind: 'duration',
        values: numbered(DURATION_CHOICES, DURATION_UNITS, prefix),
        label: (v) => `${op}${v}`,
        insert: (v) => `${keyText}${op}${v}`,
        detail: (v) => `traces ${longer ? 'longer' : 'shorter'} than ${v}`,
        complete: true,
      },
    ];
  }
  return [];
}

/** Common choices, and the number being typed with each unit first (`2` → 2ms, 2s, …). */
function numbered(choices: readonly string[], units: readonly string[], prefix: string): string[] {
  const m = /^(\d+(?:\.\d+)?)([a-zµ]*)$/i.exec(prefix);
  const typed = m ? units.map((u) => `${m[1]}${u}`).filter((v) => v.startsWith(prefix.replace('µ', 'u'))) : [];
  return unique([...typed, ...choices]);
}

function withTyped(choices: readonly string[], prefix: string, valid: RegExp): string[] {
  return valid.test(prefix) ? unique([prefix, ...choices]) : [...choices];
}

function windowWords(value: string): string {
  const m = /^(\d+(?:\.\d+)?)([a-z])$/.exec(value);
  if (!m) return value;
  const n = m[1] as string;
  const word = WINDOW_WORDS[m[2] as string] ?? (m[2] as string);
  return n === '1' ? word.replace(/s$/, '') : `${n} ${word}`;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

const KIND_ORDER: Readonly<Record<SuggestionKind, number>> = {
  key: 0,
  keyword: 0,
  duration: 1,
  window: 1,
  limit: 1,
  service: 2,
  operation: 2,
  tagValue: 2,
  tagKey: 3,
};
const KIND_COUNT = 4;

/**
 * Exact, then prefix, then word-start, then substring, then subsequence matches; ties by kind, then source
 * order; duplicates dropped. Bucketed rather than sorted: linear in the number of values.
 */
function rank(groups: CandidateGroup[], prefix: string, max: number): [CandidateGroup, string][] {
  const needle = prefix.toLowerCase();
  const buckets: [CandidateGroup, string][][] = [];
  for (const g of groups) {
    const worst = g.maxScore ?? Infinity;
    for (const v of g.values) {
      const score = matchScore(v.toLowerCase(), needle);
      if (score >= 0 && score <= worst) (buckets[score * KIND_COUNT + KIND_ORDER[g.kind]] ??= []).push([g, v]);
    }
  }
  const out: [CandidateGroup, string][] = [];
  const seen = new Set<string>();
  for (const bucket of buckets) {
    for (const entry of bucket ?? []) {
      if (out.length >= max) return out;
      const id = `${entry[0].kind}\u0000${entry[1]}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(entry);
    }
  }
  return out;
}

/** Lower is better; -1 is no match. Both arguments are lower case. */
export function matchScore(candidate: string, needle: string): number {
  if (needle === '') return 1;
  if (candidate === needle) return 0;
  if (candidate.startsWith(needle)) return 1;
  const at = candidate.indexOf(needle);
  if (at > 0) return /[\s._\-/:]/.test(candidate[at - 1] as string) ? 2 : 3;
  let i = 0;
  for (let j = 0; j < candidate.length; j++) {
    if (candidate[j] === needle[i]) i++;
    if (i === needle.length) return 4;
  }
  return -1;
}
