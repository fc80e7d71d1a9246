/**
 * Slim, Symfony and Laravel resource routes. Every snippet is HAND-WRITTEN the way each framework's documentation
 * writes routes, with the traps PHP files have: test clients and Guzzle calls, container `get()`, docblocks.
 */
import * as assert from 'node:assert/strict';
import { extractRoutes, RouteIndex } from '../../../../src/core/codeLocation/routes';
import { routesOf, src } from './routeSnippets';

describe('Slim routes', () => {
  it('reads Slim 4 routes and groups, naming handlers in other files', () => {
    const text = src(
      '<?php',
      'use App\\Action\\Orders\\ShowOrderAction;',
      'use App\\Controller\\OrderController;',
      'use Slim\\Routing\\RouteCollectorProxy;',
      '',
      'return function (App $app) {',
      "    $app->get('/', function ($request, $response) {", // 7
      "        $response->getBody()->write('ok');",
      '        return $response;',
      '    });',
      "    $app->group('/api/orders', function (RouteCollectorProxy $group) {",
      "        $group->get('/{id:[0-9]+}', ShowOrderAction::class)->setName('orders.show');", // 12
      "        $group->post('', OrderController::class . ':create');", // 13
      "        $group->map(['PUT', 'PATCH'], '/{id}', [OrderController::class, 'update']);", // 14
      "        // $group->delete('/{id}', OrderController::class . ':delete');",
      '    });',
      "    $app->any('/legacy/{path:.*}', 'LegacyController:forward');", // 17
      '};',
    );
    const defs = extractRoutes('app/routes.php', text);
    assert.deepEqual(routesOf('app/routes.php', text), [
      '* /legacy/{} → 17 LegacyController:forward',
      'GET / → 7',
      'GET /api/orders/{} → 12 ShowOrderAction:__invoke',
      'GET /orders.show → 12 ShowOrderAction:__invoke',
      'PATCH /api/orders/{} → 14 OrderController:update',
      'POST /api/orders → 13 OrderController:create',
      'PUT /api/orders/{} → 14 OrderController:update',
    ]);
    assert.deepEqual(defs.find((d) => d.method === 'POST')?.handlerRef, { name: 'create', owner: 'OrderController' });
  });

  it('reads Slim 3 groups registering on $this', () => {
    const text = src(
      '<?php',
      "$app->group('/api', function () {",
      "    $this->get('/users/{name}', UserController::class . ':show');", // 3
      "    $this->group('/admin', function () {",
      "        $this->delete('/users/{name}', 'App\\Controllers\\AdminController:remove');", // 5
      '    });',
      '});',
    );
    assert.deepEqual(routesOf('src/routes.php', text), [
      'DELETE /api/admin/users/{} → 5 AdminController:remove',
      'GET /api/users/{} → 3 UserController:show',
    ]);
  });

  it('ignores test clients, Guzzle and container lookups', () => {
    const text = src(
      '<?php',
      'class OrderTest extends TestCase {',
      '    public function testShow() {',
      "        $response = $this->get('/api/orders/1');",
      "        $client->post('/api/orders', ['json' => []]);",
      "        $db = $container->get('db');",
      "        $settings = $app->getContainer()->get('settings');",
      '        $sql = <<<SQL',
      "            $app->get('/in/heredoc', h);",
      '            SQL;',
      '    }',
      '}',
    );
    assert.deepEqual(routesOf('tests/OrderTest.php', text), []);
  });
});

describe('Symfony routes', () => {
  it('joins class and method Route attributes, under the path and under the route name', () => {
    const text = src(
      '<?php',
      'namespace App\\Controller;',
      '',
      'use Symfony\\Component\\Routing\\Attribute\\Route;',
      '',
      "#[Route('/blog', name: 'blog_')]",
      'class BlogController extends AbstractController',
      '{',
      "    #[Route('/{slug}', name: 'show', methods: ['GET', 'HEAD'])]",
      '    #[IsGranted("ROLE_USER")]',
      '    public function show(string $slug): Response', // 11
      '    {',
      '    }',
      '',
      "    #[Route(path: '/{slug}/comments', methods: 'POST')]",
      '    public function comment(Request $request): Response', // 16
      '    {',
      '    }',
      '}',
    );
    assert.deepEqual(routesOf('src/Controller/BlogController.php', text), [
      'GET /blog/{} → 11 BlogController::show',
      'GET /blog_show → 11 BlogController::show',
      'HEAD /blog/{} → 11 BlogController::show',
      'HEAD /blog_show → 11 BlogController::show',
      'POST /blog/{}/comments → 16 BlogController::comment',
      'POST /blog_app_blog_comment → 16 BlogController::comment',
    ]);
  });

  it('reads @Route annotations in docblocks, with the legacy @Method', () => {
    const text = src(
      '<?php',
      'namespace App\\Controller\\Admin;',
      '',
      '/**',
      ' * @Route("/admin/users")',
      ' */',
      'class UserController',
      '{',
      '    /**',
      '     * Shows one user.',
      '     *',
      '     * @Route("/{id}", name="admin_user_show", requirements={"id"="\\d+"})',
      '     * @Method({"GET"})',
      '     */',
      '    public function showAction($id)', // 15
      '    {',
      '    }',
      '',
      '    /** @Route("/{id}/ban", methods={"POST"}) */',
      '    public function banAction($id)', // 20
      '    {',
      '    }',
      '}',
    );
    assert.deepEqual(routesOf('src/Controller/Admin/UserController.php', text), [
      'GET /admin/users/{} → 15 UserController::showAction',
      'GET /admin_user_show → 15 UserController::showAction',
      'POST /admin/users/{}/ban → 20 UserController::banAction',
      'POST /app_admin_user_ban → 20 UserController::banAction',
    ]);
  });
});

describe('Laravel resources', () => {
  it('reads string controllers and the options array of older Laravel', () => {
    const routes = src(
      '<?php',
      "Route::group(['namespace' => 'Api'], function () {",
      "    Route::resource('orders', 'OrderController', [",
      "        'except' => ['create', 'edit', 'destroy']",
      '    ]);',
      '});',
    );
    const controller = src(
      '<?php',
      'namespace App\\Http\\Controllers\\Api;',
      'class OrderController extends Controller',
      '{',
      '    public function index() {}', // 5
      '    public function show(Order $order) {}', // 6
      '}',
    );
    const index = new RouteIndex();
    index.addFile('routes/api.php', routes);
    index.addFile('app/Http/Controllers/Api/OrderController.php', controller);
    assert.deepEqual(
      index.match('GET', 'api/orders/{order}').map((d) => `${d.file}:${d.line}`),
      ['app/Http/Controllers/Api/OrderController.php:6'],
    );
    assert.deepEqual(index.match('DELETE', 'api/orders/{order}'), []);
  });
});
