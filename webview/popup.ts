/**
 * A small popup under the control that opened it (a menu, a one-field form), on the native Popover API:
 * the browser gives it the top layer, closes it on Escape or a click elsewhere; this places it inside the
 * window and gives the keyboard back to its control when it closes.
 */
import { h } from './dom';

/** pixels between the popup and its control, and the least between the popup and the window's edge */
const GAP = 2;
const MARGIN = 4;

/** What a control says of the popup open under it, and what it said before, to say again when that closes. */
interface Ownership {
  popup: Popup;
  haspopup: string | null;
}

/**
 * The popup that last opened under each control. A menu entry can open a dialog under the menu's own
 * control; the menu's close arrives after that (the toggle event is asynchronous) and must leave the
 * control to the dialog.
 */
const owners = new WeakMap<HTMLElement, Ownership>();

export class Popup {
  readonly root: HTMLElement;
  private anchor: HTMLElement | undefined;
  private readonly anchors = new WeakSet<HTMLElement>();
  /**
   * A press on the open popup's own control closes the popup (light dismiss) before the control's click
   * arrives; that click must not open it again.
   */
  private pressedOpenAnchor = false;
  /** what the popup is, as its control's aria-haspopup says */
  private readonly kind: 'menu' | 'dialog';

  constructor(className: string, attrs: Record<string, string> & { role: 'menu' | 'dialog' }, children: Node[] = []) {
    this.kind = attrs.role;
    this.root = h('div', { className: `popup ${className}`, attrs: { ...attrs, popover: 'auto' } }, children);
    this.root.addEventListener('toggle', (e) => {
      if ((e as ToggleEvent).newState === 'closed') this.closed();
    });
    // The keyboard went elsewhere (a click, a shortcut): the popup is done with.
    this.root.addEventListener('focusout', (e) => {
      const to = e.relatedTarget;
      if (to instanceof Node && !this.root.contains(to)) this.hide();
    });
    // Tab past its last control (Shift+Tab before its first) closes it and goes back to the control that
    // opened it, rather than off the end of the page.
    this.root.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      const controls = Array.from(this.root.querySelectorAll('button, vscode-button, vscode-text-field'));
      const edge = e.shiftKey ? controls[0] : controls[controls.length - 1];
      if (edge !== undefined && document.activeElement === edge) {
        e.preventDefault();
        this.hide();
      }
    });
  }

  get isOpen(): boolean {
    return this.root.matches(':popover-open');
  }

  /**
   * Opens under `anchor`, which says so through aria-expanded and aria-haspopup until it closes; returns
   * false if it was open already.
   */
  show(anchor: HTMLElement): boolean {
    if (this.isOpen) return false;
    if (!this.root.isConnected) document.body.appendChild(this.root);
    // Closed and opened again in one task (toggle to another control), the popup hears of no close.
    if (this.anchor !== undefined && this.anchor !== anchor) this.release(this.anchor);
    this.anchor = anchor;
    const before = owners.get(anchor);
    owners.set(anchor, { popup: this, haspopup: before ? before.haspopup : anchor.getAttribute('aria-haspopup') });
    anchor.setAttribute('aria-haspopup', this.kind);
    anchor.setAttribute('aria-expanded', 'true');
    this.root.showPopover();
    this.place(anchor);
    return true;
  }

  hide(): void {
    if (this.isOpen) this.root.hidePopover();
  }

  /** Closes the popup if it is open under `anchor`, otherwise opens it there. */
  toggle(anchor: HTMLElement): boolean {
    if (!this.anchors.has(anchor)) {
      this.anchors.add(anchor);
      anchor.addEventListener('pointerdown', () => (this.pressedOpenAnchor = this.isOpen && this.anchor === anchor));
    }
    if (this.pressedOpenAnchor || (this.isOpen && this.anchor === anchor)) {
      this.pressedOpenAnchor = false;
      this.hide();
      return false;
    }
    this.hide();
    return this.show(anchor);
  }

  /** Below the control, its right edges aligned when there is no room to the right; above it when there is none below. */
  private place(anchor: HTMLElement): void {
    const a = anchor.getBoundingClientRect();
    // Measured at the window's corner, where its width is not limited by the room right of the control.
    this.root.style.left = '0px';
    this.root.style.top = '0px';
    const width = this.root.offsetWidth;
    const height = this.root.offsetHeight;
    let left = a.left;
    if (left + width > window.innerWidth - MARGIN) left = a.right - width;
    left = Math.max(MARGIN, Math.min(left, window.innerWidth - MARGIN - width));
    let top = a.bottom + GAP;
    if (top + height > window.innerHeight - MARGIN && a.top - GAP - height >= MARGIN) top = a.top - GAP - height;
    this.root.style.left = `${Math.round(left)}px`;
    this.root.style.top = `${Math.round(top)}px`;
  }

  private closed(): void {
    this.pressedOpenAnchor = false;
    const anchor = this.anchor;
    if (anchor === undefined || !this.release(anchor)) return;
    // Escape, or a choice made with the keyboard: the focus was in the popup and would fall to <body>.
    const active = document.activeElement;
    if (active === null || active === document.body || this.root.contains(active)) anchor.focus();
  }

  /**
   * Gives `anchor` back what it said before the popup opened under it; false, changing nothing, if another
   * popup has opened under it since: the control, and the keyboard, are that one's.
   */
  private release(anchor: HTMLElement): boolean {
    const ownership = owners.get(anchor);
    if (ownership?.popup !== this) return false;
    owners.delete(anchor);
    if (ownership.haspopup === null) anchor.removeAttribute('aria-haspopup');
    else anchor.setAttribute('aria-haspopup', ownership.haspopup);
    anchor.setAttribute('aria-expanded', 'false');
    return true;
  }
}
