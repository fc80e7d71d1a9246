/**
 * The in-trace search: the field's text goes to the host as a request a moment after the last keystroke,
 * or at once on Enter; the matching rows come back and are highlighted (or the others hidden). Enter with
 * the results of what the field holds on screen steps to the next match; Enter with anything else searches
 * for what the field holds. A newer search cancels the one still out.
 */
import { isCancelled } from '../src/protocol/requests';
import type { HostChannel } from './hostChannel';
import { indexOf } from './model';
import type { AppState } from './state';

const SEARCH_DEBOUNCE_MS = 150;

/** The parts of the toolbar the search uses. */
export interface SearchField {
  readonly searchField: HTMLInputElement;
  readonly searchCount: HTMLElement;
}

export interface SearchHooks {
  /** the matches changed: list the rows again */
  relist(): void;
  /** select `row`, opening what hides it */
  reveal(row: number): void;
  /** give the keyboard back to the rows */
  focusRows(): void;
}

export class SearchController {
  private timer = 0;
  private request: AbortController | undefined;
  /** the trimmed query whose results are shown; undefined when none are */
  private shownQuery: string | undefined;

  constructor(
    private readonly channel: Pick<HostChannel, 'request'>,
    private readonly state: AppState,
    private readonly field: SearchField,
    private readonly hooks: SearchHooks,
  ) {}

  /** Another trace: nothing found yet; the field keeps its text. */
  reset(): void {
    window.clearTimeout(this.timer);
    this.request?.abort();
    this.shownQuery = undefined;
    this.state.searchRows = undefined;
  }

  /** The field changed: search a moment after the last keystroke. */
  onInput(): void {
    this.state.searchQuery = this.field.searchField.value ?? '';
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.searchNow(), SEARCH_DEBOUNCE_MS);
  }

  onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.state.searchQuery = this.field.searchField.value ?? '';
      if (this.shownQuery !== undefined && this.shownQuery === this.state.searchQuery.trim()) this.next(e.shiftKey ? -1 : 1);
      else this.searchNow();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      if (this.field.searchField.value !== '') this.searchFor('');
      this.hooks.focusRows();
    }
  }

  /** Puts `query` in the field and searches for it now (a click on a service in the legend, Escape). */
  searchFor(query: string): void {
    this.field.searchField.value = query;
    this.state.searchQuery = query;
    this.searchNow();
  }

  /** Searches for what the state holds, cancelling any search still out. */
  searchNow(): void {
    window.clearTimeout(this.timer);
    this.request?.abort();
    const query = this.state.searchQuery.trim();
    if (query === '') {
      this.showResults(undefined, undefined);
      return;
    }
    const request = new AbortController();
    this.request = request;
    this.channel.request('search', { query }, { signal: request.signal }).then(
      ({ rows }) => this.showResults(query, rows),
      (e: unknown) => {
        if (isCancelled(e)) return;
        this.field.searchCount.textContent = 'Search failed';
        this.field.searchCount.title = e instanceof Error ? e.message : String(e);
      },
    );
  }

  /** Moves to the next (1) or previous (-1) match after the current one, or after the selection. */
  next(direction: 1 | -1): void {
    const rows = this.state.searchRows;
    const model = this.state.model;
    if (!rows || rows.length === 0 || !model) return;
    const from = model.currentMatch >= 0 ? model.currentMatch : model.selected;
    let next: number;
    if (direction > 0) {
      next = rows.find((r) => r > from) ?? rows[0]!;
    } else {
      let prev = -1;
      for (const r of rows) if (r < from || from < 0) prev = r;
      next = prev >= 0 ? prev : rows[rows.length - 1]!;
    }
    model.currentMatch = next;
    this.hooks.reveal(next);
    this.updateCount();
  }

  private showResults(query: string | undefined, rows: Int32Array | undefined): void {
    const { model, data } = this.state;
    if (!model || !data) return;
    this.shownQuery = query;
    this.state.searchRows = rows;
    if (rows) {
      const match = new Uint8Array(data.n);
      for (const r of rows) match[r] = 1;
      model.match = match;
    } else {
      model.match = undefined;
    }
    model.currentMatch = -1;
    this.updateCount();
    this.hooks.relist();
  }

  private updateCount(): void {
    const rows = this.state.searchRows;
    const model = this.state.model;
    const count = this.field.searchCount;
    count.title = '';
    if (!rows) {
      count.textContent = '';
      return;
    }
    if (rows.length === 0) {
      count.textContent = 'No results';
      return;
    }
    const at = model && model.currentMatch >= 0 ? indexOf(rows, model.currentMatch) : -1;
    count.textContent =
      at >= 0 ? `${at + 1} of ${rows.length.toLocaleString('en-US')}` : `${rows.length.toLocaleString('en-US')} found`;
  }
}
