import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  BackendCancelledError,
  BackendHttpError,
  BackendMalformedError,
  BackendTimeoutError,
  BackendTooLargeError,
  BackendUnauthorizedError,
  BackendUnreachableError,
  type BackendError,
} from '../../../../src/core/backends/backendErrors';
import { HttpClient, redactUrl, type HttpClientOptions } from '../../../../src/core/backends/http/httpClient';
import { generateTrace, toZipkinJson } from '../../../fixtures/generateTraces';
import { refusedUrl, startFakeBackend, type FakeBackend } from '../../../fakes/fakeBackend';
import { startFakeProxy } from '../../../fakes/fakeProxy';

const SECRET = 'sk-live-7f3a9c1d2e';
/** The fake Zipkin serves this generated trace only, so that no test depends on the shared upstream fixtures. */
const TRACE = generateTrace(1041, 7);
const TRACE_DOC: unknown = JSON.parse(toZipkinJson(TRACE));
const zipkin = (options: Parameters<typeof startFakeBackend>[1] = {}) =>
  startFakeBackend('zipkin', { withoutFixtures: true, documents: [TRACE_DOC], ...options });

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (e) {
    return e as BackendError;
  }
  assert.fail('expected the request to fail');
}

describe('HttpClient', () => {
  let fake: FakeBackend;
  let logs: string[];
  const client = (options: Partial<HttpClientOptions> = {}): HttpClient =>
    new HttpClient({
      backend: 'Zipkin',
      baseUrl: fake.url,
      serviceNoun: 'the Zipkin server',
      headers: { Authorization: `Bearer ${SECRET}` },
      connectTimeoutMs: 2000,
      headersTimeoutMs: 400,
      bodyTimeoutMs: 2000,
      totalTimeoutMs: 3000,
      retryBaseDelayMs: 10,
      log: (line) => logs.push(line),
      ...options,
    });

  beforeEach(async () => {
    fake = await zipkin();
    logs = [];
  });
  afterEach(() => fake.close());

  it('gets a body and sends the configured headers', async () => {
    const http = client();
    const { doc } = await http.getJson('/api/v2/services', 'zipkin');
    assert.ok(Array.isArray(doc) && doc.includes(TRACE.resources[0]!.service.toLowerCase()), JSON.stringify(doc));
    assert.equal(fake.requests[0]?.headers.authorization, `Bearer ${SECRET}`);
    await http.close();
  });

  it('keeps the base URL path (a UI served under /zipkin)', async () => {
    await fake.close();
    fake = await zipkin({ basePath: '/zipkin' });
    const http = client();
    await http.getJson('/api/v2/services', 'zipkin');
    assert.equal(fake.requests[0]?.path, '/zipkin/api/v2/services');
    await http.close();
  });

  it('reports a refused connection with what to check, and the URL among its remedies', async () => {
    const url = await refusedUrl();
    const http = client({ baseUrl: url, retries: 0 });
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendUnreachableError);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.message, `Zipkin at ${url} refused the connection — is the Zipkin server running?`);
    assert.deepEqual(error.remedies, ['retry', 'selectBackend', 'checkUrl']);
    await http.close();
  });

  it('times out when the headers never come', async () => {
    fake.inject({ kind: 'hang' });
    const http = client();
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendTimeoutError);
    assert.equal(error.phase, 'headers');
    assert.match(error.message, /sent no answer to \/api\/v2\/services within 0\.4 s/);
    await http.close();
  });

  it('stops a body that trickles past the overall deadline', async () => {
    fake.inject({ kind: 'trickle', intervalMs: 20 });
    const http = client({ totalTimeoutMs: 600 });
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendTimeoutError);
    assert.equal(error.phase, 'total');
    assert.match(error.message, /did not finish answering \/api\/v2\/services within 0\.6 s \(\d+ B received\)/);
    await http.close();
  });

  it('turns 401 into an unauthorized error that never shows the token', async () => {
    fake.inject({ kind: 'status', status: 401, body: `invalid token ${SECRET}` });
    const http = client();
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendUnauthorizedError);
    assert.equal(error.status, 401);
    assert.match(error.message, /rejected the credentials \(HTTP 401\): invalid token <redacted>/);
    assert.deepEqual(error.remedies, ['retry', 'selectBackend', 'addCredentials']);
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error), ...logs])
      assert.ok(!text.includes(SECRET), text);
    assert.ok(logs.some((l) => l.includes('[headers sent: Authorization]')));
    await http.close();
  });

  it('reduces a 500 HTML page to its title', async () => {
    fake.inject({
      kind: 'status',
      status: 500,
      contentType: 'text/html',
      body: '<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Oops</h1><p>stack…</p></body></html>',
    });
    const http = client();
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendHttpError);
    assert.equal(error.status, 500);
    assert.equal(error.serverMessage, '500 Internal Server Error');
    assert.match(
      error.message,
      /failed with HTTP 500 for \/api\/v2\/services: 500 Internal Server Error — see the backend's logs/,
    );
    await http.close();
  });

  it('says where truncated JSON broke', async () => {
    fake.inject({ kind: 'truncate', keepBytes: 20 });
    const http = client();
    const error = await failure(http.getJson('/api/v2/services', 'zipkin'));
    assert.ok(error instanceof BackendMalformedError);
    assert.equal(error.formatError?.format, 'zipkin');
    assert.match(error.message, /could not be read: Not a valid zipkin document at (byte \d+|end of input)/);
    await http.close();
  });

  it('aborts a streamed body over the size cap', async () => {
    fake.inject({ kind: 'oversize', bytes: 3 * 1024 * 1024 });
    const http = client({ maxResponseBytes: 1024 * 1024 });
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendTooLargeError);
    assert.equal(error.limitBytes, 1024 * 1024);
    assert.match(error.message, /over the 1 MB limit — narrow the search/);
    await http.close();
  });

  it('refuses a declared Content-Length over the cap before reading it', async () => {
    fake.inject({ kind: 'oversize', bytes: 2 * 1024 * 1024, declareLength: true });
    const http = client({ maxResponseBytes: 1024 * 1024 });
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendTooLargeError);
    assert.match(error.message, /of 2 MB, over the 1 MB limit/);
    await http.close();
  });

  it('decompresses gzip, and bounds what it decompresses to', async () => {
    await fake.close();
    fake = await zipkin({ gzip: true });
    const ok = client();
    const { response, doc } = await ok.getJson(`/api/v2/trace/${TRACE.traceId}`, 'zipkin');
    assert.ok(Array.isArray(doc) && doc.length === 1041);
    assert.ok(response.body.length > 400_000, 'decompressed');
    await ok.close();
    const small = client({ maxResponseBytes: 100_000 });
    const error = await failure(small.get(`/api/v2/trace/${TRACE.traceId}`));
    assert.ok(error instanceof BackendTooLargeError, String(error));
    assert.match(error.message, /decompresses to more than/);
    await small.close();
  });

  it('reads zlib and raw deflate alike, and bounds what deflate decompresses to', async () => {
    const json = Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => `service-${i}`)));
    const server = createServer((req, res) => {
      const raw = req.url === '/raw';
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
      res.end(raw ? zlib.deflateRawSync(json) : zlib.deflateSync(json));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const route of ['/zlib', '/raw']) {
        const ok = client({ baseUrl: base });
        assert.deepEqual((await ok.get(route)).body, json, route);
        await ok.close();
        const small = client({ baseUrl: base, maxResponseBytes: 100_000 });
        const error = await failure(small.get(route));
        assert.ok(error instanceof BackendTooLargeError, `${route}: ${String(error)}`);
        assert.match(error.message, /decompresses to more than/);
        await small.close();
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says a redirect leads nowhere when its Location is not a URL, and never retries a status the caller reads', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      if (req.url === '/moved') res.writeHead(302, { location: 'http://[bad' }).end();
      else res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"metrics off"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const http = client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      const error = await failure(http.get('/moved'));
      assert.match(error.message, /redirected \/moved to "http:\/\/\[bad", which is not a URL/);
      requests = 0;
      const passed = await http.get('/metrics', { passStatuses: [503] });
      assert.equal(passed.status, 503);
      assert.equal(requests, 1);
    } finally {
      await http.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retries 503 and connection resets, then succeeds', async () => {
    fake.inject({ kind: 'status', status: 503, body: 'warming up' }, { times: 1 });
    fake.inject({ kind: 'reset' }, { times: 1 });
    const http = client();
    const response = await http.get('/api/v2/services');
    assert.equal(response.status, 200);
    assert.equal(response.attempts, 3);
    assert.equal(fake.requests.length, 3);
    await http.close();
  });

  it('gives up after the retries and says so', async () => {
    fake.inject({ kind: 'status', status: 502, body: 'Bad Gateway' });
    const http = client({ retries: 2 });
    const error = await failure(http.get('/api/v2/services'));
    assert.ok(error instanceof BackendHttpError);
    assert.equal(fake.requests.length, 3);
    assert.match(error.message, /is unavailable \(HTTP 502 after 3 attempts\): Bad Gateway/);
    // no setting fixes a backend that is down
    assert.deepEqual(error.remedies, ['retry', 'selectBackend']);
    await http.close();
  });

  it('does not retry a 500', async () => {
    fake.inject({ kind: 'status', status: 500 });
    const http = client();
    await failure(http.get('/api/v2/services'));
    assert.equal(fake.requests.length, 1);
    await http.close();
  });

  it('follows a bounded number of redirects, dropping credentials when the origin changes', async () => {
    const other = await zipkin();
    try {
      fake.inject({ kind: 'redirect', location: `${other.url}/api/v2/services` }, { times: 1 });
      const http = client();
      const response = await http.get('/api/v2/services');
      assert.equal(response.status, 200);
      assert.equal(other.requests[0]?.headers.authorization, undefined);
      fake.inject({ kind: 'redirect', location: '/api/v2/services' });
      const error = await failure(http.get('/api/v2/services'));
      assert.ok(error instanceof BackendHttpError);
      assert.match(error.message, /redirected \/api\/v2\/services more than 5 times/);
      await http.close();
    } finally {
      await other.close();
    }
  });

  it('sends no configured header to another origin, whatever its name, and logs header names, never values', async () => {
    const other = await startFakeBackend('zipkin');
    const configured = {
      Authorization: `Bearer ${SECRET}`,
      'X-Honeycomb-Team': 'hc-team-key-5150',
      'Ocp-Apim-Subscription-Key': 'apim-key-8086',
      'X-Scope-OrgID': 'tenant-6502',
    };
    try {
      const http = client({ headers: configured });
      fake.inject({ kind: 'redirect', location: '/api/v2/services' }, { times: 1 });
      await http.get('/api/v2/services');
      const sameOrigin = fake.requests.at(-1)!.headers;
      for (const name of Object.keys(configured)) assert.ok(sameOrigin[name.toLowerCase()], `${name} kept on the same origin`);

      fake.inject({ kind: 'redirect', location: `${other.url}/api/v2/services` }, { times: 1 });
      const response = await http.get('/api/v2/services');
      assert.equal(response.status, 200);
      const sent = other.requests[0]!.headers;
      for (const name of Object.keys(configured)) assert.equal(sent[name.toLowerCase()], undefined, `${name} not sent on`);
      assert.equal(sent['user-agent'], 'trace-lens');

      fake.inject({ kind: 'status', status: 500 }, { times: 3 });
      await failure(http.get('/api/v2/services'));
      assert.ok(logs.some((l) => l.includes('not sending the configured headers Authorization, X-Honeycomb-Team')));
      assert.ok(logs.some((l) => l.includes('[headers sent: Authorization, X-Honeycomb-Team, Ocp-Apim-Subscription-Key')));
      for (const line of logs) {
        for (const value of Object.values(configured)) assert.ok(!line.includes(value.replace('Bearer ', '')), line);
      }
      await http.close();
    } finally {
      await other.close();
    }
  });

  it('cancels a request in flight with a cancelled error, not a failure', async () => {
    fake.inject({ kind: 'hang' });
    const http = client({ headersTimeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = failure(http.get('/api/v2/services', { signal: controller.signal }));
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await pending;
    assert.ok(error instanceof BackendCancelledError);
    await http.close();
  });

  it('goes through a proxy, but never for loopback hosts', async () => {
    const proxy = await startFakeProxy();
    try {
      const port = new URL(fake.url).port;
      const proxied = client({ baseUrl: `http://zipkin.example:${port}`, proxy: proxy.url });
      await proxied.get('/api/v2/services');
      assert.deepEqual(proxy.connects, [`zipkin.example:${port}`]);
      await proxied.close();
      const direct = client({ proxy: proxy.url });
      await direct.get('/api/v2/services');
      assert.equal(proxy.connects.length, 1);
      await direct.close();
    } finally {
      await proxy.close();
    }
  });

  it('explains a proxy that wants credentials, without showing the proxy password', async () => {
    const proxy = await startFakeProxy({ requireAuth: 'Basic nope' });
    try {
      const port = new URL(fake.url).port;
      const http = client({ baseUrl: `http://zipkin.example:${port}`, proxy: proxy.url.replace('//', '//me:hunter2@') });
      const error = await failure(http.get('/api/v2/services'));
      assert.ok(error instanceof BackendUnreachableError, String(error));
      assert.match(error.message, /through the proxy http:\/\/127\.0\.0\.1:\d+\/: the proxy asked for credentials \(HTTP 407\)/);
      assert.ok(!error.message.includes('hunter2'));
      await http.close();
    } finally {
      await proxy.close();
    }
  });

  it('redacts user info and credential-looking query values in URLs', () => {
    assert.equal(
      redactUrl('https://me:pw@tempo.example/api?api_key=abc&limit=5'),
      'https://tempo.example/api?api_key=redacted&limit=5',
    );
  });

  it('redacts a URL that does not parse, such as one whose password holds a bare slash', () => {
    for (const [raw, shown] of [
      ['http://user:pa/ss@host:1/x', 'http://…@host:1/x'],
      ['http://u:pa/ss@host:1/x?token=t0k&limit=5', 'http://…@host:1/x?token=redacted&limit=5'],
      ['user:secret@host', '…@host'],
    ] as const) {
      const redacted = redactUrl(raw);
      assert.equal(redacted, shown);
      assert.ok(!/pa\/ss|secret|t0k/.test(redacted), redacted);
    }
  });

  describe('TLS', () => {
    let tls: { key: string; cert: string } | undefined;
    before(function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-tls-'));
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=127.0.0.1',
            '-addext',
            'subjectAltName=IP:127.0.0.1',
            '-keyout',
            'key.pem',
            '-out',
            'cert.pem',
          ],
          { cwd: dir, stdio: 'ignore' },
        );
        tls = {
          key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
          cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
        };
      } catch {
        console.log('      (skipped: openssl is needed to make a self-signed certificate)');
        this.skip();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('rejects a self-signed certificate unless its CA is given or the user allowed it', async () => {
      await fake.close();
      fake = await zipkin({ tls });
      const strict = client();
      const error = await failure(strict.get('/api/v2/services'));
      assert.ok(error instanceof BackendUnreachableError);
      assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.match(error.message, /presented a certificate that is not trusted .* add its CA certificate/);
      await strict.close();
      const withCa = client({ ca: tls!.cert });
      assert.equal((await withCa.get('/api/v2/services')).status, 200);
      await withCa.close();
      const allowed = client({ allowUntrustedCertificates: true });
      assert.equal((await allowed.get('/api/v2/services')).status, 200);
      await allowed.close();
    });
  });
});
