/** Member declarations of Java-like class bodies (Java, C#): `<modifiers and type> name(`. */

export const KEYWORDS: ReadonlySet<string> = new Set(
  (
    'if else for foreach while do switch case catch try finally return throw new delete typeof sizeof nameof ' +
    'await yield using lock fixed checked unchecked synchronized when super this base function constructor_ ' +
    'get set init add remove default match loop unsafe where select from in is as of'
  ).split(' '),
);

export const ANNOTATIONS = /^\s*(?:@[\w.]+(?:\s*\([^)]*\))?\s*)+/;
export const CS_ATTRIBUTES = /^\s*(?:\[[^\]]*\]\s*)+/;
/** `<modifiers and return type> name<generics>(` with no `=` before the name: a member declaration. */
const MEMBER = /^\s*([^=(;{}]*?)\b([A-Za-z_$][\w$]*)\s*(?:<[^()=]*>)?\s*\(/;
const MEMBER_PREFIX_BAD = /\b(?:return|new|throw|await|else|case|yield|goto)\b|[.:]\s*$|^\s*[-+*/!&|?]/;

export function member(line: string, enclosingType: string | undefined): string | undefined {
  const stripped = line.replace(ANNOTATIONS, '').replace(CS_ATTRIBUTES, '');
  const m = MEMBER.exec(stripped);
  if (!m) return undefined;
  const [, before, name] = m as unknown as [string, string, string];
  if (KEYWORDS.has(name) || MEMBER_PREFIX_BAD.test(before)) return undefined;
  // a call statement has nothing before the name; a constructor is the one member that may look like one
  if (before.trim() === '' && name !== enclosingType) return undefined;
  if (stripped.trimEnd().endsWith(';') && !stripped.includes('{') && !stripped.includes('=>')) return undefined;
  return name;
}
