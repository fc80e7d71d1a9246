import * as assert from 'node:assert/strict';
import {
  AMBIGUITY_LIMIT,
  isLibraryPath,
  normalizeForeignPath,
  PathMapper,
  type MapResult,
  type WorkspaceListing,
} from '../../../../src/core/codeLocation/pathMapper';

const SINGLE: WorkspaceListing = {
  folders: [{ name: 'shop', root: '/home/dev/shop' }],
  files: [
    'services/cart/src/cart.py',
    'services/cart/src/handlers.py',
    'services/orders/src/handlers.py',
    'services/orders/src/orders.py',
    'services/cart/main.go',
    'internal/store/store.go',
    'README.md',
    'services/cart/node_modules/express/lib/router/layer.js',
  ],
};

function fileOf(r: MapResult): string | undefined {
  return r !== undefined && 'file' in r ? r.file : undefined;
}

describe('PathMapper', () => {
  describe('normalizeForeignPath', () => {
    it('splits POSIX, Windows, UNC and file:// paths into the same segments', () => {
      assert.deepEqual(normalizeForeignPath('/app/src/cart.py'), { absolute: true, segments: ['app', 'src', 'cart.py'] });
      assert.deepEqual(normalizeForeignPath('C:\\build\\src\\Cart.cs'), {
        absolute: true,
        drive: 'c',
        segments: ['build', 'src', 'Cart.cs'],
      });
      assert.deepEqual(normalizeForeignPath('\\\\ci-agent\\work\\src\\Cart.cs'), {
        absolute: true,
        segments: ['ci-agent', 'work', 'src', 'Cart.cs'],
      });
      assert.deepEqual(normalizeForeignPath('file:///C:/build/src/Cart.cs'), {
        absolute: true,
        drive: 'c',
        segments: ['build', 'src', 'Cart.cs'],
      });
      assert.deepEqual(normalizeForeignPath('file:///usr/src/app/my%20dir/x.mjs'), {
        absolute: true,
        segments: ['usr', 'src', 'app', 'my dir', 'x.mjs'],
      });
      assert.deepEqual(normalizeForeignPath('file://localhost/app/x.js'), { absolute: true, segments: ['app', 'x.js'] });
      assert.deepEqual(normalizeForeignPath('webpack://shop/./src/cart.ts'), { absolute: false, segments: ['src', 'cart.ts'] });
    });

    it('applies . and .., and refuses paths that climb above their start', () => {
      assert.deepEqual(normalizeForeignPath('/app/src/../lib/./x.py'), { absolute: true, segments: ['app', 'lib', 'x.py'] });
      assert.deepEqual(normalizeForeignPath('./src/main.rs'), { absolute: false, segments: ['src', 'main.rs'] });
      assert.equal(normalizeForeignPath('/app/../../etc/passwd'), undefined);
      assert.equal(normalizeForeignPath('../secrets/key.pem'), undefined);
      assert.equal(normalizeForeignPath('src/../../x.py'), undefined);
    });

    it('refuses other URL schemes, bad percent-encoding and empty paths', () => {
      assert.equal(normalizeForeignPath('node:internal/process/task_queues'), undefined);
      assert.equal(normalizeForeignPath('https://cdn.example.com/app.js'), undefined);
      assert.equal(normalizeForeignPath('jrt:/java.base/java/lang/Thread.java'), undefined);
      assert.equal(normalizeForeignPath('file:///app/%E0%A4%A.js'), undefined);
      assert.equal(normalizeForeignPath('  '), undefined);
      assert.equal(normalizeForeignPath('/'), undefined);
    });
  });

  describe('isLibraryPath', () => {
    const lib = (p: string): boolean => isLibraryPath(normalizeForeignPath(p)!);
    it('knows installed, vendored and runtime code of each language', () => {
      for (const p of [
        '/usr/src/app/node_modules/express/lib/router/layer.js',
        '/usr/local/lib/python3.11/site-packages/flask/app.py',
        '/usr/lib/python3/dist-packages/yaml/__init__.py',
        '/usr/local/lib/python3.12/json/decoder.py',
        '/usr/local/go/src/net/http/server.go',
        '/usr/lib/go-1.21/src/runtime/panic.go',
        '/opt/hostedtoolcache/go/1.22.0/x64/src/runtime/proc.go',
        '/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go',
        '/root/.m2/repository/org/example/Lib.java',
        '/var/www/html/vendor/symfony/http-kernel/HttpKernel.php',
        '/usr/local/bundle/gems/rack-2.2.8/lib/rack/builder.rb',
        '/usr/local/lib/ruby/3.2.0/benchmark.rb',
        '/rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/std/src/panicking.rs',
        '/usr/local/cargo/registry/src/index.crates.io-6f17d22bba15001f/axum-0.7.4/src/routing/mod.rs',
        '/home/me/.cargo/registry/src/x/tokio-1.35.0/src/runtime/task/mod.rs',
        'internal/process/task_queues.js',
        '<anonymous>',
        '<frozen importlib._bootstrap>',
        '<internal:kernel>',
      ]) {
        assert.ok(lib(p), p);
      }
    });

    it('leaves application code alone, including Go internal/ packages and GOPATH-mode sources', () => {
      for (const p of [
        '/app/internal/cart/service.go',
        '/home/me/go/src/github.com/acme/shop/cart/service.go',
        '/app/src/cart.py',
        '/usr/src/app/src/lib/util.js',
        'src/main.rs',
      ]) {
        assert.ok(!lib(p), p);
      }
    });
  });

  describe('map', () => {
    const mapper = new PathMapper(SINGLE);

    it('maps a container path by its longest unique suffix', () => {
      const r = mapper.map('/app/src/cart.py');
      assert.deepEqual(r, {
        file: 'services/cart/src/cart.py',
        reason: 'unique path suffix "src/cart.py"',
        by: 'suffix',
        matchedSegments: 2,
      });
      assert.equal(fileOf(mapper.map('/usr/src/app/services/orders/src/orders.py')), 'services/orders/src/orders.py');
      assert.equal(fileOf(mapper.map('C:\\build\\services\\cart\\main.go')), 'services/cart/main.go');
      assert.equal(fileOf(mapper.map('file:///builds/shop/internal/store/store.go')), 'internal/store/store.go');
    });

    it('lets a longer suffix tell apart files of the same name', () => {
      assert.equal(fileOf(mapper.map('/srv/services/orders/src/handlers.py')), 'services/orders/src/handlers.py');
      assert.equal(fileOf(mapper.map('/work/cart/src/handlers.py')), 'services/cart/src/handlers.py');
    });

    it('answers nothing, but lists the candidates, when the longest matching suffix fits several files', () => {
      assert.deepEqual(mapper.map('/app/src/handlers.py'), {
        ambiguous: ['services/cart/src/handlers.py', 'services/orders/src/handlers.py'],
        count: 2,
        suffix: 'src/handlers.py',
      });
      assert.deepEqual(mapper.map('handlers.py'), {
        ambiguous: ['services/cart/src/handlers.py', 'services/orders/src/handlers.py'],
        count: 2,
        suffix: 'handlers.py',
      });
    });

    it('maps a path inside a workspace folder directly, and nothing else when that file is not listed', () => {
      assert.deepEqual(mapper.map('/home/dev/shop/services/cart/src/cart.py'), {
        file: 'services/cart/src/cart.py',
        reason: 'inside workspace folder shop',
        by: 'folder',
        matchedSegments: 4,
      });
      // e.g. an excluded build output that shares a name with a source file
      assert.equal(mapper.map('/home/dev/shop/build/lib/cart.py'), undefined);
    });

    it('maps a relative path from the folder root first', () => {
      assert.deepEqual(mapper.map('./internal/store/store.go'), {
        file: 'internal/store/store.go',
        reason: 'relative to the workspace folder',
        by: 'relative',
        matchedSegments: 3,
      });
    });

    it('never maps library paths, even to a matching file in the workspace', () => {
      assert.equal(mapper.map('/app/node_modules/express/lib/router/layer.js'), undefined);
      assert.equal(mapper.map('/other/lib/router/layer.js'), undefined, 'workspace node_modules files are not indexed');
      assert.equal(mapper.map('node:internal/process/task_queues'), undefined);
      assert.equal(mapper.map('<anonymous>'), undefined);
    });

    it('never maps a path that escapes, and never returns a file outside the listing', () => {
      assert.equal(mapper.map('/home/dev/shop/../shop/../../etc/passwd'), undefined);
      assert.equal(mapper.map('/app/../../services/cart/src/cart.py'), undefined);
      assert.equal(mapper.map('/etc/passwd'), undefined);
      const hostile = new PathMapper({
        folders: SINGLE.folders,
        files: ['../outside.py', '/etc/passwd', 'a//b.py', 'ok.py', 'win\\x.py'],
      });
      assert.equal(hostile.size, 1);
      assert.equal(mapper.map('/x/outside.py'), undefined);
      assert.equal(fileOf(hostile.map('/x/ok.py')), 'ok.py');
      assert.deepEqual(hostile.warnings, ['4 workspace file path(s) were not workspace-relative and are ignored']);
    });

    it('reports no match for files the workspace does not have', () => {
      assert.equal(mapper.map('/app/src/payments.py'), undefined);
    });

    it('keeps answers stable when asked again (cached)', () => {
      const first = mapper.map('/app/src/cart.py');
      assert.deepEqual(mapper.map('/app/src/cart.py'), first);
      assert.equal(mapper.map('/nowhere/x.zz'), undefined);
      assert.equal(mapper.map('/nowhere/x.zz'), undefined);
    });
  });

  describe('pathMappings', () => {
    it('wins over guessing, and is authoritative for its prefix', () => {
      const mapper = new PathMapper(SINGLE, { '/app': '${workspaceFolder}/services/orders' });
      assert.deepEqual(mapper.map('/app/src/handlers.py'), {
        file: 'services/orders/src/handlers.py',
        reason: 'pathMappings "/app"',
        by: 'mapping',
        matchedSegments: 3,
      });
      // the suffix would say services/cart/src/cart.py, but the user said /app is services/orders
      assert.equal(mapper.map('/app/src/cart.py'), undefined);
      // other prefixes are still guessed
      assert.equal(fileOf(mapper.map('/srv/src/cart.py')), 'services/cart/src/cart.py');
    });

    it('uses the longest matching prefix and accepts Windows keys', () => {
      const mapper = new PathMapper(SINGLE, {
        'C:\\build': '${workspaceFolder}',
        'C:\\build\\svc': '${workspaceFolder}/services/cart',
      });
      assert.equal(fileOf(mapper.map('c:/build/svc/src/handlers.py')), 'services/cart/src/handlers.py');
      assert.equal(fileOf(mapper.map('C:\\build\\README.md')), 'README.md');
    });

    it('ignores, with a warning, mappings that point outside the workspace or are not absolute', () => {
      const mapper = new PathMapper(SINGLE, {
        '/app': '${workspaceFolder}/../elsewhere',
        '/srv': '/etc',
        'relative/key': '${workspaceFolder}',
        '/opt': '${workspaceFolder:nope}/x',
      });
      assert.equal(mapper.warnings.length, 4);
      assert.match(
        mapper.warnings[0]!,
        /"\/app" → "\$\{workspaceFolder\}\/\.\.\/elsewhere" does not point inside a workspace folder/,
      );
      assert.equal(
        fileOf(mapper.map('/app/src/cart.py')),
        'services/cart/src/cart.py',
        'an ignored mapping does not block guessing',
      );
    });
  });

  describe('multi-root workspaces', () => {
    const multi: WorkspaceListing = {
      folders: [
        { name: 'cart', root: '/home/dev/cart' },
        { name: 'orders', root: '/home/dev/orders' },
      ],
      files: ['cart/src/handlers.py', 'cart/src/cart.py', 'orders/src/handlers.py', 'orders/src/main.rs'],
    };

    it('maps into the right folder by mapping, folder root, relative path or suffix', () => {
      const mapper = new PathMapper(multi, { '/app': '${workspaceFolder:orders}' });
      assert.equal(fileOf(mapper.map('/app/src/handlers.py')), 'orders/src/handlers.py');
      assert.equal(fileOf(mapper.map('/home/dev/cart/src/handlers.py')), 'cart/src/handlers.py');
      assert.equal(fileOf(mapper.map('src/main.rs')), 'orders/src/main.rs');
      assert.equal(fileOf(mapper.map('/build/src/cart.py')), 'cart/src/cart.py');
      assert.ok(mapper.map('/build/src/handlers.py') !== undefined && !('file' in mapper.map('/build/src/handlers.py')!));
    });

    it('lets the folder name count as part of the suffix', () => {
      const mapper = new PathMapper(multi);
      assert.equal(fileOf(mapper.map('/workspace/orders/src/handlers.py')), 'orders/src/handlers.py');
    });
  });

  describe('a workspace of 20,000 files', () => {
    it('still answers unique suffixes and reports ambiguity with a bounded candidate list', () => {
      const files: string[] = [];
      for (let s = 0; s < 100; s++) for (let f = 0; f < 200; f++) files.push(`services/svc${s}/src/module${f % 50}/file${f}.ts`);
      const mapper = new PathMapper({ folders: [{ name: 'big', root: '/w/big' }], files });
      assert.equal(mapper.size, 20_000);
      assert.equal(fileOf(mapper.map('/app/services/svc42/src/module7/file57.ts')), 'services/svc42/src/module7/file57.ts');
      const r = mapper.map('/app/src/module7/file57.ts');
      assert.ok(r !== undefined && 'ambiguous' in r);
      assert.equal(r.count, 100);
      assert.equal(r.ambiguous.length, Math.min(100, AMBIGUITY_LIMIT));
      const many = new PathMapper({
        folders: [{ name: 'big', root: '/w/big' }],
        files: files.map((f) => f.replace(/\d+\.ts$/, '.ts')),
      });
      const all = many.map('/x/file.ts');
      assert.ok(all !== undefined && 'ambiguous' in all && all.count > AMBIGUITY_LIMIT);
      assert.equal(all.ambiguous.length, AMBIGUITY_LIMIT, 'the list stays bounded');
    });
  });
});
