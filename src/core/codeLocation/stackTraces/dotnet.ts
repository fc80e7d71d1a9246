/** .NET `Exception.ToString()`: `at Ns.Type.Method(args) in /path/File.cs:line 42`, inner exceptions first. */
import { beforeLast, frame, positiveInt, type StackFrame } from './frames';

const DOTNET_FRAME = /^\s*at (.+?)(?: in (.+):\p{L}+ (\d+))?\s*$/u;
export const DOTNET_SIGNATURE =
  /^\s*(?:at [^\s(]+\((?:[^()]*\s[^()]*)?\)(?: in .+:\p{L}+ \d+)?\s*$|--- End of (?:inner exception )?stack trace)/u;
const DOTNET_LIBRARY = /^(?:System|Microsoft|Internal|lambda_method)\b/;

// .NET prints inner exceptions first: the printed order is already root cause first.
export function parseDotnet(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const m = DOTNET_FRAME.exec(line);
    if (!m) continue;
    const paren = m[1]!.indexOf('(');
    const fn = paren > 0 ? m[1]!.slice(0, paren) : m[1]!;
    frames.push(
      frame({
        file: m[2],
        line: positiveInt(m[3]),
        function: fn,
        module: beforeLast(fn, '.'),
        isLibrary: DOTNET_LIBRARY.test(fn) || undefined,
      }),
    );
  }
  return frames;
}
