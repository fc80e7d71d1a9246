/** The one error a format reader throws: which format was tried, where it failed, and why. */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  constructor(
    /** the format that was tried, e.g. "jaeger", "otlp-json", "zipkin", "otlp-proto" */
    readonly format: string,
    /** where it failed: a JSON path such as `$.data[0].spans[3]`, `line 12`, or `byte 1024` */
    readonly where: string,
    readonly reason: string,
  ) {
    super(`Not a valid ${format} document at ${where}: ${reason}`);
  }
}

/** JSON.parse with a TraceFormatError that gives the byte offset (and line) of a syntax error. */
export function parseJson(text: string, format: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    const where = m ? `byte ${m[1]}${lineSuffix(text, Number(m[1]))}` : 'end of input';
    throw new TraceFormatError(format, where, `invalid JSON (${message})`);
  }
}

function lineSuffix(text: string, offset: number): string {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line > 1 ? ` (line ${line})` : '';
}
