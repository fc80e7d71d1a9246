import * as assert from 'node:assert/strict';
import { readPathMappings } from '../../../../src/vscode/workspace/pathMappingsSetting';

describe('readPathMappings (traceLens.pathMappings → PathMappings)', () => {
  it('keeps well-formed entries as written', () => {
    const r = readPathMappings({ '/app': '${workspaceFolder}', '/srv/pay/': '${workspaceFolder:payments}/src' });
    assert.deepEqual(r.mappings, { '/app': '${workspaceFolder}', '/srv/pay/': '${workspaceFolder:payments}/src' });
    assert.deepEqual(r.warnings, []);
  });

  it("reads ${workspaceFolder} in a folder's own settings as that folder", () => {
    const r = readPathMappings({}, [{ name: 'payments', value: { '/app': '${workspaceFolder}/src' } }]);
    assert.deepEqual(r.mappings, { '/app': '${workspaceFolder:payments}/src' });
  });

  it('lets a folder override a key and says so', () => {
    const r = readPathMappings({ '/app': '${workspaceFolder}' }, [{ name: 'cart', value: { '/app': '${workspaceFolder}' } }]);
    assert.deepEqual(r.mappings, { '/app': '${workspaceFolder:cart}' });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /"\/app" is mapped to "\$\{workspaceFolder\}" and "\$\{workspaceFolder:cart\}"/);
  });

  it('reports malformed values instead of failing', () => {
    const r = readPathMappings({ '/app': 42, '/ok': '/home/me/src', '': 'x' }, [{ name: 'a', value: ['nope'] }]);
    assert.deepEqual(r.mappings, { '/ok': '/home/me/src' });
    assert.equal(r.warnings.length, 3);
    assert.match(r.warnings[2]!, /folder a.*must be an object/);
  });

  it('keeps a hostile key an ordinary key', () => {
    const r = readPathMappings(JSON.parse('{"__proto__": "/x"}'));
    assert.deepEqual(Object.keys(r.mappings), ['__proto__']);
    assert.equal(Object.getPrototypeOf(r.mappings), Object.prototype);
  });
});
