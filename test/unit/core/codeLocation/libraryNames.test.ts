/** Span names that say nothing of the workspace: the ones libraries give by convention or by their own instrumentation. */
import * as assert from 'node:assert/strict';
import { explainSpan, locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { memoryIndex, sdkSpan } from './spans';

const src = (...lines: string[]) => lines.join('\n') + '\n';

describe('names that libraries give', () => {
  const index = memoryIndex({
    'src/client.ts': src(
      'export async function send(method: string, url: string) {',
      '  return tracer.startActiveSpan(`HTTP ${method}`, async (span) => {', // 2
      '    span.end();',
      '  });',
      '}',
      'export async function query(table: string) {',
      '  return tracer.startActiveSpan(`SELECT ${table}`, async (span) => span.end());', // 7
      '}',
      'export function audit() {',
      "  return tracer.startActiveSpan('HTTP GET', (span) => span.end());", // 10
      '}',
    ),
  });

  it('does not take a pattern of the workspace for a conventional name like "HTTP POST" or "SELECT orders"', () => {
    for (const name of ['HTTP POST', 'SELECT orders', 'GET']) {
      const { matches, steps } = explainSpan(sdkSpan(name, 'client', 'web', 'nodejs'), index);
      assert.deepEqual(matches, [], name);
      assert.match(steps[0]!.detail, /one instrumentation libraries give by convention/, name);
    }
  });

  it('still takes a span start that gives the name exactly', () => {
    const m = locateSpan(sdkSpan('HTTP GET', 'internal', 'web', 'nodejs'), index)[0];
    assert.equal(`${m?.file}:${m?.line}`, 'src/client.ts:10');
  });

  it('does not look up span starts for a span an instrumentation library made, but does for annotations', () => {
    const span = {
      ...sdkSpan('HTTP GET', 'client', 'web', 'nodejs'),
      scope: { name: '@opentelemetry/instrumentation-undici', version: '0.10.0' },
    };
    const { matches, steps } = explainSpan(span, index);
    assert.deepEqual(matches, []);
    assert.match(steps[0]!.detail, /instrumentation library "@opentelemetry\/instrumentation-undici" named this span/);
    const annotated = {
      ...span,
      kind: 'internal' as const,
      scope: { name: 'io.opentelemetry.opentelemetry-instrumentation-annotations-1.16' },
    };
    assert.equal(locateSpan(annotated, index)[0]?.line, 10);
  });
});
