// Spans for code-location tests, built from the model types with only what a test cares about set.
import { setAttribute } from '../../../../src/core/model/attributes';
import type { AttributeValue, Attributes, Span, SpanEvent } from '../../../../src/core/model/types';
import { WorkspaceIndex } from '../../../../src/core/codeLocation/workspaceIndex';
import { buildSpan } from '../../../builders';

export function attrs(entries: Record<string, AttributeValue>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(entries)) setAttribute(out, k, v);
  return out;
}

export function exceptionEvent(stacktrace: string, type = 'Error', name = 'exception'): SpanEvent {
  return {
    name,
    timeUs: 1_700_000_000_000_100,
    attributes: attrs({ 'exception.type': type, 'exception.message': 'boom', 'exception.stacktrace': stacktrace }),
  };
}

export function span(attributes: Record<string, AttributeValue> = {}, events: SpanEvent[] = []): Span {
  return buildSpan({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'POST /cart/items',
    service: 'cart',
    startUs: 1_700_000_000_000_000,
    durationUs: 1_250,
    status: { code: events.length > 0 ? 'error' : 'unset' },
    attributes: attrs(attributes),
    resource: attrs({ 'service.name': 'cart' }),
    events,
  });
}

/** A workspace index over files given as text (workspace-relative path → text), as the builder would index them. */
export function memoryIndex(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex({ folders: [{ name: 'ws', root: '/ws' }], files: Object.keys(files) });
  for (const [file, text] of Object.entries(files)) if (WorkspaceIndex.isSourceFile(file)) index.indexText(file, text);
  return index;
}

/** A span with the given name, kind, service and attributes, as an SDK of `language` would send it. */
export function sdkSpan(
  name: string,
  kind: Span['kind'],
  service: string,
  language: string | undefined,
  attributes: Record<string, AttributeValue> = {},
): Span {
  const resource: Record<string, AttributeValue> = { 'service.name': service };
  if (language !== undefined) resource['telemetry.sdk.language'] = language;
  return { ...span(attributes), name, kind, service, resource: attrs(resource) };
}
