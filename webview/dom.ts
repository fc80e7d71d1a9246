/**
 * DOM building for the waterfall: every piece of trace data reaches the page through textContent or a
 * property, never through markup. Nothing here parses HTML.
 */

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string; attrs?: Record<string, string> } = {},
  children: (Node | null | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title !== undefined) el.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  for (const child of children) if (child) el.appendChild(child);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** 16×16 icons in the style of VS Code's codicons, drawn with the current text colour. */
const ICONS = {
  chevronRight: 'M6 4l4 4-4 4',
  chevronDown: 'M4 6l4 4 4-4',
  error: 'M8 1.5a6.5 6.5 0 110 13 6.5 6.5 0 010-13zM8 4.5v4.5M8 11v.5',
  code: 'M5.5 4.5L2 8l3.5 3.5M10.5 4.5L14 8l-3.5 3.5',
  warning: 'M8 2l6.5 11.5h-13zM8 6.5v3.5M8 11.5v.5',
  link: 'M7 9a3 3 0 004.2 0l2-2a3 3 0 00-4.2-4.2l-1 1M9 7a3 3 0 00-4.2 0l-2 2a3 3 0 004.2 4.2l1-1',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  focus: 'M2 5V2h3M11 2h3v3M14 11v3h-3M5 14H2v-3M8 6.5a1.5 1.5 0 110 3 1.5 1.5 0 010-3z',
  back: 'M7 3L2 8l5 5M2 8h12',
  close: 'M4 4l8 8M12 4l-8 8',
  up: 'M4 10l4-4 4 4',
  down: 'M4 6l4 4 4-4',
  expandAll: 'M4 3l4 4 4-4M4 9l4 4 4-4',
  collapseAll: 'M4 7l4-4 4 4M4 13l4-4 4 4',
  plus: 'M8 3v10M3 8h10',
  minus: 'M3 8h10',
  zoomReset: 'M2.5 6.5a4 4 0 108 0 4 4 0 10-8 0M9.5 9.5L14 14M4.5 6.5h4',
  external: 'M9 2.5h4.5V7M13.5 2.5L7 9M11.5 9.5v4h-9v-9h4',
  critical: 'M2 12l4-4 3 3 5-6',
  /** a funnel: hide what does not match */
  filter: 'M2 3h12L9.5 8.5v4.5l-3-1.5v-3z',
  /** rows narrowing down: list only the critical path */
  criticalOnly: 'M2 4h12M4 8h8M6 12h4',
  /** a stopwatch: collapse spans shorter than a duration */
  timer: 'M8 3.5a5 5 0 110 10 5 5 0 010-10zM8 6v2.5l1.5 1.5M6.5 1.5h3',
  more: 'M3 7.25a.75.75 0 100 1.5.75.75 0 100-1.5zM8 7.25a.75.75 0 100 1.5.75.75 0 100-1.5zM13 7.25a.75.75 0 100 1.5.75.75 0 100-1.5z',
  check: 'M3 8.5l3 3 7-7',
} as const;

export type IconName = keyof typeof ICONS;

export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.appendChild(path);
  return svg;
}

/** A toolkit icon button with an accessible name and a tooltip. */
export function iconButton(name: IconName, label: string, onClick: () => void): HTMLElement {
  const button = document.createElement('vscode-button');
  button.setAttribute('appearance', 'icon');
  button.setAttribute('aria-label', label);
  button.title = label;
  button.appendChild(icon(name));
  button.addEventListener('click', onClick);
  return button;
}

/**
 * A toolbar's icon button, as VS Code draws its action bars: a native button, so that aria-pressed and
 * aria-expanded reach assistive technology (the toolkit's button does not pass them on to its control).
 */
export function toolButton(name: IconName, label: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { className: 'tool', title: label, attrs: { type: 'button', 'aria-label': label } }, [icon(name)]);
  button.addEventListener('click', onClick);
  return button;
}

/** A toolbar button that stays pressed: aria-pressed carries the state, which the stylesheet shows. */
export class ToggleButton {
  readonly el: HTMLButtonElement;

  constructor(
    name: IconName,
    readonly label: string,
    private readonly onChange: (on: boolean) => void,
  ) {
    this.el = toolButton(name, label, () => this.flip());
    this.on = false;
  }

  /** What a click does: switches the state and reports it. */
  flip(): void {
    this.on = !this.on;
    this.onChange(this.on);
  }

  get on(): boolean {
    return this.el.getAttribute('aria-pressed') === 'true';
  }

  set on(value: boolean) {
    this.el.setAttribute('aria-pressed', String(value));
  }
}

/** A toolkit text field named `label` for assistive technology, with no visible label. */
export function textField(label: string, placeholder: string): HTMLInputElement {
  const field = document.createElement('vscode-text-field') as HTMLInputElement;
  field.setAttribute('placeholder', placeholder);
  field.setAttribute('aria-label', label);
  // The toolkit renames a field without a visible label "Text field" each time it joins the page.
  new MutationObserver(() => {
    if (field.getAttribute('aria-label') !== label) field.setAttribute('aria-label', label);
  }).observe(field, { attributes: true, attributeFilter: ['aria-label'] });
  return field;
}

/** A toolkit text button. */
export function textButton(text: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary'): HTMLElement {
  const button = document.createElement('vscode-button');
  button.setAttribute('appearance', appearance);
  button.textContent = text;
  button.addEventListener('click', onClick);
  return button;
}
