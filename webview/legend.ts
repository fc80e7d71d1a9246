/**
 * The service legend: one line of colour chips, each a search for its service, and "+N more" at the end
 * of the line when they do not all fit. That control opens the legend to every service and closes it
 * again; chips cut off by the line are inert, so that the keyboard never lands on one that is not shown.
 */
import { serviceColor } from './colors';
import { h } from './dom';

/** chips drawn at most; the services beyond are counted */
const MAX_CHIPS = 60;

export class ServiceLegend {
  /** the chips, wrapped in lines of which all but the first are cut off until "+N more" opens them */
  readonly root: HTMLElement;
  private readonly more: HTMLButtonElement;
  private services: readonly string[] = [];
  private expanded = false;
  private lastWidth = -1;

  constructor(private readonly pick: (service: string) => void) {
    this.more = h('button', {
      className: 'legend-more',
      attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'legend-services' },
    });
    this.more.addEventListener('click', () => {
      // Opening moves the keyboard on to the first chip it reveals; the control itself goes to the end.
      const revealed = this.expanded ? undefined : this.root.querySelector<HTMLElement>('.legend-item[inert]');
      this.expanded = !this.expanded;
      this.fit();
      revealed?.focus();
    });
    this.root = h('div', {
      className: 'legend',
      attrs: { id: 'legend-services', role: 'group', 'aria-label': 'Services' },
    });
    new ResizeObserver(() => {
      if (this.root.clientWidth !== this.lastWidth) this.fit();
    }).observe(this.root);
  }

  show(services: readonly string[]): void {
    this.services = services;
    this.expanded = false;
    const chips: HTMLElement[] = services.slice(0, MAX_CHIPS).map((service, i) => {
      const swatch = h('span', { className: 'swatch' });
      swatch.style.background = serviceColor(i);
      const chip = h('button', { className: 'legend-item', title: `Search for service=${service}`, attrs: { type: 'button' } }, [
        swatch,
        h('span', { text: service }),
      ]);
      chip.addEventListener('click', () => this.pick(service));
      return chip;
    });
    if (services.length > MAX_CHIPS)
      chips.push(h('span', { className: 'legend-rest muted', text: `and ${services.length - MAX_CHIPS} more` }));
    this.root.replaceChildren(...chips, this.more);
    this.fit();
  }

  /**
   * Closed, the line shows the chips that fit beside "+N more", which follows the last of them. Open,
   * every chip shows and the control, now "Show less", ends the list.
   */
  fit(): void {
    this.lastWidth = this.root.clientWidth;
    // Hidden while the chips are measured, the control would lose the keyboard; it gets it back at the end.
    const focused = document.activeElement === this.more;
    this.measure();
    if (focused && !this.more.hidden) this.more.focus({ preventScroll: true });
  }

  private measure(): void {
    const chips = Array.from(this.root.querySelectorAll<HTMLElement>('.legend-item'));
    for (const chip of chips) chip.inert = false;
    this.root.classList.toggle('expanded', this.expanded);
    if (!this.expanded) this.root.scrollTop = 0;
    this.place(null);
    this.more.hidden = true;
    const beyond = Math.max(0, this.services.length - MAX_CHIPS);
    const top = chips[0]?.offsetTop ?? 0;
    const firstCut = chips.findIndex((chip) => chip.offsetTop > top);
    if (firstCut < 0 && beyond === 0) {
      this.expanded = false;
      this.root.classList.remove('expanded');
      return;
    }
    this.more.hidden = false;
    this.more.setAttribute('aria-expanded', String(this.expanded));
    if (this.expanded) {
      this.more.textContent = 'Show less';
      this.more.title = 'Show the services on one line';
      return;
    }
    this.more.title = `Show all ${this.services.length.toLocaleString('en-US')} services`;
    let shown = firstCut < 0 ? chips.length : firstCut;
    for (;;) {
      this.place(chips[shown] ?? null);
      this.more.textContent = `+${(chips.length - shown + beyond).toLocaleString('en-US')} more`;
      if (this.more.offsetTop <= top || shown === 0) break;
      shown--;
    }
    for (const chip of chips.slice(shown)) chip.inert = true;
  }

  /** Moves "+N more" before `chip`, or to the end for null. */
  private place(chip: HTMLElement | null): void {
    if (this.more.parentNode !== this.root || this.more.nextSibling !== chip) this.root.insertBefore(this.more, chip);
  }
}
