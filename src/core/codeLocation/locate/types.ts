/** What the name-based strategies share: the evidence steps they report and the way they report places. */
import type { CodeMatch } from '../evidence';

export type EvidenceKind =
  'code attributes' | 'stack trace' | 'vendor tags' | 'function name' | 'span name' | 'http route' | 'rpc method';

export interface EvidenceStep {
  kind: EvidenceKind;
  /** what was read from the span, e.g. `code.function.name com.shop.cart.CartService.addItem` */
  evidence: string;
  outcome: 'mapped' | 'ambiguous' | 'not found' | 'skipped';
  /** why, for a person */
  detail: string;
  /** places that nearly fit and may be where the span came from, for advice when nothing mapped */
  near?: NearPlace[];
}

export interface NearPlace {
  file: string;
  /** 1-based */
  line: number;
  /** the function there, when known */
  function?: string;
  /** what fits and what does not, e.g. `names spans "{} {}" from run-time values only` */
  note: string;
}

export interface SpanExplanation {
  /** what locateSpan returns */
  matches: CodeMatch[];
  /** the evidence tried, in order; kinds the span has no evidence of are left out */
  steps: EvidenceStep[];
}

/** How far each kind of name-only evidence is trusted (path evidence is in evidence.ts, 0.6–0.95). */
export const TRUST = {
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
  /** a concrete request path matched against the templates */
  routeFromPath: 0.65,
  /** the route is defined under a prefix mounted elsewhere (`router.get('/:id')` under `app.use('/orders')`) */
  routeSuffix: 0.6,
  /** an RPC method implemented by a type named for its service */
  rpcImplementation: 0.8,
} as const;
/** An answer picked among several by language, scope or service is less certain than a unique one. */
export const PICKED = 0.9;
/** Overloads: the first is shown, but the span cannot say which one ran. */
export const OVERLOADED = 0.85;
/** Names longer than this are not looked up. */
export const MAX_NAME = 512;

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** `a.py:3, b.go:9, …`: the first few places, for reasons. */
export function listFiles(hits: readonly { file: string; line: number }[]): string {
  const shown = hits.slice(0, 5).map((h) => `${h.file}:${h.line}`);
  return shown.join(', ') + (hits.length > 5 ? ', …' : '');
}

/** The number of distinct `file:line` places. */
export function placeCount(hits: readonly { file: string; line: number }[]): number {
  return new Set(hits.map((h) => `${h.file}:${h.line}`)).size;
}
