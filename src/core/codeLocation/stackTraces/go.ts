/** Go panics and `runtime/debug.Stack()` dumps. */
import { GO_STD_PACKAGES } from '../pathMapper';
import { frame, positiveInt, type StackFrame } from './frames';

export const GO_GOROUTINE = /^goroutine \d+ \[/;
export const GO_LOCATION = /^\s+(.+\.go):(\d+)(?: \+0x[0-9a-fA-F]+)?$/;
const GO_CREATED_BY = /^created by (.+?)(?: in goroutine \d+)?$/;

/** `github.com/acme/shop/cart.(*Service).Add` → `github.com/acme/shop/cart` */
function goPackage(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

// A function line, then "\t/path/file.go:42 +0x1d". Only the first goroutine (the one that panicked or
// called Stack) is read.
export function parseGo(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  let goroutines = 0;
  let fn: string | undefined;
  for (const line of lines) {
    if (GO_GOROUTINE.test(line)) {
      if (++goroutines > 1) break;
      continue;
    }
    const loc = GO_LOCATION.exec(line);
    if (loc) {
      if (fn === undefined) continue;
      const pkg = goPackage(fn);
      // the standard library, or a builtin such as panic
      const isLibrary = GO_STD_PACKAGES.has(pkg.split('/')[0]!) || !fn.includes('.');
      frames.push(
        frame({ file: loc[1], line: positiveInt(loc[2]), function: fn, module: pkg, isLibrary: isLibrary || undefined }),
      );
      fn = undefined;
      continue;
    }
    if (line === '' || /^\s/.test(line)) continue;
    const created = GO_CREATED_BY.exec(line);
    if (created) fn = created[1];
    else fn = line.endsWith(')') ? line.slice(0, line.lastIndexOf('(')) : line;
  }
  // Above a recovered panic sit the deferred handlers that caught it (and called debug.Stack): the error
  // was raised in the frame below `panic`, so those handlers go last.
  let p = frames.length - 1;
  while (p >= 0 && frames[p]!.function !== 'panic' && frames[p]!.function !== 'runtime.gopanic') p--;
  return p < 0 ? frames : [...frames.slice(p + 1), ...frames.slice(0, p + 1)];
}
