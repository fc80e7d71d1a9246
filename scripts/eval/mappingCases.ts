/**
 * The mapping evaluation's case format (one JSON object a line, as in `mapping-dev/cases.jsonl`), read into
 * model spans, and its scoring rule: the top answer's file ends with the expected file and its line is within
 * ±2 of the expected line (the file alone where the expected line is null); a negative is right only when
 * nothing is returned.
 */
import { setAttribute } from '../../src/core/model/attributes';
import type { Attributes, AttributeValue, Span, SpanKind } from '../../src/core/model/types';
import type { CodeMatch } from '../../src/core/codeLocation/evidence';

export interface MappingCase {
  id: string;
  kind: string;
  repo?: string;
  span: {
    name: string;
    kind?: number;
    attributes?: Record<string, unknown>;
    events?: { name: string; attributes?: Record<string, unknown> }[];
    resource?: Record<string, unknown>;
  };
  expect: { file: string | null; line: number | null; function?: string | null };
  note?: string;
}

const KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** One case per non-empty line; a line that is not a case throws with its line number. */
export function readCases(text: string): MappingCase[] {
  const out: MappingCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const c = JSON.parse(line) as MappingCase;
    if (typeof c.id !== 'string' || typeof c.span?.name !== 'string' || typeof c.expect !== 'object') {
      throw new Error(`line ${i + 1}: not a mapping case (needs id, span.name and expect)`);
    }
    out.push(c);
  });
  return out;
}

function attributes(raw: Record<string, unknown> | undefined): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === null || v === undefined) continue;
    setAttribute(out, k, (typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v) as AttributeValue);
  }
  return out;
}

export function caseSpan(c: MappingCase): Span {
  const resource = attributes(c.span.resource);
  const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: c.span.name,
    service,
    kind: KINDS[c.span.kind ?? 0] ?? 'unspecified',
    startUs: 1_700_000_000_000_000,
    durationUs: 1000,
    status: { code: c.span.events?.length ? 'error' : 'unset' },
    attributes: attributes(c.span.attributes),
    resource,
    events: (c.span.events ?? []).map((e) => ({
      name: e.name,
      timeUs: 1_700_000_000_000_500,
      attributes: attributes(e.attributes),
    })),
    links: [],
  };
}

export type Verdict = 'right' | 'wrong file' | 'wrong line' | 'unmapped' | 'false map';

/** The scoring rule of the case set. */
export function score(c: MappingCase, matches: readonly CodeMatch[]): Verdict {
  const top = matches[0];
  if (c.expect.file === null) return top === undefined ? 'right' : 'false map';
  if (top === undefined) return 'unmapped';
  const file = top.file.replace(/\\/g, '/');
  if (!(file === c.expect.file || file.endsWith(`/${c.expect.file}`))) return 'wrong file';
  if (c.expect.line === null) return 'right';
  return top.line !== undefined && Math.abs(top.line - c.expect.line) <= 2 ? 'right' : 'wrong line';
}

const LANGUAGES: Readonly<Record<string, string>> = {
  go: 'Go',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  cs: 'C#',
  py: 'Python',
  ts: 'TS/JS',
  tsx: 'TS/JS',
  js: 'TS/JS',
  jsx: 'TS/JS',
  mjs: 'TS/JS',
  rs: 'Rust',
  php: 'PHP',
  rb: 'Ruby',
  ex: 'Elixir',
  exs: 'Elixir',
  cpp: 'C++',
  cc: 'C++',
  hpp: 'C++',
  h: 'C++',
};

const SDK: Readonly<Record<string, string>> = {
  go: 'Go',
  java: 'Java',
  dotnet: 'C#',
  python: 'Python',
  nodejs: 'TS/JS',
  webjs: 'TS/JS',
  rust: 'Rust',
  php: 'PHP',
  ruby: 'Ruby',
  erlang: 'Elixir',
  cpp: 'C++',
};

/** The language of the expected file; for a negative, that of the span's SDK. */
export function caseLanguage(c: MappingCase): string {
  if (c.expect.file !== null) {
    const ext = /\.([a-z]+)$/i.exec(c.expect.file)?.[1]?.toLowerCase();
    return (ext && LANGUAGES[ext]) ?? 'other';
  }
  const sdk = c.span.resource?.['telemetry.sdk.language'];
  return (typeof sdk === 'string' && SDK[sdk]) || 'other';
}
