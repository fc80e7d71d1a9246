/**
 * C++ routes: oat++, Crow, Drogon, cpp-httplib, Pistache. Every snippet is HAND-WRITTEN in the style of each
 * library's documentation, with the traps C++ files have: client calls, comments, raw strings, declarations.
 */
import * as assert from 'node:assert/strict';
import { extractRoutes } from '../../../../src/core/codeLocation/routes';
import { routesOf, src } from './routeSnippets';

describe('C++ routes', () => {
  it('reads oat++ endpoints: the macro defines the handler', () => {
    const text = src(
      '#include OATPP_CODEGEN_BEGIN(ApiController)',
      'class OrderController : public oatpp::web::server::api::ApiController {',
      'public:',
      '  ENDPOINT_INFO(getOrder) { info->summary = "Get an order"; }',
      '  ENDPOINT("GET", "orders/{orderId}", getOrder,', // 5
      '           PATH(Int64, orderId)) {',
      '    return createDtoResponse(Status::CODE_200, m_service.get(orderId));',
      '  }',
      '  // ENDPOINT("DELETE", "orders/{orderId}", deleteOrder)',
      '  ENDPOINT_ASYNC("POST", "/orders", CreateOrder) {', // 10
      '    ENDPOINT_ASYNC_INIT(CreateOrder)',
      '  };',
      '};',
    );
    assert.deepEqual(routesOf('src/controller/OrderController.hpp', text), [
      'GET /orders/{} → 5 getOrder',
      'POST /orders → 10 CreateOrder',
    ]);
  });

  it('reads Crow routes with methods, lambdas, handlers and blueprints', () => {
    const text = src(
      '#include "crow.h"',
      'crow::response list_orders(const crow::request& req);',
      'int main() {',
      '  crow::SimpleApp app;',
      '  crow::Blueprint admin("admin");',
      '  CROW_ROUTE(app, "/orders/<int>")', // 6
      '  ([](int id) { return crow::response(std::to_string(id)); });',
      '  CROW_ROUTE(app, "/orders").methods("POST"_method, crow::HTTPMethod::Put)([](const crow::request& req) {', // 8
      '    return crow::response(201);',
      '  });',
      '  CROW_ROUTE(app, "/orders/all")(list_orders);', // 11
      '  CROW_BP_ROUTE(admin, "/stats")([] { return "stats"; });', // 12
      '  app.register_blueprint(admin);',
      '  app.port(18080).run();',
      '}',
      'crow::response list_orders(const crow::request& req) {', // 16
      '  return crow::response(200);',
      '}',
    );
    assert.deepEqual(routesOf('src/main.cpp', text), [
      '* /admin/stats → 12',
      '* /orders/all → 16 list_orders',
      '* /orders/{} → 6',
      'POST /orders → 8',
      'PUT /orders → 8',
    ]);
  });

  it('reads Drogon method lists, paths under the namespace and class for METHOD_ADD', () => {
    const text = src(
      '#pragma once',
      '#include <drogon/HttpController.h>',
      'namespace api {',
      'namespace v1 {',
      'class Orders : public drogon::HttpController<Orders> {',
      '  public:',
      '    METHOD_LIST_BEGIN',
      '    METHOD_ADD(Orders::getOne, "/{id}", Get);', // 8
      '    ADD_METHOD_TO(Orders::create, "/api/orders", Post, "AuthFilter");', // 9
      '    METHOD_LIST_END',
      '    void getOne(const HttpRequestPtr &req, std::function<void(const HttpResponsePtr &)> &&callback, int id);',
      '    void create(const HttpRequestPtr &req, std::function<void(const HttpResponsePtr &)> &&callback);',
      '};',
      '}  // namespace v1',
      '}  // namespace api',
    );
    const defs = extractRoutes('controllers/api_v1_Orders.h', text);
    assert.deepEqual(routesOf('controllers/api_v1_Orders.h', text), [
      'GET /api/v1/Orders/{} → 8 Orders::getOne',
      'POST /api/orders → 9 Orders::create',
    ]);
    assert.deepEqual(defs.find((d) => d.method === 'POST')?.handlerRef, { name: 'create', owner: 'Orders' });
  });

  it('reads cpp-httplib servers and Pistache routes, not httplib clients', () => {
    const text = src(
      '#include <httplib.h>',
      'void serve() {',
      '  httplib::Server svr;',
      '  svr.Get("/hi", [](const httplib::Request &, httplib::Response &res) {', // 4
      '    res.set_content("Hello World!", "text/plain");',
      '  });',
      '  svr.Post(R"(/orders/(\\d+))", handle_order);', // 7
      '  httplib::Client cli("localhost", 8080);',
      '  auto res = cli.Get("/hi");',
      '  cli.Post("/orders", body, "application/json");',
      '  Routes::Get(router, "/users/:id", Routes::bind(&UserHandler::get, this));', // 11
      '}',
    );
    assert.deepEqual(routesOf('src/server.cpp', text), [
      'GET /hi → 4',
      'GET /users/{} → 11 UserHandler::get',
      'POST /orders/{} → 7 handle_order',
    ]);
  });
});
