/**
 * The code location statistics are kept for: the line in a workspace file where spans start (or where the function
 * that starts them is defined, when that is all the telemetry tells), the function, and the span name. Spans of
 * two anonymous functions that a runtime names alike (`Object.handler`) are apart by their lines; two spans started
 * in one function are apart by their lines, or by their names when only the function is known. Lines are 1-based
 * here; VS Code's are 0-based.
 */

export interface CodeKey {
  /** workspace-relative, forward slashes */
  readonly file: string;
  /** 1-based: where the spans start, or where their function is defined when nothing says where they start */
  readonly line?: number;
  /** as the telemetry names it, possibly qualified: `com.example.Cart.add`, `App\Cart::add`, `placeOrder` */
  readonly function?: string;
  /**
   * the span name; absent for the bucket of the names beyond MAX_SPAN_NAMES_PER_PLACE at one place (names made
   * per request, such as `GET /orders/ord-123`, would otherwise make a bucket each)
   */
  readonly span?: string;
}

/** A location a span was resolved to, with what the resolver knows of it. */
export interface ResolvedLocation {
  readonly key: CodeKey;
  /** `codeKeyId(key)` */
  readonly id: string;
  /** 1-based line the span was started at (or its function defined at): `key.line` */
  readonly line?: number;
  /** for a person: how the telemetry path became a workspace file */
  readonly reason: string;
  /** 0..1 */
  readonly confidence: number;
}

/** Span names counted apart at one place (file, line and function), at most; the others share one bucket. */
export const MAX_SPAN_NAMES_PER_PLACE = 16;

/**
 * A map key for a CodeKey. JSON keeps the parts apart whatever they hold (a function name or span name from
 * telemetry may hold any character), so ids cannot collide. Made once per location, never per span.
 */
export function codeKeyId(key: CodeKey): string {
  return JSON.stringify([key.file, key.line ?? null, key.function ?? null, key.span ?? null]);
}

/** The place part of a key (file, line, function), without the span name. */
export function placeId(key: CodeKey): string {
  return JSON.stringify([key.file, key.line ?? null, key.function ?? null]);
}

/** Separators of qualified function names in the languages OpenTelemetry instruments. */
const QUALIFIER = /::|->|[.\\/#:]/;

/**
 * The innermost name of a qualified function, the way document symbols name it: `com.example.Cart.add` → `add`,
 * `App\Cart::add` → `add`, `main.(*Server).handle` → `handle`, `Cart.add(int, String)` → `add`.
 */
export function shortFunctionName(fn: string): string {
  const bare = stripParameters(fn).trim();
  const parts = bare.split(QUALIFIER);
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i]!.replace(/^[(*&\s]+|[)\s]+$/g, '');
    if (part !== '') return part;
  }
  return bare;
}

/** The qualifiers before the innermost name, innermost first: `com.example.Cart.add` → [Cart, example, com]. */
export function functionQualifiers(fn: string): string[] {
  const parts = stripParameters(fn)
    .split(QUALIFIER)
    .map((p) => p.replace(/^[(*&\s]+|[)\s]+$/g, ''))
    .filter((p) => p !== '');
  return parts.slice(0, -1).reverse();
}

/** `add(int, String)` → `add`; `<lambda>` and Go receivers such as `(*Server).handle` keep their shape. */
function stripParameters(fn: string): string {
  const open = fn.lastIndexOf('(');
  if (open > 0 && fn.endsWith(')') && !fn.slice(open).includes('.')) return fn.slice(0, open);
  return fn;
}
