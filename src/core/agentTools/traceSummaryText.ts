/**
 * One trace as text within a character budget. Sections — services, errors, critical path, slowest spans,
 * operations by self time — are filled best first, each within its share, then from what the others left;
 * the answer ends with what did not fit and how to ask for it. Never longer than the budget.
 */
import type { CodeMatch } from '../codeLocation/evidence';
import { fitSections, renderSections, type Section } from './budget';
import { arrow } from './codeText';
import { DATA_CLOSE, DATA_NOTICE, DATA_OPEN, id, quote } from './dataText';
import { count, duration, plural } from './format';
import { exceptionOf, type TraceDigest } from './traceDigest';

export interface SummaryOptions {
  maxChars: number;
  /** lines before the data block: source, time window, where code locations come from */
  header: readonly string[];
  /** code locations of the spans that have them (best first); spans not in the map are shown without */
  locations: ReadonlyMap<number, readonly CodeMatch[]>;
}

/** Lines written per section at most, before the budget decides; beyond them, items are only counted. */
export const SECTION_LINES = { services: 200, errors: 200, path: 400, slowest: 50, operations: 200 } as const;

export function traceSummaryText(digest: TraceDigest, options: SummaryOptions): string {
  const { trace, self, path } = digest;
  const spans = trace.spans;
  const t0 = trace.startUs;
  const offset = (us: number): string => `+${duration(Math.max(0, us - t0))}`;
  const label = (i: number): string => `${id(spans[i]!.spanId)} ${quote(spans[i]!.service, 80)} ${quote(spans[i]!.name, 120)}`;
  const at = (i: number): string => {
    const m = options.locations.get(i)?.[0];
    return m ? ` ${arrow(m)}` : '';
  };

  const root = path.root >= 0 ? spans[path.root]! : undefined;
  const errorSpans = digest.errors.length;
  const lead = [
    `trace ${id(trace.traceId)} · ${duration(trace.durationUs)} · ${plural(spans.length, 'span')} · ${plural(trace.services.length, 'service')} · ` +
      `${plural(errorSpans, 'error span')}` +
      (root ? ` · root ${quote(root.service, 80)} ${quote(root.name, 120)}` : ''),
  ];
  if (trace.partial) lead.push(`incomplete: the backend said ${quote(trace.partial, 200)}`);
  const warnings = [...trace.warnings, ...digest.tree.warnings];
  if (warnings.length > 0) {
    lead.push(
      `${plural(warnings.length, 'warning')} reading it: ${warnings
        .slice(0, 2)
        .map((w) => quote(w, 160))
        .join('; ')}`,
    );
  }

  const services: Section = {
    title: `services (${count(digest.services.length)}):`,
    lines: digest.services
      .slice(0, SECTION_LINES.services)
      .map((s) => `  ${quote(s.name, 80)} ${plural(s.spans, 'span')}${s.errors > 0 ? `, ${plural(s.errors, 'error')}` : ''}`),
    total: digest.services.length,
    weight: 1,
  };
  const errors: Section = {
    title: `errors (${plural(errorSpans, 'span')}; ${count(digest.errorOrigins)} where the error started, listed first):`,
    lines: digest.errors.slice(0, SECTION_LINES.errors).map((i) => {
      const s = spans[i]!;
      const ex = exceptionOf(trace, i);
      const status = s.status.message !== undefined ? ` status ${quote(s.status.message, 200)}` : '';
      const exception = ex ? ` exception ${quote(ex.type ?? '?', 80)}: ${quote(ex.message ?? '', 200)}` : '';
      return `  ${label(i)} at ${offset(s.startUs)}, ${duration(s.durationUs)}${status}${exception}${at(i)}`;
    }),
    total: errorSpans,
    weight: 3,
  };
  const byTime = path.entries;
  const ranked = [...byTime.keys()]
    .sort((a, b) => byTime[b]!.onPathUs - byTime[a]!.onPathUs || a - b)
    .slice(0, SECTION_LINES.path);
  const critical: Section = {
    title: `critical path (${plural(byTime.length, 'span')}, ${duration(path.totalUs)}; time of each on the path, in time order):`,
    lines: ranked.map((k) => {
      const e = byTime[k]!;
      const s = spans[e.span]!;
      return `  ${offset(e.firstUs)} ${label(e.span)} ${duration(e.onPathUs)} on path (span ${duration(s.durationUs)})${at(e.span)}`;
    }),
    keys: ranked,
    total: byTime.length,
    weight: 3,
  };
  const slowest: Section = {
    title: 'slowest spans by self time (time not spent in child spans):',
    lines: digest.slowest
      .slice(0, SECTION_LINES.slowest)
      .map(
        (i) =>
          `  ${label(i)} self ${duration(self[i]!)} of ${duration(spans[i]!.durationUs)} at ${offset(spans[i]!.startUs)}${at(i)}`,
      ),
    total: spans.length,
    weight: 2,
  };
  const operations: Section = {
    title: `operations by total self time (${count(digest.operations.length)}; calls, self time, longest call, errors):`,
    lines: digest.operations
      .slice(0, SECTION_LINES.operations)
      .map(
        (o) =>
          `  ${quote(o.service, 80)} ${quote(o.name, 120)} ×${count(o.count)} self ${duration(o.selfUs)} longest ${duration(o.maxUs)} ` +
          `(${id(spans[o.slowest]!.spanId)})${o.errors > 0 ? ` ${plural(o.errors, 'error')}` : ''}`,
      ),
    total: digest.operations.length,
    weight: 1.5,
  };
  const sections = [services, errors, critical, slowest, operations];

  const head = [...options.header, DATA_NOTICE, DATA_OPEN, ...lead];
  const fixed = head.join('\n').length + 1 + DATA_CLOSE.length + 1;
  // the footer depends on what fits; fit, write it, and give back lines until the whole fits
  let room = Math.max(0, options.maxChars - fixed - 600);
  for (let attempt = 0; ; attempt++) {
    const { taken } = fitSections(sections, room);
    const footer = leftOut(sections, taken, digest, options.maxChars);
    const text = [...head, ...renderSections(sections, taken), DATA_CLOSE, ...footer].join('\n');
    if (text.length <= options.maxChars || room === 0 || attempt > 20) return clip(text, options.maxChars);
    room = Math.max(0, room - (text.length - options.maxChars) - 50);
  }
}

function leftOut(sections: readonly Section[], taken: readonly number[], digest: TraceDigest, maxChars: number): string[] {
  const [services, errors, critical, , operations] = sections;
  const parts: string[] = [];
  const missing = (s: Section, i: number, noun: string): void => {
    const left = s.total - taken[i]!;
    if (left > 0) parts.push(`${count(left)} of ${count(s.total)} ${noun}`);
  };
  missing(services!, 0, 'services');
  missing(errors!, 1, 'error spans');
  missing(critical!, 2, 'critical-path spans (the ones with the least time on the path)');
  missing(operations!, 4, 'operations');
  // every span is listed among the slowest: nothing is left out
  if (parts.length === 0 && digest.trace.spans.length <= taken[3]!) return [];
  return [
    `Left out to fit ${count(maxChars)} characters: ${parts.length > 0 ? parts.join('; ') : 'spans that are neither failing, on the critical path nor among the slowest'}.`,
    'Ask get_trace again with spanId=<id> for one span in full (attributes, events, stack, code location), with a larger maxChars ' +
      'for more of this summary, or locate_span for the code of any span.',
  ];
}

/** The last resort: a hard cut that says so (only when the fixed lines alone exceed the budget). */
function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = `\n…(cut at ${maxChars} characters)`;
  return text.slice(0, Math.max(0, maxChars - note.length)) + note;
}
