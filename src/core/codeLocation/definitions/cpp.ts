/**
 * C and C++: namespaces (`a::b`, inline, anonymous), classes, structs and unions, and function definitions —
 * free, inline in a class body, or out of line as `Class::method` — but not declarations (`int f(int);`,
 * `= default`, `= 0`), calls, or macro invocations that take a block (`TEST(a, b) {`, `ENDPOINT(…) {`).
 */
import type { LineContext, LineDef, LineScanner } from './types';

const NAMESPACE = /^\s*(?:inline\s+)?namespace\s*((?:\w+\s*::\s*)*\w+)?\s*(?:\[\[[^\]]*\]\]\s*)?\{/;
const LINKAGE_BLOCK = /^\s*extern\s+"\s*"\s*\{/;
const TEMPLATE_PREFIX = /^\s*template\s*<[^;{]*?>\s*/;
const ATTRIBUTES = /\[\[[^\]]*\]\]\s*|\balignas\s*\([^)]*\)\s*|__attribute__\s*\(\([^)]*\)\)\s*|__declspec\s*\([^)]*\)\s*/g;
const TYPE =
  /^\s*(?:typedef\s+)?(class|struct|union|enum(?:\s+(?:class|struct))?)\s+(?:[A-Z][A-Z0-9_]*\s+)?(\w+)\s*(?:<[^;{]*?>\s*)?(?:final\s*)?(?::(?!:)[^;{]*)?(\{|$)/;
/** `<head>(`: the head ends with the (possibly qualified) name of what is declared */
const NAME_AT_END =
  /(?:^|[\s*&>])((?:~?\w+(?:\s*<[^()]*?>)?\s*::\s*)*)(~?\w+|operator\s*(?:\(\s*\)|\[\s*\]|[^\s\w(]+|new|delete))\s*$/;
const NOT_A_FUNCTION: ReadonlySet<string> = new Set(
  (
    'if else for while do switch case return sizeof alignof decltype typeid static_assert catch throw new delete ' +
    'using typedef template co_return co_await co_yield noexcept requires defined'
  ).split(' '),
);
const BAD_HEAD = /[=.;,{}?]|->|\breturn\b|\bnew\b|\bthrow\b|\bgoto\b/;
const MACRO_NAME = /^[A-Z][A-Z0-9_]*$/;
const MAX_LOOKAHEAD_LINES = 40;

export const cppLine: LineScanner = (line, inTypeBody, enclosingType, ctx) => {
  const ns = NAMESPACE.exec(line);
  if (ns) {
    const name = ns[1]?.replace(/\s+/g, '').split('::').join('.');
    return { defs: [], open: name ? { name, kind: 'namespace' } : { kind: 'namespace' } };
  }
  if (LINKAGE_BLOCK.test(line)) return { defs: [], open: { kind: 'namespace' } };
  if (!ctx.atTopLevel && !inTypeBody) return undefined;
  // a constructor's initializer list or a parameter list continued from the line above
  if (/^\s*(?::(?!:)|,|\))/.test(line)) return undefined;
  const code = line.replace(TEMPLATE_PREFIX, '').replace(ATTRIBUTES, '');
  const t = TYPE.exec(code);
  if (t && (t[3] === '{' || !/;\s*$/.test(code))) {
    const def: LineDef = { name: t[2]!, kind: 'type' };
    // an enum's braces hold enumerators, not members
    return t[1]!.startsWith('enum') ? { defs: [def] } : { defs: [def], open: { name: t[2]!, kind: 'type' } };
  }
  const fn = functionAt(code, inTypeBody, enclosingType, ctx);
  return fn === undefined ? undefined : { defs: [fn], open: { kind: 'function' } };
};

function functionAt(code: string, inTypeBody: boolean, enclosingType: string | undefined, ctx: LineContext): LineDef | undefined {
  const paren = firstParen(code);
  if (paren < 0) return undefined;
  const head = code.slice(0, paren);
  const m = NAME_AT_END.exec(head);
  if (!m) return undefined;
  const before = head.slice(0, m.index + (/^[\s*&>]/.test(head.slice(m.index)) ? 1 : 0)).trim();
  const owner = m[1]!
    .replace(/\s+/g, '')
    .replace(/<[^()]*?>/g, '')
    .replace(/::$/, '');
  const name = m[2]!.replace(/\s+/g, '');
  if (NOT_A_FUNCTION.has(name) || BAD_HEAD.test(before)) return undefined;
  if (before === '') {
    // nothing before the name: a constructor, a destructor, an out-of-line definition whose return type is on
    // the line above, or a call or macro invocation
    const ctor =
      name.startsWith('~') || name === enclosingType || (owner !== '' && owner.split('::').pop() === name.replace(/^~/, ''));
    if (MACRO_NAME.test(name) || (!ctor && (inTypeBody || owner === ''))) return undefined;
  }
  if (!hasBody(ctx, paren)) return undefined;
  const def: LineDef = { name, kind: 'function' };
  if (owner !== '') def.owner = owner.split('::').join('.');
  return def;
}

/** The first `(` outside template brackets, or −1. */
function firstParen(code: string): number {
  let angle = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '<') angle++;
    else if (c === '>' && angle > 0) angle--;
    else if (c === '(') {
      if (angle > 0) continue;
      // `operator()(` declares operator(): the parameters are in the second pair
      if (/operator\s*$/.test(code.slice(0, i)) && /^\(\s*\)/.test(code.slice(i)))
        return code.indexOf('(', code.indexOf(')', i) + 1);
      return i;
    }
  }
  return -1;
}

/**
 * Whether the parameter list opening at `paren` on the current line is followed by a body: `{`, a constructor's
 * `: init(…)` list or `try {`, after qualifiers and a trailing return type. `;` or `=` (`= default`, `= 0`)
 * make it a declaration.
 */
function hasBody(ctx: LineContext, paren: number): boolean {
  let depth = 0;
  let closed = false;
  const last = Math.min(ctx.lines.length, ctx.index + MAX_LOOKAHEAD_LINES);
  for (let li = ctx.index; li < last; li++) {
    const text = ctx.lines[li]!;
    for (let j = li === ctx.index ? paren : 0; j < text.length; j++) {
      const c = text[j]!;
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) closed = true;
      } else if (depth > 0) continue;
      else if (!closed) continue;
      else if (c === '{') return true;
      else if (c === ';' || c === '=' || c === '}') return false;
      else if (c === ':' && text[j + 1] !== ':' && text[j - 1] !== ':') return true;
    }
  }
  return false;
}
