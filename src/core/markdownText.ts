/**
 * Untrusted text (trace data, server messages) placed in Markdown so that it renders as exactly that text, on the
 * line it was put on: for the latency hover, the mapping explanation and Markdown tooltips.
 */

/**
 * Every ASCII punctuation character. CommonMark lets each be backslash-escaped, and every Markdown construct starts
 * with one: emphasis, links, autolinks (`https:`, `www.`, `a@b.c`), images, HTML and entities, headings, lists,
 * block quotes, tables, code, and VS Code's theme icons `$(…)`.
 */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** Line breaks and the other control characters: a line break would let the text start a block of its own. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` as Markdown that renders as that text (control characters as spaces), inside a paragraph or a table cell. */
export function markdownText(text: string): string {
  return text.replace(CONTROL, ' ').replace(PUNCTUATION, '\\$&');
}

/**
 * `text` as inline code: a backtick fence longer than any run of backticks in it, so that nothing in it ends the
 * code early, and control characters as spaces, so that no blank line ends the paragraph it is in. Not for table
 * cells: a `|` in it would still end the cell.
 */
export function markdownCode(text: string): string {
  const one = text.replace(CONTROL, ' ');
  let longest = 0;
  for (const run of one.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || one.startsWith(' ') || one.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}
