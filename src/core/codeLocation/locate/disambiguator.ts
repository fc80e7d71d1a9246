/**
 * Choosing among several places a name fits, by what the span says of its origin: the SDK's language first
 * (a hard filter), then the instrumentation scope, the code namespace and the service — by the folders its
 * deployment files declare for it, else by folders named like it.
 */
import { stringAttribute } from '../../model/attributes';
import type { Span } from '../../model/types';
import { readCodeAttributes } from '../codeAttributes';
import { languageOf, languagesOfSdk } from '../definitions';
import { isUnder } from '../serviceHomes';
import type { WorkspaceIndex } from '../workspaceIndex';
import { functionNameParts } from './qualifiedNames';

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
  private readonly wordScores = new Map<string, number>();

  /** `peer`: judge for the service a client span called, not the caller's (language, scope and code say nothing then) */
  constructor(
    private readonly span: Span,
    private readonly index: WorkspaceIndex,
    peer?: string,
  ) {
    const own = peer === undefined;
    this.sdk = own ? stringAttribute(span.resource, 'telemetry.sdk.language')?.toLowerCase() : undefined;
    const langs = this.sdk === undefined ? undefined : languagesOfSdk(this.sdk);
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

  /**
   * The candidates in the span's service's code. Where the workspace shows the service's home (folders its
   * deployment files declare, or a folder named exactly like it), the candidates in it; if none is, those that
   * are in no other service's home (shared code), else none. Without a home, those in folders named with the
   * service's words, when some are.
   */
  byService<T>(candidates: readonly T[], fileOf: (c: T) => string): Picked<T> {
    if (this.service === '' || candidates.length === 0) return { chosen: [...candidates], why: '' };
    const label = `service name "${this.service}"`;
    const homes = this.index.serviceHomes(this.service);
    const inHome = homes.length === 0 ? [] : candidates.filter((c) => isUnder(fileOf(c), homes));
    if (inHome.length > 0) return { chosen: inHome, why: inHome.length < candidates.length ? label : '' };
    const others = this.index.otherServiceHomes(this.service);
    const shared = others.length === 0 ? [...candidates] : candidates.filter((c) => !isUnder(fileOf(c), others));
    if (shared.length === 0) {
      return { chosen: [], why: `; none is in the code of service "${this.service}", only in other services' code` };
    }
    const why = shared.length < candidates.length ? `${label} (other services' code left out)` : '';
    // one candidate left is kept whatever its folders' words: scoring it would change nothing
    if (homes.length > 0 || shared.length <= 1) return { chosen: shared, why };
    let max = 0;
    const scores = shared.map((c) => {
      const n = this.wordScore(fileOf(c));
      if (n > max) max = n;
      return n;
    });
    if (max === 0) return { chosen: shared, why };
    const chosen = shared.filter((_c, i) => scores[i] === max);
    return { chosen, why: chosen.length < candidates.length ? label : '' };
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
    const ours = this.byService(chosen, fileOf);
    if (ours.chosen.length === 0) return ours;
    chosen = ours.chosen;
    if (ours.why !== '') reasons.push(ours.why);
    return { chosen, why: reasons.length === 0 ? '' : `; picked by ${reasons.join(', ')}` };
  }

  /** How many of the service name's words name a folder on the file's path (cached per file). */
  private wordScore(file: string): number {
    let n = this.wordScores.get(file);
    if (n === undefined) {
      const dirWords = new Set(file.split('/').slice(0, -1).flatMap(words).map(singular));
      n = 0;
      for (const w of this.serviceWords) if (dirWords.has(singular(w))) n++;
      this.wordScores.set(file, n);
    }
    return n;
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

function singular(w: string): string {
  return w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}
