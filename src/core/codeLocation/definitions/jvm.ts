/** Java and Kotlin: packages, classes, objects and companions, methods and `fun`. */
import { ANNOTATIONS, member } from './members';
import type { LineScanner } from './types';

const JAVA_PACKAGE = /^\s*package\s+([\w.]+)/;
const JVM_TYPE = /(?:^|[^.\w$])(?:class|interface|enum|record|object)\s+([A-Za-z_$][\w$]*)/;
const COMPANION = /(?:^|\s)companion\s+object\b/;
const KOTLIN_FUN = /(?:^|\s)fun\s+(?:<[^>]*>\s*)?(?:[\w.<>?,\s]+?\.)?([A-Za-z_]\w*|`[^`]+`)\s*\(/;

export const javaLine: LineScanner = (line, inTypeBody, enclosingType) => {
  const pkg = JAVA_PACKAGE.exec(line);
  if (pkg) return { defs: [], fileNamespace: pkg[1]!.split('.') };
  const t = JVM_TYPE.exec(line.replace(ANNOTATIONS, ''));
  if (t && !/\bnew\s/.test(line)) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  if (!inTypeBody) return undefined;
  const name = member(line, enclosingType);
  return name === undefined ? undefined : { defs: [{ name, kind: 'function' }], open: { kind: 'function' } };
};

export const kotlinLine: LineScanner = (line) => {
  const pkg = JAVA_PACKAGE.exec(line);
  if (pkg) return { defs: [], fileNamespace: pkg[1]!.split('.') };
  if (COMPANION.test(line)) return { defs: [], open: { kind: 'type' } };
  const f = KOTLIN_FUN.exec(line);
  if (f) return { defs: [{ name: f[1]!.replace(/`/g, ''), kind: 'function' }], open: { kind: 'function' } };
  const t = JVM_TYPE.exec(line.replace(ANNOTATIONS, ''));
  if (t) return { defs: [{ name: t[1]!, kind: 'type' }], open: { name: t[1]!, kind: 'type' } };
  return undefined;
};
