/**
 * Every source snippet here is HAND-WRITTEN (no upstream fixture holds application source): each is written
 * the way the framework's own documentation and typical projects write routes, with the traps real files have
 * (comments, HTTP client calls, middlewares, decorators between a route and its handler).
 */
import * as assert from 'node:assert/strict';
import {
  extractHandlers,
  extractRoutes,
  normalizeRoute,
  RouteIndex,
  type RouteDefinition,
} from '../../../../src/core/codeLocation/routes';

/** `METHOD route → line handler`, or `* route` for any method, sorted: easy to read in a failing diff. */
function summary(defs: RouteDefinition[]): string[] {
  return defs
    .map((d) => `${d.method ?? '*'} ${d.route} → ${d.line}${d.handler ? ` ${d.handler}` : ''}${d.partial ? ' (partial)' : ''}`)
    .sort();
}

/** Text from lines; line numbers in assertions are 1-based lines of this array. */
const src = (...lines: string[]) => lines.join('\n') + '\n';

describe('normalizeRoute', () => {
  it('spells every framework’s placeholder the same way', () => {
    const same = [
      '/api/orders/{id}', // OpenTelemetry http.route, Spring, ASP.NET, FastAPI, chi, Laravel
      '/api/orders/:id', // Express, gin, Rails
      '/api/orders/<int:id>', // Flask, Django
      '/api/orders/<id>',
      '/api/orders/[id]', // Next.js
      '/api/orders/{id:int}', // ASP.NET constraint
      '/api/orders/{id?}',
      '/api/orders/:id(\\d+)', // Express constraint
      '/api/orders/:id(.:format)', // Rails
      'api/orders/{id}/', // no leading slash, trailing slash
      '^api/orders/(?P<id>[0-9]+)/$', // Django re_path
    ];
    for (const r of same) assert.equal(normalizeRoute(r), '/api/orders/{}', r);
  });

  it('turns catch-alls into one placeholder and keeps case and literal text', () => {
    assert.equal(normalizeRoute('/docs/[...slug]'), '/docs/{}');
    assert.equal(normalizeRoute('/docs/[[...slug]]'), '/docs/{}');
    assert.equal(normalizeRoute('/static/*'), '/static/{}');
    assert.equal(normalizeRoute('/files/*path'), '/files/{}');
    assert.equal(normalizeRoute('/files/{path...}'), '/files/{}');
    assert.equal(normalizeRoute('/files/{*rest}'), '/files/{}');
    assert.equal(normalizeRoute('/{$}'), '/');
    assert.equal(normalizeRoute('api/Orders/{id}'), '/api/Orders/{}');
    assert.equal(normalizeRoute('/flights/:from-:to'), '/flights/{}-{}');
    assert.equal(normalizeRoute('/'), '/');
    assert.equal(normalizeRoute(''), '/');
  });

  it('tells different routes apart', () => {
    assert.notEqual(normalizeRoute('/api/orders/{id}'), normalizeRoute('/api/orders'));
    assert.notEqual(normalizeRoute('/api/orders/{id}'), normalizeRoute('/api/order/{id}'));
    assert.notEqual(normalizeRoute('/api/orders/new'), normalizeRoute('/api/orders/{id}'));
  });
});

describe('extractRoutes', () => {
  describe('Express, Fastify, Koa, Hono', () => {
    it('reads app and router registrations, mounts in the same file, and handler definitions', () => {
      const text = src(
        "import express from 'express';", // 1
        "import { audit } from './audit';",
        '',
        'const app = express();',
        'const orders = express.Router();', // 5
        '',
        'async function getOrder(req, res) {', // 7
        '  res.json(await db.order(req.params.id));',
        '}',
        '', // 10
        "orders.get('/:id', audit, getOrder);", // 11
        "orders.post('/', async (req, res) => {", // 12
        '  res.status(201).json(await db.create(req.body));',
        '});',
        "// orders.delete('/:id', removeOrder);", // 15: commented out
        "app.use('/api/orders', orders);", // 16
        "app.all('/health', (_req, res) => res.send('ok'));", // 17
        'app.listen(3000);',
      );
      assert.deepEqual(summary(extractRoutes('src/server.ts', text)), [
        '* /health → 17',
        'GET /api/orders/{} → 7 getOrder',
        'POST /api/orders → 12',
      ]);
    });

    it('marks a router mounted in another file as partial', () => {
      const text = src(
        "const { Router } = require('express');",
        'const router = Router();',
        "router.get('/:id', controller.show);",
        'module.exports = router;',
      );
      assert.deepEqual(summary(extractRoutes('routes/orders.js', text)), ['GET /{} → 3 controller.show (partial)']);
    });

    it('finds class-field handlers of a router held by a class', () => {
      const text = src(
        "import { Router, type Request, type Response } from 'express';",
        'export class OrdersRoutes {',
        '  readonly router = Router();',
        "  constructor() { this.router.get('/orders/:id', this.show); }",
        '  private show = async (req: Request, res: Response): Promise<void> => {', // 5
        '    res.json(await orders.find(req.params.id));',
        '  };',
        '}',
      );
      assert.deepEqual(summary(extractRoutes('src/routes/orders.ts', text)), ['GET /orders/{} → 5 this.show (partial)']);
    });

    it('reads app.route chains and fastify.route objects', () => {
      const chain = src(
        'const app = express();',
        "app.route('/book')",
        '  .get(listBooks)', // 3
        '  .post(createBook);', // 4
      );
      assert.deepEqual(summary(extractRoutes('app.js', chain)), ['GET /book → 3 listBooks', 'POST /book → 4 createBook']);
      const fastify = src(
        "import Fastify from 'fastify';",
        'const fastify = Fastify({ logger: true });',
        'fastify.route({',
        "  method: ['GET', 'HEAD'],",
        "  url: '/items/:id',",
        '  handler: getItem,',
        '});',
        'async function getItem(request, reply) {', // 8
        '  return items.get(request.params.id);',
        '}',
      );
      assert.deepEqual(summary(extractRoutes('server.mjs', fastify)), [
        'GET /items/{} → 8 getItem',
        'HEAD /items/{} → 8 getItem',
      ]);
    });

    it('uses koa-router prefixes', () => {
      const text = src(
        "const Router = require('@koa/router');",
        "const router = new Router({ prefix: '/users' });",
        "router.get('/:id', async (ctx) => { ctx.body = await users.find(ctx.params.id); });",
        'app.use(router.routes());',
      );
      assert.deepEqual(summary(extractRoutes('users.js', text)), ['GET /users/{} → 3']);
    });

    it('does not index HTTP client calls or other method calls with a path', () => {
      const text = src(
        "const res = await fetch('/api/orders');",
        "const { data } = await axios.get('/api/orders', { params: { page } });",
        "api.post('/api/orders', body).then(render);",
        "await request(app).get('/api/orders/1').expect(200);",
        "const cached = cache.get('/api/orders', fallback);",
        "const env = app.get('env');",
        'const link = `/api/orders/${id}`;',
      );
      assert.deepEqual(extractRoutes('src/client.ts', text), []);
    });
  });

  describe('Nest', () => {
    it('joins @Controller and method decorators, landing on the method', () => {
      const text = src(
        "import { Controller, Get, Post, Param, Body, UseGuards } from '@nestjs/common';",
        '',
        "@Controller('orders')",
        'export class OrdersController {',
        '  constructor(private readonly orders: OrdersService) {}',
        '',
        "  @Get(':id')",
        '  @UseGuards(AuthGuard)',
        "  async findOne(@Param('id') id: string): Promise<Order> {", // 9
        '    return this.orders.find(id);',
        '  }',
        '',
        '  @Post()',
        '  create(@Body() dto: CreateOrderDto) {', // 14
        '    return this.orders.create(dto);',
        '  }',
        '}',
      );
      assert.deepEqual(summary(extractRoutes('src/orders/orders.controller.ts', text)), [
        'GET /orders/{} → 9 OrdersController.findOne (partial)',
        'POST /orders → 14 OrdersController.create (partial)',
      ]);
    });
  });

  describe('Next.js', () => {
    it('maps app router route files to paths, dropping route groups', () => {
      const text = src(
        "import { NextResponse } from 'next/server';",
        '',
        'export async function GET(request: Request, { params }: { params: { id: string } }) {', // 3
        '  return NextResponse.json(await getOrder(params.id));',
        '}',
        '',
        'export const DELETE = async () => new Response(null, { status: 204 });', // 7
      );
      assert.deepEqual(summary(extractRoutes('apps/web/src/app/(shop)/api/orders/[id]/route.ts', text)), [
        'DELETE /api/orders/{} → 7 DELETE',
        'GET /api/orders/{} → 3 GET',
      ]);
      const reexport = src(
        'async function handler(req: Request) {',
        '  return new Response("ok");',
        '}',
        'export { handler as GET, handler as POST };',
      );
      assert.deepEqual(summary(extractRoutes('app/api/health/route.ts', reexport)), [
        'GET /api/health → 1 GET',
        'POST /api/health → 1 POST',
      ]);
    });

    it('maps pages/api files, index included, to any-method routes', () => {
      const text = src(
        "import type { NextApiRequest, NextApiResponse } from 'next';",
        '',
        'export default async function handler(req: NextApiRequest, res: NextApiResponse) {', // 3
        '  res.status(200).json({ orders: [] });',
        '}',
      );
      assert.deepEqual(summary(extractRoutes('pages/api/orders/index.ts', text)), ['* /api/orders → 3 handler']);
      assert.deepEqual(summary(extractRoutes('src/pages/api/orders/[id].ts', text)), ['* /api/orders/{} → 3 handler']);
      // pages are routes too (routesFileSystem.test.ts)
      assert.deepEqual(summary(extractRoutes('src/pages/orders/[id].tsx', text)), ['* /orders/{} → 3 handler']);
    });
  });

  describe('Flask and FastAPI', () => {
    it('reads Flask routes with methods and a blueprint prefix, landing on the view function', () => {
      const text = src(
        'from flask import Blueprint, jsonify, request',
        '',
        "orders = Blueprint('orders', __name__, url_prefix='/orders')",
        '',
        "@orders.route('/<int:order_id>', methods=['GET', 'PUT'])",
        '@login_required',
        'def order_detail(order_id):', // 7
        '    """GET or replace one order. Example: @orders.route(\'/old\')"""',
        '    return jsonify(Order.query.get_or_404(order_id).to_dict())',
        '',
        "@orders.post('/')",
        'def create_order():', // 12
        '    return jsonify(Order.create(request.json)), 201',
      );
      assert.deepEqual(summary(extractRoutes('shop/orders/views.py', text)), [
        'GET /orders/{} → 7 order_detail (partial)',
        'POST /orders → 12 create_order (partial)',
        'PUT /orders/{} → 7 order_detail (partial)',
      ]);
    });

    it('composes a blueprint registered in the same file', () => {
      const text = src(
        'from flask import Flask, Blueprint',
        'app = Flask(__name__)',
        "bp = Blueprint('api', __name__)",
        "@bp.route('/ping')",
        'def ping():', // 5
        "    return 'pong'",
        "app.register_blueprint(bp, url_prefix='/api/v1')",
      );
      assert.deepEqual(summary(extractRoutes('app.py', text)), ['GET /api/v1/ping → 5 ping']);
    });

    it('reads FastAPI routes with APIRouter prefixes and include_router', () => {
      const text = src(
        'from fastapi import APIRouter, FastAPI, HTTPException',
        '',
        'app = FastAPI()',
        'router = APIRouter(prefix="/items", tags=["items"])',
        '',
        '@router.get("/{item_id}", response_model=Item)',
        'async def read_item(item_id: int) -> Item:', // 7
        '    return await items.get(item_id)',
        '',
        '@app.get("/health")',
        'def health():', // 11
        '    return {"ok": True}',
        '',
        'app.include_router(router, prefix="/v1")',
      );
      assert.deepEqual(summary(extractRoutes('app/main.py', text)), [
        'GET /health → 11 health',
        'GET /v1/items/{} → 7 read_item',
      ]);
    });
  });

  describe('Django', () => {
    const urls = src(
      'from django.urls import path, re_path',
      'from . import views',
      'from .api import OrderList',
      '',
      "app_name = 'orders'",
      'urlpatterns = [',
      "    path('orders/<int:pk>/', views.order_detail, name='detail'),", // 7
      "    path('orders/', OrderList.as_view(), name='list'),", // 8
      "    re_path(r'^archive/(?P<year>[0-9]{4})/$', views.archive),", // 9
      "    path('api/', include('orders.api.urls')),",
      ']',
    );

    it('reads path and re_path, pointing at the view in the app folder', () => {
      const defs = extractRoutes('shop/orders/urls.py', urls);
      assert.deepEqual(summary(defs), [
        '* /archive/{} → 9 views.archive (partial)',
        '* /orders → 8 OrderList (partial)',
        '* /orders/{} → 7 views.order_detail (partial)',
      ]);
      const detail = defs.find((d) => d.handler === 'views.order_detail');
      assert.deepEqual(detail?.target, {
        files: ['shop/orders/views.py', 'shop/orders/views/__init__.py'],
        symbol: 'order_detail',
      });
      assert.deepEqual(defs.find((d) => d.handler === 'OrderList')?.target?.files[0], 'shop/orders/api.py');
    });
  });

  describe('Spring', () => {
    it('joins a class @RequestMapping with method mappings (Java)', () => {
      const text = src(
        'package com.example.shop.orders;',
        '',
        '@RestController',
        '@RequestMapping("/api/orders")',
        'public class OrderController {',
        '    private final OrderService service;',
        '',
        '    @GetMapping("/{id}")',
        '    public ResponseEntity<Order> get(@PathVariable Long id) {', // 9
        '        return ResponseEntity.of(service.find(id));',
        '    }',
        '',
        '    @RequestMapping(value = "/{id}/cancel", method = RequestMethod.POST)',
        '    @ResponseStatus(HttpStatus.ACCEPTED)',
        '    public void cancel(@PathVariable Long id) {', // 15
        '        service.cancel(id);',
        '    }',
        '',
        '    @GetMapping',
        '    public List<Order> list() { return service.all(); }', // 20
        '}',
      );
      assert.deepEqual(summary(extractRoutes('src/main/java/com/example/shop/orders/OrderController.java', text)), [
        'GET /api/orders → 20 OrderController.list',
        'GET /api/orders/{} → 9 OrderController.get',
        'POST /api/orders/{}/cancel → 15 OrderController.cancel',
      ]);
    });

    it('reads Kotlin controllers and skips Feign clients', () => {
      const kotlin = src(
        '@RestController',
        '@RequestMapping("/api/carts")',
        'class CartController(private val carts: CartService) {',
        '    @PostMapping("/{cartId}/items")',
        '    fun addItem(@PathVariable cartId: String, @RequestBody item: Item): Cart =', // 5
        '        carts.add(cartId, item)',
        '}',
      );
      assert.deepEqual(summary(extractRoutes('src/main/kotlin/CartController.kt', kotlin)), [
        'POST /api/carts/{}/items → 5 CartController.addItem',
      ]);
      const feign = src(
        '@FeignClient(name = "orders")',
        'public interface OrdersClient {',
        '    @GetMapping("/api/orders/{id}")',
        '    Order get(@PathVariable Long id);',
        '}',
      );
      assert.deepEqual(extractRoutes('src/main/java/OrdersClient.java', feign), []);
    });
  });

  describe('ASP.NET Core', () => {
    it('joins [Route("api/[controller]")] with [HttpGet("{id}")], naming the controller', () => {
      const text = src(
        'namespace Shop.Orders;',
        '',
        '[ApiController]',
        '[Route("api/[controller]")]',
        'public class OrdersController : ControllerBase',
        '{',
        '    [HttpGet("{id:int}")]',
        '    [ProducesResponseType(typeof(Order), 200)]',
        '    public async Task<ActionResult<Order>> Get(int id)', // 9
        '    {',
        '        return await _orders.FindAsync(id);',
        '    }',
        '',
        '    [HttpPost]',
        '    public IActionResult Create([FromBody] Order order) => Ok(order);', // 15
        '',
        '    [HttpDelete("/admin/orders/{id}")]',
        '    public IActionResult Purge(int id) => NoContent();', // 18
        '}',
      );
      assert.deepEqual(summary(extractRoutes('src/Shop.Orders/Controllers/OrdersController.cs', text)), [
        'DELETE /admin/orders/{} → 18 OrdersController.Purge',
        'GET /api/Orders/{} → 9 OrdersController.Get',
        'POST /api/Orders → 15 OrdersController.Create',
      ]);
    });

    it('routes public actions without attributes under [controller]/[action], skipping [NonAction]', () => {
      const text = src(
        '[Route("[controller]/[action]")]',
        'public class HomeController : Controller',
        '{',
        '    public HomeController(ILogger<HomeController> log) { }',
        '    public IActionResult Index() => View();', // 5
        '    [NonAction]',
        '    public string Helper() => "";',
        '    [AcceptVerbs("GET", "POST")]',
        '    public IActionResult Contact() => View();', // 9
        '}',
      );
      assert.deepEqual(summary(extractRoutes('Controllers/HomeController.cs', text)), [
        '* /Home/Index → 5 HomeController.Index',
        'GET /Home/Contact → 9 HomeController.Contact',
        'POST /Home/Contact → 9 HomeController.Contact',
      ]);
    });

    it('reads minimal APIs with groups and method-group handlers', () => {
      const text = src(
        'var app = WebApplication.Create(args);',
        'var orders = app.MapGroup("/orders");',
        'orders.MapGet("/{id}", GetOrder);',
        'app.MapPost("/checkout", async (Cart cart, IOrders o) => await o.Checkout(cart));', // 4
        'app.Run();',
        '',
        'static async Task<IResult> GetOrder(int id, IOrders orders) =>', // 7
        '    await orders.Find(id) is { } o ? Results.Ok(o) : Results.NotFound();',
      );
      assert.deepEqual(summary(extractRoutes('Program.cs', text)), ['GET /orders/{} → 7 GetOrder', 'POST /checkout → 4']);
    });
  });

  describe('Go', () => {
    it('reads net/http with Go 1.22 method patterns and host patterns', () => {
      const text = src(
        'package main',
        '',
        'import "net/http"',
        '',
        'func main() {',
        '\tmux := http.NewServeMux()',
        '\tmux.HandleFunc("GET /orders/{id}", getOrder)',
        '\tmux.Handle("POST /orders", http.HandlerFunc(createOrder))',
        '\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })', // 9
        '\tmux.HandleFunc("api.example.com/files/{path...}", serveFile)',
        '\tresp, _ := http.Get("http://inventory/stock")',
        '\thttp.ListenAndServe(":8080", mux)',
        '}',
        '',
        'func getOrder(w http.ResponseWriter, r *http.Request) {', // 15
        '\tid := r.PathValue("id")',
        '}',
        '',
        'func createOrder(w http.ResponseWriter, r *http.Request) {}', // 19
      );
      assert.deepEqual(summary(extractRoutes('cmd/server/main.go', text)), [
        '* /files/{} → 10 serveFile',
        '* /healthz → 9',
        'GET /orders/{} → 15 getOrder',
        'POST /orders → 19 createOrder',
      ]);
    });

    it('composes gin groups within a function', () => {
      const text = src(
        'import "github.com/gin-gonic/gin"',
        '',
        'func SetupRouter(h *Handlers) *gin.Engine {',
        '\tr := gin.Default()',
        '\tv1 := r.Group("/v1")',
        '\t{',
        '\t\torders := v1.Group("/orders", authRequired())',
        '\t\torders.GET("/:id", h.GetOrder)',
        '\t\torders.POST("", h.CreateOrder)',
        '\t}',
        '\tr.GET("/ping", func(c *gin.Context) { c.String(200, "pong") })', // 11
        '\treturn r',
        '}',
        '',
        'func (h *Handlers) GetOrder(c *gin.Context) {', // 15
        '}',
      );
      assert.deepEqual(summary(extractRoutes('internal/http/router.go', text)), [
        'GET /ping → 11',
        'GET /v1/orders/{} → 15 h.GetOrder',
        'POST /v1/orders → 9 h.CreateOrder',
      ]);
    });

    it('composes chi Route closures and Mount, and marks a router parameter partial', () => {
      const text = src(
        'import "github.com/go-chi/chi/v5"',
        '',
        'func Routes() http.Handler {',
        '\tr := chi.NewRouter()',
        '\tr.Route("/orders", func(r chi.Router) {',
        '\t\tr.Get("/", listOrders)', // 6
        '\t\tr.Route("/{orderID}", func(r chi.Router) {',
        '\t\t\tr.Get("/", getOrder)', // 8
        '\t\t\tr.Delete("/", deleteOrder)', // 9
        '\t\t})',
        '\t})',
        '\tr.Mount("/admin", adminRouter())',
        '\treturn r',
        '}',
        '',
        'func adminRouter() chi.Router {',
        '\tr := chi.NewRouter()',
        '\tr.Get("/stats", stats)', // 18
        '\treturn r',
        '}',
        '',
        'func RegisterCarts(r chi.Router) {',
        '\tr.Post("/carts/{id}/items", addItem)', // 23
        '}',
      );
      assert.deepEqual(summary(extractRoutes('api/routes.go', text)), [
        'DELETE /orders/{} → 9 deleteOrder',
        'GET /admin/stats → 18 stats',
        'GET /orders → 6 listOrders',
        'GET /orders/{} → 8 getOrder',
        'POST /carts/{}/items → 23 addItem (partial)',
      ]);
    });
  });

  describe('Rails', () => {
    const routes = src(
      'Rails.application.routes.draw do',
      "  root 'pages#home'", // 2
      "  get '/orders/:id/receipt', to: 'receipts#show'", // 3
      '  resources :orders, only: [:index, :show, :update] do', // 4
      '    member do',
      '      post :cancel', // 6
      '    end',
      '    resources :items, only: :index', // 8
      '  end',
      '  namespace :admin do',
      '    resources :users, except: %i[new edit]', // 11
      '  end',
      '  # get "/old", to: "legacy#old"',
      'end',
    );

    it('expands resources into the standard actions, with nesting, member routes and namespaces', () => {
      assert.deepEqual(summary(extractRoutes('config/routes.rb', routes)), [
        'DELETE /admin/users/{} → 11 Admin::UsersController#destroy',
        'GET / → 2 PagesController#home',
        'GET /admin/users → 11 Admin::UsersController#index',
        'GET /admin/users/{} → 11 Admin::UsersController#show',
        'GET /orders → 4 OrdersController#index',
        'GET /orders/{} → 4 OrdersController#show',
        'GET /orders/{}/items → 8 ItemsController#index',
        'GET /orders/{}/receipt → 3 ReceiptsController#show',
        'PATCH /admin/users/{} → 11 Admin::UsersController#update',
        'PATCH /orders/{} → 4 OrdersController#update',
        'POST /admin/users → 11 Admin::UsersController#create',
        'POST /orders/{}/cancel → 6 OrdersController#cancel',
        'PUT /admin/users/{} → 11 Admin::UsersController#update',
        'PUT /orders/{} → 4 OrdersController#update',
      ]);
    });

    it('points each route at its controller file', () => {
      const show = extractRoutes('backend/config/routes.rb', routes).find((d) => d.handler === 'Admin::UsersController#show');
      assert.deepEqual(show?.target, { files: ['backend/app/controllers/admin/users_controller.rb'], symbol: 'show' });
    });

    it('gives all seven actions for a plain resources line', () => {
      const defs = extractRoutes('config/routes.rb', src('Rails.application.routes.draw do', '  resources :photos', 'end'));
      assert.deepEqual(new Set(defs.map((d) => d.handler)).size, 7);
      assert.equal(defs.length, 8, 'update answers PATCH and PUT');
    });
  });

  describe('Laravel', () => {
    it('reads array and @ actions, prefix groups, controller groups and api.php’s /api prefix', () => {
      const text = src(
        '<?php',
        '',
        'use App\\Http\\Controllers\\OrderController;',
        'use App\\Http\\Controllers\\Admin\\ReportController;',
        'use Illuminate\\Support\\Facades\\Route;',
        '',
        "Route::get('/orders/{id}', [OrderController::class, 'show']);", // 7
        "Route::post('/orders', 'OrderController@store');", // 8
        "Route::prefix('admin')->middleware('auth')->group(function () {",
        "    Route::get('/reports/{report}', [ReportController::class, 'show']);", // 10
        '});',
        'Route::controller(OrderController::class)->group(function () {',
        "    Route::delete('/orders/{id}', 'destroy');", // 13
        '});',
        "Route::get('/ping', fn () => 'pong');", // 15
        "// Route::get('/old', [LegacyController::class, 'old']);",
      );
      const defs = extractRoutes('routes/api.php', text);
      assert.deepEqual(summary(defs), [
        'DELETE /api/orders/{} → 13 OrderController@destroy',
        'GET /api/admin/reports/{} → 10 ReportController@show',
        'GET /api/orders/{} → 7 OrderController@show',
        'GET /api/ping → 15',
        'POST /api/orders → 8 OrderController@store',
      ]);
      assert.deepEqual(defs.find((d) => d.handler === 'ReportController@show')?.target, {
        files: ['app/Http/Controllers/Admin/ReportController.php'],
        symbol: 'show',
      });
    });

    it('expands resource and apiResource', () => {
      const text = src(
        '<?php',
        "Route::resource('photos', PhotoController::class)->only(['index', 'show']);",
        "Route::apiResource('orders.items', ItemController::class);",
      );
      assert.deepEqual(summary(extractRoutes('routes/web.php', text)), [
        'DELETE /orders/{}/items/{} → 3 ItemController@destroy',
        'GET /orders/{}/items → 3 ItemController@index',
        'GET /orders/{}/items/{} → 3 ItemController@show',
        'GET /photos → 2 PhotoController@index',
        'GET /photos/{} → 2 PhotoController@show',
        'PATCH /orders/{}/items/{} → 3 ItemController@update',
        'POST /orders/{}/items → 3 ItemController@store',
        'PUT /orders/{}/items/{} → 3 ItemController@update',
      ]);
    });
  });

  it('ignores files of other languages and files without registrations', () => {
    assert.deepEqual(extractRoutes('README.md', "app.get('/x', h)"), []);
    assert.deepEqual(extractRoutes('src/util.py', 'import requests\nrequests.get("/api/orders")\n'), []);
    assert.deepEqual(extractRoutes('app/models/order.rb', "get '/orders/:id', to: 'orders#show'"), []);
  });
});

describe('RouteIndex', () => {
  const express = src('const app = express();', "app.get('/api/orders/:id', getOrder);", "app.post('/api/orders', createOrder);");
  const flask = src(
    'app = Flask(__name__)',
    "@app.route('/api/orders/<int:id>', methods=['DELETE'])",
    'def delete_order(id):',
    '    pass',
  );
  const next = src('export async function PATCH() {}');

  it('finds the same route written by three frameworks from one http.route', () => {
    const index = new RouteIndex();
    index.add(extractRoutes('node/app.js', express));
    index.add(extractRoutes('py/app.py', flask));
    index.add(extractRoutes('web/app/api/orders/[id]/route.ts', next));
    const where = (method: string) => index.match(method, '/api/orders/{id}').map((d) => `${d.file}:${d.line}`);
    assert.deepEqual(where('GET'), ['node/app.js:2']);
    assert.deepEqual(where('DELETE'), ['py/app.py:3']);
    assert.deepEqual(where('PATCH'), ['web/app/api/orders/[id]/route.ts:1']);
    assert.deepEqual(where('PUT'), []);
    assert.equal(index.match(undefined, '/api/orders/{id}').length, 3);
    assert.deepEqual(
      index.match(undefined, 'GET /api/orders/:id').map((d) => d.line),
      [2],
      'a method written in the route',
    );
  });

  it('puts the exact method before any-method registrations, and answers HEAD with GET', () => {
    const index = new RouteIndex();
    index.add(extractRoutes('a.js', src('const app = express();', "app.all('/x', any);", "app.get('/x', get);")));
    assert.deepEqual(
      index.match('get', '/x').map((d) => d.handler),
      ['get', 'any'],
    );
    assert.deepEqual(
      index.match('HEAD', '/x').map((d) => d.handler),
      ['get', 'any'],
    );
  });

  it('matches ignoring case only when nothing matches exactly', () => {
    const index = new RouteIndex();
    index.add(
      extractRoutes(
        'OrdersController.cs',
        src(
          '[Route("api/[controller]")]',
          'public class OrdersController {',
          '  [HttpGet("{id}")]',
          '  public Order Get(int id) => null;',
          '}',
        ),
      ),
    );
    assert.equal(index.match('GET', 'api/orders/{id}')[0]?.line, 4);
  });

  it('finds a router mounted in another file by the tail of the path', () => {
    const index = new RouteIndex();
    index.add(extractRoutes('routes/orders.js', src('const router = express.Router();', "router.get('/orders/:id', show);")));
    index.add(extractRoutes('routes/misc.js', src('const router = express.Router();', "router.get('/:id', other);")));
    assert.deepEqual(
      index.match('GET', '/api/v2/orders/{id}').map((d) => d.handler),
      ['show'],
      'a tail of placeholders alone is not enough',
    );
    assert.deepEqual(index.match('GET', '/api/v2/customers/{id}'), []);
  });

  it('resolves Django views and Rails actions once their files are indexed, else keeps the registration', () => {
    const index = new RouteIndex();
    index.addFile(
      'shop/orders/urls.py',
      src('from . import views', 'urlpatterns = [', "    path('orders/<int:pk>/', views.order_detail),", ']'),
    );
    index.addFile('config/routes.rb', src('Rails.application.routes.draw do', '  resources :invoices, only: :show', 'end'));
    assert.deepEqual(index.match('GET', '/orders/{pk}')[0], {
      route: '/orders/{}',
      file: 'shop/orders/urls.py',
      line: 3,
      handler: 'views.order_detail',
      framework: 'django',
      partial: true,
      target: { files: ['shop/orders/views.py', 'shop/orders/views/__init__.py'], symbol: 'order_detail' },
    });
    index.addFile(
      'shop/orders/views.py',
      src(
        'from django.shortcuts import render',
        '',
        'class Helper:',
        '    def order_detail(self): ...',
        '',
        'def order_detail(request, pk):',
        '    ...',
      ),
    );
    index.addFile(
      'app/controllers/invoices_controller.rb',
      src('class InvoicesController < ApplicationController', '  def show', '  end', 'end'),
    );
    assert.deepEqual(
      [index.match('GET', '/orders/{pk}')[0]?.file, index.match('GET', '/orders/{pk}')[0]?.line],
      ['shop/orders/views.py', 6],
    );
    assert.deepEqual(
      [index.match('GET', '/invoices/:id(.:format)')[0]?.file, index.match('GET', '/invoices/:id(.:format)')[0]?.line],
      ['app/controllers/invoices_controller.rb', 2],
    );
    index.removeFile('shop/orders/views.py');
    assert.equal(index.match('GET', '/orders/{pk}')[0]?.file, 'shop/orders/urls.py');
  });

  it('forgets a removed file', () => {
    const index = new RouteIndex();
    index.add(extractRoutes('node/app.js', express));
    index.removeFile('node/app.js');
    assert.deepEqual(index.match('GET', '/api/orders/{id}'), []);
    index.addFile('node/app.js', express);
    index.addFile('node/app.js', express);
    assert.equal(index.match('GET', '/api/orders/{id}').length, 1, 'addFile replaces');
  });
});

describe('extractHandlers', () => {
  it('prefers module-level functions to methods of the same name', () => {
    const defs = extractHandlers('v/views.py', src('class A:', '    def detail(self): ...', 'def detail(request): ...'));
    assert.deepEqual(
      defs.find((d) => d.symbol === 'detail'),
      { file: 'v/views.py', line: 3, symbol: 'detail' },
    );
  });

  it('reads Laravel controller methods and nothing from unrelated files', () => {
    const php = src('<?php', 'class OrderController extends Controller', '{', '    public function show(string $id) {}', '}');
    assert.deepEqual(extractHandlers('app/Http/Controllers/OrderController.php', php).find((d) => d.symbol === 'show')?.line, 4);
    assert.deepEqual(extractHandlers('app/Models/Order.php', php), []);
    assert.deepEqual(extractHandlers('src/app.ts', 'function show() {}'), []);
  });
});
