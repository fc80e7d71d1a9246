/**
 * The one error a format reader throws: which format was tried, where it failed, and why. It lives at the
 * model's level because assembling a trace (assemble.ts) throws it too; formats/errors.ts re-exports it.
 */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  constructor(
    /** the format that was tried, e.g. "jaeger", "otlp-json", "zipkin", "otlp-proto" */
    readonly format: string,
    /** where it failed: a JSON path such as `$.data[0].spans[3]`, `line 12`, or `byte 1024` */
    readonly where: string,
    readonly reason: string,
  ) {
    super(
      format === 'unknown'
        ? `Not a trace document Trace Lens can read (at ${where}): ${reason}`
        : `Not a valid ${format} document at ${where}: ${reason}`,
    );
  }
}
