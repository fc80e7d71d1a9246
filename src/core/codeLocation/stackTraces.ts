/**
 * Reads stack traces as the runtimes print them (Java/Kotlin, Python, Node/V8, .NET, Go, Ruby, PHP, Rust) into
 * frames ordered from where the error was raised outwards. Input is untrusted text: it is size-capped, and
 * lines that fit no pattern are skipped.
 */
import { isLibraryPath, normalizeForeignPath, GO_STD_PACKAGES } from './pathMapper';

export type StackLanguage = 'java' | 'python' | 'node' | 'dotnet' | 'go' | 'ruby' | 'php' | 'rust';

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
  /** runtime, standard-library or third-party code */
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

const MAX_TEXT = 256 * 1024;
const MAX_LINE = 4096;
const MAX_FRAMES = 1000;
const DETECT_LINES = 400;

const JAVA_FRAME = /^\s*at\s+([^\s()]+)\(([^()]*)\)/;
const JAVA_SOURCE = /^([^:\s]+)(?::(\d+))?$/;
const JAVA_MODULE_PREFIX = /^[\w.@-]*\/\/?/;
const JAVA_SIGNATURE = /^\s*at\s+[^\s()]+\((?:[^()\s]+\.\w+(?::\d+)?|Native Method|Unknown Source(?::\d+)?)\)/;
const JAVA_LIBRARY = /^(?:java|javax|jakarta|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.codehaus\.groovy)\./;

const PYTHON_FRAME = /^[\s|]*File "(.+)", line (\d+)(?:, in (.+))?$/;
const PYTHON_CHAIN = /^(?:The above exception was the direct cause|During handling of the above exception)/;

const NODE_FRAME = /^\s*at (?:(.+?) \((.*)\)|(.+))$/;
const NODE_LOCATION = /^(.*):(\d+):(\d+)$/;
const NODE_SIGNATURE = /^\s*at (?:.+ \(.*:\d+:\d+\)|\S+:\d+:\d+)$/;

const DOTNET_FRAME = /^\s*at (.+?)(?: in (.+):\p{L}+ (\d+))?\s*$/u;
const DOTNET_SIGNATURE =
  /^\s*(?:at [^\s(]+\((?:[^()]*\s[^()]*)?\)(?: in .+:\p{L}+ \d+)?\s*$|--- End of (?:inner exception )?stack trace)/u;
const DOTNET_LIBRARY = /^(?:System|Microsoft|Internal|lambda_method)\b/;

const GO_GOROUTINE = /^goroutine \d+ \[/;
const GO_LOCATION = /^\s+(.+\.go):(\d+)(?: \+0x[0-9a-fA-F]+)?$/;
const GO_CREATED_BY = /^created by (.+?)(?: in goroutine \d+)?$/;

const RUBY_FRAME = /^\s*(?:(\d+): from |from )?(.+?):(\d+):in [`'](.+?)'/;

const PHP_FRAME = /^#\d+ (.+?)\((\d+)\): (.*)$/;
const PHP_INTERNAL = /^#\d+ \[internal function\]: (.*)$/;
const PHP_ORIGIN = /\sin ((?:[A-Za-z]:)?[\\/]\S*\.php)(?::| on line )(\d+)\s*$/;
const PHP_SIGNATURE = /^#\d+ (?:.+\(\d+\): |\[internal function\]: |\{main\})/;

const RUST_FUNCTION = /^\s*(\d+):\s+(?:0x[0-9a-fA-F]+ - )?(.+)$/;
const RUST_LOCATION = /^\s+at (.+?):(\d+)(?::(\d+))?$/;
const RUST_PANIC = /panicked at (?:'.*', )?(.+?):(\d+):(\d+):?$/;
const RUST_HASH = /::h[0-9a-f]{16}$/;
const RUST_LIBRARY = /^<?(?:(?:std|core|alloc)::|rust_begin_unwind|__rust)/;
const RUST_SIGNATURE = /^\s+at .+\.rs:\d+(?::\d+)?$|panicked at /;

/** Which runtime printed `text`, by counting lines in each runtime's frame format; undefined when none fits. */
export function detectStackLanguage(text: string): StackLanguage | undefined {
  return detect(splitLines(text));
}

/** The frames of a stack trace; `language` skips detection. */
export function parseStackTrace(text: string, language?: StackLanguage): ParsedStackTrace {
  const lines = splitLines(text);
  const lang = language ?? detect(lines);
  if (lang === undefined) return { language: undefined, frames: [] };
  const frames = PARSERS[lang](lines);
  for (const f of frames) if (f.isLibrary === undefined && f.file !== undefined && libraryFile(f.file)) f.isLibrary = true;
  return { language: lang, frames: frames.length > MAX_FRAMES ? frames.slice(0, MAX_FRAMES) : frames };
}

const PARSERS: Record<StackLanguage, (lines: readonly string[]) => StackFrame[]> = {
  java: parseJava,
  python: parsePython,
  node: parseNode,
  dotnet: parseDotnet,
  go: parseGo,
  ruby: parseRuby,
  php: parsePhp,
  rust: parseRust,
};

/** Tried in this order; the first with the most matching lines wins a tie. */
const SIGNATURES: readonly (readonly [StackLanguage, RegExp])[] = [
  ['python', PYTHON_FRAME],
  ['go', GO_LOCATION],
  ['ruby', RUBY_FRAME],
  ['php', PHP_SIGNATURE],
  ['rust', RUST_SIGNATURE],
  ['java', JAVA_SIGNATURE],
  ['dotnet', DOTNET_SIGNATURE],
  ['node', NODE_SIGNATURE],
];

function detect(lines: readonly string[]): StackLanguage | undefined {
  const counts = new Map<StackLanguage, number>();
  const n = Math.min(lines.length, DETECT_LINES);
  for (let i = 0; i < n; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE) continue;
    if (GO_GOROUTINE.test(line)) counts.set('go', (counts.get('go') ?? 0) + 2);
    for (const [lang, re] of SIGNATURES) {
      if (re.test(line)) {
        counts.set(lang, (counts.get(lang) ?? 0) + 1);
        break;
      }
    }
  }
  let best: StackLanguage | undefined;
  let bestCount = 0;
  for (const [lang] of SIGNATURES) {
    const c = counts.get(lang) ?? 0;
    if (c > bestCount) [best, bestCount] = [lang, c];
  }
  return best;
}

function splitLines(text: string): string[] {
  const capped = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  return capped.split(/\r?\n/).filter((l) => l.length <= MAX_LINE);
}

function libraryFile(file: string): boolean {
  const path = normalizeForeignPath(file);
  return path === undefined || isLibraryPath(path);
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `{ file, line, column }` without the keys whose values are absent. */
function frame(fields: StackFrame): StackFrame {
  const out: StackFrame = {};
  for (const [k, v] of Object.entries(fields) as [keyof StackFrame, StackFrame[keyof StackFrame]][]) {
    if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Segments printed outermost first (Java, Node): the root cause's frames go first. */
function rootCauseFirst(segments: StackFrame[][]): StackFrame[] {
  return segments.reverse().flat();
}

function beforeLast(text: string, sep: string): string | undefined {
  const i = text.lastIndexOf(sep);
  return i > 0 ? text.slice(0, i) : undefined;
}

// Java, Kotlin, Scala, and OpenTelemetry PHP's Java-style formatter.
function parseJava(lines: readonly string[]): StackFrame[] {
  const segments: StackFrame[][] = [[]];
  let suppressedIndent = -1;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (suppressedIndent >= 0) {
      if (indent > suppressedIndent) continue;
      suppressedIndent = -1;
    }
    const text = line.trimStart();
    if (text.startsWith('Suppressed: ')) {
      // exceptions from closing resources: not where the error was raised
      suppressedIndent = indent;
      continue;
    }
    if (text.startsWith('Caused by: ')) {
      segments.push([]);
      continue;
    }
    const m = JAVA_FRAME.exec(line);
    if (!m) continue;
    const raw = m[1]!;
    const prefix = JAVA_MODULE_PREFIX.exec(raw)?.[0] ?? '';
    const fn = raw.slice(prefix.length);
    const module = beforeLast(fn, '.');
    const source = JAVA_SOURCE.exec(m[2]!);
    const isLibrary = JAVA_LIBRARY.test(fn) || /^(?:java|jdk)\./.test(prefix);
    segments[segments.length - 1]!.push(
      frame({ file: source?.[1], line: positiveInt(source?.[2]), function: fn, module, isLibrary: isLibrary || undefined }),
    );
  }
  return rootCauseFirst(segments);
}

// Python prints the most recent call last, and a chain's original exception first.
function parsePython(lines: readonly string[]): StackFrame[] {
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

function parseNode(lines: readonly string[]): StackFrame[] {
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

// .NET prints inner exceptions first: the printed order is already root cause first.
function parseDotnet(lines: readonly string[]): StackFrame[] {
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

/** `github.com/acme/shop/cart.(*Service).Add` → `github.com/acme/shop/cart` */
function goPackage(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

// Panics and runtime/debug.Stack(): a function line, then "\t/path/file.go:42 +0x1d". Only the first
// goroutine (the one that panicked or called Stack) is read.
function parseGo(lines: readonly string[]): StackFrame[] {
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

// `file.rb:42:in 'Cart#add'`, newest first; Ruby 2.5–2.7 on a terminal numbered them "N: from" oldest first.
function parseRuby(lines: readonly string[]): StackFrame[] {
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

// getTraceAsString(): "#0 /path/file.php(42): App\Cart->add()" says that line 42 of file.php called
// App\Cart->add(); the function containing line 42 is the one named on the next line. The throw site is
// only in the header ("Uncaught X: msg in /path/file.php:42") or the footer ("thrown in … on line 42").
function parsePhp(lines: readonly string[]): StackFrame[] {
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

// "thread 'main' panicked at src/main.rs:42:5:" then, with RUST_BACKTRACE, "  4: cart::add\n   at ./src/cart.rs:42:5".
function parseRust(lines: readonly string[]): StackFrame[] {
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
