/**
 * C and C++: `boost::stacktrace` (` 1# Cart::add(int) at /src/cart.cpp:27`), sanitizers, libunwind-based
 * printers, cpptrace and gdb (`#1 0x… in Cart::add(int) /src/cart.cpp:27:5`), and glibc `backtrace_symbols`
 * (`./shop(_ZN4Cart3addEi+0x1d) [0x55…]`, symbols only: no file or line). Innermost first.
 */
import { demangle } from './demangle';
import { frame, positiveInt, type StackFrame } from './frames';

const BOOST_FRAME = /^\s*\d+# (.*?)(?: at (.+?):(\d+))?(?: in (.+))?\s*$/;
/** `#N [0xADDR in ]rest`: sanitizers, libunwind printers, cpptrace, gdb */
const HASH_FRAME = /^\s*#\d+\s+(?:0x[0-9a-fA-F]+\s+in\s+)?(.+?)\s*$/;
/** the location at the end of a `#N` frame: ` at file:line[:col]` (gdb, cpptrace) or ` file:line[:col]` (sanitizers) */
const TAIL_LOCATION = /(?:^|\s)(?:at\s+)?((?:[A-Za-z]:)?[^\s:()]*[/\\.][^\s:()]*):(\d+)(?::(\d+))?$/;
/** ` (/lib/libc.so.6+0x29d90)` or ` from /lib/libc.so.6`: a frame in a binary without source information */
const TAIL_OBJECT = /\s+(?:\(([^()\s]+)\+0x[0-9a-fA-F]+\)|from\s+(\S+))$/;
const GLIBC_FRAME = /^\s*(?:\[bt\]\s*)?(?:#?\d+\s*[:#]?\s+)?(\S+?)\(([^()\s]*?)(?:\+0x[0-9a-fA-F]+)?\)\s*\[0x[0-9a-fA-F]+\]\s*$/;
/** macOS backtrace_symbols: `3   shop   0x000000010d0e1c3a _ZN4Cart3addEi + 58` */
const DARWIN_FRAME = /^\s*\d+\s+(\S+)\s+0x[0-9a-fA-F]+\s+(\S.*?) \+ \d+\s*$/;

export const CPP_SIGNATURE = new RegExp(
  [
    String.raw`^\s*\d+# \S`,
    String.raw`^\s*#\d+\s+0x[0-9a-fA-F]+\s+in\s`,
    String.raw`^\s*#\d+\s+\S.*\sat\s+\S+:\d+$`,
    String.raw`^\s*(?:\[bt\]\s*)?(?:#?\d+\s*[:#]?\s+)?\S+\([^()\s]*\+0x[0-9a-fA-F]+\)\s*\[0x[0-9a-fA-F]+\]\s*$`,
    String.raw`^\s*\d+\s+\S+\s+0x[0-9a-fA-F]{8,}\s+\S.* \+ \d+\s*$`,
  ].join('|'),
);

const LIBRARY_FUNCTION =
  /^(?:std|__gnu_cxx|__cxxabiv1|__cxx11|boost|__sanitizer|__asan|__tsan|__ubsan|__interceptor)::|^(?:__libc_start_main|__libc_start_call_main|_start|start_thread|clone3?|__clone\d*|_dl_\w+|__restore_rt|abort|raise|__GI_\w+|__pthread_\w+|_Unwind_\w+|__cxa_\w+)$/;
const SHARED_OBJECT = /\.so(?:\.\d+)*$|\.dylib$|\.dll$/i;

export function parseCpp(lines: readonly string[]): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of lines) {
    const f = boostFrame(line) ?? hashFrame(line) ?? symbolsFrame(line);
    if (f) frames.push(f);
  }
  return frames;
}

function boostFrame(line: string): StackFrame | undefined {
  const m = BOOST_FRAME.exec(line);
  if (!m) return undefined;
  return cppFrame(m[1]!, m[2], positiveInt(m[3]), undefined, m[4]);
}

function hashFrame(line: string): StackFrame | undefined {
  const m = HASH_FRAME.exec(line);
  if (!m) return undefined;
  let rest = m[1]!;
  let file: string | undefined;
  let lineNo: number | undefined;
  let column: number | undefined;
  let object: string | undefined;
  const loc = TAIL_LOCATION.exec(rest);
  if (loc) {
    [file, lineNo, column] = [loc[1], positiveInt(loc[2]), positiveInt(loc[3])];
    rest = rest.slice(0, loc.index);
  } else {
    const obj = TAIL_OBJECT.exec(rest);
    if (obj) {
      object = obj[1] ?? obj[2];
      rest = rest.slice(0, obj.index);
    }
  }
  return cppFrame(rest, file, lineNo, column, object);
}

function symbolsFrame(line: string): StackFrame | undefined {
  const g = GLIBC_FRAME.exec(line);
  if (g) return cppFrame(g[2]!, undefined, undefined, undefined, g[1]);
  const d = DARWIN_FRAME.exec(line);
  if (d) return cppFrame(d[2]!, undefined, undefined, undefined, d[1]);
  return undefined;
}

function cppFrame(
  symbol: string,
  file: string | undefined,
  line: number | undefined,
  column: number | undefined,
  object: string | undefined,
): StackFrame {
  const raw = symbol.trim();
  const fn = /^0x[0-9a-fA-F]+$|^\?\?$/.test(raw) || raw === '' ? undefined : functionName(demangle(raw) ?? raw);
  const module = fn === undefined ? undefined : enclosing(fn);
  const isLibrary =
    (fn !== undefined && LIBRARY_FUNCTION.test(fn)) ||
    (file === undefined && (fn === undefined || (object !== undefined && SHARED_OBJECT.test(object))));
  return frame({
    file,
    line: file ? line : undefined,
    column: file ? column : undefined,
    function: fn,
    module,
    isLibrary: isLibrary || undefined,
  });
}

/**
 * `oatpp::Object<Dto> Cart::add(int, std::string const&) const [clone .cold]` → `Cart::add`: no return type,
 * parameters, cv-qualifiers or clone suffixes; template arguments of the function itself are kept out too.
 */
export function functionName(symbol: string): string {
  let s = symbol.replace(/\s*\[(?:clone|abi:)[^\]]*\]/g, '').trim();
  s = s.replace(/\s*(?:const|volatile|noexcept|&&?)\s*$/g, '').trim();
  // gdb: `Cart::add (this=0x7ffd, qty=3)`
  if (s.endsWith(')')) {
    const open = matchingOpen(s, s.length - 1, '(', ')');
    if (open > 0 && !/operator\s*$/.test(s.slice(0, open))) s = s.slice(0, open).trimEnd();
  }
  // the return type of a template function: the last space outside <> and ()
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c === '>' || c === ')') depth++;
    else if (c === '<' || c === '(') depth--;
    else if (c === ' ' && depth === 0 && !/operator\s*$/.test(s.slice(0, i))) {
      s = s.slice(i + 1);
      break;
    }
  }
  return s.replace(/^[*&]+/, '');
}

function matchingOpen(s: string, close: number, open: string, shut: string): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (s[i] === shut) depth++;
    else if (s[i] === open && --depth === 0) return i;
  }
  return -1;
}

/** `ns::Cart<int>::add` → `ns::Cart<int>` */
function enclosing(fn: string): string | undefined {
  let depth = 0;
  for (let i = fn.length - 1; i > 0; i--) {
    const c = fn[i];
    if (c === '>' || c === ')' || c === '}') depth++;
    else if (c === '<' || c === '(' || c === '{') depth--;
    else if (c === ':' && fn[i - 1] === ':' && depth === 0) return i > 1 ? fn.slice(0, i - 1) : undefined;
  }
  return undefined;
}
