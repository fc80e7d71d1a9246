/**
 * Reads stack traces as the runtimes print them (Java/Kotlin, Python, Node/V8, .NET, Go, Ruby, PHP, Rust, Elixir and
 * Erlang, C and C++) into
 * frames ordered from where the error was raised outwards. Input is untrusted text: it is size-capped, and
 * lines that fit no pattern are skipped. One file per runtime family beside this one.
 */
import { isGeneratedFile, isLibraryPath, normalizeForeignPath } from '../pathMapper';
import { CPP_SIGNATURE, parseCpp } from './cpp';
import { parseDotnet, DOTNET_SIGNATURE } from './dotnet';
import { ELIXIR_SIGNATURE, parseElixir } from './elixir';
import type { ParsedStackTrace, StackLanguage, StackParser } from './frames';
import { GO_GOROUTINE, GO_LOCATION, parseGo } from './go';
import { JAVA_SIGNATURE, parseJava } from './jvm';
import { NODE_SIGNATURE, parseNode } from './node';
import { parsePhp, PHP_SIGNATURE } from './php';
import { parsePython, PYTHON_FRAME } from './python';
import { parseRuby, RUBY_FRAME } from './ruby';
import { parseRust, RUST_SIGNATURE } from './rust';

export type { ParsedStackTrace, StackFrame, StackLanguage } from './frames';

const MAX_TEXT = 256 * 1024;
const MAX_LINE = 4096;
const MAX_FRAMES = 1000;
const DETECT_LINES = 400;

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

const PARSERS: Record<StackLanguage, StackParser> = {
  java: parseJava,
  python: parsePython,
  node: parseNode,
  dotnet: parseDotnet,
  go: parseGo,
  ruby: parseRuby,
  php: parsePhp,
  rust: parseRust,
  elixir: parseElixir,
  cpp: parseCpp,
};

/** Tried in this order; the first with the most matching lines wins a tie. */
const SIGNATURES: readonly (readonly [StackLanguage, RegExp])[] = [
  ['python', PYTHON_FRAME],
  ['elixir', ELIXIR_SIGNATURE],
  ['go', GO_LOCATION],
  ['ruby', RUBY_FRAME],
  ['php', PHP_SIGNATURE],
  ['cpp', CPP_SIGNATURE],
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

/** Installed, runtime or generated code, or a path that names no file (`<anonymous>`, a URL of another scheme). */
function libraryFile(file: string): boolean {
  const path = normalizeForeignPath(file);
  return path === undefined || isLibraryPath(path) || isGeneratedFile(path);
}
