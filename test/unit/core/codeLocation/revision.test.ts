import * as assert from 'node:assert/strict';
import { remapLine, reviseMatch, spanRevision, type GitPort } from '../../../../src/core/codeLocation/revision';

const SHA_A = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';
const SHA_B = 'def5678901234567890abcdef1234567890abcde';

/** a git that knows the given commits and answers every diff with `diff` */
function fakeGit(head: string | undefined, commits: string[], diff: string | undefined): GitPort & { diffs: number } {
  const git = {
    diffs: 0,
    head: () => Promise.resolve(head),
    hasCommit: (_root: string, rev: string) => Promise.resolve(commits.some((c) => c.startsWith(rev))),
    diff: () => {
      git.diffs++;
      return Promise.resolve(diff);
    },
  };
  return git;
}

describe('spanRevision', () => {
  it('reads the vcs and git keys, most specific first', () => {
    assert.equal(spanRevision({ 'vcs.ref.head.revision': SHA_A, 'git.commit.sha': SHA_B }), SHA_A);
    assert.equal(spanRevision({ 'vcs.repository.ref.revision': SHA_B.toUpperCase() }), SHA_B);
    assert.equal(spanRevision({ 'git.commit.sha': 'abc1234' }), 'abc1234');
  });

  it('takes a service.version only when it is a commit', () => {
    assert.equal(spanRevision({ 'service.version': 'abc1234' }), 'abc1234');
    assert.equal(spanRevision({ 'service.version': SHA_A }), SHA_A);
    assert.equal(spanRevision({ 'service.version': 'v1.4.2-14-g1a2b3c4' }), '1a2b3c4');
    assert.equal(spanRevision({ 'service.version': '1.4.2' }), undefined);
    assert.equal(spanRevision({ 'service.version': '20240131' }), undefined, 'a build number, not a commit');
    assert.equal(spanRevision({ 'service.version': 'abc12' }), undefined, 'too short to be a commit');
    assert.equal(spanRevision({ 'service.version': 'deadbeefcafe-feature' }), undefined);
  });

  it('ignores values that are not object names, including option-like ones', () => {
    assert.equal(spanRevision({ 'vcs.ref.head.revision': 'main' }), undefined);
    assert.equal(spanRevision({ 'git.commit.sha': '--output=/tmp/x' }), undefined);
    assert.equal(spanRevision({ 'git.commit.sha': 42 }), undefined);
    assert.equal(spanRevision({}), undefined);
  });
});

describe('remapLine', () => {
  // hand-built zero-context diffs, as `git diff -U0` prints them
  const header = 'diff --git a/src/cart.py b/src/cart.py\nindex 1111111..2222222 100644\n--- a/src/cart.py\n+++ b/src/cart.py\n';

  it('shifts a line down past insertions before it', () => {
    const diff = `${header}@@ -2,0 +3,3 @@ import os\n+import sys\n+import re\n+import json\n`;
    assert.deepEqual(remapLine(diff, 40), { line: 43 });
    assert.deepEqual(remapLine(diff, 2), { line: 2 }, 'the line the insertion follows stays');
    assert.deepEqual(remapLine(diff, 3), { line: 6 });
  });

  it('shifts a line up past deletions before it', () => {
    const diff = `${header}@@ -5,4 +4,0 @@\n-a\n-b\n-c\n-d\n`;
    assert.deepEqual(remapLine(diff, 40), { line: 36 });
    assert.deepEqual(remapLine(diff, 4), { line: 4 });
    assert.deepEqual(remapLine(diff, 9), { line: 5 });
  });

  it('reports a line that was deleted, with the nearest surviving line', () => {
    const diff = `${header}@@ -5,4 +4,0 @@\n-a\n-b\n-c\n-d\n`;
    assert.deepEqual(remapLine(diff, 6), { deleted: true, nearest: 4 });
    const atTop = `${header}@@ -1,2 +0,0 @@\n-a\n-b\n`;
    assert.deepEqual(remapLine(atTop, 1), { deleted: true, nearest: 1 });
  });

  it('reports a rewritten line at the same offset into its replacement', () => {
    const diff = `${header}@@ -10,3 +10,2 @@\n-a\n-b\n-c\n+A\n+B\n`;
    assert.deepEqual(remapLine(diff, 10), { deleted: true, nearest: 10 });
    assert.deepEqual(remapLine(diff, 12), { deleted: true, nearest: 11 }, 'past the shorter replacement: its last line');
    assert.deepEqual(remapLine(diff, 13), { line: 12 });
    const single = `${header}@@ -40 +40 @@\n-    return total\n+    return round(total, 2)\n`;
    assert.deepEqual(remapLine(single, 40), { deleted: true, nearest: 40 });
    assert.deepEqual(remapLine(single, 41), { line: 41 });
  });

  it('adds up several hunks and stops at the first one after the line', () => {
    const diff =
      header +
      '@@ -3,0 +4,2 @@\n+x\n+y\n' + // +2 after line 3
      '@@ -10,2 +11,0 @@\n-p\n-q\n' + // −2 at 10–11
      '@@ -20 +20,4 @@\n-r\n+r1\n+r2\n+r3\n+r4\n' + // +3 at 20
      '@@ -50,0 +54,1 @@\n+z\n'; // after the line asked
    assert.deepEqual(remapLine(diff, 2), { line: 2 });
    assert.deepEqual(remapLine(diff, 5), { line: 7 });
    assert.deepEqual(remapLine(diff, 11), { deleted: true, nearest: 11 });
    assert.deepEqual(remapLine(diff, 15), { line: 15 });
    assert.deepEqual(remapLine(diff, 30), { line: 33 });
    assert.deepEqual(remapLine(diff, 50), { line: 53 });
    assert.deepEqual(remapLine(diff, 51), { line: 55 });
  });

  it('leaves the line alone for an empty diff', () => {
    assert.deepEqual(remapLine('', 7), { line: 7 });
  });
});

describe('reviseMatch', () => {
  const base = { file: 'src/cart.py', line: 40, column: 9, reason: 'code.file.path /app/src/cart.py:40', confidence: 0.95 };

  it('remaps through the diff and says so, keeping the rest of the match', async () => {
    const git = fakeGit(SHA_B, [SHA_A, SHA_B], '@@ -2,0 +3,3 @@\n+a\n+b\n+c\n');
    const m = await reviseMatch(base, SHA_A, git, '/ws');
    assert.equal(m.line, 43);
    assert.equal(m.column, 9);
    assert.equal(m.confidence, 0.95);
    assert.equal(m.reason, 'code.file.path /app/src/cart.py:40; recorded at 1a2b3c4, remapped from line 40 through git diff');
  });

  it('warns when the revision is not in this clone', async () => {
    const git = fakeGit(SHA_B, [SHA_B], '');
    const m = await reviseMatch(base, SHA_A, git, '/ws');
    assert.equal(m.line, 40);
    assert.match(m.reason, /recorded at 1a2b3c4, you are at def5678 \(not in this clone\): the line may have moved$/);
    assert.equal(git.diffs, 0);
  });

  it('points at the nearest line when the recorded one has changed, dropping the column', async () => {
    const git = fakeGit(SHA_B, [SHA_A, SHA_B], '@@ -38,5 +37,0 @@\n');
    const m = await reviseMatch(base, SHA_A, git, '/ws');
    assert.equal(m.line, 37);
    assert.equal(m.column, undefined);
    assert.match(m.reason, /line 40 has changed since: showing line 37, the nearest$/);
  });

  it('changes nothing when the file is unchanged, the line did not move, or there is nothing to compare', async () => {
    assert.deepEqual(await reviseMatch(base, SHA_A, fakeGit(SHA_B, [SHA_A, SHA_B], ''), '/ws'), base);
    assert.deepEqual(await reviseMatch(base, SHA_A, fakeGit(SHA_B, [SHA_A], '@@ -90,0 +91 @@\n+x\n'), '/ws'), base);
    assert.deepEqual(await reviseMatch(base, undefined, fakeGit(SHA_B, [SHA_A], ''), '/ws'), base);
    assert.deepEqual(await reviseMatch(base, SHA_A, fakeGit(undefined, [SHA_A], ''), '/ws'), base);
    const noLine = { file: 'src/cart.py', reason: 'r' };
    assert.deepEqual(await reviseMatch(noLine, SHA_A, fakeGit(SHA_B, [SHA_A], '@@ -1,0 +1 @@\n'), '/ws'), noLine);
  });

  it('warns when the file did not exist at the recorded revision or git failed', async () => {
    const added = '--- /dev/null\n+++ b/src/cart.py\n@@ -0,0 +1,80 @@\n';
    const m = await reviseMatch(base, SHA_A, fakeGit(SHA_B, [SHA_A], added), '/ws');
    assert.equal(m.line, 40);
    assert.match(m.reason, /recorded at 1a2b3c4, where this file did not exist/);
    const failed = await reviseMatch(base, SHA_A, fakeGit(SHA_B, [SHA_A], undefined), '/ws');
    assert.match(failed.reason, /you are at def5678 \(git diff failed\)/);
  });
});
