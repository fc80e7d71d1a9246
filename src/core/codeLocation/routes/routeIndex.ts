/** The index from a server span's `http.route` (+ method), or a concrete request path, to the registrations and handlers that serve it. */
import { extractHandlers, extractRoutes } from './extractRoutes';
import { joinPaths } from './emit';
import { normalizeRoute, segmentsOf } from './normalizeRoute';
import type { HandlerDefinition, RouteDefinition, RouteMount } from './routeTypes';
import { dropFrom, push } from '../multiMap';

interface Entry {
  def: RouteDefinition;
  segments: string[];
}

/** How a registration fits what the span says, best first. */
/**
 * `loose`: a partial route of placeholders only (`/:id` on a router mounted elsewhere), which fits any path as
 * long: evidence only together with something else that names the mount.
 */
export type RouteTier = 'exact' | 'folded' | 'tail' | 'path' | 'loose';

export interface RouteCandidate {
  def: RouteDefinition;
  tier: RouteTier;
  /** higher is better: the tier, then whole routes before partial ones, then the method (exact before any-method), longer tails first */
  score: number;
}

const TIER_SCORE: Readonly<Record<RouteTier, number>> = { exact: 400, folded: 300, path: 200, tail: 100, loose: 0 };
/** Mounts followed from a router to the outermost prefix, and prefixes kept per router: bounds on cyclic or fanned-out code. */
const MAX_MOUNT_DEPTH = 8;
const MAX_PREFIXES = 16;

/** Route definitions by normalised route; handler definitions by file and symbol; mounts by the router they mount. */
export class RouteIndex {
  private readonly exact = new Map<string, Entry[]>();
  private readonly folded = new Map<string, Entry[]>();
  /** partial definitions by their last segment, for paths served under a prefix set elsewhere */
  private readonly tails = new Map<string, Entry[]>();
  /** every entry by its number of segments, for concrete request paths */
  private readonly bySize = new Map<number, Entry[]>();
  private readonly byFile = new Map<string, Entry[]>();
  private readonly handlers = new Map<string, Map<string, HandlerDefinition>>();
  private readonly mounts = new Map<string, RouteMount[]>();
  private readonly mountsByFile = new Map<string, RouteMount[]>();
  /** partial routes with a mount key, by that key */
  private readonly mountable = new Map<string, Entry[]>();
  /** routes composed from mountable routes and the mounts naming them; rebuilt after either changed */
  private composed: RouteIndex | undefined;

  add(defs: readonly RouteDefinition[], mounts: readonly RouteMount[] = []): void {
    for (const def of defs) {
      const e = this.insert(def);
      push(this.byFile, def.file, e);
      if (def.partial && def.mountKey !== undefined) push(this.mountable, def.mountKey, e);
    }
    for (const m of mounts) {
      push(this.mounts, m.key, m);
      push(this.mountsByFile, m.file, m);
    }
    if (mounts.length > 0 || defs.some((d) => d.mountKey !== undefined)) this.composed = undefined;
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
    const mounts: RouteMount[] = [];
    this.add(extractRoutes(file, text, mounts), mounts);
    this.addHandlers(extractHandlers(file, text));
  }

  removeFile(file: string): void {
    this.handlers.delete(file);
    const mounts = this.mountsByFile.get(file);
    if (mounts) {
      this.mountsByFile.delete(file);
      const gone = new Set(mounts);
      for (const m of mounts) dropFrom(this.mounts, m.key, (x) => gone.has(x));
      this.composed = undefined;
    }
    const entries = this.byFile.get(file);
    if (!entries) return;
    this.byFile.delete(file);
    const gone = new Set(entries);
    this.remove(entries, gone);
    for (const e of entries) {
      if (e.def.mountKey === undefined) continue;
      dropFrom(this.mountable, e.def.mountKey, (x) => gone.has(x));
      this.composed = undefined;
    }
  }

  /**
   * Handlers of `route` (an `http.route` template, optionally "GET /path"), best first: the exact method
   * before any-method registrations, full routes before partial ones. Tried in turn: the same template, the
   * same ignoring case (ASP.NET and Spring match case-insensitively), a partial route that ends the path.
   * Only the first tier that has any is returned, never placeholder-only tails; `candidates` returns every tier.
   */
  match(method: string | undefined, route: string): RouteDefinition[] {
    const all = this.candidates(method, route).filter((c) => c.tier !== 'loose');
    const first = all[0];
    if (!first) return [];
    return all.filter((c) => c.tier === first.tier).map((c) => c.def);
  }

  /** Every registration that may serve `route`, each with how well it fits, best first. */
  candidates(method: string | undefined, route: string): RouteCandidate[] {
    const [m, key] = split(method, route);
    const segments = segmentsOf(key);
    const out: RouteCandidate[] = [];
    for (const index of this.withComposed()) {
      for (const e of byMethod(index.exact.get(key) ?? [], m)) out.push(candidate(e, 'exact', m));
      for (const e of byMethod(index.folded.get(key.toLowerCase()) ?? [], m)) {
        if (e.def.route !== key) out.push(candidate(e, 'folded', m));
      }
      for (const e of byMethod(index.byTail(segments), m)) out.push(candidate(e, 'tail', m));
      for (const e of byMethod(index.byLooseTail(segments), m)) out.push(candidate(e, 'loose', m));
    }
    return this.resolve(out);
  }

  /**
   * Registrations whose template matches a concrete request path (`/api/ratings/17` for `/api/ratings/{id:\d+}`),
   * for spans that carry the path but no route. More literal segments fit better.
   */
  matchPath(method: string | undefined, path: string): RouteCandidate[] {
    const [m, key] = split(method, path.replace(/[?#].*$/, ''));
    const segments = segmentsOf(key);
    const out: RouteCandidate[] = [];
    for (const index of this.withComposed()) {
      for (const e of byMethod(index.bySize.get(segments.length) ?? [], m)) {
        if (e.def.partial || !e.segments.every((s, i) => segmentFits(s, segments[i]!))) continue;
        const c = candidate(e, 'path', m);
        c.score += e.segments.filter((s) => !s.includes('{}')).length;
        out.push(c);
      }
    }
    return this.resolve(out);
  }

  /** Whether a route of `file` is handled at `line` (a handler defined there, or one a route elsewhere points to). */
  isHandlerAt(file: string, line: number): boolean {
    if (this.byFile.get(file)?.some((e) => e.def.line === line)) return true;
    for (const h of this.handlers.get(file)?.values() ?? []) if (h.line === line) return true;
    return false;
  }

  private insert(def: RouteDefinition): Entry {
    const key = normalizeRoute(def.route);
    const e: Entry = { def, segments: segmentsOf(key) };
    push(this.exact, key, e);
    push(this.folded, key.toLowerCase(), e);
    push(this.bySize, e.segments.length, e);
    if (def.partial) push(this.tails, e.segments[e.segments.length - 1] ?? '', e);
    return e;
  }

  private remove(entries: readonly Entry[], gone: ReadonlySet<Entry>): void {
    for (const e of entries) {
      const key = '/' + e.segments.join('/');
      const isGone = (x: Entry) => gone.has(x);
      dropFrom(this.exact, key, isGone);
      dropFrom(this.folded, key.toLowerCase(), isGone);
      dropFrom(this.bySize, e.segments.length, isGone);
      if (e.def.partial) dropFrom(this.tails, e.segments[e.segments.length - 1] ?? '', isGone);
    }
  }

  /** This index, and the one of routes composed through mounts. */
  private withComposed(): RouteIndex[] {
    if (this.mountable.size === 0 || this.mounts.size === 0) return [this];
    this.composed ??= this.compose();
    return [this, this.composed];
  }

  /** Each mountable route under every prefix its router is mounted with, followed outwards through parent mounts. */
  private compose(): RouteIndex {
    const composed = new RouteIndex();
    const prefixesOf = (
      key: string,
      depth: number,
      seen: ReadonlySet<string>,
    ): { prefix: string; partial: boolean; at: RouteMount }[] => {
      if (depth > MAX_MOUNT_DEPTH || seen.has(key)) return [];
      const next = new Set(seen).add(key);
      const out: { prefix: string; partial: boolean; at: RouteMount }[] = [];
      for (const m of this.mounts.get(key) ?? []) {
        if (m.parentKey === undefined) out.push({ prefix: m.prefix, partial: m.partial === true, at: m });
        else {
          const outer = prefixesOf(m.parentKey, depth + 1, next);
          // a parent nobody mounts: the prefix is still a longer tail than the route alone
          if (outer.length === 0) out.push({ prefix: m.prefix, partial: true, at: m });
          for (const o of outer) out.push({ prefix: joinPaths(o.prefix, m.prefix), partial: o.partial, at: m });
        }
        if (out.length >= MAX_PREFIXES) break;
      }
      return out.slice(0, MAX_PREFIXES);
    };
    for (const [key, entries] of this.mountable) {
      const prefixes = prefixesOf(key, 0, new Set());
      for (const e of entries) {
        for (const p of prefixes) {
          const def: RouteDefinition = { ...e.def, route: normalizeRoute(joinPaths(p.prefix, e.def.route)) };
          if (p.partial) def.partial = true;
          else delete def.partial;
          composed.insert(def);
        }
      }
    }
    return composed;
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

  /** Partial routes of placeholders only, shorter than the path, where the path ends in as many placeholders. */
  private byLooseTail(path: string[]): Entry[] {
    return (this.tails.get('{}') ?? []).filter((e) => {
      const n = e.segments.length;
      return n > 0 && n < path.length && e.segments.every((s) => s === '{}') && path.slice(-n).every((s) => s === '{}');
    });
  }

  /** Handlers defined in other files put in place; one candidate per place, the best fit kept; best first. */
  private resolve(candidates: RouteCandidate[]): RouteCandidate[] {
    const best = new Map<string, RouteCandidate>();
    for (const c of candidates) {
      const d = this.resolveTarget(c.def);
      const key = `${d.file}:${d.line}:${d.method ?? '*'}`;
      const known = best.get(key);
      if (!known || known.score < c.score) best.set(key, { ...c, def: d });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
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

function split(method: string | undefined, route: string): [method: string | undefined, key: string] {
  let m = method?.trim().toUpperCase() || undefined;
  let r = route.trim();
  const prefixed = /^([A-Za-z]+)\s+(\S+)$/.exec(r);
  if (prefixed) {
    m ??= prefixed[1]!.toUpperCase();
    r = prefixed[2]!;
  }
  return [m, normalizeRoute(r)];
}

function candidate(e: Entry, tier: RouteTier, method: string | undefined): RouteCandidate {
  let score = TIER_SCORE[tier];
  // a whole route outranks a tail that names the method; among whole routes (or tails) the method decides
  if (!e.def.partial) score += 20;
  if (method !== undefined && e.def.method !== undefined) score += 10;
  if (tier === 'tail') score += Math.min(9, e.segments.length);
  return { def: e.def, tier, score };
}

/** A template segment against a concrete one: `{}` takes any, `v{}.json` takes `v2.json`. */
function segmentFits(template: string, concrete: string): boolean {
  if (template === concrete) return true;
  if (!template.includes('{}')) return false;
  const re = new RegExp(`^${template.split('{}').map(escapeRegExp).join('[^/]+')}$`);
  return re.test(concrete);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The registrations of `method` (HEAD also finds GET), then those for any method; full routes before partial ones. */
function byMethod(entries: Entry[], method: string | undefined): Entry[] {
  const fullFirst = (list: Entry[]) => [...list.filter((e) => !e.def.partial), ...list.filter((e) => e.def.partial)];
  if (method === undefined) return fullFirst(entries);
  let exact = entries.filter((e) => e.def.method === method);
  // every framework that registers GET answers HEAD with it
  if (exact.length === 0 && method === 'HEAD') exact = entries.filter((e) => e.def.method === 'GET');
  return [...fullFirst(exact), ...fullFirst(entries.filter((e) => e.def.method === undefined))];
}
