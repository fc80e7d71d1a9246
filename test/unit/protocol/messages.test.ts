import * as assert from 'node:assert/strict';
import { MAX_COPY_CHARS, MAX_LOCATION_ROWS, type WebviewMessage } from '../../../src/protocol/messages';
import { isHostMessage, isViewState, isWebviewMessage } from '../../../src/protocol/messageChecks';
import { int, optional, text, type UnionShapes } from '../../../src/protocol/shape';
import { encodeTrace } from '../../../src/core/waterfall/encodeTrace';
import { spanDetail } from '../../../src/core/waterfall/spanDetail';
import { buildTrace } from '../core/waterfall/buildTrace';

describe('webview → host messages', () => {
  it('accepts every well-formed message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'detail', messageId: 1, row: 3 },
      { type: 'search', messageId: 2, query: 'service=checkout >10ms' },
      { type: 'locations', messageId: 3, rows: [0, 7, 40] },
      { type: 'cancel', messageId: 2 },
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
      { type: 'constructor' },
      { type: 'detail', row: '3', messageId: 1 },
      { type: 'detail', row: -1, messageId: 1 },
      { type: 'detail', row: 1 },
      { type: 'search', messageId: 1.5, query: 'x' },
      { type: 'locations', messageId: 1, rows: Array.from({ length: MAX_LOCATION_ROWS + 1 }, (_, i) => i) },
      { type: 'locations', messageId: 1, rows: [1, -2] },
      { type: 'cancel', messageId: 'all' },
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

  it('cannot have a message field without a runtime check (checked by the compiler)', () => {
    type Message = { type: 'goToCode'; row: number } | { type: 'openLinkedTrace'; traceId: string; spanId?: string };
    const complete: UnionShapes<Message> = {
      goToCode: { row: int },
      openLinkedTrace: { traceId: text(256), spanId: optional(text(256)) },
    };
    const shapes: UnionShapes<Message>[] = [
      complete,
      // @ts-expect-error -- a field without its check does not compile
      { goToCode: {}, openLinkedTrace: complete.openLinkedTrace },
      // @ts-expect-error -- nor does an optional field whose check does not allow it to be missing
      { goToCode: { row: int }, openLinkedTrace: { traceId: text(256), spanId: text(256) } },
      // @ts-expect-error -- nor a check of the wrong type
      { goToCode: { row: text(10) }, openLinkedTrace: complete.openLinkedTrace },
      // @ts-expect-error -- nor a message type the union does not have
      { ...complete, evaluate: {} },
    ];
    assert.equal(shapes.length, 5);
    const typesChecked: Record<WebviewMessage['type'], true> = {
      ready: true,
      rendered: true,
      goToCode: true,
      openLinkedTrace: true,
      openExternal: true,
      openInBackend: true,
      copy: true,
      copyValue: true,
      log: true,
      detail: true,
      search: true,
      locations: true,
      cancel: true,
    };
    assert.equal(Object.keys(typesChecked).length, 13);
  });
});

describe('host → webview messages', () => {
  const trace = buildTrace([
    ['a', undefined, 0, 100],
    ['b', 'a', 10, 20, { events: [{ name: 'exception', timeUs: 1_700_000_000_015_000, attributes: { x: 1 } }] }],
  ]);
  const encoded = encodeTrace(trace);

  it('accepts the trace, replies and failures as the host sends them', () => {
    for (const m of [
      { type: 'traceHeader', header: encoded.header },
      { type: 'traceHeader', header: encoded.header, focusSpanId: 'b' },
      { type: 'traceChunk', chunk: encoded.chunks[0] },
      { type: 'detail', inReplyTo: 4, detail: spanDetail(encoded, 1, [{ file: 'a.ts', line: 3, reason: 'test' }]) },
      { type: 'search', inReplyTo: 5, rows: new Int32Array([1]) },
      { type: 'locations', inReplyTo: 6, mapped: new Uint8Array(2) },
      { type: 'failed', inReplyTo: 7, message: 'no span at row 9' },
      { type: 'loadError', message: 'gone' },
      { type: 'revealSpan', spanId: 'b' },
    ]) {
      assert.ok(isHostMessage(m), JSON.stringify(m).slice(0, 120));
    }
  });

  it('refuses what other senders post to the window, and replies of the wrong shape', () => {
    const chunk = encoded.chunks[0]!;
    for (const m of [
      { type: 'webpackOk' },
      { source: 'react-devtools', payload: {} },
      { type: 'traceChunk', chunk: { ...chunk, parent: Array.from(chunk.parent) } },
      { type: 'traceHeader', header: { ...encoded.header, services: 'svc' } },
      { type: 'detail', inReplyTo: 4, detail: { ...spanDetail(encoded, 1, undefined), status: { code: 'fine' } } },
      { type: 'search', inReplyTo: 5, rows: [1] },
      { type: 'failed', inReplyTo: 7 },
    ]) {
      assert.ok(!isHostMessage(m), JSON.stringify(m).slice(0, 120));
    }
  });
});

describe('saved view state', () => {
  const state = {
    version: 1,
    traceId: 'abc',
    scrollTop: 10,
    viewStartUs: 0,
    viewEndUs: 100,
    collapsed: '',
    searchQuery: '',
    searchMode: 'highlight',
    criticalOnly: false,
    tab: 'statistics',
    detailWidth: 380,
  };

  it('is read back when it has every field', () => {
    assert.ok(isViewState(state));
    assert.ok(isViewState({ ...state, selectedSpanId: 'b', focusSpanId: 'a' }));
    assert.ok(isViewState({ ...state, tab: 'table', table: { sort: 'self', descending: false } }));
  });

  it('is ignored when it is of another version or damaged', () => {
    for (const s of [
      { ...state, version: 2 },
      { ...state, tab: 'flamegraph?' },
      { ...state, collapsed: 3 },
      { ...state, table: { sort: 'constructor', descending: true } },
      undefined,
      'x',
    ])
      assert.ok(!isViewState(s), JSON.stringify(s));
  });
});
