/** The declaration that annotations or attributes belong to (Nest, Spring, ASP.NET controllers). */
import { skipBlanks, type Source } from './sourceScan';

export interface Member {
  name: string;
  /** offset of the name */
  at: number;
  isClass: boolean;
}

/**
 * The declaration an annotation or attribute list ending at `from` belongs to: further annotations
 * (`@X(…)`, C# `[X(…)]`) and modifiers are skipped; a class (or Kotlin object) or the method name before `(`.
 */
export function memberAfter(src: Source, from: number): Member | undefined {
  const c = src.code;
  let i = from;
  for (;;) {
    i = skipBlanks(c, i);
    if (c[i] === '@' || (src.lang === 'cs' && c[i] === '[')) {
      const name = /^@?\[?\s*[\w.]+\s*/.exec(c.slice(i, i + 200));
      if (!name) return undefined;
      i += name[0].length;
      if (c[i] === '(') {
        const close = src.close(i);
        if (close < 0) return undefined;
        i = close + 1;
      }
      if (src.lang === 'cs') {
        const close = c.indexOf(']', i);
        if (close < 0) return undefined;
        i = close + 1;
      }
      continue;
    }
    break;
  }
  const head = /^[^;{(=]*/.exec(c.slice(i, i + 500))![0];
  const cls = /\b(?:class|interface|object|record)\s+(\w+)/.exec(head);
  if (cls) return { name: cls[1]!, at: i + cls.index + cls[0].length - cls[1]!.length, isClass: true };
  if (c[i + head.length] !== '(') return undefined;
  const name = /(\w+)\s*(?:<[^<>]*>)?\s*$/.exec(head);
  if (!name) return undefined;
  return { name: name[1]!, at: i + name.index, isClass: false };
}
