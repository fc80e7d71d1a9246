/**
 * JavaScript and TypeScript: classes, functions, function-valued constants, methods and arrow properties, and the
 * methods of object literals bound to a name (`const service = { async find() {…} }`, `module.exports = {…}`),
 * which V8 reports as `Object.find` or `service.find`.
 */
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
/** `const service = {`, `export default {`, `module.exports = {`, `exports.service = {` */
const JS_OBJECT =
  /^\s*(?:(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=|export\s+default|module\.exports\s*=|exports\.([A-Za-z_$][\w$]*)\s*=)\s*\{\s*$/;
/** `find: async function (…) {`, `find: async (id) => {`, `find: id => …` inside an object literal */
const JS_OBJECT_PROPERTY =
  /^\s*([A-Za-z_$][\w$]*)\s*:\s*(?:async\s+)?(?:function\b\s*\*?\s*[\w$]*\s*\(|(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>)/;

export const jsLine: LineScanner = (line, inTypeBody, _enclosingType, ctx) => {
  const c = JS_CLASS.exec(line);
  if (c) return { defs: [{ name: c[1]!, kind: 'type' }], open: { name: c[1]!, kind: 'type' } };
  const f = JS_FUNCTION.exec(line) ?? JS_CONST_FN.exec(line);
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  const o = JS_OBJECT.exec(line);
  if (o) {
    const name = o[1] ?? o[2];
    return { defs: [], open: name === undefined ? { kind: 'object' } : { name, kind: 'object' } };
  }
  if (!inTypeBody) return undefined;
  const stripped = line.replace(JS_DECORATORS, '');
  const m =
    JS_ARROW_PROPERTY.exec(stripped) ?? (ctx.inObject ? JS_OBJECT_PROPERTY.exec(stripped) : null) ?? JS_METHOD.exec(stripped);
  if (!m || KEYWORDS.has(m[1]!) || stripped.trimEnd().endsWith(';')) return undefined;
  return { defs: [{ name: m[1]!.replace(/^#/, ''), kind: 'function' }], open: { kind: 'function' } };
};
