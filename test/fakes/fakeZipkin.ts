/**
 * Fake Zipkin server (API v2): services, span names, trace search with QueryRequest's validation
 * (endTs and lookback in ms, durations in µs, maxDuration only with minDuration), trace by id, and
 * autocomplete for the keys the server was configured with. Names are matched lowercased, as Zipkin
 * stores them.
 */
import type { FakeBackendOptions, FakeReply, FakeRequest, FakeRoutes } from './fakeRoutes';
import { json, text } from './fakeRoutes';
import { indexZipkin, listFixtures, readFixture, search, type FakeCriteria, type FakeTrace } from './fakeData';
import { normalizeTraceId } from '../../src/core/model/ids';

const DEFAULT_LOOKBACK_MS = 86_400_000;

export function createZipkinRoutes(
  fixturesDir: string | undefined,
  options: FakeBackendOptions,
): { routes: FakeRoutes; traces: FakeTrace[] } {
  const traces: FakeTrace[] = [];
  if (fixturesDir)
    for (const file of listFixtures(fixturesDir, 'zipkin')) traces.push(...indexZipkin(readFixture(fixturesDir, file), file));
  for (const doc of options.documents ?? []) traces.push(...indexZipkin(doc, 'test'));
  const autocompleteKeys = options.autocompleteKeys ?? ['http.method', 'http.path'];

  const routes: FakeRoutes = (req) => {
    const p = req.path;
    if (p === '/api/v2/services') return json(200, [...new Set(traces.flatMap((t) => t.services))].filter(Boolean).sort());
    if (p === '/api/v2/spans') {
      const service = (req.query.get('serviceName') ?? '').toLowerCase();
      if (service === '') return text(400, 'serviceName is required');
      return json(
        200,
        [...new Set(traces.flatMap((t) => t.spans.filter((s) => s.service === service).map((s) => s.name)))].sort(),
      );
    }
    if (p === '/api/v2/traces') return searchRoute(traces, req);
    const m = /^\/api\/v2\/trace\/([^/]+)$/.exec(p);
    if (m) {
      const raw = decodeURIComponent(m[1]!);
      if (!/^[0-9a-f]{1,32}$/.test(raw.toLowerCase())) {
        return text(400, `${raw} should be a 1 to 32 character lower-hex string with no prefix`);
      }
      const trace = traces.find((t) => t.traceId === normalizeTraceId(raw));
      if (!trace) return text(404, `Trace not found: ${raw}`);
      return json(200, Array.isArray(trace.body) ? trace.body : [trace.body]);
    }
    if (p === '/api/v2/autocompleteKeys') return json(200, autocompleteKeys);
    if (p === '/api/v2/autocompleteValues') {
      const key = req.query.get('key') ?? '';
      if (key === '') return text(400, 'key is required');
      if (!autocompleteKeys.includes(key)) return json(200, []);
      const values = new Set<string>();
      for (const t of traces)
        for (const s of t.spans) {
          const v = s.attributes.get(key);
          if (v !== undefined) values.add(v);
        }
      return json(200, [...values].sort());
    }
    return text(404, 'Not Found');
  };
  return { routes, traces };
}

/** Mirrors zipkin2.storage.QueryRequest's checks and the server's defaults. */
function searchRoute(traces: FakeTrace[], req: FakeRequest): FakeReply {
  const q = req.query;
  const int = (name: string): number | undefined | string => {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    return /^-?\d+$/.test(raw) ? Number(raw) : `Invalid ${name}: ${raw} is not a number`;
  };
  const values: Record<string, number | undefined> = {};
  for (const name of ['endTs', 'lookback', 'limit', 'minDuration', 'maxDuration']) {
    const v = int(name);
    if (typeof v === 'string') return text(400, v);
    values[name] = v;
  }
  const endTs = values.endTs ?? Date.now();
  const lookback = values.lookback ?? DEFAULT_LOOKBACK_MS;
  const limit = values.limit ?? 10;
  if (endTs <= 0) return text(400, 'endTs <= 0');
  if (lookback <= 0) return text(400, 'lookback <= 0');
  if (limit <= 0) return text(400, 'limit <= 0');
  const { minDuration, maxDuration } = values;
  if (minDuration !== undefined && minDuration <= 0) return text(400, 'minDuration <= 0');
  if (maxDuration !== undefined) {
    if (minDuration === undefined) return text(400, 'maxDuration is only valid with minDuration');
    if (maxDuration < minDuration) return text(400, 'maxDuration < minDuration');
  }
  const criteria: FakeCriteria = {
    durationOf: 'span',
    limit,
    startUs: (endTs - lookback) * 1000,
    endUs: endTs * 1000,
    minDurationUs: minDuration,
    maxDurationUs: maxDuration,
  };
  const service = q.get('serviceName');
  if (service) criteria.service = service.toLowerCase();
  const spanName = q.get('spanName');
  if (spanName && spanName !== 'all') criteria.operation = spanName.toLowerCase();
  const annotationQuery = q.get('annotationQuery');
  if (annotationQuery) {
    for (const term of annotationQuery.split(' and ')) {
      const i = term.indexOf('=');
      if (i < 0) (criteria.keys ??= []).push(term.trim());
      else (criteria.attributes ??= {})[term.slice(0, i).trim()] = term.slice(i + 1).trim();
    }
  }
  return json(
    200,
    search(traces, criteria).map((t) => (Array.isArray(t.body) ? t.body : [t.body])),
  );
}
