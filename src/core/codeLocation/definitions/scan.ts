/** The two scanners: brace-delimited languages follow `{` and `}`, Python and Ruby follow indentation. */
import type { Definition, IndentResult, LineScanner, Pending, Scope } from './types';

const BRACES = /[{};]/g;
const NOT_BLANK = /\S/;

/** Scanner for brace-delimited languages: a stack of named scopes follows `{` and `}` in masked code. */
export function braceScan(lines: readonly string[], scanLine: LineScanner, prefix: string[]): Definition[] {
  const out: Definition[] = [];
  const scopes: Scope[] = [];
  let fileNamespace: string[] = [];
  let depth = 0;
  let pending: Pending | undefined;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    if (!NOT_BLANK.test(line)) continue;
    const top = scopes[scopes.length - 1];
    const inObject = top !== undefined && top.kind === 'object' && top.depth === depth;
    const inTypeBody = inObject || (top !== undefined && top.kind === 'type' && top.depth === depth);
    const enclosingType = inTypeBody ? top!.name : undefined;
    const atTopLevel = top === undefined || (top.kind === 'namespace' && top.depth === depth);
    const r = scanLine(line, inTypeBody, enclosingType, { lines, index: li, atTopLevel, inObject });
    if (r) {
      if (r.fileNamespace) fileNamespace = r.fileNamespace;
      if (r.defs.length > 0) {
        const qualifier = [...prefix, ...fileNamespace, ...scopeNames(scopes)];
        for (const d of r.defs) {
          const q = d.owner === undefined ? qualifier : [...qualifier, ...d.owner.split('.')];
          out.push({ name: d.name, qualifier: q, kind: d.kind, line: li + 1 });
        }
      }
      if (r.open) pending = r.open;
    }
    BRACES.lastIndex = 0;
    for (let b = BRACES.exec(line); b !== null; b = BRACES.exec(line)) {
      const c = line.charCodeAt(b.index);
      if (c === 123 /* { */) {
        depth++;
        scopes.push(pending ? { ...pending, depth } : { kind: 'block', depth });
        pending = undefined;
      } else if (c === 125 /* } */) {
        if (depth > 0) depth--;
        while (scopes.length > 0 && scopes[scopes.length - 1]!.depth > depth) scopes.pop();
      } else if (c === 59 /* ; */) {
        pending = undefined;
      }
    }
  }
  return out;
}

function scopeNames(scopes: readonly Scope[]): string[] {
  const names: string[] = [];
  for (const s of scopes) if (s.name !== undefined) names.push(...s.name.split('.'));
  return names;
}

/** Scanner for Python and Ruby: a scope lasts while lines are indented deeper than its opening line. */
export function indentScan(
  lines: readonly string[],
  scanLine: (trimmed: string) => IndentResult,
  prefix: string[],
): Definition[] {
  const out: Definition[] = [];
  const scopes: Scope[] = [];
  let brackets = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li]!;
    const trimmed = line.trimStart();
    if (trimmed === '') continue;
    const indent = line.length - trimmed.length;
    const continued = brackets > 0;
    brackets = Math.max(0, brackets + bracketBalance(line));
    if (continued) continue;
    while (scopes.length > 0 && scopes[scopes.length - 1]!.depth >= indent) scopes.pop();
    const d = scanLine(trimmed);
    if (!d) continue;
    if (d.def) {
      const qualifier = [...prefix, ...scopeNames(scopes)];
      if (d.def.owner !== undefined) qualifier.push(...d.def.owner.split('.'));
      const def: Definition = { name: d.def.name, qualifier, kind: d.def.kind, line: li + 1 };
      if (d.def.arity !== undefined) def.arity = d.def.arity;
      out.push(def);
    }
    if (d.open) scopes.push({ ...d.open, depth: indent });
  }
  return out;
}

function bracketBalance(line: string): number {
  let b = 0;
  for (let j = 0; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 40 || c === 91 || c === 123) b++;
    else if (c === 41 || c === 93 || c === 125) b--;
  }
  return b;
}
