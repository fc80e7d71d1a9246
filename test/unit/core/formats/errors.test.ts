import * as assert from 'node:assert/strict';
import { parseJson, TraceFormatError } from '../../../../src/core/formats/errors';

function whereOf(text: string): string {
  try {
    parseJson(text, 'jaeger');
  } catch (e) {
    assert.ok(e instanceof TraceFormatError);
    assert.equal(e.format, 'jaeger');
    return e.where;
  }
  assert.fail('expected a TraceFormatError');
}

describe('parseJson', () => {
  it('says at which byte and line a document stops being JSON', () => {
    assert.equal(whereOf('{"data": [1,\n 2,,]}'), 'byte 16 (line 2)');
    assert.equal(whereOf('{"a":1,}'), 'byte 7');
  });

  it('finds the offset even when the engine does not report one (an HTML error page, plain text)', () => {
    assert.equal(whereOf('<html><body>502 Bad Gateway</body></html>'), 'byte 0');
    assert.equal(whereOf('{"traceID": "abc", oops}'), 'byte 19');
  });

  it('reports a document cut short as ending early', () => {
    assert.equal(whereOf('{"data": [1, 2'), 'end of input');
  });
});
