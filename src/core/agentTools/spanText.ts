/**
 * One span in full, for an agent: identity, timing, status, parent and children, code locations, then
 * attributes, resource, events (exception stacks included) and links, each section filled within the
 * character budget and counted when cut.
 */
import type { CodeMatch } from '../codeLocation/evidence';
import { childrenOf } from '../model/spanTree';
import type { Attributes } from '../model/types';
import { fitSections, renderSections, type Section } from './budget';
import { arrow } from './codeText';
import { DATA_CLOSE, DATA_NOTICE, DATA_OPEN, id, quote, valueText } from './dataText';
import { count, duration, instant } from './format';
import type { TraceDigest } from './traceDigest';

/** characters of one attribute value (a stack trace is one value) */
const VALUE_CHARS = 4000;

export function spanText(
  digest: TraceDigest,
  i: number,
  options: { maxChars: number; header: readonly string[]; locations: readonly CodeMatch[] | undefined },
): string {
  const { trace, tree } = digest;
  const span = trace.spans[i]!;
  const t0 = trace.startUs;
  const p = tree.parent[i]!;
  const kids = childrenOf(tree, i);
  const lead = [
    `span ${id(span.spanId)} of trace ${id(trace.traceId)}: ${quote(span.name, 300)} in service ${quote(span.service, 120)}, kind ${span.kind}`,
    `start +${duration(Math.max(0, span.startUs - t0))} after the trace start (${instant(span.startUs)}) · duration ${duration(span.durationUs)} · ` +
      `self time ${duration(digest.self[i]!)}`,
    `status ${span.status.code}${span.status.message !== undefined ? ` ${quote(span.status.message, 500)}` : ''}`,
    p >= 0
      ? `parent ${id(trace.spans[p]!.spanId)} ${quote(trace.spans[p]!.name, 120)} · ${count(kids.length)} child spans`
      : `${span.parentSpanId !== undefined ? `parent ${id(span.parentSpanId)} (not in this trace)` : 'a root span'} · ${count(kids.length)} child spans`,
  ];
  if (options.locations === undefined) lead.push('code: not looked up (no workspace to look in)');
  if (span.scope)
    lead.push(
      `instrumentation scope ${quote(span.scope.name, 200)}${span.scope.version ? ` ${quote(span.scope.version, 40)}` : ''}`,
    );
  const code: Section = {
    title: `code (${count(options.locations?.length ?? 0)} match(es), best first):`,
    lines: (options.locations ?? []).map((m) => `  ${arrow(m, 400)}`),
    total: options.locations?.length ?? 0,
    weight: 2,
  };
  const attrs = (title: string, a: Attributes): Section => {
    const keys = Object.keys(a);
    return {
      title: `${title} (${count(keys.length)}):`,
      lines: keys.map((k) => `  ${quote(k, 200)} = ${valueText(a[k], VALUE_CHARS)}`),
      total: keys.length,
      weight: 3,
    };
  };
  const events: Section = {
    title: `events (${count(span.events.length)}):`,
    lines: span.events.map((e) => {
      const pairs = Object.keys(e.attributes).map((k) => `${quote(k, 120)}=${valueText(e.attributes[k], VALUE_CHARS)}`);
      return `  +${duration(Math.max(0, e.timeUs - span.startUs))} ${quote(e.name, 200)} ${pairs.join(' ')}`;
    }),
    total: span.events.length,
    weight: 2,
  };
  const links: Section = {
    title: `links (${count(span.links.length)}):`,
    lines: span.links.map((l) => `  trace ${id(l.traceId)} span ${id(l.spanId)}`),
    total: span.links.length,
    weight: 0.5,
  };
  const sections = [code, attrs('attributes', span.attributes), events, attrs('resource', span.resource), links];
  const head = [...options.header, DATA_NOTICE, DATA_OPEN, ...lead];
  const room = Math.max(0, options.maxChars - head.join('\n').length - DATA_CLOSE.length - 300);
  const { taken } = fitSections(sections, room);
  const cut = sections
    .map((s, k) => (s.total > taken[k]! ? `${count(s.total - taken[k]!)} of ${count(s.total)} ${s.title.split(' (')[0]}` : ''))
    .filter((t) => t !== '');
  const footer =
    cut.length > 0
      ? [`Left out to fit ${count(options.maxChars)} characters: ${cut.join('; ')}. Ask again with a larger maxChars.`]
      : [];
  const text = [...head, ...renderSections(sections, taken), DATA_CLOSE, ...footer].join('\n');
  return text.length <= options.maxChars
    ? text
    : `${text.slice(0, options.maxChars - 40)}\n…(cut at ${options.maxChars} characters)`;
}
