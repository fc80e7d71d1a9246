/**
 * Every id that package.json `contributes` declares and the code uses: commands, views, settings. Kept free of
 * `vscode` so that a plain-Node unit test can hold it and package.json to each other, both ways.
 */

export const Commands = {
  refresh: 'traceLens.refresh',
  showLog: 'traceLens.showLog',
  importTraceFile: 'traceLens.importTraceFile',
  searchTraces: 'traceLens.searchTraces',
  openTraceById: 'traceLens.openTraceById',
  filterTraces: 'traceLens.filterTraces',
  clearTraceFilter: 'traceLens.clearTraceFilter',
  copyTraceId: 'traceLens.copyTraceId',
  copySpanId: 'traceLens.copySpanId',
  openInBackendUi: 'traceLens.openInBackendUi',
  /** the waterfall panel (src/vscode/waterfall). Argument: a trace id, a Trace or `{ trace }`; options `{ focusSpanId?, viewColumn? }` */
  openWaterfall: 'traceLens.openWaterfall',
  /** a Traces view row's waterfall (fetched first if need be; a span row selects its span); hidden from the palette */
  openTraceWaterfall: 'traceLens.openTraceWaterfall',
  /** the Traces view lists another page of the backend's recent traces */
  showMoreTraces: 'traceLens.showMoreTraces',
  /** the local receiver's traces stop (and start again) re-listing as they arrive */
  pauseLiveUpdates: 'traceLens.pauseLiveUpdates',
  resumeLiveUpdates: 'traceLens.resumeLiveUpdates',
  /**
   * Span → source line (src/vscode/codeNavigation registers both). Argument: `{ trace: Trace, spanIndex: number }`
   * (an index into `trace.spans`), or `{ trace, spanId }`; hidden from the palette, which has no span to give.
   */
  goToCode: 'traceLens.goToCode',
  explainSpan: 'traceLens.explainSpan',
  /** Trace sources (src/vscode/backends, src/vscode/receiver). addBackend, selectBackend, testBackend and removeBackend take an optional argument: a backend name (addBackend: the steps to skip) */
  addBackend: 'traceLens.addBackend',
  selectBackend: 'traceLens.selectBackend',
  testBackend: 'traceLens.testBackend',
  removeBackend: 'traceLens.removeBackend',
  useLocalReceiver: 'traceLens.useLocalReceiver',
  startReceiver: 'traceLens.startReceiver',
  stopReceiver: 'traceLens.stopReceiver',
  copyOtlpEndpoint: 'traceLens.copyOtlpEndpoint',
  clearLocalTraces: 'traceLens.clearLocalTraces',
  /** Latency CodeLens and inline hints (src/vscode/codelens). showLocationTraces takes a lens's location id */
  toggleCodeLens: 'traceLens.toggleCodeLens',
  showLocationTraces: 'traceLens.showLocationTraces',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  /** the activity-bar container; VS Code derives the command `workbench.view.extension.traceLens` from it */
  container: 'traceLens',
  traces: 'traceLens.traces',
} as const;

/** Setting keys (`contributes.configuration`). */
export const Settings = {
  /** foreign path prefix → local path with `${workspaceFolder}` / `${workspaceFolder:name}` (src/vscode/workspace) */
  pathMappings: 'traceLens.pathMappings',
  /** recent traces the Traces view lists from a backend at first; Show More adds as many again */
  tracesCount: 'traceLens.traces.count',
  /** named remote backends (src/vscode/backends); URLs and headers, never secrets */
  backends: 'traceLens.backends',
  /** response size cap of backend requests, in MB */
  maxResponseSizeMB: 'traceLens.http.maxResponseSizeMB',
  receiverPort: 'traceLens.receiver.port',
  receiverHost: 'traceLens.receiver.host',
  receiverAutoStart: 'traceLens.receiver.autoStart',
  receiverMaxSpans: 'traceLens.receiver.maxSpans',
  /** the store's memory budget, in MB */
  receiverMaxStoreSizeMB: 'traceLens.receiver.maxStoreSizeMB',
  receiverAttributeValueLengthLimit: 'traceLens.receiver.attributeValueLengthLimit',
  receiverCorsOrigins: 'traceLens.receiver.corsOrigins',
  receiverPersist: 'traceLens.receiver.persist',
  receiverPersistMaxSizeMB: 'traceLens.receiver.persistMaxSizeMB',
  receiverJaegerQueryApi: 'traceLens.receiver.jaegerQueryApi',
  codeLensEnabled: 'traceLens.codeLens.enabled',
  codeLensFormat: 'traceLens.codeLens.format',
  codeLensWindowMinutes: 'traceLens.codeLens.windowMinutes',
  codeLensRemoteTracesPerMinute: 'traceLens.codeLens.remoteTracesPerMinute',
  inlineHintsEnabled: 'traceLens.inlineHints.enabled',
  inlineHintsFormat: 'traceLens.inlineHints.format',
  latencySlowThresholdMs: 'traceLens.latency.slowThresholdMs',
  latencyCriticalThresholdMs: 'traceLens.latency.criticalThresholdMs',
} as const satisfies Record<string, `traceLens.${string}`>;

/** The name of the "Trace Lens" log in the Output panel. */
export const LOG_CHANNEL_NAME = 'Trace Lens';

/** What the import dialog offers: JSON and JSON Lines documents, and OTLP protobuf. */
export const TRACE_FILE_EXTENSIONS = ['json', 'jsonl', 'txt', 'pb', 'bin'] as const;
