/**
 * Reader for Jaeger's query JSON (the v1 HTTP API and the UI's "download trace" file): the envelope
 * `{data, total, limit, offset, errors}`, a bare trace `{traceID, spans, processes}`, or an array of traces.
 * Jaeger writes times as epoch microseconds, so they pass through unchanged.
 */
import { TraceAssembler } from '../model/assemble';
import { EMPTY_ATTRIBUTES, EMPTY_LIST, setAttribute } from '../model/attributes';
import { normalizeSpanId } from '../model/ids';
import { toMicros } from '../model/time';
import type {
  AttributeValue,
  Attributes,
  InstrumentationScope,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  SpanStatus,
  Trace,
} from '../model/types';
import { TraceFormatError } from './errors';
import { isObject, kindOf, type JsonObject, TraceIdReader } from './json';

const FORMAT = 'jaeger';
const UNKNOWN_SERVICE = 'unknown_service';

// Shared by every span that has none: most spans have no logs and no extra references.
const STATUS_UNSET: SpanStatus = Object.freeze({ code: 'unset' });
const STATUS_OK: SpanStatus = Object.freeze({ code: 'ok' });
const STATUS_ERROR: SpanStatus = Object.freeze({ code: 'error' });

/** The OpenTracing `span.kind` tag value → kind (a switch: a lookup object would answer "constructor"). */
function spanKind(value: AttributeValue): SpanKind {
  switch (typeof value === 'string' ? value.toLowerCase() : value) {
    case 'client':
      return 'client';
    case 'server':
      return 'server';
    case 'producer':
      return 'producer';
    case 'consumer':
      return 'consumer';
    case 'internal':
      return 'internal';
    default:
      return 'unspecified';
  }
}

interface Process {
  service: string;
  /** process tags + service.name; one object shared by every span of the process */
  resource: Attributes;
}

const UNKNOWN_PROCESS: Process = { service: UNKNOWN_SERVICE, resource: EMPTY_ATTRIBUTES };

/** One trace object being read: its id and its process table. */
interface TraceContext {
  rawTraceId: unknown;
  processes: JsonObject | undefined;
  processCache: Map<string, Process>;
}

interface Reference {
  refType: string;
  traceId: string;
  spanId: string;
}

/** A span whose only same-trace parent candidate is a FOLLOWS_FROM, which counts only if that span is in the trace. */
interface Deferred {
  span: Span;
  refs: Reference[];
  candidate: number;
}

export function parseJaegerDocument(doc: unknown): Trace[] {
  const reader = new JaegerReader();
  if (Array.isArray(doc)) {
    reader.readTraces(doc, '$');
  } else if (isObject(doc) && ('data' in doc || 'errors' in doc)) {
    reader.readEnvelope(doc);
  } else if (isObject(doc) && 'spans' in doc) {
    reader.readTrace(doc, '$');
  } else {
    throw new TraceFormatError(
      FORMAT,
      '$',
      `expected an envelope {data:[...]}, a trace {traceID, spans, processes} or an array of traces; saw ${kindOf(doc)}`,
    );
  }
  return reader.finish();
}

class JaegerReader {
  private readonly assembler = new TraceAssembler(FORMAT);
  private readonly spans: Span[] = [];
  private readonly deferred: Deferred[] = [];
  private readonly linkAttributes = new Map<string, Attributes>();
  private readonly skipped: string[] = [];
  // The same id string repeats on every span and reference of a trace: normalise it once.
  private readonly traceIds = new TraceIdReader();

  readEnvelope(doc: JsonObject): void {
    const messages = Array.isArray(doc.errors) ? doc.errors.map(errorMessage) : [];
    const data = doc.data;
    if (data !== undefined && data !== null && !Array.isArray(data)) {
      throw new TraceFormatError(FORMAT, '$.data', `expected an array of traces; saw ${kindOf(data)}`);
    }
    if (!Array.isArray(data) || data.length === 0) {
      if (messages.length > 0) throw new TraceFormatError(FORMAT, '$.errors', `the backend reported: ${messages.join('; ')}`);
      return;
    }
    for (const m of messages) this.assembler.warn(undefined, `the backend reported: ${m}`);
    this.readTraces(data, '$.data');
  }

  readTraces(list: unknown[], path: string): void {
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      if (isObject(t)) this.readTrace(t, `${path}[${i}]`);
      else this.skip(`${path}[${i}]`, `expected a trace object {traceID, spans, processes}; saw ${kindOf(t)}`);
    }
  }

  readTrace(t: JsonObject, path: string): void {
    const spans = t.spans;
    if (!Array.isArray(spans)) {
      this.skip(path, `expected a trace with a spans array; saw ${kindOf(t)}`);
      return;
    }
    const ctx: TraceContext = {
      rawTraceId: t.traceID,
      processes: isObject(t.processes) ? t.processes : undefined,
      processCache: new Map(),
    };
    const firstKept = this.spans.length;
    const spansPath = `${path}.spans`;
    for (let i = 0; i < spans.length; i++) this.readSpan(spans[i], spansPath, i, ctx);

    if (Array.isArray(t.warnings) && t.warnings.length > 0) {
      const traceId = this.traceIds.read(t.traceID) || this.spans[firstKept]?.traceId;
      for (const w of t.warnings) this.assembler.warn(traceId, `the backend reported: ${String(w)}`);
    }
    if (spans.length === 0) this.skip(path, 'the trace has no spans');
  }

  finish(): Trace[] {
    if (this.deferred.length > 0) this.resolveDeferred();
    const traces = this.assembler.finish();
    if (traces.length === 0 && this.skipped.length > 0) {
      throw new TraceFormatError(FORMAT, '$', `no trace could be read (${this.skipped.slice(0, 3).join('; ')})`);
    }
    return traces;
  }

  /** Paths are built only for a dropped span: warnings about a kept span name it by id instead. */
  private readSpan(s: unknown, spansPath: string, index: number, ctx: TraceContext): void {
    // A dropped span's warning goes to the whole document: were it filed under its trace, a trace whose
    // every span is dropped would come out as an empty trace.
    if (!isObject(s)) {
      this.assembler.drop(`${spansPath}[${index}]`, `expected a span object; saw ${kindOf(s)}`);
      return;
    }
    const traceId = this.traceIds.read(s.traceID === undefined ? ctx.rawTraceId : s.traceID);
    if (!traceId) {
      this.assembler.drop(`${spansPath}[${index}]`, 'it has no traceID');
      return;
    }
    const spanId = typeof s.spanID === 'string' ? normalizeSpanId(s.spanID) : '';
    if (!spanId) {
      this.assembler.drop(`${spansPath}[${index}]`, 'it has no spanID');
      return;
    }
    const name = typeof s.operationName === 'string' ? s.operationName : '';
    const process = this.processOf(s, ctx, traceId, spanId);

    let attributes = EMPTY_ATTRIBUTES;
    let kind: SpanKind = 'unspecified';
    let status = STATUS_UNSET;
    let statusMessage: string | undefined;
    let scope: InstrumentationScope | undefined;
    const tags = s.tags;
    if (Array.isArray(tags) && tags.length > 0) {
      attributes = {};
      let isError = false;
      let isOk = false;
      let scopeName: string | undefined;
      let scopeVersion: string | undefined;
      let libraryName: string | undefined;
      let libraryVersion: string | undefined;
      for (let i = 0; i < tags.length; i++) {
        const tag = tags[i] as unknown;
        if (!isObject(tag) || typeof tag.key !== 'string') {
          this.assembler.warn(traceId, `span ${spanId} "${name}": skipped tags[${i}] (no key)`);
          continue;
        }
        const key = tag.key;
        const value = tagValue(tag.type, tag.value);
        setAttribute(attributes, key, value);
        switch (key) {
          case 'span.kind':
            kind = spanKind(value);
            break;
          case 'error':
            isError = value === true || value === 'true';
            break;
          case 'otel.status_code':
            if (value === 'OK') isOk = true;
            else if (value === 'ERROR') isError = true;
            break;
          case 'otel.status_description':
            if (typeof value === 'string' && value !== '') statusMessage = value;
            break;
          case 'otel.scope.name':
            if (typeof value === 'string') scopeName = value;
            break;
          case 'otel.scope.version':
            if (typeof value === 'string') scopeVersion = value;
            break;
          case 'otel.library.name':
            if (typeof value === 'string') libraryName = value;
            break;
          case 'otel.library.version':
            if (typeof value === 'string') libraryVersion = value;
            break;
        }
      }
      if (isError) status = STATUS_ERROR;
      else if (isOk) status = STATUS_OK;
      if (scopeName !== undefined)
        scope = scopeVersion === undefined ? { name: scopeName } : { name: scopeName, version: scopeVersion };
      else if (libraryName !== undefined) {
        scope = libraryVersion === undefined ? { name: libraryName } : { name: libraryName, version: libraryVersion };
      }
    }

    let events: SpanEvent[] = EMPTY_LIST;
    const logs = s.logs;
    if (Array.isArray(logs) && logs.length > 0) {
      events = [];
      for (let i = 0; i < logs.length; i++) {
        const event = this.readLog(logs[i], i, traceId, spanId, name);
        if (event === undefined) continue;
        events.push(event);
        if (status === STATUS_ERROR && statusMessage === undefined) statusMessage = errorLogMessage(event.attributes);
      }
    }
    if (status === STATUS_ERROR && statusMessage !== undefined) status = { code: 'error', message: statusMessage };

    const span: Span = {
      traceId,
      spanId,
      parentSpanId: undefined,
      name,
      service: process.service,
      kind,
      startUs: toMicros(s.startTime),
      durationUs: toMicros(s.duration),
      status,
      attributes,
      resource: process.resource,
      scope,
      events,
      links: EMPTY_LIST,
    };
    const refs = s.references;
    if (Array.isArray(refs) && refs.length > 0) this.readReferences(span, refs);

    const warnings = s.warnings;
    if (Array.isArray(warnings)) {
      for (const w of warnings) this.assembler.warn(traceId, `span ${spanId} "${name}": ${String(w)}`);
    }
    this.assembler.add(span);
    this.spans.push(span);
  }

  /**
   * The first CHILD_OF within the trace is the parent. Without one, a FOLLOWS_FROM to a span of the same
   * trace is the parent (as Jaeger UI draws it), decided in finish() once every span id is known. Every
   * other reference becomes a link carrying `jaeger.ref_type`.
   */
  private readReferences(span: Span, list: unknown[]): void {
    const refs: Reference[] = [];
    let parent = -1;
    let candidate = -1;
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      const spanId = isObject(r) && typeof r.spanID === 'string' ? normalizeSpanId(r.spanID) : '';
      if (!isObject(r) || !spanId) {
        this.assembler.warn(span.traceId, `span ${span.spanId} "${span.name}": skipped references[${i}] (no spanID)`);
        continue;
      }
      const traceId = r.traceID === undefined ? span.traceId : this.traceIds.read(r.traceID);
      const refType = typeof r.refType === 'string' ? r.refType : 'CHILD_OF';
      if (traceId === span.traceId) {
        if (refType === 'CHILD_OF') {
          if (parent < 0) parent = refs.length;
        } else if (refType === 'FOLLOWS_FROM' && candidate < 0) {
          candidate = refs.length;
        }
      }
      refs.push({ refType, traceId, spanId });
    }
    const chosen = parent >= 0 ? parent : candidate;
    if (chosen >= 0) span.parentSpanId = refs[chosen]!.spanId;
    if (refs.length > (chosen >= 0 ? 1 : 0)) span.links = this.linksOf(refs, chosen);
    if (parent < 0 && candidate >= 0) this.deferred.push({ span, refs, candidate });
  }

  private resolveDeferred(): void {
    const known = new Set<string>();
    for (const s of this.spans) known.add(`${s.traceId}/${s.spanId}`);
    for (const { span, refs, candidate } of this.deferred) {
      if (known.has(`${span.traceId}/${refs[candidate]!.spanId}`)) continue;
      span.parentSpanId = undefined;
      span.links = this.linksOf(refs, -1);
    }
  }

  private linksOf(refs: Reference[], except: number): SpanLink[] {
    const links: SpanLink[] = [];
    for (let i = 0; i < refs.length; i++) {
      if (i === except) continue;
      const r = refs[i]!;
      let attributes = this.linkAttributes.get(r.refType);
      if (attributes === undefined) {
        attributes = Object.freeze({ 'jaeger.ref_type': r.refType });
        this.linkAttributes.set(r.refType, attributes);
      }
      links.push({ traceId: r.traceId, spanId: r.spanId, attributes });
    }
    return links;
  }

  private readLog(log: unknown, index: number, traceId: string, spanId: string, spanName: string): SpanEvent | undefined {
    if (!isObject(log)) {
      this.assembler.warn(traceId, `span ${spanId} "${spanName}": skipped logs[${index}] (${kindOf(log)})`);
      return undefined;
    }
    let attributes = EMPTY_ATTRIBUTES;
    let eventName: string | undefined;
    let message: string | undefined;
    const fields = log.fields;
    if (Array.isArray(fields) && fields.length > 0) {
      attributes = {};
      for (const f of fields) {
        if (!isObject(f) || typeof f.key !== 'string') continue;
        const value = tagValue(f.type, f.value);
        setAttribute(attributes, f.key, value);
        if (f.key === 'event' && typeof value === 'string') eventName = value;
        else if (f.key === 'message' && typeof value === 'string') message = value;
      }
    }
    let timeUs = toMicros(log.timestamp);
    if (!Number.isFinite(timeUs)) {
      this.assembler.warn(traceId, `span ${spanId} "${spanName}": logs[${index}] has an unreadable timestamp; shown at 0`);
      timeUs = 0;
    }
    return { name: eventName ?? message ?? 'log', timeUs, attributes };
  }

  private processOf(s: JsonObject, ctx: TraceContext, traceId: string, spanId: string): Process {
    const id = s.processID;
    if (typeof id === 'string') {
      const cached = ctx.processCache.get(id);
      if (cached !== undefined) return cached;
      const declared =
        ctx.processes !== undefined && Object.prototype.hasOwnProperty.call(ctx.processes, id) ? ctx.processes[id] : undefined;
      const source = isObject(declared) ? declared : isObject(s.process) ? s.process : undefined;
      if (source !== undefined) {
        const process = readProcess(source);
        ctx.processCache.set(id, process);
        return process;
      }
    } else if (isObject(s.process)) {
      return readProcess(s.process);
    }
    this.assembler.warn(
      traceId,
      `span ${spanId}: process ${typeof id === 'string' ? `"${id}" is not in the trace's processes` : 'is missing'}; service shown as ${UNKNOWN_SERVICE}`,
    );
    return UNKNOWN_PROCESS;
  }

  private skip(where: string, reason: string): void {
    this.skipped.push(`${where}: ${reason}`);
    this.assembler.warn(undefined, `skipped ${where}: ${reason}`);
  }
}

function readProcess(p: JsonObject): Process {
  const service = typeof p.serviceName === 'string' && p.serviceName !== '' ? p.serviceName : UNKNOWN_SERVICE;
  const resource: Attributes = { 'service.name': service };
  if (Array.isArray(p.tags)) {
    for (const tag of p.tags as unknown[]) {
      if (isObject(tag) && typeof tag.key === 'string' && tag.key !== 'service.name')
        setAttribute(resource, tag.key, tagValue(tag.type, tag.value));
    }
  }
  return { service, resource };
}

const INTEGER = /^-?\d+$/;

/**
 * A tag's value by its declared `type`, tolerating the JSON type not matching it: int64 beyond 2^53 arrives
 * as a string and stays one (exact), bool may be "true", float64 may be an integer literal, binary is base64.
 */
export function tagValue(type: unknown, value: unknown): AttributeValue {
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'int64':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && INTEGER.test(value)) {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : value;
      }
      break;
    case 'float64':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '') {
        const n = Number(value);
        return Number.isNaN(n) ? value : n;
      }
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      break;
    case 'binary':
      if (typeof value === 'string') {
        const b = Buffer.from(value, 'base64');
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
      break;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === undefined || value === null) return null;
  return JSON.stringify(value);
}

/** The message of an error log (OpenTracing `event: error` with `message` or `error.object`). */
function errorLogMessage(fields: Attributes): string | undefined {
  const event = fields.event;
  const isErrorLog = event === 'error' || 'error.object' in fields || 'error.kind' in fields || fields.level === 'error';
  if (!isErrorLog) return undefined;
  for (const key of ['message', 'error.object', 'event']) {
    const v = fields[key];
    if (typeof v === 'string' && v !== '' && !(key === 'event' && v === 'error')) return v;
  }
  return undefined;
}

function errorMessage(e: unknown): string {
  if (isObject(e)) {
    const msg = typeof e.msg === 'string' ? e.msg : typeof e.message === 'string' ? e.message : JSON.stringify(e);
    return typeof e.traceID === 'string' && e.traceID !== '' ? `trace ${e.traceID}: ${msg}` : msg;
  }
  return String(e);
}
