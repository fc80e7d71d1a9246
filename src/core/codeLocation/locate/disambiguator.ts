/**
 * Choosing among several places a name fits, by what the span says of its origin: the SDK's language first
 * (a hard filter), then the instrumentation scope, the code namespace and the service — by the folders its
 * deployment files declare for it, else by folders named like it.
 */
import { stringAttribute } from '../../model/attributes';
import type { Span } from '../../model/types';
import { readCodeAttributes } from '../codeAttributes';
import { languageOf } from '../definitions';
import type { WorkspaceIndex } from '../workspaceIndex';
import { functionNameParts } from './qualifiedNames';

/** `telemetry.sdk.language` → the workspace languages (SourceLanguage) its code can be written in. */
export const SDK_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  java: ['java', 'kotlin'],
  python: ['python'],
  go: ['go'],
  dotnet: ['csharp'],
  nodejs: ['javascript', 'typescript'],
  webjs: ['javascript', 'typescript'],
  ruby: ['ruby'],
  php: ['php'],
  rust: ['rust'],
  erlang: ['elixir', 'erlang'],
  elixir: ['elixir', 'erlang'],
  cpp: ['cpp', 'c'],
};

const GENERIC_SERVICE_WORDS: ReadonlySet<string> = new Set(
  'service svc api app server backend web worker main the and example examples demo'.split(' '),
);

export interface Picked<T> {
  chosen: T[];
  /** `, picked by service name "cart-java"`; or why none fits */
  why: string;
}

export class Disambiguator {
  readonly sdkLanguages: ReadonlySet<string> | undefined;
  readonly sdk: string | undefined;
  private readonly scope: string | undefined;
  private readonly codeParts: ReadonlySet<string>;
  private readonly service: string;
  private readonly serviceWords: readonly string[];
  private serviceRootsCache: readonly string[] | undefined;

  /** `peer`: judge for the service a client span called, not the caller's (language, scope and code say nothing then) */
  constructor(
    private readonly span: Span,
    private readonly index: WorkspaceIndex,
    peer?: string,
  ) {
    const own = peer === undefined;
    this.sdk = own ? stringAttribute(span.resource, 'telemetry.sdk.language')?.toLowerCase() : undefined;
    const langs = this.sdk === undefined ? undefined : SDK_LANGUAGES[this.sdk];
    this.sdkLanguages = langs === undefined ? undefined : new Set(langs);
    this.scope = own ? span.scope?.name || undefined : undefined;
    const code = own ? readCodeAttributes(span.attributes) : undefined;
    this.codeParts = new Set(code?.function === undefined ? [] : functionNameParts(code.function));
    const service = peer ?? span.service;
    this.service = service === 'unknown_service' || service.startsWith('unknown_service:') ? '' : service;
    this.serviceWords = words(this.service).filter((w) => w.length >= 3 && !GENERIC_SERVICE_WORDS.has(w));
  }

  /** A judge for the service a client span called (`peer.service`, the host it called), in any language. */
  forPeer(peer: string): Disambiguator {
    return new Disambiguator(this.span, this.index, peer);
  }

  /** Whether `file` is in a language the span's SDK can run; true when the SDK does not say. */
  fitsLanguage(file: string): boolean {
    if (!this.sdkLanguages) return true;
    const lang = this.index.languageOf(file) ?? languageOf(file);
    return lang !== undefined && this.sdkLanguages.has(lang);
  }

  /** The candidates in the SDK's languages; none, with the reason, when the SDK names a language none is in. */
  byLanguage<T>(candidates: readonly T[], fileOf: (c: T) => string): Picked<T> {
    if (!this.sdkLanguages) return { chosen: [...candidates], why: '' };
    const chosen = candidates.filter((c) => this.fitsLanguage(fileOf(c)));
    if (chosen.length === 0) return { chosen, why: `; none is ${this.sdk} code, the language of the span's SDK` };
    return { chosen, why: chosen.length < candidates.length ? `telemetry.sdk.language ${this.sdk}` : '' };
  }

  /** The candidates of the span's service when the service name singles some out; all of them otherwise. */
  byService<T>(candidates: readonly T[], fileOf: (c: T) => string): Picked<T> {
    if (this.service === '' || candidates.length <= 1) return { chosen: [...candidates], why: '' };
    const scores = candidates.map((c) => this.serviceScore(fileOf(c)));
    const max = Math.max(...scores);
    if (max <= 0) return { chosen: [...candidates], why: '' };
    const chosen = candidates.filter((_c, i) => scores[i] === max);
    return { chosen, why: chosen.length < candidates.length ? `service name "${this.service}"` : '' };
  }

  pick<T>(candidates: readonly T[], fileOf: (c: T) => string, functionOf: ((c: T) => string | undefined) | undefined): Picked<T> {
    const lang = this.byLanguage(candidates, fileOf);
    if (lang.chosen.length === 0) return lang;
    let chosen = lang.chosen;
    const reasons: string[] = lang.why === '' ? [] : [lang.why];
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
    if (this.service !== '') {
      const scores = chosen.map((c) => this.serviceScore(fileOf(c)));
      const max = Math.max(...scores);
      if (max > 0) narrow(`service name "${this.service}"`, (c) => this.serviceScore(fileOf(c)) === max);
    }
    return { chosen, why: reasons.length === 0 ? '' : `; picked by ${reasons.join(', ')}` };
  }

  /**
   * How strongly `file` belongs to the span's service: under a folder whose deployment files declare the
   * service name (compose `OTEL_SERVICE_NAME`, `spring.application.name`, a package name, …), in a folder
   * named exactly like the service, or in folders named with its words.
   */
  serviceScore(file: string): number {
    if (this.service === '') return 0;
    this.serviceRootsCache ??= this.index.serviceRoots(this.service);
    let score = 0;
    for (const root of this.serviceRootsCache) {
      if (root === '' || file.startsWith(`${root}/`)) score = Math.max(score, 1000 + root.length);
    }
    const dirs = file.split('/').slice(0, -1);
    const whole = squash(this.service);
    if (whole.length >= 2 && dirs.some((d) => squash(d) === whole)) score = Math.max(score, 500);
    const dirWords = new Set(dirs.flatMap(words).map(singular));
    let n = 0;
    for (const w of this.serviceWords) if (dirWords.has(singular(w))) n++;
    return Math.max(score, n);
  }
}

function distinct<T>(items: readonly T[], fileOf: (c: T) => string): number {
  return new Set(items.map(fileOf)).size;
}

export function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** `Product-Catalog`, `product_catalog`, `productcatalog` → one spelling. */
export function squash(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function singular(w: string): string {
  return w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}
