// Composition root: builds the core objects and hands them to the VS Code adapters. Nothing else lives here.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
