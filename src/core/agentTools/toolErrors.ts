/**
 * Failures as agents read them: the same typed messages the UI shows (BackendError and TraceFormatError say
 * which backend failed and what to check), prefixed with their kind, followed by how to configure a source on
 * this surface where the error's remedies say a setting can fix it.
 */
import { isBackendError, settingsCanFix } from '../backends/backendErrors';
import { TraceFormatError } from '../formats/errors';

export type ToolErrorKind = 'invalidInput' | 'notFound' | 'noSource' | 'noWorkspace' | 'noData' | 'cancelled';

/** A failure the tool itself reports: bad arguments, nothing to answer from. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly kind: ToolErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** `Error (unreachable): Jaeger at http://… refused the connection — is the query service running?` */
export function describeToolError(e: unknown, configureHint: string): string {
  if (e instanceof ToolError) return `Error (${e.kind}): ${e.message}`;
  if (isBackendError(e)) {
    const hint = configureHint !== '' && settingsCanFix(e.remedies) ? ` (${configureHint})` : '';
    return `Error (${e.kind}): ${e.message}${hint}`;
  }
  if (e instanceof TraceFormatError) return `Error (malformed): ${e.message}`;
  if (e instanceof Error && e.name === 'AbortError') return 'Error (cancelled): the call was cancelled.';
  return `Error (internal): ${e instanceof Error ? e.message : String(e)}`;
}
