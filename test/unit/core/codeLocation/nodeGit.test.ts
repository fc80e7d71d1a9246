import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeGit } from '../../../../src/core/codeLocation/nodeGit';
import { reviseMatch } from '../../../../src/core/codeLocation/revision';

const IDENTITY = ['-c', 'user.name=Trace Lens Tests', '-c', 'user.email=tests@trace-lens.invalid', '-c', 'commit.gpgsign=false'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8' }).trim();
}

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`);

describe('NodeGit', () => {
  let root: string;
  let first: string;
  let second: string;
  const nodeGit = new NodeGit();

  before(function () {
    try {
      execFileSync('git', ['--version']);
    } catch {
      this.skip();
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-git-'));
    git(root, 'init', '--quiet', '--initial-branch=main');
    fs.mkdirSync(path.join(root, 'src'));
    // cart.py at the first commit: 60 lines; `def add_item` is line 40
    const v1 = lines(60, '# line');
    v1[39] = 'def add_item(cart, item):';
    v1[49] = 'def remove_item(cart, item):';
    fs.writeFileSync(path.join(root, 'src/cart.py'), v1.join('\n') + '\n');
    git(root, 'add', '.');
    git(root, 'commit', '--quiet', '-m', 'first');
    first = git(root, 'rev-parse', 'HEAD');
    // second commit: 5 import lines on top, 2 lines dropped before line 40, remove_item rewritten
    const v2 = [...lines(5, 'import m'), ...v1.slice(0, 10), ...v1.slice(12)];
    v2[v2.indexOf('def remove_item(cart, item):')] = 'def remove_items(cart, *items):';
    fs.writeFileSync(path.join(root, 'src/cart.py'), v2.join('\n') + '\n');
    git(root, 'commit', '--quiet', '-am', 'second');
    second = git(root, 'rev-parse', 'HEAD');
  });

  after(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads HEAD and knows which commits the clone has', async () => {
    assert.equal(await nodeGit.head(root), second);
    assert.equal(await nodeGit.hasCommit(root, first), true);
    assert.equal(await nodeGit.hasCommit(root, first.slice(0, 7)), true);
    assert.equal(await nodeGit.hasCommit(root, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'), false);
    assert.equal(await nodeGit.hasCommit(root, '--output=/tmp/x'), false);
    assert.equal(await nodeGit.head(os.tmpdir()), undefined, 'not a repository');
  });

  it('remaps a line recorded at the first commit to where it is at HEAD', async () => {
    const m = await reviseMatch({ file: 'src/cart.py', line: 40, reason: 'code.lineno 40' }, first, nodeGit, root);
    assert.equal(m.line, 43);
    assert.equal(m.reason, `code.lineno 40; recorded at ${first.slice(0, 7)}, remapped from line 40 through git diff`);
    const actual = fs.readFileSync(path.join(root, 'src/cart.py'), 'utf8').split('\n')[m.line - 1];
    assert.equal(actual, 'def add_item(cart, item):');
  });

  it('reports a rewritten line with the nearest line of its replacement', async () => {
    const m = await reviseMatch({ file: 'src/cart.py', line: 50, reason: 'r' }, first, nodeGit, root);
    assert.equal(m.line, 53);
    assert.match(m.reason, /line 50 has changed since: showing line 53, the nearest$/);
  });

  it('follows uncommitted edits too, since the editor shows the working tree', async () => {
    const file = path.join(root, 'src/cart.py');
    const committed = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, '# a new first line\n' + committed);
      const m = await reviseMatch({ file: 'src/cart.py', line: 43, reason: 'r' }, second, nodeGit, root);
      assert.equal(m.line, 44);
    } finally {
      fs.writeFileSync(file, committed);
    }
  });

  it('warns, leaving the line, when the revision is not in this clone', async () => {
    const m = await reviseMatch({ file: 'src/cart.py', line: 40, reason: 'r' }, 'abc1234', nodeGit, root);
    assert.equal(m.line, 40);
    assert.equal(
      m.reason,
      `r; recorded at abc1234, you are at ${second.slice(0, 7)} (not in this clone): the line may have moved`,
    );
  });

  it('gives undefined for a failed diff and nothing for an unchanged file', async () => {
    assert.equal(await nodeGit.diff(root, second, 'src/cart.py'), '');
    assert.equal(await nodeGit.diff(root, '--output=x', 'src/cart.py'), undefined);
    assert.equal(await nodeGit.diff(path.join(root, 'missing'), second, 'src/cart.py'), undefined);
  });
});
