/**
 * The base of a class that owns disposables (event subscriptions, status bar items, timers wrapped as
 * disposables): it registers them as it makes them, and dispose() releases each once, in the order registered.
 * A subclass with more to release overrides dispose() and calls super.dispose() last.
 */
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: { dispose(): unknown }[] = [];

  /** Owns `item` from now on; returns it, so that a field can be made and registered at once. */
  protected register<T extends { dispose(): unknown }>(item: T): T {
    this.owned.push(item);
    return item;
  }

  protected registerAll(...items: { dispose(): unknown }[]): void {
    this.owned.push(...items);
  }

  dispose(): void {
    for (const d of this.owned.splice(0)) d.dispose();
  }
}
