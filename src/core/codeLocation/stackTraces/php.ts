/** PHP's native `getTraceAsString()` format (`#0 /path/file.php(42): App\Cart->add()`). */
import { frame, positiveInt, type StackFrame } from './frames';

const PHP_FRAME = /^#\d+ (.+?)\((\d+)\): (.*)$/;
const PHP_INTERNAL = /^#\d+ \[internal function\]: (.*)$/;
const PHP_ORIGIN = /\sin ((?:[A-Za-z]:)?[\\/]\S*\.php)(?::| on line )(\d+)\s*$/;
export const PHP_SIGNATURE = /^#\d+ (?:.+\(\d+\): |\[internal function\]: |\{main\})/;

// "#0 /path/file.php(42): App\Cart->add()" says that line 42 of file.php called App\Cart->add(); the
// function containing line 42 is the one named on the next line. The throw site is only in the header
// ("Uncaught X: msg in /path/file.php:42") or the footer ("thrown in … on line 42").
export function parsePhp(lines: readonly string[]): StackFrame[] {
  const calls: { file?: string; line?: number; call: string }[] = [];
  let origin: { file: string; line?: number } | undefined;
  for (const line of lines) {
    const m = PHP_FRAME.exec(line);
    if (m) {
      calls.push({ file: m[1]!, line: positiveInt(m[2]), call: m[3]! });
      continue;
    }
    const internal = PHP_INTERNAL.exec(line);
    if (internal) {
      calls.push({ call: internal[1]! });
      continue;
    }
    if (origin === undefined && !line.startsWith('#')) {
      const o = PHP_ORIGIN.exec(line);
      if (o) origin = { file: o[1]!, line: positiveInt(o[2]) };
    }
  }
  const callee = (i: number): { function?: string; module?: string } => {
    const call = calls[i]?.call;
    if (call === undefined || call === '{main}') return {};
    const paren = call.indexOf('(');
    const fn = paren > 0 ? call.slice(0, paren) : call;
    const arrow = Math.max(fn.lastIndexOf('->'), fn.lastIndexOf('::'));
    return { function: fn, module: arrow > 0 ? fn.slice(0, arrow) : undefined };
  };
  const frames: StackFrame[] = [];
  if (origin) frames.push(frame({ ...origin, ...callee(0) }));
  calls.forEach((c, i) => {
    if (c.file !== undefined) frames.push(frame({ file: c.file, line: c.line, ...callee(i + 1) }));
  });
  return frames;
}
