/** The errors of the embedded OTLP receiver: one for the adapter (port in use), one inside request handling. */

/**
 * The receiver could not listen because another process holds the port. `suggestedPort` is a port that
 * was free a moment ago (the next free one after `port`), for a one-click "use this port instead".
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
    /** undefined when no free port was found nearby */
    readonly suggestedPort: number | undefined,
  ) {
    super(
      `Port ${port} on ${host} is already in use (another OTLP collector or Trace Lens window?)` +
        (suggestedPort !== undefined ? `; port ${suggestedPort} is free.` : '.'),
    );
  }
}

/** A request the receiver refuses, with the HTTP status the OTLP/HTTP specification asks for. */
export class ReceiverHttpError extends Error {
  override readonly name = 'ReceiverHttpError';
  constructor(
    readonly status: 400 | 403 | 404 | 405 | 413 | 415 | 429 | 500 | 503,
    message: string,
    /** extra response headers, e.g. `Allow` for 405 */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
