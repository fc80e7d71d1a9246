import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createWorkspaceIndex,
  globToRegExp,
  isIgnored,
  NodeWorkspaceFiles,
  parseGitignore,
} from '../../../../src/core/codeLocation/nodeWorkspaceFiles';
import { buildWorkspaceIndex, type IndexProgress, type WorkspaceSource } from '../../../../src/core/codeLocation/workspaceIndex';

const FIXTURE = path.join(__dirname, '../../../fixtures/mapping-workspace');

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** A port over an in-memory workspace, counting reads. */
function memorySource(files: Record<string, string>): WorkspaceSource & { reads: number } {
  return {
    reads: 0,
    listing() {
      return Promise.resolve({ folders: [{ name: 'mem', root: '/mem' }], files: Object.keys(files) });
    },
    readText(file: string) {
      this.reads++;
      return Promise.resolve(files[file]);
    },
  };
}

describe('WorkspaceIndex', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-index-'));
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('indexes the sample workspace: definitions, span starts and routes of every language', async () => {
    const index = await createWorkspaceIndex(FIXTURE);
    const { stats } = index;
    assert.ok(stats.indexed >= 30, `indexed ${stats.indexed}`);
    assert.ok(stats.definitions >= 60 && stats.spanStarts >= 20 && stats.routes >= 20, JSON.stringify(stats));
    const langs = new Set(index.definitions('build').map((d) => index.languageOf(d.file)));
    assert.deepEqual([...langs], ['ruby']);
    assert.equal(index.spanStartsNamed('payment.charge').length, 2);
    assert.deepEqual(index.mapper.map('/x/orders/api.py'), {
      file: 'services/orders-py/orders/api.py',
      reason: 'unique path suffix "orders/api.py"',
      by: 'suffix',
      matchedSegments: 2,
    });
  });

  it('reports progress chunk by chunk up to the total', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`src/m${i}.py`] = `def f${i}():\n    pass\n`;
    const progress: IndexProgress[] = [];
    const index = await buildWorkspaceIndex(memorySource(files), { chunkSize: 3, onProgress: (p) => progress.push(p) });
    assert.deepEqual(
      progress.map((p) => p.done),
      [0, 3, 6, 9, 10],
    );
    assert.ok(progress.every((p) => p.total === 10));
    assert.equal(index.definitions('f7')[0]?.file, 'src/m7.py');
  });

  it('stops when aborted, with the signal’s reason', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`m${i}.go`] = 'package m\nfunc F() {}\n';
    const source = memorySource(files);
    const controller = new AbortController();
    const build = buildWorkspaceIndex(source, {
      chunkSize: 5,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 10) controller.abort(new Error('workspace closed'));
      },
    });
    await assert.rejects(build, /workspace closed/);
    assert.ok(source.reads < 50, `read ${source.reads} files after the abort`);
  });

  it('follows file changes: update adds and replaces, remove forgets', async () => {
    const index = await buildWorkspaceIndex(memorySource({ 'app/jobs.py': 'def nightly():\n    pass\n' }));
    index.update('app/jobs.py', '\n\ndef nightly():\n    with tracer.start_as_current_span("jobs.nightly"):\n        pass\n');
    assert.deepEqual(
      index.definitions('nightly').map((d) => d.line),
      [3],
    );
    assert.equal(index.spanStartsNamed('jobs.nightly')[0]?.line, 4);
    index.update('app/new_job.py', 'def weekly():\n    pass\n');
    assert.equal(index.definitions('weekly')[0]?.file, 'app/new_job.py');
    assert.ok(index.mapper.has('app/new_job.py'), 'the path mapper sees created files');
    index.remove('app/jobs.py');
    assert.deepEqual(index.definitions('nightly'), []);
    assert.deepEqual(index.spanStartsNamed('jobs.nightly'), []);
    assert.equal(index.mapper.has('app/jobs.py'), false);
    assert.equal(index.stats.indexed, 1);
  });

  it('skips binary files, oversized files and library folders', async () => {
    const index = await buildWorkspaceIndex(
      memorySource({
        'src/ok.ts': 'export function ok() {}',
        'src/blob.ts': 'export function blob() {}\0\0',
        'src/huge.ts': 'export function huge() {}\n' + '// x\n'.repeat(100),
        'vendor/lib/dep.php': '<?php function dep() {}',
      }),
      { maxFileChars: 200 },
    );
    assert.equal(index.definitions('ok').length, 1);
    assert.deepEqual(index.definitions('blob'), []);
    assert.deepEqual(index.definitions('huge'), []);
    assert.deepEqual(index.definitions('dep'), []);
    assert.equal(index.stats.skipped, 2);
  });
});

describe('NodeWorkspaceFiles', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-walk-')));
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('honours nested .gitignore files, negation, exclude globs and the usual build folders', async () => {
    const root = path.join(tmp, 'shop');
    write(root, {
      '.gitignore': '*.log\n/generated/\nsecrets.py\n',
      'src/app.py': 'x',
      'src/debug.log': 'x',
      'src/secrets.py': 'x',
      'generated/api.py': 'x',
      'lib/generated/keep.py': 'x',
      'web/.gitignore': 'out/\n*.js\n!keep.js\n',
      'web/main.js': 'x',
      'web/keep.js': 'x',
      'web/out/bundle.ts': 'x',
      'web/src/page.ts': 'x',
      'node_modules/dep/index.js': 'x',
      'target/classes/A.java': 'x',
      'docs/big.min.js': 'x',
      'fixtures/data/x.py': 'x',
    });
    const files = new NodeWorkspaceFiles(root, { exclude: ['**/*.min.js', 'fixtures/**'] });
    const { files: listed, folders } = await files.listing();
    assert.deepEqual(folders, [{ name: 'shop', root }]);
    assert.deepEqual([...listed].sort(), [
      '.gitignore',
      'lib/generated/keep.py',
      'src/app.py',
      'web/.gitignore',
      'web/keep.js',
      'web/src/page.ts',
    ]);
  });

  it('follows symlinks inside the root only, and never reads outside it', async () => {
    const root = path.join(tmp, 'ws');
    write(root, { 'src/real.py': 'def real(): pass\n' });
    write(tmp, { 'outside/secret.py': 'def secret(): pass\n' });
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(root, 'escape'));
    fs.symlinkSync(path.join(tmp, 'outside/secret.py'), path.join(root, 'src/secret.py'));
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
    fs.symlinkSync(root, path.join(root, 'src/loop'));
    const source = new NodeWorkspaceFiles(root);
    const { files } = await source.listing();
    assert.deepEqual([...files].sort(), ['alias/real.py', 'src/real.py']);
    assert.equal(await source.readText('src/secret.py'), undefined);
    assert.equal(await source.readText('../outside/secret.py'), undefined);
    assert.equal(await source.readText('src/real.py'), 'def real(): pass\n');
  });

  it('prefixes files with folder names in a multi-root workspace', async () => {
    write(tmp, { 'api/main.go': 'package main\nfunc main() {}\n', 'web/app.ts': 'export function start() {}\n' });
    const index = await createWorkspaceIndex([path.join(tmp, 'api'), path.join(tmp, 'web')]);
    assert.equal(index.definitions('main')[0]?.file, 'api/main.go');
    assert.equal(index.definitions('start')[0]?.file, 'web/app.ts');
  });

  it('leaves out files over the size cap and binary files', async () => {
    write(tmp, { 'a.py': 'def a(): pass\n', 'b.py': 'def b(): pass\n' + '#\n'.repeat(1000), 'c.py': Buffer.from([100, 0, 101]) });
    const source = new NodeWorkspaceFiles(tmp, { maxFileBytes: 500 });
    assert.equal(await source.readText('a.py'), 'def a(): pass\n');
    assert.equal(await source.readText('b.py'), undefined);
    assert.equal(await source.readText('c.py'), undefined);
  });
});

describe('gitignore and glob matching', () => {
  it('follows git’s rules: anchoring, directories only, ** and last match wins', () => {
    const rules = [parseGitignore('build/\n/TODO\n**/tmp/*.txt\n*.py[co]\n!keep.pyc\n\\#notes\n', '')];
    assert.equal(isIgnored(rules, 'a/build', true), true);
    assert.equal(isIgnored(rules, 'a/build', false), false, 'build/ names directories only');
    assert.equal(isIgnored(rules, 'TODO', false), true);
    assert.equal(isIgnored(rules, 'docs/TODO', false), false, 'a leading slash anchors');
    assert.equal(isIgnored(rules, 'x/y/tmp/a.txt', false), true);
    assert.equal(isIgnored(rules, 'm.pyc', false), true);
    assert.equal(isIgnored(rules, 'src/keep.pyc', false), false);
    assert.equal(isIgnored(rules, '#notes', false), true);
    const nested = [...rules, parseGitignore('/only-here.txt\n', 'web')];
    assert.equal(isIgnored(nested, 'web/only-here.txt', false), true);
    assert.equal(isIgnored(nested, 'only-here.txt', false), false);
  });

  it('reads files.exclude globs', () => {
    assert.ok(globToRegExp('**/*.min.js').test('a/b/c.min.js'));
    assert.ok(globToRegExp('{dist,out}').test('pkg/out/x.js'));
    assert.ok(globToRegExp('src/gen/**').test('src/gen/a/b.ts'));
    assert.ok(!globToRegExp('src/gen/**').test('lib/src/gen/a.ts'));
    assert.ok(globToRegExp('*.snap').test('deep/x.snap'));
  });
});
