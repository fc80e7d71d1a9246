/**
 * How code matches read in the editor: tooltips and hovers, QuickPick rows, and which match is clear enough
 * to open without asking. Pure, so that the wording is unit-tested.
 */
import type { CodeMatch } from '../../core/codeLocation/evidence';

/** A best match at least this sure, this far ahead of the next, is opened without a QuickPick. */
export const DIRECT_CONFIDENCE = 0.6;
export const DIRECT_LEAD = 0.15;

/** `src/orders.js:13` (lines 1-based, as people count them) */
export function matchLocation(match: CodeMatch): string {
  return match.line === undefined ? match.file : `${match.file}:${match.line}`;
}

/** One line for a tooltip or hover: where, in which function, why, how sure. */
export function describeMatch(match: CodeMatch): string {
  const fn = match.function === undefined ? '' : ` (${match.function})`;
  return `${matchLocation(match)}${fn}: ${match.reason} [${percent(match.confidence)} sure]`;
}

/** The match to open straight away: the only one, or one clearly ahead of the rest; else undefined. */
export function clearWinner(matches: readonly CodeMatch[]): CodeMatch | undefined {
  const [first, second] = matches;
  if (first === undefined) return undefined;
  if (second === undefined) return first;
  return first.confidence >= DIRECT_CONFIDENCE && first.confidence - second.confidence >= DIRECT_LEAD ? first : undefined;
}

export interface MatchPickParts {
  /** file name and line */
  label: string;
  /** folder and function */
  description: string;
  /** the reason and how sure */
  detail: string;
}

/** A QuickPick row: `orders.js:13` · `src · charge` · the reason. */
export function matchPickParts(match: CodeMatch): MatchPickParts {
  const slash = match.file.lastIndexOf('/');
  const name = match.file.slice(slash + 1);
  const dir = slash < 0 ? '' : match.file.slice(0, slash);
  const label = match.line === undefined ? name : `${name}:${match.line}`;
  const description = [dir, match.function].filter((s) => s !== undefined && s !== '').join(' · ');
  return { label, description, detail: `${percent(match.confidence)} · ${match.reason}` };
}

export interface RevisionNote {
  /** `recorded at abc1234, you are at def5678 (not in this clone): the line may have moved` */
  text: string;
  /** true when the line could not be brought up to date, false when it was remapped */
  warn: boolean;
}

/** What revision remapping (core `reviseMatch`) added to a match's reason, if anything. */
export function revisionNote(match: CodeMatch): RevisionNote | undefined {
  const at = match.reason.lastIndexOf('; recorded at ');
  if (at < 0) return undefined;
  const text = match.reason.slice(at + 2);
  return { text, warn: !text.includes('remapped from line') };
}

function percent(confidence: number): string {
  return `${Math.round(Math.max(0, Math.min(1, confidence)) * 100)}%`;
}
