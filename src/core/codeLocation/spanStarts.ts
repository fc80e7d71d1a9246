/**
 * Calls that start spans, with the span name they give, in each language's OpenTelemetry or tracing API:
 * `start_as_current_span("…")`, `startActiveSpan('…')`, `tracer.Start(ctx, "…")`, `StartActivity("…")`,
 * `spanBuilder("…")`, `@WithSpan`, `in_span("…")`, `info_span!("…")`, `#[instrument]` and the like. Names
 * built from templates (f-strings, `${…}`, `%s`, `"…" + x`) become patterns that match concrete names.
 */
import {
  extractDefinitions,
  filePrefix,
  languageOf,
  maskSource,
  stringEnd,
  type Definition,
  type SourceLanguage,
} from './definitions';

export interface SpanNamePattern {
  /** anchored regular expression source */
  source: string;
  /** the name as written, placeholders shown as `{}`: `GET {}` */
  display: string;
  /** characters outside placeholders; a pattern with few is too loose to trust */
  literalChars: number;
}

export interface SpanStart {
  /** the span name when it is a constant */
  name?: string;
  /** the span name when it is built at runtime */
  pattern?: SpanNamePattern;
  /** 1-based line of the call, decorator or attribute */
  line: number;
  /** 1-based */
  column: number;
  /** what started the span, for reasons: `start_as_current_span`, `@WithSpan`, `#[instrument]` */
  api: string;
  /** the function that starts the span (the decorated one for decorators), qualified: `CartService.addItem` */
  function?: string;
  /** how the name was found when it is not written at the call: `constant SPAN_NAME`, `method name` */
  via?: string;
  /** the API named the span after the method it is in (`StartActivity()`, `@WithSpan`, `#[instrument]`) */
  derived?: true;
}

interface Rule {
  re: RegExp;
  api: string;
  /** what the span is named when the call gives no name */
  defaultName?: 'method' | 'class.method';
  /** applies to the definition after the match (decorators, annotations, attributes) */
  decorates?: boolean;
}

const RUST_SPAN_PREFIX = String.raw`\s*\(\s*(?:target\s*:\s*[^,]+,\s*)?(?:parent\s*:\s*[^,]+,\s*)?`;

/** Each regex ends where the span-name argument begins. */
const RULES: Record<SourceLanguage, readonly Rule[]> = {
  python: [
    { re: /@\s*[\w.]*\b(start_as_current_span)\s*\(\s*(?:name\s*=\s*)?/g, api: '@start_as_current_span', decorates: true },
    // start_active_span: OpenTracing's Python API
    { re: /\b(start_as_current_span|start_span|start_active_span)\s*\(\s*(?:(?:name|operation_name)\s*=\s*)?/g, api: '' },
  ],
  javascript: [{ re: /\b(startActiveSpan|startSpan)\s*\(\s*/g, api: '' }],
  typescript: [
    { re: /\b(startActiveSpan|startSpan)\s*\(\s*/g, api: '' },
    { re: /@(Span)\s*\(\s*/g, api: '@Span', decorates: true, defaultName: 'class.method' },
  ],
  go: [
    { re: /\.(Start)\s*\(\s*[\w.]+(?:\([^()]*\))?\s*,\s*/g, api: 'tracer.Start' },
    // OpenTracing (and Datadog's tracer): tracer.StartSpan("op", …), opentracing.StartSpanFromContext(ctx, "op")
    { re: /\b(StartSpan)\s*\(\s*/g, api: '' },
    { re: /\b(StartSpanFromContext)\s*\(\s*[\w.]+(?:\([^()]*\))?\s*,\s*/g, api: '' },
  ],
  csharp: [
    { re: /\b(StartActivity|CreateActivity)\s*\(\s*(?:name\s*:\s*)?/g, api: '', defaultName: 'method' },
    { re: /\bnew\s+(Activity)\s*\(\s*(?:operationName\s*:\s*)?/g, api: 'new Activity' },
  ],
  java: [
    // buildSpan: OpenTracing's Java API
    { re: /\b(spanBuilder|buildSpan)\s*\(\s*/g, api: '' },
    { re: /@(WithSpan)\b(?:\s*\(\s*(?:value\s*=\s*)?)?/g, api: '@WithSpan', decorates: true, defaultName: 'class.method' },
  ],
  kotlin: [
    { re: /\b(spanBuilder)\s*\(\s*/g, api: '' },
    { re: /@(WithSpan)\b(?:\s*\(\s*(?:value\s*=\s*)?)?/g, api: '@WithSpan', decorates: true, defaultName: 'class.method' },
  ],
  ruby: [{ re: /\b(in_span|start_span|start_root_span)\b\s*\(?\s*/g, api: '' }],
  php: [{ re: /\b(spanBuilder)\s*\(\s*/g, api: '' }],
  rust: [
    { re: new RegExp(String.raw`\b((?:info|debug|trace|warn|error)_span)!${RUST_SPAN_PREFIX}`, 'g'), api: '' },
    {
      re: new RegExp(String.raw`\b(span)!${RUST_SPAN_PREFIX}(?:[\w:]*Level::\w+|\w+)\s*,\s*`, 'g'),
      api: 'span!',
    },
    {
      re: /#\[\s*(?:tracing::)?(instrument)\b(?:\s*\([^\]]*?\bname\s*=\s*|[^\]]*\])/g,
      api: '#[instrument]',
      decorates: true,
      defaultName: 'method',
    },
    { re: /\btracer\w*\s*\.\s*(start|in_span|span_builder|start_with_context)\s*\(\s*/g, api: '' },
  ],
  // definitions are read for these; their span-start APIs are not yet
  cpp: [],
  elixir: [],
};

/** Cheap pre-check: a file with none of these cannot start a span. */
const HINT = /span|Span|SPAN|Activity|instrument|\.Start\(/;

const MAX_NAME = 256;

/** Span-start calls of a file (workspace-relative path), in source order. */
export function extractSpanStarts(
  file: string,
  text: string,
  lang = languageOf(file),
  definitions?: readonly Definition[],
): SpanStart[] {
  if (lang === undefined || !HINT.test(text)) return [];
  const masked = maskSource(text, lang);
  const lineStarts = lineOffsets(text);
  let defs = definitions;
  let assignments: Assignment[] | undefined;
  const out: (SpanStart & { offset: number })[] = [];
  /** text a match consumed: a decorator's call is not found again by the plain call rule */
  const covered: [number, number][] = [];
  for (const rule of RULES[lang]) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const at = m.index;
      // the call must be code: masking blanks comments and string contents
      if (masked[at] !== text[at] || masked.charCodeAt(at) === 32) continue;
      const end = at + m[0].length;
      if (covered.some(([from, to]) => at >= from && at < to)) continue;
      covered.push([at, end]);
      const line = lineOf(lineStarts, at);
      const start: SpanStart & { offset: number } = {
        offset: at,
        line,
        column: at - lineStarts[line - 1]! + 1,
        api: rule.api || m[1]!,
      };
      defs ??= extractDefinitions(file, text, lang);
      const fn = rule.decorates ? nextFunction(defs, line) : enclosingFunction(defs, line);
      if (fn) start.function = [...fn.qualifier.slice(-1), fn.name].join('.');
      const opened = /[(=]\s*$/.test(m[0]);
      const arg: Argument = rule.decorates && !opened ? { kind: 'none' } : readArgument(text, end, lang);
      if (arg.kind === 'literal') start.name = arg.value;
      else if (arg.kind === 'pattern') start.pattern = arg.pattern;
      else if (arg.kind === 'identifier') {
        assignments ??= collectAssignments(text, masked, lang);
        const from = fn ? lineStarts[fn.line - 1]! : 0;
        const value = assignedValue(assignments, arg.name, at, from, fn !== undefined && isParameter(text, from, at, arg.name));
        if (!value) continue;
        if (value.kind === 'literal') start.name = value.value;
        else start.pattern = value.pattern;
        start.via = `${value.local ? 'variable' : 'constant'} ${arg.name}`;
      } else if (rule.defaultName !== undefined && arg.kind === 'none' && fn) {
        // no name given: the API names the span after the method (C# CallerMemberName, #[instrument], @WithSpan)
        const owner = fn.qualifier[fn.qualifier.length - 1];
        start.name = rule.defaultName === 'class.method' && owner !== undefined ? `${owner}.${fn.name}` : fn.name;
        start.via = rule.defaultName === 'method' ? 'method name' : 'class and method name';
        start.derived = true;
      } else continue;
      if (start.name !== undefined && (start.name === '' || start.name.length > MAX_NAME)) continue;
      out.push(start);
    }
  }
  out.sort((a, b) => a.offset - b.offset);
  return out.map(({ offset: _o, ...s }) => s);
}

function lineOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of `offset`. */
function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The last function defined at or before `line`: the one a call most likely sits in. */
function enclosingFunction(defs: readonly Definition[], line: number): Definition | undefined {
  let found: Definition | undefined;
  for (const d of defs) {
    if (d.line > line) break;
    if (d.kind === 'function') found = d;
  }
  return found;
}

/** The first function defined at or after `line`: the one a decorator applies to. */
function nextFunction(defs: readonly Definition[], line: number): Definition | undefined {
  for (const d of defs) if (d.kind === 'function' && d.line >= line) return d.line - line <= 8 ? d : undefined;
  return undefined;
}

type Argument =
  | { kind: 'literal'; value: string }
  | { kind: 'pattern'; pattern: SpanNamePattern }
  | { kind: 'identifier'; name: string }
  /** something else is there (an expression): the name is unknowable */
  | { kind: 'other' }
  /** nothing: `StartActivity()`, `@WithSpan` */
  | { kind: 'none' };

const IDENT_ARG = /(?:nameof\s*\(\s*)?((?:(?:this|self|Self|static|[A-Z]\w*)\s*(?:\.|::|->)\s*)*\$?[A-Za-z_]\w*)\s*(\)?)\s*[,)]/y;
const FORMAT_CALL = /(?:String\.format|fmt\.Sprintf|format!?|string\.Format|sprintf)\s*\(\s*/y;

/** The span-name argument at `i`: a string literal (maybe with placeholders), a constant's name, or neither. */
function readArgument(text: string, i: number, lang: SourceLanguage): Argument {
  const c = text[i];
  if (c === ')' || c === undefined || (lang === 'ruby' && (c === '\n' || c === '{'))) return { kind: 'none' };
  if (lang === 'csharp' && /^ActivityKind\./.test(text.slice(i, i + 13))) return { kind: 'none' };
  FORMAT_CALL.lastIndex = i;
  const fmt = FORMAT_CALL.exec(text);
  if (fmt) {
    const lit = readLiteral(text, FORMAT_CALL.lastIndex, lang);
    return lit ? patternFrom(lit.parts.map((p) => (typeof p === 'string' ? splitPrintf(p) : [p])).flat()) : { kind: 'other' };
  }
  const lit = readLiteral(text, i, lang);
  if (lit) {
    const after = text.slice(lit.end, lit.end + 40);
    // "orders.%s" % kind, "orders.{}".format(kind): the literal's placeholders are filled at runtime
    if (/^\s*(?:%|\.\s*format\()/.test(after))
      lit.parts = lit.parts.flatMap((p) => (typeof p === 'string' ? splitPrintf(p) : [p]));
    // "GET " + path: a runtime suffix
    else if (/^\s*\+/.test(after) || (lang === 'php' && /^\s*\.\s*\$/.test(after))) lit.parts.push({ placeholder: true });
    return lit.parts.every((p) => typeof p === 'string')
      ? { kind: 'literal', value: lit.parts.join('') }
      : patternFrom(lit.parts);
  }
  IDENT_ARG.lastIndex = i;
  const id = IDENT_ARG.exec(text);
  if (id) {
    const path = id[1]!.split(/\s*(?:\.|::|->)\s*/);
    const name = path[path.length - 1]!;
    if (text.slice(i).startsWith('nameof')) return { kind: 'literal', value: name };
    return { kind: 'identifier', name };
  }
  return { kind: 'other' };
}

type Part = string | { placeholder: true };

interface Literal {
  parts: Part[];
  end: number;
}

/** A string literal at `i` (with its language's prefixes), split into text and interpolated placeholders. */
function readLiteral(text: string, i: number, lang: SourceLanguage): Literal | undefined {
  const pre = /^(?:[rRbBuUfF]{1,2}|\$@|@\$|\$|@|r#*)?(?=["'`])/.exec(text.slice(i, i + 8));
  if (!pre) return undefined;
  const prefix = pre[0];
  const q = i + prefix.length;
  const quote = text[q]!;
  if (quote === "'" && (lang === 'java' || lang === 'kotlin' || lang === 'csharp' || lang === 'go' || lang === 'rust'))
    return undefined;
  if (quote === '`' && !(lang === 'javascript' || lang === 'typescript' || lang === 'go')) return undefined;
  const end = stringEnd(text, q, lang);
  const triple = quote !== '`' && text[q + 1] === quote && text[q + 2] === quote;
  const width = triple ? 3 : 1;
  const body = text.slice(q + width, Math.max(q + width, end - width));
  const raw = /[rR@]/.test(prefix) || (lang === 'go' && quote === '`');
  const interpolated =
    (lang === 'python' && /[fF]/.test(prefix)) ||
    (lang === 'csharp' && prefix.includes('$')) ||
    ((lang === 'javascript' || lang === 'typescript') && quote === '`') ||
    (lang === 'kotlin' && quote === '"') ||
    (lang === 'ruby' && quote === '"') ||
    (lang === 'php' && quote === '"');
  return { parts: splitBody(body, lang, interpolated, raw), end };
}

const INTERPOLATION: Partial<Record<SourceLanguage, RegExp>> = {
  python: /\{\{|\}\}|\{[^{}]*\}/g,
  csharp: /\{\{|\}\}|\{[^{}]*\}/g,
  javascript: /\$\{[^}]*\}/g,
  typescript: /\$\{[^}]*\}/g,
  kotlin: /\$\{[^}]*\}|\$[A-Za-z_]\w*/g,
  ruby: /#\{[^}]*\}/g,
  php: /\{\$[^}]*\}|\$[A-Za-z_]\w*(?:->\w+|\[[^\]]*\])*/g,
};

function splitBody(body: string, lang: SourceLanguage, interpolated: boolean, raw: boolean): Part[] {
  const unescape = (s: string): string => (raw ? s : unescapeText(s));
  const re = interpolated ? INTERPOLATION[lang] : undefined;
  if (!re) return [unescape(body)];
  const parts: Part[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    parts.push(unescape(body.slice(last, m.index)));
    if (m[0] === '{{' || m[0] === '}}') parts.push(m[0][0]!);
    else parts.push({ placeholder: true });
    last = m.index + m[0].length;
  }
  parts.push(unescape(body.slice(last)));
  return parts.filter((p) => p !== '');
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

function unescapeText(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    if (e.length > 1 && (e[0] === 'u' || e[0] === 'x')) {
      const code = parseInt(e.replace(/^u\{?|^x|\}$/g, ''), 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : e;
    }
    return ESCAPES[e] ?? e;
  });
}

/** `%s`, `%d`, `%v`, `%-5.2f` (printf verbs) and `{}` (Rust format) become placeholders; `%%` stays a percent sign. */
function splitPrintf(s: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  const re = /%%|%[-+# 0-9.*]*[a-zA-Z]|\{\}/g;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    parts.push(s.slice(last, m.index));
    parts.push(m[0] === '%%' ? '%' : { placeholder: true });
    last = m.index + m[0].length;
  }
  parts.push(s.slice(last));
  return parts.filter((p) => p !== '');
}

function patternFrom(parts: readonly Part[]): Argument {
  let source = '^';
  let display = '';
  let literalChars = 0;
  let prevPlaceholder = false;
  for (const p of parts) {
    if (typeof p === 'string') {
      source += p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      display += p;
      literalChars += p.length;
      prevPlaceholder = false;
    } else if (!prevPlaceholder) {
      source += '.+?';
      display += '{}';
      prevPlaceholder = true;
    }
  }
  if (literalChars === 0) return { kind: 'other' };
  return { kind: 'pattern', pattern: { source: source + '$', display, literalChars } };
}

interface Assignment {
  name: string;
  offset: number;
  value: Extract<Argument, { kind: 'literal' | 'pattern' }>;
}

/**
 * `name = "literal"` assignments in a file (constants, class fields, local variables, Go `:=`, Rust
 * `const NAME: &str`), including values built from templates and format calls, in source order.
 */
function collectAssignments(text: string, masked: string, lang: SourceLanguage): Assignment[] {
  const out: Assignment[] = [];
  const re = /\b([A-Za-z_]\w*)\s*(?::\s*[&'\w<>[\]?]+\s*)?(?::=|=)(?!=)\s*/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (masked[m.index] !== text[m.index]) continue;
    // `f(name="x")`, `def f(name="x")`: a keyword argument or a parameter's default, not an assignment
    if (/[(,]\s*$/.test(masked.slice(Math.max(0, m.index - 40), m.index))) continue;
    const value = readArgument(text, re.lastIndex, lang);
    if (value.kind === 'literal' || value.kind === 'pattern') out.push({ name: m[1]!, offset: m.index, value });
  }
  return out;
}

/**
 * What `name` holds at a call at offset `at`: the last assignment before it in the same function (from
 * offset `from`), else the file's only assignment of that name (a constant defined anywhere in the file).
 */
function assignedValue(
  assignments: readonly Assignment[],
  name: string,
  at: number,
  from: number,
  parameter: boolean,
): (Assignment['value'] & { local: boolean }) | undefined {
  const all = assignments.filter((a) => a.name === name);
  const local = all.filter((a) => a.offset < at && a.offset >= from).pop();
  if (local) return { ...local.value, local: true };
  // a parameter holds what each caller passes, not a constant of the same name elsewhere in the file
  return all.length === 1 && !parameter ? { ...all[0]!.value, local: false } : undefined;
}

/** Whether `name` is among the parameters of the function whose header starts at `from` (before its body opens). */
function isParameter(text: string, from: number, at: number, name: string): boolean {
  const open = text.indexOf('(', from);
  if (open < 0 || open >= at) return false;
  let depth = 0;
  for (let i = open; i < at && i < open + 2000; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 /* ( */) depth++;
    else if (c === 41 /* ) */ && --depth === 0) return new RegExp(`\\b${name}\\b`).test(text.slice(open, i));
  }
  return false;
}

const TRACER_NAME =
  /\b(?:getTracer|get_tracer|Tracer|tracer|ActivitySource|ActivitySource\.Create)\s*\(\s*(?:name\s*[:=]\s*)?(?:["'`]([^"'`\n\\]{1,200})["'`]|(__name__))/g;

/**
 * Instrumentation-scope names a file creates tracers under (`trace.get_tracer("cart")`, `otel.Tracer("…")`,
 * `new ActivitySource("Shop.Billing")`, Python's `get_tracer(__name__)` as the module path): the scope name
 * a span carries says which of several same-named span starts made it.
 */
export function extractTracerNames(file: string, text: string, lang = languageOf(file)): string[] {
  if (lang === undefined || !/[Tt]racer|ActivitySource/.test(text)) return [];
  const masked = maskSource(text, lang);
  const out = new Set<string>();
  TRACER_NAME.lastIndex = 0;
  for (let m = TRACER_NAME.exec(text); m !== null; m = TRACER_NAME.exec(text)) {
    if (masked[m.index] !== text[m.index]) continue;
    if (m[1] !== undefined) out.add(m[1]);
    else if (lang === 'python') out.add(filePrefix(file, 'python').join('.'));
  }
  return [...out];
}
