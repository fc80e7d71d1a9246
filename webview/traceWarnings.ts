/**
 * The trace's warnings (clock skew, missing parents, an incomplete trace, ...): a compact control that
 * counts them, beside the legend, and the list it opens under that line.
 */
import { h, icon } from './dom';

/** warnings listed at most; the rest are counted */
const MAX_LISTED = 200;

export class TraceWarnings {
  /** the control; it says how many warnings there are */
  readonly button: HTMLButtonElement;
  /** the list, closed until the control opens it */
  readonly list: HTMLElement;

  constructor() {
    this.button = h('button', {
      className: 'warnings',
      attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'trace-warnings' },
    });
    this.button.hidden = true;
    this.list = h('div', { className: 'warnings-list', attrs: { id: 'trace-warnings' } });
    this.list.hidden = true;
    this.button.addEventListener('click', () => this.setOpen(this.list.hidden));
  }

  show(warnings: readonly string[]): void {
    this.setOpen(false);
    this.button.hidden = warnings.length === 0;
    const noun = warnings.length === 1 ? 'warning' : 'warnings';
    this.button.replaceChildren(
      icon('warning'),
      h('span', { text: `${warnings.length.toLocaleString('en-US')} ${noun}` }),
      h('span', { className: 'visually-hidden', text: ' about this trace' }),
      icon('chevronDown', 'icon chevron'),
    );
    this.button.title = `Show the ${noun} about this trace`;
    const items = warnings.slice(0, MAX_LISTED).map((w) => h('li', { text: w }));
    if (warnings.length > MAX_LISTED)
      items.push(h('li', { className: 'muted', text: `and ${(warnings.length - MAX_LISTED).toLocaleString('en-US')} more` }));
    this.list.replaceChildren(h('ul', {}, items));
  }

  private setOpen(open: boolean): void {
    this.list.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
  }
}
