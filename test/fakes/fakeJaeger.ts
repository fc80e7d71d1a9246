/**
 * Fake Jaeger query service. The query JSON API (/api/services, /api/services/{s}/operations, /api/traces,
 * /api/traces/{id}) serves the Jaeger JSON fixtures; api_v3 (kind jaeger-v3) serves the api_v3 and OTLP
 * fixtures plus the recorded GetServices/GetOperations/FindTraceSummaries bodies. The SPM metrics API
 * (/api/metrics/{latencies,calls,errors}) answers as a Jaeger without a metrics store does (501), or, with
 * `spm: 'enabled'`, computes the figures a Prometheus fed by the spanmetrics connector would give from the spans
 * served. Like the real UI server, any other path answers 200 with the UI's HTML page, which is what an old
 * Jaeger says to /api/v3/… and /api/metrics/….
 */
import type { FakeBackendKind, FakeBackendOptions, FakeReply, FakeRequest, FakeRoutes } from './fakeRoutes';
import { json } from './fakeRoutes';
import {
  indexJaeger,
  indexOtlp,
  listFixtures,
  parseGoDuration,
  parseRfc3339,
  readFixture,
  search,
  type FakeCriteria,
  type FakeSpan,
  type FakeTrace,
} from './fakeData';
import { normalizeTraceId } from '../../src/core/model/ids';

const UI_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jaeger UI</title></head><body><div id="jaeger-ui-root"></div></body></html>';

type Json = Record<string, unknown>;

/** Options only the fake Jaeger reads; pass them with `withJaegerOptions`. */
export interface FakeJaegerOptions {
  /** the SPM metrics API: "disabled" (Jaeger's default: 501), "enabled", or "absent" (a Jaeger older than SPM: the UI page) */
  spm?: 'enabled' | 'disabled' | 'absent';
}

/** `startFakeBackend('jaeger-v3', withJaegerOptions({ withoutFixtures: true }, { spm: 'enabled' }))` */
export function withJaegerOptions(options: FakeBackendOptions, jaeger: FakeJaegerOptions): FakeBackendOptions {
  return Object.assign({}, options, jaeger);
}

export function createJaegerRoutes(
  kind: FakeBackendKind,
  fixturesDir: string | undefined,
  options: FakeBackendOptions,
): { routes: FakeRoutes; traces: FakeTrace[] } {
  const v1Traces: FakeTrace[] = [];
  const v3Traces: FakeTrace[] = [];
  let recordedServices: string[] = [];
  let recordedOperations: Json[] = [];
  let recordedSummaries: Json[] = [];
  if (fixturesDir) {
    for (const file of listFixtures(fixturesDir, 'jaeger')) v1Traces.push(...indexJaeger(readFixture(fixturesDir, file), file));
    if (kind === 'jaeger-v3') {
      for (const file of [
        'jaeger-v3/GetTrace.json',
        'jaeger-v3/GetTrace.v1.53-base64.json',
        ...listFixtures(fixturesDir, 'otlp'),
      ]) {
        v3Traces.push(...indexOtlp(readFixture(fixturesDir, file), file));
      }
      recordedServices = ((readFixture(fixturesDir, 'jaeger-v3/GetServices.json') as Json).services as string[]) ?? [];
      recordedOperations = ((readFixture(fixturesDir, 'jaeger-v3/GetOperations.json') as Json).operations as Json[]) ?? [];
      recordedSummaries = ((readFixture(fixturesDir, 'jaeger-v3/FindTraceSummaries.json') as Json).summaries as Json[]) ?? [];
    }
  }
  for (const doc of options.documents ?? []) {
    if (kind === 'jaeger-v3' && typeof doc === 'object' && doc !== null && ('resourceSpans' in doc || 'result' in doc)) {
      v3Traces.push(...indexOtlp(doc, 'test'));
    } else {
      v1Traces.push(...indexJaeger(doc, 'test'));
    }
  }
  const current = options.jaegerV3 !== 'legacy';
  const spm = (options as FakeJaegerOptions).spm ?? 'disabled';
  const served = kind === 'jaeger-v3' ? [...v1Traces, ...v3Traces] : v1Traces;

  const routes: FakeRoutes = (req) => {
    const p = req.path;
    const metric = /^\/api\/metrics\/(latencies|calls|errors)$/.exec(p)?.[1] as SpmMetric | undefined;
    if (metric && spm !== 'absent') return spmRoute(served, metric, req, spm === 'enabled');
    if (p === '/api/services') return envelope(servicesOf(v1Traces));
    let m = /^\/api\/services\/([^/]+)\/operations$/.exec(p);
    if (m) return envelope(operationsOf(v1Traces, decodeURIComponent(m[1]!)).map((o) => o.name));
    if (p === '/api/traces') return v1Search(v1Traces, req);
    m = /^\/api\/traces\/([^/]+)$/.exec(p);
    if (m) return v1Trace(v1Traces, decodeURIComponent(m[1]!), req);
    if (kind === 'jaeger-v3') {
      if (p === '/api/v3/services') return json(200, { services: union(recordedServices, servicesOf(v3Traces)) });
      if (p === '/api/v3/operations') {
        const service = req.query.get('service') ?? '';
        const recorded = service === 'foo' ? recordedOperations : [];
        return json(200, { operations: [...recorded, ...operationsOf(v3Traces, service)] });
      }
      if (p === '/api/v3/traces') return v3Search(v3Traces, req, current, 'traces', []);
      if (p === '/api/v3/trace-summaries' && current) return v3Search(v3Traces, req, current, 'summaries', recordedSummaries);
      m = /^\/api\/v3\/traces\/([^/]+)$/.exec(p);
      if (m) return v3Trace(v3Traces, decodeURIComponent(m[1]!), req, current);
    }
    return { status: 200, body: UI_PAGE, contentType: 'text/html; charset=utf-8' };
  };
  return { routes, traces: served };
}

function envelope(data: unknown[] | null, status = 200, errors: { code: number; msg: string }[] | null = null): FakeReply {
  return json(status, { data, total: data?.length ?? 0, limit: 0, offset: 0, errors });
}

function v1Error(status: number, msg: string): FakeReply {
  return envelope(null, status, [{ code: status, msg }]);
}

/** Mirrors jaeger-query's query_parser.go. */
function v1Search(traces: FakeTrace[], req: FakeRequest): FakeReply {
  const q = req.query;
  const service = q.get('service') ?? '';
  if (service === '' && q.getAll('traceID').length === 0) return v1Error(400, "parameter 'service' is required");
  const criteria: FakeCriteria = { service, durationOf: 'span' };
  const operation = q.get('operation');
  if (operation) criteria.operation = operation;
  for (const name of ['start', 'end', 'limit'] as const) {
    const raw = q.get(name);
    if (raw === null || raw === '') continue;
    if (!/^-?\d+$/.test(raw))
      return v1Error(400, `unable to parse param '${name}': strconv.ParseInt: parsing "${raw}": invalid syntax`);
    if (name === 'start') criteria.startUs = Number(raw);
    else if (name === 'end') criteria.endUs = Number(raw);
    else criteria.limit = Number(raw) > 0 ? Number(raw) : undefined;
  }
  for (const name of ['minDuration', 'maxDuration'] as const) {
    const raw = q.get(name);
    if (raw === null || raw === '') continue;
    const us = parseGoDuration(raw);
    if (us === undefined) return v1Error(400, `unable to parse param '${name}': time: invalid duration "${raw}"`);
    if (name === 'minDuration') criteria.minDurationUs = us;
    else criteria.maxDurationUs = us;
  }
  if (
    criteria.minDurationUs !== undefined &&
    criteria.maxDurationUs !== undefined &&
    criteria.maxDurationUs < criteria.minDurationUs
  ) {
    return v1Error(400, "'maxDuration' should be greater than 'minDuration'");
  }
  const tags = q.get('tags');
  if (tags) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(tags);
    } catch {
      parsed = undefined;
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== 'string')
    ) {
      return v1Error(400, "malformed 'tags' parameter, expecting JSON-encoded map");
    }
    criteria.attributes = parsed as Record<string, string>;
  }
  for (const tag of q.getAll('tag')) {
    const i = tag.indexOf(':');
    if (i < 0) return v1Error(400, `malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    (criteria.attributes ??= {})[tag.slice(0, i)] = tag.slice(i + 1);
  }
  return envelope(search(traces, criteria).map((t) => t.body));
}

function v1Trace(traces: FakeTrace[], rawId: string, req: FakeRequest): FakeReply {
  for (const name of ['start', 'end']) {
    const raw = req.query.get(name);
    if (raw && !/^\d+$/.test(raw))
      return v1Error(400, `unable to parse param '${name}': strconv.ParseInt: parsing "${raw}": invalid syntax`);
  }
  const id = normalizeTraceId(rawId);
  const trace = traces.find((t) => t.traceId === id);
  return trace ? envelope([trace.body]) : v1Error(404, 'trace not found');
}

/** Mirrors api_v3's http_gateway.go: both time bounds required, RFC 3339 times, Go durations. */
function v3Search(
  traces: FakeTrace[],
  req: FakeRequest,
  current: boolean,
  shape: 'traces' | 'summaries',
  recorded: Json[],
): FakeReply {
  const param = paramReader(req.query, current);
  const min = param('query.startTimeMin', 'query.start_time_min');
  const max = param('query.startTimeMax', 'query.start_time_max');
  if (!min || !max) {
    return v3Error(
      400,
      current
        ? 'query.startTimeMin and query.startTimeMax are required'
        : 'query.start_time_min and query.start_time_max are required',
    );
  }
  const startUs = parseRfc3339(min.value);
  if (startUs === undefined) return v3Error(400, `malformed parameter ${min.name}: parsing time "${min.value}" as RFC3339`);
  const endUs = parseRfc3339(max.value);
  if (endUs === undefined) return v3Error(400, `malformed parameter ${max.name}: parsing time "${max.value}" as RFC3339`);
  const criteria: FakeCriteria = { startUs, endUs, durationOf: 'span' };
  const service = param('query.serviceName', 'query.service_name');
  if (service) criteria.service = service.value;
  const operation = param('query.operationName', 'query.operation_name');
  if (operation) criteria.operation = operation.value;
  for (const [canonical, snake, key] of [
    ['query.durationMin', 'query.duration_min', 'minDurationUs'],
    ['query.durationMax', 'query.duration_max', 'maxDurationUs'],
  ] as const) {
    const d = param(canonical, snake);
    if (!d) continue;
    const us = parseGoDuration(d.value);
    if (us === undefined) return v3Error(400, `malformed parameter ${d.name}: time: invalid duration "${d.value}"`);
    criteria[key] = us;
  }
  const depth = param('query.searchDepth', 'query.search_depth', 'query.num_traces');
  if (depth) {
    if (!/^-?\d+$/.test(depth.value))
      return v3Error(400, `malformed parameter ${depth.name}: strconv.Atoi: parsing "${depth.value}": invalid syntax`);
    criteria.limit = Number(depth.value) > 0 ? Number(depth.value) : undefined;
  }
  const attributes = current ? param('query.attributes') : undefined;
  if (attributes) {
    try {
      criteria.attributes = JSON.parse(attributes.value) as Record<string, string>;
    } catch {
      return v3Error(400, `malformed parameter query.attributes: not a JSON object`);
    }
  }
  const hits = search(traces, criteria);
  if (shape === 'summaries') {
    const summaries = [...recorded.filter((s) => recordedMatches(s, criteria)), ...hits.map(summaryOf)];
    return json(200, { summaries: summaries.slice(0, criteria.limit ?? summaries.length) });
  }
  if (hits.length === 0) return v3Error(404, 'No traces found');
  return json(200, { result: { resourceSpans: hits.flatMap((t) => resourceSpansOf(t.body)) } });
}

function v3Trace(traces: FakeTrace[], rawId: string, req: FakeRequest, current: boolean): FakeReply {
  if (!/^[0-9a-fA-F]{1,32}$/.test(rawId)) {
    return v3Error(400, `malformed parameter trace_id: TraceID cannot be longer than 32 hex characters or is not hex: ${rawId}`);
  }
  const param = paramReader(req.query, current);
  for (const [canonical, snake] of [
    ['startTime', 'start_time'],
    ['endTime', 'end_time'],
  ] as const) {
    const t = param(canonical, snake);
    if (t && parseRfc3339(t.value) === undefined)
      return v3Error(400, `malformed parameter ${t.name}: parsing time "${t.value}" as RFC3339`);
  }
  const id = normalizeTraceId(rawId);
  const trace = traces.find((t) => t.traceId === id);
  if (!trace) return v3Error(404, 'trace not found');
  const body = trace.body as Json;
  return json(200, 'result' in body ? body : { result: { resourceSpans: resourceSpansOf(body) } });
}

/** The first present name among the accepted ones: camelCase then snake_case (current), snake_case only (legacy). */
function paramReader(query: URLSearchParams, current: boolean) {
  return (...names: string[]): { name: string; value: string } | undefined => {
    for (const name of names) {
      if (!current && /[A-Z]/.test(name)) continue;
      const value = query.get(name);
      if (value) return { name, value };
    }
    return undefined;
  };
}

function v3Error(status: number, message: string): FakeReply {
  return json(status, { error: { httpCode: status, message } });
}

function resourceSpansOf(body: unknown): unknown[] {
  const o = body as Json;
  const root = (typeof o.result === 'object' && o.result !== null ? o.result : o) as Json;
  return (root.resourceSpans ?? root.batches ?? []) as unknown[];
}

function summaryOf(t: FakeTrace): Json {
  const root = t.spans.find((s) => s.isRoot) ?? t.spans[0];
  const services = t.services.map((name) => {
    const spans = t.spans.filter((s) => s.service === name);
    return { name, spanCount: spans.length, errorSpanCount: spans.filter((s) => s.error).length };
  });
  return {
    traceId: t.traceId,
    rootServiceName: root?.service ?? '',
    rootOperationName: root?.name ?? '',
    minStartTimeUnixNano: `${t.startUs}000`,
    maxEndTimeUnixNano: `${t.startUs + t.durationUs}000`,
    spanCount: t.spans.length,
    errorSpanCount: t.spans.filter((s) => s.error).length,
    orphanSpanCount: 0,
    services,
  };
}

function recordedMatches(s: Json, c: FakeCriteria): boolean {
  const services = Array.isArray(s.services) ? (s.services as Json[]).map((x) => x.name) : [];
  const startUs = Number(BigInt(String(s.minStartTimeUnixNano ?? '0')) / 1000n);
  return (
    (c.service === undefined || s.rootServiceName === c.service || services.includes(c.service)) &&
    (c.operation === undefined || s.rootOperationName === c.operation) &&
    (c.startUs === undefined || startUs >= c.startUs) &&
    (c.endUs === undefined || startUs <= c.endUs)
  );
}

function servicesOf(traces: FakeTrace[]): string[] {
  return [...new Set(traces.flatMap((t) => t.services))].sort();
}

function operationsOf(traces: FakeTrace[], service: string): { name: string; spanKind: string }[] {
  const seen = new Map<string, string>();
  for (const t of traces) for (const s of t.spans) if (s.service === service && !seen.has(s.name)) seen.set(s.name, s.kind);
  return [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([name, spanKind]) => ({ name, spanKind }));
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

type SpmMetric = 'latencies' | 'calls' | 'errors';

const SPM_SPAN_KINDS = new Set([
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
]);

/**
 * Mirrors jaeger-query's metrics handlers (cmd/query/app/http_handler.go, parseMetricsQueryParams in
 * query_parser.go, defaults in default_params.go): parameters are checked before the metrics store is asked, so a
 * Jaeger without one answers a bad request with 400 and a good one with 501. With a store, the answer is what the
 * Prometheus reader gives: one point per step from endTs − lookback to endTs, each over the spans that ended in the
 * `ratePer` before it; latencies in ms (NaN where no span ended), calls per second, errors as a fraction of calls
 * — only for operations with errors, or zeros for every operation when none had any. The services are matched as
 * reader.go's buildPromQuery writes them, joined by `|` unescaped into `service_name =~ "…"`: a name that breaks
 * that query (a quote, a backslash, `c++-gw`) fails the whole request with 500, and a dot matches any character.
 */
function spmRoute(traces: FakeTrace[], metric: SpmMetric, req: FakeRequest, enabled: boolean): FakeReply {
  const q = req.query;
  const bad = (param: string, why: string): FakeReply => spmError(400, `unable to parse param '${param}': ${why}`);
  let quantile = NaN;
  if (metric === 'latencies') {
    const raw = q.get('quantile') ?? '';
    quantile = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) ? Number(raw) : NaN;
    if (Number.isNaN(quantile)) return bad('quantile', `strconv.ParseFloat: parsing "${raw}": invalid syntax`);
  }
  const services = q.getAll('service');
  if (!q.has('service')) return bad('service', 'please provide at least one service name');
  const groupRaw = q.get('groupByOperation') ?? '';
  const byOperation = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(groupRaw);
  if (groupRaw !== '' && !byOperation && !['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(groupRaw)) {
    return bad('groupByOperation', `strconv.ParseBool: parsing "${groupRaw}": invalid syntax`);
  }
  const kinds = q.has('spanKind') ? q.getAll('spanKind') : ['SPAN_KIND_SERVER'];
  const unknownKind = kinds.find((k) => !SPM_SPAN_KINDS.has(k));
  if (unknownKind !== undefined) return bad('spanKind', `unsupported span kind: '${unknownKind}'`);
  const ms: Record<string, number> = {};
  for (const [name, fallback] of [
    ['endTs', Date.now()],
    ['lookback', 3_600_000],
    ['step', 5_000],
    ['ratePer', 600_000],
  ] as const) {
    const raw = q.get(name) ?? '';
    if (raw !== '' && !/^[-+]?\d+$/.test(raw)) return bad(name, `strconv.ParseInt: parsing "${raw}": invalid syntax`);
    ms[name] = raw === '' ? fallback : Number(raw);
  }
  if (!enabled) return spmError(501, 'metrics querying is currently disabled');
  const serviceMatch = promServiceRegex(services);
  if (typeof serviceMatch === 'string') {
    return spmError(500, `failed executing metrics query: bad_data: invalid parameter "query": ${serviceMatch}`);
  }
  const { endTs = 0, lookback = 0, step = 0, ratePer = 0 } = ms;
  if (step <= 0)
    return spmError(
      500,
      'failed executing metrics query: bad_data: zero or negative query resolution step widths are not accepted',
    );

  // (service, operation) → spans of the asked services and kinds
  const groups = new Map<string, { labels: { name: string; value: string }[]; spans: FakeSpan[] }>();
  for (const t of traces)
    for (const span of t.spans) {
      if (!serviceMatch.test(span.service) || !kinds.includes(spmKind(span.kind))) continue;
      const labels = [{ name: 'service_name', value: span.service }];
      if (byOperation) labels.unshift({ name: 'operation', value: span.name });
      const key = JSON.stringify(labels);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { labels, spans: [] }));
      g.spans.push(span);
    }
  const times: number[] = [];
  for (let t = endTs - lookback; t <= endTs; t += step) times.push(t);
  const inRate = (spans: FakeSpan[], t: number): FakeSpan[] =>
    spans.filter((s) => {
      const endMs = (s.startUs + s.durationUs) / 1000;
      return endMs > t - ratePer && endMs <= t;
    });
  const series = (value: (spans: FakeSpan[]) => number, keep: (spans: FakeSpan[]) => boolean): Json[] => {
    const out: Json[] = [];
    for (const g of groups.values()) {
      if (!keep(g.spans) || !times.some((t) => inRate(g.spans, t).length > 0)) continue;
      const metricPoints = times.map((t) => {
        const v = value(inRate(g.spans, t));
        return { gaugeValue: { doubleValue: Number.isFinite(v) ? v : 'NaN' }, timestamp: new Date(t).toISOString() };
      });
      out.push({ labels: g.labels, metricPoints });
    }
    return out;
  };
  const perSecond = (spans: FakeSpan[]): number => spans.length / (ratePer / 1000);
  const by = byOperation ? 'service & operation' : 'service';
  const family = (name: string, help: string, metrics: Json[]): FakeReply =>
    json(200, {
      name: byOperation ? name.replace('service', 'service_operation') : name,
      type: 'GAUGE',
      help: `${help}, grouped by ${by}`,
      ...(metrics.length > 0 ? { metrics } : {}),
    });
  if (metric === 'latencies') {
    const quantileMs = (spans: FakeSpan[]): number => {
      const sorted = spans.map((s) => s.durationUs / 1000).sort((a, b) => a - b);
      return sorted.length === 0
        ? NaN
        : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))]!;
    };
    return family(
      'service_latencies',
      `${quantile.toFixed(2)}th quantile latency`,
      series(quantileMs, () => true),
    );
  }
  if (metric === 'calls')
    return family(
      'service_call_rate',
      'calls/sec',
      series(perSecond, () => true),
    );
  const help = 'error rate, computed as a fraction of errors/sec over calls/sec';
  const withErrors = series(
    (spans) => spans.filter((s) => s.error).length / spans.length,
    (spans) => spans.some((s) => s.error),
  );
  if (withErrors.length > 0) return family('service_error_rate', help, withErrors);
  return family(
    'service_error_rate',
    help,
    series(
      () => 0,
      () => true,
    ),
  );
}

/**
 * The services' regex as Prometheus gets it from Jaeger, anchored as PromQL's `=~` is; or, when Prometheus would
 * refuse the query, why. (A JavaScript RegExp stands in for RE2; they agree on the errors that matter here.)
 */
function promServiceRegex(services: string[]): RegExp | string {
  const joined = services.join('|');
  if (/["\\\n]/.test(joined)) return 'parse error: unterminated or malformed quoted string in label matcher';
  try {
    return new RegExp(`^(?:${joined})$`);
  } catch (e) {
    return `parse error: error parsing regexp: ${(e as Error).message}`;
  }
}

/** The error body jaeger-query writes through http.Error: JSON, sent as text/plain, ending in a newline. */
function spmError(status: number, msg: string): FakeReply {
  return {
    status,
    body: `${JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg }] })}\n`,
    contentType: 'text/plain; charset=utf-8',
  };
}

/** A fake span's kind as the spanmetrics connector labels it: OTLP numbers or names, Jaeger's span.kind tag. */
function spmKind(kind: string): string {
  const names = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
  if (/^[0-5]$/.test(kind)) return `SPAN_KIND_${names[Number(kind)]}`;
  if (kind.startsWith('SPAN_KIND_')) return kind;
  return kind === '' ? 'SPAN_KIND_UNSPECIFIED' : `SPAN_KIND_${kind.toUpperCase()}`;
}
