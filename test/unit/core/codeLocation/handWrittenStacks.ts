/**
 * HAND-WRITTEN stack traces (no upstream fixture carries one): each is written the way its runtime prints it,
 * for an imagined "shop" monorepo (see SHOP_FILES), with library frames above and below the application
 * frames. `top` is the application frame nearest to where the error was raised.
 */

export interface HandWrittenStack {
  text: string;
  top: { file: string; line: number; column?: number; function?: string };
}

/** Tab-indented frames, Caused by chains, "... N more", a Suppressed block, JDK module prefixes. */
export const JAVA_SPRING: HandWrittenStack = {
  text: [
    'org.springframework.web.util.NestedServletException: Request processing failed; nested exception is java.lang.IllegalStateException: Could not add item sku-42 to cart 7',
    '\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)',
    '\tat org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:909)',
    '\tat javax.servlet.http.HttpServlet.service(HttpServlet.java:681)',
    '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)',
    '\tat org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)',
    '\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:162)',
    '\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)',
    '\tat java.base/java.lang.Thread.run(Thread.java:833)',
    'Caused by: java.lang.IllegalStateException: Could not add item sku-42 to cart 7',
    '\tat com.example.cart.CartService.addItem(CartService.java:58)',
    '\tat com.example.cart.CartController.add(CartController.java:31)',
    '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)',
    '\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)',
    '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)',
    '\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1006)',
    '\t... 7 more',
    'Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
    '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
    '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)',
    '\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)',
    '\tat com.example.cart.CartRepository.save(CartRepository.java:77)',
    '\tat com.example.cart.CartService.addItem(CartService.java:52)',
    '\t... 13 more',
    '\tSuppressed: java.lang.IllegalStateException: rollback failed',
    '\t\tat com.example.cart.TxHelper.rollback(TxHelper.java:19)',
    '\t\t... 17 more',
  ].join('\n'),
  top: {
    file: 'services/cart-java/src/main/java/com/example/cart/CartRepository.java',
    line: 77,
    function: 'com.example.cart.CartRepository.save',
  },
};

/** Kotlin: file facade classes (CartServiceKt), coroutine frames, sources under a root-package-less directory. */
export const KOTLIN_KTOR: HandWrittenStack = {
  text: [
    'java.lang.IllegalArgumentException: quantity must be positive, was -1',
    '\tat com.example.cart.CartServiceKt.requirePositive(CartService.kt:12)',
    '\tat com.example.cart.CartService.addItem(CartService.kt:27)',
    '\tat com.example.cart.CartRoutesKt$cartRoutes$1$1.invokeSuspend(CartRoutes.kt:19)',
    '\tat kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)',
    '\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)',
    '\tat io.netty.util.concurrent.FastThreadLocalRunnable.run(FastThreadLocalRunnable.java:30)',
    '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
  ].join('\n'),
  top: {
    file: 'services/cart-kotlin/src/main/kotlin/cart/CartService.kt',
    line: 12,
    function: 'com.example.cart.CartServiceKt.requirePositive',
  },
};

/** Python 3.11: most recent call last, carets, and a `raise … from` chain whose original error comes first. */
export const PYTHON_CHAINED: HandWrittenStack = {
  text: [
    'Traceback (most recent call last):',
    '  File "/app/src/cart/service.py", line 42, in add_item',
    '    price = self.prices[sku]',
    '            ~~~~~~~~~~~^^^^^',
    "KeyError: 'sku-42'",
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.11/site-packages/flask/app.py", line 1484, in full_dispatch_request',
    '    rv = self.dispatch_request()',
    '         ^^^^^^^^^^^^^^^^^^^^^^^',
    '  File "/usr/local/lib/python3.11/site-packages/flask/app.py", line 1469, in dispatch_request',
    '    return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)',
    '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    '  File "/app/src/cart/views.py", line 31, in add',
    '    cart_service.add_item(cart_id, sku, qty)',
    '  File "/app/src/cart/service.py", line 44, in add_item',
    '    raise UnknownItem(sku) from err',
    'cart.errors.UnknownItem: sku-42',
  ].join('\n'),
  top: { file: 'services/cart-py/src/cart/service.py', line: 42, function: 'add_item' },
};

/** Python as OpenTelemetry records it (traceback.format_exc): SDK frames first, the stdlib last. */
export const PYTHON_OTEL: HandWrittenStack = {
  text: [
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.12/site-packages/opentelemetry/trace/__init__.py", line 589, in use_span',
    '    yield span',
    '  File "/usr/local/lib/python3.12/site-packages/opentelemetry/sdk/trace/__init__.py", line 1104, in start_as_current_span',
    '    yield span',
    '  File "/srv/orders/src/orders/checkout.py", line 27, in checkout',
    '    order = parse_order(request.body)',
    '            ^^^^^^^^^^^^^^^^^^^^^^^^^',
    '  File "/srv/orders/src/orders/pricing.py", line 14, in parse_order',
    '    return json.loads(body)',
    '           ^^^^^^^^^^^^^^^^',
    '  File "/usr/local/lib/python3.12/json/__init__.py", line 346, in loads',
    '    return _default_decoder.decode(s)',
    '           ^^^^^^^^^^^^^^^^^^^^^^^^^^',
    '  File "/usr/local/lib/python3.12/json/decoder.py", line 355, in raw_decode',
    '    raise JSONDecodeError("Expecting value", s, err.value) from None',
    'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
  ].join('\n'),
  top: { file: 'services/orders-py/src/orders/pricing.py', line: 14, function: 'parse_order' },
};

/** Node 20: the error raised inside lodash, async frames, express and node:internal below. */
export const NODE_EXPRESS: HandWrittenStack = {
  text: [
    "TypeError: Cannot read properties of undefined (reading 'price')",
    '    at /usr/src/app/node_modules/lodash/lodash.js:3564:27',
    '    at baseSum (/usr/src/app/node_modules/lodash/lodash.js:1120:21)',
    '    at Function.sumBy (/usr/src/app/node_modules/lodash/lodash.js:16471:14)',
    '    at CartService.total (/usr/src/app/src/cart/cartService.js:42:14)',
    '    at async CartController.show (/usr/src/app/src/cart/cartController.js:18:19)',
    '    at Layer.handle [as handle_request] (/usr/src/app/node_modules/express/lib/router/layer.js:95:5)',
    '    at next (/usr/src/app/node_modules/express/lib/router/route.js:149:13)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n'),
  top: { file: 'services/cart-node/src/cart/cartService.js', line: 42, column: 14, function: 'CartService.total' },
};

/** Node ESM: file:// URLs (with a percent-encoded space), an anonymous top-level frame, Promise internals. */
export const NODE_ESM: HandWrittenStack = {
  text: [
    "Error: ENOENT: no such file or directory, open 'config/cart.json'",
    '    at async open (node:internal/fs/promises:639:25)',
    '    at async Object.readFile (node:internal/fs/promises:1242:14)',
    '    at async loadConfig (file:///usr/src/app/src/config%20loader.mjs:8:18)',
    '    at async file:///usr/src/app/src/main.mjs:3:16',
    '    at new Promise (<anonymous>)',
  ].join('\n'),
  top: { file: 'services/cart-node/src/config loader.mjs', line: 8, column: 18, function: 'loadConfig' },
};

/** .NET 8: an inner exception printed first, BCL and ASP.NET Core frames, "End of stack trace" separators. */
export const DOTNET_ASPNET: HandWrittenStack = {
  text: [
    "System.InvalidOperationException: Could not add item 'sku-42' to cart 7.",
    " ---> System.Collections.Generic.KeyNotFoundException: The given key 'sku-42' was not present in the dictionary.",
    '   at System.Collections.Generic.Dictionary`2.get_Item(TKey key)',
    '   at Shop.Cart.Pricing.PriceList.PriceOf(String sku) in /src/Shop.Cart/Pricing/PriceList.cs:line 27',
    '   at Shop.Cart.CartService.AddItemAsync(Int32 cartId, String sku, Int32 qty) in /src/Shop.Cart/CartService.cs:line 42',
    '   --- End of inner exception stack trace ---',
    '   at Shop.Cart.CartService.AddItemAsync(Int32 cartId, String sku, Int32 qty) in /src/Shop.Cart/CartService.cs:line 48',
    '   at Shop.Api.Controllers.CartController.Add(Int32 cartId, AddItemRequest request) in /src/Shop.Api/Controllers/CartController.cs:line 25',
    '   at lambda_method5(Closure, Object)',
    '   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.AwaitableObjectResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)',
    '   at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.<InvokeActionMethodAsync>g__Awaited|12_0(ControllerActionInvoker invoker, ValueTask`1 actionResultValueTask)',
    '--- End of stack trace from previous location ---',
    '   at Microsoft.AspNetCore.Routing.EndpointMiddleware.<Invoke>g__AwaitRequestTask|7_0(Endpoint endpoint, Task requestTask, ILogger logger)',
  ].join('\n'),
  top: {
    file: 'services/cart-dotnet/src/Shop.Cart/Pricing/PriceList.cs',
    line: 27,
    function: 'Shop.Cart.Pricing.PriceList.PriceOf',
  },
};

/** .NET built on a Windows CI agent. */
export const DOTNET_WINDOWS: HandWrittenStack = {
  text: [
    "System.ArgumentOutOfRangeException: Quantity must be positive. (Parameter 'qty')",
    '   at Shop.Cart.CartService.AddItemAsync(Int32 cartId, String sku, Int32 qty) in C:\\build\\agent\\_work\\3\\s\\src\\Shop.Cart\\CartService.cs:line 39',
    '   at Shop.Api.Controllers.CartController.Add(Int32 cartId, AddItemRequest request) in C:\\build\\agent\\_work\\3\\s\\src\\Shop.Api\\Controllers\\CartController.cs:line 25',
  ].join('\r\n'),
  top: { file: 'services/cart-dotnet/src/Shop.Cart/CartService.cs', line: 39, function: 'Shop.Cart.CartService.AddItemAsync' },
};

/** Go 1.22 panic: SIGSEGV in application code, net/http in GOROOT, chi in the module cache, a second goroutine. */
export const GO_PANIC: HandWrittenStack = {
  text: [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6f2b3a]',
    '',
    'goroutine 34 [running]:',
    'github.com/acme/shop/internal/cart.(*Service).AddItem(0x0, {0xa3c1e0, 0xc0001a6000}, 0x7, {0xc00001c0f0, 0x6}, 0x2)',
    '\t/app/internal/cart/service.go:42 +0x3a',
    'github.com/acme/shop/internal/api.(*Handler).addItem(0xc000118040, {0xa3b8d0, 0xc0001c2000}, 0xc0001a4000)',
    '\t/app/internal/api/handler.go:57 +0x1c5',
    'net/http.HandlerFunc.ServeHTTP(0xc0001b0000?, {0xa3b8d0?, 0xc0001c2000?}, 0x0?)',
    '\t/usr/local/go/src/net/http/server.go:2171 +0x29',
    'github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0000b6060, {0xa3b8d0, 0xc0001c2000}, 0xc0001a4000)',
    '\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go:444 +0x216',
    'net/http.serverHandler.ServeHTTP({0xc0001a0030?}, {0xa3b8d0?, 0xc0001c2000?}, 0x6?)',
    '\t/usr/local/go/src/net/http/server.go:3142 +0x8e',
    'net/http.(*conn).serve(0xc0001ac000, {0xa3c1e0, 0xc0001a6000})',
    '\t/usr/local/go/src/net/http/server.go:2044 +0x5e8',
    'created by net/http.(*Server).Serve in goroutine 1',
    '\t/usr/local/go/src/net/http/server.go:3290 +0x4b4',
    '',
    'goroutine 1 [IO wait]:',
    'internal/poll.runtime_pollWait(0x7f6b1c0e6e80, 0x72)',
    '\t/usr/local/go/src/runtime/netpoll.go:345 +0x85',
    'main.main()',
    '\t/app/cmd/server/main.go:31 +0x2d1',
    'exit status 2',
  ].join('\n'),
  top: {
    file: 'services/cart-go/internal/cart/service.go',
    line: 42,
    function: 'github.com/acme/shop/internal/cart.(*Service).AddItem',
  },
};

/** runtime/debug.Stack() from a recover middleware: the middleware frames sit above `panic`. */
export const GO_DEBUG_STACK: HandWrittenStack = {
  text: [
    'goroutine 21 [running]:',
    'runtime/debug.Stack()',
    '\t/usr/local/go/src/runtime/debug/stack.go:24 +0x5e',
    'github.com/acme/shop/internal/middleware.Recover.func1.1()',
    '\t/app/internal/middleware/recover.go:18 +0x6a',
    'panic({0x8a2f40?, 0xc000012345?})',
    '\t/usr/local/go/src/runtime/panic.go:770 +0x132',
    'github.com/acme/shop/internal/cart.(*Service).AddItem(0xc0001b2000, {0xa3c1e0, 0xc0001a6000}, 0x7, {0xc00001c0f0, 0x6}, 0x0)',
    '\t/app/internal/cart/service.go:61 +0x2b8',
    'github.com/acme/shop/internal/api.(*Handler).addItem(0xc000118040, {0xa3b8d0, 0xc0001c2000}, 0xc0001a4000)',
    '\t/app/internal/api/handler.go:57 +0x1c5',
    'net/http.HandlerFunc.ServeHTTP(...)',
    '\t/usr/local/go/src/net/http/server.go:2171',
  ].join('\n'),
  top: {
    file: 'services/cart-go/internal/cart/service.go',
    line: 61,
    function: 'github.com/acme/shop/internal/cart.(*Service).AddItem',
  },
};

/** Ruby 3.2 / Rails: raised inside ActiveRecord, backtick quoting, gems and the stdlib below. */
export const RUBY_RAILS: HandWrittenStack = {
  text: [
    "/usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/core.rb:253:in `find': Couldn't find Product with 'id'=42 (ActiveRecord::RecordNotFound)",
    "\tfrom /usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/querying.rb:23:in `find'",
    "\tfrom /app/app/services/cart_service.rb:18:in `add_item'",
    "\tfrom /app/app/controllers/carts_controller.rb:12:in `create'",
    "\tfrom /usr/local/bundle/gems/actionpack-7.1.3/lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'",
    "\tfrom /usr/local/lib/ruby/3.2.0/benchmark.rb:311:in `realtime'",
  ].join('\n'),
  top: { file: 'services/cart-rb/app/services/cart_service.rb', line: 18, function: 'add_item' },
};

/** Ruby 3.4 quoting ('Class#method') and an <internal:…> frame. */
export const RUBY_34: HandWrittenStack = {
  text: [
    "/app/app/services/cart_service.rb:21:in 'CartService#add_item': undefined method 'price' for nil (NoMethodError)",
    "\tfrom /app/app/controllers/carts_controller.rb:12:in 'CartsController#create'",
    "\tfrom /usr/local/bundle/gems/actionpack-8.0.1/lib/action_controller/metal/basic_implicit_render.rb:8:in 'ActionController::BasicImplicitRender#send_action'",
    "\tfrom <internal:kernel>:168:in 'Kernel#loop'",
  ].join('\n'),
  top: { file: 'services/cart-rb/app/services/cart_service.rb', line: 21, function: 'CartService#add_item' },
};

/** Ruby 2.6 on a terminal: "Traceback (most recent call last)", numbered frames oldest first. */
export const RUBY_26_REVERSED: HandWrittenStack = {
  text: [
    'Traceback (most recent call last):',
    "\t3: from /usr/local/bundle/gems/rack-2.2.8/lib/rack/builder.rb:244:in `call'",
    "\t2: from /app/app/controllers/carts_controller.rb:12:in `create'",
    "\t1: from /app/app/services/cart_service.rb:30:in `add_item'",
    "/app/app/services/cart_service.rb:33:in `price_of': undefined method `price' for nil:NilClass (NoMethodError)",
  ].join('\n'),
  top: { file: 'services/cart-rb/app/services/cart_service.rb', line: 33, function: 'price_of' },
};

/** PHP 8 uncaught exception raised in vendor/ (Doctrine), Symfony below, {main} last. */
export const PHP_NATIVE: HandWrittenStack = {
  text: [
    'PHP Fatal error:  Uncaught Doctrine\\DBAL\\Exception\\ConnectionException: An exception occurred in the driver: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/vendor/doctrine/dbal/src/Driver/API/MySQL/ExceptionConverter.php:101',
    'Stack trace:',
    '#0 /var/www/html/vendor/doctrine/dbal/src/Connection.php(1943): Doctrine\\DBAL\\Driver\\API\\MySQL\\ExceptionConverter->convert(Object(Doctrine\\DBAL\\Driver\\PDO\\Exception), NULL)',
    '#1 /var/www/html/vendor/doctrine/dbal/src/Connection.php(364): Doctrine\\DBAL\\Connection->handleDriverException(Object(Doctrine\\DBAL\\Driver\\PDO\\Exception), NULL)',
    '#2 /var/www/html/src/Cart/CartRepository.php(38): Doctrine\\DBAL\\Connection->connect()',
    '#3 /var/www/html/src/Cart/CartService.php(42): App\\Cart\\CartRepository->save(Object(App\\Cart\\Cart))',
    "#4 /var/www/html/src/Controller/CartController.php(31): App\\Cart\\CartService->addItem(7, 'sku-42', 2)",
    '#5 /var/www/html/vendor/symfony/http-kernel/HttpKernel.php(181): App\\Controller\\CartController->add(Object(Symfony\\Component\\HttpFoundation\\Request))',
    '#6 [internal function]: Symfony\\Component\\HttpKernel\\HttpKernel->handleRaw(Object(Symfony\\Component\\HttpFoundation\\Request), 1)',
    '#7 /var/www/html/public/index.php(25): Symfony\\Component\\HttpKernel\\Kernel->handle(Object(Symfony\\Component\\HttpFoundation\\Request))',
    '#8 {main}',
    '  thrown in /var/www/html/vendor/doctrine/dbal/src/Driver/API/MySQL/ExceptionConverter.php on line 101',
  ].join('\n'),
  top: { file: 'services/cart-php/src/Cart/CartRepository.php', line: 38, function: 'App\\Cart\\CartRepository->save' },
};

/** opentelemetry-php's StackTraceFormatter: Java-style, namespaces with dots, bare file names. */
export const PHP_OTEL: HandWrittenStack = {
  text: [
    'RuntimeException: Unknown SKU sku-42',
    '\tat App.Cart.PriceList.priceOf(PriceList.php:27)',
    '\tat App.Cart.CartService.addItem(CartService.php:42)',
    '\tat App.Controller.CartController.add(CartController.php:31)',
    '\tat Symfony.Component.HttpKernel.HttpKernel.handleRaw(HttpKernel.php:181)',
    '\tat Symfony.Component.HttpKernel.HttpKernel.handle(HttpKernel.php:76)',
    '\tat {main}(index.php:25)',
  ].join('\n'),
  top: { file: 'services/cart-php/src/Cart/PriceList.php', line: 27, function: 'App.Cart.PriceList.priceOf' },
};

/** Rust 1.77 with RUST_BACKTRACE=1: std frames first, a crate from the cargo registry below. */
export const RUST_PANIC: HandWrittenStack = {
  text: [
    "thread 'tokio-runtime-worker' panicked at src/cart/service.rs:42:37:",
    'called `Option::unwrap()` on a `None` value',
    'stack backtrace:',
    '   0: rust_begin_unwind',
    '             at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/std/src/panicking.rs:645:5',
    '   1: core::panicking::panic_fmt',
    '             at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/core/src/panicking.rs:72:14',
    '   2: core::panicking::panic',
    '             at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/core/src/panicking.rs:144:5',
    '   3: core::option::unwrap_failed',
    '             at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/core/src/option.rs:1978:5',
    '   4: shop::cart::service::CartService::add_item',
    '             at ./src/cart/service.rs:42:37',
    '   5: shop::api::handlers::add_item::{{closure}}',
    '             at ./src/api/handlers.rs:27:5',
    '   6: <axum::handler::HandlerService<H,T,S> as tower_service::Service<http::request::Request<B>>>::call::{{closure}}',
    '             at /usr/local/cargo/registry/src/index.crates.io-6f17d22bba15001f/axum-0.7.4/src/handler/mod.rs:198:41',
    'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.',
  ].join('\n'),
  top: { file: 'services/cart-rs/src/cart/service.rs', line: 42, column: 37 },
};

/** Rust with RUST_BACKTRACE=full: addresses and symbol hashes. */
export const RUST_FULL: HandWrittenStack = {
  text: [
    "thread 'main' panicked at src/main.rs:9:5:",
    'explicit panic',
    'stack backtrace:',
    '   0:     0x55d4b1e5a1c6 - std::backtrace_rs::backtrace::libunwind::trace::h5a5b8284f2d0c266',
    '                               at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/std/src/../../backtrace/src/backtrace/libunwind.rs:104:5',
    '  13:     0x55d4b1e3f0a2 - shop::main::h0b3ad1a2c4e0f1d9',
    '                               at /home/runner/work/shop/shop/services/cart-rs/src/main.rs:9:5',
    '  14:     0x55d4b1e3f1b3 - core::ops::function::FnOnce::call_once::h6f3f2f1e2d0c9b8a',
    '                               at /rustc/07dca489ac2d933c78d3c5158e3f43beefeb02ce/library/core/src/ops/function.rs:250:5',
  ].join('\n'),
  top: { file: 'services/cart-rs/src/main.rs', line: 9, column: 5 },
};

/** The files of the imagined monorepo the stacks above come from, plus look-alikes that must never be picked. */
export const SHOP_FILES: readonly string[] = [
  'services/cart-java/src/main/java/com/example/cart/CartService.java',
  'services/cart-java/src/main/java/com/example/cart/CartRepository.java',
  'services/cart-java/src/main/java/com/example/cart/CartController.java',
  'services/cart-java/src/main/java/com/example/cart/TxHelper.java',
  'services/cart-kotlin/src/main/kotlin/cart/CartService.kt',
  'services/cart-kotlin/src/main/kotlin/cart/CartRoutes.kt',
  'services/cart-py/src/cart/service.py',
  'services/cart-py/src/cart/views.py',
  'services/orders-py/src/orders/checkout.py',
  'services/orders-py/src/orders/pricing.py',
  'services/cart-node/src/cart/cartService.js',
  'services/cart-node/src/cart/cartController.js',
  'services/cart-node/src/config loader.mjs',
  'services/cart-node/src/main.mjs',
  'services/cart-dotnet/src/Shop.Cart/CartService.cs',
  'services/cart-dotnet/src/Shop.Cart/Pricing/PriceList.cs',
  'services/cart-dotnet/src/Shop.Api/Controllers/CartController.cs',
  'services/cart-go/internal/cart/service.go',
  'services/cart-go/internal/api/handler.go',
  'services/cart-go/internal/middleware/recover.go',
  'services/cart-go/cmd/server/main.go',
  'services/cart-rb/app/services/cart_service.rb',
  'services/cart-rb/app/controllers/carts_controller.rb',
  'services/cart-php/src/Cart/CartService.php',
  'services/cart-php/src/Cart/CartRepository.php',
  'services/cart-php/src/Cart/PriceList.php',
  'services/cart-php/src/Controller/CartController.php',
  'services/cart-php/public/index.php',
  'services/cart-rs/src/cart/service.rs',
  'services/cart-rs/src/api/handlers.rs',
  'services/cart-rs/src/main.rs',
  // look-alikes: vendored and installed code inside the workspace, and a file named like a GOROOT one
  'services/cart-php/vendor/symfony/http-kernel/HttpKernel.php',
  'services/cart-php/vendor/doctrine/dbal/src/Connection.php',
  'services/cart-node/node_modules/lodash/lodash.js',
  'services/cart-node/node_modules/express/lib/router/layer.js',
  'services/cart-go/internal/api/server.go',
  'tools/benchmark.rb',
  'tools/json/decoder.py',
];

export const ALL_STACKS = {
  JAVA_SPRING,
  KOTLIN_KTOR,
  PYTHON_CHAINED,
  PYTHON_OTEL,
  NODE_EXPRESS,
  NODE_ESM,
  DOTNET_ASPNET,
  DOTNET_WINDOWS,
  GO_PANIC,
  GO_DEBUG_STACK,
  RUBY_RAILS,
  RUBY_34,
  RUBY_26_REVERSED,
  PHP_NATIVE,
  PHP_OTEL,
  RUST_PANIC,
  RUST_FULL,
} as const;
