import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeMatch } from '../../../../src/core/codeLocation/evidence';
import { explainSpan, functionNameParts, locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { createWorkspaceIndex } from '../../../../src/core/codeLocation/nodeWorkspaceFiles';
import type { WorkspaceIndex } from '../../../../src/core/codeLocation/workspaceIndex';
import type { AttributeValue, InstrumentationScope, Span, SpanKind } from '../../../../src/core/model/types';
import { attrs, exceptionEvent } from './spans';

const ROOT = path.join(__dirname, '../../../fixtures/mapping-workspace');

/** 1-based line of the only line of `file` (fixture-relative) that contains `snippet`. */
function lineOf(file: string, snippet: string): number {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(snippet) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`${file}: "${snippet}" is on ${hits.length} lines`);
  return hits[0]!;
}

interface SpanSpec {
  name?: string;
  kind?: SpanKind;
  service?: string;
  attributes?: Record<string, AttributeValue>;
  resource?: Record<string, AttributeValue>;
  scope?: InstrumentationScope;
  stack?: string;
}

function mk(spec: SpanSpec): Span {
  const service = spec.service ?? 'edge';
  const s: Span = {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: spec.name ?? 'work',
    service,
    kind: spec.kind ?? 'internal',
    startUs: 1_700_000_000_000_000,
    durationUs: 1_250,
    status: { code: spec.stack === undefined ? 'unset' : 'error' },
    attributes: attrs(spec.attributes ?? {}),
    resource: attrs({ 'service.name': service, ...spec.resource }),
    events: spec.stack === undefined ? [] : [exceptionEvent(spec.stack)],
    links: [],
  };
  if (spec.scope) s.scope = spec.scope;
  return s;
}

const J = 'services/cart-java/src/main/java/com/shop/cart/';
const K = 'services/inventory-kotlin/src/main/kotlin/com/shop/inventory/';
const PY = 'services/orders-py/';
const TS = 'services/web-ts/';
const CS = 'services/billing-dotnet/src/Shop.Billing/';
const GO_CAT = 'services/catalog-go/';
const GO_PAY = 'services/payments-go/';
const RB = 'services/storefront-rails/';
const PHP = 'services/reviews-php/';
const RS = 'services/search-rs/';

type Language = 'Java' | 'Kotlin' | 'Python' | 'TypeScript' | 'C#' | 'Go' | 'Ruby' | 'PHP' | 'Rust';
type Kind = '1 code attributes' | '2 stack trace' | '3 vendor tags' | '4 function name' | '5 span name' | '6 http route' | 'trap';

interface Case {
  kind: Kind;
  lang: Language;
  what: string;
  span: () => Span;
  /** undefined: no answer is the right answer */
  expect?: () => { file: string; line: number };
}

const at = (file: string, snippet: string) => () => ({ file, line: lineOf(file, snippet) });

const CASES: Case[] = [
  // 1 — code attributes with a path
  ...(
    [
      ['Java', `${J}CartService.java`, '/app/src/main/java/com/shop/cart/CartService.java', 'cart.add(sku, quantity)'],
      ['Kotlin', `${K}InventoryService.kt`, '/workspace/src/main/kotlin/com/shop/inventory/InventoryService.kt', 'stock.put'],
      ['Python', `${PY}orders/service.py`, '/app/orders/service.py', 'self.repo.delete'],
      ['TypeScript', `${TS}src/orders/orders.service.ts`, '/usr/src/app/src/orders/orders.service.ts', 'return { id }'],
      ['C#', `${CS}Services/InvoiceService.cs`, 'C:\\build\\src\\Shop.Billing\\Services\\InvoiceService.cs', 'SetTag'],
      [
        'Go',
        `${GO_CAT}internal/catalog/service.go`,
        '/go/src/github.com/acme/catalog/internal/catalog/service.go',
        'return id, nil',
      ],
      ['Ruby', `${RB}app/services/shop/cart_builder.rb`, '/rails/app/services/shop/cart_builder.rb', 'Cart.find'],
      ['PHP', `${PHP}app/Services/ReviewService.php`, '/var/www/html/app/Services/ReviewService.php', 'return $review'],
      ['Rust', `${RS}src/index/mod.rs`, '/build/search-rs/src/index/mod.rs', 'self.docs.sort()'],
    ] as const
  ).map(([lang, file, foreign, snippet]): Case => ({
    kind: '1 code attributes',
    lang,
    what: `code.file.path ${foreign}`,
    span: () => mk({ attributes: { 'code.file.path': foreign, 'code.line.number': lineOf(file, snippet) } }),
    expect: at(file, snippet),
  })),

  // 2 — stack traces
  {
    kind: '2 stack trace',
    lang: 'Java',
    what: 'exception event, Java frames',
    span: () =>
      mk({
        stack: [
          'java.lang.IllegalStateException: no cart',
          `\tat com.shop.cart.CartService.addItem(CartService.java:${lineOf(`${J}CartService.java`, 'Cart cart = repository.find')})`,
          `\tat com.shop.cart.CartController.addItem(CartController.java:${lineOf(`${J}CartController.java`, 'return carts.addItem')})`,
          '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
        ].join('\n'),
      }),
    expect: at(`${J}CartService.java`, 'Cart cart = repository.find'),
  },
  {
    kind: '2 stack trace',
    lang: 'Kotlin',
    what: 'exception event, Kotlin frames',
    span: () =>
      mk({
        stack: [
          'java.lang.IllegalArgumentException: out of stock',
          `\tat com.shop.inventory.InventoryService.reserve(InventoryService.kt:${lineOf(`${K}InventoryService.kt`, 'return stock.take')})`,
          '\tat kotlin.collections.CollectionsKt.forEach(Collections.kt:10)',
        ].join('\n'),
      }),
    expect: at(`${K}InventoryService.kt`, 'return stock.take'),
  },
  {
    kind: '2 stack trace',
    lang: 'Python',
    what: 'exception event, Python traceback',
    span: () =>
      mk({
        stack: [
          'Traceback (most recent call last):',
          '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 880, in full_dispatch_request',
          '    rv = self.dispatch_request()',
          `  File "/app/orders/service.py", line ${lineOf(`${PY}orders/service.py`, 'return self.repo.create')}, in place`,
          '    return self.repo.create(cart_id)',
          "KeyError: 'cart'",
        ].join('\n'),
      }),
    expect: at(`${PY}orders/service.py`, 'return self.repo.create'),
  },
  {
    kind: '2 stack trace',
    lang: 'TypeScript',
    what: 'exception event, V8 frames',
    span: () =>
      mk({
        stack: [
          'TypeError: Cannot read properties of undefined',
          `    at OrdersService.refresh (/usr/src/app/src/orders/orders.service.ts:${lineOf(`${TS}src/orders/orders.service.ts`, 'orders.refresh.')}:18)`,
          '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
        ].join('\n'),
      }),
    expect: at(`${TS}src/orders/orders.service.ts`, 'orders.refresh.'),
  },
  {
    kind: '2 stack trace',
    lang: 'C#',
    what: 'exception event, .NET frames',
    span: () =>
      mk({
        stack: [
          'System.InvalidOperationException: no order',
          `   at Shop.Billing.Services.InvoiceService.FindAsync(Int32 id) in /src/Shop.Billing/Services/InvoiceService.cs:line ${lineOf(`${CS}Services/InvoiceService.cs`, 'id.ToString()')}`,
          '   at System.Threading.Tasks.Task.Run()',
        ].join('\n'),
      }),
    expect: at(`${CS}Services/InvoiceService.cs`, 'id.ToString()'),
  },
  {
    kind: '2 stack trace',
    lang: 'Go',
    what: 'panic, goroutine frames',
    span: () =>
      mk({
        stack: [
          'panic: runtime error: invalid memory address',
          '',
          'goroutine 7 [running]:',
          'github.com/acme/payments/internal/payments.(*Service).Charge(0x0, {0x1, 0x2}, {0x3, 0x4})',
          `\t/src/internal/payments/service.go:${lineOf(`${GO_PAY}internal/payments/service.go`, 'return nil')} +0x1d`,
          'net/http.HandlerFunc.ServeHTTP(0x0, {0x1, 0x2})',
          '\t/usr/local/go/src/net/http/server.go:2171 +0x29',
        ].join('\n'),
      }),
    expect: at(`${GO_PAY}internal/payments/service.go`, 'return nil'),
  },
  {
    kind: '2 stack trace',
    lang: 'Ruby',
    what: 'exception event, Ruby backtrace',
    span: () =>
      mk({
        stack: [
          `/rails/app/services/shop/cart_builder.rb:${lineOf(`${RB}app/services/shop/cart_builder.rb`, 'Cart.find')}:in 'block in build'`,
          `/rails/app/controllers/carts_controller.rb:${lineOf(`${RB}app/controllers/carts_controller.rb`, 'CartBuilder.new')}:in 'show'`,
          "/usr/local/bundle/gems/actionpack-7.1.3/lib/action_controller/metal/basic_implicit_render.rb:6:in 'send_action'",
        ].join('\n'),
      }),
    expect: at(`${RB}app/services/shop/cart_builder.rb`, 'Cart.find'),
  },
  {
    kind: '2 stack trace',
    lang: 'PHP',
    what: 'exception event, PHP trace',
    span: () =>
      mk({
        stack: [
          `#0 /var/www/html/app/Http/Controllers/ReviewController.php(${lineOf(`${PHP}app/Http/Controllers/ReviewController.php`, 'reviews->find')}): App\\Services\\ReviewService->find(7)`,
          '#1 /var/www/html/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\Http\\Controllers\\ReviewController->show(7)',
          '#2 {main}',
        ].join('\n'),
      }),
    expect: at(`${PHP}app/Http/Controllers/ReviewController.php`, 'reviews->find'),
  },
  {
    kind: '2 stack trace',
    lang: 'Rust',
    what: 'panic with backtrace',
    span: () =>
      mk({
        stack: [
          `thread 'main' panicked at src/index/mod.rs:${lineOf(`${RS}src/index/mod.rs`, 'self.docs.iter()')}:9:`,
          'index out of bounds',
          'stack backtrace:',
          '   0: search_rs::index::Index::query',
          `             at ./src/index/mod.rs:${lineOf(`${RS}src/index/mod.rs`, 'self.docs.iter()')}:9`,
        ].join('\n'),
      }),
    expect: at(`${RS}src/index/mod.rs`, 'self.docs.iter()'),
  },

  // 3 — vendor tags (Datadog code origin)
  ...(
    [
      [
        'Java',
        `${J}CartController.java`,
        '/app/src/main/java/com/shop/cart/CartController.java',
        'public Cart getCart',
        'com.shop.cart.CartController',
        'getCart',
      ],
      ['Python', `${PY}orders/api.py`, '/app/orders/api.py', 'async def get_order', undefined, 'get_order'],
      ['TypeScript', `${TS}src/server.ts`, '/usr/src/app/src/server.ts', "app.post('/api/checkout'", undefined, undefined],
      [
        'C#',
        `${CS}Controllers/InvoicesController.cs`,
        '/src/Shop.Billing/Controllers/InvoicesController.cs',
        'Get(int id)',
        'Shop.Billing.Controllers.InvoicesController',
        'Get',
      ],
    ] as const
  ).map(([lang, file, foreign, snippet, type, method]): Case => ({
    kind: '3 vendor tags',
    lang,
    what: `_dd.code_origin.frames.0 ${foreign}`,
    span: () =>
      mk({
        kind: 'server',
        attributes: {
          '_dd.code_origin.type': 'entry',
          '_dd.code_origin.frames.0.file': foreign,
          '_dd.code_origin.frames.0.line': lineOf(file, snippet),
          ...(type === undefined ? {} : { '_dd.code_origin.frames.0.type': type }),
          ...(method === undefined ? {} : { '_dd.code_origin.frames.0.method': method }),
        },
      }),
    expect: at(file, snippet),
  })),

  // 4 — function names without a file
  ...(
    [
      ['Java', { 'code.function.name': 'com.shop.cart.CartService.checkout' }, `${J}CartService.java`, 'public Receipt checkout'],
      [
        'Kotlin',
        { 'code.namespace': 'com.shop.inventory.InventoryService', 'code.function': 'reserve' },
        `${K}InventoryService.kt`,
        'fun reserve',
      ],
      ['Python', { 'code.function.name': 'orders.service.OrderService.run_step' }, `${PY}orders/service.py`, 'def run_step'],
      [
        'TypeScript',
        { 'code.function': 'lookup', 'code.namespace': 'OrdersService' },
        `${TS}src/orders/orders.service.ts`,
        'async lookup',
      ],
      [
        'C#',
        { 'code.function.name': 'Shop.Billing.Services.InvoiceService.<FindAsync>d__3.MoveNext' },
        `${CS}Services/InvoiceService.cs`,
        'FindAsync(int id)',
      ],
      [
        'Go',
        { 'code.function.name': 'github.com/acme/catalog/internal/catalog.(*Handlers).getItem' },
        `${GO_CAT}internal/catalog/handlers.go`,
        'func (h *Handlers) getItem',
      ],
      [
        'Ruby',
        { 'code.namespace': 'Shop::CartBuilder', 'code.function': 'build' },
        `${RB}app/services/shop/cart_builder.rb`,
        'def build',
      ],
      [
        'PHP',
        { 'code.function.name': 'App\\Services\\ReviewService::find' },
        `${PHP}app/Services/ReviewService.php`,
        'function find',
      ],
      ['Rust', { 'code.function.name': 'search_rs::index::Index::rebuild' }, `${RS}src/index/mod.rs`, 'fn rebuild'],
    ] as const
  ).map(([lang, attributes, file, snippet]): Case => ({
    kind: '4 function name',
    lang,
    what: Object.values(attributes).join(' '),
    span: () => mk({ attributes }),
    expect: at(file, snippet),
  })),
  {
    kind: '4 function name',
    lang: 'Java',
    what: 'overloaded addItem, no line: the first overload',
    span: () => mk({ attributes: { 'code.function.name': 'com.shop.cart.CartService.addItem' } }),
    expect: at(`${J}CartService.java`, 'public Cart addItem(String cartId, String sku) {'),
  },
  {
    kind: '4 function name',
    lang: 'Go',
    what: 'package main method with a closure suffix',
    span: () => mk({ attributes: { 'code.function.name': 'main.(*server).healthz.func1' } }),
    expect: at(`${GO_CAT}cmd/catalog/main.go`, 'func (s *server) healthz'),
  },
  {
    kind: '4 function name',
    lang: 'Ruby',
    what: 'span named Controller#action (Rails)',
    span: () => mk({ name: 'CartsController#create' }),
    expect: at(`${RB}app/controllers/carts_controller.rb`, 'def create'),
  },

  // 5 — span names
  ...(
    [
      ['Java', 'cart.checkout', `${J}CartService.java`, 'spanBuilder(CHECKOUT_SPAN)'],
      ['Java', 'CartService.clear', `${J}CartService.java`, '@WithSpan\n'],
      ['Kotlin', 'inventory.reserve', `${K}InventoryService.kt`, 'spanBuilder("inventory.reserve")'],
      ['Kotlin', 'inventory.restock SKU-1', `${K}InventoryService.kt`, 'inventory.restock $sku'],
      ['Python', 'orders.cancel', `${PY}orders/service.py`, '@tracer.start_as_current_span("orders.cancel")'],
      ['Python', 'orders.step.validate', `${PY}orders/service.py`, 'f"orders.step.{step}"'],
      ['TypeScript', 'checkout.submit', `${TS}src/server.ts`, "startActiveSpan('checkout.submit'"],
      ['TypeScript', 'orders.refresh.full', `${TS}src/orders/orders.service.ts`, 'orders.refresh.${kind}'],
      ['C#', 'invoice.create', `${CS}Services/InvoiceService.cs`, 'StartActivity("invoice.create")'],
      ['C#', 'Reconcile', `${CS}Services/InvoiceService.cs`, 'StartActivity();'],
      ['Go', 'catalog.lookup', `${GO_CAT}internal/catalog/service.go`, 'tracer.Start(ctx, "catalog.lookup")'],
      ['Ruby', 'cart.build', `${RB}app/services/shop/cart_builder.rb`, 'in_span("cart.build")'],
      ['PHP', 'reviews.publish', `${PHP}app/Services/ReviewService.php`, "spanBuilder('reviews.publish')"],
      ['Rust', 'search.query', `${RS}src/index/mod.rs`, '#[instrument(name = "search.query"'],
      ['Rust', 'search.scan', `${RS}src/index/mod.rs`, 'span!(Level::DEBUG, "search.scan")'],
      ['Rust', 'rebuild', `${RS}src/index/mod.rs`, '#[instrument(skip_all)]'],
    ] as const
  ).map(([lang, name, file, snippet]): Case => ({
    kind: '5 span name',
    lang,
    what: `"${name}"`,
    span: () => mk({ name }),
    expect: snippet.endsWith('\n') ? () => ({ file, line: firstLine(file, snippet) }) : at(file, snippet),
  })),
  {
    kind: '5 span name',
    lang: 'Go',
    what: '"payment.charge" (also Java) from a Go SDK',
    span: () => mk({ name: 'payment.charge', resource: { 'telemetry.sdk.language': 'go' } }),
    expect: at(`${GO_PAY}internal/payments/service.go`, 'tracer.Start(ctx, chargeSpan)'),
  },
  {
    kind: '5 span name',
    lang: 'Java',
    what: '"payment.charge" (also Go) from service cart-java',
    span: () => mk({ name: 'payment.charge', service: 'cart-java' }),
    expect: at(`${J}PaymentClient.java`, 'spanBuilder("payment.charge")'),
  },
  {
    kind: '5 span name',
    lang: 'Python',
    what: '"cache.get" (two modules) under scope orders.legacy_cache',
    span: () =>
      mk({ name: 'cache.get', scope: { name: 'orders.legacy_cache' }, resource: { 'telemetry.sdk.language': 'python' } }),
    expect: at(`${PY}orders/legacy_cache.py`, 'start_as_current_span("cache.get")'),
  },

  // 6 — HTTP routes of server spans: the handler's definition (the registration when the handler is inline)
  ...(
    [
      ['Java', 'POST', '/api/carts/{cartId}/items', `${J}CartController.java`, 'public Cart addItem('],
      ['Kotlin', 'GET', '/inventory/{sku}', `${K}StockController.kt`, 'fun level('],
      ['Python', 'GET', '/orders/{order_id}', `${PY}orders/api.py`, 'async def get_order'],
      ['Python', 'GET', '/legacy/orders/<int:order_id>', `${PY}orders/legacy_flask.py`, 'def legacy_order'],
      ['Python', 'GET', 'admin/orders/<int:pk>/', `${PY}shop_admin/views.py`, 'def order_detail'],
      ['TypeScript', 'POST', '/api/checkout', `${TS}src/server.ts`, "app.post('/api/checkout'"],
      ['TypeScript', 'GET', '/api/orders/:id/summary', `${TS}src/orders/orders.controller.ts`, 'async summary('],
      ['TypeScript', 'DELETE', '/api/cart', `${TS}app/api/cart/route.ts`, 'async function DELETE'],
      ['C#', 'GET', 'api/Invoices/{id:int}', `${CS}Controllers/InvoicesController.cs`, 'Get(int id)'],
      ['C#', 'GET', '/billing/status', `${CS}Program.cs`, 'MapGet("/billing/status"'],
      ['Go', 'GET', '/catalog/items/{id}', `${GO_CAT}internal/catalog/handlers.go`, 'func (h *Handlers) getItem'],
      ['Go', 'POST', '/payments', `${GO_PAY}internal/payments/handlers.go`, 'func (h *Handlers) create'],
      ['Ruby', 'GET', '/carts/:id(.:format)', `${RB}app/controllers/carts_controller.rb`, 'def show'],
      ['PHP', 'GET', 'api/reviews/{review}', `${PHP}app/Http/Controllers/ReviewController.php`, 'function show'],
    ] as const
  ).map(([lang, method, route, file, snippet]): Case => ({
    kind: '6 http route',
    lang,
    what: `${method} ${route}`,
    span: () =>
      mk({ name: `${method} ${route}`, kind: 'server', attributes: { 'http.request.method': method, 'http.route': route } }),
    expect: at(file, snippet),
  })),
  {
    kind: '6 http route',
    lang: 'Go',
    what: 'GET /healthz (also Express) from a Go SDK',
    span: () =>
      mk({
        name: 'GET /healthz',
        kind: 'server',
        attributes: { 'http.method': 'GET', 'http.route': '/healthz' },
        resource: { 'telemetry.sdk.language': 'go' },
      }),
    expect: at(`${GO_CAT}cmd/catalog/main.go`, 'func (s *server) healthz'),
  },
  {
    kind: '6 http route',
    lang: 'Java',
    what: 'route from the span name only',
    span: () => mk({ name: 'GET /api/carts/{cartId}', kind: 'server' }),
    expect: at(`${J}CartController.java`, 'public Cart getCart'),
  },

  // traps: nothing credible, so no answer
  trap('Java', '"payment.charge" with nothing to tell Java from Go', () => mk({ name: 'payment.charge' })),
  trap('Python', '"cache.get" in two modules of one Python service', () =>
    mk({ name: 'cache.get', resource: { 'telemetry.sdk.language': 'python' } }),
  ),
  trap('Go', 'handlers.go of two services, path says neither', () =>
    mk({ attributes: { 'code.file.path': '/build/handlers.go', 'code.line.number': 17 } }),
  ),
  trap('Python', 'a path that climbs out of the workspace', () =>
    mk({ attributes: { 'code.file.path': '../../../../etc/passwd', 'code.line.number': 1 } }),
  ),
  trap('Python', 'library path and library function', () =>
    mk({
      attributes: {
        'code.file.path': '/usr/local/lib/python3.12/site-packages/flask/app.py',
        'code.line.number': 880,
        'code.function.name': 'flask.app.Flask.wsgi_app',
      },
    }),
  ),
  trap('C#', 'a known method name in an unknown class', () =>
    mk({ attributes: { 'code.function.name': 'Contoso.Billing.LegacyInvoices.CreateAsync' } }),
  ),
  trap('Java', 'a JDK function', () =>
    mk({ attributes: { 'code.function.name': 'java.util.concurrent.ThreadPoolExecutor.runWorker' } }),
  ),
  trap('TypeScript', 'bare "validate", defined in TypeScript and Python', () =>
    mk({ attributes: { 'code.function': 'validate' } }),
  ),
  trap('Go', 'GET /healthz, served by Go and Express', () =>
    mk({ name: 'GET /healthz', kind: 'server', attributes: { 'http.request.method': 'GET', 'http.route': '/healthz' } }),
  ),
  trap('Python', 'a database span', () =>
    mk({ name: 'SELECT shop.orders', kind: 'client', attributes: { 'db.system': 'postgresql' } }),
  ),
  trap('TypeScript', 'a client span named like a route', () => mk({ name: 'GET /api/checkout', kind: 'client' })),
  trap('TypeScript', '"orders.refresh" is not "orders.refresh.{}"', () => mk({ name: 'orders.refresh' })),
  trap('PHP', 'a route nobody serves', () =>
    mk({
      name: 'GET /api/unknown/{id}',
      kind: 'server',
      attributes: { 'http.request.method': 'GET', 'http.route': '/api/unknown/{id}' },
    }),
  ),
  trap('Kotlin', 'a Java span name from a Python SDK', () =>
    mk({ name: 'inventory.reserve', resource: { 'telemetry.sdk.language': 'python' } }),
  ),
];

function trap(lang: Language, what: string, span: () => Span): Case {
  return { kind: 'trap', lang, what, span };
}

/** The first line containing `snippet` (which may end in a newline). */
function firstLine(file: string, snippet: string): number {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const at = text.indexOf(snippet);
  if (at < 0) throw new Error(`${file}: no "${snippet}"`);
  return text.slice(0, at).split('\n').length;
}

function verdict(c: Case, matches: CodeMatch[]): { ok: boolean; got: string } {
  const top = matches[0];
  const got = top ? `${top.file}:${top.line ?? '?'} (${top.confidence})` : 'no answer';
  if (!c.expect) return { ok: top === undefined, got };
  const want = c.expect();
  return { ok: top !== undefined && top.file === want.file && top.line === want.line, got };
}

describe('locateSpan', () => {
  let index: WorkspaceIndex;

  before(async () => {
    index = await createWorkspaceIndex(ROOT);
  });

  describe('accuracy on the sample workspace', () => {
    const rows: string[] = [];
    let correct = 0;

    for (const c of CASES) {
      it(`${c.kind} · ${c.lang} · ${c.what}`, () => {
        const matches = locateSpan(c.span(), index);
        const { ok, got } = verdict(c, matches);
        rows.push(`${ok ? '✓' : '✗'} ${c.kind.padEnd(18)} ${c.lang.padEnd(10)} ${c.what.slice(0, 60).padEnd(60)} → ${got}`);
        if (ok) correct++;
        if (c.expect) {
          const want = c.expect();
          assert.deepEqual({ file: matches[0]?.file, line: matches[0]?.line }, want, matches[0]?.reason ?? 'no answer');
          assert.ok(matches[0]!.reason.length > 20, 'a reason a person can read');
          assert.ok(matches[0]!.confidence > 0 && matches[0]!.confidence <= 1);
        } else {
          assert.deepEqual(matches, [], 'no credible evidence → no answer');
        }
      });
    }

    after(() => {
      const accuracy = (100 * correct) / CASES.length;
      console.log(`\n  accuracy: ${correct}/${CASES.length} correct top answers (${accuracy.toFixed(1)}%)`);
      for (const r of rows) console.log(`    ${r}`);
    });

    it('covers every evidence kind for every language it applies to', () => {
      const langs: Language[] = ['Java', 'Kotlin', 'Python', 'TypeScript', 'C#', 'Go', 'Ruby', 'PHP', 'Rust'];
      for (const kind of ['1 code attributes', '2 stack trace', '4 function name', '5 span name'] as const) {
        for (const lang of langs)
          assert.ok(
            CASES.some((c) => c.kind === kind && c.lang === lang),
            `${kind} ${lang}`,
          );
      }
      for (const lang of langs.filter((l) => l !== 'Rust'))
        assert.ok(
          CASES.some((c) => c.kind === '6 http route' && c.lang === lang),
          `routes ${lang}`,
        );
      assert.ok(CASES.filter((c) => c.kind === 'trap').length >= 10);
    });
  });

  describe('reasons and confidence', () => {
    it('says which call a span name matched', () => {
      const [m] = locateSpan(mk({ name: 'orders.place' }), index);
      assert.equal(
        m?.reason,
        `span name "orders.place" matches start_as_current_span in services/orders-py/orders/service.py:${lineOf(`${PY}orders/service.py`, '"orders.place"')}`,
      );
      assert.equal(m?.function, 'OrderService.place');
    });

    it('ranks name-based answers below the span’s own evidence, however sure they are', () => {
      const file = `${PY}orders/api.py`;
      const line = lineOf(file, 'return {"id": orders.place');
      const matches = locateSpan(
        mk({ name: 'orders.cancel', attributes: { 'code.file.path': '/app/orders/api.py', 'code.line.number': line } }),
        index,
      );
      assert.deepEqual(
        matches.map((m) => [m.file, m.line]),
        [
          [file, line],
          [`${PY}orders/service.py`, lineOf(`${PY}orders/service.py`, '"orders.cancel"')],
        ],
      );
      assert.ok(matches[1]!.confidence <= matches[0]!.confidence);
    });

    it('fills in the line when the direct evidence found only the file', () => {
      const matches = locateSpan(mk({ attributes: { 'code.function.name': 'com.shop.cart.CartService.checkout' } }), index);
      assert.equal(matches.length, 1, 'one answer, not one per kind');
      assert.equal(matches[0]!.line, lineOf(`${J}CartService.java`, 'public Receipt checkout'));
      assert.match(
        matches[0]!.reason,
        /^code\.function\.name com\.shop\.cart\.CartService.*; code\.function\.name .* matches the definition/,
      );
    });

    it('uses code.line.number to pick among overloads', () => {
      const java = locateSpan(
        mk({
          attributes: {
            'code.function.name': 'com.shop.cart.CartService.addItem',
            'code.line.number': lineOf(`${J}CartService.java`, 'repository.save(cart)'),
          },
        }),
        index,
      );
      assert.equal(java[0]?.line, lineOf(`${J}CartService.java`, 'repository.save(cart)'));
    });

    it('is surer of a unique literal span name than of a template that happens to match', () => {
      const [literal] = locateSpan(mk({ name: 'orders.lookup' }), index);
      const [pattern] = locateSpan(mk({ name: 'orders.refresh.all' }), index);
      assert.ok(literal!.confidence > pattern!.confidence);
      assert.match(pattern!.reason, /pattern "orders\.refresh\.\{\}"/);
    });

    it('marks an answer picked among several as less certain and says what picked it', () => {
      const [unique] = locateSpan(mk({ name: 'catalog.lookup' }), index);
      const [picked] = locateSpan(mk({ name: 'payment.charge', resource: { 'telemetry.sdk.language': 'go' } }), index);
      assert.ok(picked!.confidence < unique!.confidence);
      assert.match(picked!.reason, /picked by telemetry\.sdk\.language go/);
    });
  });

  describe('explainSpan', () => {
    it('lists each piece of evidence tried and why it did not map', () => {
      const { matches, steps } = explainSpan(
        mk({
          name: 'payment.charge',
          attributes: { 'code.file.path': '/build/handlers.go', 'code.line.number': 3 },
        }),
        index,
      );
      assert.deepEqual(matches, []);
      assert.deepEqual(
        steps.map((s) => [s.kind, s.outcome]),
        [
          ['code attributes', 'ambiguous'],
          ['span name', 'ambiguous'],
        ],
      );
      assert.match(steps[0]!.detail, /2 workspace files end in "handlers\.go"/);
      assert.match(steps[1]!.detail, /2 span starts give this name: .*PaymentClient\.java.*service\.go/);
    });

    it('says when names are skipped because the span’s path is library code', () => {
      const { steps } = explainSpan(
        mk({
          attributes: { 'code.file.path': '/usr/lib/python3.12/json/decoder.py', 'code.function.name': 'json.decoder.decode' },
        }),
        index,
      );
      assert.deepEqual(
        steps.map((s) => [s.kind, s.outcome]),
        [
          ['code attributes', 'not found'],
          ['function name', 'skipped'],
          ['span name', 'skipped'],
        ],
      );
    });

    it('explains a route served only for other methods', () => {
      const { steps } = explainSpan(
        mk({ name: 'PUT /payments', kind: 'server', attributes: { 'http.request.method': 'PUT', 'http.route': '/payments' } }),
        index,
      );
      const route = steps.find((s) => s.kind === 'http route');
      assert.equal(route?.outcome, 'not found');
    });
  });

  describe('functionNameParts', () => {
    it('reads the runtimes’ spellings of qualified names', () => {
      assert.deepEqual(functionNameParts('github.com/acme/shop/cart.(*Service).Add.func2'), [
        'github',
        'com',
        'acme',
        'shop',
        'cart',
        'Service',
        'Add',
      ]);
      assert.deepEqual(functionNameParts('Shop.Cart.CartService.<AddAsync>d__4.MoveNext'), [
        'Shop',
        'Cart',
        'CartService',
        'AddAsync',
      ]);
      assert.deepEqual(functionNameParts('com.shop.Cart$Item.lambda$price$0'), ['com', 'shop', 'Cart', 'Item', 'price']);
      assert.deepEqual(functionNameParts('com.shop.inventory.InventoryServiceKt.restock'), [
        'com',
        'shop',
        'inventory',
        'restock',
      ]);
      assert.deepEqual(functionNameParts('<shop::Cart as core::fmt::Display>::fmt'), ['shop', 'Cart', 'fmt']);
      assert.deepEqual(functionNameParts('Shop::CartBuilder#build'), ['Shop', 'CartBuilder', 'build']);
      assert.deepEqual(functionNameParts('App\\Services\\ReviewService::find'), ['App', 'Services', 'ReviewService', 'find']);
      assert.deepEqual(functionNameParts('Ns.Repo`1.Get(System.Int32)'), ['Ns', 'Repo', 'Get']);
    });
  });
});
