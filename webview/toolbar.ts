/**
 * The waterfall's toolbar: one row at any width. Search first, with its match count inside the field, then
 * icon buttons with tooltips; settings are toggle buttons (aria-pressed). When the row is too narrow, the
 * least used controls move, in a fixed order, into a "More actions" menu at its end. The collapse threshold
 * is asked for in a small popup.
 *
 * The buttons are a WAI-ARIA toolbar: one tab stop, the control last used, and the arrow keys, Home and End
 * between them. The search field is its own tab stop before it, outside the toolbar role, since it needs
 * the left and right arrows for its caret.
 */
import { h, textButton, textField, toolButton, ToggleButton, type IconName } from './dom';
import { Menu, type MenuEntry } from './menu';
import { Popup } from './popup';
import { parseDuration } from './timeScale';

export interface ToolbarActions {
  searchInput(): void;
  searchKey(e: KeyboardEvent): void;
  nextMatch(direction: 1 | -1): void;
  hideOthers(on: boolean): void;
  critical(on: boolean): void;
  criticalOnly(on: boolean): void;
  collapseAll(): void;
  expandAll(): void;
  level(direction: 1 | -1): void;
  /** Collapses the spans with children that are shorter than `us` microseconds. */
  collapseShorter(us: number): void;
  resetZoom(): void;
  openInBackend(): void;
}

/** One control of the row and what it becomes in the overflow menu. */
interface Item {
  el: HTMLElement;
  /** the controls with the lowest go to the menu first */
  priority: number;
  entry(): MenuEntry;
}

interface Group {
  el: HTMLElement;
  items: Item[];
}

export class WaterfallToolbar {
  readonly root: HTMLElement;
  readonly searchField: HTMLInputElement;
  readonly searchCount: HTMLElement;
  private readonly hideOthersToggle: ToggleButton;
  private readonly criticalToggle: ToggleButton;
  private readonly criticalOnlyToggle: ToggleButton;
  private readonly backendItem: Item;
  private readonly groups: Group[];
  private readonly separators: HTMLElement[];
  private readonly moreButton: HTMLElement;
  /** the buttons, after the search field */
  private readonly tools: HTMLElement;
  /** the toolbar's one tab stop (tabindex 0); every other control has -1 */
  private tabStop: HTMLElement;
  private readonly menu = new Menu('More actions');
  private readonly thresholdPopup: Popup;
  private readonly thresholdField: HTMLInputElement;
  private readonly thresholdButton: HTMLElement;
  private backendAvailable = false;
  private lastWidth = -1;

  constructor(private readonly actions: ToolbarActions) {
    this.searchCount = h('span', { className: 'search-count', attrs: { slot: 'end', 'aria-live': 'polite' } });
    this.searchField = textField('Search spans: words, key=value, >10ms', 'Search spans  ( / )');
    this.searchField.className = 'search';
    this.searchField.title =
      'Words match names, services, ids and attributes; key=value matches one attribute; >10ms filters by duration';
    this.searchField.appendChild(this.searchCount);
    this.searchField.addEventListener('input', () => actions.searchInput());
    this.searchField.addEventListener('keydown', (e) => actions.searchKey(e as KeyboardEvent));

    this.hideOthersToggle = new ToggleButton('filter', 'Hide non-matching spans', (on) => actions.hideOthers(on));
    this.criticalToggle = new ToggleButton('critical', 'Highlight the critical path (C)', (on) => actions.critical(on));
    this.criticalOnlyToggle = new ToggleButton('criticalOnly', 'Only the critical path', (on) => {
      if (on) this.criticalToggle.on = true;
      actions.criticalOnly(on);
    });

    const threshold = this.thresholdForm();
    this.thresholdField = threshold.field;
    this.thresholdPopup = threshold.popup;
    this.thresholdButton = toolButton('timer', 'Collapse spans shorter than…', () => this.openThreshold(this.thresholdButton));
    this.thresholdButton.setAttribute('aria-haspopup', 'dialog');
    this.thresholdButton.setAttribute('aria-expanded', 'false');

    this.backendItem = button('external', 'Open in Backend UI', 1, () => actions.openInBackend());
    this.groups = [
      group('search-group', [
        button('up', 'Previous match (Shift+Enter)', 9, () => actions.nextMatch(-1)),
        button('down', 'Next match (Enter)', 9, () => actions.nextMatch(1)),
        toggle(this.hideOthersToggle, 8),
      ]),
      group('tree-group', [
        button('collapseAll', 'Collapse all', 4, () => actions.collapseAll()),
        button('expandAll', 'Expand all', 4, () => actions.expandAll()),
        button('minus', 'Collapse one level', 2, () => actions.level(-1)),
        button('plus', 'Expand one level', 2, () => actions.level(1)),
        {
          el: this.thresholdButton,
          priority: 3,
          entry: () => ({
            label: 'Collapse spans shorter than',
            icon: 'timer',
            opensDialog: true,
            run: () => this.openThreshold(this.moreButton),
          }),
        },
      ]),
      group('view-group', [
        toggle(this.criticalToggle, 6),
        toggle(this.criticalOnlyToggle, 5),
        button('zoomReset', 'Reset zoom (0)', 7, () => actions.resetZoom()),
        this.backendItem,
      ]),
    ];
    this.backendItem.el.hidden = true;
    this.separators = this.groups.slice(1).map(() => h('span', { className: 'separator', attrs: { 'aria-hidden': 'true' } }));
    this.moreButton = toolButton('more', 'More actions', () => this.menu.toggle(this.moreButton, this.overflowEntries()));
    this.moreButton.classList.add('more');
    this.moreButton.setAttribute('aria-haspopup', 'menu');
    this.moreButton.setAttribute('aria-expanded', 'false');

    const buttons: HTMLElement[] = [];
    this.groups.forEach((g, i) => buttons.push(...(i > 0 ? [this.separators[i - 1]!] : []), g.el));
    buttons.push(this.moreButton);
    const tools = h('div', { className: 'tools', attrs: { role: 'toolbar', 'aria-label': 'Waterfall controls' } }, buttons);
    this.tools = tools;
    for (const control of this.allControls()) control.tabIndex = -1;
    this.tabStop = this.allControls()[0]!;
    this.tabStop.tabIndex = 0;
    tools.addEventListener('focusin', (e) => {
      if (e.target instanceof HTMLElement && this.allControls().includes(e.target)) this.setTabStop(e.target);
    });
    tools.addEventListener('keydown', (e) => this.onKey(e));
    this.root = h('div', { className: 'controls' }, [this.searchField, tools]);
    new ResizeObserver(() => {
      if (this.root.clientWidth !== this.lastWidth) this.layout();
    }).observe(this.root);
  }

  get hideOthers(): boolean {
    return this.hideOthersToggle.on;
  }
  set hideOthers(on: boolean) {
    this.hideOthersToggle.on = on;
  }
  get critical(): boolean {
    return this.criticalToggle.on;
  }
  set critical(on: boolean) {
    this.criticalToggle.on = on;
  }
  get criticalOnly(): boolean {
    return this.criticalOnlyToggle.on;
  }
  set criticalOnly(on: boolean) {
    this.criticalOnlyToggle.on = on;
  }

  /** Shows the buttons (views of rows in a tree), or only the search field (views where the search filters). */
  showTools(shown: boolean): void {
    if (this.tools.hidden !== shown) return;
    this.tools.hidden = !shown;
    if (shown) this.layout();
  }

  /** Shows "Open in Backend UI" when the trace came from a backend with a web UI. */
  setBackendAvailable(available: boolean): void {
    this.backendAvailable = available;
    this.layout();
  }

  /** Fits the row to its width and keeps the toolbar's tab stop on a control that shows. */
  layout(): void {
    // Read first: a hidden button loses the keyboard at the next layout, which fitting the row forces.
    const focused = document.activeElement;
    this.fitRow();
    if (this.menu.isOpen) this.menu.hide();
    // The tab stop moved into the menu: the menu's button takes it, and the keyboard if it was there.
    if (this.tabStop.hidden) {
      const hadKeyboard = focused === this.tabStop;
      this.setTabStop(this.moreButton.hidden ? this.controls()[0]! : this.moreButton);
      if (hadKeyboard) this.tabStop.focus();
    }
  }

  /**
   * Every control that fits stays, and the rest, lowest priority first, go to the "More actions" menu. Each
   * step reads the row's width once; there are a dozen controls.
   */
  private fitRow(): void {
    this.lastWidth = this.root.clientWidth;
    const items = this.groups.flatMap((g) => g.items).filter((item) => item !== this.backendItem || this.backendAvailable);
    for (const g of this.groups) for (const item of g.items) item.el.hidden = !items.includes(item);
    this.moreButton.hidden = true;
    this.showGroups();
    if (this.fits() || this.lastWidth === 0) return;
    this.moreButton.hidden = false;
    const byPriority = [...items].sort((a, b) => a.priority - b.priority);
    for (const item of byPriority) {
      item.el.hidden = true;
      this.showGroups();
      if (this.fits()) break;
    }
  }

  /** Opens the collapse-threshold popup under `anchor` with the keyboard in its field. */
  openThreshold(anchor: HTMLElement): void {
    if (!this.thresholdPopup.toggle(anchor)) return;
    this.thresholdField.focus();
    this.thresholdField.select();
  }

  /** Left and Right move to the control before and after, round the ends; Home and End to the first and last. */
  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const controls = this.controls();
    const at = controls.indexOf(e.target as HTMLElement);
    if (at < 0) return;
    const last = controls.length - 1;
    const moves: Partial<Record<string, number>> = {
      ArrowRight: at === last ? 0 : at + 1,
      ArrowLeft: at === 0 ? last : at - 1,
      Home: 0,
      End: last,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    controls[to]!.focus();
  }

  private setTabStop(control: HTMLElement): void {
    if (control === this.tabStop) return;
    this.tabStop.tabIndex = -1;
    control.tabIndex = 0;
    this.tabStop = control;
  }

  /** The toolbar's buttons in their order on the row, shown or not. */
  private allControls(): HTMLElement[] {
    return [...this.groups.flatMap((g) => g.items.map((item) => item.el)), this.moreButton];
  }

  /** The buttons on the row. */
  private controls(): HTMLElement[] {
    return this.allControls().filter((control) => !control.hidden);
  }

  private fits(): boolean {
    return this.root.scrollWidth <= this.root.clientWidth;
  }

  /** A group shows while one of its controls does; a separator only between two groups that show. */
  private showGroups(): void {
    const shown = this.groups.map((g) => g.items.some((item) => !item.el.hidden));
    this.groups.forEach((g, i) => (g.el.hidden = !shown[i]));
    this.separators.forEach((s, i) => (s.hidden = !shown.slice(0, i + 1).some(Boolean) || !shown.slice(i + 1).some(Boolean)));
  }

  /** The controls the row has no room for, in their order on the row. */
  private overflowEntries(): MenuEntry[] {
    return this.groups.flatMap((g) =>
      g.items
        .filter((item) => item.el.hidden && (item !== this.backendItem || this.backendAvailable))
        .map((item) => item.entry()),
    );
  }

  /** A field for the threshold (empty: 1ms) that checks what was typed before anything collapses. */
  private thresholdForm(): { popup: Popup; field: HTMLInputElement } {
    const title = 'Collapse spans shorter than';
    const field = textField(title, '1ms');
    field.className = 'threshold';
    const hint = h('div', { className: 'hint', attrs: { 'aria-live': 'polite' } });
    const showHint = (error?: string): void => {
      hint.textContent = error ?? 'For example 500us, 1ms or 2s; only spans with children fold.';
      hint.classList.toggle('error', error !== undefined);
      if (error !== undefined) field.setAttribute('aria-invalid', 'true');
      else field.removeAttribute('aria-invalid');
    };
    const apply = (): void => {
      const us = parseDuration(field.value || '1ms');
      if (us === undefined) {
        showHint(`"${field.value}" is not a duration; try 500us, 1ms or 2s.`);
        return;
      }
      popup.hide();
      this.actions.collapseShorter(us);
    };
    field.addEventListener('input', () => showHint());
    field.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key !== 'Enter') return;
      e.preventDefault();
      apply();
    });
    showHint();
    const popup = new Popup('threshold-popup', { role: 'dialog', 'aria-label': 'Collapse short spans' }, [
      h('div', { className: 'popup-title', text: title, attrs: { 'aria-hidden': 'true' } }),
      h('div', { className: 'threshold-row' }, [field, textButton('Collapse', apply, 'primary')]),
      hint,
    ]);
    return { popup, field };
  }
}

function group(className: string, items: Item[]): Group {
  return {
    el: h(
      'div',
      { className: `group ${className}` },
      items.map((item) => item.el),
    ),
    items,
  };
}

function button(name: IconName, label: string, priority: number, run: () => void): Item {
  return { el: toolButton(name, label, run), priority, entry: () => ({ label, icon: name, run }) };
}

function toggle(t: ToggleButton, priority: number): Item {
  return {
    el: t.el,
    priority,
    entry: () => ({ label: t.label, checked: t.on, run: () => t.flip() }),
  };
}
