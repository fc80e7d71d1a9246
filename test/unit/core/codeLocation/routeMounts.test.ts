/**
 * Routes whose prefix is set in another file: a Go function handed a router group, a Python router included
 * by another module, an Express router exported and mounted elsewhere — each written here by hand the way
 * the frameworks' documentation and typical projects write them. What a user sees is where Go to Code lands.
 */
import * as assert from 'node:assert/strict';
import { locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { extractRoutes, RouteIndex, type RouteMount } from '../../../../src/core/codeLocation/routes';
import { memoryIndex, sdkSpan } from './spans';

const src = (...lines: string[]) => lines.join('\n') + '\n';

/** `file:line` of the top answer, or 'nothing'. */
function top(index: ReturnType<typeof memoryIndex>, span: ReturnType<typeof sdkSpan>): string {
  const m = locateSpan(span, index)[0];
  return m ? `${m.file}:${m.line ?? '-'}` : 'nothing';
}

const GIN_MAIN = src(
  'package main', // 1
  '',
  'import (',
  '\t"github.com/gin-gonic/gin"',
  '\t"example.com/shop/orders"', // 5
  ')',
  '',
  'func main() {',
  '\tr := gin.Default()',
  '\tv1 := r.Group("/api/v1")', // 10
  '\torders.Register(v1.Group("/orders"))',
  '\tr.Run()',
  '}',
);
const GIN_ORDERS = src(
  'package orders', // 1
  '',
  'import "github.com/gin-gonic/gin"',
  '',
  'func Register(router *gin.RouterGroup) {', // 5
  '\trouter.GET("/:id", Show)',
  '\trouter.POST("", Create)',
  '}',
  '',
  'func Show(c *gin.Context) {', // 10
  '\tc.JSON(200, nil)',
  '}',
);
const GIN_HANDLERS = src(
  'package orders',
  '',
  'import "github.com/gin-gonic/gin"',
  '',
  'func Create(c *gin.Context) {',
  '\tc.JSON(201, nil)',
  '}',
);

describe('routes mounted from another file', () => {
  describe('Go', () => {
    it('composes a group handed to a function with the prefix its caller gives', () => {
      const mounts: RouteMount[] = [];
      extractRoutes('cmd/api/main.go', GIN_MAIN, mounts);
      assert.deepEqual(
        mounts.map((m) => [m.key, m.prefix, m.line]),
        [['go:orders.Register', '/api/v1/orders', 11]],
      );
      const routes = extractRoutes('orders/routes.go', GIN_ORDERS);
      assert.deepEqual(
        routes.map((r) => [r.method, r.route, r.partial, r.mountKey]),
        [
          ['GET', '/{}', true, 'go:orders.Register'],
          ['POST', '/', true, 'go:orders.Register'],
        ],
      );
    });

    it('answers a placeholder-only route with its handler once the caller’s prefix is known', () => {
      const index = memoryIndex({
        'cmd/api/main.go': GIN_MAIN,
        'orders/routes.go': GIN_ORDERS,
        'orders/handlers.go': GIN_HANDLERS,
      });
      const get = sdkSpan('GET /api/v1/orders/:id', 'server', 'shop', 'go', {
        'http.route': '/api/v1/orders/:id',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, get), 'orders/routes.go:10');
      const post = sdkSpan('POST /api/v1/orders', 'server', 'shop', 'go', {
        'http.route': '/api/v1/orders',
        'http.request.method': 'POST',
      });
      assert.equal(top(index, post), 'orders/handlers.go:5', 'a handler defined in another file of the package');
      const other = sdkSpan('GET /api/v1/customers/:id', 'server', 'shop', 'go', { 'http.route': '/api/v1/customers/:id' });
      assert.equal(top(index, other), 'nothing', 'a route nobody serves');
    });

    it('without the caller, a placeholder-only route says too little to answer', () => {
      const index = memoryIndex({ 'orders/routes.go': GIN_ORDERS });
      const get = sdkSpan('GET /api/v1/orders/:id', 'server', 'shop', 'go', {
        'http.route': '/api/v1/orders/:id',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, get), 'nothing');
    });

    it('tells functions of the same name in two packages apart, and a handler by its receiver’s type', () => {
      const main = src(
        'package main',
        '',
        'import (',
        '\t"example.com/shop/orders"',
        '\tusersapi "example.com/shop/users/v2"',
        ')',
        '',
        'func main() {',
        '\tr := gin.Default()',
        '\tv1 := r.Group("/api/v1")',
        '\torders.Register(v1.Group("/orders"))',
        '\tusersapi.Register(v1.Group("/users"))',
        '}',
      );
      const users = src(
        'package users',
        '',
        'type Handlers struct{ db *sql.DB }',
        '',
        'func Register(router *gin.RouterGroup) {',
        '\th := &Handlers{}',
        '\trouter.GET("/:id", h.Get)',
        '}',
      );
      const usersHandlers = src('package users', '', 'func (h *Handlers) Get(c *gin.Context) {', '}'); // 3
      const health = src('package users', '', 'func (hc *healthChecker) Get(c *gin.Context) {', '}');
      const index = memoryIndex({
        'cmd/main.go': main,
        'orders/routes.go': GIN_ORDERS,
        'users/routes.go': users,
        'users/handlers.go': usersHandlers,
        'users/health.go': health,
      });
      const span = (method: string, route: string) =>
        sdkSpan(`${method} ${route}`, 'server', 'shop', 'go', { 'http.route': route, 'http.request.method': method });
      assert.equal(top(index, span('GET', '/api/v1/orders/:id')), 'orders/routes.go:10');
      assert.equal(
        top(index, span('GET', '/api/v1/users/:id')),
        'users/handlers.go:3',
        'h is a *Handlers, not the health checker',
      );
      assert.equal(top(index, span('DELETE', '/api/v1/users/:id')), 'nothing');
    });

    it('follows a group that is itself a parameter: prefixes compose through two calls', () => {
      const main = src('package main', 'func main() {', '\te := echo.New()', '\th.Register(e.Group("/api"))', '}');
      const register = src(
        'package handler',
        'import "github.com/labstack/echo/v4"',
        'func (h *Handler) Register(v1 *echo.Group) {',
        '\torders := v1.Group("/orders")',
        '\torders.GET("/:ref", h.GetOrder)',
        '}',
      );
      const handler = src('package handler', '', 'func (h *Handler) GetOrder(c echo.Context) error {', '\treturn nil', '}');
      const index = memoryIndex({ 'main.go': main, 'handler/routes.go': register, 'handler/order.go': handler });
      const span = sdkSpan('GET /api/orders/:ref', 'server', 'shop-api', 'go', {
        'http.route': '/api/orders/:ref',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, span), 'handler/order.go:3');
    });
  });

  describe('Go servers generated from OpenAPI', () => {
    it('answers with the hand-written method a generated chi server hands the request to', () => {
      const generated = src(
        '// Package ports provides primitives to interact with the openapi HTTP API.',
        '//',
        '// Code generated by github.com/deepmap/oapi-codegen version v1.8.2 DO NOT EDIT.',
        'package ports',
        '',
        'func (siw *ServerInterfaceWrapper) ListInvoices(w http.ResponseWriter, r *http.Request) {', // 6
        '\tsiw.Handler.ListInvoices(w, r)',
        '}',
        '',
        'func HandlerWithOptions(si ServerInterface, options ChiServerOptions) http.Handler {',
        '\tr := options.BaseRouter',
        '\twrapper := ServerInterfaceWrapper{Handler: si}',
        '\tr.Group(func(r chi.Router) {',
        '\t\tr.Get(options.BaseURL+"/invoices", wrapper.ListInvoices)',
        '\t})',
        '\treturn r',
        '}',
      );
      const handwritten = src(
        'package ports',
        '',
        'type HttpServer struct{ app app.Application }',
        '',
        'func (h HttpServer) ListInvoices(w http.ResponseWriter, r *http.Request) {', // 5
        '\trender.Respond(w, r, nil)',
        '}',
      );
      const index = memoryIndex({ 'billing/ports/openapi_api.gen.go': generated, 'billing/ports/http.go': handwritten });
      const span = sdkSpan('GET /api/invoices', 'server', 'billing', 'go', {
        'http.route': '/api/invoices',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, span), 'billing/ports/http.go:5');
    });
  });

  describe('Python', () => {
    const invoices = src(
      'from fastapi import APIRouter', // 1
      '',
      'router = APIRouter()',
      '',
      '', // 5
      '@router.get("/{number}")',
      'async def get_invoice(number: str):', // 7
      '    return {"number": number}',
    );
    const api = src(
      'from fastapi import APIRouter',
      '',
      'from app.routes import invoices',
      '',
      'router = APIRouter()',
      'router.include_router(invoices.router, prefix="/invoices", tags=["invoices"])',
    );
    const main = src(
      'from fastapi import FastAPI',
      'from app.routes.api import router as api_router',
      '',
      'app = FastAPI()',
      'app.include_router(api_router, prefix="/api")',
    );

    it('composes FastAPI routers included by other modules, aliases and all', () => {
      const index = memoryIndex({ 'app/routes/invoices.py': invoices, 'app/routes/api.py': api, 'app/main.py': main });
      const span = sdkSpan('GET /api/invoices/{number}', 'server', 'shop-api', 'python', {
        'http.route': '/api/invoices/{number}',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, span), 'app/routes/invoices.py:7');
    });

    it('keeps the route a tail when the outermost prefix is not a literal', () => {
      const settingsMain = main.replace('prefix="/api"', 'prefix=settings.api_prefix');
      const index = memoryIndex({ 'app/routes/invoices.py': invoices, 'app/routes/api.py': api, 'app/main.py': settingsMain });
      const span = sdkSpan('GET /api/invoices/{number}', 'server', 'shop-api', 'python', {
        'http.route': '/api/invoices/{number}',
        'http.request.method': 'GET',
      });
      const m = locateSpan(span, index)[0];
      assert.equal(`${m?.file}:${m?.line}`, 'app/routes/invoices.py:7');
      assert.match(m!.reason, /mounted under a prefix set elsewhere/);
    });

    it('reads relative imports of Flask blueprints', () => {
      const views = src(
        'from flask import Blueprint',
        '',
        "blueprint = Blueprint('orders', __name__)",
        '',
        "@blueprint.route('/<int:order_id>', methods=['DELETE'])",
        'def delete_order(order_id):', // 6
        "    return '', 204",
      );
      const init = src(
        'from flask import Flask',
        'from .orders import views',
        '',
        'app = Flask(__name__)',
        "app.register_blueprint(views.blueprint, url_prefix='/orders')",
      );
      const index = memoryIndex({ 'shop/orders/views.py': views, 'shop/__init__.py': init });
      const span = sdkSpan('DELETE /orders/<int:order_id>', 'server', 'shop', 'python', {
        'http.route': '/orders/<int:order_id>',
        'http.request.method': 'DELETE',
      });
      assert.equal(top(index, span), 'shop/orders/views.py:6');
    });
  });

  describe('Express', () => {
    const orders = src(
      "import { Router } from 'express';", // 1
      "import { loadOrder } from '../services/orders';",
      '',
      'const router = Router();',
      '', // 5
      "router.get('/:id', async (req, res) => {", // 6
      '  res.json(await loadOrder(req.params.id));',
      '});',
      '',
      'export default router;',
    );
    const app = src(
      "import express from 'express';",
      "import orders from './routes/orders';",
      '',
      'const app = express();',
      "app.use('/api/orders', orders);",
      'app.listen(3000);',
    );

    it('composes an exported router with the path it is mounted at by the file importing it', () => {
      const index = memoryIndex({ 'src/routes/orders.ts': orders, 'src/app.ts': app });
      const span = sdkSpan('GET /api/orders/:id', 'server', 'web', 'nodejs', {
        'http.route': '/api/orders/:id',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, span), 'src/routes/orders.ts:6', 'the inline handler: its registration');
    });

    it('reads CommonJS exports and requires, and index files', () => {
      const cjs = orders
        .replace("import { Router } from 'express';", "const { Router } = require('express');")
        .replace('export default router;', 'module.exports = router;');
      const server = src(
        "const express = require('express');",
        "const orders = require('./routes/orders');",
        'const app = express();',
        "app.use('/api/orders', orders);",
      );
      const index = memoryIndex({ 'src/routes/orders/index.js': cjs, 'src/server.js': server });
      const span = sdkSpan('GET /api/orders/:id', 'server', 'web', 'nodejs', {
        'http.route': '/api/orders/:id',
        'http.request.method': 'GET',
      });
      assert.equal(top(index, span), 'src/routes/orders/index.js:6');
    });

    it('mounts the router a function makes and returns', () => {
      const server = src(
        "import express from 'express';",
        'const app = express();',
        'const crud = () => {',
        '  const router = express.Router();',
        "  router.post('/', (req, res) => res.status(201).send(req.body));", // 5
        '  return router;',
        '};',
        "app.use('/cats', auth, crud());",
      );
      const index = memoryIndex({ 'src/server.ts': server });
      const span = sdkSpan('POST /cats/', 'server', 'cats', 'nodejs', { 'http.route': '/cats/', 'http.request.method': 'POST' });
      assert.equal(top(index, span), 'src/server.ts:5');
    });
  });

  it('forgets what a removed file mounted', () => {
    const index = new RouteIndex();
    index.addFile('cmd/api/main.go', GIN_MAIN);
    index.addFile('orders/routes.go', GIN_ORDERS);
    assert.equal(index.match('GET', '/api/v1/orders/{id}')[0]?.line, 10);
    index.removeFile('cmd/api/main.go');
    assert.deepEqual(index.match('GET', '/api/v1/orders/{id}'), []);
  });
});
