/** Sizes of the waterfall in CSS pixels, and the width of its name column. DOM-free. */

/** pixels per row: dense, as traces of thousands of spans want */
export const ROW_HEIGHT = 18;
/**
 * pixels of indentation per level, up to MAX_INDENT_LEVELS levels and never more than INDENT_SHARE of the name
 * column, nor so much that less than MIN_NAME_TEXT is left for the name beside a row's twisty, swatch, marks
 * and depth (ROW_CHROME); deeper rows show their depth instead
 */
export const INDENT = 12;
export const MAX_INDENT_LEVELS = 24;
export const INDENT_SHARE = 0.4;
/** pixels of a row that are not indentation or text: padding, twisty, swatch, one mark, a depth number, gaps */
export const ROW_CHROME = 88;
/** pixels kept for the span's name in every row: about ten characters */
export const MIN_NAME_TEXT = 72;
export const BAR_HEIGHT = 10;
export const AXIS_HEIGHT = 22;
/** the name column's splitter */
export const SPLITTER = 5;
/**
 * Name column: until the user drags its splitter it takes NAME_SHARE of the waterfall's width within
 * [MIN_NAME_WIDTH, DEFAULT_NAME_WIDTH]; a dragged width is kept as a share of the width, so that it follows
 * the panel as it narrows. The bars keep at least MIN_BARS_WIDTH pixels, except in a panel too narrow for
 * both: there the names keep MIN_NAME_WIDTH, enough for a shallow row's name and service to be read.
 */
const NAME_SHARE = 0.32;
export const MIN_NAME_WIDTH = 200;
export const DEFAULT_NAME_WIDTH = 360;
const MIN_BARS_WIDTH = 160;
/** event ticks: pixels above and below the bar, and at most this many per row */
export const TICK_OVERHANG = 2;
export const MAX_TICKS_PER_ROW = 500;

/**
 * Pixels of the name column in a waterfall `full` pixels wide: the user's share when they dragged the
 * splitter, else NAME_SHARE of the width, up to DEFAULT_NAME_WIDTH; the bars keep MIN_BARS_WIDTH.
 */
export function nameColumnWidth(full: number, share: number | undefined): number {
  const wanted =
    share !== undefined ? share * full : Math.min(DEFAULT_NAME_WIDTH, Math.max(MIN_NAME_WIDTH, Math.round(full * NAME_SHARE)));
  return Math.round(Math.min(Math.max(MIN_NAME_WIDTH, wanted), Math.max(MIN_NAME_WIDTH, full - SPLITTER - MIN_BARS_WIDTH)));
}

/** Levels of indentation a name column `nameWidth` pixels wide shows; deeper rows show their depth as a number. */
export function indentLevels(nameWidth: number): number {
  const room = Math.min(nameWidth * INDENT_SHARE, nameWidth - ROW_CHROME - MIN_NAME_TEXT);
  return Math.max(1, Math.min(MAX_INDENT_LEVELS, Math.floor(room / INDENT)));
}
