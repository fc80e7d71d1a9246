/**
 * The main area: the views, a splitter and the span detail pane. Below NARROW_WIDTH the pane is a drawer
 * under the views, so that the bars keep the width (closed while nothing is selected); above it the pane
 * sits on the right. The splitter resizes it by pointer or arrow keys; the size is part of the saved state.
 */
import { h } from './dom';
import { clampNumber } from './savedState';
import type { AppState } from './state';

/**
 * Below this width (CSS pixels of the panel) the detail pane goes under the waterfall, so that the bars keep
 * the width; above it the pane sits on the right and never takes more than MAX_DETAIL_SHARE of the width.
 */
export const NARROW_WIDTH = 900;
const MAX_DETAIL_SHARE = 0.4;
const MIN_DETAIL_WIDTH = 220;
const MIN_DETAIL_HEIGHT = 120;
/**
 * Share of the height below the toolbars that the detail pane takes in the narrow layout until the user
 * drags it: the rows keep the larger part, as in a drawer under an editor.
 */
const NARROW_DETAIL_SHARE = 0.3;
/** pixels the detail pane opens with at least, when there is room: its heading, actions and first facts */
const NARROW_DETAIL_COMFORT = 200;
/** pixels of the waterfall kept above the detail pane in the narrow layout */
const MIN_WATERFALL_HEIGHT = 160;
/** pixels a splitter moves per arrow key */
const SPLITTER_STEP = 20;

export class DetailLayout {
  readonly main: HTMLElement;
  private readonly splitter: HTMLElement;
  private narrowLayout = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly state: AppState,
    private readonly detail: HTMLElement,
    views: HTMLElement[],
    private readonly save: () => void,
  ) {
    this.splitter = h('div', {
      className: 'detail-splitter',
      attrs: { role: 'separator', tabindex: '0', 'aria-orientation': 'vertical', 'aria-label': 'Resize details' },
    });
    this.installSplitter();
    this.main = h('div', { className: 'main idle' }, [...views, this.splitter, detail]);
    const observer = new ResizeObserver(() => this.layout());
    observer.observe(container);
    observer.observe(this.main);
  }

  /** Whether the detail pane is a drawer under the views. */
  get narrow(): boolean {
    return this.narrowLayout;
  }

  /** No span selected: the drawer of the narrow layout closes. */
  setIdle(idle: boolean): void {
    this.main.classList.toggle('idle', idle);
  }

  /** Shows or hides the pane and its splitter, for views where spans are selected or not. */
  setDetailShown(shown: boolean): void {
    this.detail.hidden = !shown;
    this.splitter.hidden = !shown;
  }

  /** Puts the detail pane beside the views, or under them when the panel is narrow, and sizes it. */
  layout(): void {
    const narrow = this.container.clientWidth < NARROW_WIDTH;
    if (narrow !== this.narrowLayout) {
      this.narrowLayout = narrow;
      this.main.classList.toggle('narrow', narrow);
      this.splitter.setAttribute('aria-orientation', narrow ? 'horizontal' : 'vertical');
    }
    this.applySize();
  }

  private applySize(): void {
    const style = this.detail.style;
    if (this.narrowLayout) {
      const [min, max] = this.heightRange();
      const preferred = Math.max(NARROW_DETAIL_COMFORT, this.main.clientHeight * NARROW_DETAIL_SHARE);
      const height = Math.round(clampNumber(this.state.detailHeight ?? preferred, min, max, min));
      style.width = '';
      style.height = `${height}px`;
      this.setSplitterValue(height, min, max);
    } else {
      const [min, max] = this.widthRange();
      const width = Math.round(clampNumber(this.state.detailWidth, min, max, min));
      style.height = '';
      style.width = `${width}px`;
      this.setSplitterValue(width, min, max);
    }
  }

  private widthRange(): [number, number] {
    return [MIN_DETAIL_WIDTH, Math.max(MIN_DETAIL_WIDTH, Math.floor(this.container.clientWidth * MAX_DETAIL_SHARE))];
  }

  private heightRange(): [number, number] {
    return [MIN_DETAIL_HEIGHT, Math.max(MIN_DETAIL_HEIGHT, this.main.clientHeight - MIN_WATERFALL_HEIGHT)];
  }

  private setSplitterValue(value: number, min: number, max: number): void {
    this.splitter.setAttribute('aria-valuenow', String(value));
    this.splitter.setAttribute('aria-valuemin', String(min));
    this.splitter.setAttribute('aria-valuemax', String(max));
  }

  /** Grows the detail pane by `delta` pixels from `from`: leftwards when it is on the right, upwards when below. */
  private resize(from: number, delta: number): void {
    if (this.narrowLayout) {
      const [min, max] = this.heightRange();
      this.state.detailHeight = clampNumber(from + delta, min, max, from);
    } else {
      const [min, max] = this.widthRange();
      this.state.detailWidth = clampNumber(from + delta, min, max, from);
    }
    this.applySize();
  }

  private currentSize(): number {
    return this.narrowLayout ? this.detail.offsetHeight : this.detail.offsetWidth;
  }

  private installSplitter(): void {
    const splitter = this.splitter;
    splitter.addEventListener('pointerdown', (e) => {
      const start = this.narrowLayout ? e.clientY : e.clientX;
      const startSize = this.currentSize();
      splitter.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent): void => this.resize(startSize, start - (this.narrowLayout ? ev.clientY : ev.clientX));
      const up = (): void => {
        splitter.removeEventListener('pointermove', move);
        splitter.removeEventListener('pointerup', up);
        this.save();
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
    splitter.addEventListener('keydown', (e) => {
      const [bigger, smaller] = this.narrowLayout ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
      const direction = e.key === bigger ? 1 : e.key === smaller ? -1 : 0;
      if (direction === 0) return;
      e.preventDefault();
      this.resize(this.currentSize(), direction * SPLITTER_STEP);
      this.save();
    });
  }
}
