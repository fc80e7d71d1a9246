/**
 * A GitPort that remembers answers, so that locating every span of a trace costs a few git processes, not
 * several per span. HEAD is asked again after `headTtlMs`; diffs are kept per HEAD until `clear()` (the
 * owner calls it when workspace files change, since diffs run to the working tree). Pure apart from git.
 */
import type { GitPort } from '../../core/codeLocation/revision';

export interface CachedGitOptions {
  /** milliseconds a HEAD answer is trusted; a checkout moves it */
  headTtlMs?: number;
  /** distinct diffs kept */
  maxDiffs?: number;
  now?: () => number;
}

export class CachedGit implements GitPort {
  private readonly heads = new Map<string, { at: number; head: Promise<string | undefined> }>();
  private readonly commits = new Map<string, Promise<boolean>>();
  private readonly diffs = new Map<string, Promise<string | undefined>>();
  private readonly headTtlMs: number;
  private readonly maxDiffs: number;
  private readonly now: () => number;

  constructor(
    private readonly git: GitPort,
    options: CachedGitOptions = {},
  ) {
    this.headTtlMs = options.headTtlMs ?? 5000;
    this.maxDiffs = options.maxDiffs ?? 500;
    this.now = options.now ?? Date.now;
  }

  head(root: string): Promise<string | undefined> {
    const hit = this.heads.get(root);
    if (hit && this.now() - hit.at < this.headTtlMs) return hit.head;
    const head = this.git.head(root);
    this.heads.set(root, { at: this.now(), head });
    return head;
  }

  hasCommit(root: string, rev: string): Promise<boolean> {
    const key = `${root}\0${rev}`;
    let known = this.commits.get(key);
    if (!known) {
      known = this.git.hasCommit(root, rev);
      // a missing commit may be fetched later; only presence is for good
      void known.then((present) => present || this.commits.delete(key));
      this.commits.set(key, known);
    }
    return known;
  }

  async diff(root: string, fromRev: string, file: string): Promise<string | undefined> {
    const head = await this.head(root);
    const key = `${root}\0${head ?? ''}\0${fromRev}\0${file}`;
    let diff = this.diffs.get(key);
    if (!diff) {
      if (this.diffs.size >= this.maxDiffs) this.diffs.clear();
      diff = this.git.diff(root, fromRev, file);
      this.diffs.set(key, diff);
    }
    return diff;
  }

  /** Forgets diffs and HEADs: the working tree changed. */
  clear(): void {
    this.diffs.clear();
    this.heads.clear();
  }
}
