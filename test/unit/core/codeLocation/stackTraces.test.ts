import * as assert from 'node:assert/strict';
import {
  detectStackLanguage,
  parseStackTrace,
  type StackFrame,
  type StackLanguage,
} from '../../../../src/core/codeLocation/stackTraces';
import * as stacks from './handWrittenStacks';

/** The application frames, nearest the raise point first, as "file:line". */
function appFrames(text: string): string[] {
  return parseStackTrace(text)
    .frames.filter((f) => !f.isLibrary && f.file !== undefined)
    .map((f) => `${f.file}:${f.line ?? '?'}`);
}

describe('stackTraces (hand-written traces in each runtime’s own format)', () => {
  const languages: [keyof typeof stacks.ALL_STACKS, StackLanguage][] = [
    ['JAVA_SPRING', 'java'],
    ['KOTLIN_KTOR', 'java'],
    ['PHP_OTEL', 'java'],
    ['PYTHON_CHAINED', 'python'],
    ['PYTHON_OTEL', 'python'],
    ['NODE_EXPRESS', 'node'],
    ['NODE_ESM', 'node'],
    ['DOTNET_ASPNET', 'dotnet'],
    ['DOTNET_WINDOWS', 'dotnet'],
    ['GO_PANIC', 'go'],
    ['GO_DEBUG_STACK', 'go'],
    ['RUBY_RAILS', 'ruby'],
    ['RUBY_34', 'ruby'],
    ['RUBY_26_REVERSED', 'ruby'],
    ['PHP_NATIVE', 'php'],
    ['RUST_PANIC', 'rust'],
    ['RUST_FULL', 'rust'],
  ];
  for (const [name, lang] of languages) {
    it(`recognises ${name} as ${lang}`, () => {
      assert.equal(detectStackLanguage(stacks.ALL_STACKS[name].text), lang);
    });
  }

  it('gives no frames for text that is not a stack trace', () => {
    assert.deepEqual(parseStackTrace('connection refused: 10.0.0.7:5432'), { language: undefined, frames: [] });
    assert.deepEqual(parseStackTrace(''), { language: undefined, frames: [] });
  });

  describe('Java', () => {
    it('puts the root cause first, skips suppressed exceptions and reads JDK module prefixes', () => {
      assert.deepEqual(appFrames(stacks.JAVA_SPRING.text).slice(0, 4), [
        'HikariPool.java:696',
        'HikariPool.java:197',
        'HikariDataSource.java:128',
        'CartRepository.java:77',
      ]);
      const { frames } = parseStackTrace(stacks.JAVA_SPRING.text);
      assert.ok(!frames.some((f) => f.file === 'TxHelper.java'), 'suppressed exception frames are not the error');
      const thread = frames.find((f) => f.function === 'java.lang.Thread.run');
      assert.deepEqual(thread, {
        file: 'Thread.java',
        line: 833,
        function: 'java.lang.Thread.run',
        module: 'java.lang.Thread',
        isLibrary: true,
      });
      const native = frames.find((f) => f.function === 'jdk.internal.reflect.NativeMethodAccessorImpl.invoke0');
      assert.equal(native?.file, undefined, 'Native Method has no file');
    });

    it('keeps the class as the module so that a bare file name can be found by package', () => {
      const repo = parseStackTrace(stacks.JAVA_SPRING.text).frames.find((f) => f.file === 'CartRepository.java');
      assert.deepEqual(repo, {
        file: 'CartRepository.java',
        line: 77,
        function: 'com.example.cart.CartRepository.save',
        module: 'com.example.cart.CartRepository',
      });
    });

    it('reads Kotlin facade classes, coroutine frames and lambda classes', () => {
      const { frames } = parseStackTrace(stacks.KOTLIN_KTOR.text);
      assert.deepEqual(frames[0], {
        file: 'CartService.kt',
        line: 12,
        function: 'com.example.cart.CartServiceKt.requirePositive',
        module: 'com.example.cart.CartServiceKt',
      });
      assert.equal(frames[2]?.module, 'com.example.cart.CartRoutesKt$cartRoutes$1$1');
      assert.ok(frames[3]?.isLibrary && frames[4]?.isLibrary, 'kotlin.* and kotlinx.* are library code');
    });

    it('does not take a JVM hidden-class suffix for a module prefix', () => {
      const { frames } = parseStackTrace(
        'java.lang.NullPointerException\n\tat com.example.cart.CartService$$Lambda$1432/0x0000000801a3c8f0.apply(Unknown Source)\n\tat java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)',
      );
      assert.equal(frames[0]?.function, 'com.example.cart.CartService$$Lambda$1432/0x0000000801a3c8f0.apply');
      assert.equal(frames[0]?.file, undefined);
    });
  });

  describe('Python', () => {
    it('reverses "most recent call last" and puts the original exception of a chain first', () => {
      assert.deepEqual(appFrames(stacks.PYTHON_CHAINED.text), [
        '/app/src/cart/service.py:42',
        '/app/src/cart/service.py:44',
        '/app/src/cart/views.py:31',
      ]);
    });

    it('marks site-packages and the standard library as library code', () => {
      const { frames } = parseStackTrace(stacks.PYTHON_OTEL.text);
      assert.deepEqual(
        frames.map((f) => [f.function, f.isLibrary === true]),
        [
          ['raw_decode', true],
          ['loads', true],
          ['parse_order', false],
          ['checkout', false],
          ['start_as_current_span', true],
          ['use_span', true],
        ],
      );
    });

    it('reads frames inside exception groups', () => {
      const text = [
        '  + Exception Group Traceback (most recent call last):',
        '  |   File "/app/src/cart/batch.py", line 12, in run',
        '  |     async with asyncio.TaskGroup() as tg:',
        '  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)',
        '  +-+---------------- 1 ----------------',
        '    | Traceback (most recent call last):',
        '    |   File "/app/src/cart/batch.py", line 7, in price',
        '    |     raise KeyError(sku)',
        "    | KeyError: 'sku-42'",
        '    +------------------------------------',
      ].join('\n');
      assert.equal(detectStackLanguage(text), 'python');
      assert.deepEqual(appFrames(text), ['/app/src/cart/batch.py:7', '/app/src/cart/batch.py:12']);
    });
  });

  describe('Node/V8', () => {
    it('skips node_modules and node:internal, reads columns and async frames', () => {
      const { frames } = parseStackTrace(stacks.NODE_EXPRESS.text);
      const app = frames.filter((f) => !f.isLibrary);
      assert.deepEqual(app, [
        { file: '/usr/src/app/src/cart/cartService.js', line: 42, column: 14, function: 'CartService.total' },
        { file: '/usr/src/app/src/cart/cartController.js', line: 18, column: 19, function: 'CartController.show' },
      ]);
      assert.equal(frames[0]?.function, undefined, 'an anonymous frame "at file:line:col" has no function');
      assert.equal(frames[5]?.function, 'Layer.handle [as handle_request]');
      assert.equal(frames.at(-1)?.file, 'node:internal/process/task_queues');
      assert.equal(frames.at(-1)?.isLibrary, true);
    });

    it('reads file:// URLs, "at async <location>" and frames without a location', () => {
      const { frames } = parseStackTrace(stacks.NODE_ESM.text);
      assert.deepEqual(
        frames.map((f) => [f.function, f.file, f.isLibrary === true]),
        [
          ['open', 'node:internal/fs/promises', true],
          ['Object.readFile', 'node:internal/fs/promises', true],
          ['loadConfig', 'file:///usr/src/app/src/config%20loader.mjs', false],
          [undefined, 'file:///usr/src/app/src/main.mjs', false],
          ['new Promise', undefined, true],
        ],
      );
    });

    it('gives eval frames no file and puts an error cause first', () => {
      const text = [
        'Error: checkout failed',
        '    at checkout (/app/src/checkout.js:30:11)',
        '    at eval (eval at compile (/app/src/rules.js:5:10), <anonymous>:1:1) {',
        '  [cause]: Error: price missing',
        '      at priceOf (/app/src/prices.js:9:9)',
        '      at checkout (/app/src/checkout.js:27:5)',
        '}',
      ].join('\n');
      assert.deepEqual(appFrames(text), ['/app/src/prices.js:9', '/app/src/checkout.js:27', '/app/src/checkout.js:30']);
    });
  });

  describe('.NET', () => {
    it('reads "in <path>:line N", keeps inner-exception frames first and marks BCL frames', () => {
      const { frames } = parseStackTrace(stacks.DOTNET_ASPNET.text);
      assert.deepEqual(frames[0], {
        function: 'System.Collections.Generic.Dictionary`2.get_Item',
        module: 'System.Collections.Generic.Dictionary`2',
        isLibrary: true,
      });
      assert.deepEqual(frames[1], {
        file: '/src/Shop.Cart/Pricing/PriceList.cs',
        line: 27,
        function: 'Shop.Cart.Pricing.PriceList.PriceOf',
        module: 'Shop.Cart.Pricing.PriceList',
      });
      assert.deepEqual(appFrames(stacks.DOTNET_ASPNET.text), [
        '/src/Shop.Cart/Pricing/PriceList.cs:27',
        '/src/Shop.Cart/CartService.cs:42',
        '/src/Shop.Cart/CartService.cs:48',
        '/src/Shop.Api/Controllers/CartController.cs:25',
      ]);
    });

    it("keeps an application's own Microsoft.* namespace, not only the framework's", () => {
      const text = [
        'System.InvalidOperationException: Sequence contains no elements',
        '   at Microsoft.Contoso.Billing.InvoiceService.Issue(Int32 id) in /src/Billing/InvoiceService.cs:line 31',
        '   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(ActionContext context)',
        '   at Microsoft.Extensions.Http.Logging.LoggingHttpMessageHandler.SendAsync(HttpRequestMessage request)',
      ].join('\n');
      assert.deepEqual(appFrames(text), ['/src/Billing/InvoiceService.cs:31']);
      const { frames } = parseStackTrace(text);
      assert.deepEqual(
        frames.map((f) => f.isLibrary === true),
        [false, true, true],
      );
    });

    it('reads Windows paths, CRLF line ends and localised "line" words', () => {
      assert.deepEqual(appFrames(stacks.DOTNET_WINDOWS.text), [
        'C:\\build\\agent\\_work\\3\\s\\src\\Shop.Cart\\CartService.cs:39',
        'C:\\build\\agent\\_work\\3\\s\\src\\Shop.Api\\Controllers\\CartController.cs:25',
      ]);
      const german =
        '   bei Shop.Cart.CartService.AddItem(String sku)\n   at Shop.Cart.CartService.AddItem(String sku) in /src/Shop.Cart/CartService.cs:Zeile 42';
      assert.deepEqual(appFrames(german), ['/src/Shop.Cart/CartService.cs:42']);
    });
  });

  describe('Go', () => {
    it('reads the panicking goroutine only and marks GOROOT and the module cache as library code', () => {
      const { frames } = parseStackTrace(stacks.GO_PANIC.text);
      assert.equal(frames.length, 7, 'goroutine 1 is not read');
      assert.deepEqual(frames[0], {
        file: '/app/internal/cart/service.go',
        line: 42,
        function: 'github.com/acme/shop/internal/cart.(*Service).AddItem',
        module: 'github.com/acme/shop/internal/cart',
      });
      assert.deepEqual(
        frames.map((f) => f.isLibrary === true),
        [false, false, true, true, true, true, true],
      );
      assert.equal(frames[6]?.function, 'net/http.(*Server).Serve', '"created by" frames name the spawning function');
    });

    it('puts the frames above a recovered panic (the handler calling debug.Stack) last', () => {
      assert.deepEqual(appFrames(stacks.GO_DEBUG_STACK.text), [
        '/app/internal/cart/service.go:61',
        '/app/internal/api/handler.go:57',
        '/app/internal/middleware/recover.go:18',
      ]);
    });

    it('reads inlined frames without a pc offset', () => {
      const text = [
        'panic: runtime error: index out of range [5] with length 3',
        '',
        'goroutine 1 [running]:',
        'main.lookup(...)',
        '\t/app/main.go:12',
        'main.main()',
        '\t/app/main.go:20 +0x1d',
        'exit status 2',
      ].join('\n');
      assert.deepEqual(appFrames(text), ['/app/main.go:12', '/app/main.go:20']);
    });
  });

  describe('Ruby', () => {
    it('reads backtick quoting, and gems and the stdlib are library code', () => {
      assert.deepEqual(appFrames(stacks.RUBY_RAILS.text), [
        '/app/app/services/cart_service.rb:18',
        '/app/app/controllers/carts_controller.rb:12',
      ]);
    });

    it("reads Ruby 3.4's 'Class#method' quoting and <internal:…> frames", () => {
      const { frames } = parseStackTrace(stacks.RUBY_34.text);
      assert.deepEqual(frames[0], {
        file: '/app/app/services/cart_service.rb',
        line: 21,
        function: 'CartService#add_item',
        module: 'CartService',
      });
      assert.deepEqual(frames[3], {
        file: '<internal:kernel>',
        line: 168,
        function: 'Kernel#loop',
        module: 'Kernel',
        isLibrary: true,
      });
    });

    it('orders Ruby 2.x numbered "from" lines newest first', () => {
      assert.deepEqual(appFrames(stacks.RUBY_26_REVERSED.text), [
        '/app/app/services/cart_service.rb:33',
        '/app/app/services/cart_service.rb:30',
        '/app/app/controllers/carts_controller.rb:12',
      ]);
    });
  });

  describe('PHP', () => {
    it('starts at the throw site and names the function that contains each call line', () => {
      const { frames } = parseStackTrace(stacks.PHP_NATIVE.text);
      assert.deepEqual(frames[0], {
        file: '/var/www/html/vendor/doctrine/dbal/src/Driver/API/MySQL/ExceptionConverter.php',
        line: 101,
        function: 'Doctrine\\DBAL\\Driver\\API\\MySQL\\ExceptionConverter->convert',
        module: 'Doctrine\\DBAL\\Driver\\API\\MySQL\\ExceptionConverter',
        isLibrary: true,
      });
      const app = frames.filter((f) => !f.isLibrary);
      assert.deepEqual(
        app.map((f) => [f.file, f.line, f.function]),
        [
          ['/var/www/html/src/Cart/CartRepository.php', 38, 'App\\Cart\\CartRepository->save'],
          ['/var/www/html/src/Cart/CartService.php', 42, 'App\\Cart\\CartService->addItem'],
          ['/var/www/html/src/Controller/CartController.php', 31, 'App\\Controller\\CartController->add'],
          ['/var/www/html/public/index.php', 25, undefined],
        ],
      );
    });
  });

  describe('Rust', () => {
    it('starts at the panic location, strips symbol hashes and marks std and the cargo registry', () => {
      const { frames } = parseStackTrace(stacks.RUST_PANIC.text);
      assert.deepEqual(frames[0], { file: 'src/cart/service.rs', line: 42, column: 37 });
      assert.deepEqual(appFrames(stacks.RUST_PANIC.text), [
        'src/cart/service.rs:42',
        './src/cart/service.rs:42',
        './src/api/handlers.rs:27',
      ]);
      const full = parseStackTrace(stacks.RUST_FULL.text).frames;
      const main: StackFrame | undefined = full.find((f) => f.function === 'shop::main');
      assert.deepEqual(main, {
        function: 'shop::main',
        module: 'shop',
        file: '/home/runner/work/shop/shop/services/cart-rs/src/main.rs',
        line: 9,
        column: 5,
      });
      assert.equal(full.find((f) => f.function?.startsWith('std::'))?.isLibrary, true);
    });

    it('reads the pre-1.73 panic message format', () => {
      const text =
        "thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }', src/main.rs:4:37";
      assert.deepEqual(parseStackTrace(text).frames, [{ file: 'src/main.rs', line: 4, column: 37 }]);
    });
  });

  it('survives hostile input: huge, binary-ish, and pathological lines', () => {
    const long = 'at '.repeat(50_000) + '(x.java:1)';
    assert.deepEqual(parseStackTrace(long).frames, []);
    const many = Array.from({ length: 20_000 }, (_, i) => `\tat com.example.F${i}.m(F${i}.java:${i + 1})`).join('\n');
    const parsed = parseStackTrace(many);
    assert.equal(parsed.language, 'java');
    assert.ok(parsed.frames.length > 0 && parsed.frames.length <= 1000);
    assert.deepEqual(parseStackTrace('\u0000\u0001 File "\u0000", line 0').frames, []);
  });
});
