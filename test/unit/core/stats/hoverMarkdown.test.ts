import * as assert from 'node:assert/strict';
import { histogramText } from '../../../../src/core/stats/histogramText';
import { codeKeyId } from '../../../../src/core/stats/codeKey';
import { hoverMarkdown, sourceLabel, windowPhrase } from '../../../../src/core/stats/hoverMarkdown';
import { LatencySketch } from '../../../../src/core/stats/sketch';
import { HOSTILE_VALUES, hoverHtml, readHtml, seenAs } from '../../markdownRender';
import { logNormal, seeded, summaryOf, T0 } from './statsBuilders';

describe('histogramText', () => {
  it('draws log-spaced rows from the fastest to the slowest call, with counts that add up', () => {
    const sketch = new LatencySketch();
    const random = seeded(5);
    for (let i = 0; i < 2_000; i++) sketch.add(logNormal(random, 10_000, 1));
    const rows = histogramText(sketch, { rows: 6, width: 10 }).split('\n');
    assert.equal(rows.length, 6);
    const counts = rows.map((r) => Number(r.trim().split(/\s+/).pop()));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      2_000,
    );
    assert.match(rows[0]!, /^\s*\d+(\.\d+)? (µs|ms) – /);
    assert.ok(rows.every((r) => /█|▏|▎|▍|▌|▋|▊|▉|\s{10}/.test(r)));
  });

  it('draws a single row when every call took the same time', () => {
    const sketch = new LatencySketch();
    sketch.add(5_000);
    sketch.add(5_000);
    assert.match(histogramText(sketch), /^\s*5 ms\s+█+\s+2$/);
  });
});

describe('hoverMarkdown', () => {
  const now = T0 + 60_000_000;

  it('says where the numbers come from and how many samples stand behind them', () => {
    assert.equal(sourceLabel({ kind: 'local' }, 212, 'in the last hour'), 'local receiver: 212 spans in the last hour');
    assert.equal(
      sourceLabel({ kind: 'sampled', backend: 'Jaeger', traces: 40 }, 57, 'in the last hour'),
      'sampled from Jaeger: 57 spans from 40 traces in the last hour',
    );
    assert.equal(
      sourceLabel({ kind: 'metrics', backend: 'Tempo', system: 'Tempo', method: 'TraceQL metrics' }, 1200, 'in the last hour'),
      'Tempo TraceQL metrics: 1.2k spans in the last hour',
    );
    assert.equal(
      sourceLabel(
        { kind: 'metrics', backend: 'Production', system: 'Jaeger', method: 'SPM metrics', estimated: true },
        340,
        'in the last hour',
      ),
      'Jaeger SPM metrics of Production: about 340 spans in the last hour',
    );
    assert.equal(windowPhrase(15, now, now), 'in the last 15 min');
    assert.equal(windowPhrase(60, T0, T0 + 86_400_000_000), 'in the hour up to 2025-01-01 00:00 UTC (the newest data)');
  });

  it('shows hostile trace data in the function, span name, path, message and trace id as literal text, and links nothing', () => {
    for (const value of HOSTILE_VALUES) {
      const key = { file: `src/${value}.js`, line: 3, function: value, span: value };
      const md = hoverMarkdown(
        summaryOf({ key, id: codeKeyId(key), reason: `code.file.path /app/${value}` }),
        {
          slowest: [],
          failing: [
            {
              traceId: value,
              spanId: 'span-A',
              service: 'checkout',
              name: value,
              startUs: now - 30_000_000,
              durationUs: 5,
              error: true,
              message: value,
            },
          ],
        },
        { nowUs: now, windowMinutes: 60, windowEndUs: now, tracesLink: 'command:traceLens.showLocationTraces?%5B%5D' },
      );
      const html = readHtml(hoverHtml(md));
      assert.deepEqual(html.links, ['command:traceLens.showLocationTraces?%5B%5D'], JSON.stringify(value));
      assert.ok(
        !html.tags.some((t) => ['img', 'script', 'h1', 'h2', 'blockquote', 'ol', 'hr'].includes(t)),
        JSON.stringify(value),
      );
      const seen = seenAs(value);
      assert.ok(html.text.includes(`Trace Lens · ${seen}`), `span name of ${JSON.stringify(value)} in ${html.text}`);
      assert.ok(html.text.includes(`${seen} · src/${seen}.js:3`), `function and place of ${JSON.stringify(value)}`);
      assert.ok(html.text.includes(`Mapped from code.file.path /app/${seen}`), `reason of ${JSON.stringify(value)}`);
      // the message and trace id are cut to a line and 16 characters
      assert.ok(html.text.includes(`trace ${seen.slice(0, 16).trimEnd()}`), `trace id of ${JSON.stringify(value)}`);
    }
  });

  it('shows the figures, the distribution, recent errors and the mapping', () => {
    const sketch = new LatencySketch();
    for (const v of [1_000, 2_000, 4_000, 80_000]) sketch.add(v);
    const md = hoverMarkdown(
      summaryOf({ sketch, lastSeenUs: now - 120_000_000 }),
      {
        slowest: [],
        failing: [
          {
            traceId: 'ab'.repeat(16),
            spanId: '1'.repeat(16),
            service: 'checkout',
            name: 'charge',
            startUs: now - 30_000_000,
            durationUs: 5,
            error: true,
            message: 'card declined <script>alert(1)</script> [x](http://evil)',
          },
        ],
      },
      { nowUs: now, windowMinutes: 60, windowEndUs: now, tracesLink: 'command:traceLens.showLocationTraces?%5B%5D' },
    );
    const html = readHtml(hoverHtml(md));
    assert.match(
      html.text,
      /^Trace Lens · placeOrder\nplaceOrder · src\/orders\.js:3 · local receiver: 1\.2k spans in the last hour\n/,
    );
    assert.match(md, /\| 12 ms \| 61 ms \| 80\.4 ms \| 230 ms \| 1\.25 s \| 1\.2k \| 21\/min \| 38 \(3\.1%\) \|/);
    assert.match(md, /```text\n[^`]*█[^`]*```/);
    assert.ok(html.text.includes('card declined <script>alert(1)</script> [x](http://evil)'), 'telemetry text shows as it is');
    assert.deepEqual(html.links, ['command:traceLens.showLocationTraces?%5B%5D'], 'the only link is to the traces');
    assert.match(md, /Last seen 2 min ago/);
    assert.ok(
      html.text.includes('Mapped from code.file.path /app/src/orders.js:3 → src/orders.js (relative path) (confidence 95%).'),
    );
    assert.match(md, /\[Slowest and failing traces…\]\(command:traceLens\.showLocationTraces\?%5B%5D\)/);
  });
});
