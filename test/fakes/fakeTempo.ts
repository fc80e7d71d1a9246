/**
 * Fake Grafana Tempo. /api/search (TraceQL `q` — a small subset — or logfmt `tags`), /api/traces/{id},
 * /api/v2/traces/{id} (`{trace, status, message}`), tag names and values in both API versions, and
 * /api/metrics/query_range (the TraceQL metrics this extension asks: `quantile_over_time(duration, …)` and
 * `count_over_time()` by attributes or `name`, over a filter of `!= nil`, `= nil`, `=` and `kind !=` terms), and
 * multi-tenancy through X-Scope-OrgID. Serves the Tempo trace fixtures; the recorded search_bookinfo.json
 * hit is part of every search it matches. Trace ids in search results drop their leading zeros, as
 * Tempo's do.
 */
import type { FakeBackendOptions, FakeReply, FakeRequest, FakeRoutes } from './fakeRoutes';
import { json, text } from './fakeRoutes';
import {
  indexOtlp,
  listFixtures,
  parseGoDuration,
  readFixture,
  search,
  type FakeCriteria,
  type FakeSpan,
  type FakeTrace,
} from './fakeData';
import { normalizeTraceId } from '../../src/core/model/ids';

type Json = Record<string, unknown>;

const INTRINSICS = ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'];
const NOT_FOUND = text(404, '404 page not found\n');

export function createTempoRoutes(
  fixturesDir: string | undefined,
  options: FakeBackendOptions,
): { routes: FakeRoutes; traces: FakeTrace[] } {
  const traces: FakeTrace[] = [];
  let recordedHits: Json[] = [];
  if (fixturesDir) {
    for (const file of listFixtures(fixturesDir, 'tempo')) {
      if (file.includes('/search_')) continue;
      traces.push(...indexOtlp(readFixture(fixturesDir, file), file));
    }
    recordedHits = ((readFixture(fixturesDir, 'tempo/search_bookinfo.json') as Json).traces as Json[]) ?? [];
  }
  for (const doc of options.documents ?? []) traces.push(...indexOtlp(doc, 'test'));
  const v2 = options.tempoApi !== 'v1';
  const partial = new Set((options.partialTraceIds ?? []).map((id) => normalizeTraceId(id)));

  const routes: FakeRoutes = (req) => {
    let data = traces;
    let recorded = recordedHits;
    if (options.tenant !== undefined) {
      const org = req.headers['x-scope-orgid'];
      if (org === undefined || org === '') return text(401, 'no org id\n');
      if (org !== options.tenant) {
        data = [];
        recorded = [];
      }
    }
    const p = req.path;
    if (p === '/api/echo') return text(200, 'echo');
    if (p === '/api/search') return searchRoute(data, recorded, req);
    if (p === '/api/metrics/query_range') return metricsRoute(data, req);
    let m = /^\/api\/traces\/([^/]+)$/.exec(p);
    if (m) return traceRoute(data, decodeURIComponent(m[1]!), req, undefined);
    if (p === '/api/search/tags') return json(200, { tagNames: [...new Set(data.flatMap(allKeys))].sort() });
    m = /^\/api\/search\/tag\/([^/]+)\/values$/.exec(p);
    if (m) return json(200, { tagValues: valuesOf(data, decodeURIComponent(m[1]!)) });
    if (!v2) return NOT_FOUND;
    m = /^\/api\/v2\/traces\/([^/]+)$/.exec(p);
    if (m) return traceRoute(data, decodeURIComponent(m[1]!), req, partial);
    if (p === '/api/v2/search/tags') return tagsV2(data, req);
    m = /^\/api\/v2\/search\/tag\/([^/]+)\/values$/.exec(p);
    if (m) {
      const criteria: FakeCriteria = { durationOf: 'trace' };
      const q = req.query.get('q');
      const error = q ? applyTraceQl(q, criteria) : undefined;
      if (error) return badRequest(error);
      return tagValuesV2(q ? search(data, criteria) : data, decodeURIComponent(m[1]!), criteria.service);
    }
    return NOT_FOUND;
  };
  return { routes, traces };
}

function badRequest(message: string): FakeReply {
  return text(400, message);
}

/** Mirrors Tempo's api.ParseSearchRequest. */
function searchRoute(traces: FakeTrace[], recorded: Json[], req: FakeRequest): FakeReply {
  const q = req.query;
  const criteria: FakeCriteria = { durationOf: 'trace', limit: 20 };
  const traceql = q.get('q');
  const tags = q.get('tags');
  if (traceql && tags) return badRequest('invalid request: cannot specify both tags and q');
  if (traceql) {
    const error = applyTraceQl(traceql, criteria);
    if (error) return badRequest(error);
  }
  if (tags) {
    const parsed = parseLogfmt(tags);
    if (typeof parsed === 'string') return badRequest(`invalid tags: ${parsed}`);
    for (const [k, v] of Object.entries(parsed)) applyTag(criteria, k, v);
  }
  for (const name of ['minDuration', 'maxDuration'] as const) {
    const raw = q.get(name);
    if (!raw) continue;
    const us = parseGoDuration(raw);
    if (us === undefined) return badRequest(`invalid ${name}: time: invalid duration "${raw}"`);
    if (name === 'minDuration') criteria.minDurationUs = us;
    else criteria.maxDurationUs = us;
  }
  if (criteria.minDurationUs && criteria.maxDurationUs !== undefined && criteria.minDurationUs > criteria.maxDurationUs) {
    return badRequest('invalid maxDuration: must be greater than minDuration');
  }
  const limit = q.get('limit');
  if (limit) {
    if (!/^-?\d+$/.test(limit)) return badRequest(`invalid limit: strconv.Atoi: parsing "${limit}": invalid syntax`);
    if (Number(limit) <= 0) return badRequest('invalid limit: must be a positive number');
    criteria.limit = Number(limit);
  }
  const start = q.get('start');
  const end = q.get('end');
  if (start || end) {
    if (!start || !end || !/^\d+$/.test(start) || !/^\d+$/.test(end)) {
      return badRequest('please provide positive values for http parameters start and end');
    }
    if (Number(end) < Number(start))
      return badRequest(`http parameter start must be before end. received start=${start} end=${end}`);
    criteria.startUs = Number(start) * 1e6;
    criteria.endUs = Number(end) * 1e6 + 999_999;
  }
  const hits = [
    ...recorded.filter((h) => recordedMatches(h, criteria)),
    ...search(traces, { ...criteria, limit: undefined }).map(searchHit),
  ];
  return json(200, {
    traces: hits.slice(0, criteria.limit),
    metrics: { inspectedBytes: '1024', completedJobs: 1, totalJobs: 1 },
  });
}

/**
 * Mirrors Tempo's metrics query_range: `q`, `start` and `end` in unix seconds, `step` a Go duration. Computed from
 * the spans served, one sample per step that has spans, durations in seconds; a quantile series carries a `p` label.
 */
function metricsRoute(traces: FakeTrace[], req: FakeRequest): FakeReply {
  const q = req.query.get('q') ?? '';
  const start = req.query.get('start') ?? '';
  const end = req.query.get('end') ?? '';
  const step = req.query.get('step') ?? '';
  if (!/^\d+$/.test(start) || !/^\d+$/.test(end))
    return badRequest('please provide positive values for http parameters start and end');
  if (Number(end) <= Number(start))
    return badRequest(`http parameter start must be before end. received start=${start} end=${end}`);
  const stepUs = parseGoDuration(step);
  if (stepUs === undefined || stepUs <= 0) return badRequest(`invalid step: time: invalid duration "${step}"`);
  const m =
    /^\s*\{(.*)\}\s*\|\s*(?:quantile_over_time\(\s*duration\s*,([^)]*)\)|(count_over_time)\(\))\s*by\s*\(([^)]*)\)\s*$/s.exec(q);
  if (!m) return badRequest(`invalid TraceQL query: this fake only knows quantile_over_time and count_over_time by (…): ${q}`);
  const [, filter = '', quantileList, count, byList = ''] = m;
  const terms: ((s: FakeSpan) => boolean)[] = [];
  for (const term of filter.split('&&')) {
    const t = /^\s*([\w.]+)\s*(!=|=)\s*("(?:[^"\\]|\\.)*"|[\w.]+)\s*$/.exec(term);
    if (!t) return badRequest(`invalid TraceQL query: parse error near "${term.trim()}"`);
    const [, lhs = '', op, raw = ''] = t;
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (lhs === 'status' && op === '=' && value === 'error') terms.push((s) => s.error);
    else if (raw === 'nil') terms.push((s) => (spanValue(s, lhs) !== undefined) === (op === '!='));
    else if (lhs === 'kind') terms.push((s) => (kindName(s.kind) === value) === (op === '='));
    else if (op === '=') terms.push((s) => spanValue(s, lhs) === value);
    else return badRequest(`invalid TraceQL query: this fake cannot compare ${lhs} ${op} ${raw}`);
  }
  const by = byList.split(',').map((b) => b.trim());
  const quantiles = count ? [] : (quantileList ?? '').split(',').map(Number);
  if (quantiles.some((p) => !(p >= 0 && p <= 1))) return badRequest('invalid TraceQL query: quantiles must be within 0 and 1');
  const startUs = Number(start) * 1e6;
  const endUs = Number(end) * 1e6;
  // series key → step index → durations in seconds
  const groups = new Map<string, { values: (string | undefined)[]; steps: Map<number, number[]> }>();
  for (const t of traces)
    for (const s of t.spans) {
      if (s.startUs < startUs || s.startUs >= endUs || !terms.every((match) => match(s))) continue;
      const values = by.map((b) => spanValue(s, b));
      const key = JSON.stringify(values);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { values, steps: new Map() }));
      const i = Math.floor((s.startUs - startUs) / stepUs);
      const list = g.steps.get(i) ?? [];
      list.push(s.durationUs / 1e6);
      g.steps.set(i, list);
    }
  const series: Json[] = [];
  for (const g of groups.values()) {
    const labels = by.flatMap((b, i) => (g.values[i] === undefined ? [] : [{ key: b, value: { stringValue: g.values[i] } }]));
    const steps = [...g.steps.entries()].sort((a, b) => a[0] - b[0]);
    const samples = (value: (durations: number[]) => number): Json[] =>
      steps.map(([i, durations]) => ({ timestampMs: String((startUs + i * stepUs) / 1000), value: value(durations) }));
    if (count) series.push({ labels, promLabels: promLabels(labels), samples: samples((d) => d.length) });
    for (const p of quantiles) {
      const withP = [...labels, { key: 'p', value: { doubleValue: p } }];
      series.push({ labels: withP, promLabels: promLabels(withP), samples: samples((d) => quantile(d, p)) });
    }
  }
  return json(200, { series, metrics: { inspectedBytes: '1024', totalJobs: 1, completedJobs: 1 } });
}

/** A TraceQL attribute of a span: `span.x` / `resource.x` / `.x` read the attribute x; `name` the span name. */
function spanValue(s: FakeSpan, lhs: string): string | undefined {
  if (lhs === 'name') return s.name;
  if (lhs === 'resource.service.name') return s.service;
  return s.attributes.get(lhs.replace(/^(resource|span)?\./, ''));
}

/** TraceQL's kind of a fake span: OTLP numbers or names, or Jaeger's span.kind tag, as `server`, `client`, … */
function kindName(kind: string): string {
  const names = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
  if (/^[0-5]$/.test(kind)) return names[Number(kind)]!;
  return kind === '' ? 'unspecified' : kind.replace(/^SPAN_KIND_/, '').toLowerCase();
}

function quantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function promLabels(labels: { key: string; value: { stringValue?: string; doubleValue?: number } }[]): string {
  return `{${labels.map((l) => `${l.key}="${l.value.stringValue ?? l.value.doubleValue}"`).join(', ')}}`;
}

/**
 * The TraceQL this fake understands: `{}` or `{ a && b && … }` where each term is `lhs = "string"`,
 * `lhs = 123`, `status = error`, or `duration`/`traceDuration` compared with a Go duration. Anything else
 * is a parse error, as Tempo reports one.
 */
function applyTraceQl(query: string, c: FakeCriteria): string | undefined {
  const m = /^\s*\{(.*)\}\s*$/s.exec(query);
  if (!m) return 'invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER';
  const body = (m[1] ?? '').trim();
  if (body === '') return undefined;
  for (const term of body.split('&&')) {
    const t = /^\s*([A-Za-z_.][\w.-]*)\s*(=|>=|<=|>|<)\s*("(?:[^"\\]|\\.)*"|[\w.]+)\s*$/.exec(term);
    if (!t) return `invalid TraceQL query: parse error at line 1: syntax error near "${term.trim()}"`;
    const [, lhs = '', op, rawValue = ''] = t;
    const value = rawValue.startsWith('"') ? (JSON.parse(rawValue) as string) : rawValue;
    if (lhs === 'traceDuration' || lhs === 'duration') {
      const us = parseGoDuration(value);
      if (us === undefined || op === '=') return `invalid TraceQL query: bad duration comparison "${term.trim()}"`;
      if (op === '>' || op === '>=') c.minDurationUs = us;
      else c.maxDurationUs = us;
      continue;
    }
    if (op !== '=') return `invalid TraceQL query: this fake only compares ${lhs} with =`;
    if (lhs === 'status') {
      if (value !== 'error') return 'invalid TraceQL query: this fake only knows status = error';
      c.errorsOnly = true;
    } else if (lhs === 'name') c.operation = value;
    else if (lhs === 'resource.service.name' || lhs === 'rootServiceName') c.service = value;
    else applyTag(c, lhs.replace(/^(resource|span)?\./, ''), value);
  }
  return undefined;
}

function applyTag(c: FakeCriteria, key: string, value: string): void {
  if (key === 'service.name') c.service = value;
  else if (key === 'name') c.operation = value;
  else if (key === 'status.code' || key === 'status') c.errorsOnly = value === 'error';
  else (c.attributes ??= {})[key] = value;
}

/** logfmt as go-logfmt reads it: key=value, key="quoted value", bare key. */
function parseLogfmt(s: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const re = /\s*([^\s="]+)(?:=("(?:[^"\\]|\\.)*"|[^\s"]*))?/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < s.length && (m = re.exec(s)) !== null) {
    pos = re.lastIndex;
    const key = m[1] ?? '';
    if (key in out) return `tag ${key} has been set twice`;
    const raw = m[2] ?? '';
    out[key] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  if (s.slice(pos).trim() !== '') return `unexpected '"' at pos ${pos + 1}`;
  return out;
}

function searchHit(t: FakeTrace): Json {
  const root = t.spans.find((s) => s.isRoot) ?? t.spans[0];
  const serviceStats: Record<string, Json> = {};
  for (const s of t.spans) {
    const stat = (serviceStats[s.service || 'unknown'] ??= { spanCount: 0 }) as { spanCount: number; errorCount?: number };
    stat.spanCount++;
    if (s.error) stat.errorCount = (stat.errorCount ?? 0) + 1;
  }
  const spanSet = { spans: [], matched: t.spans.length };
  const hit: Json = {
    traceID: t.traceId.replace(/^0+(?=.)/, ''),
    rootServiceName: root?.service || '<root span not yet received>',
    rootTraceName: root?.name ?? '',
    startTimeUnixNano: `${t.startUs}000`,
    serviceStats,
    spanSet,
    spanSets: [spanSet],
  };
  const ms = Math.floor(t.durationUs / 1000);
  if (ms > 0) hit.durationMs = ms; // protojson leaves out a zero
  return hit;
}

function recordedMatches(h: Json, c: FakeCriteria): boolean {
  const startUs = Number(BigInt(String(h.startTimeUnixNano ?? '0')) / 1000n);
  const durationUs = Number(h.durationMs ?? 0) * 1000;
  return (
    (c.service === undefined || h.rootServiceName === c.service) &&
    (c.operation === undefined || h.rootTraceName === c.operation) &&
    c.attributes === undefined &&
    !c.errorsOnly &&
    (c.startUs === undefined || startUs >= c.startUs) &&
    (c.endUs === undefined || startUs <= c.endUs) &&
    (c.minDurationUs === undefined || durationUs >= c.minDurationUs) &&
    (c.maxDurationUs === undefined || durationUs <= c.maxDurationUs)
  );
}

function traceRoute(traces: FakeTrace[], rawId: string, req: FakeRequest, partial: Set<string> | undefined): FakeReply {
  if (!/^[0-9a-fA-F]{1,32}$/.test(rawId)) return badRequest(`invalid traceID: ${rawId}`);
  for (const name of ['start', 'end']) {
    const raw = req.query.get(name);
    if (raw && !/^\d+$/.test(raw)) return badRequest(`invalid ${name}: strconv.ParseInt: parsing "${raw}": invalid syntax`);
  }
  const id = normalizeTraceId(rawId);
  const trace = traces.find((t) => t.traceId === id);
  if (!trace) return text(404, 'trace not found\n');
  if (partial === undefined) return json(200, trace.body);
  const body = trace.body as Json;
  const inner = { resourceSpans: body.resourceSpans ?? body.batches ?? [] };
  if (partial.has(id)) {
    return json(200, {
      trace: inner,
      status: 'PARTIAL',
      message: 'Trace exceeds max size (max bytes: 5000000), returning partial trace',
    });
  }
  return json(200, { trace: inner });
}

function tagsV2(traces: FakeTrace[], req: FakeRequest): FakeReply {
  const scope = req.query.get('scope') ?? '';
  if (!['', 'all', 'none', 'resource', 'span', 'intrinsic'].includes(scope)) return badRequest(`invalid scope: ${scope}`);
  const scopes = [
    { name: 'resource', tags: [...new Set(traces.flatMap((t) => t.spans.flatMap((s) => s.resourceKeys)))].sort() },
    { name: 'span', tags: [...new Set(traces.flatMap((t) => t.spans.flatMap((s) => s.spanKeys)))].sort() },
    { name: 'intrinsic', tags: INTRINSICS },
  ];
  return json(200, {
    scopes: scope === '' || scope === 'all' || scope === 'none' ? scopes : scopes.filter((s) => s.name === scope),
  });
}

function tagValuesV2(traces: FakeTrace[], scoped: string, service: string | undefined): FakeReply {
  if (scoped === 'status') return json(200, { tagValues: ['error', 'ok', 'unset'].map((value) => ({ type: 'keyword', value })) });
  if (scoped === 'name' || scoped === 'rootName') {
    const spans = traces.flatMap((t) => t.spans).filter((s) => service === undefined || s.service === service);
    return json(200, { tagValues: [...new Set(spans.map((s) => s.name))].sort().map((value) => ({ type: 'string', value })) });
  }
  const m = /^(resource|span)?\.(.+)$/.exec(scoped);
  if (!m) return badRequest(`tag name is not valid intrinsic or scoped attribute: ${scoped}`);
  return json(200, { tagValues: valuesOf(traces, m[2]!).map((value) => ({ type: 'string', value })) });
}

function allKeys(t: FakeTrace): string[] {
  return t.spans.flatMap((s) => [...s.attributes.keys()]);
}

function valuesOf(traces: FakeTrace[], key: string): string[] {
  const values = new Set<string>();
  for (const t of traces)
    for (const s of t.spans) {
      const v = s.attributes.get(key);
      if (v !== undefined) values.add(v);
    }
  return [...values].sort();
}
