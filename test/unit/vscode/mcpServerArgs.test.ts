import * as assert from 'node:assert/strict';
import { mcpServerArgs } from '../../../src/vscode/agent/mcpServerArgs';

describe('the MCP server the extension offers', () => {
  it('reads the active backend first, then the receiver, over the workspace folders', () => {
    assert.deepEqual(
      mcpServerArgs({
        folders: ['/repo/a', '/repo/b'],
        receiverQueryApi: 'http://127.0.0.1:4318',
        active: { type: 'tempo', url: 'http://tempo:3200', auth: { kind: 'none', secretKey: 'k' } },
      }),
      [
        '--backend',
        'tempo=http://tempo:3200',
        '--backend',
        'jaeger=http://127.0.0.1:4318',
        '--workspace',
        '/repo/a',
        '--workspace',
        '/repo/b',
      ],
    );
  });

  it('never hands over a backend that needs credentials or a tenant', () => {
    const secured = { type: 'jaeger' as const, url: 'https://jaeger.example', auth: { kind: 'bearer' as const, secretKey: 'k' } };
    assert.deepEqual(mcpServerArgs({ folders: ['/repo'], active: secured }), ['--workspace', '/repo']);
    const tenant = {
      type: 'tempo' as const,
      url: 'http://tempo',
      auth: { kind: 'none' as const, secretKey: 'k' },
      tenant: 'acme',
    };
    assert.deepEqual(mcpServerArgs({ folders: [], active: tenant }), []);
  });
});
