import * as assert from 'node:assert/strict';
import { largeImportMessage } from '../../../../src/vscode/commands/importSize';

describe('large import message', () => {
  it('states the memory measured for the file format: 4.2× for protobuf, 5.4× for JSON', () => {
    assert.equal(
      largeImportMessage('traces.pb', 660 * 1024 * 1024),
      "traces.pb is 660 MB. Reading it takes a while and up to about 2,800 MB of memory (4.2× its size), and VS Code's extensions wait meanwhile.",
    );
    assert.match(largeImportMessage('export.JSON', 300 * 1024 * 1024), /up to about 1,600 MB of memory \(5\.4× its size\)/);
    assert.match(largeImportMessage('spans.jsonl', 250 * 1024 * 1024), /5\.4×/);
  });
});
