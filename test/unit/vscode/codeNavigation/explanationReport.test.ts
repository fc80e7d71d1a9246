import * as assert from 'node:assert/strict';
import type { SpanExplanation } from '../../../../src/core/codeLocation/locateSpan';
import { explainSpan } from '../../../../src/core/codeLocation/locateSpan';
import { WorkspaceIndex } from '../../../../src/core/codeLocation/workspaceIndex';
import { code, explanationMarkdown, text } from '../../../../src/vscode/codeNavigation/explanationReport';
import { span } from '../../core/codeLocation/spans';
import { HOSTILE_VALUES, previewHtml, readHtml, seenAs } from '../../markdownRender';

const stats = { files: 1200, indexed: 340, skipped: 2, definitions: 5100, spanStarts: 1, routes: 12 };

describe('explanationMarkdown (the "why is this span (not) mapped" report)', () => {
  it('lists each kind of evidence tried, what it gave, and what would help', () => {
    const s = { ...span({ 'code.file.path': '/app/src/cart.py' }), name: 'add item' };
    const explanation: SpanExplanation = {
      matches: [],
      steps: [
        {
          kind: 'code attributes',
          evidence: 'code.file.path /app/src/cart.py',
          outcome: 'not found',
          detail: 'no workspace file has this path or ends like it',
        },
        {
          kind: 'span name',
          evidence: 'span name "add item"',
          outcome: 'not found',
          detail: 'no span-start call in the workspace gives this name',
        },
      ],
    };
    const md = explanationMarkdown(s, explanation, { folders: ['shop'], stats });
    assert.match(md, /^# Code location of span `add item`$/m);
    assert.match(md, /\*\*Not mapped\.\*\*/);
    assert.match(
      md,
      /^- ✘ \*\*code attributes\*\*: `code\.file\.path \/app\/src\/cart\.py` → not found {2}\n {2}no workspace file has this path or ends like it$/m,
    );
    assert.match(md, /^- ✘ \*\*span name\*\*: `span name "add item"` → not found/m);
    assert.match(md, /`traceLens\.pathMappings`, for example `"\/app": "\$\{workspaceFolder\}"`/);
    assert.match(
      md,
      /Searched 1,200 files in the workspace folder shop: 340 source files read, 5,100 definitions, 1 span start, 12 routes\./,
    );
  });

  it('shows the matches with their reasons when the span maps', () => {
    const s = { ...span(), name: 'charge card' };
    const md = explanationMarkdown(
      s,
      {
        matches: [
          {
            file: 'src/payments.js',
            line: 19,
            function: 'chargeCard',
            confidence: 0.8,
            reason: 'span name "charge card" matches startActiveSpan in src/payments.js:19',
          },
        ],
        steps: [
          {
            kind: 'span name',
            evidence: 'span name "charge card"',
            outcome: 'mapped',
            detail: 'span name "charge card" matches startActiveSpan in src/payments.js:19',
          },
        ],
      },
      { folders: ['shop'] },
    );
    assert.match(
      readHtml(previewHtml(md)).text,
      /src\/payments\.js:19 in chargeCard, 80% sure\nspan name "charge card" matches startActiveSpan in src\/payments\.js:19\n/,
    );
    assert.match(md, /^- ✔ \*\*span name\*\*/m);
    assert.doesNotMatch(md, /What would help/);
  });

  it('works from the core explanation end to end: a span named in code maps, an unknown one says why not', () => {
    const index = new WorkspaceIndex({ folders: [{ name: 'shop', root: '/home/me/shop' }], files: [] });
    index.update(
      'src/payments.js',
      "async function chargeCard() {\n  return tracer.startActiveSpan('charge card', async (span) => {});\n}\n",
    );
    const named = { ...span(), name: 'charge card', kind: 'internal' as const };
    assert.match(explanationMarkdown(named, explainSpan(named, index), { folders: ['shop'] }), /`src\/payments\.js:2`/);
    const unknown = { ...span(), name: 'reconcile ledger', kind: 'internal' as const };
    const md = explanationMarkdown(unknown, explainSpan(unknown, index), { folders: ['shop'] });
    assert.match(md, /\*\*Not mapped\.\*\*/);
    assert.match(md, /Record where spans start: `code\.file\.path` and `code\.line\.number`/);
  });

  it('names the helper that starts such spans, instead of asking to open a folder that is open', () => {
    const index = new WorkspaceIndex({ folders: [{ name: 'shop', root: '/home/me/shop' }], files: [] });
    index.update(
      'lib/http.js',
      [
        'async function call(tracer, method, url) {',
        '  const { pathname } = new URL(url);',
        '  return tracer.startActiveSpan(`${method} ${pathname}`, { kind: SpanKind.CLIENT }, async (span) => {', // 3
        '    span.end();',
        '  });',
        '}',
      ].join('\n'),
    );
    index.update('gateway.js', "const { call } = require('./lib/http');\nawait call(tracer, 'GET', inventoryUrl);\n");
    const client = {
      ...span({ 'http.request.method': 'GET', 'url.full': 'http://127.0.0.1:7002/items/42' }),
      name: 'GET /items/42',
      kind: 'client' as const,
    };
    const explanation = explainSpan(client, index);
    assert.deepEqual(explanation.matches, []);
    const md = explanationMarkdown(client, explanation, { folders: ['shop'], stats: index.stats });
    const plain = md.replace(/\\(.)/g, '$1');
    assert.match(plain, /build names like it only from run-time values, too loosely to tell which made it: lib\/http\.js:3/);
    assert.match(
      md,
      /Spans named like this are started at `lib\/http\.js:3` \(in `http\.call`\) with a name built only from values known at run time/,
    );
    assert.match(md, /`code\.stacktrace`/);
    assert.doesNotMatch(md, /Open the folder/);
  });

  it('without any near place, says what was searched rather than to open a folder', () => {
    const md = explanationMarkdown(
      { ...span(), name: 'reconcile ledger' },
      {
        matches: [],
        steps: [{ kind: 'span name', evidence: 'span name "reconcile ledger"', outcome: 'not found', detail: 'none' }],
      },
      { folders: ['shop'], stats },
    );
    assert.match(md, /No code in the 340 source files searched starts spans named `reconcile ledger`/);
    assert.doesNotMatch(md, /Open the folder/);
  });

  it('says so when no folder is open', () => {
    const md = explanationMarkdown(span(), { matches: [], steps: [] }, { folders: [] });
    assert.match(md, /Open the folder with the source of this service\./);
    assert.match(md, /_No workspace folder is open\._/);
  });

  it('escapes what the span supplies: backticks cannot end code early, Markdown and HTML stay text', () => {
    assert.equal(code('a`b'), '`` a`b ``');
    assert.equal(code('plain'), '`plain`');
    assert.equal(code('two\nlines'), '`two lines`');
    assert.equal(readHtml(previewHtml(text('<img src=x onerror=alert(1)> *bold* [link](command:x)'))).tags.join(), 'p');
    const md = explanationMarkdown({ ...span(), name: '# `evil` <script>' }, { matches: [], steps: [] }, { folders: ['shop'] });
    assert.match(md, /^# Code location of span `` # `evil` <script> ``$/m);
  });

  it('shows hostile span data as literal text in the preview: no link, image, HTML or block of its making', () => {
    for (const value of HOSTILE_VALUES) {
      const s = { ...span({ 'code.file.path': value }), name: value, service: value };
      const md = explanationMarkdown(
        s,
        {
          matches: [{ file: value, line: 3, function: value, confidence: 0.8, reason: `code.file.path ${value}` }],
          steps: [{ kind: 'code attributes', evidence: `code.file.path ${value}`, outcome: 'mapped', detail: value }],
        },
        { folders: [value] },
      );
      const html = readHtml(previewHtml(md));
      assert.deepEqual(html.links, [], JSON.stringify(value));
      assert.deepEqual(
        html.tags.filter((t) => ['img', 'script', 'a', 'blockquote'].includes(t)),
        [],
        JSON.stringify(value),
      );
      const seen = seenAs(value);
      assert.ok(html.text.includes(`Code location of span ${seen}`), JSON.stringify(value));
    }
  });

  it('quotes a name of 200,000 characters full of backticks without running out of stack', () => {
    const huge = '`a'.repeat(100_000);
    const quoted = code(huge);
    assert.ok(quoted.startsWith('`` ') && quoted.endsWith(' ``'));
  });
});
