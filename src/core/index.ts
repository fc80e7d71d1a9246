/** The public, vscode-free surface of Trace Lens, built to dist/core.js. */
export type * from './model/types';
export { normalizeTraceId, normalizeSpanId } from './model/ids';
export { nanosToMicros } from './model/time';
export { summarizeTrace } from './model/summary';
export { buildSpanTree, childrenOf, selfTimeUs, type SpanTree } from './model/spanTree';

export { TraceFormatError } from './formats/errors';
export { parseTraces, parseTraceSummaries, detectFormat, type TraceFormat, type ParseOptions } from './formats/parse';

export type { TraceBackend, BackendCapabilities, BackendType, RequestOptions } from './backends/types';
export type { TraceQuery } from './model/traceQuery';
export { createBackend, startReceiver } from './library';
export { DEFAULT_BACKEND_URLS, type BackendConfig } from './backends/createBackend';
export * from './backends/backendErrors';
export type { HttpClientOptions } from './backends/http/httpClient';
export { LocalBackend, createLocalBackend } from './backends/localBackend';

export { isLoopbackHost, DEFAULT_RECEIVER_PORT, type Receiver, type ReceiverOptions } from './receiver/otlpReceiver';
export { PortInUseError } from './receiver/receiverErrors';
export { TraceStore, type StoreStats, type StoreChange, type ExceptionRecord, type TraceStoreOptions } from './store/traceStore';
export type { LocationEntry, CodeLocation } from './store/storeIndex';
export { StorePersistence, saveSnapshot, loadSnapshot, type SnapshotOptions } from './store/persistence';

export { PathMapper, normalizeForeignPath, isLibraryPath } from './codeLocation/pathMapper';
export type { WorkspaceListing, WorkspaceFiles, PathMappings } from './codeLocation/pathMapper';
export { locateFromEvidence, type CodeMatch, type EvidenceExtras } from './codeLocation/evidence';
export { parseStackTrace, detectStackLanguage } from './codeLocation/stackTraces';
export { locateSpan, explainSpan, type SpanExplanation, type EvidenceStep, type EvidenceKind } from './codeLocation/locateSpan';
export {
  WorkspaceIndex,
  buildWorkspaceIndex,
  type WorkspaceSource,
  type WorkspaceIndexOptions,
  type IndexProgress,
} from './codeLocation/workspaceIndex';
export { createWorkspaceIndex, NodeWorkspaceFiles, type NodeWorkspaceFilesOptions } from './codeLocation/nodeWorkspaceFiles';

export { parseQuery, type ParsedQuery, type QueryError, type QueryToken } from './search/queryLanguage';
export { formatQuery, describeQuery } from './search/queryFormat';
export { suggest, type Suggestion, type SuggestionSources } from './search/suggestions';
export { parseTraceRef, type TraceRef } from './search/traceRef';
export { traceUrl, searchUrl, whyNoUrl, type LinkableBackend } from './search/backendLinks';
