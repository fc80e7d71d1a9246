/** Java, Kotlin and Scala stack traces (`Throwable.printStackTrace`), and OpenTelemetry PHP's Java-style formatter. */
import { beforeLast, frame, positiveInt, rootCauseFirst, type StackFrame } from './frames';

const JAVA_FRAME = /^\s*at\s+([^\s()]+)\(([^()]*)\)/;
const JAVA_SOURCE = /^([^:\s]+)(?::(\d+))?$/;
const JAVA_MODULE_PREFIX = /^[\w.@-]*\/\/?/;
export const JAVA_SIGNATURE = /^\s*at\s+[^\s()]+\((?:[^()\s]+\.\w+(?::\d+)?|Native Method|Unknown Source(?::\d+)?)\)/;
const JAVA_LIBRARY = /^(?:java|javax|jakarta|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy|org\.codehaus\.groovy)\./;
/** Classes made at run time: Spring CGLIB subclasses, JDK and Hibernate proxies, ByteBuddy and Javassist classes. */
const JAVA_GENERATED =
  /\$\$(?:EnhancerBy|FastClassBy|SpringCGLIB|_javassist)|\$Proxy\d+\.|\$HibernateProxy\$|\$ByteBuddy\$|\$MockitoMock\$/;

export function parseJava(lines: readonly string[]): StackFrame[] {
  const segments: StackFrame[][] = [[]];
  let suppressedIndent = -1;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (suppressedIndent >= 0) {
      if (indent > suppressedIndent) continue;
      suppressedIndent = -1;
    }
    const text = line.trimStart();
    if (text.startsWith('Suppressed: ')) {
      // exceptions from closing resources: not where the error was raised
      suppressedIndent = indent;
      continue;
    }
    if (text.startsWith('Caused by: ')) {
      segments.push([]);
      continue;
    }
    const m = JAVA_FRAME.exec(line);
    if (!m) continue;
    const raw = m[1]!;
    const prefix = JAVA_MODULE_PREFIX.exec(raw)?.[0] ?? '';
    const fn = raw.slice(prefix.length);
    const module = beforeLast(fn, '.');
    const source = JAVA_SOURCE.exec(m[2]!);
    const isLibrary = JAVA_LIBRARY.test(fn) || /^(?:java|jdk)\./.test(prefix) || JAVA_GENERATED.test(fn);
    segments[segments.length - 1]!.push(
      frame({ file: source?.[1], line: positiveInt(source?.[2]), function: fn, module, isLibrary: isLibrary || undefined }),
    );
  }
  return rootCauseFirst(segments);
}
