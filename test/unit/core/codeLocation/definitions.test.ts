import * as assert from 'node:assert/strict';
import { extractDefinitions, filePrefix, languageOf, maskSource } from '../../../../src/core/codeLocation/definitions';

/** `line qualified.name` for each definition, the way a person would check them. */
function defs(file: string, text: string): string[] {
  return extractDefinitions(file, text).map((d) => `${d.line} ${[...d.qualifier, d.name].join('.')}`);
}

describe('extractDefinitions', () => {
  it('Java: package, class, nested class, overloads and constructors; not calls, fields or abstract methods', () => {
    const text = [
      'package com.shop.cart;',
      '',
      '@Service',
      'public class CartService {',
      '    private final Tracer tracer = otel.getTracer("x"); // {',
      '    public CartService(Tracer t) { this.tracer = t; }',
      '    @Override public Cart addItem(String id) {',
      '        if (id == null) { throw new IllegalArgumentException("{"); }',
      '        return new Cart() { public void anonymous() {} };',
      '    }',
      '    public <T extends Item> List<T> addItem(',
      '            String id, int qty) {',
      '        return List.of();',
      '    }',
      '    abstract void later();',
      '    static final class Totals {',
      '        long sum() { return 0; }',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(defs('src/main/java/com/shop/cart/CartService.java', text), [
      '4 com.shop.cart.CartService',
      '6 com.shop.cart.CartService.CartService',
      '7 com.shop.cart.CartService.addItem',
      '11 com.shop.cart.CartService.addItem',
      '16 com.shop.cart.CartService.Totals',
      '17 com.shop.cart.CartService.Totals.sum',
    ]);
  });

  it('Kotlin: classes, companion objects and top-level functions', () => {
    const text = [
      'package com.shop.inv',
      'class Inventory(private val repo: Repo) {',
      '    fun reserve(sku: String): Boolean = repo.take(sku)',
      '    companion object {',
      '        fun create(): Inventory = Inventory(Repo())',
      '    }',
      '}',
      'fun <T> List<T>.second(): T = this[1]',
    ].join('\n');
    assert.deepEqual(defs('Inventory.kt', text), [
      '2 com.shop.inv.Inventory',
      '3 com.shop.inv.Inventory.reserve',
      '5 com.shop.inv.Inventory.create',
      '8 com.shop.inv.second',
    ]);
  });

  it('Python: module path from the file, classes by indentation, docstrings ignored', () => {
    const text = [
      '"""class NotAClass:"""',
      'class OrderService:',
      '    def place(self,',
      '  cart):',
      '        def inner():',
      '            pass',
      '',
      '    async def cancel(self): ...',
      'def helper(): pass',
    ].join('\n');
    assert.deepEqual(defs('svc/orders/service.py', text), [
      '2 svc.orders.service.OrderService',
      '3 svc.orders.service.OrderService.place',
      '5 svc.orders.service.OrderService.inner',
      '8 svc.orders.service.OrderService.cancel',
      '9 svc.orders.service.helper',
    ]);
    assert.deepEqual(defs('svc/orders/__init__.py', 'def setup(): pass'), ['1 svc.orders.setup']);
  });

  it('TypeScript: classes, methods with decorators, arrow properties, exported and const functions', () => {
    const text = [
      "@Controller('orders')",
      'export class OrdersController {',
      '  constructor(private readonly s: Service) {}',
      "  @Get(':id') async findOne(@Param('id') id: string): Promise<Order> {",
      '    if (id) { return this.s.find(id); }',
      '    return this.s.find(id);',
      '  }',
      '  handle = async (req: Request) => {',
      '    return 1;',
      '  };',
      '}',
      'export async function GET(request: Request) {}',
      'export const placeOrder = async (input: Input): Promise<void> => {};',
    ].join('\n');
    assert.deepEqual(defs('src/orders/index.ts', text), [
      '2 src.orders.OrdersController',
      '3 src.orders.OrdersController.constructor',
      '4 src.orders.OrdersController.findOne',
      '8 src.orders.OrdersController.handle',
      '12 src.orders.GET',
      '13 src.orders.placeOrder',
    ]);
  });

  it('C#: block and file-scoped namespaces, attributes, expression-bodied members, not properties', () => {
    const block = [
      'namespace Shop.Billing.Controllers',
      '{',
      '    public class InvoicesController : ControllerBase',
      '    {',
      '        [HttpGet("{id}")]',
      '        public async Task<ActionResult<Invoice>> Get(int id)',
      '        {',
      '            return await _s.FindAsync(id);',
      '        }',
      '        public int Count { get; set; }',
      '        public Invoice Create(Order o) => new(o);',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(defs('InvoicesController.cs', block), [
      '3 Shop.Billing.Controllers.InvoicesController',
      '6 Shop.Billing.Controllers.InvoicesController.Get',
      '11 Shop.Billing.Controllers.InvoicesController.Create',
    ]);
    const fileScoped =
      'namespace Shop.Billing;\npublic record Invoice(string Id);\npublic static class X {\n    public static void Y() {}\n}';
    assert.deepEqual(defs('X.cs', fileScoped), ['2 Shop.Billing.Invoice', '3 Shop.Billing.X', '4 Shop.Billing.X.Y']);
  });

  it('Go: package directory path, receiver types, generics; package main is `main`', () => {
    const text =
      'package catalog\n\ntype Store[T any] struct{}\n\nfunc (s *Store[T]) Get(id string) T {\n\tvar z T\n\treturn z\n}\n\nfunc New() *Store[int] { return nil }\n';
    assert.deepEqual(defs('svc/internal/catalog/store.go', text), [
      '3 svc.internal.catalog.Store',
      '5 svc.internal.catalog.Store.Get',
      '10 svc.internal.catalog.New',
    ]);
    assert.deepEqual(defs('cmd/api/main.go', 'package main\n\nfunc (s *server) run() {}\n'), ['3 main.server.run']);
  });

  it('Ruby: nested modules, compact names, singleton methods', () => {
    const text = [
      'module Shop',
      '  class Admin::CartBuilder < Base',
      '    def build(items)',
      '      items.each do |i|',
      '      end',
      '    end',
      '',
      '    def self.default',
      '    end',
      '    class << self',
      '      def create; end',
      '    end',
      '  end',
      'end',
      'class Other; end',
    ].join('\n');
    assert.deepEqual(defs('app/services/shop/cart_builder.rb', text), [
      '1 Shop',
      '2 Shop.Admin.CartBuilder',
      '3 Shop.Admin.CartBuilder.build',
      '8 Shop.Admin.CartBuilder.default',
      '11 Shop.Admin.CartBuilder.create',
      '15 Other',
    ]);
  });

  it('PHP: namespace, class, methods; not `::class` or closures', () => {
    const text = [
      '<?php',
      'namespace App\\Services;',
      '# a comment with class Fake {',
      'final class ReviewService',
      '{',
      '    public function publish(int $id): void',
      '    {',
      '        $c = ReviewController::class;',
      '        $f = function ($x) { return $x; };',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(defs('app/Services/ReviewService.php', text), [
      '4 App.Services.ReviewService',
      '6 App.Services.ReviewService.publish',
    ]);
  });

  it('Rust: crate and module path from the file, impl blocks, inline modules, lifetimes', () => {
    const text = [
      'pub struct Index { docs: Vec<String> }',
      "impl<'a, T: Clone> Store<T> for Cache<'a, T> {",
      "    fn get(&self) -> char { '{' }",
      '}',
      'impl Index {',
      '    pub async fn query(&self) {}',
      '}',
      'mod inner {',
      "    pub fn helper<'a>(x: &'a str) {}",
      '}',
    ].join('\n');
    assert.deepEqual(defs('search-rs/src/index/mod.rs', text), [
      '1 search_rs.index.Index',
      '3 search_rs.index.Cache.get',
      '6 search_rs.index.Index.query',
      '9 search_rs.index.inner.helper',
    ]);
  });

  it('returns nothing for files it does not know', () => {
    assert.deepEqual(extractDefinitions('README.md', 'def x(): pass'), []);
    assert.equal(languageOf('types.d.ts'), undefined);
    assert.equal(languageOf('bundle.min.js'), undefined);
    assert.equal(languageOf('src/App.TSX'), 'typescript');
  });
});

describe('maskSource', () => {
  it('blanks comments and string contents but keeps offsets and lines', () => {
    const text = 'a = "x{y}" // }\nb = `t ${c}` /* {\n} */ + \'{\'';
    const masked = maskSource(text, 'typescript');
    assert.equal(masked.length, text.length);
    assert.equal(masked.split('\n').length, text.split('\n').length);
    assert.ok(!/[{}]/.test(masked), masked);
  });

  it('knows each language’s strings: raw, verbatim, triple-quoted and char literals', () => {
    assert.ok(!maskSource('s = r#"a "{" b"#;', 'rust').includes('{'));
    assert.ok(!maskSource('var s = @"a ""{"" b";', 'csharp').includes('{'));
    assert.ok(!maskSource('s = """\n{\n"""', 'python').includes('{'));
    assert.ok(!maskSource("char c = '{';", 'java').includes('{'));
    assert.ok(maskSource("fn f<'a>(x: &'a str) {}", 'rust').includes('{'), 'a lifetime is not a char literal');
  });
});

describe('filePrefix', () => {
  it('derives module paths the way each runtime names code', () => {
    assert.deepEqual(filePrefix('svc/orders/__init__.py', 'python'), ['svc', 'orders']);
    assert.deepEqual(filePrefix('web/src/orders/index.ts', 'typescript'), ['web', 'src', 'orders']);
    assert.deepEqual(filePrefix('cart-rs/src/lib.rs', 'rust'), ['cart_rs']);
    assert.deepEqual(filePrefix('cart-rs/src/api/handlers.rs', 'rust'), ['cart_rs', 'api', 'handlers']);
    assert.deepEqual(filePrefix('src/main/java/com/x/A.java', 'java'), []);
  });
});
