/**
 * Phoenix router → controller actions. The snippets are HAND-WRITTEN in the style of the Phoenix guides
 * (routing, resources, nested resources, scopes and pipelines), with comments and heredoc docs as traps.
 */
import * as assert from 'node:assert/strict';
import { extractRoutes, RouteIndex } from '../../../../src/core/codeLocation/routes';
import { routesOf, src } from './routeSnippets';

const ROUTER = src(
  'defmodule ShopWeb.Router do',
  '  use ShopWeb, :router',
  '',
  '  @moduledoc """',
  '  get "/in/docs", DocController, :nope',
  '  """',
  '',
  '  pipeline :api do',
  '    plug :accepts, ["json"]',
  '  end',
  '',
  '  scope "/api", ShopWeb do',
  '    pipe_through :api',
  '',
  '    get "/orders/recent", OrderController, :recent', // 15
  '    resources "/orders", OrderController, except: [:new, :edit] do', // 16
  '      resources "/items", ItemController, only: [:index, :delete]', // 17
  '    end',
  '    # get "/commented", OrderController, :nope',
  '    resources "/carts", CartController, param: "token", only: [:show]', // 20
  '',
  '    scope "/admin", Admin, as: :admin do',
  '      put("/settings", SettingsController, :update)', // 23
  '      live "/dashboard", DashboardLive', // 24
  '    end',
  '  end',
  'end',
);

describe('Phoenix routes', () => {
  it('expands scopes, resources and nested resources into controller actions', () => {
    assert.deepEqual(routesOf('lib/shop_web/router.ex', ROUTER), [
      'DELETE /api/orders/{} → 16 ShopWeb.OrderController.delete',
      'DELETE /api/orders/{}/items/{} → 17 ShopWeb.ItemController.delete',
      'GET /api/admin/dashboard → 24 ShopWeb.Admin.DashboardLive.mount',
      'GET /api/carts/{} → 20 ShopWeb.CartController.show',
      'GET /api/orders → 16 ShopWeb.OrderController.index',
      'GET /api/orders/recent → 15 ShopWeb.OrderController.recent',
      'GET /api/orders/{} → 16 ShopWeb.OrderController.show',
      'GET /api/orders/{}/items → 17 ShopWeb.ItemController.index',
      'PATCH /api/orders/{} → 16 ShopWeb.OrderController.update',
      'POST /api/orders → 16 ShopWeb.OrderController.create',
      'PUT /api/admin/settings → 23 ShopWeb.Admin.SettingsController.update',
      'PUT /api/orders/{} → 16 ShopWeb.OrderController.update',
    ]);
  });

  it('points each route at the controller file Phoenix’s layout gives the module', () => {
    const item = extractRoutes('lib/shop_web/router.ex', ROUTER).find((d) => d.handler === 'ShopWeb.ItemController.index');
    assert.deepEqual(item?.target, {
      files: ['lib/shop_web/controllers/item_controller.ex', 'lib/shop_web/item_controller.ex'],
      symbol: 'index',
    });
    assert.deepEqual(item?.handlerRef, { name: 'index', owner: 'ItemController' });
    const settings = extractRoutes('lib/shop_web/router.ex', ROUTER).find(
      (d) => d.method === 'PUT' && d.route.includes('settings'),
    );
    assert.equal(settings?.target?.files[0], 'lib/shop_web/controllers/admin/settings_controller.ex');
  });

  it('lands on the action’s first clause when the controller is indexed', () => {
    const controller = src(
      'defmodule ShopWeb.OrderController do',
      '  use ShopWeb, :controller',
      '',
      '  @doc "Shows an order."',
      '  def show(conn, %{"id" => id}) do', // 5
      '    render(conn, :show, order: Orders.get!(id))',
      '  end',
      '',
      '  defp load(id), do: Orders.get!(id)',
      'end',
    );
    const index = new RouteIndex();
    index.addFile('lib/shop_web/router.ex', ROUTER);
    index.addFile('lib/shop_web/controllers/order_controller.ex', controller);
    const [hit] = index.match('GET', '/api/orders/:id');
    assert.equal(hit?.file, 'lib/shop_web/controllers/order_controller.ex');
    assert.equal(hit?.line, 5);
  });

  it('reads nothing from modules that are not routers', () => {
    const text = src('defmodule Shop.Client do', '  def fetch, do: get("/orders", OrderController, :index)', 'end');
    assert.deepEqual(extractRoutes('lib/shop/client.ex', text), []);
  });
});

describe('Plug.Router routes', () => {
  it('reads block routes and composes forwards to other router modules', () => {
    const api = src(
      'defmodule Shop.ApiRouter do',
      '  use Plug.Router',
      '  plug :match',
      '  plug :dispatch',
      '',
      '  forward "/orders", to: Shop.OrdersRouter',
      '  get "/health", do: send_resp(conn, 200, "ok")', // 7
      '  match _ do',
      '    send_resp(conn, 404, "not found")',
      '  end',
      'end',
    );
    const orders = src(
      'defmodule Shop.OrdersRouter do',
      '  use Plug.Router',
      '  plug :match',
      '  plug :dispatch',
      '  get "/:id" do', // 5
      '    send_resp(conn, 200, Orders.get(id))',
      '  end',
      '  match "/:id/cancel", via: [:post, :put] do', // 8
      '    send_resp(conn, 204, "")',
      '  end',
      'end',
    );
    assert.deepEqual(routesOf('lib/shop/orders_router.ex', orders), [
      'GET /{} → 5 (partial)',
      'POST /{}/cancel → 8 (partial)',
      'PUT /{}/cancel → 8 (partial)',
    ]);
    const index = new RouteIndex();
    index.addFile('lib/shop/api_router.ex', api);
    index.addFile('lib/shop/orders_router.ex', orders);
    assert.equal(index.match('GET', '/orders/:id')[0]?.line, 5);
    assert.equal(index.match('GET', '/health')[0]?.line, 7);
  });
});
