import * as assert from 'node:assert/strict';
import { encodeTrace } from '../../../../src/core/waterfall/encodeTrace';
import { WaterfallSession, isWebUrl } from '../../../../src/core/waterfall/waterfallSession';
import type { HostMessage } from '../../../../src/protocol/messages';
import { buildTrace } from './buildTrace';

describe('WaterfallSession', () => {
  const trace = buildTrace([
    ['a', undefined, 0, 100],
    ['b', 'a', 10, 20],
  ]);

  function setup(actions = {}): { session: WaterfallSession; sent: HostMessage[]; calls: unknown[][] } {
    const sent: HostMessage[] = [];
    const calls: unknown[][] = [];
    const session = new WaterfallSession((m) => sent.push(m), {
      goToCode: (_t, i) => void calls.push(['goToCode', i]),
      openExternal: (url) => void calls.push(['openExternal', url]),
      resolveLocation: (_t, i) => (i === 1 ? [{ file: 'b.ts', line: 1, reason: 'test' }] : undefined),
      ...actions,
    });
    return { session, sent, calls };
  }

  it('sends nothing before ready, then the header and every chunk', async () => {
    const { session, sent } = setup();
    session.show(trace);
    assert.equal(sent.length, 0);
    await session.handle({ type: 'ready' });
    assert.deepEqual(
      sent.map((m) => m.type),
      ['traceHeader', 'traceChunk'],
    );
  });

  it('shows a trace from its encoded form at once; a detail asked meanwhile waits for the spans', async () => {
    const { session, sent } = setup();
    const { trace: _t, ...parts } = encodeTrace(trace);
    void _t;
    const { spans: _s, ...frame } = trace;
    void _s;
    let arrive!: (t: typeof trace) => void;
    session.showEncoded(frame, parts, new Promise((resolve) => (arrive = resolve)));
    await session.handle({ type: 'ready' });
    assert.deepEqual(
      sent.map((m) => m.type),
      ['traceHeader', 'traceChunk'],
      'the rows are sent before the spans are here',
    );
    const asked = session.handle({ type: 'detail', messageId: 3, row: 1 });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(sent.length, 2, 'no answer without the spans');
    arrive(trace);
    await asked;
    const reply = sent.at(-1);
    assert.equal(reply?.type === 'detail' && reply.detail.spanId, 'b');
  });

  it('says in the webview why a trace shown from its encoded form could not be read', async () => {
    const { session, sent } = setup();
    const { trace: _t, ...parts } = encodeTrace(trace);
    void _t;
    const { spans: _s, ...frame } = trace;
    void _s;
    const failing = Promise.reject(new Error('the trace reader stopped'));
    session.showEncoded(frame, parts, failing);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'detail', messageId: 4, row: 0 });
    const error = sent.find((m) => m.type === 'loadError');
    assert.match(error?.type === 'loadError' ? error.message : '', /could not be read: the trace reader stopped/);
    assert.equal(sent.at(-1)?.type, 'failed', 'the request is answered, with a failure');
  });

  it('posts the chunks of a large trace one per turn of the event loop, and each only once', async () => {
    const { session, sent } = setup();
    const rows: Parameters<typeof buildTrace>[0] = [['root', undefined, 0, 1000]];
    for (let i = 0; i < 40_000; i++) rows.push([`s${i}`, 'root', i % 900, 5]);
    session.show(buildTrace(rows));
    const sending = session.handle({ type: 'ready' });
    assert.deepEqual(
      sent.map((m) => m.type),
      ['traceHeader', 'traceChunk'],
      'the header and the first chunk at once, the rest later',
    );
    // A reloaded webview says ready again meanwhile: the trace is sent to it once, from the start.
    await session.handle({ type: 'ready' });
    await sending;
    const offsets = sent.map((m) => (m.type === 'traceChunk' ? m.chunk.offset : m.type));
    assert.deepEqual(offsets, ['traceHeader', 0, 'traceHeader', 0, 16_384, 32_768]);
  });

  it('sends the trace again when a restored webview says ready again', async () => {
    const { session, sent } = setup();
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'ready' });
    assert.equal(sent.filter((m) => m.type === 'traceHeader').length, 2);
  });

  it('answers a detail request for the row asked, with its code location', async () => {
    const { session, sent } = setup();
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'detail', messageId: 7, row: 1 });
    const reply = sent.at(-1);
    assert.equal(reply?.type, 'detail');
    if (reply?.type === 'detail') {
      assert.equal(reply.inReplyTo, 7);
      assert.equal(reply.detail.spanId, 'b');
      assert.equal(reply.detail.locations?.[0]?.file, 'b.ts');
    }
  });

  it('maps Go to Code from a row to the span index', async () => {
    const { session, calls } = setup();
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'goToCode', row: 1 });
    assert.deepEqual(calls, [['goToCode', 1]]);
  });

  it('reports which rows have a code location', async () => {
    const { session, sent } = setup();
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'locations', messageId: 3, rows: [1, 0, 99] });
    const reply = sent.at(-1);
    assert.equal(reply?.type, 'locations');
    if (reply?.type === 'locations') {
      assert.equal(reply.inReplyTo, 3);
      assert.deepEqual(Array.from(reply.mapped), [1, 0, 0], 'row 99 is no row');
    }
  });

  it('answers that no row is mapped when no mapping engine is wired', async () => {
    const sent: HostMessage[] = [];
    const session = new WaterfallSession((m) => sent.push(m));
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'locations', messageId: 4, rows: [0, 1] });
    assert.deepEqual(sent.at(-1), { type: 'locations', inReplyTo: 4, mapped: new Uint8Array(2) });
  });

  it('opens only http(s) URLs', async () => {
    const { session, calls } = setup();
    session.show(trace);
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<script>',
      'command:workbench.action.quit',
      'file:///etc/passwd',
      'https://example.com/x',
    ]) {
      await session.handle({ type: 'openExternal', url });
    }
    assert.deepEqual(calls, [['openExternal', 'https://example.com/x']]);
    assert.equal(isWebUrl(' javascript:alert(1)'), false);
  });

  it('ignores rows out of range and messages outside the protocol', async () => {
    const { session, sent, calls } = setup();
    session.show(trace);
    await session.handle({ type: 'ready' });
    const before = sent.length;
    await session.handle({ type: 'goToCode', row: 99 });
    await session.handle({ type: 'goToCode', row: -1 });
    await session.handle({ type: 'detail', row: 1 });
    await session.handle({ type: 'evil', payload: 1 });
    await session.handle(null);
    assert.equal(sent.length, before);
    assert.deepEqual(calls, []);
  });

  it('answers a request it cannot serve with a failure that says why, so that the webview never waits in vain', async () => {
    const { session, sent } = setup();
    await session.handle({ type: 'detail', messageId: 1, row: 0 });
    assert.deepEqual(sent.at(-1), { type: 'failed', inReplyTo: 1, message: 'no trace is shown' });
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'detail', messageId: 2, row: 99 });
    assert.deepEqual(sent.at(-1), { type: 'failed', inReplyTo: 2, message: 'no span at row 99' });
  });

  it('drops the answer to a request the webview cancelled while the code was being located', async () => {
    let located: () => void = () => undefined;
    const { session, sent } = setup({
      resolveLocation: () => new Promise((resolve) => (located = () => resolve([{ file: 'b.ts', line: 1, reason: 'test' }]))),
    });
    session.show(trace);
    await session.handle({ type: 'ready' });
    const before = sent.length;
    const answering = session.handle({ type: 'detail', messageId: 5, row: 1 });
    await session.handle({ type: 'cancel', messageId: 5 });
    located();
    await answering;
    assert.equal(sent.length, before, 'no reply to a cancelled request');
    // A cancel for a request no longer in flight is harmless, and the next request is answered.
    await session.handle({ type: 'cancel', messageId: 5 });
    const next = session.handle({ type: 'detail', messageId: 6, row: 1 });
    located();
    await next;
    assert.equal(sent.at(-1)?.type, 'detail');
  });

  it('tells a restored webview when its trace is gone', async () => {
    const { session, sent } = setup();
    session.fail('Trace x is no longer available.');
    await session.handle({ type: 'ready' });
    assert.deepEqual(sent, [{ type: 'loadError', message: 'Trace x is no longer available.' }]);
  });

  it('answers a search with matching rows', async () => {
    const { session, sent } = setup();
    session.show(trace);
    await session.handle({ type: 'ready' });
    await session.handle({ type: 'search', messageId: 3, query: 'op-b' });
    const reply = sent.at(-1);
    assert.equal(reply?.type, 'search');
    if (reply?.type === 'search') {
      assert.equal(reply.inReplyTo, 3);
      assert.deepEqual(Array.from(reply.rows), [1]);
    }
  });
});
