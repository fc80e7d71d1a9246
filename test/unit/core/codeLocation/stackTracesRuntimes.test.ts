// Stack traces of Elixir/Erlang, C and C++, symbol-only Rust and generated code: hand-written in each runtime's
// own format for an imagined "shop" (inventory in C++, orders in Elixir, an API in Rust).
import * as assert from 'node:assert/strict';
import { detectStackLanguage, parseStackTrace, type StackFrame } from '../../../../src/core/codeLocation/stackTraces';
import { demangle } from '../../../../src/core/codeLocation/stackTraces/demangle';
import { symbolParts } from '../../../../src/core/codeLocation/stackTraces/symbols';

/** Frames that are application code, nearest the raise point first, as `file:line function`. */
function app(text: string): string[] {
  return parseStackTrace(text)
    .frames.filter((f) => !f.isLibrary)
    .map((f) => `${f.file ?? '-'}:${f.line ?? '-'} ${f.function ?? '-'}`);
}

const ELIXIR_PHOENIX = [
  '** (Ecto.NoResultsError) expected at least one result but got none in query:',
  '',
  'from o0 in Shop.Orders.Order,',
  '  where: o0.id == ^42',
  '',
  '    (ecto 3.11.2) lib/ecto/repo/queryable.ex:164: Ecto.Repo.Queryable.one!/3',
  '    (shop 0.3.1) lib/shop/orders.ex:57: Shop.Orders.fetch_order!/1',
  '    (shop 0.3.1) lib/shop_web/controllers/order_controller.ex:21: ShopWeb.OrderController.show/2',
  '    (shop 0.3.1) lib/shop_web/controllers/order_controller.ex:1: ShopWeb.OrderController.action/2',
  '    (shop 0.3.1) lib/shop_web/controllers/order_controller.ex:1: ShopWeb.OrderController.phoenix_controller_pipeline/2',
  '    (phoenix 1.7.12) lib/phoenix/router.ex:484: Phoenix.Router.__call__/5',
  '    (shop 0.3.1) lib/shop_web/endpoint.ex:1: ShopWeb.Endpoint.plug_builder_call/2',
  '    (elixir 1.16.2) lib/enum.ex:1700: Enum."-map/2-lists^map/1-1-"/2',
  '    (stdlib 5.2) gen_server.erl:1095: :gen_server.try_handle_call/4',
].join('\n');

const BOOST = [
  ' 0# boost::stacktrace::basic_stacktrace<std::allocator<boost::stacktrace::frame> >::basic_stacktrace() at /usr/include/boost/stacktrace/stacktrace.hpp:129',
  ' 1# inventory::StockService::reserve(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, int) at /build/src/stock_service.cpp:88',
  ' 2# inventory::Api::handleReserve(Request const&) at /build/src/api.cpp:41',
  ' 3# 0x00007F3A9C2B7E3F in /lib/x86_64-linux-gnu/libc.so.6',
  ' 4# _start in ./inventory',
].join('\n');

const ASAN = [
  '==4711==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x55d0c1a2b3c4',
  'READ of size 4 at 0x602000000010 thread T0',
  '    #0 0x55d0c1a2b3c4 in inventory::StockService::reserve(std::string const&, int) /build/src/stock_service.cpp:91:12',
  '    #1 0x55d0c1a2a001 in main /build/src/main.cpp:17:3',
  '    #2 0x7f3a9c229d8f in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58:16',
  '    #3 0x7f3a9c229e3f in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x29e3f)',
  '    #4 0x55d0c1a29fa4 in _start (/build/inventory+0x1fa4)',
].join('\n');

const GDB = [
  '#0  inventory::StockService::reserve (this=0x7fffffffd9f0, sku="A-1", qty=3) at src/stock_service.cpp:91',
  '#1  0x0000555555556a1b in inventory::Api::handleReserve (this=0x7fffffffdb10, req=...) at src/api.cpp:41',
  '#2  0x00007ffff7a29d90 in __libc_start_call_main (main=main@entry=0x555555556b20 <main()>, argc=argc@entry=1) at ../sysdeps/nptl/libc_start_call_main.h:58',
].join('\n');

const GLIBC = [
  './inventory(_ZN9inventory12StockService7reserveERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEi+0x4c) [0x55d0c1a2b3c4]',
  './inventory(_ZN9inventory3Api13handleReserveERK7Request+0x9a) [0x55d0c1a2b5aa]',
  './inventory(main+0x21) [0x55d0c1a2a021]',
  '/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0xf3) [0x7f3a9c229e3f]',
  './inventory(_start+0x2e) [0x55d0c1a29fce]',
].join('\n');

/** A release build captured by a panic hook: application frames have symbols but no locations. */
const RUST_RELEASE = [
  '   0: std::backtrace_rs::backtrace::libunwind::trace',
  '             at /rustc/3f5fd8dd41153bc5fdca9427e9e05be2c767ba23/library/std/src/../../backtrace/src/backtrace/libunwind.rs:104:5',
  '   1: std::backtrace::Backtrace::create',
  '             at /rustc/3f5fd8dd41153bc5fdca9427e9e05be2c767ba23/library/std/src/backtrace.rs:331:13',
  '   2: shop_api::telemetry::panic_hook',
  '   3: std::panicking::rust_panic_with_hook',
  '             at /rustc/3f5fd8dd41153bc5fdca9427e9e05be2c767ba23/library/std/src/panicking.rs:809:13',
  '   4: core::result::unwrap_failed',
  '             at /rustc/3f5fd8dd41153bc5fdca9427e9e05be2c767ba23/library/core/src/result.rs:1653:5',
  '   5: <shop_api::orders::OrderId as core::str::traits::FromStr>::from_str',
  '   6: shop_api::orders::handlers::get_order::{{closure}}',
  '   7: <F as axum::handler::Handler<(M,T1),S>>::call::{{closure}}',
  '   8: tokio::runtime::task::core::Core<T,S>::poll',
].join('\n');

describe('stackTraces: Elixir, Erlang, C/C++ and symbol-only frames', () => {
  it('recognises each format', () => {
    assert.equal(detectStackLanguage(ELIXIR_PHOENIX), 'elixir');
    for (const t of [BOOST, ASAN, GDB, GLIBC]) assert.equal(detectStackLanguage(t), 'cpp');
    assert.equal(detectStackLanguage(RUST_RELEASE), 'rust');
  });

  describe('Elixir and Erlang', () => {
    it('reads Exception.format lines; OTP and Elixir apps, macro-generated functions and line-1 frames are not the app', () => {
      assert.deepEqual(app(ELIXIR_PHOENIX), [
        'lib/ecto/repo/queryable.ex:164 Ecto.Repo.Queryable.one!/3',
        'lib/shop/orders.ex:57 Shop.Orders.fetch_order!/1',
        'lib/shop_web/controllers/order_controller.ex:21 ShopWeb.OrderController.show/2',
      ]);
      const [, orders] = parseStackTrace(ELIXIR_PHOENIX).frames;
      assert.deepEqual(orders, {
        file: 'lib/shop/orders.ex',
        line: 57,
        function: 'Shop.Orders.fetch_order!/1',
        module: 'Shop.Orders',
      });
      const erl = parseStackTrace(ELIXIR_PHOENIX).frames.at(-1);
      assert.deepEqual([erl?.module, erl?.isLibrary], ['gen_server', true]);
    });

    it('reads frames without an application prefix, anonymous functions and the pre-1.11 prefix without a version', () => {
      const text = [
        '** (ArgumentError) errors were found at the given arguments:',
        '    lib/shop/cart.ex:12: anonymous fn/1 in Shop.Cart.total/1',
        '    (shop) lib/shop/cart.ex:30: Shop.Cart.total/1',
      ].join('\n');
      assert.deepEqual(app(text), ['lib/shop/cart.ex:12 Shop.Cart.total/1', 'lib/shop/cart.ex:30 Shop.Cart.total/1']);
    });

    it("reads the Erlang shell's `in function` lines and a printed stack term", () => {
      const shell = [
        '** exception error: no match of right hand side value {error,not_found}',
        '     in function  shop_orders:fetch/1 (src/shop_orders.erl, line 42)',
        '     in call from shop_api:handle/2 (src/shop_api.erl, line 17)',
      ].join('\n');
      assert.deepEqual(app(shell), ['src/shop_orders.erl:42 shop_orders:fetch/1', 'src/shop_api.erl:17 shop_api:handle/2']);
      const term =
        '[{shop_orders,fetch,1,[{file,"src/shop_orders.erl"},{line,42}]},\n {\'Elixir.Shop.Api\',handle,2,[{file,"lib/shop/api.ex"},{line,9}]},\n {cowboy_handler,execute,2,[{file,"/app/_build/prod/lib/cowboy/src/cowboy_handler.erl"},{line,37}]}]';
      assert.equal(detectStackLanguage(term), 'elixir');
      assert.deepEqual(app(term), ['src/shop_orders.erl:42 shop_orders:fetch/1', 'lib/shop/api.ex:9 Shop.Api.handle/2']);
    });
  });

  describe('C and C++', () => {
    it('boost::stacktrace: frames with a source location, system headers and shared objects as library', () => {
      assert.deepEqual(app(BOOST), [
        '/build/src/stock_service.cpp:88 inventory::StockService::reserve',
        '/build/src/api.cpp:41 inventory::Api::handleReserve',
      ]);
    });

    it('sanitizers and gdb: `#N 0x… in fn file:line:col` and `fn (args) at file:line`', () => {
      assert.deepEqual(parseStackTrace(ASAN).frames[0], {
        file: '/build/src/stock_service.cpp',
        line: 91,
        column: 12,
        function: 'inventory::StockService::reserve',
        module: 'inventory::StockService',
      });
      assert.deepEqual(app(ASAN), [
        '/build/src/stock_service.cpp:91 inventory::StockService::reserve',
        '/build/src/main.cpp:17 main',
      ]);
      assert.deepEqual(app(GDB), [
        'src/stock_service.cpp:91 inventory::StockService::reserve',
        'src/api.cpp:41 inventory::Api::handleReserve',
      ]);
    });

    it('glibc backtrace_symbols: demangled symbols without locations', () => {
      assert.deepEqual(app(GLIBC), ['-:- inventory::StockService::reserve', '-:- inventory::Api::handleReserve', '-:- main']);
    });

    it('demangles the name part of Itanium symbols, and gives up rather than guess', () => {
      assert.equal(demangle('_ZN9inventory12StockService7reserveERKSsi'), 'inventory::StockService::reserve');
      assert.equal(demangle('_ZN4shop4CartC2Ev'), 'shop::Cart::Cart');
      assert.equal(demangle('_ZN4shop4CartD1Ev'), 'shop::Cart::~Cart');
      assert.equal(demangle('_ZNK4shop4Cart5totalEv'), 'shop::Cart::total');
      assert.equal(demangle('_ZN4shop5StockIiE7reserveEi'), 'shop::Stock::reserve');
      assert.equal(demangle('_ZNSt6vectorIiSaIiEE9push_backERKi'), 'std::vector::push_back');
      assert.equal(demangle('_Z6helperv'), 'helper');
      assert.equal(demangle('_ZZN4shop4Cart3addEvENKUlvE_clEv'), 'shop::Cart::add', 'a lambda runs inside its function');
      assert.equal(demangle('_ZN4shop4CarteqERKS0_'), 'shop::Cart::operator==');
      assert.equal(demangle('main'), undefined);
      assert.equal(demangle('_ZN4shop'), undefined);
      assert.equal(demangle('_ZN99x'), undefined);
    });
  });

  describe('Rust', () => {
    it('keeps symbol-only application frames and leaves runtime crates out', () => {
      assert.deepEqual(app(RUST_RELEASE), [
        '-:- shop_api::telemetry::panic_hook',
        '-:- <shop_api::orders::OrderId as core::str::traits::FromStr>::from_str',
        '-:- shop_api::orders::handlers::get_order::{{closure}}',
        '-:- <F as axum::handler::Handler<(M,T1),S>>::call::{{closure}}',
      ]);
    });
  });

  describe('generated and proxy code', () => {
    it('passes over gRPC stubs and JVM proxies like library frames', () => {
      const go = [
        'goroutine 7 [running]:',
        'github.com/acme/shop/internal/orders.(*Server).GetOrder(0xc0001, {0xa3c1e0, 0xc0002}, 0xc0003)',
        '\t/app/internal/orders/server.go:41 +0x3a',
        'github.com/acme/shop/gen/orderspb._Orders_GetOrder_Handler({0x9f2a40, 0xc0001}, {0xa3c1e0, 0xc0002}, 0xc0004, 0x0)',
        '\t/app/gen/orderspb/orders_grpc.pb.go:120 +0x1c5',
      ].join('\n');
      assert.deepEqual(
        parseStackTrace(go).frames.map((f) => f.isLibrary === true),
        [false, true],
      );
      const java = [
        'java.lang.IllegalStateException: no stock',
        '\tat com.acme.shop.StockService.reserve(StockService.java:31)',
        '\tat com.acme.shop.StockService$$SpringCGLIB$$0.reserve(<generated>)',
        '\tat jdk.proxy2.$Proxy87.reserve(Unknown Source)',
        '\tat com.acme.shop.StockGrpc$StockImplBase.reserve(StockGrpc.java:210)',
        '\tat com.acme.shop.OrderService$$EnhancerBySpringCGLIB$$5d2c.place(OrderService.java)',
      ].join('\n');
      assert.deepEqual(
        parseStackTrace(java).frames.map((f) => f.isLibrary === true),
        [false, true, true, true, true],
      );
      const py =
        '  File "/app/shop/gen/orders_pb2_grpc.py", line 88, in GetOrder\n  File "/app/shop/orders/service.py", line 12, in get';
      assert.deepEqual(
        parseStackTrace(py).frames.map((f: StackFrame) => [f.file, f.isLibrary === true]),
        [
          ['/app/shop/orders/service.py', false],
          ['/app/shop/gen/orders_pb2_grpc.py', true],
        ],
      );
    });
  });

  describe('symbolParts', () => {
    const cases: [string, Parameters<typeof symbolParts>[1], string[]][] = [
      [
        '<shop_api::orders::OrderId as core::str::traits::FromStr>::from_str',
        'rust',
        ['shop_api', 'orders', 'OrderId', 'from_str'],
      ],
      ['shop_api::orders::handlers::get_order::{{closure}}', 'rust', ['shop_api', 'orders', 'handlers', 'get_order']],
      ['<shop::Cart<T>>::add::{closure#0}', 'rust', ['shop', 'Cart', 'add']],
      ['inventory::Stock<int>::reserve', 'cpp', ['inventory', 'Stock', 'reserve']],
      ['Shop.Orders.fetch_order!/1', 'elixir', ['Shop', 'Orders', 'fetch_order!']],
      ['anonymous fn/1 in Shop.Cart.total/1', 'elixir', ['Shop', 'Cart', 'total']],
      ['shop_orders:fetch/1', 'elixir', ['shop_orders', 'fetch']],
      ['Shop.Cart.CartService.<AddItemAsync>d__4.MoveNext', 'dotnet', ['Shop', 'Cart', 'CartService', 'AddItemAsync']],
      ['Shop.Cart.CartService.<>c__DisplayClass5_0.<Handle>b__0', 'dotnet', ['Shop', 'Cart', 'CartService', 'Handle']],
      ['com.acme.Cart$Item.lambda$price$0', 'java', ['com', 'acme', 'Cart', 'Item', 'price']],
      ['Object.<anonymous>', 'node', []],
      ['Object.getUser', 'node', ['getUser']],
      ['async CartService.total [as sum]', 'node', ['CartService', 'total']],
      ['App\\Cart\\CartService->addItem', 'php', ['App', 'Cart', 'CartService', 'addItem']],
      ['block (2 levels) in Shop::Cart#add', 'ruby', ['Shop', 'Cart', 'add']],
      ['github.com/acme/shop/cart.(*Service).Add.func1', 'go', ['github', 'com', 'acme', 'shop', 'cart', 'Service', 'Add']],
    ];
    for (const [fn, lang, parts] of cases) {
      it(`${fn} → ${parts.join(' ')}`, () => assert.deepEqual(symbolParts(fn, lang), parts));
    }
  });
});
