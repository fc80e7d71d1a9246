import * as assert from 'node:assert/strict';
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
    await session.handle({ type: 'requestDetail', row: 1, seq: 7 });
    const reply = sent.at(-1);
    assert.equal(reply?.type, 'spanDetail');
    if (reply?.type === 'spanDetail') {
      assert.equal(reply.seq, 7);
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
    await session.handle({ type: 'requestLocations', from: 0, to: 2 });
    const reply = sent.at(-1);
    assert.equal(reply?.type, 'locations');
    if (reply?.type === 'locations') assert.deepEqual(Array.from(reply.mapped), [0, 1]);
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
    await session.handle({ type: 'requestDetail', row: 99, seq: 1 });
    await session.handle({ type: 'goToCode', row: -1 });
    await session.handle({ type: 'evil', payload: 1 });
    await session.handle(null);
    assert.equal(sent.length, before);
    assert.deepEqual(calls, []);
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
    await session.handle({ type: 'search', query: 'op-b', seq: 3 });
    const reply = sent.at(-1);
    assert.equal(reply?.type, 'searchResult');
    if (reply?.type === 'searchResult') assert.deepEqual(Array.from(reply.rows), [1]);
  });
});
