/** Rust: inline modules, `impl` blocks (named after their self type), traits, types and functions. */
import type { LineScanner } from './types';

const RUST_VIS = String.raw`(?:pub(?:\s*\([^)]*\))?\s+)?`;
const RUST_MOD = new RegExp(String.raw`^\s*${RUST_VIS}mod\s+(\w+)\s*\{`);
const RUST_IMPL = /^\s*(?:unsafe\s+)?impl\b(.*)$/;
const RUST_TYPE = new RegExp(String.raw`^\s*${RUST_VIS}(struct|enum|trait|union)\s+(\w+)`);
const RUST_FN = new RegExp(String.raw`^\s*${RUST_VIS}(?:(?:const|async|unsafe|default|extern\s+"[^"]*"|extern)\s+)*fn\s+(\w+)`);

export const rustLine: LineScanner = (line) => {
  const mod = RUST_MOD.exec(line);
  if (mod) return { defs: [], open: { name: mod[1]!, kind: 'namespace' } };
  const impl = RUST_IMPL.exec(line);
  if (impl) {
    const type = implType(impl[1]!);
    return type === undefined ? undefined : { defs: [], open: { name: type, kind: 'type' } };
  }
  const t = RUST_TYPE.exec(line);
  if (t) {
    const defs = [{ name: t[2]!, kind: 'type' as const }];
    return t[1] === 'trait' ? { defs, open: { name: t[2]!, kind: 'type' } } : { defs };
  }
  const f = RUST_FN.exec(line);
  // a trait's required method (`fn name(&self);`) declares, it does not define
  if (f && /;\s*$/.test(line) && !line.includes('{')) return undefined;
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  return undefined;
};

/** `<T: Clone> Store for Cache<T> {` → `Cache`. */
function implType(rest: string): string | undefined {
  let s = rest.replace(/\{.*$/, '');
  for (let k = 0; k < 4 && s.includes('<'); k++) s = s.replace(/<[^<>]*>/g, '');
  const forAt = s.search(/\sfor\s/);
  if (forAt >= 0) s = s.slice(forAt + 4);
  const m = /^\s*&?\s*(?:dyn\s+)?((?:\w+::)*\w+)/.exec(s);
  if (!m) return undefined;
  const parts = m[1]!.split('::');
  return parts[parts.length - 1];
}
