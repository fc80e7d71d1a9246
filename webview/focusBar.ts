/** The bar that says which subtree is shown alone, with the way back. */
import { h, icon, textButton } from './dom';
import { formatDuration } from './timeScale';
import type { TraceData } from './traceData';

export class FocusBar {
  readonly root: HTMLElement;

  constructor(private readonly back: () => void) {
    this.root = h('div', { className: 'focus-bar', attrs: { role: 'status' } });
    this.root.hidden = true;
  }

  /** Names the focused row `focus` of `data`; hidden when nothing is focused (-1). */
  show(data: TraceData | undefined, focus: number): void {
    if (!data || focus < 0) {
      this.root.hidden = true;
      return;
    }
    const spans = Math.min(data.subtreeEnd[focus]!, data.loaded) - focus;
    this.root.replaceChildren(
      icon('focus'),
      h('span', { text: 'Focused on ' }),
      h('strong', { text: data.nameOf(focus) }),
      h('span', {
        className: 'muted',
        text: ` · ${data.serviceOf(focus)} · ${formatDuration(data.durationUs[focus]!)} · ${spans.toLocaleString('en-US')} spans`,
      }),
      textButton('Back (Esc)', () => this.back()),
    );
    this.root.hidden = false;
  }
}
