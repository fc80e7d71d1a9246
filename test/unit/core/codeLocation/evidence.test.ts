import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateFromEvidence, type CodeMatch } from '../../../../src/core/codeLocation/evidence';
import { PathMapper, type WorkspaceListing } from '../../../../src/core/codeLocation/pathMapper';
import { parseTraces } from '../../../../src/core/formats/parse';
import { sharedFixturesDir } from '../../fixtures';
import { ALL_STACKS, SHOP_FILES } from './handWrittenStacks';
import { exceptionEvent, span } from './spans';

const SHOP: WorkspaceListing = { folders: [{ name: 'shop', root: '/home/dev/shop' }], files: SHOP_FILES };
const shop = new PathMapper(SHOP);

function top(matches: CodeMatch[]): Omit<CodeMatch, 'confidence' | 'reason'> | undefined {
  const m = matches[0];
  if (!m) return undefined;
  const { confidence: _c, reason: _r, ...rest } = m;
  return rest;
}

describe('locateFromEvidence', () => {
  describe('code attributes', () => {
    it('maps code.file.path and says how', () => {
      const matches = locateFromEvidence(
        span({
          'code.file.path': '/app/src/cart/service.py',
          'code.line.number': 42,
          'code.function.name': 'cart.service.add_item',
        }),
        shop,
      );
      assert.equal(matches.length, 1);
      assert.deepEqual(matches[0], {
        file: 'services/cart-py/src/cart/service.py',
        line: 42,
        function: 'cart.service.add_item',
        confidence: matches[0]!.confidence,
        reason:
          'code.file.path /app/src/cart/service.py:42 → services/cart-py/src/cart/service.py (unique path suffix "src/cart/service.py")',
      });
      assert.ok(matches[0]!.confidence >= 0.8 && matches[0]!.confidence <= 1);
    });

    it('reads the deprecated names, Windows paths and file:// URLs', () => {
      const win = locateFromEvidence(
        span({ 'code.filepath': 'C:\\build\\src\\Shop.Cart\\CartService.cs', 'code.lineno': 39 }),
        shop,
      );
      assert.deepEqual(top(win), { file: 'services/cart-dotnet/src/Shop.Cart/CartService.cs', line: 39 });
      const url = locateFromEvidence(
        span({ 'code.filepath': 'file:///usr/src/app/src/config%20loader.mjs', 'code.lineno': 8, 'code.column': 18 }),
        shop,
      );
      assert.deepEqual(top(url), { file: 'services/cart-node/src/config loader.mjs', line: 8, column: 18 });
    });

    it('uses traceLens.pathMappings before guessing', () => {
      const mapped = new PathMapper(SHOP, { '/app': '${workspaceFolder}/services/cart-go' });
      const [m] = locateFromEvidence(span({ 'code.file.path': '/app/internal/api/handler.go', 'code.line.number': 57 }), mapped);
      assert.equal(m?.file, 'services/cart-go/internal/api/handler.go');
      assert.equal(
        m?.reason,
        'code.file.path /app/internal/api/handler.go:57 → services/cart-go/internal/api/handler.go (pathMappings "/app")',
      );
      const [guessed] = locateFromEvidence(
        span({ 'code.file.path': '/app/internal/api/handler.go', 'code.line.number': 57 }),
        shop,
      );
      assert.ok(m!.confidence > guessed!.confidence, 'a configured mapping is surer than a suffix guess');
    });

    it('is less sure without a line, and less sure of a bare file name than of a longer suffix', () => {
      const withLine = locateFromEvidence(span({ 'code.file.path': '/x/api/handlers.rs', 'code.line.number': 3 }), shop)[0]!;
      const noLine = locateFromEvidence(span({ 'code.file.path': '/x/api/handlers.rs' }), shop)[0]!;
      const bare = locateFromEvidence(span({ 'code.file.path': 'handlers.rs', 'code.line.number': 3 }), shop)[0]!;
      assert.equal(noLine.line, undefined);
      assert.ok(withLine.confidence > noLine.confidence);
      assert.ok(withLine.confidence > bare.confidence);
      assert.equal(bare.file, 'services/cart-rs/src/api/handlers.rs');
    });

    it('finds a class file from code.namespace alone (Java agent spans carry no file path)', () => {
      const [m] = locateFromEvidence(span({ 'code.namespace': 'com.example.cart.CartController', 'code.function': 'add' }), shop);
      assert.equal(m?.file, 'services/cart-java/src/main/java/com/example/cart/CartController.java');
      assert.equal(m?.line, undefined);
      assert.equal(m?.function, 'com.example.cart.CartController.add');
      assert.match(
        m!.reason,
        /^code\.namespace com\.example\.cart\.CartController → .*CartController\.java \(package path com\/example\/cart\/CartController\.java/,
      );
      assert.ok(m!.confidence < 0.7, 'a class path without a line is weak evidence');
      // PHP namespaces in code.function.name
      const [php] = locateFromEvidence(span({ 'code.function.name': 'App\\Cart\\CartService::addItem' }), shop);
      assert.equal(php?.file, 'services/cart-php/src/Cart/CartService.php');
    });

    it('answers nothing from a class name whose package the workspace does not have', () => {
      assert.deepEqual(
        locateFromEvidence(span({ 'code.namespace': 'org.springframework.web.CartController', 'code.function': 'x' }), shop),
        [],
      );
      assert.deepEqual(locateFromEvidence(span({ 'code.function.name': 'add_item' }), shop), []);
    });
  });

  describe('stack traces (hand-written, one per runtime)', () => {
    for (const [name, stack] of Object.entries(ALL_STACKS)) {
      it(`${name}: the application frame nearest the raise point, skipping library frames`, () => {
        const matches = locateFromEvidence(span({}, [exceptionEvent(stack.text, name)]), shop);
        const expected: Record<string, unknown> = { file: stack.top.file, line: stack.top.line };
        if (stack.top.column !== undefined) expected.column = stack.top.column;
        if (stack.top.function !== undefined) expected.function = stack.top.function;
        assert.deepEqual(top(matches), expected);
        assert.match(matches[0]!.reason, new RegExp(`^stack frame \\d+ of exception event \\(${name}\\): `));
        for (const m of matches) {
          assert.ok(SHOP_FILES.includes(m.file));
          assert.ok(!/node_modules|vendor\/|tools\//.test(m.file), `${m.file} is a look-alike`);
        }
      });
    }

    it('says which frame of which exception answered', () => {
      const [m] = locateFromEvidence(span({}, [exceptionEvent(ALL_STACKS.NODE_EXPRESS.text, 'TypeError')]), shop);
      assert.equal(
        m?.reason,
        'stack frame 4 of exception event (TypeError): /usr/src/app/src/cart/cartService.js:42 → services/cart-node/src/cart/cartService.js (unique path suffix "src/cart/cartService.js")',
      );
    });

    it('offers the next application frames as weaker alternatives', () => {
      const matches = locateFromEvidence(span({}, [exceptionEvent(ALL_STACKS.GO_DEBUG_STACK.text)]), shop);
      assert.deepEqual(
        matches.map((m) => `${m.file}:${m.line}`),
        [
          'services/cart-go/internal/cart/service.go:61',
          'services/cart-go/internal/api/handler.go:57',
          'services/cart-go/internal/middleware/recover.go:18',
        ],
      );
      assert.ok(matches[0]!.confidence > matches[1]!.confidence && matches[1]!.confidence > matches[2]!.confidence);
    });

    it('resolves a Java frame that names only the file through its package directories', () => {
      const text = 'java.lang.IllegalStateException: cart locked\n\tat com.example.cart.CartService.addItem(CartService.java:42)';
      const [m] = locateFromEvidence(span({}, [exceptionEvent(text)]), shop);
      assert.equal(m?.file, 'services/cart-java/src/main/java/com/example/cart/CartService.java');
      assert.match(
        m!.reason,
        /package path com\/example\/cart\/CartService\.java, unique path suffix "com\/example\/cart\/CartService\.java"/,
      );
    });

    it('does not take a library class for a workspace file that merely shares its name', () => {
      const text =
        'java.lang.RuntimeException\n\tat org.acme.billing.CartService.charge(CartService.java:10)\n\tat org.acme.billing.Main.main(Main.java:3)';
      assert.deepEqual(locateFromEvidence(span({}, [exceptionEvent(text)]), shop), []);
    });

    it('reads code.stacktrace (where the span started) and exception log records from the receiver', () => {
      const s = span({ 'code.stacktrace': ALL_STACKS.PYTHON_OTEL.text });
      const [fromCode] = locateFromEvidence(s, shop);
      assert.match(fromCode!.reason, /^stack frame 3 of code\.stacktrace: \/srv\/orders\/src\/orders\/pricing\.py:14 → /);
      const [fromLog] = locateFromEvidence(span(), shop, {
        exceptions: [{ type: 'NoMethodError', stacktrace: ALL_STACKS.RUBY_34.text }, { type: 'Timeout' }],
      });
      assert.equal(fromLog?.file, 'services/cart-rb/app/services/cart_service.rb');
      assert.match(fromLog!.reason, /^stack frame 1 of exception log record \(NoMethodError\): /);
    });
  });

  describe('ranking and duplicates', () => {
    it('orders code attributes, then stack traces, then vendor tags, and keeps the surest answer per line', () => {
      const s = span(
        {
          '_dd.code_origin.type': 'entry',
          '_dd.code_origin.frames.0.file': '/usr/src/app/src/cart/cartController.js',
          '_dd.code_origin.frames.0.line': '18',
          '_dd.code_origin.frames.0.method': 'show',
          '_dd.code_origin.frames.0.type': 'CartController',
          'code.file.path': '/usr/src/app/src/main.mjs',
          'code.line.number': 3,
        },
        [exceptionEvent(ALL_STACKS.NODE_EXPRESS.text, 'TypeError')],
      );
      const matches = locateFromEvidence(s, shop);
      assert.deepEqual(
        matches.map((m) => [`${m.file}:${m.line}`, m.reason.split(' ')[0]]),
        [
          ['services/cart-node/src/main.mjs:3', 'code.file.path'],
          ['services/cart-node/src/cart/cartService.js:42', 'stack'],
          // the span's own entry point (Datadog frame 0) is surer than the exception's second frame, which it repeats
          ['services/cart-node/src/cart/cartController.js:18', 'Datadog'],
        ],
      );
      for (let i = 1; i < matches.length; i++) assert.ok(matches[i - 1]!.confidence >= matches[i]!.confidence);
    });

    it('reads Datadog code origin frames on their own', () => {
      const s = span({
        '_dd.code_origin.frames.0.file': '/usr/src/app/src/cart/cartController.js',
        '_dd.code_origin.frames.0.line': '18',
        '_dd.code_origin.frames.0.column': '5',
        '_dd.code_origin.frames.0.method': 'show',
        '_dd.code_origin.frames.0.type': 'CartController',
      });
      const [m] = locateFromEvidence(s, shop);
      assert.deepEqual(top([m!]), {
        file: 'services/cart-node/src/cart/cartController.js',
        line: 18,
        column: 5,
        function: 'CartController.show',
      });
      assert.match(m!.reason, /^Datadog code origin frame 0: /);
    });
  });

  describe('traps', () => {
    const twins: WorkspaceListing = {
      folders: [{ name: 'shop', root: '/home/dev/shop' }],
      files: ['cart/handlers.go', 'orders/handlers.go', 'cart/src/util.py', 'orders/src/util.py', 'lib/a/b/c.py', 'lib/x/b/c.py'],
    };
    const mapper = new PathMapper(twins);

    /** A span from a service whose name names neither folder. */
    const neutral = (attributes: Parameters<typeof span>[0]): ReturnType<typeof span> => ({
      ...span(attributes),
      service: 'shop',
    });

    it('answers nothing when the same file name lives in two folders and nothing tells them apart', () => {
      assert.deepEqual(locateFromEvidence(neutral({ 'code.filepath': '/app/src/util.py', 'code.lineno': 3 }), mapper), []);
      assert.deepEqual(
        locateFromEvidence(neutral({ 'code.filepath': '/app/handlers.go', 'code.lineno': 3, 'code.function': 'handle' }), mapper),
        [],
      );
    });

    it('lets the longer suffix decide when it can', () => {
      const [m] = locateFromEvidence(span({ 'code.filepath': '/app/orders/src/util.py', 'code.lineno': 3 }), mapper);
      assert.equal(m?.file, 'orders/src/util.py');
    });

    it('takes the candidate the function name points to, at lower confidence', () => {
      const [m] = locateFromEvidence(
        span({
          'code.filepath': '/app/handlers.go',
          'code.lineno': 3,
          'code.function': 'github.com/acme/shop/orders.(*Handler).Create',
        }),
        mapper,
      );
      assert.equal(m?.file, 'orders/handlers.go');
      assert.ok(m!.confidence <= 0.6);
      assert.equal(
        m?.reason,
        'code.filepath /app/handlers.go:3 → orders/handlers.go (one of 2 files ending in "handlers.go"; picked by github.com/acme/shop/orders.(*Handler).Create names its folder)',
      );
      // a function that names both candidates' folders decides nothing
      assert.deepEqual(
        locateFromEvidence(neutral({ 'code.filepath': '/app/handlers.go', 'code.function': 'cart.orders.Handle' }), mapper),
        [],
      );
    });

    it('never maps paths that escape, library paths or unsupported URLs', () => {
      for (const p of [
        '/home/dev/shop/../../../etc/passwd',
        '../orders/src/util.py',
        '/usr/src/app/node_modules/cart/handlers.go',
        '/usr/local/go/src/net/http/server.go',
        'node:internal/process/task_queues',
        'https://cdn.example.com/handlers.go',
        '<anonymous>',
      ]) {
        assert.deepEqual(locateFromEvidence(span({ 'code.filepath': p, 'code.lineno': 1 }), mapper), [], p);
      }
    });

    it('answers nothing for spans without evidence', () => {
      assert.deepEqual(locateFromEvidence(span({ 'http.route': '/cart/{id}', 'http.request.method': 'POST' }), shop), []);
      assert.deepEqual(locateFromEvidence(span({}, [exceptionEvent('connection reset by peer')]), shop), []);
    });

    it('maps into the right folder of a multi-root workspace', () => {
      const multi = new PathMapper({
        folders: [
          { name: 'cart', root: '/home/dev/cart' },
          { name: 'orders', root: '/home/dev/orders' },
        ],
        files: ['cart/src/cart/service.py', 'orders/src/orders/pricing.py', 'orders/src/orders/checkout.py'],
      });
      const [m] = locateFromEvidence(span({}, [exceptionEvent(ALL_STACKS.PYTHON_OTEL.text)]), multi);
      assert.deepEqual(top([m!]), { file: 'orders/src/orders/pricing.py', line: 14, function: 'parse_order' });
    });
  });

  describe('upstream shared fixtures', () => {
    it('finds no code location in any of their spans: they carry no code attributes or stack traces', function () {
      const dir = sharedFixturesDir();
      if (!dir) {
        console.log('      (skipped: shared fixtures not found; set TRACE_LENS_FIXTURES to the fixtures folder)');
        this.skip();
      }
      // names a careless mapper could reach for: common entry points, service names from the fixtures
      const mapper = new PathMapper({
        folders: [{ name: 'ws', root: '/home/dev/ws' }],
        files: [
          'src/index.js',
          'src/server.js',
          'main.go',
          'cmd/server/main.go',
          'app.py',
          'src/app.py',
          'frontend/src/index.ts',
          'productpage/productpage.py',
          'reviews/src/main/java/application/rest/LibertyRestEndpoint.java',
          'src/main/java/com/example/Application.java',
          'README.md',
        ],
      });
      let spans = 0;
      for (const file of listFiles(dir)) {
        let traces;
        try {
          traces = parseTraces(fs.readFileSync(file));
        } catch {
          continue; // search results, service lists and the like are not traces
        }
        for (const t of traces) {
          for (const s of t.spans) {
            spans++;
            assert.deepEqual(locateFromEvidence(s, mapper), [], `${path.relative(dir, file)} span ${s.spanId} (${s.name})`);
          }
        }
      }
      assert.ok(spans > 1000, `only ${spans} spans were read from the fixtures`);
    });
  });
});

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name)) : /\.(json|txt)$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );
}
