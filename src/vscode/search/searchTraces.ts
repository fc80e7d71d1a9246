/**
 * "Trace Lens: Search Traces…": one QuickPick over the search language (src/core/search/queryLanguage.ts).
 * As the user types it explains an invalid term inline, suggests services, span names and tags from the
 * backend, and — once the term being typed is complete — runs the search (debounced; the previous one is
 * cancelled). Results show duration, span count and errors; choosing one opens its waterfall. Closing the
 * picker cancels a search in flight.
 */
import * as vscode from 'vscode';
import { formatRelativeTime } from '../../core/explorer/traceList';
import type { TraceSummary } from '../../core/model/types';
import { describeQuery } from '../../core/search/queryFormat';
import { parseQuery } from '../../core/search/queryLanguage';
import { suggest, type Suggestion } from '../../core/search/suggestions';
import type { ActiveBackend } from '../backends/activeBackend';
import { describeError } from '../../core/describeError';
import { isCancellation, logFailure, NO_BACKEND_REMEDIES, showBackendError } from '../explorer/failureActions';
import { noBackendMessage } from '../explorer/noBackend';
import { openTrace } from '../explorer/openTraceById';
import { formatDuration } from '../../core/formatDuration';
import { plural, type TraceTreeModel } from '../tree/traceTreeModel';
import { BackendVocabulary } from './backendVocabulary';
import { resultsHeading, showsResults } from './resultsHeading';

export interface SearchDependencies {
  active: ActiveBackend;
  model: TraceTreeModel;
  log: vscode.LogOutputChannel;
  state: vscode.Memento;
}

type Item =
  | (vscode.QuickPickItem & { role: 'search' | 'problem' | 'separator' })
  | (vscode.QuickPickItem & { role: 'suggestion'; suggestion: Suggestion })
  | (vscode.QuickPickItem & { role: 'result'; summary: TraceSummary });

const LAST_QUERY_KEY = 'traceLens.search.lastQuery';
/** Typing pauses this long before a search runs, ms. */
const DEBOUNCE_MS = 400;
const MAX_SUGGESTIONS = 12;

/** `initialQuery` fills the box and runs at once (callers and tests); otherwise the last query is offered. */
export async function searchTraces(deps: SearchDependencies, initialQuery?: unknown): Promise<void> {
  const { backend, info } = deps.active;
  if (!backend || !info) {
    void showBackendError(noBackendMessage('search traces'), undefined, NO_BACKEND_REMEDIES);
    return;
  }
  const vocabulary = BackendVocabulary.for(backend, deps.log);
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = `Search Traces — ${info.name}`;
  picker.placeholder = backend.capabilities.traceQl
    ? 'service:checkout error >200ms last:1h — or TraceQL in { }'
    : 'service:checkout name:"POST /orders" http.status_code=500 error >200ms last:1h';
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  picker.ignoreFocusOut = false;

  let results: readonly TraceSummary[] | undefined;
  let resultsFor = '';
  let failure: string | undefined;
  let inFlight: AbortController | undefined;
  let timer: NodeJS.Timeout | undefined;
  const disposables: vscode.Disposable[] = [];

  const run = (text: string): void => {
    clearTimeout(timer);
    const parsed = parseQuery(text);
    if (parsed.errors.length > 0) return;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    picker.busy = true;
    failure = undefined;
    backend
      .searchTraces(parsed.query, { signal: controller.signal })
      .then(
        (found) => {
          if (inFlight !== controller) return;
          results = found;
          resultsFor = text;
          void deps.state.update(LAST_QUERY_KEY, text);
          deps.log.debug(`Search "${text}" on ${info.name}: ${found.length} traces`);
        },
        (e: unknown) => {
          if (inFlight !== controller || isCancellation(e)) return;
          logFailure(deps.log, `Search "${text}" on ${info.name} failed`, e);
          results = undefined;
          failure = describeError(e);
        },
      )
      .finally(() => {
        if (inFlight !== controller) return;
        inFlight = undefined;
        picker.busy = false;
        render(true);
      });
  };

  const render = (afterSearch = false): void => {
    const text = picker.value;
    const parsed = parseQuery(text);
    const suggestions = suggest(text, text.length, vocabulary, { max: MAX_SUGGESTIONS });
    const editing = isEditingTerm(text, suggestions);
    const items: Item[] = [];
    for (const error of parsed.errors) items.push({ role: 'problem', label: `$(error) ${error.message}`, alwaysShow: true });
    if (failure) items.push({ role: 'problem', label: `$(error) ${failure}`, alwaysShow: true });
    const suggestionItems = suggestions.map((s): Item => ({
      role: 'suggestion',
      suggestion: s,
      label: s.label,
      description: s.detail,
      alwaysShow: true,
    }));
    const searchItem: Item[] =
      parsed.errors.length === 0
        ? [{ role: 'search', label: `$(search) Search: ${describeQuery(parsed.query)}`, alwaysShow: true }]
        : [];
    // results of an earlier query: gone while the query does not parse, marked as earlier while another is typed
    const resultItems =
      results && showsResults(parsed.errors.length)
        ? resultRows(results, resultsHeading(results.length, resultsFor, text), deps.model.now())
        : [];
    if (editing) items.push(...section('suggestions', suggestionItems), ...searchItem, ...resultItems);
    else items.push(...searchItem, ...resultItems, ...section('suggestions', suggestionItems));
    const [active] = picker.activeItems;
    picker.items = items;
    // After a search, the first trace is where Enter goes; while typing, the first row. A redraw for another
    // reason (suggestions arriving) keeps the highlighted trace where it was.
    const firstResult = items.find((i) => i.role === 'result');
    if (afterSearch && firstResult && text === resultsFor && !editing) picker.activeItems = [firstResult];
    else if (active?.role === 'result') {
      const same = items.find((i) => i.role === 'result' && i.summary.traceId === active.summary.traceId);
      if (same) picker.activeItems = [same];
    }
  };

  /** Redraws, and schedules a search once the query is valid and its last term complete. */
  const onValue = (text: string): void => {
    render();
    clearTimeout(timer);
    const parsed = parseQuery(text);
    const suggestions = suggest(text, text.length, vocabulary, { max: MAX_SUGGESTIONS });
    if (text.trim() !== '' && parsed.errors.length === 0 && !isEditingTerm(text, suggestions)) {
      timer = setTimeout(() => run(text), DEBOUNCE_MS);
    }
  };

  disposables.push(
    vocabulary.onDidUpdate(() => render()),
    picker.onDidChangeValue((text) => onValue(text)),
    picker.onDidAccept(() => {
      const [item] = picker.selectedItems.length > 0 ? picker.selectedItems : picker.activeItems;
      switch (item?.role) {
        case 'suggestion': {
          const s = item.suggestion;
          // Setting the value from here does not fire onDidChangeValue.
          picker.value = picker.value.slice(0, s.replaceStart) + s.insertText + picker.value.slice(s.replaceEnd);
          onValue(picker.value);
          return;
        }
        case 'result':
          picker.hide();
          void openTrace(deps, item.summary.traceId, traceWindow(item.summary));
          return;
        default:
          run(picker.value);
      }
    }),
    picker.onDidHide(() => {
      clearTimeout(timer);
      inFlight?.abort();
      for (const d of disposables) d.dispose();
      picker.dispose();
    }),
  );

  const initial = typeof initialQuery === 'string' ? initialQuery : deps.state.get<string>(LAST_QUERY_KEY, '');
  picker.value = initial;
  render();
  picker.show();
  if (typeof initialQuery === 'string' && initial.trim() !== '') run(initial);
}

/** The term at the end is still being typed: some suggestion would change it. */
/** The last term is still being typed: suggestions complete it and none of them is what is already there. */
function isEditingTerm(text: string, suggestions: readonly Suggestion[]): boolean {
  if (text === '' || /\s$/.test(text) || suggestions.length === 0) return false;
  return !suggestions.some((s) => text.slice(s.replaceStart, s.replaceEnd) === s.insertText.trimEnd());
}

function section(label: string, items: Item[]): Item[] {
  return items.length > 0 ? [{ role: 'separator', label, kind: vscode.QuickPickItemKind.Separator }, ...items] : [];
}

/** The rows of a search's results under `label`. */
function resultRows(results: readonly TraceSummary[], label: string, nowMs: number): Item[] {
  const heading: Item = { role: 'separator', label, kind: vscode.QuickPickItemKind.Separator };
  return [
    heading,
    ...results.map((summary): Item => {
      const errors = summary.errorCount ?? 0;
      const facts = [summary.rootService, formatDuration(summary.durationUs)];
      if (summary.spanCount !== undefined) facts.push(plural(summary.spanCount, 'span'));
      if (errors > 0) facts.push(plural(errors, 'error'));
      return {
        role: 'result',
        summary,
        label: `${errors > 0 ? '$(error)' : '$(pulse)'} ${summary.rootName || `trace ${summary.traceId}`}`,
        description: facts.join(' · '),
        detail: `${formatRelativeTime(summary.startUs, nowMs)} · ${summary.traceId}`,
        alwaysShow: true,
      };
    }),
  ];
}

/** Where the backend should look for a trace it summarised: around its own start and end, epoch µs. */
function traceWindow(summary: TraceSummary): { startUs: number; endUs: number } | undefined {
  if (!Number.isFinite(summary.startUs) || summary.startUs <= 0) return undefined;
  const marginUs = 60e6;
  return { startUs: summary.startUs - marginUs, endUs: summary.startUs + summary.durationUs + marginUs };
}
