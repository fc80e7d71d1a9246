/**
 * Kind 6 of the evidence: the HTTP route a server span was served by (`http.route`, else a "GET /path" span
 * name: a template, or the concrete path matched against the templates), looked up among the workspace's route
 * registrations. The span's language filters first, then its service, then the best fit (same template, then a
 * tail under a prefix mounted elsewhere). A server span with neither was not routed (a 404, a 413) or says
 * too little.  The answer is the handler's definition when the registration names one, else the registration.
 */
import { stringAttribute } from '../../model/attributes';
import type { Span } from '../../model/types';
import type { CodeMatch } from '../evidence';
import { normalizeRoute, type RouteCandidate, type RouteDefinition } from '../routes';
import { squash } from '../spelling';
import type { WorkspaceIndex } from '../workspaceIndex';
import type { Disambiguator } from './disambiguator';
import { resolveHandler } from './routeHandlers';
import { listFiles, MAX_NAME, PICKED, placeCount, round, TRUST, type EvidenceStep } from './types';

const HTTP_METHODS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT)$/;
const HTTP_SPAN_NAME = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/\S*)$/;
/** A path with a placeholder in any framework's syntax is a template, not a request path. */
const TEMPLATE_SYNTAX = /[{}<>[\]]|\/:|\*/;

export function byRoute(span: Span, ctx: Disambiguator, index: WorkspaceIndex, out: CodeMatch[], steps: EvidenceStep[]): void {
  if (span.kind === 'client' || span.kind === 'producer' || span.kind === 'consumer') return;
  const attrs = span.attributes;
  let method = (stringAttribute(attrs, 'http.request.method') ?? stringAttribute(attrs, 'http.method'))?.trim().toUpperCase();
  if (method !== undefined && !HTTP_METHODS.test(method)) method = undefined;
  const route = (stringAttribute(attrs, 'http.route') ?? stringAttribute(attrs, 'next.route'))?.trim();
  let candidates: RouteCandidate[];
  let evidence: string;
  let fromName = false;
  if (route !== undefined && route !== '') {
    if (route.length > MAX_NAME) return;
    evidence = `http.route ${method !== undefined ? `${method} ` : ''}${route}`;
    candidates = index.routeCandidates(method, route);
  } else {
    // apps that name server spans "<METHOD> <path>" themselves give the concrete path, or a template
    const named = span.kind === 'server' || span.kind === 'unspecified' ? HTTP_SPAN_NAME.exec(span.name) : null;
    if (!named || named[2]!.length > MAX_NAME) return;
    method ??= named[1]!;
    evidence = `span name "${span.name}"`;
    fromName = true;
    candidates = index.routeCandidates(method, named[2]!);
    if (!TEMPLATE_SYNTAX.test(named[2]!)) candidates.push(...index.routesForPath(method, named[2]!));
  }
  const step = (outcome: EvidenceStep['outcome'], detail: string): void => {
    steps.push({ kind: 'http route', evidence, outcome, detail });
  };
  if (candidates.length === 0) return step('not found', 'no route handler in the workspace serves it');
  const lang = ctx.byLanguage(candidates, (c) => c.def.file);
  if (lang.chosen.length === 0) {
    return step(
      'not found',
      `${placeCount(defsOf(candidates))} route handler(s) fit: ${listFiles(defsOf(candidates))}${lang.why}`,
    );
  }
  // the service that served the request decides before how well a template fits: a route of another service is not it
  const ours = ctx.byService(lang.chosen, (c) => c.def.file);
  if (ours.chosen.length === 0) {
    return step(
      'not found',
      `${placeCount(defsOf(lang.chosen))} route handler(s) fit: ${listFiles(defsOf(lang.chosen))}${ours.why}`,
    );
  }
  const best = ours.chosen.reduce((m, c) => Math.max(m, c.score), -Infinity);
  const tier = ours.chosen.filter((c) => c.score === best);
  const r = ctx.pick(
    tier,
    (c) => c.def.file,
    (c) => c.def.handler,
  );
  let namedByPath = false;
  if (placeCount(defsOf(r.chosen)) > 1 || r.chosen.every((c) => c.tier === 'loose')) {
    // routers mounted under a prefix set elsewhere (Rack `map '/invoices'`, `app.use('/orders', orders)`) usually
    // live in a file named for it: the request path says what the prefix was
    const mounted = byMountName(r.chosen, span);
    if (mounted) {
      namedByPath = true;
      r.chosen = mounted.chosen;
      r.why += `${r.why === '' ? '; picked by' : ','} ${mounted.why}`;
    }
  }
  if (r.chosen.length > 0 && r.chosen.every((c) => c.tier === 'loose') && !namedByPath) {
    return step('not found', `only routes of placeholders alone fit, under prefixes set elsewhere: ${listFiles(defsOf(tier))}`);
  }
  if (r.chosen.length === 0 || placeCount(defsOf(r.chosen)) > 1) {
    return step(
      r.chosen.length === 0 ? 'not found' : 'ambiguous',
      `${placeCount(defsOf(tier))} route handlers fit: ${listFiles(defsOf(tier))}${r.why}`,
    );
  }
  const chosen = r.chosen[0]!;
  const h = chosen.def;
  let trust: number =
    chosen.tier === 'path'
      ? TRUST.routeFromPath
      : h.partial || chosen.tier === 'tail'
        ? TRUST.routeSuffix
        : fromName
          ? TRUST.routeFromSpanName
          : TRUST.route;
  const narrowed = [lang.why, ours.why].filter((w) => w !== '');
  const fromPick = r.why.replace(/^; picked by /, '');
  if (fromPick !== '') narrowed.push(fromPick);
  const picked = narrowed.length > 0 ? `; picked by ${[...new Set(narrowed.join(', ').split(', '))].join(', ')}` : '';
  if (placeCount(defsOf(candidates)) > 1 && picked !== '') trust *= PICKED;
  const mount = h.partial ? ' (mounted under a prefix set elsewhere)' : '';
  const handler = resolveHandler(h, index);
  const where = handler ? `; its handler ${handler.name} is defined at ${handler.file}:${handler.line}` : '';
  const reason = `${evidence} matches the ${h.framework} route ${h.method ?? 'any method'} ${h.route}${mount} in ${h.file}:${h.line}${where}${picked}`;
  const m: CodeMatch = { file: handler?.file ?? h.file, line: handler?.line ?? h.line, confidence: round(trust), reason };
  if (h.handler !== undefined) m.function = h.handler;
  out.push(m);
  step('mapped', reason);
}

/**
 * Candidates whose file (or folder) is named like the prefix the request path was served under: `url.path`
 * `/invoices/42` for the route `/:id` was mounted at `/invoices`, so `invoices.rb` rather than `payments.rb`.
 */
function byMountName(candidates: readonly RouteCandidate[], span: Span): { chosen: RouteCandidate[]; why: string } | undefined {
  const path = (stringAttribute(span.attributes, 'url.path') ?? stringAttribute(span.attributes, 'http.target'))?.replace(
    /[?#].*$/,
    '',
  );
  if (path === undefined || !path.startsWith('/')) return undefined;
  const served = path.split('/').filter((p) => p !== '');
  const fits = (file: string, mount: string): boolean =>
    file
      .replace(/\.[^./]*$/, '')
      .split('/')
      .slice(-2)
      .map(squash)
      .some((n) => n === mount || n === `${mount}s` || `${n}s` === mount || n === `${mount}controller` || n === `${mount}router`);
  let prefix: string[] = [];
  const chosen = candidates.filter((c) => {
    // what the registration itself matches is the tail of the path; the segment before it names the mount
    const own = normalizeRoute(c.def.route)
      .split('/')
      .filter((p) => p !== '').length;
    if (served.length <= own) return false;
    const mount = squash(decodeSegment(served[served.length - own - 1]!));
    if (mount.length < 3 || !fits(c.def.file, mount)) return false;
    prefix = served.slice(0, served.length - own);
    return true;
  });
  if (chosen.length === 0 || placeCount(defsOf(chosen)) > 1) return undefined;
  return { chosen, why: `url.path ${path} (served under /${prefix.join('/')})` };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function defsOf(candidates: readonly RouteCandidate[]): RouteDefinition[] {
  return candidates.map((c) => c.def);
}
