import * as assert from 'node:assert/strict';
import {
  INDENT,
  MIN_NAME_TEXT,
  MIN_NAME_WIDTH,
  ROW_CHROME,
  indentLevels,
  nameColumnWidth,
} from '../../../webview/waterfallLayout';

describe('waterfall name column', () => {
  it('leaves the bars most of a narrow panel', () => {
    for (const full of [400, 600, 800]) {
      const names = nameColumnWidth(full, undefined);
      assert.ok(full - names >= full / 2, `${full} px: names ${names}`);
      assert.ok(names >= MIN_NAME_WIDTH, `${full} px: names ${names}`);
    }
  });

  it('keeps its minimum in a panel too narrow for both, so that names stay readable', () => {
    assert.equal(nameColumnWidth(360, undefined), MIN_NAME_WIDTH);
    assert.equal(nameColumnWidth(300, undefined), MIN_NAME_WIDTH);
  });

  it('stops growing at its default width in a wide panel', () => {
    assert.equal(nameColumnWidth(2400, undefined), 360);
  });

  it('keeps a dragged width as a share of the panel, and the bars at least 160 px', () => {
    assert.equal(nameColumnWidth(1000, 0.5), 500);
    assert.equal(nameColumnWidth(500, 0.5), 250);
    assert.equal(nameColumnWidth(500, 0.95), 500 - 5 - 160);
    assert.equal(nameColumnWidth(1000, 0.01), MIN_NAME_WIDTH);
  });

  it('indents no deeper than leaves a deep row about ten characters of its name', () => {
    for (const width of [MIN_NAME_WIDTH, 240, 300, 360, 600]) {
      const levels = indentLevels(width);
      assert.ok(levels >= 1, `${width} px: ${levels} levels`);
      assert.ok(width - levels * INDENT - ROW_CHROME >= MIN_NAME_TEXT || levels === 1, `${width} px: ${levels} levels`);
    }
    assert.equal(indentLevels(360), 12, 'the default column indents as before');
    assert.equal(indentLevels(2000), 24);
  });
});
