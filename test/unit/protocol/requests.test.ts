import * as assert from 'node:assert/strict';
import type { HostMessage, WebviewMessage } from '../../../src/protocol/messages';
import { isCancelled, RequestClient, RequestError } from '../../../src/protocol/requests';
import { WaterfallSession } from '../../../src/core/waterfall/waterfallSession';
import { buildTrace } from '../core/waterfall/buildTrace';

/** A client whose posts are recorded, and a way to answer them. */
function client(): { requests: RequestClient; posted: WebviewMessage[] } {
  const posted: WebviewMessage[] = [];
  return { requests: new RequestClient((m) => posted.push(m)), posted };
}

async function rejection(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof RequestError, String(e));
    return e;
  }
  assert.fail('the request did not fail');
}

describe('request/response on the webview channel', () => {
  it('numbers requests and settles each with the reply to it, in whatever order the replies come', async () => {
    const { requests, posted } = client();
    const first = requests.request('search', { query: 'a' });
    const second = requests.request('search', { query: 'b' });
    assert.deepEqual(posted, [
      { type: 'search', messageId: 1, query: 'a' },
      { type: 'search', messageId: 2, query: 'b' },
    ]);
    assert.equal(requests.receive({ type: 'search', inReplyTo: 2, rows: new Int32Array([2]) }), true);
    assert.equal(requests.receive({ type: 'search', inReplyTo: 1, rows: new Int32Array([1]) }), true);
    assert.deepEqual(Array.from((await first).rows), [1]);
    assert.deepEqual(Array.from((await second).rows), [2]);
    assert.equal(requests.waiting, 0);
  });

  it('hands notifications back to the caller', () => {
    const { requests } = client();
    assert.equal(requests.receive({ type: 'revealSpan', spanId: 'a' }), false);
    assert.equal(requests.receive({ type: 'loadError', message: 'gone' }), false);
  });

  it('rejects with what the host said when it cannot answer, and when a reply of another kind comes', async () => {
    const { requests } = client();
    const detail = requests.request('detail', { row: 9 });
    requests.receive({ type: 'failed', inReplyTo: 1, message: 'no span at row 9' });
    const failed = await rejection(detail);
    assert.equal(failed.reason, 'failed');
    assert.equal(failed.message, 'no span at row 9');

    const search = requests.request('search', { query: 'x' });
    requests.receive({ type: 'locations', inReplyTo: 2, mapped: new Uint8Array(0) });
    assert.match((await rejection(search)).message, /a locations reply came for a search request/);
  });

  it('cancels on the signal: rejects at once, tells the host, and ignores the reply if it still comes', async () => {
    const { requests, posted } = client();
    const abort = new AbortController();
    const detail = requests.request('detail', { row: 1 }, { signal: abort.signal });
    abort.abort();
    const error = await rejection(detail);
    assert.ok(isCancelled(error));
    assert.deepEqual(posted.at(-1), { type: 'cancel', messageId: 1 });
    assert.equal(requests.receive({ type: 'failed', inReplyTo: 1, message: 'late' }), true);
    assert.ok(isCancelled(await rejection(requests.request('detail', { row: 1 }, { signal: abort.signal }))));
    assert.equal(posted.length, 2, 'an already cancelled signal sends nothing');
  });

  it('gives up after the timeout with a message that names the request', async () => {
    const { requests, posted } = client();
    const error = await rejection(requests.request('locations', { rows: [0, 1] }, { timeoutMs: 20 }));
    assert.equal(error.reason, 'timeout');
    assert.equal(error.message, 'the host did not answer the locations request within 20 ms');
    assert.deepEqual(posted.at(-1), { type: 'cancel', messageId: 1 });
    assert.ok(!isCancelled(error));
  });

  it('cancels everything still waiting when told to (another trace arrived)', async () => {
    const { requests, posted } = client();
    const all = [requests.request('detail', { row: 0 }), requests.request('search', { query: 'x' })].map(rejection);
    requests.cancelAll();
    for (const error of await Promise.all(all)) assert.ok(isCancelled(error));
    assert.deepEqual(posted.slice(2), [
      { type: 'cancel', messageId: 1 },
      { type: 'cancel', messageId: 2 },
    ]);
    assert.equal(requests.waiting, 0);
  });

  it('works end to end with the host session', async () => {
    let toWebview: (m: HostMessage) => void = () => undefined;
    const session = new WaterfallSession((m) => toWebview(m));
    const requests = new RequestClient((m) => void session.handle(m));
    toWebview = (m) => void requests.receive(m);
    session.show(
      buildTrace([
        ['a', undefined, 0, 100],
        ['b', 'a', 10, 20],
      ]),
    );
    await session.handle({ type: 'ready' });
    const [found, detail] = await Promise.all([
      requests.request('search', { query: 'op-b' }),
      requests.request('detail', { row: 1 }),
    ]);
    assert.deepEqual(Array.from(found.rows), [1]);
    assert.equal(detail.detail.spanId, 'b');
    assert.equal((await rejection(requests.request('detail', { row: 7 }))).message, 'no span at row 7');
  });
});
