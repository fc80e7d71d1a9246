/**
 * Reader for Tempo's search response (GET /api/search, TraceQL or tags): `{traces:[...], metrics:{...}}`.
 * Each hit names its root span and, from Tempo 2.x, per-service span counts; matched span sets are not kept.
 */
import { normalizeTraceId } from '../model/ids';
import { nanosToMicros } from '../model/time';
import type { TraceSummary } from '../model/types';
import { TraceFormatError } from './errors';
import { isObject, kindOf } from './json';

const FORMAT = 'tempo-search';
/** What Tempo itself shows when the root span has not arrived (yet). */
const ROOT_NOT_RECEIVED = '<root span not yet received>';

/**
 * Throws a TraceFormatError for a document that is not a search response, or for a hit without a usable
 * traceID or start time: summaries have no warning channel, so a bad hit is an error rather than a gap.
 */
export function parseTempoSearch(doc: unknown): TraceSummary[] {
  if (!isObject(doc) || !('traces' in doc || 'metrics' in doc)) {
    throw new TraceFormatError(FORMAT, '$', `expected {traces:[...], metrics:{...}}; saw ${kindOf(doc)}`);
  }
  const traces = doc.traces;
  if (traces === undefined || traces === null) return []; // an empty result omits the list
  if (!Array.isArray(traces)) throw new TraceFormatError(FORMAT, '$.traces', `expected an array; saw ${kindOf(traces)}`);
  const out: TraceSummary[] = [];
  for (let i = 0; i < traces.length; i++) out.push(readHit(traces[i], `$.traces[${i}]`));
  return out;
}

function readHit(t: unknown, path: string): TraceSummary {
  if (!isObject(t)) throw new TraceFormatError(FORMAT, path, `expected a search hit object; saw ${kindOf(t)}`);
  const traceId = typeof t.traceID === 'string' ? normalizeTraceId(t.traceID) : '';
  if (!traceId) throw new TraceFormatError(FORMAT, `${path}.traceID`, 'missing');
  const startUs = nanos(t.startTimeUnixNano);
  if (!Number.isFinite(startUs)) {
    throw new TraceFormatError(
      FORMAT,
      `${path}.startTimeUnixNano`,
      `unreadable nanosecond time ${JSON.stringify(t.startTimeUnixNano)}`,
    );
  }
  // durationMs is omitted for traces under 1 ms; newer Tempo also writes durationNanos.
  let durationUs = typeof t.durationMs === 'number' ? t.durationMs * 1000 : 0;
  if (t.durationNanos !== undefined) {
    const fromNanos = nanos(t.durationNanos);
    if (Number.isFinite(fromNanos)) durationUs = fromNanos;
  }
  const summary: TraceSummary = {
    traceId,
    rootService: typeof t.rootServiceName === 'string' && t.rootServiceName !== '' ? t.rootServiceName : ROOT_NOT_RECEIVED,
    rootName: typeof t.rootTraceName === 'string' ? t.rootTraceName : '',
    startUs,
    durationUs,
  };
  if (isObject(t.serviceStats)) {
    let spanCount = 0;
    let errorCount = 0;
    const services: NonNullable<TraceSummary['services']> = [];
    for (const name of Object.keys(t.serviceStats)) {
      const stats = t.serviceStats[name];
      // Tempo omits zero counts (protobuf JSON), so a missing count is 0.
      const spans = isObject(stats) && typeof stats.spanCount === 'number' ? stats.spanCount : 0;
      const errors = isObject(stats) && typeof stats.errorCount === 'number' ? stats.errorCount : 0;
      spanCount += spans;
      errorCount += errors;
      services.push({ name, spanCount: spans, errorCount: errors });
    }
    summary.spanCount = spanCount;
    summary.errorCount = errorCount;
    summary.services = services;
  }
  return summary;
}

/** A nanosecond string or number → microseconds; NaN for anything else. */
function nanos(v: unknown): number {
  return typeof v === 'string' || typeof v === 'number' || v === undefined ? nanosToMicros(v) : NaN;
}
