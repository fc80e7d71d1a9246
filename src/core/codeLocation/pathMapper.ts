/**
 * Maps file paths seen in telemetry (written on another machine, in a container or on CI) to files of the
 * open workspace. It never touches the file system: the workspace arrives as a listing from a port, and
 * every answer is an entry of that listing, so nothing outside the workspace folders can come back.
 */

export interface WorkspaceFolderInfo {
  /** the folder's name; the first segment of its files' paths in a multi-root workspace */
  name: string;
  /** absolute real path on this machine (symlinks resolved) */
  root: string;
}

/**
 * What the workspace port reports. `files` are workspace-relative with forward slashes, prefixed with the
 * folder name when there are several folders; they are real files inside the folders (a symlink that
 * resolves outside is left out by the port).
 */
export interface WorkspaceListing {
  folders: readonly WorkspaceFolderInfo[];
  files: readonly string[];
}

/** The port the VS Code adapter implements; the core only ever sees its listing. */
export interface WorkspaceFiles {
  listing(): Promise<WorkspaceListing>;
}

/**
 * `traceLens.pathMappings`: foreign path prefix → local path, like the debuggers' source-path overrides.
 * Values may use `${workspaceFolder}` (the first folder) and `${workspaceFolder:name}`.
 */
export type PathMappings = Readonly<Record<string, string>>;

export type MappedBy = 'mapping' | 'folder' | 'relative' | 'suffix';

export interface MappedPath {
  /** workspace-relative, forward slashes, an entry of the listing */
  file: string;
  /** how the path was mapped, for a person: `pathMappings "/app"`, `unique path suffix "src/cart.py"`, … */
  reason: string;
  by: MappedBy;
  /** path segments that agreed with the workspace file, counted from the file name (≥ 1) */
  matchedSegments: number;
}

export interface AmbiguousPath {
  /** candidates, at most AMBIGUITY_LIMIT of them */
  ambiguous: string[];
  /** how many workspace files share the longest matching suffix; > ambiguous.length when the list was cut */
  count: number;
  /** the suffix they share, e.g. "cart.py" */
  suffix: string;
}

export type MapResult = MappedPath | AmbiguousPath | undefined;

/** A foreign path split into segments; `..` and `.` already applied. */
export interface NormalizedPath {
  absolute: boolean;
  /** lowercase drive letter of a Windows path */
  drive?: string;
  segments: string[];
}

/** Enough for a container path such as /app/main.go that many services of a monorepo share. */
export const AMBIGUITY_LIMIT = 128;

const CACHE_LIMIT = 10_000;

/** Directory names that hold third-party or runtime code: a path through one of them never maps. */
const LIBRARY_SEGMENTS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'site-packages',
  'dist-packages',
  '__pypackages__',
  '.m2',
  '.gradle',
  '.ivy2',
  '.nuget',
  '.cargo',
  '.rustup',
  'vendor',
  'gems',
  // Mix and rebar3 build output (`_build/dev/lib/<app>`), CMake FetchContent sources, C++ package managers
  '_build',
  '_deps',
  'vcpkg_installed',
  '.conan',
  '.conan2',
  '.hex',
  '.mix',
  'third_party',
]);

/** A file-system router's dynamic segment: `[id]`, `[...slug]`, `[[...slug]]`, `[id].tsx`, `[slug=matcher]`. */
const ROUTE_SEGMENT = /^\[\[?(?:\.\.\.)?[A-Za-z_$][\w$]*(?:=[\w$]+)?\]\]?(?:\.\w+)?$/;

/** Names V8 gives code that has no file: `[eval]`, `[stdin]`, `[worker eval]`. */
const V8_SYNTHETIC = /^\[(?:eval|stdin|worker eval)\]/;

/** `deps/<name>/lib/…`: an Elixir or Erlang dependency fetched by Mix or rebar3. */
const DEP_SOURCE_DIRS: ReadonlySet<string> = new Set(['lib', 'src', 'include', 'priv', 'c_src']);

/**
 * Go standard-library top-level packages: `<goroot>/src/<one of these>` is GOROOT, while `$GOPATH/src/github.com/…`
 * (GOPATH mode) is application code and must stay mappable.
 */
export const GO_STD_PACKAGES: ReadonlySet<string> = new Set(
  (
    'archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors expvar flag fmt ' +
    'go hash html image index internal io iter log maps math mime net os path plugin reflect regexp runtime slices sort ' +
    'strconv strings structs sync syscall testing text time unicode unique unsafe vendor weak cmd'
  ).split(' '),
);

const GO_ROOT_SEGMENT = /^go(?:-?\d[\d.]*)?$/;
const PYTHON_LIB_SEGMENT = /^python\d+(?:\.\d+)?$/i;
const WINDOWS_DRIVE = /^([a-zA-Z]):(?:[\\/]|$)/;
const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const WEBPACK_PREFIX = /^webpack:\/\/[^/]*\//;
/** Next.js and webpack dev servers: `webpack-internal:///(rsc)/./app/api/cart/route.ts` */
const WEBPACK_INTERNAL_PREFIX = /^webpack-internal:\/\/\/(?:\([^)/]*\)\/)?/;

/**
 * Splits a foreign path into segments. Accepts POSIX and Windows paths (drive letters, UNC, backslashes),
 * `file://` URLs (percent-decoded) and `webpack://` and `webpack-internal:///` source-map URLs. Undefined for other URL schemes
 * (`node:`, `http:`, `jrt:` …), empty paths, and paths whose `..` climbs above their start.
 */
export function normalizeForeignPath(raw: string): NormalizedPath | undefined {
  let p = raw.trim();
  if (p === '') return undefined;
  let drive: string | undefined;
  const scheme = URL_SCHEME.exec(p);
  if (scheme && !WINDOWS_DRIVE.test(p)) {
    const name = scheme[1]!.toLowerCase();
    if (name === 'file') {
      p = p.slice(5);
      // file:///path and file://host/share/path; the host part of a local URL is empty or "localhost"
      if (p.startsWith('//localhost/')) p = p.slice(11);
      else if (p.startsWith('///')) p = p.slice(2);
      try {
        p = decodeURIComponent(p);
      } catch {
        return undefined;
      }
      // file:///C:/x → /C:/x
      if (p.length > 2 && p[0] === '/' && WINDOWS_DRIVE.test(p.slice(1))) p = p.slice(1);
    } else if (name === 'webpack-internal') {
      const m = WEBPACK_INTERNAL_PREFIX.exec(p);
      if (!m) return undefined;
      p = p.slice(m[0].length);
    } else if (name === 'webpack') {
      const m = WEBPACK_PREFIX.exec(p);
      if (!m) return undefined;
      p = p.slice(m[0].length);
    } else {
      return undefined;
    }
  }
  const d = WINDOWS_DRIVE.exec(p);
  if (d) {
    drive = d[1]!.toLowerCase();
    p = p.slice(2);
  }
  const absolute = drive !== undefined || p.startsWith('/') || p.startsWith('\\');
  const segments: string[] = [];
  for (const seg of p.split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else {
      segments.push(seg);
    }
  }
  if (segments.length === 0) return undefined;
  return drive === undefined ? { absolute, segments } : { absolute, drive, segments };
}

/**
 * True for paths that are third-party, runtime or synthetic code (node_modules, site-packages, GOROOT,
 * the Python and Ruby standard libraries, rustc's std, `<anonymous>` …). Such paths are never mapped.
 */
export function isLibraryPath(path: NormalizedPath): boolean {
  const s = path.segments;
  if (s[0] === 'rustc' && path.absolute) return true;
  // C and C++ system headers and toolchain libraries
  if (path.absolute && s[0] === 'usr' && isSystemInclude(s)) return true;
  // Node before `node:` prefixes: internal/process/task_queues.js
  if (!path.absolute && s[0] === 'internal' && s[s.length - 1]!.endsWith('.js')) return true;
  return hasLibraryDirectory(s);
}

/** The directory test of isLibraryPath, which also applies to workspace files (vendored code is left out). */
function hasLibraryDirectory(s: readonly string[]): boolean {
  for (let i = 0; i < s.length; i++) {
    const seg = s[i]!;
    if (LIBRARY_SEGMENTS.has(seg)) return true;
    const c = seg.charCodeAt(0);
    // <anonymous>, <frozen importlib._bootstrap>, [eval], [native code]; not Next.js or SvelteKit route
    // folders and files such as [id], [...slug] or [[...slug]], which are application code
    if (c === 60 /* < */ || (c === 91 /* [ */ && (!ROUTE_SEGMENT.test(seg) || V8_SYNTHETIC.test(seg)))) return true;
    if (seg.includes('@v') && i > 0 && s[i - 1]!.includes('.')) return true; // Go module cache: github.com/x/y@v1.2.3
    const next = s[i + 1];
    if (next === undefined) continue;
    if (seg === 'pkg' && next === 'mod') return true;
    // CARGO_HOME is ~/.cargo, or /usr/local/cargo in the official Rust images
    if (seg === 'cargo' && (next === 'registry' || next === 'git')) return true;
    if (seg.toLowerCase() === 'lib' && (PYTHON_LIB_SEGMENT.test(next) || next === 'ruby')) return true;
    if (seg === 'src' && GO_STD_PACKAGES.has(next) && isGoRoot(s, i)) return true;
    if (seg === 'deps' && i + 2 < s.length - 1 && DEP_SOURCE_DIRS.has(s[i + 2]!)) return true;
    // build output: Cargo's target/debug/build/<crate>/out, Maven's target/generated-sources, Gradle's build/generated
    if (seg === 'target' && (next === 'debug' || next === 'release' || next === 'generated-sources')) return true;
    if (seg === 'build' && next === 'generated') return true;
  }
  return false;
}

/** /usr/include, /usr/local/include, /usr/lib/gcc/…, /usr/lib/llvm-17/… */
function isSystemInclude(s: readonly string[]): boolean {
  const a = s[1];
  if (a === 'include') return true;
  if (a === 'local') return s[2] === 'include';
  return a === 'lib' && s[2] !== undefined && /^(?:gcc|llvm|clang)/.test(s[2]);
}

/**
 * Files that a code generator wrote (gRPC and protobuf stubs, designer and source-generator output): real
 * files, but not where anyone wrote the code that ran, so a stack frame in one is passed over like a library's.
 */
const GENERATED_FILE =
  /(?:\.pb(?:\.gw|\.validate)?\.go|_pb2(?:_grpc)?\.pyi?|Grpc(?:Kt)?\.(?:java|kt)|\.g\.(?:i\.)?cs|Grpc\.cs|_pb\.rb|_services_pb\.rb|_(?:grpc_)?pb\.(?:js|ts|d\.ts)|\.pb\.(?:cc|h)|\.grpc\.pb\.(?:cc|h)|\.pb\.ex|\.pb\.rs|\.generated\.\w+|_generated\.go|\.designer\.cs)$/i;
const GENERATED_NAME = /^zz_generated\./;

export function isGeneratedFile(path: NormalizedPath): boolean {
  const base = path.segments[path.segments.length - 1]!;
  return GENERATED_FILE.test(base) || GENERATED_NAME.test(base);
}

/** A `go`, `go1.22.0` or `go-1.21` directory a few levels above `src` (e.g. /opt/hostedtoolcache/go/1.22.0/x64/src). */
function isGoRoot(s: readonly string[], src: number): boolean {
  for (let j = Math.max(0, src - 3); j < src; j++) if (GO_ROOT_SEGMENT.test(s[j]!)) return true;
  return false;
}

interface MappingRule {
  key: NormalizedPath;
  keyText: string;
  /** workspace-relative prefix (with folder name in multi-root), '' for a folder root */
  target: string;
}

interface FolderRoot {
  name: string;
  root: NormalizedPath;
}

/**
 * Resolves foreign paths against a fixed workspace listing. Lookups walk a reverse-suffix trie from the file
 * name towards the root, so their cost is the depth of the path, not the number of workspace files.
 */
export class PathMapper {
  /** problems with the configuration (e.g. a mapping that points outside every folder), for the user */
  readonly warnings: string[] = [];

  private readonly fileList: string[] = [];
  private readonly fileSet = new Set<string>();
  /** the base names of fileList's files, for a lookup before building paths to try */
  private readonly baseNames = new Set<string>();
  /** trie edges: `${parentNode}/${segment}` → child node; node 0 is the root */
  private readonly edges = new Map<string, number>();
  /** per node: how many files end with the node's suffix, and the first of them */
  private readonly counts: number[] = [0];
  private readonly firsts: number[] = [-1];
  /** per node with count > 1: the first AMBIGUITY_LIMIT files */
  private readonly many = new Map<number, number[]>();
  private readonly roots: FolderRoot[] = [];
  private readonly rules: MappingRule[] = [];
  private readonly multiRoot: boolean;
  private readonly cache = new Map<string, MapResult>();

  constructor(listing: WorkspaceListing, pathMappings: PathMappings = {}) {
    this.multiRoot = listing.folders.length > 1;
    for (const f of listing.folders) {
      const root = normalizeForeignPath(f.root);
      if (root?.absolute) this.roots.push({ name: f.name, root });
    }
    // the deepest root first, so that a folder nested in another claims its own files
    this.roots.sort((a, b) => b.root.segments.length - a.root.segments.length);
    let rejected = 0;
    for (const file of listing.files) {
      if (!this.addFile(file)) rejected++;
    }
    if (rejected > 0) this.warnings.push(`${rejected} workspace file path(s) were not workspace-relative and are ignored`);
    for (const [from, to] of Object.entries(pathMappings)) this.addRule(from, to, listing.folders);
    this.rules.sort((a, b) => b.key.segments.length - a.key.segments.length);
  }

  /** Number of workspace files indexed. */
  get size(): number {
    return this.fileList.length;
  }

  /** Whether `file` (workspace-relative) is in the listing. */
  has(file: string): boolean {
    return this.fileSet.has(file);
  }

  /**
   * The workspace file a foreign path refers to: by a configured mapping first, then by a folder root
   * that contains it, then as a path relative to a folder, then by the longest path suffix that is unique.
   * `{ ambiguous }` when the longest matching suffix fits several files; undefined for library paths, paths
   * that escape their start, other URL schemes, and paths nothing in the workspace ends like.
   */
  map(foreignPath: string): MapResult {
    const cached = this.cache.get(foreignPath);
    if (cached !== undefined || this.cache.has(foreignPath)) return cached;
    const result = this.mapUncached(foreignPath);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(foreignPath, result);
    return result;
  }

  /** Like `map`, for a path already normalised (e.g. built from a Java package and file name). */
  mapNormalized(path: NormalizedPath): MapResult {
    if (isLibraryPath(path)) return undefined;
    if (path.absolute) {
      const rule = this.rules.find((r) => startsWith(path, r.key));
      if (rule) {
        const rest = path.segments.slice(rule.key.segments.length).join('/');
        const file = rule.target === '' ? rest : rest === '' ? rule.target : `${rule.target}/${rest}`;
        // the user said where this prefix lives: no guessing past it
        return this.fileSet.has(file) ? this.mapped(file, `pathMappings "${rule.keyText}"`, 'mapping', path) : undefined;
      }
      for (const { name, root } of this.roots) {
        if (!startsWith(path, root)) continue;
        const rest = path.segments.slice(root.segments.length).join('/');
        const file = this.multiRoot ? `${name}/${rest}` : rest;
        // inside a folder but not listed (excluded, or a symlink out): it is that file or nothing
        return this.fileSet.has(file) ? this.mapped(file, `inside workspace folder ${name}`, 'folder', path) : undefined;
      }
    } else {
      const rel = path.segments.join('/');
      if (!this.multiRoot && this.fileSet.has(rel)) return this.mapped(rel, 'relative to the workspace folder', 'relative', path);
      if (this.multiRoot) {
        const hits = this.roots.map((r) => `${r.name}/${rel}`).filter((f) => this.fileSet.has(f));
        if (hits.length === 1) return this.mapped(hits[0]!, 'relative to a workspace folder', 'relative', path);
      }
    }
    return this.bySuffix(path.segments);
  }

  private mapUncached(foreignPath: string): MapResult {
    const path = normalizeForeignPath(foreignPath);
    return path === undefined ? undefined : this.mapNormalized(path);
  }

  private mapped(file: string, reason: string, by: MappedBy, path: NormalizedPath): MappedPath {
    return { file, reason, by, matchedSegments: Math.min(path.segments.length, file.split('/').length) };
  }

  /** Whether any workspace file (not library code) has this base name: a lookup before building paths to try. */
  hasFileNamed(base: string): boolean {
    return this.baseNames.has(base);
  }

  private bySuffix(segments: readonly string[]): MapResult {
    let node = 0;
    let matched = 0;
    for (let i = segments.length - 1; i >= 0; i--) {
      const next = this.edges.get(`${node}/${segments[i]!}`);
      if (next === undefined) break;
      node = next;
      matched++;
    }
    if (matched === 0) return undefined;
    const suffix = segments.slice(segments.length - matched).join('/');
    const count = this.counts[node]!;
    if (count === 1) {
      const file = this.fileList[this.firsts[node]!]!;
      return { file, reason: `unique path suffix "${suffix}"`, by: 'suffix', matchedSegments: matched };
    }
    const ids = this.many.get(node) ?? [];
    return { ambiguous: ids.map((i) => this.fileList[i]!), count, suffix };
  }

  private addFile(file: string): boolean {
    if (this.fileSet.has(file)) return true;
    const segments = file.split('/');
    if (file.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) return false;
    // installed and vendored code is never an answer, so it must not compete for a suffix either
    if (hasLibraryDirectory(segments)) return true;
    const id = this.fileList.length;
    this.fileList.push(file);
    this.fileSet.add(file);
    this.baseNames.add(segments[segments.length - 1]!);
    let node = 0;
    for (let i = segments.length - 1; i >= 0; i--) {
      const key = `${node}/${segments[i]!}`;
      let child = this.edges.get(key);
      if (child === undefined) {
        child = this.counts.length;
        this.edges.set(key, child);
        this.counts.push(0);
        this.firsts.push(id);
      }
      node = child;
      const count = ++this.counts[node]!;
      if (count === 2) this.many.set(node, [this.firsts[node]!, id]);
      else if (count > 2) {
        const list = this.many.get(node)!;
        if (list.length < AMBIGUITY_LIMIT) list.push(id);
      }
    }
    return true;
  }

  private addRule(from: string, to: string, folders: readonly WorkspaceFolderInfo[]): void {
    const key = normalizeForeignPath(from);
    if (!key?.absolute) {
      this.warnings.push(`pathMappings: "${from}" is not an absolute path and is ignored`);
      return;
    }
    const local = normalizeForeignPath(substituteFolders(to, folders) ?? '');
    const target = local?.absolute ? this.workspaceRelative(local) : undefined;
    if (target === undefined) {
      this.warnings.push(`pathMappings: "${from}" → "${to}" does not point inside a workspace folder and is ignored`);
      return;
    }
    this.rules.push({ key, keyText: from, target });
  }

  /** The workspace-relative form of a local absolute path, or undefined when it lies outside every folder. */
  private workspaceRelative(local: NormalizedPath): string | undefined {
    for (const { name, root } of this.roots) {
      if (!startsWith(local, root)) continue;
      const rest = local.segments.slice(root.segments.length);
      if (this.multiRoot) rest.unshift(name);
      return rest.join('/');
    }
    return undefined;
  }
}

/** `${workspaceFolder}` → the first folder's root, `${workspaceFolder:name}` → that folder's root. */
function substituteFolders(value: string, folders: readonly WorkspaceFolderInfo[]): string | undefined {
  let unknown = false;
  const out = value.replace(/\$\{workspaceFolder(?::([^}]*))?\}/g, (_m, name: string | undefined) => {
    const folder = name === undefined ? folders[0] : folders.find((f) => f.name === name);
    if (!folder) unknown = true;
    return folder?.root ?? '';
  });
  return unknown ? undefined : out;
}

function startsWith(path: NormalizedPath, prefix: NormalizedPath): boolean {
  if (prefix.drive !== undefined && prefix.drive !== path.drive) return false;
  if (prefix.segments.length > path.segments.length) return false;
  for (let i = 0; i < prefix.segments.length; i++) if (path.segments[i] !== prefix.segments[i]) return false;
  return true;
}
