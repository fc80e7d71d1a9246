/** JavaScript and TypeScript: classes, functions, function-valued constants, methods and arrow properties. */
import { KEYWORDS } from './members';
import type { LineScanner } from './types';

const JS_CLASS = /(?:^|[\s(=])(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_FUNCTION = /(?:^|[\s(=!])(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[(<]/;
const JS_CONST_FN =
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>|\(\s*$)/;
const JS_METHOD =
  /^\s*(?:(?:public|private|protected|static|async|readonly|override|abstract|declare|get|set|accessor)\s+)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\s*\(/;
const JS_ARROW_PROPERTY =
  /^\s*(?:(?:public|private|protected|static|readonly|override)\s+)*(#?[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/;
const JS_DECORATORS = /^\s*(?:@[\w.]+(?:\s*\([^)]*\))?\s*)+/;

export const jsLine: LineScanner = (line, inTypeBody) => {
  const c = JS_CLASS.exec(line);
  if (c) return { defs: [{ name: c[1]!, kind: 'type' }], open: { name: c[1]!, kind: 'type' } };
  const f = JS_FUNCTION.exec(line) ?? JS_CONST_FN.exec(line);
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  if (!inTypeBody) return undefined;
  const stripped = line.replace(JS_DECORATORS, '');
  const m = JS_ARROW_PROPERTY.exec(stripped) ?? JS_METHOD.exec(stripped);
  if (!m || KEYWORDS.has(m[1]!) || stripped.trimEnd().endsWith(';')) return undefined;
  return { defs: [{ name: m[1]!.replace(/^#/, ''), kind: 'function' }], open: { kind: 'function' } };
};
