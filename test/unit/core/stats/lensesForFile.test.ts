import * as assert from 'node:assert/strict';
import { FileSymbols, type SymbolNode } from '../../../../src/core/stats/fileSymbols';
import { compileLensFormat } from '../../../../src/core/stats/formatStats';
import { combineSummaries, hintsForFile, lensesForFile } from '../../../../src/core/stats/lensesForFile';
import { codeKeyId, shortFunctionName, type CodeKey } from '../../../../src/core/stats/codeKey';
import { summaryOf } from './statsBuilders';

const format = compileLensFormat('p95 ${p95}');
const fn = (name: string, startLine: number, endLine: number, children?: SymbolNode[]): SymbolNode => ({
  name,
  startLine,
  endLine,
  callable: true,
  ...(children ? { children } : {}),
});
const cls = (name: string, startLine: number, endLine: number, children: SymbolNode[]): SymbolNode => ({
  name,
  startLine,
  endLine,
  callable: false,
  children,
});

/** The summary of spans named `span` started at `line` (in `function_`, when given). */
function at(function_: string | undefined, lines: number[], p95Us = 80_000, count = 10, span = function_ ?? 'span') {
  const key: CodeKey = {
    file: 'src/a.ts',
    ...(lines.length > 0 ? { line: lines[lines.length - 1]! } : {}),
    ...(function_ !== undefined ? { function: function_ } : {}),
    span,
  };
  return summaryOf({ key, id: codeKeyId(key), lines, p95Us, count });
}

describe('lensesForFile', () => {
  const symbols = FileSymbols.fromTree([
    fn('placeOrder', 2, 6),
    cls('OrderService', 10, 40, [fn('add', 12, 20), fn('remove', 22, 30)]),
    cls('Cart', 50, 70, [fn('add', 52, 60)]),
  ]);

  it('puts the lens above the declaration of the function the spans name', () => {
    const lenses = lensesForFile([at('placeOrder', [3])], symbols, { format, lineCount: 100 });
    assert.deepEqual(lenses, [
      {
        line: 2,
        title: 'p95 80 ms',
        id: codeKeyId({ file: 'src/a.ts', line: 3, function: 'placeOrder', span: 'placeOrder' }),
        placedBy: 'symbol',
      },
    ]);
  });

  it('names the spans of each lens where a function starts several, in the order they start', () => {
    const lenses = lensesForFile(
      [at('placeOrder', [5], 300_000, 10, 'POST /charges'), at('placeOrder', [3], 40_000, 10, 'POST /reservations')],
      symbols,
      { format, lineCount: 100 },
    );
    assert.deepEqual(
      lenses.map((l) => [l.line, l.title]),
      [
        [2, 'POST /reservations: p95 40 ms'],
        [2, 'POST /charges: p95 300 ms'],
      ],
    );
  });

  it('puts the lens of an anonymous function above its own line, not above a function of the same name elsewhere', () => {
    // Node names a callback stored as a property `Object.handler`: `handler` is not the symbol at 12–20
    const withHandler = FileSymbols.fromTree([fn('handler', 12, 20)]);
    const lenses = lensesForFile(
      [at('Object.handler', [37], 40_000, 10, 'POST /reservations'), at('Object.handler', [47], 8_000, 10, 'db.select orders')],
      withHandler,
      { format, lineCount: 100 },
    );
    assert.deepEqual(
      lenses.map((l) => [l.line, l.title, l.placedBy]),
      [
        [37, 'p95 40 ms', 'line'],
        [47, 'p95 8 ms', 'line'],
      ],
    );
  });

  it('tells same-named methods apart by the line spans start at, else by the qualified name', () => {
    const byLine = lensesForFile([at('add', [55])], symbols, { format, lineCount: 100 });
    assert.equal(byLine[0]!.line, 52);
    const byClass = lensesForFile([at('com.shop.OrderService.add', [])], symbols, { format, lineCount: 100 });
    assert.equal(byClass[0]!.line, 12);
    const php = lensesForFile([at('App\\Cart::add', [])], symbols, { format, lineCount: 100 });
    assert.equal(php[0]!.line, 52);
  });

  it('falls back to the mapped line when no symbol names the function, or there are no symbols', () => {
    assert.deepEqual(
      lensesForFile([at('anonymous', [33])], symbols, { format, lineCount: 100 }).map((l) => [l.line, l.placedBy]),
      [[33, 'line']],
    );
    assert.deepEqual(
      lensesForFile([at('placeOrder', [3])], undefined, { format, lineCount: 100 }).map((l) => [l.line, l.placedBy]),
      [[3, 'line']],
    );
    assert.deepEqual(
      lensesForFile([at(undefined, [44])], symbols, { format, lineCount: 100 }).map((l) => l.line),
      [44],
    );
  });

  it('shows nothing for a location it cannot place, or one beyond the end of the document', () => {
    assert.deepEqual(lensesForFile([at('nowhere', [])], symbols, { format, lineCount: 100 }), []);
    assert.deepEqual(lensesForFile([at(undefined, [140])], symbols, { format, lineCount: 100 }), []);
  });

  it('sorts lenses by line', () => {
    const lenses = lensesForFile([at('remove', []), at('placeOrder', [])], symbols, { format, lineCount: 100 });
    assert.deepEqual(
      lenses.map((l) => l.line),
      [2, 22],
    );
  });
});

describe('hintsForFile', () => {
  const options = { format, lineCount: 100, slowUs: 100_000, criticalUs: 500_000 };

  it('puts a hint at each line spans start at, levelled by p95 thresholds', () => {
    const hints = hintsForFile([at('a', [3], 12_000), at('b', [8], 150_000), at('c', [20], 800_000)], options);
    assert.deepEqual(
      hints.map((h) => [h.line, h.text, h.level]),
      [
        [3, 'p95 12 ms', 'fast'],
        [8, 'p95 150 ms', 'slow'],
        [20, 'p95 800 ms', 'critical'],
      ],
    );
  });

  it('gives each line the figures of the spans started on it only, in one function or two anonymous ones', () => {
    const hints = hintsForFile(
      [
        at('Object.handler', [37], 40_000, 18, 'POST /reservations'),
        at('Object.handler', [39], 116_000, 16, 'POST /charges'),
        at('Object.handler', [47], 8_000, 5, 'db.select orders'),
      ],
      options,
    );
    assert.deepEqual(
      hints.map((h) => [h.line, h.text]),
      [
        [37, 'p95 40 ms'],
        [39, 'p95 116 ms'],
        [47, 'p95 8 ms'],
      ],
    );
  });

  it('lets the busiest location speak for a shared line, and says how many more start there', () => {
    const hints = hintsForFile([at('quiet', [3], 900_000, 2), at('busy', [3], 1_000, 500)], options);
    assert.deepEqual(
      hints.map((h) => h.text),
      ['p95 1 ms (+1 more)'],
    );
  });
});

describe('combineSummaries', () => {
  it('lets the first source that has a location speak for it', () => {
    const metrics = summaryOf({
      count: 5000,
      source: { kind: 'metrics', backend: 'Tempo', system: 'Tempo', method: 'TraceQL metrics' },
    });
    const local = summaryOf({ count: 12 });
    const other = at('other', [9]);
    assert.equal(metrics.id, local.id);
    const combined = combineSummaries([metrics], [local, other]);
    assert.deepEqual(
      combined.map((s) => s.count),
      [5000, 10],
    );
  });
});

describe('shortFunctionName', () => {
  it('finds the name a document symbol would carry', () => {
    assert.deepEqual(
      [
        'placeOrder',
        'com.example.Cart.add',
        'App\\Cart::add',
        'main.(*Server).handle',
        'Cart.add(int, String)',
        'cart.views.add',
      ].map(shortFunctionName),
      ['placeOrder', 'add', 'add', 'handle', 'add', 'add'],
    );
  });
});
