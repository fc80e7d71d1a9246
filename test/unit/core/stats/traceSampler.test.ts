import * as assert from 'node:assert/strict';
import type { Trace, TraceSummary } from '../../../../src/core/model/types';
import { TraceSampler, type SamplingBackend } from '../../../../src/core/stats/traceSampler';

function fakeBackend(tracesPerService = 10) {
  const calls: string[] = [];
  const backend: SamplingBackend = {
    async listServices() {
      calls.push('services');
      return ['checkout', 'payments'];
    },
    async searchTraces(query) {
      calls.push(`search ${query.service}`);
      return Array.from({ length: tracesPerService }, (_, i): TraceSummary => ({
        traceId: `${query.service}-${i}`,
        rootService: query.service!,
        rootName: 'x',
        startUs: 1,
        durationUs: 1,
      }));
    },
    async getTrace(traceId) {
      calls.push(`get ${traceId}`);
      return { traceId, spans: [], services: [], startUs: 1, durationUs: 1, warnings: [] } satisfies Trace;
    },
  };
  return { backend, calls };
}

describe('TraceSampler', () => {
  it('fetches no more traces a minute than its budget, one service per round in turn', async () => {
    let now = 1_000_000;
    const { backend, calls } = fakeBackend();
    const got: string[] = [];
    const sampler = new TraceSampler({
      backend,
      tracesPerMinute: 3,
      isIdle: () => false,
      onTrace: (t) => got.push(t.traceId),
      clock: () => now,
    });
    assert.equal(await sampler.tick(), 3);
    assert.equal(await sampler.tick(), 0, 'the budget is spent');
    now += 20_000; // a third of a minute: one more trace
    assert.equal(await sampler.tick(), 1);
    assert.deepEqual(got, ['checkout-0', 'checkout-1', 'checkout-2', 'payments-0']);
    assert.equal(sampler.sampled, 4);
    assert.equal(calls.filter((c) => c === 'services').length, 1);
  });

  it('never fetches the same trace twice', async () => {
    let now = 0;
    const { backend } = fakeBackend(2);
    const got: string[] = [];
    const sampler = new TraceSampler({
      backend,
      tracesPerMinute: 10,
      isIdle: () => false,
      onTrace: (t) => got.push(t.traceId),
      clock: () => now,
    });
    for (let i = 0; i < 4; i++) {
      await sampler.tick();
      now += 60_000;
    }
    assert.deepEqual(got, ['checkout-0', 'checkout-1', 'payments-0', 'payments-1']);
  });

  it('makes no request while the editor is idle', async () => {
    const { backend, calls } = fakeBackend();
    const sampler = new TraceSampler({ backend, tracesPerMinute: 30, isIdle: () => true, onTrace: () => undefined });
    assert.equal(await sampler.tick(), 0);
    assert.deepEqual(calls, []);
  });

  it('stops when cancelled', async () => {
    const { backend, calls } = fakeBackend();
    const controller = new AbortController();
    const sampler = new TraceSampler({
      backend,
      tracesPerMinute: 30,
      isIdle: () => false,
      onTrace: () => controller.abort(),
    });
    assert.equal(await sampler.tick(controller.signal), 1);
    assert.equal(calls.filter((c) => c.startsWith('get')).length, 1);
    assert.equal(await sampler.tick(controller.signal), 0);
  });
});
