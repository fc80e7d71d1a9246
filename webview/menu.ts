/**
 * A popup menu (WAI-ARIA menu pattern): the arrow keys, Home and End move between items, Enter or Space
 * runs one, Escape or Tab closes the menu and gives the keyboard back to the control that opened it.
 */
import { h, icon, type IconName } from './dom';
import { Popup } from './popup';

export interface MenuEntry {
  label: string;
  /** a setting that is on or off: a check mark instead of an icon, announced as checked */
  checked?: boolean;
  icon?: IconName;
  /** the entry opens a dialog rather than acting at once */
  opensDialog?: boolean;
  run(): void;
}

export class Menu {
  private readonly popup: Popup;

  constructor(label: string) {
    this.popup = new Popup('menu', { role: 'menu', 'aria-label': label });
    this.popup.root.addEventListener('keydown', (e) => this.onKey(e));
  }

  get isOpen(): boolean {
    return this.popup.isOpen;
  }

  /** Opens the menu under `anchor` with the keyboard on its first item, or closes it if it is open there. */
  toggle(anchor: HTMLElement, entries: readonly MenuEntry[]): void {
    this.popup.root.replaceChildren(...entries.map((entry) => this.item(entry)));
    if (this.popup.toggle(anchor)) this.items()[0]?.focus();
  }

  hide(): void {
    this.popup.hide();
  }

  private item(entry: MenuEntry): HTMLButtonElement {
    const checkable = entry.checked !== undefined;
    const button = h(
      'button',
      {
        className: 'menu-item',
        attrs: { role: checkable ? 'menuitemcheckbox' : 'menuitem', tabindex: '-1', type: 'button' },
      },
      [
        checkable || entry.icon === undefined
          ? icon('check', `icon check${entry.checked === true ? '' : ' unchecked'}`)
          : icon(entry.icon),
        h('span', { text: entry.opensDialog ? `${entry.label}…` : entry.label }),
      ],
    );
    if (checkable) button.setAttribute('aria-checked', String(entry.checked));
    button.addEventListener('click', () => {
      this.popup.hide();
      entry.run();
    });
    return button;
  }

  private items(): HTMLButtonElement[] {
    return Array.from(this.popup.root.querySelectorAll<HTMLButtonElement>('.menu-item'));
  }

  private onKey(e: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = (at + 1) % items.length;
        break;
      case 'ArrowUp':
        next = (at - 1 + items.length) % items.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      case 'Tab':
      case 'Escape':
        e.preventDefault();
        this.popup.hide();
        return;
      default:
        return;
    }
    e.preventDefault();
    items[next]?.focus();
  }
}
