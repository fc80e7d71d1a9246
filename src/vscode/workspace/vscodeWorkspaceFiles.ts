/**
 * The core's WorkspaceSource port on VS Code: files from `workspace.findFiles` with `files.exclude`,
 * `search.exclude` and `.gitignore` applied; texts read with Node's fs where the files are on the extension
 * host's disk, else through `workspace.fs` (virtual file systems). Listing paths are folder-relative with
 * forward slashes, prefixed with the folder's name when there are several folders. A directory that is a
 * symlink out of its folder is left out, and a file that resolves outside is never read.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isIgnored, parseGitignore, type IgnoreRules } from '../../core/codeLocation/nodeWorkspaceFiles';
import type { WorkspaceFolderInfo, WorkspaceListing } from '../../core/codeLocation/pathMapper';
import type { WorkspaceSource } from '../../core/codeLocation/workspaceIndex';
import { combinedGlob, excludeMatchers, excludePatterns } from './excludeGlobs';

export interface IndexedFolder {
  /** the folder's name in listing paths and `${workspaceFolder:name}`; unique */
  name: string;
  folder: vscode.WorkspaceFolder;
  /** for local folders the real path (symlinks resolved); the URI's path otherwise */
  root: string;
  /** on this machine's file system: Node's fs and git can reach it */
  local: boolean;
}

export interface VscodeWorkspaceFilesOptions {
  /** bytes; larger files are not read */
  maxFileBytes?: number;
  /** the listing stops after this many files (see `truncated`) */
  maxFiles?: number;
  /** stops the listing */
  token?: vscode.CancellationToken;
}

interface FolderFilter {
  glob: string | undefined;
  exclude: RegExp[];
  /** `search.useIgnoreFiles`: whether .gitignore applies */
  useIgnoreFiles: boolean;
  gitignore: IgnoreRules[];
  /** directory (folder-relative) → ignored by .gitignore */
  ignoredDirs: Map<string, boolean>;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_FILES = 200_000;
const BINARY_PROBE = 8192;
const PARALLEL = 64;

export class VscodeWorkspaceFiles implements WorkspaceSource {
  /** set by `listing()` when `maxFiles` cut it short */
  truncated = false;
  /** settings entries that could not be applied, for the log */
  readonly dropped: string[] = [];
  private readonly filters = new Map<string, FolderFilter>();
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly token: vscode.CancellationToken | undefined;
  private readonly decoder = new TextDecoder('utf-8');
  private listed: string[] = [];

  private constructor(
    readonly folders: readonly IndexedFolder[],
    options: VscodeWorkspaceFilesOptions,
  ) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.token = options.token;
  }

  /** A source over `folders` (default: the open workspace folders). */
  static async create(
    folders: readonly vscode.WorkspaceFolder[] = vscode.workspace.workspaceFolders ?? [],
    options: VscodeWorkspaceFilesOptions = {},
  ): Promise<VscodeWorkspaceFiles> {
    const names = new Set<string>();
    const indexed: IndexedFolder[] = [];
    for (const folder of folders) {
      let name = folder.name || 'folder';
      for (let n = 2; names.has(name); n++) name = `${folder.name}-${n}`;
      names.add(name);
      const local = folder.uri.scheme === 'file';
      const root = local ? await fs.realpath(folder.uri.fsPath).catch(() => folder.uri.fsPath) : folder.uri.path;
      indexed.push({ name, folder, root, local });
    }
    return new VscodeWorkspaceFiles(indexed, options);
  }

  async listing(): Promise<WorkspaceListing> {
    const folders: WorkspaceFolderInfo[] = this.folders.map((f) => ({ name: f.name, root: f.root }));
    const files: string[] = [];
    this.truncated = false;
    for (const folder of this.folders) {
      const budget = this.maxFiles - files.length;
      if (budget <= 0) {
        this.truncated = true;
        break;
      }
      const filter = this.filter(folder);
      const pattern = new vscode.RelativePattern(folder.folder, '**/*');
      const uris = await vscode.workspace.findFiles(pattern, filter.glob, budget + 1, this.token);
      if (uris.length > budget) this.truncated = true;
      let rels: string[] = [];
      for (const uri of uris.slice(0, budget)) {
        const rel = relativePath(folder.folder.uri, uri);
        if (rel !== undefined) rels.push(rel);
      }
      // the .gitignore files come with the same walk: one search of the folder, not two
      if (filter.useIgnoreFiles) {
        filter.gitignore = await this.gitignoreRules(folder, rels);
        if (filter.gitignore.length > 0) rels = rels.filter((rel) => !this.gitignored(filter, rel));
      }
      if (folder.local) rels = await dropLinksOut(folder, rels);
      const prefix = this.folders.length > 1 ? `${folder.name}/` : '';
      for (const rel of rels) files.push(prefix + rel);
    }
    this.listed = files;
    return { folders, files };
  }

  /** The files of the last listing; handed over once, so that this source does not keep them too. */
  takeListed(): string[] {
    const files = this.listed;
    this.listed = [];
    return files;
  }

  async readText(file: string): Promise<string | undefined> {
    const uri = this.uriOf(file);
    if (uri === undefined) return undefined;
    try {
      const bytes = uri.scheme === 'file' ? await this.readLocal(uri) : await this.readRemote(uri);
      if (bytes === undefined || bytes.subarray(0, BINARY_PROBE).includes(0)) return undefined;
      const text = this.decoder.decode(bytes);
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      return undefined;
    }
  }

  /** The folder of a listing path and the path inside it. */
  folderOf(file: string): { folder: IndexedFolder; relative: string } | undefined {
    if (this.folders.length === 1) return { folder: this.folders[0]!, relative: file };
    const slash = file.indexOf('/');
    const folder = slash > 0 ? this.folders.find((f) => f.name === file.slice(0, slash)) : undefined;
    return folder && { folder, relative: file.slice(slash + 1) };
  }

  /** The URI of a listing path; undefined for paths that are not (names with `..` and the like). */
  uriOf(file: string): vscode.Uri | undefined {
    const at = this.folderOf(file);
    if (!at || at.relative.split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined;
    return vscode.Uri.joinPath(at.folder.folder.uri, at.relative);
  }

  /** The listing path of a URI inside a folder, whether or not it is excluded. */
  pathOf(uri: vscode.Uri): string | undefined {
    for (const folder of this.folders) {
      const rel = relativePath(folder.folder.uri, uri);
      if (rel !== undefined) return this.folders.length > 1 ? `${folder.name}/${rel}` : rel;
    }
    return undefined;
  }

  /** Whether the listing would leave the path out (excluded by settings or .gitignore). Filters are those of the last listing. */
  isExcluded(file: string): boolean {
    const at = this.folderOf(file);
    const filter = at && this.filters.get(at.folder.name);
    if (!at || !filter) return true;
    return filter.exclude.some((re) => re.test(at.relative)) || this.gitignored(filter, at.relative);
  }

  /**
   * Whether a local listing path resolves (symlinks followed) inside a workspace folder. Remote and virtual
   * files have no symlinks this side can see, so they count as inside.
   */
  async resolvesInside(file: string): Promise<boolean> {
    const uri = this.uriOf(file);
    if (uri === undefined) return false;
    if (uri.scheme !== 'file') return true;
    return (await this.outsidePath(uri)) === undefined;
  }

  /** The real path of a local file when it lies outside every workspace folder; undefined when inside (or not local). */
  async outsidePath(uri: vscode.Uri): Promise<string | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const real = await fs.realpath(uri.fsPath).catch(() => undefined);
    if (real === undefined) return undefined;
    return this.folders.some((f) => f.local && inside(f.root, real)) ? undefined : real;
  }

  /**
   * Files on this extension host's disk are read with Node's fs: `file` URIs are local to the extension host
   * even in a remote window, and `workspace.fs` costs a round trip per call (about five times slower measured
   * on 5,000 files). A symlink is followed only when it stays inside a workspace folder.
   */
  private async readLocal(uri: vscode.Uri): Promise<Uint8Array | undefined> {
    let stat = await fs.lstat(uri.fsPath);
    if (stat.isSymbolicLink()) {
      if ((await this.outsidePath(uri)) !== undefined) return undefined;
      stat = await fs.stat(uri.fsPath);
    }
    if (!stat.isFile() || stat.size > this.maxFileBytes) return undefined;
    return fs.readFile(uri.fsPath);
  }

  /** Remote and virtual file systems, through VS Code. */
  private async readRemote(uri: vscode.Uri): Promise<Uint8Array | undefined> {
    const stat = await vscode.workspace.fs.stat(uri);
    if ((stat.type & vscode.FileType.File) === 0 || stat.size > this.maxFileBytes) return undefined;
    return vscode.workspace.fs.readFile(uri);
  }

  private filter(folder: IndexedFolder): FolderFilter {
    const files = vscode.workspace.getConfiguration('files', folder.folder);
    const search = vscode.workspace.getConfiguration('search', folder.folder);
    const { patterns, dropped } = excludePatterns(files.get('exclude'), search.get('exclude'));
    for (const d of dropped) this.dropped.push(`${folder.name}: exclude pattern "${d}"`);
    const filter: FolderFilter = {
      glob: combinedGlob(patterns),
      exclude: excludeMatchers(patterns),
      useIgnoreFiles: search.get<boolean>('useIgnoreFiles', true),
      gitignore: [],
      ignoredDirs: new Map(),
    };
    this.filters.set(folder.name, filter);
    return filter;
  }

  /** The folder's `.gitignore` files (among `rels`), parsed, shallowest first: deeper files refine shallower ones. */
  private async gitignoreRules(folder: IndexedFolder, rels: readonly string[]): Promise<IgnoreRules[]> {
    const rules: IgnoreRules[] = [];
    const found = rels.filter((rel) => rel === '.gitignore' || rel.endsWith('/.gitignore'));
    await inBatches(found, async (rel) => {
      const uri = vscode.Uri.joinPath(folder.folder.uri, rel);
      const bytes = await (folder.local ? this.readLocal(uri) : this.readRemote(uri)).catch(() => undefined);
      if (!bytes) return;
      const set = parseGitignore(this.decoder.decode(bytes), parentDir(rel));
      if (set.rules.length > 0) rules.push(set);
    });
    return rules.sort((a, b) => depth(a.base) - depth(b.base) || (a.base < b.base ? -1 : 1));
  }

  /** A file is ignored when it or any directory above it is: git does not look inside an ignored directory. */
  private gitignored(filter: FolderFilter, rel: string): boolean {
    if (filter.gitignore.length === 0) return false;
    let dir = '';
    const segments = rel.split('/');
    for (let i = 0; i < segments.length - 1; i++) {
      dir = dir === '' ? segments[i]! : `${dir}/${segments[i]!}`;
      let ignored = filter.ignoredDirs.get(dir);
      if (ignored === undefined) {
        ignored = isIgnored(filter.gitignore, dir, true);
        filter.ignoredDirs.set(dir, ignored);
      }
      if (ignored) return true;
    }
    return isIgnored(filter.gitignore, rel, false);
  }
}

/** Folder-relative path with forward slashes, or undefined when `uri` is not inside `folder`. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return undefined;
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  if (!uri.path.startsWith(base)) return undefined;
  const rel = uri.path.slice(base.length);
  return rel === '' ? undefined : rel;
}

/** Files under a directory that is a symlink out of the folder are dropped; each directory is resolved once. */
async function dropLinksOut(folder: IndexedFolder, rels: string[]): Promise<string[]> {
  const dirs = [...new Set(rels.map(parentDir))].filter((d) => d !== '');
  const outside = new Set<string>();
  await inBatches(dirs, async (dir) => {
    const real = await fs.realpath(path.join(folder.folder.uri.fsPath, ...dir.split('/'))).catch(() => undefined);
    if (real === undefined || !inside(folder.root, real)) outside.add(dir);
  });
  return outside.size === 0 ? rels : rels.filter((r) => !outside.has(parentDir(r)));
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(run));
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function parentDir(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}
