/** The index from a server span's `http.route` (+ method) to the registrations and handlers that serve it. */
import { extractHandlers, extractRoutes } from './extractRoutes';
import { normalizeRoute, segmentsOf } from './normalizeRoute';
import type { HandlerDefinition, RouteDefinition } from './routeTypes';

interface Entry {
  def: RouteDefinition;
  segments: string[];
}

/** Route definitions by normalised route; handler definitions by file and symbol. */
export class RouteIndex {
  private readonly exact = new Map<string, Entry[]>();
  private readonly folded = new Map<string, Entry[]>();
  /** partial definitions by their last segment, for paths served under a prefix set elsewhere */
  private readonly tails = new Map<string, Entry[]>();
  private readonly byFile = new Map<string, Entry[]>();
  private readonly handlers = new Map<string, Map<string, HandlerDefinition>>();

  add(defs: readonly RouteDefinition[]): void {
    for (const def of defs) {
      const key = normalizeRoute(def.route);
      const e: Entry = { def, segments: segmentsOf(key) };
      push(this.exact, key, e);
      push(this.folded, key.toLowerCase(), e);
      if (def.partial) push(this.tails, e.segments[e.segments.length - 1] ?? '', e);
      push(this.byFile, def.file, e);
    }
  }

  /** Definitions that routes in other files point to (extractHandlers). */
  addHandlers(defs: readonly HandlerDefinition[]): void {
    for (const h of defs) {
      let symbols = this.handlers.get(h.file);
      if (!symbols) this.handlers.set(h.file, (symbols = new Map()));
      if (!symbols.has(h.symbol)) symbols.set(h.symbol, h);
    }
  }

  /** Replaces whatever `file` contributed with what its current text defines. */
  addFile(file: string, text: string): void {
    this.removeFile(file);
    this.add(extractRoutes(file, text));
    this.addHandlers(extractHandlers(file, text));
  }

  removeFile(file: string): void {
    this.handlers.delete(file);
    const entries = this.byFile.get(file);
    if (!entries) return;
    this.byFile.delete(file);
    const gone = new Set(entries);
    const drop = (map: Map<string, Entry[]>, key: string) => {
      const list = map.get(key)?.filter((e) => !gone.has(e));
      if (list?.length) map.set(key, list);
      else map.delete(key);
    };
    for (const e of entries) {
      const key = '/' + e.segments.join('/');
      drop(this.exact, key);
      drop(this.folded, key.toLowerCase());
      if (e.def.partial) drop(this.tails, e.segments[e.segments.length - 1] ?? '');
    }
  }

  /**
   * Handlers of `route` (an `http.route` template, optionally "GET /path"), best first: the exact method
   * before any-method registrations, full routes before partial ones. Tried in turn: the same template, the
   * same ignoring case (ASP.NET and Spring match case-insensitively), a partial route that ends the path.
   */
  match(method: string | undefined, route: string): RouteDefinition[] {
    let m = method?.trim().toUpperCase() || undefined;
    let r = route.trim();
    const prefixed = /^([A-Za-z]+)\s+(\S+)$/.exec(r);
    if (prefixed) {
      m ??= prefixed[1]!.toUpperCase();
      r = prefixed[2]!;
    }
    const key = normalizeRoute(r);
    const tiers = [() => this.exact.get(key), () => this.folded.get(key.toLowerCase()), () => this.byTail(segmentsOf(key))];
    for (const tier of tiers) {
      const found = byMethod(tier() ?? [], m);
      if (found.length > 0) return this.resolve(found);
    }
    return [];
  }

  /** Longest partial routes first; a tail of placeholders alone says too little to count. */
  private byTail(path: string[]): Entry[] {
    const candidates = this.tails.get(path[path.length - 1] ?? '') ?? [];
    return candidates
      .filter((e) => {
        const n = e.segments.length;
        if (n === 0 || n >= path.length || !e.segments.some((s) => s !== '{}')) return false;
        return e.segments.every((s, i) => s === path[path.length - n + i]);
      })
      .sort((a, b) => b.segments.length - a.segments.length);
  }

  private resolve(entries: Entry[]): RouteDefinition[] {
    const seen = new Set<string>();
    const out: RouteDefinition[] = [];
    for (const { def } of entries) {
      const d = this.resolveTarget(def);
      const key = `${d.file}:${d.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    return out;
  }

  private resolveTarget(def: RouteDefinition): RouteDefinition {
    if (!def.target) return def;
    for (const file of def.target.files) {
      const h = this.handlers.get(file)?.get(def.target.symbol);
      if (h) return { ...def, file: h.file, line: h.line };
    }
    return def;
  }
}

function byMethod(entries: Entry[], method: string | undefined): Entry[] {
  const fullFirst = (list: Entry[]) => [...list.filter((e) => !e.def.partial), ...list.filter((e) => e.def.partial)];
  if (method === undefined) return fullFirst(entries);
  let exact = entries.filter((e) => e.def.method === method);
  // every framework that registers GET answers HEAD with it
  if (exact.length === 0 && method === 'HEAD') exact = entries.filter((e) => e.def.method === 'GET');
  return [...fullFirst(exact), ...fullFirst(entries.filter((e) => e.def.method === undefined))];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
