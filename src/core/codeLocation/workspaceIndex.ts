/**
 * What the workspace defines, for mapping spans that carry no file path: function and class definitions,
 * span-start calls and HTTP route handlers, plus the PathMapper over the file listing. Built in chunks from
 * a port (yielding to the event loop, cancellable, with progress) and kept fresh by `update` / `remove`
 * from file watchers. Entries are compact (names, lines, file ids); file texts are never kept.
 */
import {
  isLibraryPath,
  normalizeForeignPath,
  PathMapper,
  type PathMappings,
  type WorkspaceFiles,
  type WorkspaceListing,
} from './pathMapper';
import { extractDefinitions, languageOf, type Definition, type SourceLanguage } from './definitions';
import { extractHandlers, extractRoutes, RouteIndex, type RouteCandidate, type RouteDefinition, type RouteMount } from './routes';
import { hasGeneratedHeader, isGeneratedFile } from './generatedCode';
import { extractRpcServices } from './rpcServices';
import { ServiceHomes } from './serviceHomes';
import { isServiceManifest } from './serviceNames';
import { extractSpanStarts, extractTracerNames, type SpanNamePattern, type SpanStart } from './spanStarts';
import { dropFrom, push } from './multiMap';

/** The port the index reads through; the Node and VS Code implementations apply size caps and excludes. */
export interface WorkspaceSource extends WorkspaceFiles {
  /** The text of a listed file; undefined when it is gone, too large or binary. */
  readText(file: string): Promise<string | undefined>;
}

export interface IndexProgress {
  /** source files read so far */
  done: number;
  /** source files to read */
  total: number;
}

export interface WorkspaceIndexOptions {
  pathMappings?: PathMappings;
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
  /** files read concurrently between two yields to the event loop */
  chunkSize?: number;
  /** characters; longer texts (generated code, bundles) are not indexed */
  maxFileChars?: number;
}

export interface DefinitionHit {
  file: string;
  /** 1-based */
  line: number;
  name: string;
  qualifier: readonly string[];
  kind: Definition['kind'];
}

export interface SpanStartHit extends Omit<SpanStart, 'pattern'> {
  file: string;
  pattern?: SpanNamePattern;
}

export interface IndexStats {
  /** files in the listing */
  files: number;
  /** source files read and indexed */
  indexed: number;
  /** source files left out: unreadable, too large or binary */
  skipped: number;
  definitions: number;
  spanStarts: number;
  routes: number;
}

const DEFAULT_CHUNK = 64;
export const DEFAULT_MAX_FILE_CHARS = 1024 * 1024;
/** Per file: a generated file with more definitions than this adds nothing a person would look for. */
const MAX_ENTRIES_PER_FILE = 5000;
const BINARY_PROBE = 8192;

interface FileRecord {
  path: string;
  lang: SourceLanguage;
  defNames: string[];
  startNames: string[];
  patterns: number;
  routes: number;
  tracers: string[];
  /** RPC services the file implements, squashed (rpcServices.ts) */
  rpcServices: string[];
  /** a generator's "do not edit" header opens the file */
  generated: boolean;
}

interface DefEntry {
  file: number;
  line: number;
  /** '.'-joined and interned: one string per distinct scope */
  qualifier: string;
  kind: Definition['kind'];
}

interface StartEntry extends Omit<SpanStart, 'pattern'> {
  file: number;
  pattern?: SpanNamePattern & { re?: RegExp };
}

export class WorkspaceIndex {
  private folders: WorkspaceListing['folders'];
  private readonly listed = new Set<string>();
  private readonly pathMappings: PathMappings;
  private mapperCache: PathMapper | undefined;
  private readonly records: (FileRecord | undefined)[] = [];
  private readonly ids = new Map<string, number>();
  private readonly freeIds: number[] = [];
  private readonly defs = new Map<string, DefEntry[]>();
  private readonly starts = new Map<string, StartEntry[]>();
  private patterns: StartEntry[] = [];
  private readonly routeIndex = new RouteIndex();
  private readonly qualifiers = new Map<string, string>();
  /** each interned qualifier's parts, split once: lookups of common names (`get`, `index`) touch thousands */
  private readonly qualifierParts = new Map<string, readonly string[]>();
  /** where each service's code lives, from manifests, compose files and tracing code */
  private readonly homes = new ServiceHomes({
    has: (file) => this.listed.has(file),
    sourceFiles: () => this.ids.keys(),
  });
  private skippedCount = 0;
  private readonly maxFileChars: number;

  constructor(listing: WorkspaceListing, options: Pick<WorkspaceIndexOptions, 'pathMappings' | 'maxFileChars'> = {}) {
    this.folders = listing.folders;
    for (const f of listing.files) this.listed.add(f);
    this.pathMappings = options.pathMappings ?? {};
    this.maxFileChars = options.maxFileChars ?? DEFAULT_MAX_FILE_CHARS;
  }

  /** Maps foreign paths to listed files; rebuilt after the listing changed. */
  get mapper(): PathMapper {
    this.mapperCache ??= new PathMapper({ folders: this.folders, files: [...this.listed] }, this.pathMappings);
    return this.mapperCache;
  }

  get stats(): IndexStats {
    let definitions = 0;
    for (const list of this.defs.values()) definitions += list.length;
    let spanStarts = this.patterns.length;
    for (const list of this.starts.values()) spanStarts += list.length;
    let routes = 0;
    for (const rec of this.records) routes += rec?.routes ?? 0;
    return { files: this.listed.size, indexed: this.ids.size, skipped: this.skippedCount, definitions, spanStarts, routes };
  }

  /** Whether a workspace-relative path is a file the index should read (a source file outside library folders). */
  static isSourceFile(file: string): boolean {
    if (languageOf(file) === undefined && !isServiceManifest(file)) return false;
    const path = normalizeForeignPath(file);
    return path !== undefined && !isLibraryPath(path);
  }

  /** A created or changed file (workspace-relative): re-indexes it from `text` and adds it to the listing. */
  update(file: string, text: string): void {
    if (!this.listed.has(file)) {
      this.listed.add(file);
      this.mapperCache = undefined;
      // a new manifest can move the project root of names declared in code
      this.homes.listingChanged(() => true);
    }
    this.unindex(file);
    if (WorkspaceIndex.isSourceFile(file)) this.indexText(file, text);
  }

  /** A deleted file: drops its entries and takes it out of the listing. */
  remove(file: string): void {
    this.unindex(file);
    if (this.listed.delete(file)) {
      this.mapperCache = undefined;
      this.homes.listingChanged((f) => f !== file);
    }
  }

  /** Workspace folders changed: the new listing replaces the old; entries of files no longer listed go. */
  setListing(listing: WorkspaceListing): void {
    this.folders = listing.folders;
    const next = new Set(listing.files);
    for (const file of [...this.ids.keys()]) if (!next.has(file)) this.unindex(file);
    this.listed.clear();
    for (const f of next) this.listed.add(f);
    this.mapperCache = undefined;
    this.homes.listingChanged((file) => next.has(file));
  }

  /** The language of an indexed file. */
  languageOf(file: string): SourceLanguage | undefined {
    const id = this.ids.get(file);
    return id === undefined ? undefined : this.records[id]?.lang;
  }

  /** RPC services the file implements (squashed names, e.g. `cartservice`); see rpcServices.ts. */
  rpcServicesOf(file: string): readonly string[] {
    const id = this.ids.get(file);
    return id === undefined ? [] : (this.records[id]?.rpcServices ?? []);
  }

  /** Whether a code generator wrote the file, by its name or its header. */
  isGenerated(file: string): boolean {
    if (isGeneratedFile(file)) return true;
    const id = this.ids.get(file);
    return id !== undefined && this.records[id]?.generated === true;
  }

  /** Tracer (instrumentation scope) names the file creates. */
  tracerNames(file: string): readonly string[] {
    const id = this.ids.get(file);
    return id === undefined ? [] : (this.records[id]?.tracers ?? []);
  }

  /** Definitions named exactly `name`. */
  definitions(name: string): DefinitionHit[] {
    const list = this.defs.get(name);
    if (!list) return [];
    return list.map((d) => ({
      file: this.records[d.file]!.path,
      line: d.line,
      name,
      qualifier: this.partsOf(d.qualifier),
      kind: d.kind,
    }));
  }

  /** Span starts whose constant name is `name`. */
  spanStartsNamed(name: string): SpanStartHit[] {
    return (this.starts.get(name) ?? []).map((s) => this.startHit(s));
  }

  /**
   * Span starts whose name pattern (from a template or format string) matches `name`, among patterns with at
   * least `minLiterals` literal characters (`${method} ${path}` has none and fits any name).
   */
  spanStartsMatching(name: string, minLiterals = 0): SpanStartHit[] {
    const out: SpanStartHit[] = [];
    for (const s of this.patterns) {
      const p = s.pattern!;
      if (p.literalChars < minLiterals) continue;
      p.re ??= new RegExp(p.source, 's');
      if (p.re.test(name)) out.push(this.startHit(s));
    }
    return out;
  }

  /** Handlers of an HTTP route template (`http.route`), best first; see RouteIndex.match. */
  routes(method: string | undefined, route: string): RouteDefinition[] {
    return this.routeIndex.match(method, route);
  }

  /** Every registration that may serve an HTTP route template, with how well it fits; see RouteIndex.candidates. */
  routeCandidates(method: string | undefined, route: string): RouteCandidate[] {
    return this.routeIndex.candidates(method, route);
  }

  /** Whether a route's handler is defined at `file`:`line`. */
  isRouteHandler(file: string, line: number): boolean {
    return this.routeIndex.isHandlerAt(file, line);
  }

  /** Registrations whose template matches a concrete request path; see RouteIndex.matchPath. */
  routesForPath(method: string | undefined, path: string): RouteCandidate[] {
    return this.routeIndex.matchPath(method, path);
  }

  /** Folders the workspace declares for the service (compose builds, manifests, tracing setup code); see ServiceHomes. */
  serviceRoots(service: string): readonly string[] {
    return this.homes.declaredRoots(service);
  }

  /** Where the service's code lives: its declared folders, else folders named exactly like it. */
  serviceHomes(service: string): readonly string[] {
    return this.homes.homes(service);
  }

  /** The homes of every other service the workspace declares. */
  otherServiceHomes(service: string): readonly string[] {
    return this.homes.otherHomes(service);
  }

  /** Indexes a listed source file's text (no listing change); used by the builder and `update`. */
  indexText(file: string, text: string): void {
    if (text.length > this.maxFileChars || text.slice(0, BINARY_PROBE).includes('\0')) {
      this.skippedCount++;
      return;
    }
    this.homes.add(file, text);
    const lang = languageOf(file);
    if (lang === undefined) return;
    const id = this.freeIds.pop() ?? this.records.length;
    const rec: FileRecord = {
      path: file,
      lang,
      defNames: [],
      startNames: [],
      patterns: 0,
      routes: 0,
      tracers: [],
      rpcServices: [],
      generated: false,
    };
    this.records[id] = rec;
    this.ids.set(file, id);
    const definitions = extractDefinitions(file, text, lang).slice(0, MAX_ENTRIES_PER_FILE);
    for (const d of definitions) {
      push(this.defs, d.name, { file: id, line: d.line, qualifier: this.intern(d.qualifier.join('.')), kind: d.kind });
      rec.defNames.push(d.name);
    }
    for (const s of extractSpanStarts(file, text, lang, definitions).slice(0, MAX_ENTRIES_PER_FILE)) {
      const entry: StartEntry = { ...s, file: id };
      if (s.name !== undefined) {
        push(this.starts, s.name, entry);
        rec.startNames.push(s.name);
      } else {
        this.patterns.push(entry);
        rec.patterns++;
      }
    }
    const mounts: RouteMount[] = [];
    const routes = extractRoutes(file, text, mounts).slice(0, MAX_ENTRIES_PER_FILE);
    this.routeIndex.add(routes, mounts.slice(0, MAX_ENTRIES_PER_FILE));
    this.routeIndex.addHandlers(extractHandlers(file, text));
    rec.routes = routes.length;
    rec.tracers = extractTracerNames(file, text, lang);
    rec.rpcServices = extractRpcServices(text, lang);
    rec.generated = hasGeneratedHeader(text);
  }

  /** A source file the port could not give (gone, too large, binary): counted in `stats.skipped`. */
  noteSkipped(): void {
    this.skippedCount++;
  }

  private unindex(file: string): void {
    this.homes.remove(file);
    const id = this.ids.get(file);
    if (id === undefined) return;
    const rec = this.records[id]!;
    dropFile(this.defs, rec.defNames, id);
    dropFile(this.starts, rec.startNames, id);
    this.routeIndex.removeFile(file);
    if (rec.patterns > 0) this.patterns = this.patterns.filter((p) => p.file !== id);
    this.records[id] = undefined;
    this.ids.delete(file);
    this.freeIds.push(id);
  }

  private startHit(s: StartEntry): SpanStartHit {
    const { file, pattern, ...rest } = s;
    const hit: SpanStartHit = { ...rest, file: this.records[file]!.path };
    if (pattern) hit.pattern = { source: pattern.source, display: pattern.display, literalChars: pattern.literalChars };
    return hit;
  }

  private partsOf(qualifier: string): readonly string[] {
    let parts = this.qualifierParts.get(qualifier);
    if (parts === undefined) {
      parts = Object.freeze(qualifier === '' ? [] : qualifier.split('.'));
      this.qualifierParts.set(qualifier, parts);
    }
    return parts;
  }

  private intern(q: string): string {
    const known = this.qualifiers.get(q);
    if (known !== undefined) return known;
    this.qualifiers.set(q, q);
    return q;
  }
}

function dropFile<T extends { file: number }>(map: Map<string, T[]>, keys: readonly string[], id: number): void {
  for (const key of new Set(keys)) dropFrom(map, key, (e) => e.file === id);
}

/**
 * Reads every source file the port lists, `chunkSize` at a time, yielding to the event loop between chunks
 * so that an editor stays responsive on a large repository. Rejects with the signal's reason when aborted.
 */
export async function buildWorkspaceIndex(source: WorkspaceSource, options: WorkspaceIndexOptions = {}): Promise<WorkspaceIndex> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const listing = await source.listing();
  const index = new WorkspaceIndex(listing, options);
  const todo = listing.files.filter((f) => WorkspaceIndex.isSourceFile(f));
  const chunk = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
  onProgress?.({ done: 0, total: todo.length });
  for (let i = 0; i < todo.length; i += chunk) {
    signal?.throwIfAborted();
    const files = todo.slice(i, i + chunk);
    const texts = await Promise.all(files.map((f) => source.readText(f).catch(() => undefined)));
    for (let k = 0; k < files.length; k++) {
      const text = texts[k];
      if (text === undefined) index.noteSkipped();
      else index.indexText(files[k]!, text);
    }
    onProgress?.({ done: Math.min(i + chunk, todo.length), total: todo.length });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  signal?.throwIfAborted();
  return index;
}
