/** V8 stack traces (Node, Deno, Chromium): `at fn (file:line:col)`, `at file:line:col`, `[cause]` chains. */
import { frame, positiveInt, rootCauseFirst, type StackFrame } from './frames';

const NODE_FRAME = /^\s*at (?:(.+?) \((.*)\)|(.+))$/;
const NODE_LOCATION = /^(.*):(\d+):(\d+)$/;
export const NODE_SIGNATURE = /^\s*at (?:.+ \(.*:\d+:\d+\)|\S+:\d+:\d+)$/;

export function parseNode(lines: readonly string[]): StackFrame[] {
  const segments: StackFrame[][] = [[]];
  for (const line of lines) {
    if (line.trimStart().startsWith('[cause]:')) {
      segments.push([]);
      continue;
    }
    const m = NODE_FRAME.exec(line);
    if (!m) continue;
    let fn = m[1];
    let location = m[2] ?? m[3]!;
    if (fn?.startsWith('async ')) fn = fn.slice(6);
    if (location.startsWith('async ')) location = location.slice(6);
    const loc = NODE_LOCATION.exec(location);
    // eval frames ("eval at f (x.js:1:1), <anonymous>:1:1"), native and Promise.all index frames carry no file
    const file = loc && !loc[1]!.includes(' (') && !loc[1]!.startsWith('eval at ') ? loc[1] : undefined;
    if (!file && !fn) continue;
    segments[segments.length - 1]!.push(
      frame({
        file,
        line: file ? positiveInt(loc?.[2]) : undefined,
        column: file ? positiveInt(loc?.[3]) : undefined,
        function: fn,
        isLibrary: file === undefined || undefined,
      }),
    );
  }
  return rootCauseFirst(segments);
}
