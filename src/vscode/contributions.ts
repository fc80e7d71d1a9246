/**
 * Every id that package.json `contributes` declares and the code uses: commands, views, settings. Kept free of
 * `vscode` so that a plain-Node unit test can hold it and package.json to each other, both ways.
 */

export const Commands = {
  refresh: 'traceLens.refresh',
  showLog: 'traceLens.showLog',
  importTraceFile: 'traceLens.importTraceFile',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  /** the activity-bar container; VS Code derives the command `workbench.view.extension.traceLens` from it */
  container: 'traceLens',
  traces: 'traceLens.traces',
} as const;

/** Setting keys (`contributes.configuration`); none yet. */
export const Settings = {} as const satisfies Record<string, `traceLens.${string}`>;

/** The name of the "Trace Lens" log in the Output panel. */
export const LOG_CHANNEL_NAME = 'Trace Lens';

/** What the import dialog offers: JSON and JSON Lines documents, and OTLP protobuf. */
export const TRACE_FILE_EXTENSIONS = ['json', 'jsonl', 'txt', 'pb', 'bin'] as const;
