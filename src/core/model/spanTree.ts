/**
 * The parent/child structure of one trace, built to survive real data: missing parents, self-parents,
 * cycles, duplicate span ids (Zipkin client/server halves, spans listed twice) and clock skew. Everything is
 * index-based (indexes into `trace.spans`) because span ids are not unique keys. No recursion anywhere:
 * a 100,000-deep chain is an ordinary input. One sort of all spans by start, the rest linear.
 */
import { isNullId } from './ids';
import type { Span, Trace } from './types';

export interface SpanTree {
  /** indexes into trace.spans shown at the top level: true roots, then orphans; by start time */
  roots: Int32Array;
  /** parent index per span; -1 for roots and orphans */
  parent: Int32Array;
  /** children of span i are childIndex[childStart[i] .. childStart[i + 1]), by start time, then input order */
  childStart: Int32Array;
  childIndex: Int32Array;
  /** depth per span; roots are 0 */
  depth: Int32Array;
  /** every span once, depth-first pre-order, as a waterfall lists them */
  order: Int32Array;
  /** what was repaired or odd; the trace's own warnings are not repeated here */
  warnings: string[];
}

/** Per kind of problem, this many spans or ids are named before the rest are only counted. */
const MAX_EXAMPLES = 5;
/** Cycles longer than this are named by their first spans only. */
const MAX_CYCLE_NAMES = 8;

/** Spans that share one span id; only ids used more than once get one. */
interface IdGroup {
  id: string;
  /** input order */
  members: number[];
  /** the non-shared span that Zipkin server halves hang under: the first client-kind one, else the first; -1 if none */
  clientHalf: number;
  /** Zipkin server halves (`shared: true`), input order */
  sharedHalves: number[];
}

// `top[i]` says why span i is shown at the top level; 0 when it is shown under a parent.
/** it has no parent id */
const TRUE_ROOT = 1;
/** its parent id names no span of this trace, the span itself, or a span in a cycle with it */
const REPAIRED = 2;

export function buildSpanTree(trace: Trace): SpanTree {
  const spans = trace.spans;
  const n = spans.length;
  const warnings: string[] = [];
  const startKey = startKeys(trace);

  const { byId, groups } = indexIds(spans);
  const parent = new Int32Array(n).fill(-1);
  const top = new Uint8Array(n);
  const missingParents = new Map<string, number>();
  const selfParents: number[] = [];

  for (let i = 0; i < n; i++) {
    const span = spans[i]!;
    if (span.shared === true) {
      const own = byId.get(span.spanId)!;
      const clientHalf = own < 0 ? groups[-own - 1]!.clientHalf : -1;
      if (clientHalf >= 0) {
        parent[i] = clientHalf;
        continue;
      }
    }
    const pid = span.parentSpanId;
    if (pid === undefined || isNullId(pid)) {
      top[i] = TRUE_ROOT;
    } else if (pid === span.spanId) {
      top[i] = REPAIRED;
      selfParents.push(i);
    } else {
      const found = byId.get(pid);
      if (found === undefined) {
        top[i] = REPAIRED;
        missingParents.set(pid, (missingParents.get(pid) ?? 0) + 1);
      } else {
        parent[i] = found >= 0 ? found : attachTo(groups[-found - 1]!, spans, span);
      }
    }
  }

  warnMissingParents(missingParents, warnings);
  warnSelfParents(selfParents, spans, warnings);
  breakCycles(spans, parent, top, startKey, warnings);
  warnDuplicates(groups, warnings);
  warnClockSkew(trace, parent, warnings);

  const byStart = sortedByStart(startKey);
  const { roots, childStart, childIndex } = link(parent, top, byStart);
  const { order, depth } = preOrder(roots, parent, childStart, childIndex);
  return { roots, parent, childStart, childIndex, depth, order, warnings };
}

/** The children of span `i`, by start time (a view into `tree.childIndex`; do not modify). */
export function childrenOf(tree: SpanTree, i: number): Int32Array {
  return tree.childIndex.subarray(tree.childStart[i]!, tree.childStart[i + 1]!);
}

/** Duration minus the union of its children's intervals clipped to the span, µs. */
export function selfTimeUs(trace: Trace, tree: SpanTree, i: number): number {
  const span = trace.spans[i]!;
  const start = span.startUs;
  const end = start + span.durationUs;
  let covered = 0;
  // Children are ordered by start, so a single sweep merges their intervals.
  let runStart = 0;
  let runEnd = -Infinity;
  for (const c of childrenOf(tree, i)) {
    const child = trace.spans[c]!;
    const cs = Math.max(child.startUs, start);
    const ce = Math.min(child.startUs + child.durationUs, end);
    if (!(ce > cs)) continue; // outside the span, empty, or NaN
    if (cs > runEnd) {
      if (runEnd > runStart) covered += runEnd - runStart;
      runStart = cs;
      runEnd = ce;
    } else if (ce > runEnd) {
      runEnd = ce;
    }
  }
  if (runEnd > runStart) covered += runEnd - runStart;
  return Math.max(0, span.durationUs - covered);
}

/** Start per span for ordering; a start that is not a finite number sorts at the trace start. */
function startKeys(trace: Trace): Float64Array {
  const fallback = Number.isFinite(trace.startUs) ? trace.startUs : 0;
  const key = new Float64Array(trace.spans.length);
  trace.spans.forEach((s, i) => (key[i] = Number.isFinite(s.startUs) ? s.startUs : fallback));
  return key;
}

/**
 * Span id → index of the only span with that id, or, for an id used more than once, `-(g + 1)` where `g` is
 * its entry in `groups` (one map lookup either way).
 */
function indexIds(spans: Span[]): { byId: Map<string, number>; groups: IdGroup[] } {
  const byId = new Map<string, number>();
  const groups: IdGroup[] = [];
  for (let i = 0; i < spans.length; i++) {
    const id = spans[i]!.spanId;
    const seen = byId.get(id);
    if (seen === undefined) {
      byId.set(id, i);
    } else if (seen >= 0) {
      byId.set(id, -groups.length - 1);
      groups.push({ id, members: [seen, i], clientHalf: -1, sharedHalves: [] });
    } else {
      groups[-seen - 1]!.members.push(i);
    }
  }
  for (const group of groups) {
    let firstClient = -1;
    let firstNonShared = -1;
    for (const m of group.members) {
      const span = spans[m]!;
      if (span.shared === true) group.sharedHalves.push(m);
      else {
        if (firstNonShared < 0) firstNonShared = m;
        if (firstClient < 0 && span.kind === 'client') firstClient = m;
      }
    }
    group.clientHalf = firstClient >= 0 ? firstClient : firstNonShared;
  }
  return { byId, groups };
}

/**
 * Which span of a duplicated id a child attaches to. As Zipkin's UI does: the server half of the child's own
 * service, else the client half; ids without shared halves attach to the first span listed. When one client
 * reached several servers of that service (a message fanned out), the child goes under the latest of them to
 * start no later than it does.
 */
function attachTo(group: IdGroup, spans: Span[], child: Span): number {
  const fits = (s: number): boolean => spans[s]!.startUs <= child.startUs;
  let best = -1;
  for (const s of group.sharedHalves) {
    if (spans[s]!.service !== child.service) continue;
    if (best < 0 || (fits(s) && (!fits(best) || spans[s]!.startUs > spans[best]!.startUs))) best = s;
  }
  if (best >= 0) return best;
  if (group.clientHalf >= 0) return group.clientHalf;
  return group.members[0]!;
}

/**
 * Walks parent links from every span, without recursion. A walk that meets a span already on its own path
 * has found a cycle, which is cut by making its earliest-starting span (then the first listed) a root.
 * Each span is walked once: O(n).
 */
function breakCycles(spans: Span[], parent: Int32Array, top: Uint8Array, startKey: Float64Array, warnings: string[]): void {
  const n = spans.length;
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Uint8Array(n);
  const path = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (state[i] !== 0) continue;
    let len = 0;
    let j = i;
    while (j >= 0 && state[j] === 0) {
      state[j] = ON_PATH;
      path[len++] = j;
      j = parent[j]!;
    }
    if (j >= 0 && state[j] === ON_PATH) {
      const from = path.lastIndexOf(j, len - 1);
      const cycle = Array.from(path.subarray(from, len));
      let cut = cycle[0]!;
      for (const c of cycle) if (startKey[c]! < startKey[cut]! || (startKey[c] === startKey[cut] && c < cut)) cut = c;
      parent[cut] = -1;
      top[cut] = REPAIRED;
      warnings.push(describeCycle(spans, cycle, cut));
    }
    for (let k = 0; k < len; k++) state[path[k]!] = DONE;
  }
}

function describeCycle(spans: Span[], cycle: number[], cut: number): string {
  // `cycle` runs child → parent; name it that way, back to where it started.
  const named = cycle.slice(0, MAX_CYCLE_NAMES).map((c) => spans[c]!.spanId);
  const chain =
    cycle.length > MAX_CYCLE_NAMES ? `${named.join(' → ')} → … (${cycle.length} spans)` : [...named, named[0]].join(' → ');
  return `parent links form a cycle: ${chain}; ${describeSpan(spans[cut]!)}, which starts first, is shown as a root`;
}

function warnMissingParents(missing: Map<string, number>, warnings: string[]): void {
  let shown = 0;
  let restSpans = 0;
  for (const [pid, count] of missing) {
    if (shown++ < MAX_EXAMPLES) {
      warnings.push(`${count} ${count === 1 ? 'span names' : 'spans name'} parent ${pid}, which is not in this trace`);
    } else {
      restSpans += count;
    }
  }
  if (restSpans > 0) {
    warnings.push(`${restSpans} more spans name ${missing.size - MAX_EXAMPLES} other parents that are not in this trace`);
  }
}

function warnSelfParents(selfParents: number[], spans: Span[], warnings: string[]): void {
  for (const i of selfParents.slice(0, MAX_EXAMPLES)) {
    warnings.push(`${describeSpan(spans[i]!)} names itself as its parent; shown as a root`);
  }
  if (selfParents.length > MAX_EXAMPLES) {
    warnings.push(`${selfParents.length - MAX_EXAMPLES} more spans name themselves as their parent; shown as roots`);
  }
}

/**
 * One client half plus one server half is Zipkin's normal shape and says nothing. Anything else sharing an
 * id is reported in two lines at most: ids listed more than once, and ids with extra halves.
 */
function warnDuplicates(groups: IdGroup[], warnings: string[]): void {
  const plain: string[] = [];
  const crowded: string[] = [];
  for (const g of groups) {
    const id = g.id;
    const shared = g.sharedHalves.length;
    const nonShared = g.members.length - shared;
    if (shared === 0) {
      plain.push(`${id} ×${g.members.length}`);
    } else if (!(shared === 1 && nonShared === 1)) {
      crowded.push(`${id}: ${nonShared} non-shared, ${shared} shared`);
    }
  }
  if (plain.length > 0) {
    const subject = plain.length === 1 ? 'span id is' : `${plain.length} span ids are`;
    warnings.push(`${subject} listed more than once (${examples(plain)}); all are shown, children attach to the first`);
  }
  if (crowded.length > 0) {
    const subject = crowded.length === 1 ? 'span id is' : `${crowded.length} span ids are`;
    warnings.push(
      `${subject} used by more than one client/server pair (${examples(crowded)}); children attach to the server half ` +
        `of their own service, else the client half`,
    );
  }
}

/**
 * A child that starts before its parent, or ends after it by more than the parent's own duration, cannot be
 * explained by the work itself: the hosts' clocks disagree. Shown as reported, never shifted. Not judged:
 * - the end, under a parent with zero duration (Zipkin spans without one) or across a producer → consumer
 *   hop, where outliving the parent is what asynchronous messaging does;
 * - a child with zero duration at the very trace start: where the reader put a span whose start was missing
 *   (it has warned about that already), not a time anyone measured.
 */
function warnClockSkew(trace: Trace, parent: Int32Array, warnings: string[]): void {
  const spans = trace.spans;
  const n = spans.length;
  // Copied out once so that the random parent lookups below touch typed arrays, not span objects.
  const start = new Float64Array(n);
  const dur = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = spans[i]!.startUs;
    dur[i] = spans[i]!.durationUs;
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0 || (dur[i] === 0 && start[i] === trace.startUs)) continue;
    const before = start[p]! - start[i]!;
    const after = start[i]! + dur[i]! - (start[p]! + dur[p]!);
    let what: string | undefined;
    if (before > 0) what = `starts ${formatMicros(before)} before`;
    else if (after > dur[p]! && dur[p]! > 0 && spans[p]!.kind !== 'producer' && spans[i]!.kind !== 'consumer') {
      what = `ends ${formatMicros(after)} after`;
    }
    if (what === undefined) continue;
    if (count++ < MAX_EXAMPLES) {
      warnings.push(
        `clock skew: ${describeSpan(spans[i]!)} ${what} its parent ${describeSpan(spans[p]!)}; times are shown as reported`,
      );
    }
  }
  if (count > MAX_EXAMPLES) {
    warnings.push(`clock skew: ${count - MAX_EXAMPLES} more spans start before or end long after their parent`);
  }
}

/** Insertion-sorted blocks of this many spans seed the merge passes. */
const SORT_BLOCK = 24;

/**
 * Span indexes ordered by start, then input order: a stable bottom-up merge sort that carries the keys with
 * the indexes (no comparator calls, no indirection), and that skips merges of blocks already in order, so
 * input that is mostly sorted, as traces usually are, costs little more than one pass.
 */
function sortedByStart(startKey: Float64Array): Int32Array {
  const n = startKey.length;
  let idx = new Int32Array(n);
  let key = Float64Array.from(startKey);
  let idxOut = new Int32Array(n);
  let keyOut = new Float64Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let lo = 0; lo < n; lo += SORT_BLOCK) {
    const hi = Math.min(lo + SORT_BLOCK, n);
    for (let i = lo + 1; i < hi; i++) {
      const k = key[i]!;
      const v = idx[i]!;
      let j = i - 1;
      for (; j >= lo && key[j]! > k; j--) {
        key[j + 1] = key[j]!;
        idx[j + 1] = idx[j]!;
      }
      key[j + 1] = k;
      idx[j + 1] = v;
    }
  }
  for (let width = SORT_BLOCK; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let o = lo;
      if (mid < hi && key[mid - 1]! > key[mid]!) {
        while (a < mid && b < hi) {
          // `<`, not `<=`: on equal starts the left (earlier-listed) span goes first
          if (key[b]! < key[a]!) {
            keyOut[o] = key[b]!;
            idxOut[o++] = idx[b++]!;
          } else {
            keyOut[o] = key[a]!;
            idxOut[o++] = idx[a++]!;
          }
        }
      }
      keyOut.set(key.subarray(a, mid), o);
      idxOut.set(idx.subarray(a, mid), o);
      o += mid - a;
      keyOut.set(key.subarray(b, hi), o);
      idxOut.set(idx.subarray(b, hi), o);
    }
    [idx, idxOut] = [idxOut, idx];
    [key, keyOut] = [keyOut, key];
  }
  return idx;
}

/**
 * Counting sort of spans into their parents' child lists. Spans are visited by start, so every child list
 * and the root list come out ordered by start, then input order.
 */
function link(
  parent: Int32Array,
  top: Uint8Array,
  byStart: Int32Array,
): { roots: Int32Array; childStart: Int32Array; childIndex: Int32Array } {
  const n = parent.length;
  const childStart = new Int32Array(n + 1);
  let trueRoots = 0;
  let repaired = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childStart[p + 1]!++;
    else if (top[i] === TRUE_ROOT) trueRoots++;
    else repaired++;
  }
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const cursor = childStart.slice(0, n);
  const childIndex = new Int32Array(n - trueRoots - repaired);
  const roots = new Int32Array(trueRoots + repaired);
  let nextTrue = 0;
  let nextRepaired = trueRoots;
  for (const i of byStart) {
    const p = parent[i]!;
    if (p >= 0) childIndex[cursor[p]!++] = i;
    else if (top[i] === TRUE_ROOT) roots[nextTrue++] = i;
    else roots[nextRepaired++] = i;
  }
  return { roots, childStart, childIndex };
}

/** Depth-first pre-order with an explicit stack; every span is pushed exactly once. */
function preOrder(
  roots: Int32Array,
  parent: Int32Array,
  childStart: Int32Array,
  childIndex: Int32Array,
): { order: Int32Array; depth: Int32Array } {
  const n = parent.length;
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  let k = 0;
  for (let r = roots.length - 1; r >= 0; r--) stack[sp++] = roots[r]!;
  while (sp > 0) {
    const v = stack[--sp]!;
    order[k++] = v;
    const p = parent[v]!;
    depth[v] = p < 0 ? 0 : depth[p]! + 1;
    for (let c = childStart[v + 1]! - 1; c >= childStart[v]!; c--) stack[sp++] = childIndex[c]!;
  }
  if (k !== n) throw new Error(`span tree: placed ${k} of ${n} spans`); // unreachable once cycles are cut
  return { order, depth };
}

function describeSpan(span: Span): string {
  return `span ${span.spanId} "${span.name}" (${span.service})`;
}

function examples(items: string[]): string {
  const shown = items.slice(0, MAX_EXAMPLES).join(', ');
  return items.length > MAX_EXAMPLES ? `${shown}, …` : shown;
}

function formatMicros(us: number): string {
  if (us < 1000) return `${round(us)} µs`;
  if (us < 1_000_000) return `${round(us / 1000)} ms`;
  return `${round(us / 1_000_000)} s`;
}

function round(x: number): string {
  return String(Math.round(x * 10) / 10);
}
