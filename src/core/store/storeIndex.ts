/**
 * The secondary indexes of the TraceStore: which traces hold a service, an operation, an error, or a span
 * at a code location. Entries are added span by span and removed trace by trace (eviction is always of a
 * whole trace), so every set holds trace ids and every count is of spans.
 */
import { numberAttribute, stringAttribute } from '../model/attributes';
import type { Span } from '../model/types';

/** Where a span says its code is, read from OpenTelemetry `code.*` attributes (current and older names). */
export interface CodeLocation {
  /** `code.file.path`, or the older `code.filepath`; as the instrumentation wrote it (absolute or relative) */
  filePath: string;
  /** `code.function.name`, or `code.namespace` + `.` + `code.function` */
  functionName?: string;
}

/** A code location with what the store holds there. */
export interface LocationEntry extends Readonly<CodeLocation> {
  /** stable key of this location (file path and function) */
  readonly key: string;
  /** `code.line.number` / `code.lineno` of the most recent span that gave one (1-based) */
  readonly lineNumber?: number;
  readonly spanCount: number;
  readonly errorCount: number;
  /** traces holding at least one span here (live: it changes as the store does) */
  readonly traceIds: ReadonlySet<string>;
}

/** Reads the code location of a span, or undefined when it names no file. */
export function codeLocationOf(span: Span): CodeLocation | undefined {
  const a = span.attributes;
  const filePath = stringAttribute(a, 'code.file.path') ?? stringAttribute(a, 'code.filepath');
  if (!filePath) return undefined;
  let functionName = stringAttribute(a, 'code.function.name');
  if (functionName === undefined) {
    const fn = stringAttribute(a, 'code.function');
    const ns = stringAttribute(a, 'code.namespace');
    functionName = fn !== undefined && ns ? `${ns}.${fn}` : fn;
  }
  return functionName ? { filePath, functionName } : { filePath };
}

export function locationKey(location: CodeLocation): string {
  return location.functionName === undefined ? location.filePath : `${location.filePath}\u0000${location.functionName}`;
}

export function isErrorSpan(span: Span): boolean {
  return span.status.code === 'error';
}

interface MutableLocation extends CodeLocation {
  key: string;
  lineNumber?: number;
  spanCount: number;
  errorCount: number;
  traceIds: Set<string>;
}

export class StoreIndex {
  /** service → traces with a span of that service */
  private readonly byService = new Map<string, Set<string>>();
  /** service → operation (span name) → traces */
  private readonly byOperation = new Map<string, Map<string, Set<string>>>();
  /** traces with at least one error span */
  readonly errorTraces = new Set<string>();
  private readonly byLocation = new Map<string, MutableLocation>();

  addSpan(traceId: string, span: Span): void {
    addTo(this.byService, span.service, traceId);
    let ops = this.byOperation.get(span.service);
    if (!ops) this.byOperation.set(span.service, (ops = new Map()));
    addTo(ops, span.name, traceId);
    const error = isErrorSpan(span);
    if (error) this.errorTraces.add(traceId);
    const location = codeLocationOf(span);
    if (location) {
      const key = locationKey(location);
      let entry = this.byLocation.get(key);
      if (!entry) {
        entry = { ...location, key, spanCount: 0, errorCount: 0, traceIds: new Set() };
        this.byLocation.set(key, entry);
      }
      entry.spanCount++;
      if (error) entry.errorCount++;
      entry.traceIds.add(traceId);
      const line = numberAttribute(span.attributes, 'code.line.number') ?? numberAttribute(span.attributes, 'code.lineno');
      if (line !== undefined && Number.isInteger(line) && line > 0) entry.lineNumber = line;
    }
  }

  /** Forgets a whole trace; `spans` are all the spans it was indexed with. */
  removeTrace(traceId: string, spans: readonly Span[]): void {
    this.errorTraces.delete(traceId);
    for (const span of spans) {
      deleteFrom(this.byService, span.service, traceId);
      const ops = this.byOperation.get(span.service);
      if (ops) {
        deleteFrom(ops, span.name, traceId);
        if (ops.size === 0) this.byOperation.delete(span.service);
      }
      const location = codeLocationOf(span);
      if (location) {
        const key = locationKey(location);
        const entry = this.byLocation.get(key);
        if (entry) {
          entry.spanCount--;
          if (isErrorSpan(span)) entry.errorCount--;
          entry.traceIds.delete(traceId);
          if (entry.spanCount <= 0) this.byLocation.delete(key);
        }
      }
    }
  }

  clear(): void {
    this.byService.clear();
    this.byOperation.clear();
    this.errorTraces.clear();
    this.byLocation.clear();
  }

  /** Service names, sorted. */
  services(): string[] {
    return [...this.byService.keys()].sort();
  }

  /** Operation (span) names of a service, sorted; empty for an unknown service. */
  operations(service: string): string[] {
    const ops = this.byOperation.get(service);
    return ops ? [...ops.keys()].sort() : [];
  }

  tracesOfService(service: string): ReadonlySet<string> | undefined {
    return this.byService.get(service);
  }

  /** Traces with a span named `operation`, in `service` when given, else in any service. */
  tracesOfOperation(operation: string, service?: string): ReadonlySet<string> | undefined {
    if (service !== undefined) return this.byOperation.get(service)?.get(operation);
    let union: Set<string> | undefined;
    for (const ops of this.byOperation.values()) {
      const ids = ops.get(operation);
      if (!ids) continue;
      union ??= new Set();
      for (const id of ids) union.add(id);
    }
    return union;
  }

  locations(): LocationEntry[] {
    return [...this.byLocation.values()];
  }

  location(key: string): LocationEntry | undefined {
    return this.byLocation.get(key);
  }
}

function addTo<K>(map: Map<K, Set<string>>, key: K, traceId: string): void {
  const set = map.get(key);
  if (set) set.add(traceId);
  else map.set(key, new Set([traceId]));
}

function deleteFrom<K>(map: Map<K, Set<string>>, key: K, traceId: string): void {
  const set = map.get(key);
  if (set && set.delete(traceId) && set.size === 0) map.delete(key);
}
