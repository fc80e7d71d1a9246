/**
 * Reader for Zipkin v2 JSON: a span list (GET /api/v2/trace/{id}, the POST /api/v2/spans body), a single
 * span, or the list of span lists from GET /api/v2/traces. Times are epoch microseconds. Span ids are not
 * unique: the server half of an RPC reuses its client's id with `shared: true`, so every span is kept.
 */
import { TraceAssembler } from '../model/assemble';
import { EMPTY_ATTRIBUTES, EMPTY_LIST } from '../model/attributes';
import { isNullId, normalizeSpanId } from '../model/ids';
import { toMicros } from '../model/time';
import type { Attributes, Span, SpanEvent, SpanKind, SpanStatus, Trace } from '../model/types';
import { TraceFormatError } from './errors';
import { isObject, kindOf, type JsonObject, TraceIdReader } from './json';

const FORMAT = 'zipkin';
const UNKNOWN_SERVICE = 'unknown_service';
/** How many span ids a grouped warning names before it only counts. */
const EXAMPLES = 3;

const STATUS_UNSET: SpanStatus = Object.freeze({ code: 'unset' });
const STATUS_ERROR: SpanStatus = Object.freeze({ code: 'error' });

function spanKind(kind: unknown): SpanKind {
  switch (kind) {
    case 'CLIENT':
      return 'client';
    case 'SERVER':
      return 'server';
    case 'PRODUCER':
      return 'producer';
    case 'CONSUMER':
      return 'consumer';
    default:
      return 'unspecified';
  }
}

/** Per trace, what had to be guessed; reported as one warning each so that 175 unfinished spans are one line. */
interface Tally {
  noService: number;
  noDuration: string[];
  durationFromAnnotations: string[];
}

/**
 * Reads an already-parsed Zipkin document. Its span `tags` objects are reused as the spans' attributes and
 * receive the endpoint attributes, so the document is changed: pass one parsed for this call.
 */
export function parseZipkinDocument(doc: unknown): Trace[] {
  const reader = new ZipkinReader();
  if (Array.isArray(doc)) reader.readList(doc, '$', true);
  else if (isObject(doc)) reader.readSpan(doc, '$', -1);
  else
    throw new TraceFormatError(
      FORMAT,
      '$',
      `expected a list of spans, a single span or a list of span lists; saw ${kindOf(doc)}`,
    );
  return reader.finish();
}

class ZipkinReader {
  private readonly assembler = new TraceAssembler(FORMAT);
  private readonly resources = new Map<string, Attributes>();
  private readonly tallies = new Map<string, Tally>();
  private readonly traceIds = new TraceIdReader();

  /** `nested`: entries that are themselves lists are read as lists (GET /api/v2/traces), one level deep. */
  readList(list: unknown[], path: string, nested: boolean): void {
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (nested && Array.isArray(entry)) this.readList(entry, `${path}[${i}]`, false);
      else this.readSpan(entry, path, i);
    }
  }

  /** The span at `listPath[index]` (the document itself when index is -1); the path is built only to drop it. */
  readSpan(s: unknown, listPath: string, index: number): void {
    if (!isObject(s)) {
      this.assembler.drop(pathOf(listPath, index), `expected a span object; saw ${kindOf(s)}`);
      return;
    }
    const traceId = this.traceIds.read(s.traceId);
    if (!traceId) {
      this.assembler.drop(pathOf(listPath, index), 'it has no traceId');
      return;
    }
    const spanId = typeof s.id === 'string' ? normalizeSpanId(s.id) : '';
    if (!spanId) {
      this.assembler.drop(pathOf(listPath, index), 'it has no id');
      return;
    }
    const parentId = typeof s.parentId === 'string' ? normalizeSpanId(s.parentId) : '';
    const name = typeof s.name === 'string' ? s.name : '';

    const local = s.localEndpoint;
    const localService =
      isObject(local) && typeof local.serviceName === 'string' && local.serviceName !== '' ? local.serviceName : undefined;
    let service = UNKNOWN_SERVICE;
    let resource = EMPTY_ATTRIBUTES;
    if (localService !== undefined) {
      service = localService;
      resource = this.resourceFor(localService);
    } else {
      this.tallyFor(traceId).noService++;
    }

    // The tags object becomes the attributes as it is (zero copy): Zipkin tags are string → string, and any
    // JSON object is a valid Attributes. Endpoint attributes are added to it, so the input is changed.
    let attributes = EMPTY_ATTRIBUTES;
    let status = STATUS_UNSET;
    const tags = s.tags;
    if (isObject(tags)) {
      attributes = tags as Attributes;
      if (Object.prototype.hasOwnProperty.call(tags, 'error')) {
        const v = tags.error;
        const message = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
        status = message === '' ? STATUS_ERROR : { code: 'error', message };
      }
    }
    const remote = s.remoteEndpoint;
    if (isObject(remote)) {
      if (attributes === EMPTY_ATTRIBUTES) attributes = {};
      addEndpoint(attributes, remote, 'network.peer.address', 'network.peer.port');
      if (typeof remote.serviceName === 'string' && remote.serviceName !== '') attributes['peer.service'] = remote.serviceName;
    }
    if (isObject(local) && (local.ipv4 !== undefined || local.ipv6 !== undefined || local.port !== undefined)) {
      if (attributes === EMPTY_ATTRIBUTES) attributes = {};
      addEndpoint(attributes, local, 'network.local.address', 'network.local.port');
    }

    let events: SpanEvent[] = EMPTY_LIST;
    let firstAnnotationUs = Infinity;
    let lastAnnotationUs = -Infinity;
    const annotations = s.annotations;
    if (Array.isArray(annotations) && annotations.length > 0) {
      events = [];
      for (let i = 0; i < annotations.length; i++) {
        const a = annotations[i] as unknown;
        const timeUs = isObject(a) ? toMicros(a.timestamp) : NaN;
        if (!isObject(a) || !Number.isFinite(timeUs)) {
          this.assembler.warn(traceId, `span ${spanId} "${name}": skipped annotations[${i}] (no readable timestamp)`);
          continue;
        }
        events.push({ name: typeof a.value === 'string' ? a.value : String(a.value), timeUs, attributes: EMPTY_ATTRIBUTES });
        if (timeUs < firstAnnotationUs) firstAnnotationUs = timeUs;
        // Brave's "brave.flush" marks a span reported unfinished: it is when the span was flushed, not an end.
        if (timeUs > lastAnnotationUs && a.value !== 'brave.flush') lastAnnotationUs = timeUs;
      }
    }

    // A missing timestamp falls back to the first annotation; with none, NaN makes the assembler warn and
    // place the span at the trace start.
    let startUs: number;
    if (s.timestamp !== undefined && s.timestamp !== null) startUs = toMicros(s.timestamp);
    else startUs = firstAnnotationUs < Infinity ? firstAnnotationUs : NaN;
    let durationUs: number;
    if (s.duration !== undefined && s.duration !== null) {
      durationUs = toMicros(s.duration);
    } else if (lastAnnotationUs > startUs) {
      durationUs = lastAnnotationUs - startUs;
      this.tallyFor(traceId).durationFromAnnotations.push(`${spanId} "${name}"`);
    } else {
      durationUs = 0;
      this.tallyFor(traceId).noDuration.push(`${spanId} "${name}"`);
    }

    const span: Span = {
      traceId,
      spanId,
      parentSpanId: parentId === '' || isNullId(parentId) ? undefined : parentId,
      name,
      service,
      kind: spanKind(s.kind),
      startUs,
      durationUs,
      status,
      attributes,
      resource,
      scope: undefined,
      events,
      links: EMPTY_LIST,
    };
    if (s.shared === true) span.shared = true;
    this.assembler.add(span);
  }

  finish(): Trace[] {
    for (const [traceId, t] of this.tallies) {
      if (t.noService > 0) {
        this.assembler.warn(
          traceId,
          `${count(t.noService, 'span has', 'spans have')} no localEndpoint.serviceName; shown as ${UNKNOWN_SERVICE}`,
        );
      }
      if (t.noDuration.length > 0) {
        this.assembler.warn(
          traceId,
          `${count(t.noDuration.length, 'span has', 'spans have')} no duration (span not finished or reported without it); shown as 0: ${examples(t.noDuration)}`,
        );
      }
      if (t.durationFromAnnotations.length > 0) {
        this.assembler.warn(
          traceId,
          `${count(t.durationFromAnnotations.length, 'span has', 'spans have')} no duration; shown up to the last annotation: ${examples(t.durationFromAnnotations)}`,
        );
      }
    }
    return this.assembler.finish();
  }

  private resourceFor(service: string): Attributes {
    let resource = this.resources.get(service);
    if (resource === undefined) {
      resource = { 'service.name': service };
      this.resources.set(service, resource);
    }
    return resource;
  }

  private tallyFor(traceId: string): Tally {
    let t = this.tallies.get(traceId);
    if (t === undefined) {
      t = { noService: 0, noDuration: [], durationFromAnnotations: [] };
      this.tallies.set(traceId, t);
    }
    return t;
  }
}

/** Endpoint address and port under OpenTelemetry network.* names (keys passed whole: no string built per span). */
function addEndpoint(attributes: Attributes, endpoint: JsonObject, addressKey: string, portKey: string): void {
  const address = typeof endpoint.ipv4 === 'string' && endpoint.ipv4 !== '' ? endpoint.ipv4 : endpoint.ipv6;
  if (typeof address === 'string' && address !== '') attributes[addressKey] = address;
  if (typeof endpoint.port === 'number') attributes[portKey] = endpoint.port;
}

function pathOf(listPath: string, index: number): string {
  return index < 0 ? listPath : `${listPath}[${index}]`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function examples(spans: string[]): string {
  const shown = spans.slice(0, EXAMPLES).join(', ');
  return spans.length > EXAMPLES ? `${shown} and ${spans.length - EXAMPLES} more` : shown;
}
