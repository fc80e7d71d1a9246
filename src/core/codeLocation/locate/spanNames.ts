/**
 * Kind 5 of the evidence: the span name, as code passed it to a tracer. Exact names first; names built from
 * templates (`f"…{x}"`, template literals, `String.format`) match as patterns with enough literal text.
 */
import type { Span } from '../../model/types';
import type { CodeMatch } from '../evidence';
import type { WorkspaceIndex } from '../workspaceIndex';
import type { Disambiguator } from './disambiguator';
import { listFiles, MAX_NAME, PICKED, round, TRUST, type EvidenceStep, type NearPlace } from './types';

/** A pattern with fewer literal characters matches too much to be evidence. */
const MIN_PATTERN_LITERALS = 3;

/**
 * Names instrumentation libraries give by convention (an HTTP method, `HTTP GET`, a database operation and
 * its table): a pattern in the workspace that happens to fit one is no evidence that the workspace made it.
 */
const CONVENTIONAL_NAME =
  /^(?:HTTP[ _])?(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE|HTTP)$|^(?:SELECT|INSERT|UPDATE|DELETE|UPSERT|MERGE|CALL|EXEC|EXECUTE|BEGIN|COMMIT|ROLLBACK|FIND|AGGREGATE|GET|SET|HGET|HSET|MGET|PUBLISH)(?: [\w.$[\]"`-]+)?$/i;

/**
 * Scope names of OpenTelemetry's instrumentation libraries (and the .NET and Go conventions): such a span
 * was named by the library, whatever span-start calls of the workspace would give the same name. Annotation
 * and method instrumentations (`@WithSpan`, the Java agent's `methods`) name spans after the workspace's code.
 */
const INSTRUMENTATION_SCOPE =
  /^(?!.*(?:annotations|\.methods\b))(?:@opentelemetry\/instrumentation-|io\.opentelemetry\.(?!api\b)|opentelemetry\.instrumentation\.|go\.opentelemetry\.io\/contrib\/instrumentation\/|OpenTelemetry\.Instrumentation\.|Microsoft\.AspNetCore|System\.Net\.Http|opentelemetry-instrumentation-|OpenTelemetry::Instrumentation::|io\.opentelemetry\.contrib\.)/;

/** Why the span's name says nothing of the workspace's code, if it says nothing. */
export function nameFromLibrary(span: Span): string | undefined {
  const scope = span.scope?.name;
  if (scope !== undefined && INSTRUMENTATION_SCOPE.test(scope)) return `instrumentation library "${scope}" named this span`;
  return undefined;
}

/** Returns whether any span start carries the span's name (then the name is not read as a function name). */
export function bySpanName(
  span: Span,
  ctx: Disambiguator,
  index: WorkspaceIndex,
  out: CodeMatch[],
  steps: EvidenceStep[],
): boolean {
  const name = span.name;
  const evidence = `span name "${name}"`;
  if (name === '' || name.length > MAX_NAME) return false;
  const library = nameFromLibrary(span);
  if (library !== undefined) {
    steps.push({
      kind: 'span name',
      evidence,
      outcome: 'skipped',
      detail: `${library}; span starts of the workspace are not looked up`,
    });
    return false;
  }
  let hits = index.spanStartsNamed(name);
  const exact = hits.length > 0;
  if (!exact && CONVENTIONAL_NAME.test(name)) {
    steps.push({
      kind: 'span name',
      evidence,
      outcome: 'not found',
      detail:
        'no span-start call gives this name, and it is one instrumentation libraries give by convention: patterns are not tried',
    });
    return false;
  }
  const matching = exact ? [] : index.spanStartsMatching(name, 1);
  if (!exact) {
    hits = matching.filter((h) => h.pattern!.literalChars >= MIN_PATTERN_LITERALS);
    // the most specific patterns only: `orders.{}.run` over `orders.{}`
    const most = hits.reduce((m, h) => Math.max(m, h.pattern!.literalChars), 0);
    hits = hits.filter((h) => h.pattern!.literalChars === most);
  }
  if (hits.length === 0) {
    // starts whose names are built only from run-time values (`${method} ${path}`) fit anything: not evidence, but worth saying
    // (a routed server span is explained by its route, not by loose names)
    const routed = span.kind === 'server' && span.attributes['http.route'] !== undefined;
    const loose = routed
      ? []
      : ctx.byService(
          matching.filter((h) => h.pattern!.literalChars > 0 && ctx.fitsLanguage(h.file)),
          (h) => h.file,
        ).chosen;
    const near: NearPlace[] = loose.slice(0, 5).map((h) => {
      const p: NearPlace = {
        file: h.file,
        line: h.line,
        note: `names spans "${h.pattern!.display}" from values known only at run time`,
      };
      if (h.function !== undefined) p.function = h.function;
      return p;
    });
    const step: EvidenceStep = {
      kind: 'span name',
      evidence,
      outcome: 'not found',
      detail:
        near.length === 0
          ? 'no span-start call in the workspace gives this name'
          : `no span-start call gives this name; ${loose.length} build names like it only from run-time values, too loosely to tell which made it: ${listFiles(loose)}`,
    };
    if (near.length > 0) step.near = near;
    steps.push(step);
    return false;
  }
  const places = new Set(hits.map((h) => `${h.file}:${h.line}`));
  let trust: number = !exact
    ? TRUST.spanStartPattern
    : hits.every((h) => h.derived === true)
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
