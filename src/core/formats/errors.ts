import { TraceFormatError } from '../model/traceFormatError';

export { TraceFormatError }; // where the format readers have always found it

/** JSON.parse with a TraceFormatError that gives the byte offset (and line) of a syntax error. */
export function parseJson(text: string, format: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const offset = m ? Number(m[1]) : syntaxErrorOffset(text);
    const where = offset >= 0 && offset < text.length ? `byte ${offset}${lineSuffix(text, offset)}` : 'end of input';
    throw new TraceFormatError(format, where, `invalid JSON (${message})`);
  }
}

function lineSuffix(text: string, offset: number): string {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line > 1 ? ` (line ${line})` : '';
}

/**
 * Offset of the first JSON syntax error in `text`, for the V8 messages that leave it out ("Unexpected token
 * 'x', ..."); -1 when the text is valid or too deeply nested to scan. Only runs after JSON.parse failed.
 */
function syntaxErrorOffset(text: string): number {
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const value = (): boolean => {
    skipSpace();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      skipSpace();
      if (text[i] === close) return ++i > 0;
      for (;;) {
        if (c === '{') {
          skipSpace();
          if (!match(STRING)) return false;
          skipSpace();
          if (text[i] !== ':') return false;
          i++;
        }
        if (!value()) return false;
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === close) return ++i > 0;
        else return false;
      }
    }
    if (c === '"') return match(STRING);
    for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return (i += literal.length) > 0;
    return match(NUMBER);
  };
  try {
    if (value()) {
      skipSpace();
      if (i === text.length) return -1;
    }
    return i;
  } catch {
    return -1; // nesting deeper than the stack allows
  }
}
