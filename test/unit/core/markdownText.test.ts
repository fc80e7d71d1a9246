import * as assert from 'node:assert/strict';
import { markdownCode, markdownText } from '../../../src/core/markdownText';
import { HOSTILE_VALUES, hoverHtml, previewHtml, readHtml, seenAs } from '../markdownRender';

describe('markdownText', () => {
  for (const [renderer, render] of [
    ['hover (marked)', hoverHtml],
    ['preview (markdown-it)', previewHtml],
  ] as const) {
    it(`renders hostile trace values as their literal text in one paragraph: ${renderer}`, () => {
      for (const value of HOSTILE_VALUES) {
        const html = readHtml(render(`**Span** ${markdownText(value)} end`));
        assert.deepEqual(html.tags, ['p', 'strong'], `${JSON.stringify(value)} → ${render(`x ${markdownText(value)}`)}`);
        assert.equal(html.text.trim(), `Span ${seenAs(value)} end`, JSON.stringify(value));
      }
    });

    it(`keeps hostile trace values inside a table cell: ${renderer}`, () => {
      for (const value of HOSTILE_VALUES) {
        const html = readHtml(render(`| a | b |\n|---|---|\n| ${markdownText(value)} | x |`));
        assert.deepEqual(
          html.tags.filter((t) => t === 'td'),
          ['td', 'td'],
          JSON.stringify(value),
        );
        assert.deepEqual(html.links, [], JSON.stringify(value));
      }
    });

    it(`renders hostile trace values as inline code that nothing ends early: ${renderer}`, () => {
      for (const value of HOSTILE_VALUES) {
        const html = readHtml(render(`In ${markdownCode(value)} end`));
        assert.deepEqual(html.tags, ['p', 'code'], `${JSON.stringify(value)} → ${render(`In ${markdownCode(value)} end`)}`);
        // a code span shows its text as is, but for line endings, which CommonMark turns into spaces
        assert.equal(html.text.trim(), `In ${seenAs(value)} end`, JSON.stringify(value));
      }
    });
  }

  it('handles a name of 200,000 characters, backticks and all', () => {
    const long = '`'.repeat(100_000) + 'x'.repeat(100_000);
    assert.equal(markdownCode(long).length, long.length + 2 * 100_001 + 2);
    assert.equal(markdownText(long).length, long.length + 100_000);
  });
});
