/** Rust panics and `std::backtrace` output (`RUST_BACKTRACE=1` and `full`). */
import { beforeLast, frame, positiveInt, type StackFrame } from './frames';

const RUST_FUNCTION = /^\s*(\d+):\s+(?:0x[0-9a-fA-F]+ - )?(.+)$/;
const RUST_LOCATION = /^\s+at (.+?):(\d+)(?::(\d+))?$/;
const RUST_PANIC = /panicked at (?:'.*', )?(.+?):(\d+):(\d+):?$/;
const RUST_HASH = /::h[0-9a-f]{16}$/;
const RUST_LIBRARY = /^<?(?:(?:std|core|alloc)::|rust_begin_unwind|__rust)/;
export const RUST_SIGNATURE = /^\s+at .+\.rs:\d+(?::\d+)?$|panicked at /;

// "thread 'main' panicked at src/main.rs:42:5:" then, with RUST_BACKTRACE, "  4: cart::add\n   at ./src/cart.rs:42:5".
export function parseRust(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  let last: StackFrame | undefined;
  for (const line of lines) {
    const loc = RUST_LOCATION.exec(line);
    if (loc) {
      if (last && last.file === undefined) {
        last.file = loc[1]!;
        const l = positiveInt(loc[2]);
        const c = positiveInt(loc[3]);
        if (l !== undefined) last.line = l;
        if (c !== undefined) last.column = c;
      }
      continue;
    }
    const fn = RUST_FUNCTION.exec(line);
    if (fn) {
      const name = fn[2]!.replace(RUST_HASH, '');
      last = frame({ function: name, module: beforeLast(name, '::'), isLibrary: RUST_LIBRARY.test(name) || undefined });
      frames.push(last);
      continue;
    }
    const panic = RUST_PANIC.exec(line);
    if (panic && frames.length === 0) {
      frames.push(frame({ file: panic[1], line: positiveInt(panic[2]), column: positiveInt(panic[3]) }));
    }
  }
  return frames;
}
