/** Python tracebacks, chained exceptions and exception groups. */
import { frame, positiveInt, type StackFrame } from './frames';

export const PYTHON_FRAME = /^[\s|]*File "(.+)", line (\d+)(?:, in (.+))?$/;
const PYTHON_CHAIN = /^(?:The above exception was the direct cause|During handling of the above exception)/;

// Python prints the most recent call last, and a chain's original exception first.
export function parsePython(lines: readonly string[]): StackFrame[] {
  const blocks: StackFrame[][] = [[]];
  for (const line of lines) {
    if (PYTHON_CHAIN.test(line)) {
      blocks.push([]);
      continue;
    }
    const m = PYTHON_FRAME.exec(line);
    if (!m) continue;
    blocks[blocks.length - 1]!.push(frame({ file: m[1], line: positiveInt(m[2]), function: m[3] }));
  }
  return blocks.flatMap((b) => b.reverse());
}
