/**
 * Where a span says its code is: OpenTelemetry `code.*` attributes (stable and deprecated names), exception
 * stack traces on the span, and Datadog code-origin tags. Reading only; mapping to the workspace is elsewhere.
 */
import { numberAttribute, stringAttribute } from '../model/attributes';
import type { Attributes, Span } from '../model/types';

export interface CodeAttributes {
  /** the key the path was read from, for reasons */
  fileKey?: 'code.file.path' | 'code.filepath';
  filePath?: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  column?: number;
  /** fully qualified: `code.function.name`, else `code.namespace` + "." + `code.function` */
  function?: string;
  /** deprecated `code.namespace`: the class or module that holds the function */
  namespace?: string;
  /** `code.stacktrace`: where the span was started */
  stacktrace?: string;
}

/** A stack trace and what is known of its exception. */
export interface ExceptionStack {
  stacktrace: string;
  type?: string;
  message?: string;
  /** where it was found, for reasons: `exception event`, `exception log record`, `span attribute error.stack` */
  origin: string;
}

export interface VendorFrame {
  /** position in the vendor's list; 0 is the frame nearest the span's own code */
  index: number;
  file: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  column?: number;
  method?: string;
  /** the enclosing class or type, e.g. `com.example.CartController` */
  type?: string;
}

const STACK_KEYS = ['exception.stacktrace', 'error.stack', 'stack'] as const;
const TYPE_KEYS = ['exception.type', 'error.type', 'error.kind'] as const;
const MESSAGE_KEYS = ['exception.message', 'error.message', 'message'] as const;
/** Span attributes some exporters use for the stack of the span's error (Datadog, OpenTracing bridges). */
const SPAN_STACK_KEYS = ['exception.stacktrace', 'error.stack'] as const;

const DD_PREFIX = '_dd.code_origin.frames.';
/** dd-trace writes up to 8 frames */
const DD_MAX_FRAMES = 8;

/** The span's `code.*` attributes, preferring the stable names; undefined when it has none. */
export function readCodeAttributes(attrs: Attributes): CodeAttributes | undefined {
  const out: CodeAttributes = {};
  const stable = nonEmpty(stringAttribute(attrs, 'code.file.path'));
  const old = stable === undefined ? nonEmpty(stringAttribute(attrs, 'code.filepath')) : undefined;
  if (stable !== undefined) [out.fileKey, out.filePath] = ['code.file.path', stable];
  else if (old !== undefined) [out.fileKey, out.filePath] = ['code.filepath', old];
  const line = positive(numberAttribute(attrs, 'code.line.number') ?? numberAttribute(attrs, 'code.lineno'));
  if (line !== undefined) out.line = line;
  const column = positive(numberAttribute(attrs, 'code.column.number') ?? numberAttribute(attrs, 'code.column'));
  if (column !== undefined) out.column = column;
  const fn = qualifiedFunction(attrs);
  if (fn !== undefined) out.function = fn;
  const ns = nonEmpty(stringAttribute(attrs, 'code.namespace'));
  if (ns !== undefined) out.namespace = ns;
  const stack = nonEmpty(stringAttribute(attrs, 'code.stacktrace'));
  if (stack !== undefined) out.stacktrace = stack;
  return Object.keys(out).length === 0 ? undefined : out;
}

function qualifiedFunction(attrs: Attributes): string | undefined {
  const full = nonEmpty(stringAttribute(attrs, 'code.function.name'));
  if (full !== undefined) return full;
  const fn = nonEmpty(stringAttribute(attrs, 'code.function'));
  const ns = nonEmpty(stringAttribute(attrs, 'code.namespace'));
  if (fn === undefined) return ns;
  return ns === undefined ? fn : `${ns}.${fn}`;
}

/**
 * The stack traces a span carries: its exception events (OpenTelemetry `exception`, OpenTracing `error`
 * logs with `stack`), then a stack in its own attributes. In event order.
 */
export function spanExceptions(span: Span): ExceptionStack[] {
  const out: ExceptionStack[] = [];
  for (const event of span.events) {
    const rec = exceptionFromAttributes(
      event.attributes,
      event.name === 'exception' ? 'exception event' : `event "${event.name}"`,
    );
    if (rec) out.push(rec);
  }
  for (const key of SPAN_STACK_KEYS) {
    const stack = nonEmpty(stringAttribute(span.attributes, key));
    if (stack === undefined) continue;
    const rec = exceptionFromAttributes(span.attributes, `span attribute ${key}`);
    if (rec) out.push(rec);
    break;
  }
  return out;
}

/** The stack in attributes that hold one (`exception.stacktrace`, Datadog `error.stack`, OpenTracing `stack`). */
export function exceptionFromAttributes(attrs: Attributes, origin: string): ExceptionStack | undefined {
  const stacktrace = first(attrs, STACK_KEYS);
  if (stacktrace === undefined) return undefined;
  const rec: ExceptionStack = { stacktrace, origin };
  const type = first(attrs, TYPE_KEYS);
  if (type !== undefined) rec.type = type;
  const message = first(attrs, MESSAGE_KEYS);
  if (message !== undefined) rec.message = message;
  return rec;
}

/** Datadog `_dd.code_origin.frames.N.{file,line,column,method,type}`, in index order; empty when absent. */
export function readDatadogCodeOrigin(attrs: Attributes): VendorFrame[] {
  const out: VendorFrame[] = [];
  for (let i = 0; i < DD_MAX_FRAMES; i++) {
    const p = `${DD_PREFIX}${i}.`;
    const file = nonEmpty(stringAttribute(attrs, `${p}file`));
    if (file === undefined) break;
    const frame: VendorFrame = { index: i, file };
    const line = positive(numberAttribute(attrs, `${p}line`));
    if (line !== undefined) frame.line = line;
    const column = positive(numberAttribute(attrs, `${p}column`));
    if (column !== undefined) frame.column = column;
    const method = nonEmpty(stringAttribute(attrs, `${p}method`));
    if (method !== undefined) frame.method = method;
    const type = nonEmpty(stringAttribute(attrs, `${p}type`));
    if (type !== undefined) frame.type = type;
    out.push(frame);
  }
  return out;
}

function first(attrs: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = nonEmpty(stringAttribute(attrs, key));
    if (v !== undefined) return v;
  }
  return undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** A positive integer, else undefined (lines and columns are 1-based; 0 means unknown). */
function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
