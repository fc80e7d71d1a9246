import * as assert from 'node:assert/strict';
import { largeImportMessage } from '../../../../src/vscode/commands/importSize';

describe('large import message', () => {
  it('states the most memory measured for the file format: 6.3× for protobuf, 5.6× for JSON', () => {
    assert.equal(
      largeImportMessage('traces.pb', 660 * 1024 * 1024),
      "traces.pb is 660 MB. Reading it takes a while and up to about 4,200 MB of memory (6.3× its size, for the smallest spans), and VS Code's extensions wait meanwhile.",
    );
    assert.match(largeImportMessage('export.JSON', 300 * 1024 * 1024), /up to about 1,700 MB of memory \(5\.6× its size/);
    assert.match(largeImportMessage('spans.jsonl', 250 * 1024 * 1024), /5\.6×/);
  });
});
