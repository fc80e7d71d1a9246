/** PHP: namespaces, classes, interfaces, traits, enums and functions. */
import type { LineScanner } from './types';

const PHP_NAMESPACE = /^\s*namespace\s+([\w\\]+)\s*([;{])?/;
const PHP_TYPE = /(?:^|[^:\w$>])(?:class|interface|trait|enum)\s+([A-Za-z_]\w*)/;
const PHP_FUNCTION = /(?:^|[^\w$>:])function\s+&?\s*([A-Za-z_]\w*)\s*\(/;

export const phpLine: LineScanner = (line) => {
  const ns = PHP_NAMESPACE.exec(line);
  if (ns) {
    const parts = ns[1]!.split('\\').filter((p) => p !== '');
    if (ns[2] === '{') return { defs: [], open: { name: parts.join('.'), kind: 'namespace' } };
    return { defs: [], fileNamespace: parts };
  }
  const t = PHP_TYPE.exec(line);
  if (t && !/\bnew\s+class\b/.test(line)) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  const f = PHP_FUNCTION.exec(line);
  if (f) return { defs: [{ name: f[1]!, kind: 'function' }], open: { kind: 'function' } };
  return undefined;
};
