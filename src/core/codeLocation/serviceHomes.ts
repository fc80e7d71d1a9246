/**
 * The folders each service's code lives in ("homes"): the roots its declarations give (serviceNames.ts), and
 * folders named exactly like the service. Kept fresh as files and the listing change; answers are cached
 * until then. A span's service picks among places a name fits, and keeps out places that are another
 * service's code.
 */
import {
  composeRoot,
  distinctComposeRoots,
  extractServiceDeclarations,
  PROJECT_MANIFESTS,
  readEnvFile,
  type ServiceDeclaration,
} from './serviceNames';
import { squash } from './spelling';

/**
 * Declarations that set a deployed service's name (OTEL_SERVICE_NAME in compose, Dockerfile or `.env`; Spring's
 * application name; appsettings' ServiceName), not a project's, a compose key's or a name in code: only these
 * make another service's home.
 */
const EXPLICIT_VIA = / in a compose file$|^Dockerfile$|^\.env$|^spring\.application\.name$|^appsettings$/;

export interface ServiceHomesSource {
  /** whether the listing has this workspace-relative file */
  has(file: string): boolean;
  /** the source files the index reads, for folder names */
  sourceFiles(): Iterable<string>;
}

export class ServiceHomes {
  private readonly declared = new Map<string, ServiceDeclaration[]>();
  /** `.env` files by folder, for compose variables */
  private readonly envs = new Map<string, Map<string, string>>();
  /** squashed service name → declared roots */
  private roots: Map<string, string[]> | undefined;
  /** squashed folder name → folders holding source files */
  private folders: Map<string, string[]> | undefined;
  private readonly homesCache = new Map<string, readonly string[]>();
  private othersCache = new Map<string, readonly string[]>();

  constructor(private readonly source: ServiceHomesSource) {}

  /** Reads what `file` declares; returns whether it declared anything. */
  add(file: string, text: string): boolean {
    const base = file.slice(file.lastIndexOf('/') + 1);
    let changed = false;
    if (base === '.env') {
      this.envs.set(file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '', readEnvFile(text));
      changed = true;
    }
    const decls = extractServiceDeclarations(file, text);
    if (decls.length > 0) {
      this.declared.set(file, decls);
      changed = true;
    }
    if (changed) this.invalidate();
    return decls.length > 0;
  }

  remove(file: string): void {
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    const env = file.endsWith('/.env') || file === '.env' ? this.envs.delete(dir) : false;
    if (this.declared.delete(file) || env) this.invalidate();
  }

  /** The listing changed: project roots and folder names may differ. */
  listingChanged(keep: (file: string) => boolean): void {
    for (const file of [...this.declared.keys()]) if (!keep(file)) this.declared.delete(file);
    for (const dir of [...this.envs.keys()]) if (!keep(dir === '' ? '.env' : `${dir}/.env`)) this.envs.delete(dir);
    this.invalidate();
    this.folders = undefined;
  }

  /** Folders its declarations give the service, '' for the workspace root. */
  declaredRoots(service: string): readonly string[] {
    this.roots ??= this.buildRoots();
    return this.roots.get(squashService(service)) ?? [];
  }

  /** Where the service's code lives: declared roots, else folders named exactly like the service. */
  homes(service: string): readonly string[] {
    const key = squashService(service);
    let homes = this.homesCache.get(key);
    if (!homes) {
      const declared = this.declaredRoots(service);
      homes = declared.length > 0 ? declared : key.length >= 2 ? this.foldersNamed(key) : [];
      this.homesCache.set(key, homes);
    }
    return homes;
  }

  /** Homes of every other service the workspace declares, for keeping another service's code out. */
  otherHomes(service: string): readonly string[] {
    const key = squashService(service);
    let others = this.othersCache.get(key);
    if (!others) {
      this.roots ??= this.buildRoots();
      const own = new Set(this.homes(service));
      const set = new Set<string>();
      for (const name of this.explicitNames()) {
        if (name === key) continue;
        for (const h of this.homes(name)) if (!own.has(h) && h !== '') set.add(h);
      }
      others = [...set];
      this.othersCache.set(key, others);
    }
    return others;
  }

  /** Names declared as deployed services (compose, Dockerfile, .env, Spring, appsettings), not as projects or in code. */
  private explicitNames(): Set<string> {
    const names = new Set<string>();
    for (const decls of this.declared.values())
      for (const d of decls) if (EXPLICIT_VIA.test(d.via)) names.add(squashService(d.name));
    return names;
  }

  private invalidate(): void {
    this.roots = undefined;
    this.homesCache.clear();
    this.othersCache.clear();
  }

  private foldersNamed(key: string): string[] {
    if (!this.folders) {
      const folders = new Map<string, string[]>();
      const seen = new Set<string>();
      for (const file of this.source.sourceFiles()) {
        for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) {
          const dir = file.slice(0, i);
          if (seen.has(dir)) continue;
          seen.add(dir);
          const name = squashService(dir.slice(dir.lastIndexOf('/') + 1));
          const list = folders.get(name);
          if (list) list.push(dir);
          else folders.set(name, [dir]);
        }
      }
      this.folders = folders;
    }
    return this.folders.get(key) ?? [];
  }

  private buildRoots(): Map<string, string[]> {
    const roots = new Map<string, string[]>();
    const add = (name: string, root: string) => {
      const key = squashService(name);
      const list = roots.get(key) ?? [];
      if (!list.includes(root)) list.push(root);
      roots.set(key, list);
    };
    for (const [file, decls] of this.declared) {
      const builds: { decl: ServiceDeclaration; service: string; root: string }[] = [];
      for (const d of decls) {
        if (d.build) {
          const root = composeRoot(d.build, this.envs.get(d.build.dir) ?? new Map());
          if (root !== undefined) builds.push({ decl: d, service: d.build.service, root });
          else roots.set(squashService(d.name), roots.get(squashService(d.name)) ?? []);
        } else {
          add(d.name, d.root ?? this.projectRoot(file));
        }
      }
      const kept = distinctComposeRoots(builds);
      for (const b of builds) {
        if (kept.has(b.root)) add(b.decl.name, b.root);
        else roots.set(squashService(b.decl.name), roots.get(squashService(b.decl.name)) ?? []);
      }
    }
    return roots;
  }

  /** The nearest folder above `file` holding a project manifest; the file's folder when none does. */
  private projectRoot(file: string): string {
    const own = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    for (let dir = own; ; dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') {
      const prefix = dir === '' ? '' : `${dir}/`;
      if (PROJECT_MANIFESTS.some((m) => this.source.has(prefix + m))) return dir;
      if (dir === '') return own;
    }
  }
}

/** `Product-Catalog`, `product_catalog`, `@shop/productcatalog` → `productcatalog`. */
export function squashService(name: string): string {
  return squash(name.replace(/^@[^/]+\//, ''));
}

/** `isUnder`'s sets of many folders, kept per (cached, never mutated) folder list. */
const folderSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Whether `file` is inside one of `folders` ('' holds everything). */
export function isUnder(file: string, folders: readonly string[]): boolean {
  if (folders.length <= 4) {
    for (const f of folders) if (f === '' || (file.startsWith(f) && file.charCodeAt(f.length) === 47)) return true;
    return false;
  }
  // a service declared in many files has many homes: look its file's folders up instead of every home
  let set = folderSets.get(folders);
  if (!set) folderSets.set(folders, (set = new Set(folders)));
  if (set.has('')) return true;
  for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) if (set.has(file.slice(0, i))) return true;
  return false;
}
