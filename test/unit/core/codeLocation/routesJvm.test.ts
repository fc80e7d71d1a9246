/**
 * JAX-RS, Micronaut and Ktor routes. Every snippet is HAND-WRITTEN in the style of the Jakarta REST, Micronaut
 * and Ktor guides, with traps: REST clients declared with the same annotations, `@PathParam`, Ktor's HTTP client.
 */
import * as assert from 'node:assert/strict';
import { RouteIndex } from '../../../../src/core/codeLocation/routes';
import { mountsOf, routesOf, src } from './routeSnippets';

describe('JAX-RS routes', () => {
  it('joins class and method @Path, one route per verb annotation, landing on the method', () => {
    const text = src(
      'package com.shop.orders;',
      'import jakarta.ws.rs.*;',
      'import jakarta.ws.rs.core.MediaType;',
      '',
      '@Path("/orders")',
      '@Produces(MediaType.APPLICATION_JSON)',
      'public class OrderResource {',
      '    @GET',
      '    public List<Order> list() { return repo.all(); }', // 9
      '',
      '    @GET',
      '    @Path("{id}")',
      '    public Order get(@PathParam("id") long id) {', // 13
      '        return repo.find(id);',
      '    }',
      '',
      '    @Path("{id}/items")',
      '    public ItemResource items(@PathParam("id") long id) { return new ItemResource(id); }',
      '',
      '    @DELETE @Path("{id}") public void delete(@PathParam("id") long id) {}', // 20
      '}',
    );
    assert.deepEqual(routesOf('orders/src/main/java/com/shop/orders/OrderResource.java', text), [
      'DELETE /orders/{} → 20 OrderResource.delete (partial)',
      'GET /orders → 9 OrderResource.list (partial)',
      'GET /orders/{} → 13 OrderResource.get (partial)',
    ]);
  });

  it('serves resources under the @ApplicationPath of their module', () => {
    const app = src(
      'import javax.ws.rs.ApplicationPath;',
      '@ApplicationPath("/api")',
      'public class ShopApplication extends Application {}',
    );
    const resource = src(
      'import javax.ws.rs.*;',
      '@Path("/orders")',
      'public class Orders {',
      '  @GET @Path("/{id}")',
      '  public Order get(@PathParam("id") String id) { return null; }',
      '}',
    );
    const index = new RouteIndex();
    index.addFile('shop/src/main/java/ShopApplication.java', app);
    index.addFile('shop/src/main/java/Orders.java', resource);
    const [hit] = index.match('GET', '/api/orders/{id}');
    assert.equal(hit?.line, 5);
    assert.equal(hit?.partial, undefined);
  });

  it('skips MicroProfile REST client interfaces', () => {
    const text = src(
      'import jakarta.ws.rs.*;',
      '@RegisterRestClient(configKey = "orders")',
      '@Path("/orders")',
      'public interface OrdersClient {',
      '    @GET @Path("/{id}") Order get(@PathParam("id") long id);',
      '}',
    );
    assert.deepEqual(routesOf('src/main/java/OrdersClient.java', text), []);
  });
});

describe('Micronaut routes', () => {
  it('joins @Controller with the verb annotations, in Java and Kotlin', () => {
    const java = src(
      'import io.micronaut.http.annotation.*;',
      '@Controller("/orders")',
      'public class OrderController {',
      '    @Get("/{id}")',
      '    public Order show(Long id) { return null; }', // 5
      '    @Post',
      '    public HttpResponse<Order> save(@Body Order o) { return null; }', // 7
      '}',
    );
    assert.deepEqual(routesOf('src/main/java/OrderController.java', java), [
      'GET /orders/{} → 5 OrderController.show',
      'POST /orders → 7 OrderController.save',
    ]);
    const kotlin = src(
      'import io.micronaut.http.annotation.Controller',
      'import io.micronaut.http.annotation.Get',
      '@Controller("/carts")',
      'class CartController(private val carts: CartService) {',
      '    @Get(uris = ["/{id}", "/by-id/{id}"])',
      '    fun show(id: String): Cart = carts.find(id)', // 6
      '}',
    );
    assert.deepEqual(routesOf('src/main/kotlin/CartController.kt', kotlin), [
      'GET /carts/by-id/{} → 6 CartController.show',
      'GET /carts/{} → 6 CartController.show',
    ]);
  });

  it('skips declarative HTTP clients', () => {
    const text = src(
      'import io.micronaut.http.client.annotation.Client;',
      '@Client("/orders")',
      'interface OrderClient {',
      '  @Get("/{id}") Order show(Long id);',
      '}',
    );
    assert.deepEqual(routesOf('src/main/java/OrderClient.java', text), []);
  });
});

describe('Ktor routes', () => {
  it('reads routing blocks, nested routes and route extension functions, not the HTTP client', () => {
    const text = src(
      'fun Application.module() {',
      '    routing {',
      '        get("/") { call.respondText("ok") }', // 3
      '        route("/api") {',
      '            get("/orders/{id}") {', // 5
      '                call.respond(orders.find(call.parameters["id"]!!))',
      '            }',
      '            route("/carts", HttpMethod.Put) {', // 8
      '                handle { call.respond(HttpStatusCode.NoContent) }',
      '            }',
      '            cartRoutes()', // 11
      '        }',
      '    }',
      '}',
      'suspend fun fetch() {',
      '    val response = client.get("https://example.com/orders") { header("X", "1") }',
      '}',
      'fun Route.cartRoutes() {',
      '    post("/carts") { call.respond(HttpStatusCode.Created) }', // 19
      '}',
    );
    assert.deepEqual(routesOf('src/main/kotlin/Routing.kt', text), [
      'GET / → 3',
      'GET /api/orders/{} → 5',
      'POST /carts → 19 (partial)',
      'PUT /api/carts → 8',
    ]);
    assert.deepEqual(mountsOf('src/main/kotlin/Routing.kt', text), ['ktor:cartRoutes ← /api:11']);
    const index = new RouteIndex();
    index.addFile('src/main/kotlin/Routing.kt', text);
    assert.equal(index.match('POST', '/api/carts')[0]?.line, 19);
  });
});
