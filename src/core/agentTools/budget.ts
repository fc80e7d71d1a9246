/**
 * Fits sections of lines into a character budget. Each section is a list of lines best first; a section gets its
 * share of the room first, then what the others left, in the order given. What does not fit is counted, never
 * dropped silently: the caller says what was left out and how to ask for it.
 */

export interface Section {
  /** the line above the section's lines; left out with them when none fit */
  title: string;
  /** best first */
  lines: readonly string[];
  /** how many items the section describes in all (may exceed `lines.length` when only the best were written) */
  total: number;
  /** share of the room, relative to the other sections' */
  weight: number;
  /** display order of the lines that fit, parallel to `lines` (e.g. time); default: as chosen */
  keys?: readonly number[];
}

export interface Fitted {
  /** lines of each section that fit, in the sections' order */
  taken: number[];
  /** characters used by the sections, newlines included */
  used: number;
}

/** How many lines of each section fit in `room` characters (every line counts one newline). */
export function fitSections(sections: readonly Section[], room: number): Fitted {
  const taken = sections.map(() => 0);
  let used = 0;
  const cost = (s: Section, k: number): number => s.lines[k]!.length + 1 + (k === 0 ? s.title.length + 1 : 0);
  const totalWeight = sections.reduce((sum, s) => sum + (s.lines.length > 0 ? s.weight : 0), 0) || 1;
  // first pass: each section within its share
  sections.forEach((s, i) => {
    const share = Math.floor((room * s.weight) / totalWeight);
    let mine = 0;
    while (taken[i]! < s.lines.length && mine + cost(s, taken[i]!) <= share && used + cost(s, taken[i]!) <= room) {
      mine += cost(s, taken[i]!);
      used += cost(s, taken[i]!);
      taken[i]!++;
    }
  });
  // second pass: what is left, in order
  sections.forEach((s, i) => {
    while (taken[i]! < s.lines.length && used + cost(s, taken[i]!) <= room) {
      used += cost(s, taken[i]!);
      taken[i]!++;
    }
  });
  return { taken, used };
}

/** The sections' fitted lines as text, each section under its title. */
export function renderSections(sections: readonly Section[], taken: readonly number[]): string[] {
  const out: string[] = [];
  sections.forEach((s, i) => {
    const k = taken[i]!;
    if (k === 0) return;
    const chosen = [...Array(k).keys()];
    const keys = s.keys;
    if (keys) chosen.sort((a, b) => keys[a]! - keys[b]! || a - b);
    out.push(s.title, ...chosen.map((j) => s.lines[j]!));
  });
  return out;
}
