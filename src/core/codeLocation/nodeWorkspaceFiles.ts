/**
 * The workspace port on the Node file system, for the CLI, tests and benchmarks (the extension uses VS Code's
 * file API instead). Walks one or more roots, honouring `.gitignore` files (nested ones too), exclude globs
 * in the style of `files.exclude`, and skipping dependency and build folders. Symlinks are followed only
 * while they resolve inside their root, so nothing outside the workspace is listed or read.
 */
import { constants as fsConstants, promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { WorkspaceFolderInfo, WorkspaceListing } from './pathMapper';
import { buildWorkspaceIndex, type WorkspaceIndex, type WorkspaceIndexOptions, type WorkspaceSource } from './workspaceIndex';

export interface NodeWorkspaceFilesOptions {
  /** globs relative to each root (`**∕generated/**`, `*.min.js`, `{dist,out}`), like VS Code's `files.exclude` */
  exclude?: readonly string[];
  /** bytes; larger files are not read */
  maxFileBytes?: number;
  /** the walk stops listing after this many files (see `truncated`) */
  maxFiles?: number;
  /** whether `.gitignore` files are honoured (default true) */
  useGitignore?: boolean;
}

/** Folders of dependencies, virtual environments and build output: never workspace source. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'target',
  'vendor',
  'venv',
  '.venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.gradle',
  '.idea',
  '.next',
  '.nuxt',
  'bower_components',
  'obj',
]);

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const DEFAULT_MAX_FILES = 500_000;
const BINARY_PROBE = 8192;

interface Root {
  name: string;
  /** real path */
  dir: string;
}

export class NodeWorkspaceFiles implements WorkspaceSource {
  /** set by `listing()` when `maxFiles` cut the walk short */
  truncated = false;
  private roots: Root[] | undefined;
  /** listed files not reached through a symlink: opened without following one, which keeps them inside */
  private readonly plain = new Set<string>();
  private readonly rootDirs: readonly string[];
  private readonly exclude: RegExp[];
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly useGitignore: boolean;

  constructor(rootDirs: string | readonly string[], options: NodeWorkspaceFilesOptions = {}) {
    this.rootDirs = typeof rootDirs === 'string' ? [rootDirs] : rootDirs;
    this.exclude = (options.exclude ?? []).map(globToRegExp);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.useGitignore = options.useGitignore ?? true;
  }

  async listing(): Promise<WorkspaceListing> {
    const roots = await this.resolveRoots();
    const folders: WorkspaceFolderInfo[] = roots.map((r) => ({ name: r.name, root: r.dir }));
    const files: string[] = [];
    this.truncated = false;
    this.plain.clear();
    for (const root of roots) {
      const prefix = roots.length > 1 ? `${root.name}/` : '';
      if (!(await this.walk(root, prefix, files))) {
        this.truncated = true;
        break;
      }
    }
    return { folders, files };
  }

  async readText(file: string): Promise<string | undefined> {
    const at = await this.locate(file);
    if (at === undefined) return undefined;
    let abs: string | undefined = at.abs;
    let flags = fsConstants.O_RDONLY;
    // a file listed as plain that became a symlink since the walk is refused rather than followed out of the root
    if (this.plain.has(file)) flags |= fsConstants.O_NOFOLLOW ?? 0;
    else abs = await realInside(at.abs, at.root);
    if (abs === undefined) return undefined;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(abs, flags);
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > this.maxFileBytes) return undefined;
      const buf = await handle.readFile();
      if (buf.subarray(0, BINARY_PROBE).includes(0)) return undefined;
      const text = buf.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      return undefined;
    } finally {
      await handle?.close();
    }
  }

  /** The absolute path of a workspace-relative file (links unresolved) and its root; undefined for malformed paths. */
  private async locate(file: string): Promise<{ abs: string; root: string } | undefined> {
    const roots = await this.resolveRoots();
    const segments = file.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..') || file.includes('\\')) return undefined;
    const root = roots.length > 1 ? roots.find((r) => r.name === segments[0]) : roots[0];
    if (!root) return undefined;
    return { abs: path.join(root.dir, ...(roots.length > 1 ? segments.slice(1) : segments)), root: root.dir };
  }

  private async resolveRoots(): Promise<Root[]> {
    if (this.roots) return this.roots;
    const roots: Root[] = [];
    const names = new Set<string>();
    for (const dir of this.rootDirs) {
      const real = await fs.realpath(dir);
      let name = path.basename(real) || 'root';
      for (let n = 2; names.has(name); n++) name = `${path.basename(real)}-${n}`;
      names.add(name);
      roots.push({ name, dir: real });
    }
    this.roots = roots;
    return roots;
  }

  /** Appends the root's files to `out`; false when `maxFiles` was reached. */
  private async walk(root: Root, prefix: string, out: string[]): Promise<boolean> {
    const visited = new Set<string>([root.dir]);
    const stack: { abs: string; rel: string; ignores: readonly IgnoreRules[]; viaLink: boolean }[] = [
      { abs: root.dir, rel: '', ignores: [], viaLink: false },
    ];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = await fs.readdir(dir.abs, { withFileTypes: true });
      } catch {
        continue;
      }
      let ignores = dir.ignores;
      if (this.useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
        const text = await fs.readFile(path.join(dir.abs, '.gitignore'), 'utf8').catch(() => '');
        const rules = parseGitignore(text, dir.rel);
        if (rules.rules.length > 0) ignores = [...ignores, rules];
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const e of entries) {
        const rel = dir.rel === '' ? e.name : `${dir.rel}/${e.name}`;
        const abs = path.join(dir.abs, e.name);
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        let viaLink = dir.viaLink;
        if (e.isSymbolicLink()) {
          viaLink = true;
          const target = await linkTarget(abs, root.dir);
          if (!target) continue;
          if (target.isDir && visited.has(target.real)) continue;
          if (target.isDir) visited.add(target.real);
          [isDir, isFile] = [target.isDir, !target.isDir];
        }
        if (isDir) {
          if (SKIPPED_DIRS.has(e.name) || this.excluded(rel) || isIgnored(ignores, rel, true)) continue;
          stack.push({ abs, rel, ignores, viaLink });
        } else if (isFile) {
          if (this.excluded(rel) || isIgnored(ignores, rel, false)) continue;
          if (out.length >= this.maxFiles) return false;
          out.push(prefix + rel);
          if (!viaLink) this.plain.add(prefix + rel);
        }
      }
    }
    return true;
  }

  private excluded(rel: string): boolean {
    return this.exclude.some((re) => re.test(rel));
  }
}

/** The real path of `abs` when it lies inside `root`. */
async function realInside(abs: string, root: string): Promise<string | undefined> {
  try {
    const real = await fs.realpath(abs);
    return inside(root, real) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Where a symlink leads, when that is inside the root. */
async function linkTarget(abs: string, root: string): Promise<{ real: string; isDir: boolean } | undefined> {
  try {
    const real = await fs.realpath(abs);
    if (!inside(root, real)) return undefined;
    const stat = await fs.stat(real);
    return stat.isDirectory() || stat.isFile() ? { real, isDir: stat.isDirectory() } : undefined;
  } catch {
    return undefined;
  }
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** An index of the workspace at `rootDir` (several roots for a multi-root workspace), read from disk. */
export async function createWorkspaceIndex(
  rootDir: string | readonly string[],
  options: WorkspaceIndexOptions & NodeWorkspaceFilesOptions = {},
): Promise<WorkspaceIndex> {
  const opts = { ...options };
  opts.maxFileChars ??= options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  return buildWorkspaceIndex(new NodeWorkspaceFiles(rootDir, options), opts);
}

interface IgnoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export interface IgnoreRules {
  /** the directory of the .gitignore, relative to the root ('' for the root) */
  base: string;
  rules: IgnoreRule[];
}

/** The rules of one `.gitignore` file, as git reads them (last match wins; `!` re-includes). */
export function parseGitignore(text: string, base = ''): IgnoreRules {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) [negate, line] = [true, line.slice(1)];
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    if (line === '') continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globBody(line, false);
    rules.push({ re: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negate, dirOnly });
  }
  return { base, rules };
}

/** Whether `rel` (root-relative) is ignored by the .gitignore files that apply to its directory. */
export function isIgnored(sets: readonly IgnoreRules[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const set of sets) {
    let sub = rel;
    if (set.base !== '') {
      if (!rel.startsWith(set.base + '/')) continue;
      sub = rel.slice(set.base.length + 1);
    }
    for (const r of set.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.negate === ignored && r.re.test(sub)) ignored = !r.negate;
    }
  }
  return ignored;
}

/** A VS Code style glob (`**`, `*`, `?`, `[…]`, `{a,b}`) as a regular expression over root-relative paths. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/^\.\//, '');
  if (g.endsWith('/')) g = g.slice(0, -1);
  // a pattern without a slash names a file or folder at any depth, as in files.exclude's `**/x` habit
  const body = globBody(g, true);
  const any = !g.includes('/') && !g.startsWith('**');
  return new RegExp(`^${any ? '(?:.*/)?' : ''}${body}(?:/.*)?$`);
}

function globBody(glob: string, braces: boolean): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const atStart = i === 0 || glob[i - 1] === '/';
        if (atStart && slashAfter) {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let cls = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        out += `[${cls}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeChar(glob[++i]!);
    } else if (braces && c === '{') {
      out += '(?:';
      depth++;
    } else if (braces && c === '}' && depth > 0) {
      out += ')';
      depth--;
    } else if (braces && c === ',' && depth > 0) {
      out += '|';
    } else {
      out += escapeChar(c);
    }
  }
  return out + ')'.repeat(depth);
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
