import * as assert from 'node:assert/strict';
import type { CodeMatch } from '../../../../src/core/codeLocation/evidence';
import { clearWinner, describeMatch, matchPickParts, revisionNote } from '../../../../src/vscode/codeNavigation/matchText';

const match = (file: string, confidence: number, extra: Partial<CodeMatch> = {}): CodeMatch => ({
  file,
  line: 13,
  confidence,
  reason: `code.file.path /app/${file}:13 → ${file} (unique path suffix "${file}")`,
  ...extra,
});

describe('matchText (how code matches read in the editor)', () => {
  it('describes a match for tooltips: where, function, why and how sure', () => {
    assert.equal(
      describeMatch(match('src/orders.js', 0.812, { function: 'charge' })),
      'src/orders.js:13 (charge): code.file.path /app/src/orders.js:13 → src/orders.js (unique path suffix "src/orders.js") [81% sure]',
    );
    assert.match(describeMatch(match('src/orders.js', 0.5, { line: undefined })), /^src\/orders\.js: /);
  });

  it('opens a lone match, or one clearly ahead, without asking', () => {
    assert.equal(clearWinner([]), undefined);
    const lone = match('a.js', 0.3);
    assert.equal(clearWinner([lone]), lone);
    const raise = match('a.js', 0.85);
    assert.equal(clearWinner([raise, match('b.js', 0.595)]), raise, 'the raise point of a stack beats its callers');
  });

  it('asks when candidates are close or none is sure', () => {
    assert.equal(clearWinner([match('a.js', 0.8), match('b.js', 0.72)]), undefined);
    assert.equal(clearWinner([match('a.js', 0.55), match('b.js', 0.2)]), undefined);
  });

  it('splits a match into a QuickPick row: name and line, folder and function, confidence and reason', () => {
    const parts = matchPickParts(match('services/cart/src/cart.py', 0.9, { function: 'CartService.add' }));
    assert.deepEqual(parts, {
      label: 'cart.py:13',
      description: 'services/cart/src · CartService.add',
      detail:
        '90% · code.file.path /app/services/cart/src/cart.py:13 → services/cart/src/cart.py (unique path suffix "services/cart/src/cart.py")',
    });
    assert.deepEqual(matchPickParts(match('README.md', 0.5, { line: undefined })).label, 'README.md');
  });

  it('finds what revision remapping added to a reason, and whether it is a warning', () => {
    const base = match('a.js', 0.9);
    assert.equal(revisionNote(base), undefined);
    assert.deepEqual(
      revisionNote({
        ...base,
        reason: `${base.reason}; recorded at abc1234, you are at def5678 (not in this clone): the line may have moved`,
      }),
      {
        text: 'recorded at abc1234, you are at def5678 (not in this clone): the line may have moved',
        warn: true,
      },
    );
    assert.equal(
      revisionNote({ ...base, reason: `${base.reason}; recorded at abc1234, remapped from line 10 through git diff` })?.warn,
      false,
    );
  });
});
