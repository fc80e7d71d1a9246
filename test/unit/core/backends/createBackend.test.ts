import * as assert from 'node:assert/strict';
import { BackendConfigError } from '../../../../src/core/backends/backendErrors';
import { createBackend, DEFAULT_BACKEND_URLS } from '../../../../src/core/backends/createBackend';
import type { TraceBackend } from '../../../../src/core/backends/types';

describe('createBackend', () => {
  it('builds each remote type, defaulting to its usual local port', () => {
    for (const type of ['jaeger', 'tempo', 'zipkin'] as const) {
      const backend = createBackend({ type });
      assert.equal(backend.type, type);
      assert.equal(backend.url, DEFAULT_BACKEND_URLS[type]);
    }
  });

  it('never shows credentials written into the URL', () => {
    const backend = createBackend({ type: 'tempo', url: 'https://me:secret@tempo.example/prefix/' });
    assert.equal(backend.url, 'https://tempo.example/prefix');
  });

  it('hands back the local store it was given', () => {
    const local = { type: 'local' } as unknown as TraceBackend;
    assert.equal(createBackend({ type: 'local' }, { local }), local);
    assert.equal(createBackend({ type: 'local' }, { local: () => local }), local);
    assert.throws(() => createBackend({ type: 'local' }), BackendConfigError);
  });

  it('refuses a URL that is not http(s) and a header that would split the request', () => {
    assert.throws(() => createBackend({ type: 'jaeger', url: 'ftp://x' }), /must start with http:\/\/ or https:\/\//);
    assert.throws(
      () => createBackend({ type: 'jaeger', headers: { Authorization: 'Bearer a\r\nX-Evil: 1' } }),
      (e: unknown) => e instanceof BackendConfigError && !e.message.includes('Bearer a'),
    );
  });
});
