/**
 * GitPort on the `git` executable: no shell, a time limit per call, and every argument that comes from trace
 * data checked first, since a revision such as `--output=…` would otherwise be read as an option.
 */
import { execFile } from 'node:child_process';
import type { GitPort } from './revision';

export interface NodeGitOptions {
  /** the git executable; `git` on PATH by default */
  gitPath?: string;
  /** per call, milliseconds */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
/** A zero-context diff of a source file is small; anything larger is not worth remapping through. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
const OBJECT_NAME = /^[0-9a-f]{4,64}$/i;

/**
 * `-c core.fsmonitor=false` keeps a repository's own config from starting a monitor process, and
 * GIT_OPTIONAL_LOCKS=0 keeps a read from taking the index lock a concurrent `git commit` needs.
 */
const BASE_ARGS = ['-c', 'core.fsmonitor=false', '--no-pager', '--literal-pathspecs'] as const;

interface RunResult {
  code: number;
  stdout: string;
}

export class NodeGit implements GitPort {
  private readonly git: string;
  private readonly timeoutMs: number;
  /** root → revisions known to be present; a commit once present stays present */
  private readonly present = new Map<string, Set<string>>();

  constructor(options: NodeGitOptions = {}) {
    this.git = options.gitPath ?? 'git';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async head(root: string): Promise<string | undefined> {
    const r = await this.run(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
    const sha = r?.code === 0 ? r.stdout.trim() : '';
    return OBJECT_NAME.test(sha) ? sha.toLowerCase() : undefined;
  }

  async hasCommit(root: string, rev: string): Promise<boolean> {
    if (!OBJECT_NAME.test(rev)) return false;
    const key = rev.toLowerCase();
    if (this.present.get(root)?.has(key)) return true;
    const r = await this.run(root, ['cat-file', '-e', `${key}^{commit}`]);
    if (r?.code !== 0) return false;
    let known = this.present.get(root);
    if (!known) this.present.set(root, (known = new Set()));
    known.add(key);
    return true;
  }

  async diff(root: string, fromRev: string, file: string): Promise<string | undefined> {
    if (!OBJECT_NAME.test(fromRev) || file === '') return undefined;
    const r = await this.run(root, [
      'diff',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--no-renames',
      '--unified=0',
      fromRev,
      '--',
      file,
    ]);
    return r?.code === 0 ? r.stdout : undefined;
  }

  /** undefined when git could not be started, timed out or printed too much */
  private run(cwd: string, args: readonly string[]): Promise<RunResult | undefined> {
    return new Promise((resolve) => {
      execFile(
        this.git,
        [...BASE_ARGS, ...args],
        {
          cwd,
          timeout: this.timeoutMs,
          maxBuffer: MAX_OUTPUT_BYTES,
          windowsHide: true,
          encoding: 'utf8',
          env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        },
        (error, stdout) => {
          if (!error) return resolve({ code: 0, stdout });
          const code = (error as { code?: unknown }).code;
          // a number is git's exit status; a string (ENOENT, ERR_CHILD_PROCESS_STDIO_MAXBUFFER) or a kill is a failure to run
          resolve(typeof code === 'number' && !error.killed ? { code, stdout } : undefined);
        },
      );
    });
  }
}
