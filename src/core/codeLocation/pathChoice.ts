/**
 * Choosing among workspace files that all fit a recorded path (the same container path in several services:
 * `/usr/src/app/src/server.ts`, `/app/main.go`) by what the span and the frame say of their origin: the SDK's
 * language, the function defined in the file, the namespace's words in its folders, the service name's words in
 * its folders. Each criterion narrows only when it keeps some candidates and drops others; the answer is the one
 * file left, or none.
 */
import { stringAttribute } from '../model/attributes';
import type { Span } from '../model/types';
import { languageOf, languagesOfSdk, type SourceLanguage } from './definitions';

/** One definition, as WorkspaceIndex.definitions gives it. */
export interface DefinitionRef {
  file: string;
  /** 1-based */
  line: number;
  name: string;
  qualifier: readonly string[];
  kind: 'function' | 'type';
}

/** What the workspace defines; WorkspaceIndex fits. */
export interface DefinitionSource {
  /** definitions named exactly `name` */
  definitions(name: string): readonly DefinitionRef[];
}

/** What a span says of where it comes from. */
export interface SpanOrigin {
  service: string;
  /** words of the service name that can name a folder (`example-redis-server` → redis, example) */
  serviceWords: readonly string[];
  sdk?: string;
  languages?: ReadonlySet<SourceLanguage>;
}

/** What a frame or attribute says of the code that ran. */
export interface CodeHint {
  /** the function as recorded, for reasons */
  function?: string;
  /** its qualified name's parts, outermost first (see symbolParts) */
  parts?: readonly string[];
}

export interface Choice {
  file: string;
  /** `language typescript, service name "example-redis-server"` */
  why: string;
}

const GENERIC_WORDS: ReadonlySet<string> = new Set(
  'service svc api app application server backend frontend web worker main the and src lib example demo'.split(' '),
);

export function spanOrigin(span: Span): SpanOrigin {
  const service = span.service === 'unknown_service' || span.service.startsWith('unknown_service:') ? '' : span.service;
  const origin: SpanOrigin = {
    service,
    serviceWords: words(service).filter((w) => w.length >= 3 && !GENERIC_WORDS.has(w)),
  };
  const sdk = stringAttribute(span.resource, 'telemetry.sdk.language')?.toLowerCase();
  if (sdk !== undefined) {
    origin.sdk = sdk;
    const langs = languagesOfSdk(sdk);
    if (langs) origin.languages = new Set(langs);
  }
  return origin;
}

/**
 * The one candidate the span and code point to, or undefined. `sharedDepth` is how many trailing path segments
 * all candidates share (their common suffix): only the folders above it can tell them apart.
 */
export function chooseFile(
  candidates: readonly string[],
  sharedDepth: number,
  hint: CodeHint,
  origin: SpanOrigin | undefined,
  definitions: DefinitionSource | undefined,
): Choice | undefined {
  let chosen = [...new Set(candidates)];
  const why: string[] = [];
  const narrow = (label: string, score: (file: string) => number): void => {
    if (chosen.length <= 1) return;
    const scores = chosen.map(score);
    const max = Math.max(...scores);
    if (max <= 0) return;
    const kept = chosen.filter((_, i) => scores[i] === max);
    if (kept.length < chosen.length) {
      chosen = kept;
      why.push(label);
    }
  };
  const langs = origin?.languages;
  if (langs) narrow(`telemetry.sdk.language ${origin.sdk}`, (f) => (langs.has(languageOf(f)!) ? 1 : 0));
  const parts = hint.parts ?? [];
  const name = parts[parts.length - 1];
  if (definitions && name !== undefined) {
    const defined = definedIn(definitions, parts);
    narrow(`it defines ${parts.slice(-2).join('.')}`, (f) => defined.get(f) ?? 0);
  }
  const tokens = namespaceTokens(hint);
  if (tokens.size > 0) narrow(`${hint.function ?? parts.join('.')} names its folder`, (f) => folderScore(f, sharedDepth, tokens));
  if (origin && origin.serviceWords.length > 0) {
    const service = new Set(origin.serviceWords);
    narrow(`service name "${origin.service}"`, (f) => folderScore(f, sharedDepth, service));
  }
  return chosen.length === 1 ? { file: chosen[0]!, why: why.join(', ') } : undefined;
}

/** file → how many trailing parts of `parts` its best definition of the name agrees with. */
export function definedIn(definitions: DefinitionSource, parts: readonly string[]): Map<string, number> {
  const name = parts[parts.length - 1]!;
  const out = new Map<string, number>();
  for (const d of definitions.definitions(name)) {
    const m = commonSuffix(parts, [...d.qualifier, d.name]);
    if (m > (out.get(d.file) ?? 0)) out.set(d.file, m);
  }
  return out;
}

export function commonSuffix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** How many of `tokens` name one of the file's folders above the shared suffix. */
function folderScore(file: string, sharedDepth: number, tokens: ReadonlySet<string>): number {
  const dirs = file.split('/').slice(0, -Math.max(1, sharedDepth));
  const seen = new Set<string>();
  for (const d of dirs) {
    const lower = d.toLowerCase();
    if (tokens.has(lower)) seen.add(lower);
    for (const w of words(d)) if (tokens.has(w)) seen.add(w);
  }
  return seen.size;
}

/**
 * Words of the namespace and function that a folder may be named after, in the forms folders take:
 * `RealWorld.Blog` → realworld, real_world, real-world, blog; `github.com/acme/shop/orders.(*Handler).Create` →
 * acme, shop, orders, handler, create.
 */
function namespaceTokens(hint: CodeHint): Set<string> {
  const out = new Set<string>();
  const raw = [...(hint.parts ?? []), ...(hint.function ?? '').split(/[^A-Za-z0-9_-]+/)];
  for (const p of raw) {
    if (p.length < 2) continue;
    out.add(p.toLowerCase());
    const split = p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    out.add(split);
    out.add(split.replace(/_/g, '-'));
  }
  for (const g of ['com', 'org', 'net', 'io', 'github', 'main', 'src', 'lib', 'app']) out.delete(g);
  return out;
}

function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}
