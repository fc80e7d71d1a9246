/** What a definition scan produces, and the pieces every language's line scanner shares. */

export type SourceLanguage =
  'java' | 'kotlin' | 'python' | 'javascript' | 'typescript' | 'csharp' | 'go' | 'ruby' | 'php' | 'rust';

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
}

export interface Scope {
  /** undefined for scopes that qualify nothing (function bodies, blocks, `class << self`) */
  name?: string;
  kind: 'type' | 'namespace' | 'function' | 'block';
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
}

export interface LineResult {
  defs: LineDef[];
  open?: Pending;
  fileNamespace?: string[];
}

export type LineScanner = (line: string, inTypeBody: boolean, enclosingType: string | undefined) => LineResult | undefined;

export type IndentResult = { def?: LineDef; open?: Pending } | undefined;
