/**
 * The service legend: one line of colour chips, each a search for its service, and "+N more" at the end
 * of the line when they do not all fit. That control opens the legend to every service and closes it
 * again. Chips cut off by the line are hidden, so that neither the keyboard nor a screen reader finds
 * one that is not shown.
 */
import { serviceColor } from './colors';
import { h } from './dom';

/**
 * Services that get a chip at most: opening the legend lays out every chip, about 60 ms for 1,000 in
 * Chromium. That lists every service of any real trace; a hostile one gets the first ones and a count.
 */
const MAX_CHIPS = 1000;
/**
 * Chips made and laid out while the legend is closed, so that showing a trace and fitting the line on each
 * resize cost the same for 2,000 services as for 20. More than a line holds in practice; if they all
 * fit, "+N more" still opens the rest. Less than MAX_CHIPS, so that opening always shows more chips.
 */
const LINE_CHIPS = 60;

export class ServiceLegend {
  /** the chips, on one line until "+N more" opens the legend to all of them */
  readonly root: HTMLElement;
  private readonly more: HTMLButtonElement;
  /** ends the open legend when services past MAX_CHIPS have no chip */
  private readonly rest: HTMLElement;
  /** chips of the first services, made as they are first needed */
  private chips: HTMLButtonElement[] = [];
  private services: readonly string[] = [];
  private expanded = false;
  /** chips on the closed line */
  private shown = 0;
  private lastWidth = -1;

  constructor(private readonly pick: (service: string) => void) {
    this.more = h('button', {
      className: 'legend-more',
      attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'legend-services' },
    });
    this.more.addEventListener('click', () => {
      // Opening moves the keyboard on to the first chip it reveals; the control itself goes to the end.
      const opening = !this.expanded;
      this.expanded = opening;
      this.fit();
      if (opening) this.chips[this.shown]?.focus();
    });
    this.rest = h('span', { className: 'legend-rest muted' });
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
    this.chips = [];
    this.rest.textContent = `and ${count(services.length - Math.min(services.length, MAX_CHIPS))} more`;
    this.root.replaceChildren(this.rest, this.more);
    this.fit();
  }

  /**
   * Closed, the line shows the chips that fit beside "+N more", which follows the last of them and counts
   * every service not shown, with a chip or without. Open, every chip shows and the control, now "Show
   * less", ends the list.
   */
  fit(): void {
    this.lastWidth = this.root.clientWidth;
    // Hidden while the chips are measured, the control would lose the keyboard; it gets it back at the end.
    const focused = document.activeElement === this.more;
    this.measure();
    if (focused && !this.more.hidden) this.more.focus({ preventScroll: true });
  }

  private measure(): void {
    const total = this.services.length;
    const withChip = Math.min(total, MAX_CHIPS);
    const laidOut = this.expanded ? withChip : Math.min(withChip, LINE_CHIPS);
    this.makeChips(laidOut);
    const chips = this.chips;
    for (let i = 0; i < chips.length; i++) if (chips[i]!.hidden !== i >= laidOut) chips[i]!.hidden = i >= laidOut;
    this.root.classList.toggle('expanded', this.expanded);
    if (!this.expanded) this.root.scrollTop = 0;
    this.rest.hidden = !this.expanded || withChip === total;
    this.place(null);
    this.more.hidden = true;
    const top = chips[0]?.offsetTop ?? 0;
    const firstCut = chips.findIndex((chip) => chip.hidden || chip.offsetTop > top);
    if (firstCut < 0 && laidOut === total) {
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
    this.more.title =
      withChip === total ? `Show all ${count(total)} services` : `Show the first ${count(withChip)} of ${count(total)} services`;
    let shown = firstCut < 0 ? laidOut : firstCut;
    for (;;) {
      this.place(chips[shown] ?? null);
      this.more.textContent = `+${count(total - shown)} more`;
      if (this.more.offsetTop <= top || shown === 0) break;
      shown--;
    }
    for (const chip of chips.slice(shown, laidOut)) chip.hidden = true;
    this.shown = shown;
  }

  /** Makes the chips of the first `n` services, hidden until measured, before the end of the list. */
  private makeChips(n: number): void {
    const made: HTMLButtonElement[] = [];
    for (let i = this.chips.length; i < n; i++) {
      const service = this.services[i]!;
      const swatch = h('span', { className: 'swatch' });
      swatch.style.background = serviceColor(i);
      const chip = h('button', { className: 'legend-item', title: `Search for service=${service}`, attrs: { type: 'button' } }, [
        swatch,
        h('span', { text: service }),
      ]);
      chip.hidden = true;
      chip.addEventListener('click', () => this.pick(service));
      made.push(chip);
    }
    this.chips.push(...made);
    this.rest.before(...made);
  }

  /** Moves "+N more" before `chip`, or to the end for null. */
  private place(chip: HTMLElement | null): void {
    if (this.more.parentNode !== this.root || this.more.nextSibling !== chip) this.root.insertBefore(this.more, chip);
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
