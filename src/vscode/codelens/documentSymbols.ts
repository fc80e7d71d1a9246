/**
 * Document symbols per document version, asked of the language providers in the background: the CodeLens
 * provider only ever peeks, and is told to run again when symbols arrive.
 */
import * as vscode from 'vscode';
import { FileSymbols, type SymbolNode } from '../../core/stats/fileSymbols';

const CALLABLE = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);

export class DocumentSymbolCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; symbols: FileSymbols | undefined; pending: boolean }>();
  private readonly arrived = new vscode.EventEmitter<vscode.Uri>();
  /** symbols of a document arrived (or changed) */
  readonly onDidArrive = this.arrived.event;
  private readonly closed: vscode.Disposable;

  constructor() {
    this.closed = vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString()));
  }

  /** The symbols of this version of the document if known; otherwise asks for them and answers undefined. */
  peek(document: vscode.TextDocument): FileSymbols | undefined {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === document.version) return entry.symbols;
    const fresh = { version: document.version, symbols: entry?.symbols, pending: true };
    this.entries.set(key, fresh);
    void this.load(document, fresh);
    // the previous version's symbols are close enough until the new ones arrive
    return entry?.symbols;
  }

  dispose(): void {
    this.closed.dispose();
    this.arrived.dispose();
    this.entries.clear();
  }

  private async load(
    document: vscode.TextDocument,
    entry: { version: number; symbols: FileSymbols | undefined; pending: boolean },
  ): Promise<void> {
    let result: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
    try {
      result = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      );
    } catch {
      result = undefined;
    }
    entry.pending = false;
    if (this.entries.get(document.uri.toString()) !== entry) return;
    entry.symbols = result && result.length > 0 ? FileSymbols.fromTree(toNodes(result)) : undefined;
    this.arrived.fire(document.uri);
  }
}

function toNodes(symbols: readonly (vscode.DocumentSymbol | vscode.SymbolInformation)[]): SymbolNode[] {
  return symbols.map((s) => {
    const range = 'location' in s ? s.location.range : s.range;
    const node: SymbolNode = {
      name: 'containerName' in s && s.containerName ? `${s.containerName}.${s.name}` : s.name,
      // VS Code lines are 0-based; the core's are 1-based
      startLine: range.start.line + 1,
      endLine: range.end.line + 1,
      callable: CALLABLE.has(s.kind),
    };
    if ('children' in s && s.children.length > 0) node.children = toNodes(s.children);
    return node;
  });
}
