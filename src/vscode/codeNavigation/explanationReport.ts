/**
 * The "why is this span (not) mapped" report: a Markdown document listing the evidence the mapping engine
 * tried, what each gave, and what would help when nothing mapped. Pure; every span-supplied string is
 * untrusted and escaped.
 */
import type { EvidenceStep, SpanExplanation } from '../../core/codeLocation/locateSpan';
import type { IndexStats } from '../../core/codeLocation/workspaceIndex';
import { normalizeForeignPath } from '../../core/codeLocation/pathMapper';
import { markdownCode, markdownText } from '../../core/markdownText';
import type { Span } from '../../core/model/types';
import { matchLocation } from './matchText';

export interface ExplanationContext {
  /** the workspace folders searched, by name */
  folders: readonly string[];
  stats?: IndexStats;
}

const OUTCOME_MARK: Record<EvidenceStep['outcome'], string> = {
  mapped: '✔',
  ambiguous: '⚠',
  'not found': '✘',
  skipped: '–',
};

export function explanationMarkdown(span: Span, explanation: SpanExplanation, context: ExplanationContext): string {
  const out: string[] = [];
  out.push(`# Code location of span ${code(span.name)}`, '');
  out.push(`Service ${code(span.service)} · ${span.kind} span ${code(span.spanId)} · trace ${code(span.traceId)}`, '');

  out.push('## Result', '');
  if (explanation.matches.length === 0) {
    out.push('**Not mapped.** Nothing the span carries points credibly to a file in this workspace.', '');
  } else {
    explanation.matches.forEach((m, i) => {
      const fn = m.function === undefined ? '' : ` in ${code(m.function)}`;
      out.push(`${i + 1}. ${code(matchLocation(m))}${fn}, ${Math.round(m.confidence * 100)}% sure  `);
      out.push(`   ${text(m.reason)}`);
    });
    out.push('');
  }

  out.push('## Evidence tried', '');
  if (explanation.steps.length === 0) {
    out.push('The span has no code attributes, stack traces, vendor tags or name to go on.', '');
  } else {
    for (const step of explanation.steps) {
      out.push(`- ${OUTCOME_MARK[step.outcome]} **${step.kind}**: ${code(step.evidence)} → ${step.outcome}  `);
      out.push(`  ${text(step.detail)}`);
    }
    out.push('');
  }

  const hints = explanation.matches.length === 0 ? suggestions(span, explanation.steps, context) : [];
  if (hints.length > 0) {
    out.push('## What would help', '');
    for (const h of hints) out.push(`- ${h}`);
    out.push('');
  }

  out.push(`---`, '', `_${workspaceLine(context)}_`, '');
  return out.join('\n');
}

function suggestions(span: Span, steps: readonly EvidenceStep[], context: ExplanationContext): string[] {
  const hints: string[] = [];
  const pathStep = steps.find(
    (s) => s.kind === 'code attributes' && s.outcome === 'not found' && / [/\\]|^[^ ]+ [a-zA-Z]:/.test(s.evidence),
  );
  if (pathStep) {
    const prefix = foreignPrefix(pathStep.evidence.slice(pathStep.evidence.indexOf(' ') + 1));
    const example = prefix === undefined ? '' : `, for example ${code(`"${prefix}": "\${workspaceFolder}"`)}`;
    hints.push(`Say where the service's files live with the setting ${code('traceLens.pathMappings')}${example}.`);
  }
  const nameStep = steps.find((s) => s.kind === 'span name' && s.outcome === 'not found');
  const near = nameStep?.near ?? [];
  if (near.length === 0 && !steps.some((s) => s.kind === 'code attributes' || s.kind === 'stack trace')) {
    hints.push(
      `Record where spans start: ${code('code.file.path')} and ${code('code.line.number')} (or ${code('code.function.name')}) on the span.`,
    );
  }
  if (near.length > 0) {
    const where = near
      .slice(0, 3)
      .map((p) => `${code(`${p.file}:${p.line}`)}${p.function === undefined ? '' : ` (in ${code(p.function)})`}`)
      .join(', ');
    hints.push(
      `Spans named like this are started at ${where} with a name built only from values known at run time, so the name cannot tell which call made this one. ` +
        `Record the calling code on the span — ${code('code.function.name')} with ${code('code.file.path')} and ${code('code.line.number')}, or ${code('code.stacktrace')} — ` +
        `or start the span where it is used with a name that has a fixed part.`,
    );
  } else if (nameStep && context.stats !== undefined && context.stats.indexed > 0) {
    hints.push(
      `No code in the ${count(context.stats.indexed, 'source file')} searched starts spans named ${code(span.name)}. ` +
        `If a library's instrumentation makes them, the span that called it (its parent) points to your code; ` +
        `if this service's source is elsewhere, add its folder to the workspace.`,
    );
  } else if (nameStep && context.folders.length > 0) {
    hints.push(`Open the folder that holds the code which names spans ${code(span.name)}, or add it to the workspace.`);
  }
  if (context.folders.length === 0) hints.push('Open the folder with the source of this service.');
  else if (context.stats && context.stats.indexed === 0)
    hints.push(
      `No source file was indexed: check ${code('files.exclude')}, ${code('search.exclude')} and ${code('.gitignore')}.`,
    );
  return hints;
}

/** `/app/src/cart.py` → `/app`: the first directory, which is what a container or CI path usually differs in. */
function foreignPrefix(raw: string): string | undefined {
  const p = normalizeForeignPath(raw);
  if (!p?.absolute || p.segments.length < 2) return undefined;
  const first = p.segments[0]!;
  return p.drive === undefined ? `/${first}` : `${p.drive.toUpperCase()}:/${first}`;
}

function workspaceLine(context: ExplanationContext): string {
  if (context.folders.length === 0) return 'No workspace folder is open.';
  const folders = `${context.folders.length === 1 ? 'folder' : 'folders'} ${context.folders.map(text).join(', ')}`;
  const s = context.stats;
  if (!s) return `Searched the workspace ${folders}.`;
  return (
    `Searched ${count(s.files, 'file')} in the workspace ${folders}: ${count(s.indexed, 'source file')} read, ` +
    `${count(s.definitions, 'definition')}, ${count(s.spanStarts, 'span start')}, ${count(s.routes, 'route')}.`
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** Inline code that nothing in `s` ends early (see markdownCode). */
export function code(s: string): string {
  return markdownCode(s);
}

/** Plain text that renders as itself, on one line (see markdownText). */
export function text(s: string): string {
  return markdownText(s);
}
