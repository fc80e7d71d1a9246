import * as assert from 'node:assert/strict';
import { BackendConfigError } from '../../../../src/core/backends/backendErrors';
import {
  authHeaders,
  checkBackendUrl,
  decodeSecret,
  defaultSecretKey,
  encodeSecret,
  mergeBackendScopes,
  parseBackendSettings,
  parseSecretHeaders,
  proxyOptions,
  removeSettingValue,
  resolveBackendConfig,
  toSettingValue,
  upsertSettingValue,
  type BackendSetting,
} from '../../../../src/core/backends/backendSettings';
import { createBackend } from '../../../../src/core/backends/createBackend';

const jaeger = { name: 'Team Jaeger', type: 'jaeger', url: 'https://jaeger.example.com/', auth: { kind: 'bearer' } };

function only(value: unknown): BackendSetting {
  const { backends, problems } = parseBackendSettings([value]);
  assert.deepEqual(problems, []);
  assert.equal(backends.length, 1);
  return backends[0]!;
}

describe('backendSettings', () => {
  describe('parseBackendSettings', () => {
    it('reads an entry, normalising the URL and defaulting the secret key', () => {
      const backend = only(jaeger);
      assert.equal(backend.name, 'Team Jaeger');
      assert.equal(backend.type, 'jaeger');
      assert.equal(backend.url, 'https://jaeger.example.com');
      assert.deepEqual(backend.auth, { kind: 'bearer', secretKey: defaultSecretKey('Team Jaeger') });
      assert.equal(backend.allowUntrustedCertificates, false);
      assert.equal(backend.scope, 'user');
    });

    it("uses the type's default URL when none is given", () => {
      assert.equal(only({ name: 'z', type: 'zipkin' }).url, 'http://localhost:9411');
      assert.equal(only({ name: 't', type: 'tempo' }).url, 'http://localhost:3200');
    });

    it('keeps a path under which the API is served', () => {
      assert.equal(only({ name: 'j', type: 'jaeger', url: 'http://host:80/jaeger/' }).url, 'http://host/jaeger');
    });

    it('leaves out entries that cannot work, saying which and why', () => {
      const { backends, problems } = parseBackendSettings([
        { type: 'jaeger' },
        { name: 'x', type: 'datadog' },
        { name: 'y', type: 'tempo', url: 'ftp://host' },
        'jaeger',
        { name: 'ok', type: 'zipkin' },
        { name: 'ok', type: 'jaeger' },
      ]);
      assert.deepEqual(
        backends.map((b) => b.name),
        ['ok'],
      );
      assert.equal(problems.length, 5);
      assert.match(problems[0]!, /traceLens\.backends\[0\].*has no name/);
      assert.match(problems[1]!, /"x": type must be jaeger, tempo or zipkin, not "datadog"/);
      assert.match(problems[2]!, /"y": Use http:\/\/ or https:\/\/, not ftp:/);
      assert.match(problems[3]!, /must be an object/);
      assert.match(problems[4]!, /another backend is already named "ok"/);
    });

    it('refuses a setting that is not a list', () => {
      const { backends, problems } = parseBackendSettings({ name: 'j' }, 'workspace');
      assert.deepEqual(backends, []);
      assert.match(problems[0]!, /must be a list of backends, not an object/);
    });

    it('keeps fields it can use and names the ones it drops', () => {
      const { backends, problems } = parseBackendSettings([
        {
          name: 'j',
          type: 'jaeger',
          tenant: 'acme',
          headers: { 'X-Env': 'dev', 'bad header': 'x', 'X-Multi': 'a\r\nInjected: yes', 'X-Num': 3 },
          auth: { kind: 'oauth' },
          uiUrl: 'http://grafana:3000/explore',
        },
      ]);
      const [backend] = backends;
      assert.deepEqual(backend?.headers, { 'X-Env': 'dev' });
      assert.equal(backend?.tenant, undefined);
      assert.equal(backend?.auth.kind, 'none');
      assert.equal(backend?.uiUrl, 'http://grafana:3000/explore');
      assert.equal(problems.length, 5);
      assert.ok(problems.some((p) => /tenant applies to Tempo only/.test(p)));
      assert.ok(problems.some((p) => /"bad header" is not a valid header name/.test(p)));
      assert.ok(problems.some((p) => /header "X-Multi" must be one line/.test(p)));
      assert.ok(problems.some((p) => /auth.kind must be none, bearer, basic or headers, not "oauth"/.test(p)));
    });

    it('warns about a credential written into the settings file', () => {
      const { problems } = parseBackendSettings([{ name: 'j', type: 'jaeger', headers: { Authorization: 'Bearer abc' } }]);
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, /"Authorization" looks like a credential/);
      assert.doesNotMatch(problems[0]!, /abc/);
    });
  });

  describe('mergeBackendScopes', () => {
    const user = [{ name: 'prod', type: 'jaeger', url: 'https://jaeger.corp' }];
    const workspace = [
      { name: 'prod', type: 'jaeger', url: 'https://attacker.example' },
      { name: 'local tempo', type: 'tempo' },
    ];

    it("uses only the user's backends in an untrusted workspace, counting what it ignored", () => {
      const merged = mergeBackendScopes({ user, workspace }, false);
      assert.deepEqual(
        merged.backends.map((b) => [b.name, b.url, b.scope]),
        [['prod', 'https://jaeger.corp', 'user']],
      );
      assert.equal(merged.ignoredUntrusted, 2);
    });

    it('lets a trusted workspace add backends and replace ones of the same name', () => {
      const merged = mergeBackendScopes({ user, workspace }, true);
      assert.deepEqual(
        merged.backends.map((b) => [b.name, b.url, b.scope]),
        [
          ['prod', 'https://attacker.example', 'workspace'],
          ['local tempo', 'http://localhost:3200', 'workspace'],
        ],
      );
      assert.equal(merged.ignoredUntrusted, 0);
    });
  });

  describe('checkBackendUrl', () => {
    it('accepts http(s) URLs and says how to fix the rest', () => {
      assert.equal(checkBackendUrl('http://localhost:16686'), undefined);
      assert.equal(checkBackendUrl('https://tempo.example.com/tempo'), undefined);
      assert.equal(checkBackendUrl('localhost:16686'), 'Add the scheme: http://localhost:16686');
      assert.match(checkBackendUrl('')!, /Enter the URL/);
      assert.match(checkBackendUrl('https://user:pw@host')!, /Leave credentials out of the URL/);
      assert.match(checkBackendUrl('http://host/?token=1')!, /Leave the query/);
      assert.match(checkBackendUrl('not a url')!, /is not a URL/);
    });
  });

  describe('authHeaders', () => {
    it('turns a token into a Bearer header, tolerating a pasted "Bearer " prefix', () => {
      assert.deepEqual(authHeaders('bearer', 'abc'), {
        headers: { authorization: 'Bearer abc' },
        secretHeaders: ['authorization'],
      });
      assert.deepEqual(authHeaders('bearer', ' Bearer abc ').headers, { authorization: 'Bearer abc' });
    });

    it('encodes user:password as Basic', () => {
      assert.deepEqual(authHeaders('basic', 'alice:s3cr:et').headers, {
        authorization: `Basic ${Buffer.from('alice:s3cr:et').toString('base64')}`,
      });
      assert.throws(() => authHeaders('basic', 'alice'), /user:password/);
    });

    it('marks every custom header secret', () => {
      assert.deepEqual(authHeaders('headers', 'X-Api-Key: k1\nX-Org: acme'), {
        headers: { 'X-Api-Key': 'k1', 'X-Org': 'acme' },
        secretHeaders: ['X-Api-Key', 'X-Org'],
      });
    });

    it('refuses a token that would inject a header', () => {
      assert.throws(() => authHeaders('bearer', 'abc\r\nX-Evil: 1'), /one line/);
    });
  });

  describe('parseSecretHeaders', () => {
    it('reads Name: value lines and JSON objects', () => {
      assert.deepEqual(parseSecretHeaders('X-Api-Key: a:b'), { 'X-Api-Key': 'a:b' });
      assert.deepEqual(parseSecretHeaders('{"X-Api-Key":"k"}'), { 'X-Api-Key': 'k' });
      assert.throws(() => parseSecretHeaders('just-a-token'), /is not a header; write Name: value/);
      assert.throws(() => parseSecretHeaders('{"X": 1}'), /must be a string/);
      assert.throws(() => parseSecretHeaders(' '), /at least one header/);
    });
  });

  describe('secrets', () => {
    it('round-trips and refuses anything else', () => {
      const secret = { kind: 'bearer', origin: 'https://jaeger.example.com', value: 'tok' } as const;
      assert.deepEqual(decodeSecret(encodeSecret(secret)), secret);
      assert.equal(decodeSecret(undefined), undefined);
      assert.equal(decodeSecret('tok'), undefined);
      assert.equal(decodeSecret('{"v":1,"kind":"cookie","origin":"x","value":"y"}'), undefined);
    });
  });

  describe('resolveBackendConfig', () => {
    // A plain Authorization in settings is read (with a warning) and must lose to the stored secret.
    const setting = parseBackendSettings([{ ...jaeger, headers: { 'X-Env': 'dev', authorization: 'plain' } }]).backends[0]!;
    const secret = { kind: 'bearer', origin: 'https://jaeger.example.com', value: 's3cret' } as const;

    it('adds the secret as headers, marked secret, replacing a plain header of the same name', () => {
      const config = resolveBackendConfig(setting, { secret, http: { maxResponseBytes: 1024 } });
      assert.deepEqual(config.headers, { 'X-Env': 'dev', authorization: 'Bearer s3cret' });
      assert.deepEqual(config.http?.secretHeaders, ['authorization']);
      assert.equal(config.http?.maxResponseBytes, 1024);
      assert.equal(config.url, 'https://jaeger.example.com');
      assert.doesNotThrow(() => createBackend(config));
    });

    it('sends no credentials to an origin they were not entered for', () => {
      const moved = { ...setting, url: 'https://attacker.example' };
      assert.throws(
        () => resolveBackendConfig(moved, { secret }),
        (e: unknown) =>
          e instanceof BackendConfigError &&
          /were saved for https:\/\/jaeger\.example\.com, but its URL is now https:\/\/attacker\.example/.test(e.message) &&
          !e.message.includes('s3cret'),
      );
    });

    it('says how to enter missing credentials', () => {
      assert.throws(() => resolveBackendConfig(setting), /No credentials for "Team Jaeger" are stored.*Add Backend/);
      assert.throws(
        () => resolveBackendConfig(setting, { secret: { ...secret, kind: 'basic', value: 'a:b' } }),
        /stored for "Team Jaeger" are a user name and password, but its settings ask for a bearer token/,
      );
    });

    it('passes the tenant, the CA and the opt-in to untrusted certificates', () => {
      const tempo = only({ name: 't', type: 'tempo', tenant: 'acme', allowUntrustedCertificates: true });
      const config = resolveBackendConfig(tempo, { ca: 'PEM' });
      assert.equal(config.tenant, 'acme');
      assert.equal(config.http?.ca, 'PEM');
      assert.equal(config.http?.allowUntrustedCertificates, true);
      assert.equal(config.headers, undefined);
    });
  });

  describe('writing settings', () => {
    it('writes only non-default fields and never a secret', () => {
      const value = toSettingValue(only(jaeger));
      assert.deepEqual(value, {
        name: 'Team Jaeger',
        type: 'jaeger',
        url: 'https://jaeger.example.com',
        auth: { kind: 'bearer' },
      });
    });

    it('replaces an entry of the same name, keeps the others untouched, and removes by name', () => {
      const list = [{ name: 'a', type: 'jaeger', custom: 1 }, 'junk', { name: 'b', type: 'zipkin' }];
      assert.deepEqual(upsertSettingValue(list, { name: 'b', type: 'tempo' }), [list[0], 'junk', { name: 'b', type: 'tempo' }]);
      assert.deepEqual(upsertSettingValue(undefined, { name: 'c' }), [{ name: 'c' }]);
      assert.deepEqual(removeSettingValue(list, 'a'), ['junk', list[2]]);
    });
  });

  describe('proxyOptions', () => {
    it("follows http.proxy and http.noProxy, and http.proxyStrictSSL's opt-out", () => {
      assert.deepEqual(proxyOptions({ proxy: 'http://proxy:3128', noProxy: ['corp.internal'], strictSSL: false }), {
        proxy: 'http://proxy:3128',
        noProxy: ['corp.internal'],
        allowUntrustedCertificates: true,
      });
      assert.deepEqual(proxyOptions({ proxy: 'http://proxy:3128', strictSSL: true }), { proxy: 'http://proxy:3128' });
    });

    it('falls back to the environment, and turns off with http.proxySupport off', () => {
      const env = { https_proxy: 'http://envproxy:8080', NO_PROXY: 'a.example, .b.example' };
      assert.deepEqual(proxyOptions({ env }), { proxy: 'http://envproxy:8080', noProxy: ['a.example', '.b.example'] });
      assert.deepEqual(proxyOptions({ proxy: 'http://proxy:3128', proxySupport: 'off' }), {});
      assert.deepEqual(proxyOptions({}), {});
    });
  });
});
