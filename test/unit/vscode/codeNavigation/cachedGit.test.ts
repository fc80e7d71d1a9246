import * as assert from 'node:assert/strict';
import type { GitPort } from '../../../../src/core/codeLocation/revision';
import { CachedGit } from '../../../../src/vscode/codeNavigation/cachedGit';

class CountingGit implements GitPort {
  calls: string[] = [];
  headSha = 'aaaaaaa';
  present = new Set(['bbbbbbb']);
  async head(root: string) {
    this.calls.push(`head ${root}`);
    return this.headSha;
  }
  async hasCommit(root: string, rev: string) {
    this.calls.push(`has ${rev}`);
    return this.present.has(rev);
  }
  async diff(root: string, rev: string, file: string) {
    this.calls.push(`diff ${rev} ${file}`);
    return `@@ -1 +1,2 @@ ${this.headSha}`;
  }
}

describe('CachedGit (a few git processes per trace, not several per span)', () => {
  let now = 0;
  const options = { headTtlMs: 5000, now: () => now };

  it('asks git once per root for HEAD until it may have moved', async () => {
    const git = new CountingGit();
    const cached = new CachedGit(git, options);
    now = 0;
    await Promise.all([cached.head('/r'), cached.head('/r'), cached.head('/other')]);
    now = 4999;
    await cached.head('/r');
    assert.deepEqual(git.calls, ['head /r', 'head /other']);
    now = 5000;
    await cached.head('/r');
    assert.equal(git.calls.length, 3);
  });

  it('remembers present commits for good, and asks again about missing ones (they may be fetched)', async () => {
    const git = new CountingGit();
    const cached = new CachedGit(git, options);
    assert.equal(await cached.hasCommit('/r', 'bbbbbbb'), true);
    assert.equal(await cached.hasCommit('/r', 'bbbbbbb'), true);
    assert.equal(await cached.hasCommit('/r', 'ccccccc'), false);
    git.present.add('ccccccc');
    assert.equal(await cached.hasCommit('/r', 'ccccccc'), true);
    assert.deepEqual(git.calls, ['has bbbbbbb', 'has ccccccc', 'has ccccccc']);
  });

  it('keeps a diff per HEAD until cleared (the working tree changed)', async () => {
    const git = new CountingGit();
    const cached = new CachedGit(git, options);
    now = 0;
    const first = await cached.diff('/r', 'bbbbbbb', 'src/a.js');
    assert.equal(await cached.diff('/r', 'bbbbbbb', 'src/a.js'), first);
    assert.equal(git.calls.filter((c) => c.startsWith('diff')).length, 1);
    cached.clear();
    git.headSha = 'ddddddd';
    assert.match((await cached.diff('/r', 'bbbbbbb', 'src/a.js')) ?? '', /ddddddd/);
    assert.equal(git.calls.filter((c) => c.startsWith('diff')).length, 2);
  });
});
