import * as assert from 'node:assert/strict';
import { isWebviewMessage, MAX_COPY_CHARS } from '../../../src/protocol/messages';

describe('webview → host messages', () => {
  it('accepts every well-formed message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'requestDetail', row: 3, seq: 1 },
      { type: 'openLinkedTrace', traceId: '5b8efff798038103d269b633813fc60c' },
      { type: 'openLinkedTrace', traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' },
      { type: 'openInBackend' },
      { type: 'copy', text: 'eee19b7ec3c1b174', what: 'span id' },
      { type: 'copyValue', row: 0, section: 'resource', key: 'service.name' },
      { type: 'log', level: 'warn', message: 'slow frame' },
    ]) {
      assert.ok(isWebviewMessage(m), JSON.stringify(m));
    }
  });

  it('refuses unknown types and fields of the wrong shape, so that a compromised page cannot steer the host', () => {
    for (const m of [
      null,
      'ready',
      { type: 'evaluate', code: '1' },
      { type: '__proto__' },
      { type: 'requestDetail', row: '3', seq: 1 },
      { type: 'requestDetail', row: -1, seq: 1 },
      { type: 'goToCode', row: 1.5 },
      { type: 'openLinkedTrace', traceId: 'a', spanId: { toString: 'x' } },
      { type: 'copy', text: 'x'.repeat(MAX_COPY_CHARS + 1), what: 'value' },
      { type: 'copyValue', row: 0, section: 'constructor', key: 'k' },
      { type: 'log', level: 'debug', message: 'x' },
      { type: 'log', level: 'info', message: 'x'.repeat(20_000) },
    ]) {
      assert.ok(!isWebviewMessage(m), JSON.stringify(m)?.slice(0, 80));
    }
  });
});
