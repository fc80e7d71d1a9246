/**
 * Rust routes: axum, actix-web, rocket, warp. Every snippet is HAND-WRITTEN in the style of each crate's
 * documentation and examples, with the traps Rust sources have: lifetimes, raw strings, nested comments,
 * reqwest calls, routers built in one module and nested in another.
 */
import * as assert from 'node:assert/strict';
import { extractRoutes, normalizeRoute, RouteIndex } from '../../../../src/core/codeLocation/routes';
import { mountsOf, routesOf, src } from './routeSnippets';

describe('Rust route templates', () => {
  it('spells axum, actix and rocket placeholders like every other framework', () => {
    for (const r of ['/files/:id', '/files/{id}', '/files/<id>', '/files/{id:\\d+}'])
      assert.equal(normalizeRoute(r), '/files/{}', r);
    for (const r of ['/static/*rest', '/static/{*rest}', '/static/<path..>', '/static/{tail}*'])
      assert.equal(normalizeRoute(r), '/static/{}', r);
  });
});

describe('axum routes', () => {
  it('reads method routers, handlers in this file and in sibling modules, and nests', () => {
    const text = src(
      'use axum::{routing::{get, post}, Router};',
      "// lifetimes and chars must not derail the scan: 'a, '{'",
      "fn pick<'a>(x: &'a str) -> char { if x.is_empty() { '{' } else { '}' } }",
      '',
      'pub fn app() {',
      '    let api = Router::new()',
      '        .route("/orders", get(list_orders).post(create_order))', // 7
      '        .route("/orders/:id", get(handlers::show_order).delete(|| async { "gone" }))', // 8
      '        /* .route("/old", get(old)) /* nested */ still a comment */',
      '        .route(r#"/raw/"quoted""#, get(raw));', // 10
      '    let app = Router::new().nest("/api", api).route("/health", get(|| async { "ok" }));', // 11
      '    let client = reqwest::Client::new();',
      '    client.get("https://example.com/orders").send();',
      '}',
      '',
      'async fn list_orders() -> String { String::new() }', // 16
      'async fn create_order() {}', // 17
      'async fn raw() {}', // 18
    );
    assert.deepEqual(routesOf('orders-svc/src/main.rs', text), [
      'DELETE /api/orders/{} → 8',
      'GET /api/orders → 16 list_orders',
      'GET /api/orders/{} → 8 handlers::show_order',
      'GET /api/raw/"quoted" → 18 raw',
      'GET /health → 11',
      'POST /api/orders → 17 create_order',
    ]);
    const show = extractRoutes('orders-svc/src/main.rs', text).find((d) => d.handler === 'handlers::show_order');
    assert.deepEqual(show?.target, {
      files: ['orders-svc/src/handlers.rs', 'orders-svc/src/handlers/mod.rs'],
      symbol: 'show_order',
    });
  });

  it('composes a router function with the nest that mounts it from another file', () => {
    const orders = src(
      'use axum::{routing::get, Router};',
      'pub fn router() -> Router<AppState> {',
      '    Router::new().route("/:id", get(get_order))', // 3
      '}',
      'async fn get_order(Path(id): Path<u64>) -> Json<Order> {', // 5
      '    todo!()',
      '}',
    );
    const main = src(
      'mod orders;',
      'fn api() -> Router<AppState> {',
      '    Router::new().nest("/orders", orders::router())',
      '}',
      '#[tokio::main]',
      'async fn main() {',
      '    let app = Router::new().nest("/api/v1", api());',
      '    axum::serve(listener, app).await.unwrap();',
      '}',
    );
    assert.deepEqual(routesOf('shop/src/orders.rs', orders), ['GET /{} → 5 get_order (partial)']);
    assert.deepEqual(mountsOf('shop/src/main.rs', main), [
      'rust:shop:crate::api ← /api/v1:7',
      'rust:shop:orders::router ← /orders (in rust:shop:crate::api):3',
    ]);
    const index = new RouteIndex();
    index.addFile('shop/src/orders.rs', orders);
    index.addFile('shop/src/main.rs', main);
    const [hit] = index.match('GET', '/api/v1/orders/{id}');
    assert.equal(`${hit?.file}:${hit?.line}`, 'shop/src/orders.rs:5');
    assert.equal(hit?.partial, undefined);
  });
});

describe('actix-web routes', () => {
  it('reads scopes, resources and App routes, with handlers in modules', () => {
    const text = src(
      'use actix_web::{web, App, HttpServer};',
      'mod orders;',
      'pub fn routes(cfg: &mut web::ServiceConfig) {',
      '    cfg.service(',
      '        web::scope("/api")',
      '            .service(web::resource("orders/{id}")', // 6
      '                .route(web::get().to(orders::get))',
      '                .route(web::delete().to(orders::remove)))',
      '            .route("/ping", web::get().to(|| async { "pong" }))', // 9
      '    );',
      '}',
      '#[actix_web::main]',
      'async fn main() -> std::io::Result<()> {',
      '    HttpServer::new(|| App::new().configure(routes).route("/", web::get().to(index)))', // 14
      '        .bind(("0.0.0.0", 8080))?.run().await',
      '}',
      'async fn index() -> &\'static str { "hi" }', // 17
    );
    assert.deepEqual(routesOf('svc/src/main.rs', text), [
      'DELETE /api/orders/{} → 6 orders::remove (partial)',
      'GET / → 17 index',
      'GET /api/orders/{} → 6 orders::get (partial)',
      'GET /api/ping → 9 (partial)',
    ]);
    assert.deepEqual(mountsOf('svc/src/main.rs', text), ['rust:svc:crate::routes ← /:14']);
  });

  it('reads attribute routes and the scope that registers them', () => {
    const handlers = src(
      'use actix_web::{get, post, route, HttpResponse};',
      '#[get("/orders/{id}")]',
      'async fn get_order(path: web::Path<u32>) -> HttpResponse {', // 3
      '    HttpResponse::Ok().finish()',
      '}',
      '#[route("/orders", method = "POST", method = "PUT")]',
      '#[tracing::instrument]',
      'pub async fn save_order() -> HttpResponse {', // 8
      '    HttpResponse::Created().finish()',
      '}',
    );
    const main = src(
      'use actix_web::{web, App};',
      'fn app() -> App<()> {',
      '    App::new().service(web::scope("/v2").service(handlers::get_order).service((save_order, other)))',
      '}',
    );
    assert.deepEqual(routesOf('svc/src/handlers.rs', handlers), [
      'GET /orders/{} → 3 get_order (partial)',
      'POST /orders → 8 save_order (partial)',
      'PUT /orders → 8 save_order (partial)',
    ]);
    const index = new RouteIndex();
    index.addFile('svc/src/handlers.rs', handlers);
    index.addFile('svc/src/app.rs', main);
    assert.deepEqual(
      index.match('GET', '/v2/orders/{id}').map((d) => `${d.file}:${d.line}${d.partial ? ' partial' : ''}`),
      ['svc/src/handlers.rs:3'],
    );
  });
});

describe('rocket and warp routes', () => {
  it('reads rocket routes mounted with routes![]', () => {
    const text = src(
      '#[macro_use] extern crate rocket;',
      '#[get("/hello/<name>?<lang>")]',
      'fn hello(name: &str, lang: Option<&str>) -> String {', // 3
      '    format!("hi {}", name)',
      '}',
      '#[post("/files/<path..>", data = "<body>")]',
      "async fn upload(path: PathBuf, body: Data<'_>) {}", // 7
      '#[launch]',
      'fn rocket() -> _ {',
      '    rocket::build().mount("/api", routes![hello, upload])',
      '}',
    );
    assert.deepEqual(routesOf('app/src/main.rs', text), [
      'GET /hello/{} → 3 hello (partial)',
      'POST /files/{} → 7 upload (partial)',
    ]);
    const index = new RouteIndex();
    index.addFile('app/src/main.rs', text);
    assert.equal(index.match('GET', '/api/hello/<name>')[0]?.line, 3);
  });

  it('reads warp path! filters with their method and handler', () => {
    const text = src(
      'use warp::Filter;',
      'pub fn orders() -> impl Filter<Extract = impl warp::Reply, Error = warp::Rejection> + Clone {',
      '    let get = warp::path!("orders" / u64).and(warp::get()).and_then(handlers::get_order);', // 3
      '    let hello = warp::path!("hello" / String).map(|name| format!("Hello, {}!", name));', // 4
      '    get.or(hello)',
      '}',
    );
    assert.deepEqual(routesOf('svc/src/filters.rs', text), [
      '* /hello/{} → 4 (partial)',
      'GET /orders/{} → 3 handlers::get_order (partial)',
    ]);
  });
});
