/** Python and Ruby: one definition or scope opening per line, read from its start. */
import type { IndentResult, LineDef } from './types';

const PY_CLASS = /^class\s+([A-Za-z_]\w*)/;
const PY_DEF = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/;

export function pythonLine(t: string): IndentResult {
  let m = PY_CLASS.exec(t);
  if (m) return { def: { name: m[1]!, kind: 'type' }, open: { name: m[1]!, kind: 'type' } };
  m = PY_DEF.exec(t);
  if (m) return { def: { name: m[1]!, kind: 'function' }, open: { kind: 'function' } };
  return undefined;
}

const RB_TYPE = /^(?:class|module)\s+((?:::)?[A-Z]\w*(?:::[A-Z]\w*)*)/;
const RB_SELF = /^class\s*<<\s*self\b/;
const RB_DEF = /^def\s+(?:self\.|[A-Z]\w*\.)?([A-Za-z_]\w*[?!=]?|\[\]=?|[-+*/%<>=!~^&|]+)/;

export function rubyLine(t: string): IndentResult {
  if (RB_SELF.test(t)) return { open: { kind: 'block' } };
  let m = RB_TYPE.exec(t);
  if (m) {
    const parts = m[1]!.replace(/^::/, '').split('::');
    const def: LineDef = { name: parts.pop()!, kind: 'type' };
    if (parts.length > 0) def.owner = parts.join('.');
    return { def, open: { name: [...parts, def.name].join('.'), kind: 'type' } };
  }
  m = RB_DEF.exec(t);
  if (m) return { def: { name: m[1]!, kind: 'function' }, open: { kind: 'function' } };
  return undefined;
}
