/**
 * Wires span-to-code navigation: the workspace index (built a little after activation), the CodeLocator
 * other adapters use, Go to Code and Explain Code Location, and the report documents.
 */
import * as vscode from 'vscode';
import { NodeGit } from '../../core/codeLocation/nodeGit';
import type { GitPort } from '../../core/codeLocation/revision';
import { Commands } from '../contributions';
import { WorkspaceIndexController } from '../workspace/workspaceIndexController';
import { CodeLocator, type ExceptionsLookup } from './codeLocator';
import { EXPLANATION_SCHEME, ExplanationDocuments } from './explanationDocuments';
import { explainSpan, goToCode } from './goToCode';
import { LineHighlighter } from './lineHighlight';

export interface CodeNavigationDependencies {
  log: vscode.LogOutputChannel;
  /** exception log records the local receiver correlated with a span (TraceStore `exceptionsFor`) */
  exceptionsFor?: ExceptionsLookup;
  /** git for revision remapping; the `git` on PATH by default */
  git?: GitPort;
}

export interface CodeNavigation {
  /** span → code for the tree, waterfall and hovers */
  locator: CodeLocator;
  /** the workspace index behind it, for the CodeLens statistics */
  index: WorkspaceIndexController;
}

/** Registers Go to Code and Explain Code Location; returns the locator and the workspace index for other adapters. */
export function registerCodeNavigation(context: vscode.ExtensionContext, deps: CodeNavigationDependencies): CodeNavigation {
  const index = new WorkspaceIndexController(deps.log);
  const locator = new CodeLocator({ index, git: deps.git ?? new NodeGit(), log: deps.log, exceptionsFor: deps.exceptionsFor });
  const highlighter = new LineHighlighter();
  const documents = new ExplanationDocuments();
  const commandDeps = { locator, index, highlighter, documents, log: deps.log };
  context.subscriptions.push(
    index,
    locator,
    highlighter,
    documents,
    vscode.workspace.registerTextDocumentContentProvider(EXPLANATION_SCHEME, documents),
    vscode.commands.registerCommand(Commands.goToCode, (arg: unknown) => goToCode(commandDeps, arg)),
    vscode.commands.registerCommand(Commands.explainSpan, (arg: unknown) => explainSpan(commandDeps, arg)),
  );
  // No index is built at activation: Go to Code builds it on first use, CodeLens once the receiver runs.
  return { locator, index };
}
