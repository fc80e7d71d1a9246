/** Rust panics and `std::backtrace` output (`RUST_BACKTRACE=1` and `full`). */
import { beforeLast, frame, positiveInt, type StackFrame } from './frames';

const RUST_FUNCTION = /^\s*(\d+):\s+(?:0x[0-9a-fA-F]+ - )?(.+)$/;
const RUST_LOCATION = /^\s+at (.+?):(\d+)(?::(\d+))?$/;
const RUST_PANIC = /panicked at (?:'.*', )?(.+?):(\d+):(\d+):?$/;
const RUST_HASH = /::h[0-9a-f]{16}$/;
const RUST_LIBRARY = /^<?(?:(?:std|core|alloc)::|rust_begin_unwind|__rust)/;
/**
 * Crates of the async runtime, web frameworks and error reporting that fill a backtrace around application
 * frames. A frame without a location (a release build has none) is judged by its crate alone.
 */
const RUST_RUNTIME_CRATES = new RegExp(
  String.raw`^<?&?(?:tokio|tokio_util|futures|futures_util|futures_core|futures_executor|hyper|hyper_util|h2|http|http_body|` +
    String.raw`tower|tower_http|tower_layer|tower_service|axum|axum_core|actix_web|actix_http|actix_server|actix_service|` +
    String.raw`actix_rt|actix|warp|rocket|tonic|tracing|tracing_core|tracing_subscriber|tracing_futures|tracing_panic|` +
    String.raw`sqlx|sqlx_core|sqlx_postgres|sqlx_mysql|sqlx_sqlite|diesel|serde|serde_json|reqwest|mio|async_trait|` +
    String.raw`backtrace|anyhow|eyre|color_eyre|log|env_logger|panic_unwind|std_detect|libc)::`,
);
/** A frame line naming a Rust path (`  7: shop::cart::add`, `<T as Trait>::f`); Ruby's `3: from …` is not one. */
const RUST_SYMBOL_LINE = /^\s*\d+:\s+(?:0x[0-9a-fA-F]+ - )?(?:<|[a-z_]\w*::)/;
export const RUST_SIGNATURE = new RegExp(
  String.raw`^\s+at .+\.rs:\d+(?::\d+)?$|panicked at |^stack backtrace:$|` + RUST_SYMBOL_LINE.source,
);

// "thread 'main' panicked at src/main.rs:42:5:" then, with RUST_BACKTRACE, "  4: cart::add\n   at ./src/cart.rs:42:5".
export function parseRust(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  const runtimeCrate = new Set<StackFrame>();
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
      // judged by its location when one follows, by its crate when none does
      if (last.isLibrary === undefined && RUST_RUNTIME_CRATES.test(name)) runtimeCrate.add(last);
      frames.push(last);
      continue;
    }
    const panic = RUST_PANIC.exec(line);
    if (panic && frames.length === 0) {
      frames.push(frame({ file: panic[1], line: positiveInt(panic[2]), column: positiveInt(panic[3]) }));
    }
  }
  for (const f of runtimeCrate) if (f.file === undefined) f.isLibrary = true;
  return frames;
}
