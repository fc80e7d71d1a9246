/**
 * Starlette route tables. The snippets are HAND-WRITTEN in the style of Starlette's routing documentation, with
 * traps: a commented route, a list mounted by name, an HTTP client, a table served from another file.
 */
import * as assert from 'node:assert/strict';
import { extractRoutes } from '../../../../src/core/codeLocation/routes';
import { routesOf, src } from './routeSnippets';

describe('Starlette routes', () => {
  it('reads Route and Mount tables, inline and by name, landing on the endpoints', () => {
    const text = src(
      'from starlette.applications import Starlette',
      'from starlette.routing import Route, Mount',
      'from . import carts',
      '',
      'async def homepage(request):', // 5
      "    return PlainTextResponse('ok')",
      '',
      'async def order(request):', // 8
      '    return JSONResponse({})',
      '',
      'order_routes = [',
      "    Route('/{order_id:int}', order, methods=['GET', 'DELETE']),",
      ']',
      '',
      'routes = [',
      "    Route('/', endpoint=homepage),",
      "    # Route('/old', endpoint=old),",
      "    Mount('/orders', routes=order_routes),",
      "    Mount('/carts', routes=[Route('/{cart_id}', carts.show)]),", // 19
      ']',
      'app = Starlette(routes=routes)',
      "app.add_route('/health', homepage)",
      "httpx.get('/orders/1')",
    );
    assert.deepEqual(routesOf('shop/app.py', text), [
      '* / → 5 homepage',
      '* /carts/{} → 19 carts.show',
      '* /health → 5 homepage',
      'DELETE /orders/{} → 8 order',
      'GET /orders/{} → 8 order',
    ]);
    const carts = extractRoutes('shop/app.py', text).find((d) => d.handler === 'carts.show');
    assert.deepEqual(carts?.handlerRef, { name: 'show', owner: 'carts' });
  });

  it('marks a table no application in the file takes as partial', () => {
    const text = src('from starlette.routing import Route', 'async def show(request): ...', "routes = [Route('/{id}', show)]");
    assert.deepEqual(routesOf('shop/orders.py', text), ['* /{} → 2 show (partial)']);
  });
});
