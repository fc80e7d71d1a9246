/** The frame model every stack-trace reader produces, and the small helpers they share. */

export type StackLanguage = 'java' | 'python' | 'node' | 'dotnet' | 'go' | 'ruby' | 'php' | 'rust' | 'elixir' | 'cpp';

export interface StackFrame {
  /** as printed: an absolute or relative path, a file:// URL, or (Java) a bare file name */
  file?: string;
  /** 1-based */
  line?: number;
  /** 1-based */
  column?: number;
  /** qualified as printed, without arguments: `com.example.Cart.add`, `cart.(*Service).Add`, `Cart#add` */
  function?: string;
  /** the enclosing class or package: `com.example.Cart` (Java), `github.com/acme/shop/cart` (Go), `App\Cart` (PHP) */
  module?: string;
  /**
   * Not application code: runtime, standard-library or third-party code, or code a compiler or framework
   * generated (proxies, `use` expansions) at a line no one wrote.
   */
  isLibrary?: boolean;
}

export interface ParsedStackTrace {
  language: StackLanguage | undefined;
  /**
   * The frame closest to where the error was raised first. Chained exceptions (Java `Caused by:`, Python
   * "direct cause", .NET inner exceptions, Node `[cause]`) put the root cause's frames before the frames of
   * the exceptions that wrapped it.
   */
  frames: StackFrame[];
}

export type StackParser = (lines: readonly string[]) => StackFrame[];

export function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `{ file, line, column }` without the keys whose values are absent. */
export function frame(fields: StackFrame): StackFrame {
  const out: StackFrame = {};
  for (const [k, v] of Object.entries(fields) as [keyof StackFrame, StackFrame[keyof StackFrame]][]) {
    if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Segments printed outermost first (Java, Node): the root cause's frames go first. */
export function rootCauseFirst(segments: StackFrame[][]): StackFrame[] {
  return segments.reverse().flat();
}

export function beforeLast(text: string, sep: string): string | undefined {
  const i = text.lastIndexOf(sep);
  return i > 0 ? text.slice(0, i) : undefined;
}
