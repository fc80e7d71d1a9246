import * as assert from 'node:assert/strict';
import { createBackend } from '../../../../src/core/backends/createBackend';
import { generateTrace, toJaegerJson, toOtlpJson, toZipkinJson } from '../../../fixtures/generateTraces';
import { startFakeBackend, type FakeBackendKind } from '../../../fakes/fakeBackend';

/** The project's own generated traces, served by each fake without the shared fixtures. */
describe('backends on generated traces', () => {
  const trace = generateTrace(300, 7);
  const cases: [FakeBackendKind, 'jaeger' | 'tempo' | 'zipkin', string][] = [
    ['jaeger-v1', 'jaeger', toJaegerJson(trace)],
    ['jaeger-v3', 'jaeger', toOtlpJson(trace)],
    ['tempo', 'tempo', toOtlpJson(trace)],
    ['zipkin', 'zipkin', toZipkinJson(trace)],
  ];
  for (const [kind, type, body] of cases) {
    it(`${kind}: finds the trace by its root service and opens all its spans`, async () => {
      const fake = await startFakeBackend(kind, { withoutFixtures: true, documents: [JSON.parse(body)] });
      const backend = createBackend({ type, url: fake.url });
      try {
        const [indexed] = fake.traces;
        assert.ok(indexed);
        const services = await backend.listServices();
        assert.ok(services.length > 1);
        const root = indexed.spans.find((s) => s.isRoot)!;
        const hits = await backend.searchTraces({ service: root.service, startUs: 0, endUs: 4_102_444_800_000_000 });
        assert.deepEqual(
          hits.map((h) => h.traceId),
          [indexed.traceId],
        );
        const opened = await backend.getTrace(indexed.traceId);
        assert.equal(opened.spans.length, 300);
      } finally {
        await (backend as unknown as { dispose(): Promise<void> }).dispose();
        await fake.close();
      }
    });
  }
});
