/** The public, vscode-free surface of Trace Lens, built to dist/core.js. */
export type * from './model/types';
export { normalizeTraceId, normalizeSpanId } from './model/ids';
export { nanosToMicros } from './model/time';
export { TraceFormatError } from './formats/errors';
