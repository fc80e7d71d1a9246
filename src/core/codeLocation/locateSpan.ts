/**
 * From a span to workspace source lines, using every kind of evidence: code attributes, stack traces and
 * vendor tags (evidence.ts), then — for spans without a usable path — the function name, the span name
 * and the HTTP route, looked up in the workspace index. Each answer says why; a name that fits several
 * places gives no answer unless the span's language, instrumentation scope or service singles one out.
 */
import { stringAttribute } from '../model/attributes';
import type { Span } from '../model/types';
import { readCodeAttributes, readDatadogCodeOrigin, spanExceptions } from './codeAttributes';
import { languageOf, type SourceLanguage } from './definitions';
import { locateFromEvidence, type CodeMatch, type EvidenceExtras } from './evidence';
import { isLibraryPath, normalizeForeignPath } from './pathMapper';
import type { DefinitionHit, WorkspaceIndex } from './workspaceIndex';

export type EvidenceKind = 'code attributes' | 'stack trace' | 'vendor tags' | 'function name' | 'span name' | 'http route';

export interface EvidenceStep {
  kind: EvidenceKind;
  /** what was read from the span, e.g. `code.function.name com.shop.cart.CartService.addItem` */
  evidence: string;
  outcome: 'mapped' | 'ambiguous' | 'not found' | 'skipped';
  /** why, for a person */
  detail: string;
}

export interface SpanExplanation {
  /** what locateSpan returns */
  matches: CodeMatch[];
  /** the evidence tried, in order; kinds the span has no evidence of are left out */
  steps: EvidenceStep[];
}

/** How far each kind of name-only evidence is trusted (path evidence is in evidence.ts, 0.6–0.95). */
const TRUST = {
  /** every part of a qualified name (≥ 3 parts) agrees with the definition's package, types and name */
  definitionQualified: 0.85,
  /** every part agrees, two parts (`Class.method`, `module.func`) */
  definitionOwner: 0.75,
  /** the type and name agree, an outer package differs (the repository sits elsewhere than the module path) */
  definitionPartial: 0.7,
  /** a bare function name defined exactly once in the workspace */
  definitionBare: 0.45,
  spanStart: 0.8,
  /** the API named the span after its method (`StartActivity()`, `@WithSpan`, `#[instrument]`) */
  spanStartDerived: 0.75,
  spanStartPattern: 0.6,
  /** a span named like `CartController.addItem` (Spring, Rails and the like name spans so) */
  spanNameAsFunction: 0.6,
  route: 0.8,
  routeFromSpanName: 0.7,
  /** the route is defined under a prefix mounted elsewhere (`router.get('/:id')` under `app.use('/orders')`) */
  routeSuffix: 0.6,
} as const;
/** An answer picked among several by language, scope or service is less certain than a unique one. */
const PICKED = 0.9;
/** Overloads: the first is shown, but the span cannot say which one ran. */
const OVERLOADED = 0.85;
/** A pattern with fewer literal characters matches too much to be evidence. */
const MIN_PATTERN_LITERALS = 3;
const MAX_NAME = 512;

/** `telemetry.sdk.language` → the workspace languages its code can be written in. */
const SDK_LANGUAGES: Readonly<Record<string, readonly SourceLanguage[]>> = {
  java: ['java', 'kotlin'],
  python: ['python'],
  go: ['go'],
  dotnet: ['csharp'],
  nodejs: ['javascript', 'typescript'],
  webjs: ['javascript', 'typescript'],
  ruby: ['ruby'],
  php: ['php'],
  rust: ['rust'],
};

/** Roots of runtime libraries: a qualified name under one of them is not workspace code. */
const LIBRARY_ROOTS: ReadonlySet<string> = new Set([
  'java',
  'javax',
  'jakarta',
  'jdk',
  'sun',
  'kotlin',
  'kotlinx',
  'scala',
  'System',
  'Microsoft',
  'Internal',
  'runtime',
  'net',
  'std',
  'core',
  'alloc',
  'tokio',
  'builtins',
  'asyncio',
  'Illuminate',
  'Symfony',
  'ActiveRecord',
  'ActionController',
  'ActiveSupport',
  'Rack',
]);

const GENERIC_SERVICE_WORDS: ReadonlySet<string> = new Set(
  'service svc api app server backend web worker main the and'.split(' '),
);

const HTTP_METHODS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT)$/;
const HTTP_SPAN_NAME = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/;
const QUALIFIED_SPAN_NAME = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)+$/;

/** Workspace locations for `span`, best first; empty when nothing credible points into the workspace. */
export function locateSpan(span: Span, index: WorkspaceIndex, extras?: EvidenceExtras): CodeMatch[] {
  return explainSpan(span, index, extras).matches;
}

/** `locateSpan`'s answer with the evidence it tried and why each piece did or did not map. */
export function explainSpan(span: Span, index: WorkspaceIndex, extras?: EvidenceExtras): SpanExplanation {
  const steps: EvidenceStep[] = [];
  const direct = locateFromEvidence(span, index.mapper, extras);
  explainDirect(span, index, extras, direct, steps);
  const ctx = new Disambiguator(span, index);
  const byName: CodeMatch[] = [];
  const code = readCodeAttributes(span.attributes);
  const pathUnusable = code?.filePath !== undefined && unusablePath(code.filePath);
  if (code?.function !== undefined) {
    const key = stringAttribute(span.attributes, 'code.function.name') !== undefined ? 'code.function.name' : 'code.function';
    if (pathUnusable) {
      steps.push({
        kind: 'function name',
        evidence: `${key} ${code.function}`,
        outcome: 'skipped',
        detail: `${code.fileKey} ${code.filePath} is library or runtime code, or escapes its folder; its function is not looked up by name`,
      });
    } else {
      byFunctionName(code.function, key, code.line, ctx, index, byName, steps);
    }
  }
  const fromStarts = bySpanName(span, ctx, index, byName, steps);
  byRoute(span, ctx, index, byName, steps);
  if (!fromStarts && code?.function === undefined && QUALIFIED_SPAN_NAME.test(span.name) && direct.length === 0)
    byFunctionName(span.name, 'span name', undefined, ctx, index, byName, steps, TRUST.spanNameAsFunction);
  return { matches: combine(direct, byName, steps), steps };
}

/**
 * Direct evidence first, in its own order. Name-based answers only add candidates after it and never above
 * it: one at the same place enriches the direct answer (a line for a file-only answer), one in a file the
 * direct evidence already pinned to a line adds nothing.
 */
function combine(direct: CodeMatch[], byName: CodeMatch[], steps: EvidenceStep[]): CodeMatch[] {
  const extra = mergeSame(byName).sort((a, b) => b.confidence - a.confidence);
  if (direct.length === 0) return extra;
  const out = direct.map((m) => ({ ...m }));
  const cap = Math.min(...out.map((m) => m.confidence));
  for (const m of extra) {
    const same = out.find((d) => d.file === m.file && (d.line === undefined || d.line === m.line));
    if (same) {
      if (same.line === undefined && m.line !== undefined) {
        same.line = m.line;
        if (m.column !== undefined) same.column = m.column;
      }
      same.function ??= m.function;
      same.reason += `; ${m.reason}`;
      continue;
    }
    if (out.some((d) => d.file === m.file && d.line !== undefined)) {
      steps.push({
        kind: 'function name',
        evidence: m.reason,
        outcome: 'skipped',
        detail: `${m.file} is already answered to the line by the span's own evidence`,
      });
      continue;
    }
    out.push({ ...m, confidence: Math.min(m.confidence, cap) });
  }
  return out;
}

/** One answer per file and line: the surest, with the other kinds' reasons appended. */
function mergeSame(matches: CodeMatch[]): CodeMatch[] {
  const byKey = new Map<string, CodeMatch>();
  for (const m of matches) {
    const key = `${m.file}:${m.line ?? ''}`;
    const prev = byKey.get(key);
    if (!prev) byKey.set(key, { ...m });
    else {
      const [hi, lo] = prev.confidence >= m.confidence ? [prev, m] : [{ ...m }, prev];
      hi.reason += `; also ${lo.reason}`;
      hi.function ??= lo.function;
      byKey.set(key, hi);
    }
  }
  return [...byKey.values()];
}

function unusablePath(raw: string): boolean {
  const p = normalizeForeignPath(raw);
  return p === undefined || isLibraryPath(p);
}

// ---------------------------------------------------------------------------------------------------------
// kind 4: function names

/** `com.shop.Cart$Item.add(int)`, `pkg.(*T).M.func1`, `Ns.C.<AddAsync>d__4.MoveNext`, `Shop::Cart#add` → parts. */
export function functionNameParts(raw: string): string[] {
  let s = raw.trim().replace(/^(?:async|new|static)\s+/, '');
  s = s.replace(/<([\w:]+) as [^>]*>/g, '$1'); // Rust <Type as Trait>::method
  s = s.replace(/<(\w+)>[a-z]__\w*/g, '$1'); // .NET async/iterator state machines and lambdas
  s = s.replace(/\.MoveNext$/, '');
  s = s.replace(/lambda\$(\w+)\$\d+/g, '$1'); // Java lambdas
  s = s.replace(/\(\*?(\w+)(?:\[[^\]]*\])?\)/g, '$1'); // Go (*T)
  s = s.replace(/\([^()]*\)\s*$/, ''); // arguments
  s = s.replace(/`\d+/g, ''); // .NET generic arity
  for (let k = 0; k < 4 && /<[^<>]*>/.test(s); k++) s = s.replace(/<[^<>]*>/g, ''); // generics, <lambda>, <locals>
  s = s.replace(/\[[^\]]*\]/g, '');
  s = s.replace(/::h[0-9a-f]{16}$/, '').replace(/::\{\{closure\}\}/g, '');
  const parts = s.split(/::|->|[.#\\/+:$]/).filter((p) => p !== '');
  while (parts.length > 1 && /^(?:func\d+|gowrap\d+|\d+)$/.test(parts[parts.length - 1]!)) parts.pop();
  // Kotlin top-level functions live in a `FileKt` class the source never names
  return parts.filter((p, i) => !(i < parts.length - 1 && /^[A-Z]\w*Kt$/.test(p)));
}

function byFunctionName(
  fn: string,
  key: string,
  line: number | undefined,
  ctx: Disambiguator,
  index: WorkspaceIndex,
  out: CodeMatch[],
  steps: EvidenceStep[],
  trustCap?: number,
): void {
  const evidence = `${key} ${fn}`;
  const step = (outcome: EvidenceStep['outcome'], detail: string): void => {
    steps.push({ kind: 'function name', evidence, outcome, detail });
  };
  const q = fn.length > MAX_NAME ? [] : functionNameParts(fn);
  const name = q[q.length - 1];
  if (name === undefined) return step('not found', 'no function name could be read from it');
  const hits = index.definitions(name);
  if (hits.length === 0) return step('not found', `no definition named ${name} in the workspace`);
  let best = 0;
  let scored: { hit: DefinitionHit; m: number }[] = [];
  for (const hit of hits) {
    const m = commonSuffix(q, [...hit.qualifier, hit.name]);
    if (m > best) [best, scored] = [m, [{ hit, m }]];
    else if (m === best) scored.push({ hit, m });
  }
  if (q.length > 1 && best < 2) {
    const owner = q[q.length - 2]!;
    return step('not found', `${hits.length} definition(s) of ${name}, none in ${owner}`);
  }
  if (best < q.length && LIBRARY_ROOTS.has(q[0]!))
    return step('not found', `${q[0]} is a runtime or library namespace; definitions of ${name} here are other code`);
  let trust: number =
    q.length === 1
      ? TRUST.definitionBare
      : best < q.length
        ? TRUST.definitionPartial
        : best >= 3
          ? TRUST.definitionQualified
          : TRUST.definitionOwner;
  if (trustCap !== undefined) trust = Math.min(trust, trustCap);
  let candidates = scored.map((s) => s.hit);
  let picked = '';
  const scopes = new Set(candidates.map((c) => `${c.file}\0${c.qualifier.join('.')}`));
  if (scopes.size > 1) {
    const r = ctx.pick(candidates, (c) => c.file, undefined);
    if (r.chosen.length === 0 || new Set(r.chosen.map((c) => `${c.file}\0${c.qualifier.join('.')}`)).size > 1) {
      return step('ambiguous', `${scopes.size} places define ${fmtQualified(q, best)}: ${listFiles(candidates)}${r.why}`);
    }
    candidates = r.chosen;
    picked = r.why;
    trust *= PICKED;
  } else if (q.length === 1 || ctx.sdkLanguages !== undefined) {
    const r = ctx.pick(candidates, (c) => c.file, undefined);
    if (r.chosen.length === 0) return step('not found', `${name} is defined in ${listFiles(candidates)}${r.why}`);
  }
  candidates.sort((a, b) => a.line - b.line);
  let chosen = candidates[0]!;
  let overloads = '';
  if (candidates.length > 1) {
    const byLine = line === undefined ? undefined : [...candidates].reverse().find((c) => c.line <= line);
    if (byLine) {
      chosen = byLine;
      overloads = `; ${candidates.length} overloads, line ${line} is in this one`;
    } else {
      trust *= OVERLOADED;
      overloads = `; first of ${candidates.length} overloads (lines ${candidates.map((c) => c.line).join(', ')})`;
    }
  }
  const where = `${[...chosen.qualifier.slice(-1), chosen.name].join('.')} at ${chosen.file}:${chosen.line}`;
  const reason = `${evidence} matches the definition of ${where}${overloads}${picked}`;
  out.push({ file: chosen.file, line: chosen.line, function: fn, confidence: round(trust), reason });
  step('mapped', reason);
}

function commonSuffix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function fmtQualified(q: readonly string[], matched: number): string {
  return q.slice(q.length - Math.max(1, matched)).join('.');
}

// ---------------------------------------------------------------------------------------------------------
// kind 5: span names

/** Returns whether any span start carries the span's name (then the name is not read as a function name). */
function bySpanName(span: Span, ctx: Disambiguator, index: WorkspaceIndex, out: CodeMatch[], steps: EvidenceStep[]): boolean {
  const name = span.name;
  const evidence = `span name "${name}"`;
  if (name === '' || name.length > MAX_NAME) return false;
  let hits = index.spanStartsNamed(name);
  const exact = hits.length > 0;
  if (!exact) {
    hits = index.spanStartsMatching(name).filter((h) => h.pattern!.literalChars >= MIN_PATTERN_LITERALS);
    // the most specific patterns only: `orders.{}.run` over `orders.{}`
    const most = Math.max(0, ...hits.map((h) => h.pattern!.literalChars));
    hits = hits.filter((h) => h.pattern!.literalChars === most);
  }
  if (hits.length === 0) {
    steps.push({
      kind: 'span name',
      evidence,
      outcome: 'not found',
      detail: 'no span-start call in the workspace gives this name',
    });
    return false;
  }
  const places = new Set(hits.map((h) => `${h.file}:${h.line}`));
  let trust: number = !exact
    ? TRUST.spanStartPattern
    : hits.every((h) => h.via?.endsWith('name'))
      ? TRUST.spanStartDerived
      : TRUST.spanStart;
  let chosen = hits;
  let picked = '';
  const r = ctx.pick(
    hits,
    (h) => h.file,
    (h) => h.function,
  );
  if (r.chosen.length === 0 || (places.size > 1 && new Set(r.chosen.map((h) => `${h.file}:${h.line}`)).size > 1)) {
    steps.push({
      kind: 'span name',
      evidence,
      outcome: r.chosen.length === 0 ? 'not found' : 'ambiguous',
      detail: `${places.size} span starts give this name: ${listFiles(hits)}${r.why}`,
    });
    return true;
  }
  if (places.size > 1) {
    chosen = r.chosen;
    picked = r.why;
    trust *= PICKED;
  }
  const h = chosen[0]!;
  const how = h.pattern ? ` (pattern "${h.pattern.display}")` : h.via !== undefined ? ` (name from ${h.via})` : '';
  const reason = `${evidence} matches ${h.api} in ${h.file}:${h.line}${how}${picked}`;
  const m: CodeMatch = { file: h.file, line: h.line, column: h.column, confidence: round(trust), reason };
  if (h.function !== undefined) m.function = h.function;
  out.push(m);
  steps.push({ kind: 'span name', evidence, outcome: 'mapped', detail: reason });
  return true;
}

/** `a.py:3, b.go:9, …`: the first few places, for reasons. */
function listFiles(hits: readonly { file: string; line: number }[]): string {
  const shown = hits.slice(0, 5).map((h) => `${h.file}:${h.line}`);
  return shown.join(', ') + (hits.length > 5 ? ', …' : '');
}

// ---------------------------------------------------------------------------------------------------------
// kind 6: HTTP routes

function byRoute(span: Span, ctx: Disambiguator, index: WorkspaceIndex, out: CodeMatch[], steps: EvidenceStep[]): void {
  if (span.kind === 'client' || span.kind === 'producer' || span.kind === 'consumer') return;
  let route = stringAttribute(span.attributes, 'http.route')?.trim();
  let method = (stringAttribute(span.attributes, 'http.request.method') ?? stringAttribute(span.attributes, 'http.method'))
    ?.trim()
    .toUpperCase();
  let trust: number = TRUST.route;
  let evidence: string;
  if (route === undefined || route === '') {
    const m = span.kind === 'server' ? HTTP_SPAN_NAME.exec(span.name) : null;
    if (!m) return;
    [method, route, trust] = [m[1]!, m[2]!, TRUST.routeFromSpanName];
    evidence = `span name "${span.name}"`;
  } else {
    evidence = `http.route ${method !== undefined ? `${method} ` : ''}${route}`;
  }
  if (method !== undefined && !HTTP_METHODS.test(method)) method = undefined;
  const step = (outcome: EvidenceStep['outcome'], detail: string): void => {
    steps.push({ kind: 'http route', evidence, outcome, detail });
  };
  if (route.length > MAX_NAME) return step('skipped', 'the route is too long to be a template');
  const hits = index.routes(method, route);
  if (hits.length === 0) return step('not found', `no route handler in the workspace serves ${method ?? 'any method'} ${route}`);
  // RouteIndex returns tiers best first: the exact method before any-method, full routes before partial ones
  const first = hits[0]!;
  const tier = hits.filter((h) => h.method === first.method && !h.partial === !first.partial);
  if (first.partial) trust = Math.min(trust, TRUST.routeSuffix);
  const places = new Set(tier.map((h) => `${h.file}:${h.line}`));
  const r = ctx.pick(
    tier,
    (h) => h.file,
    (h) => h.handler,
  );
  if (r.chosen.length === 0 || new Set(r.chosen.map((h) => `${h.file}:${h.line}`)).size > 1) {
    return step(
      r.chosen.length === 0 ? 'not found' : 'ambiguous',
      `${places.size} route handlers fit: ${listFiles(tier)}${r.why}`,
    );
  }
  const h = r.chosen[0]!;
  const picked = places.size > 1 ? r.why : '';
  if (places.size > 1) trust *= PICKED;
  const mount = h.partial ? ' (mounted under a prefix set elsewhere)' : '';
  const reason = `${evidence} matches the ${h.framework} route ${h.method ?? 'any method'} ${h.route}${mount} in ${h.file}:${h.line}${picked}`;
  const m: CodeMatch = { file: h.file, line: h.line, confidence: round(trust), reason };
  if (h.handler !== undefined) m.function = h.handler;
  out.push(m);
  step('mapped', reason);
}

// ---------------------------------------------------------------------------------------------------------
// choosing among several candidates

interface Picked<T> {
  chosen: T[];
  /** `, picked by service name "cart-java"`; or why none fits */
  why: string;
}

/** Narrows candidates by what the span says of its origin: SDK language, then instrumentation scope, code namespace and service name. */
class Disambiguator {
  readonly sdkLanguages: ReadonlySet<SourceLanguage> | undefined;
  private readonly sdk: string | undefined;
  private readonly scope: string | undefined;
  private readonly codeParts: ReadonlySet<string>;
  private readonly serviceWords: readonly string[];

  constructor(
    private readonly span: Span,
    private readonly index: WorkspaceIndex,
  ) {
    this.sdk = stringAttribute(span.resource, 'telemetry.sdk.language')?.toLowerCase();
    const langs = this.sdk === undefined ? undefined : SDK_LANGUAGES[this.sdk];
    this.sdkLanguages = langs === undefined ? undefined : new Set(langs);
    this.scope = span.scope?.name || undefined;
    const code = readCodeAttributes(span.attributes);
    this.codeParts = new Set(code?.function === undefined ? [] : functionNameParts(code.function));
    const service = span.service === 'unknown_service' || span.service.startsWith('unknown_service:') ? '' : span.service;
    this.serviceWords = words(service).filter((w) => w.length >= 3 && !GENERIC_SERVICE_WORDS.has(w));
  }

  pick<T>(candidates: readonly T[], fileOf: (c: T) => string, functionOf: ((c: T) => string | undefined) | undefined): Picked<T> {
    let chosen = [...candidates];
    const reasons: string[] = [];
    if (this.sdkLanguages) {
      const langs = this.sdkLanguages;
      chosen = chosen.filter((c) => {
        const lang = this.index.languageOf(fileOf(c)) ?? languageOf(fileOf(c));
        return lang !== undefined && langs.has(lang);
      });
      if (chosen.length === 0) return { chosen, why: `; none is ${this.sdk} code, the language of the span's SDK` };
      if (chosen.length < candidates.length) reasons.push(`telemetry.sdk.language ${this.sdk}`);
    }
    const narrow = (label: string, keep: (c: T) => boolean): void => {
      if (distinct(chosen, fileOf) <= 1 && chosen.length <= 1) return;
      const kept = chosen.filter(keep);
      if (kept.length > 0 && kept.length < chosen.length) {
        chosen = kept;
        reasons.push(label);
      }
    };
    if (this.scope !== undefined) {
      const scope = this.scope;
      narrow(`instrumentation scope "${scope}"`, (c) => this.index.tracerNames(fileOf(c)).includes(scope));
    }
    if (this.codeParts.size > 0 && functionOf) {
      const parts = this.codeParts;
      narrow('code.namespace', (c) => {
        const fn = functionOf(c);
        return fn !== undefined && fn.split('.').some((p) => parts.has(p));
      });
    }
    if (this.serviceWords.length > 0) {
      const scores = chosen.map((c) => serviceScore(this.serviceWords, fileOf(c)));
      const max = Math.max(...scores);
      if (max > 0) narrow(`service name "${this.span.service}"`, (c) => serviceScore(this.serviceWords, fileOf(c)) === max);
    }
    return { chosen, why: reasons.length === 0 ? '' : `; picked by ${reasons.join(', ')}` };
  }
}

function distinct<T>(items: readonly T[], fileOf: (c: T) => string): number {
  return new Set(items.map(fileOf)).size;
}

function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** How many of the service name's words name a folder on the file's path. */
function serviceScore(serviceWords: readonly string[], file: string): number {
  const dirs = new Set(file.split('/').slice(0, -1).flatMap(words));
  let n = 0;
  for (const w of serviceWords) if (dirs.has(w)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// explaining kinds 1–3

function explainDirect(
  span: Span,
  index: WorkspaceIndex,
  extras: EvidenceExtras | undefined,
  direct: readonly CodeMatch[],
  steps: EvidenceStep[],
): void {
  const code = readCodeAttributes(span.attributes);
  if (code?.filePath !== undefined) {
    const evidence = `${code.fileKey} ${code.filePath}`;
    const hit = direct.find((m) => m.reason.startsWith(`${code.fileKey} `));
    const r = index.mapper.map(code.filePath);
    let detail: string;
    let outcome: EvidenceStep['outcome'] = 'not found';
    if (hit) [outcome, detail] = ['mapped', hit.reason];
    else if (r !== undefined && 'ambiguous' in r) {
      outcome = 'ambiguous';
      detail = `${r.count} workspace files end in "${r.suffix}" and nothing in the span picks one: ${r.ambiguous.slice(0, 5).join(', ')}`;
    } else if (unusablePath(code.filePath)) {
      detail = 'a library or runtime path, another URL scheme, or a path that climbs out of its folder';
    } else {
      detail = 'no workspace file has this path or ends like it; a traceLens.pathMappings entry can say where it lives';
    }
    steps.push({ kind: 'code attributes', evidence, outcome, detail });
  } else if (code?.function !== undefined) {
    const hit = direct.find((m) => m.reason.startsWith('code.namespace') || m.reason.startsWith('code.function.name'));
    steps.push({
      kind: 'code attributes',
      evidence: `code.function ${code.function}`,
      outcome: hit ? 'mapped' : 'not found',
      detail: hit ? hit.reason : 'no file path in the span, and no file follows from the class name; looked up by name below',
    });
  }
  const stacks =
    spanExceptions(span).length +
    (code?.stacktrace !== undefined ? 1 : 0) +
    (extras?.exceptions ?? []).filter((e) => e.stacktrace !== undefined).length;
  if (stacks > 0) {
    const hits = direct.filter((m) => m.reason.startsWith('stack frame'));
    steps.push({
      kind: 'stack trace',
      evidence: `${stacks} stack trace(s)`,
      outcome: hits.length > 0 ? 'mapped' : 'not found',
      detail:
        hits.length > 0
          ? hits.map((m) => m.reason).join('; ')
          : 'no frame maps to a workspace file (library frames are skipped; paths may need traceLens.pathMappings)',
    });
  }
  const dd = readDatadogCodeOrigin(span.attributes);
  if (dd.length > 0) {
    const hits = direct.filter((m) => m.reason.startsWith('Datadog'));
    steps.push({
      kind: 'vendor tags',
      evidence: `${dd.length} Datadog code-origin frame(s)`,
      outcome: hits.length > 0 ? 'mapped' : 'not found',
      detail: hits.length > 0 ? hits.map((m) => m.reason).join('; ') : 'no frame maps to a workspace file',
    });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
