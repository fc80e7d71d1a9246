/**
 * What a summary of one trace is made of, computed in a few linear passes so that a 100,000-span trace takes
 * milliseconds: the span tree, self times, the critical path, the error spans (those where an error started
 * first), the slowest spans by self time and the operations ranked by total self time.
 */
import { spanExceptions } from '../codeLocation/codeAttributes';
import { stringAttribute } from '../model/attributes';
import { buildSpanTree, selfTimeUs, type SpanTree } from '../model/spanTree';
import type { Trace } from '../model/types';
import { criticalPath, type CriticalPath } from './criticalPath';

export interface OperationStat {
  service: string;
  name: string;
  count: number;
  errors: number;
  /** microseconds */
  selfUs: number;
  maxUs: number;
  /** the span of the longest call */
  slowest: number;
}

export interface TraceDigest {
  trace: Trace;
  tree: SpanTree;
  /** self time per span, µs */
  self: Float64Array;
  path: CriticalPath;
  /** error spans, those with no failing span below them (where an error started) first, then by start */
  errors: number[];
  /** how many of `errors` have no failing span below them */
  errorOrigins: number;
  /** spans by self time, longest first, at most `topSpans` */
  slowest: number[];
  /** operations (service + span name) by total self time, longest first */
  operations: OperationStat[];
  services: { name: string; spans: number; errors: number }[];
}

export function digestTrace(trace: Trace, topSpans = 50): TraceDigest {
  const spans = trace.spans;
  const n = spans.length;
  const tree = buildSpanTree(trace);
  const self = new Float64Array(n);
  for (let i = 0; i < n; i++) self[i] = selfTimeUs(trace, tree, i);

  // children before parents (reverse pre-order): whether any span below each one failed
  const failedBelow = new Uint8Array(n);
  const order = tree.order;
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k]!;
    const p = tree.parent[i]!;
    if (p >= 0 && (failedBelow[i] === 1 || spans[i]!.status.code === 'error')) failedBelow[p] = 1;
  }
  const failing: number[] = [];
  for (let i = 0; i < n; i++) if (spans[i]!.status.code === 'error') failing.push(i);
  const origins = failing.filter((i) => failedBelow[i] === 0);
  const rest = failing.filter((i) => failedBelow[i] === 1);
  const byStart = (a: number, b: number): number => spans[a]!.startUs - spans[b]!.startUs || a - b;
  const errors = [...origins.sort(byStart), ...rest.sort(byStart)];

  const slowest = topBy(n, topSpans, (i) => self[i]!);

  const ops = new Map<string, OperationStat>();
  const services = new Map<string, { name: string; spans: number; errors: number }>();
  for (const name of trace.services) services.set(name, { name, spans: 0, errors: 0 });
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const key = `${s.service}\u0000${s.name}`;
    let op = ops.get(key);
    if (!op) ops.set(key, (op = { service: s.service, name: s.name, count: 0, errors: 0, selfUs: 0, maxUs: -1, slowest: i }));
    const error = s.status.code === 'error' ? 1 : 0;
    op.count++;
    op.errors += error;
    op.selfUs += self[i]!;
    if (s.durationUs > op.maxUs) [op.maxUs, op.slowest] = [s.durationUs, i];
    let svc = services.get(s.service);
    if (!svc) services.set(s.service, (svc = { name: s.service, spans: 0, errors: 0 }));
    svc.spans++;
    svc.errors += error;
  }
  const operations = [...ops.values()].sort((a, b) => b.selfUs - a.selfUs || b.count - a.count);

  return {
    trace,
    tree,
    self,
    path: criticalPath(trace, tree),
    errors,
    errorOrigins: origins.length,
    slowest,
    operations,
    services: [...services.values()],
  };
}

/** The exception of a failed span as one line's worth: type and message, from events or attributes. */
export function exceptionOf(trace: Trace, i: number): { type?: string; message?: string } | undefined {
  const span = trace.spans[i]!;
  for (const event of span.events) {
    const type = stringAttribute(event.attributes, 'exception.type');
    const message = stringAttribute(event.attributes, 'exception.message');
    if (type !== undefined || message !== undefined) return { type, message };
  }
  const [withStack] = spanExceptions(span);
  if (withStack) return { type: withStack.type, message: withStack.message };
  const type = stringAttribute(span.attributes, 'exception.type') ?? stringAttribute(span.attributes, 'error.type');
  const message = stringAttribute(span.attributes, 'exception.message');
  return type !== undefined || message !== undefined ? { type, message } : undefined;
}

/** Indexes 0..n-1 of the `k` largest `key`s, largest first (ties: lower index first). */
function topBy(n: number, k: number, key: (i: number) => number): number[] {
  const top: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = key(i);
    if (top.length === k && !(v > key(top[k - 1]!))) continue;
    let at = top.length;
    while (at > 0 && v > key(top[at - 1]!)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
