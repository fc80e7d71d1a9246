/** Ruby backtraces: `full_message`, `caller_locations`, and the 2.5–2.7 reversed terminal format. */
import { frame, positiveInt, type StackFrame } from './frames';

export const RUBY_FRAME = /^\s*(?:(\d+): from |from )?(.+?):(\d+):in [`'](.+?)'/;

// `file.rb:42:in 'Cart#add'`, newest first; Ruby 2.5–2.7 on a terminal numbered them "N: from" oldest first.
export function parseRuby(lines: readonly string[]): StackFrame[] {
  const numbered: { depth: number; frame: StackFrame }[] = [];
  for (const line of lines) {
    const m = RUBY_FRAME.exec(line);
    if (!m) continue;
    const fn = m[4]!;
    const hash = fn.lastIndexOf('#');
    const dot = fn.lastIndexOf('.');
    const sep = Math.max(hash, dot);
    const owner = sep > 0 ? fn.slice(fn.lastIndexOf(' ', sep) + 1, sep) : undefined;
    numbered.push({
      depth: m[1] === undefined ? 0 : Number(m[1]),
      frame: frame({ file: m[2], line: positiveInt(m[3]), function: fn, module: owner }),
    });
  }
  return numbered.sort((a, b) => a.depth - b.depth).map((n) => n.frame);
}
