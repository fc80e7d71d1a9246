/** Go: functions, methods with their receiver type, struct and interface types. */
import type { LineDef, LineScanner } from './types';

const GO_FUNC = /^func\s+(?:\(\s*(?:\w+\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?([A-Za-z_]\w*)\s*[([]/;
const GO_TYPE = /^type\s+([A-Za-z_]\w*)(?:\[[^\]]*\])?\s+(?:struct|interface)\b/;

export const goLine: LineScanner = (line) => {
  const f = GO_FUNC.exec(line);
  if (f) {
    const def: LineDef = { name: f[2]!, kind: 'function' };
    if (f[1] !== undefined) def.owner = f[1];
    return { defs: [def], open: { kind: 'function' } };
  }
  const t = GO_TYPE.exec(line);
  return t ? { defs: [{ name: t[1]!, kind: 'type' }] } : undefined;
};
