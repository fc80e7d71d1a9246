/**
 * From a span to workspace source lines, using every kind of evidence: code attributes, stack traces and
 * vendor tags (evidence.ts), then — for spans without a usable path — the function name, the RPC method, the
 * span name and the HTTP route, looked up in the workspace index (one strategy a file under locate/). Each
 * answer says why; a name that fits several places gives no answer unless the span's language, instrumentation
 * scope or service singles one out.
 */
import { stringAttribute } from '../model/attributes';
import type { Span } from '../model/types';
import { readCodeAttributes, readDatadogCodeOrigin, spanExceptions } from './codeAttributes';
import { locateFromEvidence, type CodeMatch, type EvidenceExtras } from './evidence';
import { Disambiguator } from './locate/disambiguator';
import { byFunctionName } from './locate/functionNames';
import { byRoute } from './locate/httpRoutes';
import { byRpc } from './locate/rpcMethods';
import { bySpanName, nameFromLibrary } from './locate/spanNames';
import { TRUST, type EvidenceStep, type SpanExplanation } from './locate/types';
import { isLibraryPath, normalizeForeignPath } from './pathMapper';
import type { WorkspaceIndex } from './workspaceIndex';

export type { EvidenceKind, EvidenceStep, NearPlace, SpanExplanation } from './locate/types';
export { functionNameParts } from './locate/qualifiedNames';

const QUALIFIED_SPAN_NAME = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)+$/;

/** Workspace locations for `span`, best first; empty when nothing credible points into the workspace. */
export function locateSpan(span: Span, index: WorkspaceIndex, extras?: EvidenceExtras): CodeMatch[] {
  return explainSpan(span, index, extras).matches;
}

/** `locateSpan`'s answer with the evidence it tried and why each piece did or did not map. */
export function explainSpan(span: Span, index: WorkspaceIndex, extras?: EvidenceExtras): SpanExplanation {
  const steps: EvidenceStep[] = [];
  const direct = locateFromEvidence(span, index.mapper, extras, index);
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
  if (pathUnusable) {
    // the span says it was made by library code: names and routes it carries are the library's, not the workspace's
    steps.push({
      kind: 'span name',
      evidence: `span name "${span.name}"`,
      outcome: 'skipped',
      detail: `${code.fileKey} ${code.filePath} says library code made this span; its name and route are not looked up`,
    });
    return { matches: direct, steps };
  }
  const rpc = byRpc(span, ctx, index, byName, steps);
  const fromStarts = !rpc && bySpanName(span, ctx, index, byName, steps);
  if (!rpc) byRoute(span, ctx, index, byName, steps);
  if (!rpc && !fromStarts && code?.function === undefined && QUALIFIED_SPAN_NAME.test(span.name) && direct.length === 0) {
    const found: CodeMatch[] = [];
    byFunctionName(span.name, 'span name', undefined, ctx, index, found, steps, TRUST.spanNameAsFunction);
    // a library names its spans after its own classes (`Session.merge`), except the controllers it routes to
    const library = nameFromLibrary(span);
    for (const m of found) {
      if (library === undefined || (m.line !== undefined && index.isRouteHandler(m.file, m.line))) byName.push(m);
      else
        steps.push({
          kind: 'function name',
          evidence: `span name ${span.name}`,
          outcome: 'skipped',
          detail: `${library}: ${m.file}:${m.line ?? ''} is no route handler, so the name is the library's own`,
        });
    }
  }
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
  const cap = out.reduce((m, d) => Math.min(m, d.confidence), 1);
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
