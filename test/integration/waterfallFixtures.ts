/**
 * What the waterfall's host tests share: where the upstream fixtures are from inside the extension host, the
 * rendered text of a waterfall webview and of its detail pane, and small typed trace builders.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setAttribute } from '../../src/core/model/attributes';
import type { AttributeValue, Attributes, Span, SpanKind, Trace } from '../../src/core/model/types';
import { workbench } from './workbench';

/** The built suite runs from out/test/integration: the project is three levels up. */
const PROJECT_ROOT = path.resolve(__dirname, '../../..');

/** A shared upstream fixture as a file URI, or skips the calling test saying where it looked. */
export function sharedFixtureUri(ctx: Mocha.Context, relative: string): vscode.Uri {
  const dir = process.env.TRACE_LENS_FIXTURES ?? path.resolve(PROJECT_ROOT, '../shared/fixtures');
  const file = path.join(dir, relative);
  if (!fs.existsSync(file)) {
    console.log(`      (skipped: ${file} not found; set TRACE_LENS_FIXTURES to the shared fixtures folder)`);
    ctx.skip();
  }
  return vscode.Uri.file(file);
}

/**
 * Polls the rendered text of every webview until one of them satisfies `accept`, and returns that one;
 * fails with the texts seen last. Rendering crosses two processes and an iframe, so it is asynchronous.
 */
export async function waitForWebviewText(what: string, accept: (text: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await workbench.webviewTexts();
    const found = texts.find(accept);
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      assert.fail(`${what} did not render within ${timeoutMs} ms; webviews showed: ${JSON.stringify(texts.map(clip))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The detail pane's part of a waterfall's text: from the selected span's name (its first line) to the end.
 * The pane is the last element of the page, so everything after its heading belongs to it.
 */
export function detailPane(text: string, spanName: string): string {
  const lines = text.split('\n');
  const actions = lines.lastIndexOf('Go to Code');
  assert.ok(actions > 0, `no detail pane with a Go to Code action in: ${clip(text)}`);
  let start = actions;
  while (start > 0 && lines[start] !== spanName) start--;
  assert.equal(lines[start], spanName, `the detail pane does not start with the span's name "${spanName}"`);
  return lines.slice(start).join('\n').replace(/\t\n/g, '\t');
}

function clip(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

export const T0_US = 1_700_000_000_000_000;

export function attributes(entries: Record<string, AttributeValue>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(entries)) setAttribute(out, k, v);
  return out;
}

export interface SpanSpec {
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind?: SpanKind;
  /** µs after T0_US */
  offsetUs: number;
  durationUs: number;
  attributes?: Record<string, AttributeValue>;
}

/** A trace of `specs`, its services in order of first appearance. */
export function buildTrace(traceId: string, specs: readonly SpanSpec[]): Trace {
  const spans: Span[] = specs.map((s) => ({
    traceId,
    spanId: s.spanId,
    ...(s.parentSpanId === undefined ? {} : { parentSpanId: s.parentSpanId }),
    name: s.name,
    service: s.service,
    kind: s.kind ?? 'internal',
    startUs: T0_US + s.offsetUs,
    durationUs: s.durationUs,
    status: { code: 'unset' },
    attributes: attributes(s.attributes ?? {}),
    resource: attributes({ 'service.name': s.service, 'telemetry.sdk.language': 'nodejs' }),
    events: [],
    links: [],
  }));
  const end = Math.max(...specs.map((s) => s.offsetUs + s.durationUs));
  const start = Math.min(...specs.map((s) => s.offsetUs));
  return {
    traceId,
    spans,
    services: [...new Set(specs.map((s) => s.service))],
    startUs: T0_US + start,
    durationUs: end - start,
    warnings: [],
  };
}
