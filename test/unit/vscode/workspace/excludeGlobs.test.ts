import * as assert from 'node:assert/strict';
import {
  ALWAYS_EXCLUDED,
  combinedGlob,
  excludeMatchers,
  excludePatterns,
  expandBraces,
} from '../../../../src/vscode/workspace/excludeGlobs';

describe('excludeGlobs (files.exclude + search.exclude → one findFiles glob)', () => {
  it('takes the patterns switched on in both settings, after the folders that are never source', () => {
    const { patterns, dropped } = excludePatterns(
      { '**/.DS_Store': true, '**/generated': true, '**/docs': false },
      { '**/dist': true, '**/node_modules': true },
    );
    assert.deepEqual(patterns, [...ALWAYS_EXCLUDED, '**/.DS_Store', '**/generated', '**/dist']);
    assert.deepEqual(dropped, []);
  });

  it('skips entries with a when clause and settings that are not objects', () => {
    const { patterns } = excludePatterns({ '**/*.js': { when: '$(basename).ts' } }, null, 'nonsense', undefined);
    assert.deepEqual(patterns, [...ALWAYS_EXCLUDED]);
  });

  it('expands braces so that the combined glob never nests them', () => {
    assert.deepEqual(expandBraces('src/{a,b}/*.{js,ts}'), ['src/a/*.js', 'src/a/*.ts', 'src/b/*.js', 'src/b/*.ts']);
    assert.deepEqual(expandBraces('{out,{dist,build}}'), ['out', 'dist', 'build']);
    const { patterns } = excludePatterns({ '**/{out,tmp}': true });
    assert.ok(patterns.includes('**/out') && patterns.includes('**/tmp'));
    assert.equal(combinedGlob(['a', 'b']), '{a,b}');
    assert.equal(combinedGlob(['a']), 'a');
    assert.equal(combinedGlob([]), undefined);
  });

  it('reports patterns it cannot fold in: unbalanced braces, literal commas, runaway expansions', () => {
    const huge = '{a,b,c,d}{e,f,g,h}{i,j,k,l}{m,n,o,p}';
    const { dropped } = excludePatterns({ '**/{broken': true, '**/a,b': true, [huge]: true });
    assert.deepEqual(dropped, ['**/{broken', '**/a,b', huge]);
  });

  it('matches folder-relative paths the way the listing excludes them (for file watcher events)', () => {
    const [nodeModules, generated] = excludeMatchers(['**/node_modules', 'src/generated']);
    assert.ok(nodeModules!.test('node_modules/x/index.js'));
    assert.ok(nodeModules!.test('packages/a/node_modules/x.js'));
    assert.ok(generated!.test('src/generated/api.ts'));
    assert.ok(!generated!.test('lib/src/generated/api.ts'));
  });
});
