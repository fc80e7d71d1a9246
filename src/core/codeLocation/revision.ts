/**
 * Lines recorded by a service built from another commit than the one checked out: the revision a span's
 * resource names, and remapping a line through the git diff from that revision to the working tree.
 * Git itself is behind a port; everything here but `reviseMatch`'s calls to it is pure.
 */
import { stringAttribute } from '../model/attributes';
import type { Attributes } from '../model/types';

/** Resource keys that name the revision a process was built from, most specific first. */
const REVISION_KEYS = ['vcs.ref.head.revision', 'vcs.repository.ref.revision', 'git.commit.sha'] as const;
/** SHA-1 or SHA-256 object names, full or abbreviated (git's shortest abbreviation is 4; 7 is its default). */
const OBJECT_NAME = /^[0-9a-f]{7,64}$/i;
/** A bare commit as a service.version: at least one letter, or a build number such as 20240131 would pass. */
const VERSION_COMMIT = /^(?=.*[a-f])[0-9a-f]{7,40}$/i;
/** `git describe` output as a version: v1.4.2-14-g1a2b3c4 (optionally -dirty). */
const DESCRIBE = /-g([0-9a-f]{7,40})(?:-dirty)?$/i;
const SHORT = 7;

/** The commit `resource` says its code was built from, lower-case; undefined when it names none. */
export function spanRevision(resource: Attributes): string | undefined {
  for (const key of REVISION_KEYS) {
    const v = stringAttribute(resource, key)?.trim();
    if (v !== undefined && OBJECT_NAME.test(v)) return v.toLowerCase();
  }
  const version = stringAttribute(resource, 'service.version')?.trim();
  if (version === undefined) return undefined;
  if (VERSION_COMMIT.test(version)) return version.toLowerCase();
  return DESCRIBE.exec(version)?.[1]?.toLowerCase();
}

/** Git, as far as remapping needs it. `root` is the absolute path of a folder inside the repository. */
export interface GitPort {
  /** the full object name of HEAD; undefined outside a repository or before the first commit */
  head(root: string): Promise<string | undefined>;
  /** whether `rev` names a commit this clone has */
  hasCommit(root: string, rev: string): Promise<boolean>;
  /**
   * Unified diff with zero context lines of `file` (relative to `root`, forward slashes) from `fromRev` to
   * the working tree, which is what the editor shows; "" when unchanged, undefined when git failed.
   */
  diff(root: string, fromRev: string, file: string): Promise<string | undefined>;
}

export type RemappedLine = { line: number } | { deleted: true; nearest: number };

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Where 1-based `line` of the old side of `unifiedDiff` is on the new side. A line inside a hunk's old range
 * was removed or rewritten: the answer is then the nearest new line (the same offset into the rewrite, or
 * the line above a pure deletion). Context lines in the diff are harmless; only hunk headers are read.
 */
export function remapLine(unifiedDiff: string, line: number): RemappedLine {
  let shift = 0;
  for (const h of parseHunks(unifiedDiff)) {
    if (h.oldCount === 0) {
      // pure insertion after old line oldStart
      if (line > h.oldStart) shift += h.newCount;
      else break;
      continue;
    }
    const oldEnd = h.oldStart + h.oldCount - 1;
    if (line < h.oldStart) break;
    if (line <= oldEnd) {
      const nearest = h.newCount === 0 ? h.newStart : h.newStart + Math.min(line - h.oldStart, h.newCount - 1);
      return { deleted: true, nearest: Math.max(1, nearest) };
    }
    shift += h.newCount - h.oldCount;
  }
  return { line: line + shift };
}

function parseHunks(diff: string): Hunk[] {
  const hunks: Hunk[] = [];
  for (const text of diff.split('\n')) {
    const m = HUNK_HEADER.exec(text);
    if (!m) continue;
    hunks.push({
      oldStart: Number(m[1]),
      oldCount: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newCount: m[4] === undefined ? 1 : Number(m[4]),
    });
  }
  return hunks.sort((a, b) => a.oldStart - b.oldStart);
}

/** The parts of a code match that a revision changes; CodeMatch fits. */
export interface RevisableMatch {
  /** relative to the `root` given to reviseMatch, forward slashes */
  file: string;
  /** 1-based */
  line?: number;
  column?: number;
  reason: string;
}

/**
 * `match` as it stands in the working tree when the span was recorded at `revision`: its line moved through
 * the diff when this clone has that commit, otherwise a warning in its reason. Unchanged when there is no
 * revision, no line, no repository, or nothing moved.
 */
export async function reviseMatch<M extends RevisableMatch>(
  match: M,
  revision: string | undefined,
  git: GitPort,
  root: string,
): Promise<M> {
  if (revision === undefined || match.line === undefined) return match;
  const head = await git.head(root);
  if (head === undefined) return match;
  const at = `recorded at ${short(revision)}`;
  const here = sameCommit(head, revision) ? '' : `, you are at ${short(head)}`;
  if (!(await git.hasCommit(root, revision))) {
    return note(match, `${at}${here} (not in this clone): the line may have moved`);
  }
  const diff = await git.diff(root, revision, match.file);
  if (diff === undefined) return note(match, `${at}${here} (git diff failed): the line may have moved`);
  if (diff === '') return match;
  if (/^--- \/dev\/null$/m.test(diff)) return note(match, `${at}, where this file did not exist: the line may be wrong`);
  const moved = remapLine(diff, match.line);
  if ('line' in moved) {
    if (moved.line === match.line) return match;
    return note({ ...match, line: moved.line }, `${at}, remapped from line ${match.line} through git diff`);
  }
  const revised = note(
    { ...match, line: moved.nearest },
    `${at}, line ${match.line} has changed since: showing line ${moved.nearest}, the nearest`,
  );
  delete revised.column;
  return revised;
}

function note<M extends RevisableMatch>(match: M, text: string): M {
  return { ...match, reason: `${match.reason}; ${text}` };
}

/** Either may be abbreviated. */
function sameCommit(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.startsWith(y) || y.startsWith(x);
}

function short(rev: string): string {
  return rev.slice(0, SHORT);
}
