/**
 * The code location statistics are kept for: a workspace file and the function the span was started in, or
 * the line when no function is known. Lines are 1-based here; VS Code's are 0-based.
 */

export interface CodeKey {
  /** workspace-relative, forward slashes */
  readonly file: string;
  /** as the telemetry names it, possibly qualified: `com.example.Cart.add`, `App\Cart::add`, `placeOrder` */
  readonly function?: string;
  /** 1-based; only for keys without a function */
  readonly line?: number;
}

/** A location a span was resolved to, with what the resolver knows of it. */
export interface ResolvedLocation {
  readonly key: CodeKey;
  /** `codeKeyId(key)` */
  readonly id: string;
  /** 1-based line the span was started at (`code.line.number` or a stack frame), when known */
  readonly line?: number;
  /** for a person: how the telemetry path became a workspace file */
  readonly reason: string;
  /** 0..1 */
  readonly confidence: number;
}

/** A map key for a CodeKey. NUL separates the parts: it is in no path or function name, so ids cannot collide. */
export function codeKeyId(key: CodeKey): string {
  if (key.function !== undefined) return `${key.file}\u0000f\u0000${key.function}`;
  return `${key.file}\u0000l\u0000${key.line ?? 0}`;
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
