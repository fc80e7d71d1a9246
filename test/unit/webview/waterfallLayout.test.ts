import * as assert from 'node:assert/strict';
import { nameColumnWidth } from '../../../webview/waterfallLayout';

describe('waterfall name column', () => {
  it('leaves the bars most of a narrow panel', () => {
    for (const full of [400, 600, 800]) {
      const names = nameColumnWidth(full, undefined);
      assert.ok(full - names >= full / 2, `${full} px: names ${names}`);
      assert.ok(names >= 120, `${full} px: names ${names}`);
    }
  });

  it('stops growing at its default width in a wide panel', () => {
    assert.equal(nameColumnWidth(2400, undefined), 360);
  });

  it('keeps a dragged width as a share of the panel, and the bars at least 160 px', () => {
    assert.equal(nameColumnWidth(1000, 0.5), 500);
    assert.equal(nameColumnWidth(500, 0.5), 250);
    assert.equal(nameColumnWidth(500, 0.95), 500 - 5 - 160);
    assert.equal(nameColumnWidth(1000, 0.01), 120);
  });
});
