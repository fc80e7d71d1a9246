/** What a definition scan produces, and the pieces every language's line scanner shares. */

export type SourceLanguage =
  | 'java'
  | 'kotlin'
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'csharp'
  | 'go'
  | 'ruby'
  | 'php'
  | 'rust'
  /** C and C++ */
  | 'cpp'
  | 'elixir';

export interface Definition {
  name: string;
  /**
   * What qualifies the name, outermost first, each split at dots: package or namespace, module path (from the
   * file path for Python, JS/TS, Go and Rust), enclosing classes. `['com','shop','cart','CartService']`
   */
  qualifier: string[];
  kind: 'function' | 'type';
  /** 1-based */
  line: number;
  /** Elixir: the number of parameters, part of a function's identity (`fetch/1` and `fetch/2` are two functions) */
  arity?: number;
}

export interface Scope {
  /** undefined for scopes that qualify nothing (function bodies, blocks, `class << self`) */
  name?: string;
  /** `object`: a JS/TS object literal bound to a name, whose methods V8 names like a class's */
  kind: 'type' | 'object' | 'namespace' | 'function' | 'block';
  /** brace depth inside the scope, or the indentation of its opening line */
  depth: number;
}

export interface Pending {
  name?: string;
  kind: Scope['kind'];
}

export interface LineDef {
  name: string;
  kind: Definition['kind'];
  /** qualifiers the scope stack does not show, dot-separated: a Go receiver type, a C++ `Class::` */
  owner?: string;
  arity?: number;
}

export interface LineResult {
  defs: LineDef[];
  open?: Pending;
  fileNamespace?: string[];
}

/** Where the line being scanned sits, for scanners that need more than the line itself. */
export interface LineContext {
  /** the file's masked lines */
  lines: readonly string[];
  /** 0-based index of the line */
  index: number;
  /** directly in the file, a namespace or a module block: where free functions are defined */
  atTopLevel: boolean;
  /** directly in an object literal's braces (JS/TS), where `name: (x) => …` is a method, not a parameter */
  inObject: boolean;
}

export type LineScanner = (
  line: string,
  inTypeBody: boolean,
  enclosingType: string | undefined,
  context: LineContext,
) => LineResult | undefined;

export type IndentResult = { def?: LineDef; open?: Pending } | undefined;
