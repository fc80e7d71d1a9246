/** C#: block and file-scoped namespaces, types, members. */
import { CS_ATTRIBUTES, member } from './members';
import type { LineScanner } from './types';

const CS_NAMESPACE = /^\s*namespace\s+([\w.]+)\s*(;)?/;
const CS_TYPE = /(?:^|\s)(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)\s+([A-Za-z_]\w*)/;

export const csharpLine: LineScanner = (line, inTypeBody, enclosingType) => {
  const ns = CS_NAMESPACE.exec(line);
  if (ns) {
    if (ns[2] === ';') return { defs: [], fileNamespace: ns[1]!.split('.') };
    return { defs: [], open: { name: ns[1]!, kind: 'namespace' } };
  }
  const t = CS_TYPE.exec(line.replace(CS_ATTRIBUTES, ''));
  if (t && !/\bwhere\s/.test(line)) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  if (!inTypeBody) return undefined;
  const name = member(line, enclosingType);
  return name === undefined ? undefined : { defs: [{ name, kind: 'function' }], open: { kind: 'function' } };
};
