/** What the CodeLens provider, hover and hints read: the statistics of one document, ready to use. */
import type * as vscode from 'vscode';
import type { FileSymbols } from '../../core/stats/fileSymbols';
import type { LensFormat } from '../../core/stats/formatStats';
import type { LocationSummary } from '../../core/stats/locationSummary';
import type { CodeLensSettings } from './codeLensSettings';

export interface DocumentView {
  /** workspace-relative path, as statistics key files */
  file: string;
  settings: CodeLensSettings;
  lensFormat: LensFormat;
  hintFormat: LensFormat;
  /** cached summaries of the file's locations; computed from sketches only when new calls arrived */
  summaries(): readonly LocationSummary[];
  /** the document's symbols if a provider gave them for this version; never waits */
  symbols(): FileSymbols | undefined;
}

export interface LensSource {
  /** undefined for documents outside the workspace or without figures */
  viewOf(document: vscode.TextDocument): DocumentView | undefined;
}
