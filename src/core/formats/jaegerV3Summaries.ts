/**
 * Jaeger api_v3 GET /api/v3/trace-summaries body → TraceSummary[]:
 * `{summaries: [{traceId, rootServiceName, rootOperationName, minStartTimeUnixNano, maxEndTimeUnixNano,
 * spanCount, errorSpanCount, services: [{name, spanCount, errorSpanCount}]}]}` (times are nanosecond
 * decimal strings; counts may be numbers or, as protojson writes int64, strings).
 */
import { normalizeTraceId } from '../model/ids';
import type { TraceSummary } from '../model/types';
import { TraceFormatError } from './errors';
import { readNanos } from './otlpValues';
import { isObject } from './json';

const FORMAT = 'jaeger-v3';

/**
 * Summaries without a trace id cannot be opened and are left out; a body whose summaries are all
 * like that throws, so that a wholly wrong body is an error, not an empty result.
 */
export function parseJaegerV3Summaries(doc: unknown): TraceSummary[] {
  const summaries = isObject(doc) ? doc.summaries : undefined;
  if (summaries === undefined && isObject(doc)) return []; // protojson omits an empty list
  if (!Array.isArray(summaries)) throw new TraceFormatError(FORMAT, '$', 'expected {summaries: [...]}');
  const out: TraceSummary[] = [];
  let firstBad: string | undefined;
  for (let i = 0; i < summaries.length; i++) {
    const summary = readSummary(summaries[i]);
    if (summary) out.push(summary);
    else firstBad ??= `$.summaries[${i}]`;
  }
  if (out.length === 0 && firstBad !== undefined) throw new TraceFormatError(FORMAT, firstBad, 'a summary without a trace id');
  return out;
}

function readSummary(raw: unknown): TraceSummary | undefined {
  if (!isObject(raw) || typeof raw.traceId !== 'string') return undefined;
  const traceId = normalizeTraceId(raw.traceId);
  if (traceId === '') return undefined;
  const startUs = readNanos(raw.minStartTimeUnixNano);
  const endUs = readNanos(raw.maxEndTimeUnixNano);
  const summary: TraceSummary = {
    traceId,
    rootService: stringOr(raw.rootServiceName, 'unknown_service'),
    rootName: stringOr(raw.rootOperationName, ''),
    startUs: Number.isFinite(startUs) ? startUs : 0,
    durationUs: Number.isFinite(endUs - startUs) ? Math.max(0, endUs - startUs) : 0,
    spanCount: readCount(raw.spanCount),
    errorCount: readCount(raw.errorSpanCount),
  };
  if (Array.isArray(raw.services)) {
    summary.services = [];
    for (const s of raw.services as unknown[]) {
      if (!isObject(s) || typeof s.name !== 'string') continue;
      summary.services.push({ name: s.name, spanCount: readCount(s.spanCount), errorCount: readCount(s.errorSpanCount) });
    }
  }
  return summary;
}

function stringOr(v: unknown, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

/** A count as a JSON number or decimal string; protojson omits zero, so absent is 0. */
function readCount(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
