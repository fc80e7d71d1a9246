import * as assert from 'node:assert/strict';
import { createBackend } from '../../../../src/core/backends/createBackend';
import { parseJaegerDocument } from '../../../../src/core/formats/jaeger';
import { answerJaegerQuery, isLoopbackHostHeader, type QueryApiRequest } from '../../../../src/core/receiver/jaegerQueryApi';
import { startReceiver } from '../../../../src/core/receiver/otlpReceiver';
import { TraceStore } from '../../../../src/core/store/traceStore';
import { CHECKOUT_TRACE, checkoutTraces } from '../agentTools/agentFixtures';

function request(url: string, overrides: Partial<QueryApiRequest> = {}, headers: Record<string, string> = {}): QueryApiRequest {
  return {
    method: 'GET',
    url,
    headers: { host: '127.0.0.1:4318', ...headers },
    remoteAddress: '127.0.0.1',
    listeningOnLoopback: true,
    ...overrides,
  };
}

function storeWithCheckout(): TraceStore {
  const store = new TraceStore();
  store.add(checkoutTraces());
  return store;
}

describe('Jaeger query API of the receiver', () => {
  describe('security', () => {
    const store = storeWithCheckout();
    const status = (req: QueryApiRequest, token?: string): number => answerJaegerQuery(store, req, token ? { token } : {}).status;

    it('refuses a Host header that is not a loopback name (DNS rebinding)', () => {
      assert.equal(status(request('/api/services', {}, { host: 'attacker.example:4318' })), 403);
      assert.equal(status(request('/api/services', {}, { host: '127.0.0.1.attacker.example' })), 403);
      assert.equal(status(request('/api/services', { headers: {} })), 403);
      for (const host of ['localhost:4318', '127.0.0.1', '[::1]:4318', 'LOCALHOST'])
        assert.equal(status(request('/api/services', {}, { host })), 200, host);
      assert.equal(isLoopbackHostHeader('localhost:99999x'), false);
    });

    it('refuses requests from web pages and sends no CORS header', () => {
      const fromPage = answerJaegerQuery(store, request('/api/traces', {}, { origin: 'https://evil.example' }));
      assert.equal(fromPage.status, 403);
      assert.ok(!Object.keys(fromPage.headers).some((h) => h.startsWith('access-control-')), JSON.stringify(fromPage.headers));
      assert.equal(status(request('/api/services', {}, { 'sec-fetch-site': 'cross-site' })), 403);
      const ok = answerJaegerQuery(store, request('/api/services'));
      assert.ok(!Object.keys(ok.headers).some((h) => h.startsWith('access-control-')));
    });

    it('answers only this machine, and only while the receiver listens on loopback', () => {
      assert.equal(status(request('/api/services', { remoteAddress: '192.0.2.7' })), 403);
      assert.equal(status(request('/api/services', { listeningOnLoopback: false })), 403);
      assert.equal(status(request('/api/services', { remoteAddress: '::ffff:127.0.0.1' })), 200);
    });

    it('requires the bearer token when one is set', () => {
      assert.equal(status(request('/api/services'), 's3cret'), 401);
      assert.equal(status(request('/api/services', {}, { authorization: 'Bearer wrong' }), 's3cret'), 401);
      assert.equal(status(request('/api/services', {}, { authorization: 'Bearer s3cret' }), 's3cret'), 200);
      assert.equal(
        answerJaegerQuery(store, request('/api/services'), { token: 's3cret' }).headers['www-authenticate'],
        'Bearer realm="trace-lens"',
      );
    });

    it('is read-only', () => {
      assert.equal(status(request('/api/traces', { method: 'DELETE' })), 405);
    });
  });

  describe('answers', () => {
    const store = storeWithCheckout();
    const body = (url: string): { data: unknown; errors: { code: number; msg: string }[] | null } =>
      JSON.parse(answerJaegerQuery(store, request(url)).body) as {
        data: unknown;
        errors: { code: number; msg: string }[] | null;
      };

    it('lists services and operations', () => {
      assert.deepEqual(body('/api/services').data, ['checkout', 'payments']);
      assert.deepEqual(body('/api/services/payments/operations').data, ['POST /charge']);
      assert.deepEqual(body('/api/operations?service=payments').data, [{ name: 'POST /charge', spanKind: '' }]);
    });

    it('gives a trace that reads back as the same spans', () => {
      const [original] = checkoutTraces();
      const [read] = parseJaegerDocument(body(`/api/traces/${CHECKOUT_TRACE}`));
      const shape = (t: typeof original) =>
        t!.spans.map((s) => [
          s.spanId,
          s.parentSpanId,
          s.name,
          s.service,
          s.kind,
          s.status.code,
          s.status.message,
          s.startUs,
          s.durationUs,
          s.attributes['code.lineno'],
        ]);
      assert.deepEqual(shape(read), shape(original));
      assert.equal(answerJaegerQuery(store, request('/api/traces/0123456789abcdef')).status, 404);
    });

    it('searches by service, tags, duration and limit', () => {
      const ids = (url: string): string[] => (body(url).data as { traceID: string }[]).map((t) => t.traceID);
      assert.deepEqual(ids('/api/traces?service=payments&limit=5'), [CHECKOUT_TRACE]);
      assert.deepEqual(ids('/api/traces?service=payments&tags=%7B%22error%22%3A%22true%22%7D'), [CHECKOUT_TRACE]);
      assert.deepEqual(ids('/api/traces?service=payments&minDuration=2s'), []);
      assert.deepEqual(ids('/api/traces?service=nope'), []);
      assert.deepEqual(body('/api/traces?minDuration=soon').errors, [
        { code: 400, msg: 'minDuration must be a duration such as 100ms or 1.5s, not "soon"' },
      ]);
    });
  });

  describe('on the receiver port', () => {
    it('is off by default', async () => {
      const receiver = await startReceiver({ port: 0 });
      try {
        const res = await fetch(`${receiver.url}/api/services`);
        assert.equal(res.status, 404);
      } finally {
        await receiver.close();
      }
    });

    it("serves Trace Lens's own Jaeger client when on, next to OTLP", async () => {
      const receiver = await startReceiver({ port: 0, jaegerQueryApi: {} });
      receiver.store.add(checkoutTraces());
      const jaeger = createBackend({ type: 'jaeger', url: receiver.url });
      try {
        assert.deepEqual(await jaeger.listServices(), ['checkout', 'payments']);
        const hits = await jaeger.searchTraces({ service: 'checkout', limit: 10, startUs: 1, endUs: Date.now() * 1000 });
        assert.deepEqual(
          hits.map((h) => [h.traceId, h.spanCount, h.errorCount]),
          [[CHECKOUT_TRACE, 5, 3]],
        );
        assert.equal((await jaeger.getTrace(CHECKOUT_TRACE)).spans.length, 5);
        const otlp = await fetch(`${receiver.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        assert.equal(otlp.status, 200, 'OTLP still answers');
      } finally {
        await jaeger.dispose?.();
        await receiver.close();
      }
    });
  });
});
