/**
 * What the search box suggests from the backend: services, span names per service, tag keys and values.
 * suggest() is synchronous, so this answers from a cache at once and fetches what is missing in the
 * background, firing onDidUpdate when it arrives. One cache per backend object, kept for a few minutes.
 */
import * as vscode from 'vscode';
import type { TraceBackend } from '../../core/backends/types';
import type { SuggestionSources } from '../../core/search/suggestions';

/** How long fetched names are trusted, ms. */
const FRESH_MS = 5 * 60_000;

interface Entry {
  values: readonly string[];
  atMs: number;
}

export class BackendVocabulary implements SuggestionSources {
  private static readonly byBackend = new WeakMap<TraceBackend, BackendVocabulary>();
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Set<string>();
  private readonly updated = new vscode.EventEmitter<void>();
  readonly onDidUpdate = this.updated.event;

  private constructor(
    private readonly backend: TraceBackend,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static for(backend: TraceBackend, log: vscode.LogOutputChannel): BackendVocabulary {
    let vocabulary = BackendVocabulary.byBackend.get(backend);
    if (!vocabulary) {
      vocabulary = new BackendVocabulary(backend, log);
      BackendVocabulary.byBackend.set(backend, vocabulary);
    }
    return vocabulary;
  }

  get services(): readonly string[] {
    return this.get('services', () => this.backend.listServices());
  }

  operations(service?: string): readonly string[] {
    if (service !== undefined) return this.get(`operations:${service}`, () => this.backend.listOperations(service));
    // Every service's names that are already known; fetching them all for one keystroke would be too much.
    const all = new Set<string>();
    for (const [key, entry] of this.cache) if (key.startsWith('operations:')) for (const v of entry.values) all.add(v);
    return [...all].sort();
  }

  get tagKeys(): readonly string[] {
    if (!this.backend.capabilities.tagSearch) return [];
    return this.get('tagKeys', () => this.backend.tagKeys());
  }

  tagValues(key: string): readonly string[] {
    if (!this.backend.capabilities.tagSearch) return [];
    return this.get(`tagValues:${key}`, () => this.backend.tagValues(key));
  }

  private get(key: string, fetch: () => Promise<string[]>): readonly string[] {
    const entry = this.cache.get(key);
    if ((!entry || Date.now() - entry.atMs > FRESH_MS) && !this.pending.has(key)) {
      this.pending.add(key);
      fetch()
        .then(
          (values) => {
            this.cache.set(key, { values, atMs: Date.now() });
            this.updated.fire();
          },
          (e: unknown) => this.log.debug(`Suggestions (${key}) unavailable: ${e instanceof Error ? e.message : String(e)}`),
        )
        .finally(() => this.pending.delete(key));
    }
    return entry?.values ?? [];
  }
}
