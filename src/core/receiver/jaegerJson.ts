/**
 * The model → Jaeger query JSON (what /api/traces answers and the Jaeger UI downloads), the inverse of
 * formats/jaeger.ts: kind, status and scope as the OpenTelemetry → Jaeger translator writes them
 * (`span.kind`, `otel.status_code`, `error`, `otel.status_description`, `otel.scope.*`), events as logs,
 * one process per resource, links as FOLLOWS_FROM references. Times are epoch microseconds.
 */
import type { AttributeValue, Attributes, Span, Trace } from '../model/types';

type Tag = { key: string; type: 'string' | 'bool' | 'int64' | 'float64' | 'binary'; value: string | number | boolean };

export interface JaegerTraceJson {
  traceID: string;
  spans: unknown[];
  processes: Record<string, { serviceName: string; tags: Tag[] }>;
  warnings: string[] | null;
}

export function toJaegerTrace(trace: Trace): JaegerTraceJson {
  const processIds = new Map<Attributes, string>();
  const processes: JaegerTraceJson['processes'] = {};
  const processOf = (span: Span): string => {
    let pid = processIds.get(span.resource);
    if (pid === undefined) {
      pid = `p${processIds.size + 1}`;
      processIds.set(span.resource, pid);
      processes[pid] = { serviceName: span.service, tags: tagsOf(span.resource, 'service.name') };
    }
    return pid;
  };
  const spans = trace.spans.map((span) => {
    const references: unknown[] = [];
    if (span.parentSpanId !== undefined)
      references.push({ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId });
    for (const link of span.links) references.push({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId });
    const tags = tagsOf(span.attributes);
    if (span.kind !== 'unspecified') tags.push({ key: 'span.kind', type: 'string', value: span.kind });
    if (span.status.code === 'error') {
      tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'error', type: 'bool', value: true });
    } else if (span.status.code === 'ok') {
      tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
    }
    if (span.status.message !== undefined)
      tags.push({ key: 'otel.status_description', type: 'string', value: span.status.message });
    if (span.scope) {
      tags.push({ key: 'otel.scope.name', type: 'string', value: span.scope.name });
      if (span.scope.version !== undefined) tags.push({ key: 'otel.scope.version', type: 'string', value: span.scope.version });
    }
    return {
      traceID: span.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references,
      startTime: Math.round(span.startUs),
      duration: Math.round(span.durationUs),
      tags,
      logs: span.events.map((e) => ({
        timestamp: Math.round(e.timeUs),
        fields: [{ key: 'event', type: 'string', value: e.name } as Tag, ...tagsOf(e.attributes, 'event')],
      })),
      processID: processOf(span),
      warnings: null,
    };
  });
  return { traceID: trace.traceId, spans, processes, warnings: trace.warnings.length > 0 ? trace.warnings : null };
}

function tagsOf(attributes: Attributes, except?: string): Tag[] {
  const tags: Tag[] = [];
  for (const key of Object.keys(attributes)) {
    if (key === except) continue;
    tags.push(tag(key, attributes[key]!));
  }
  return tags;
}

function tag(key: string, value: AttributeValue): Tag {
  if (typeof value === 'string') return { key, type: 'string', value };
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') return { key, type: Number.isInteger(value) ? 'int64' : 'float64', value };
  if (value instanceof Uint8Array) return { key, type: 'binary', value: Buffer.from(value).toString('base64') };
  return {
    key,
    type: 'string',
    value: JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)),
  };
}
