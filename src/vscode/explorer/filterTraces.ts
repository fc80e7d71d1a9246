/**
 * The Traces view's filter, in the search language's terms (`service:checkout error >200ms`): edited in an
 * input box that explains a wrong term inline, kept per workspace, shown as the view's description.
 */
import * as vscode from 'vscode';
import { formatFilter, isEmptyFilter, parseFilter, type ListFilter } from '../../core/explorer/traceList';

const STATE_KEY = 'traceLens.traces.filter';

/** The filter saved for this workspace; a saved value that no longer parses is dropped. */
export function savedFilter(state: vscode.Memento): ListFilter {
  const text = state.get<string>(STATE_KEY);
  if (typeof text !== 'string') return {};
  const parsed = parseFilter(text);
  return 'filter' in parsed ? parsed.filter : {};
}

export async function saveFilter(state: vscode.Memento, filter: ListFilter): Promise<void> {
  await state.update(STATE_KEY, isEmptyFilter(filter) ? undefined : formatFilter(filter));
}

/** Asks for a new filter; undefined when the user cancels. `text` skips the input box. */
export async function askForFilter(current: ListFilter, text?: unknown): Promise<ListFilter | undefined> {
  if (typeof text === 'string') {
    const parsed = parseFilter(text);
    if ('error' in parsed) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Filter: {0}', parsed.error));
      return undefined;
    }
    return parsed.filter;
  }
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Filter Traces'),
    prompt: vscode.l10n.t('service:<name>, error and >duration (e.g. >200ms); empty shows all'),
    placeHolder: 'service:checkout error >200ms',
    value: formatFilter(current),
    validateInput: (input) => {
      const parsed = parseFilter(input);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (value === undefined) return undefined;
  const parsed = parseFilter(value);
  return 'filter' in parsed ? parsed.filter : undefined;
}
