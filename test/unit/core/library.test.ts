import * as assert from 'node:assert/strict';
import { createBackend, startReceiver } from '../../../src/core/library';

describe('library surface', () => {
  it("createBackend({ type: 'local' }) reads the receiver started in this process, and says so when there is none", async () => {
    const receiver = await startReceiver({ port: 0 });
    try {
      const res = await fetch(`${receiver.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceSpans: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] },
              scopeSpans: [
                {
                  spans: [
                    {
                      traceId: '5b8efff798038103d269b633813fc60c',
                      spanId: 'eee19b7ec3c1b174',
                      name: 'GET /cart',
                      startTimeUnixNano: '1706678909209712000',
                      endTimeUnixNano: '1706678909219712000',
                    },
                  ],
                },
              ],
            },
          ],
        }),
      });
      assert.equal(res.status, 200);
      const backend = createBackend({ type: 'local' });
      assert.deepEqual(await backend.listServices(), ['cart']);
      const trace = await backend.getTrace('5b8efff798038103d269b633813fc60c');
      assert.equal(trace.spans[0]?.name, 'GET /cart');
    } finally {
      await receiver.close();
    }
    assert.throws(() => createBackend({ type: 'local' }), /startReceiver\(\) first/);
  });
});
