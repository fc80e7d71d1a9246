/**
 * Function, method and class definitions of source files, found by line-level scanning (no parsers): Java,
 * Kotlin, Python, JavaScript/TypeScript, C#, Go, Ruby, PHP, Rust, C/C++ and Elixir. Each definition keeps the names that
 * qualify it at runtime (package, namespace, module path, enclosing types) so that a name seen in telemetry,
 * such as `com.shop.cart.CartService.addItem` or `github.com/acme/shop/cart.(*Service).Add`, can find it.
 */
import { cppLine } from './cpp';
import { csharpLine } from './csharp';
import { elixirLine } from './elixir';
import { filePrefix } from './filePrefix';
import { goLine } from './go';
import { jsLine } from './js';
import { javaLine, kotlinLine } from './jvm';
import { maskSource } from './mask';
import { phpLine } from './php';
import { pythonLine, rubyLine } from './pythonRuby';
import { rustLine } from './rust';
import { braceScan, indentScan } from './scan';
import type { Definition, LineScanner, SourceLanguage } from './types';

export type { Definition, SourceLanguage } from './types';
export { filePrefix } from './filePrefix';
export { maskSource, stringEnd } from './mask';

const EXTENSIONS: Readonly<Record<string, SourceLanguage>> = {
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  py: 'python',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  cs: 'csharp',
  go: 'go',
  rb: 'ruby',
  php: 'php',
  rs: 'rust',
  c: 'cpp',
  h: 'cpp',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  hh: 'cpp',
  hpp: 'cpp',
  hxx: 'cpp',
  'h++': 'cpp',
  ipp: 'cpp',
  inl: 'cpp',
  tpp: 'cpp',
  ex: 'elixir',
  exs: 'elixir',
};

/** `telemetry.sdk.language` → the languages its code can be written in. */
const SDK_LANGUAGES: Readonly<Record<string, readonly SourceLanguage[]>> = {
  java: ['java', 'kotlin'],
  python: ['python'],
  go: ['go'],
  dotnet: ['csharp'],
  nodejs: ['javascript', 'typescript'],
  webjs: ['javascript', 'typescript'],
  ruby: ['ruby'],
  php: ['php'],
  rust: ['rust'],
  erlang: ['elixir'],
  elixir: ['elixir'],
  cpp: ['cpp'],
};

/** The source languages a span's `telemetry.sdk.language` allows; undefined for values it does not know. */
export function languagesOfSdk(sdk: string): readonly SourceLanguage[] | undefined {
  return Object.prototype.hasOwnProperty.call(SDK_LANGUAGES, sdk) ? SDK_LANGUAGES[sdk] : undefined;
}

/** The language of a source file by its extension; undefined for other files, declaration files and minified bundles. */
export function languageOf(file: string): SourceLanguage | undefined {
  const slash = file.lastIndexOf('/');
  const base = file.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  if (/\.d\.[cm]?ts$|\.min\.js$/.test(base)) return undefined;
  return EXTENSIONS[base.slice(dot + 1).toLowerCase()];
}

/** Definitions of `file` (workspace-relative) in source order; empty for files of other languages. */
export function extractDefinitions(file: string, text: string, lang = languageOf(file)): Definition[] {
  if (lang === undefined) return [];
  const masked = maskSource(text, lang);
  const lines = masked.split('\n');
  // Go code names functions by import path, except in `package main`, which the runtime calls `main`
  const prefix = lang === 'go' && /^package\s+main\b/m.test(masked) ? ['main'] : filePrefix(file, lang);
  if (lang === 'python') return indentScan(lines, pythonLine, prefix);
  if (lang === 'ruby') return indentScan(lines, rubyLine, prefix);
  if (lang === 'elixir') return firstClauses(indentScan(lines, elixirLine, prefix));
  return braceScan(lines, LINE_SCANNERS[lang], prefix);
}

/** An Elixir function of several clauses is defined where its first clause is. */
function firstClauses(defs: Definition[]): Definition[] {
  const seen = new Set<string>();
  return defs.filter((d) => {
    if (d.kind !== 'function') return true;
    const key = `${d.qualifier.join('.')}.${d.name}/${d.arity ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const LINE_SCANNERS: Record<Exclude<SourceLanguage, 'python' | 'ruby' | 'elixir'>, LineScanner> = {
  java: javaLine,
  kotlin: kotlinLine,
  csharp: csharpLine,
  go: goLine,
  php: phpLine,
  rust: rustLine,
  javascript: jsLine,
  typescript: jsLine,
  cpp: cppLine,
};
