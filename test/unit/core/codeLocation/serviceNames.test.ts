/**
 * Where a service's code lives, read from the files that name the service: compose files, manifests, Spring
 * and .NET settings, Dockerfiles and tracing setup code — and how that picks among same-named span starts.
 */
import * as assert from 'node:assert/strict';
import { explainSpan, locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { isUnder } from '../../../../src/core/codeLocation/serviceHomes';
import { extractServiceDeclarations, isServiceManifest } from '../../../../src/core/codeLocation/serviceNames';
import { memoryIndex, sdkSpan } from './spans';

const src = (...lines: string[]) => lines.join('\n') + '\n';

describe('service name declarations', () => {
  it('reads compose services: OTEL_SERVICE_NAME and the folder the image builds from, variables from .env', () => {
    const compose = src(
      'services:',
      '  cart:',
      '    build:',
      '      context: ./',
      '      dockerfile: ${CART_DOCKERFILE}',
      '    environment:',
      '      - OTEL_SERVICE_NAME=cart-service',
      '  checkout:',
      '    build: ./checkout',
      '    environment:',
      '      OTEL_SERVICE_NAME: "checkout"',
      '  jaeger:',
      '    image: jaegertracing/jaeger:2',
      '  web:',
      '    build:',
      '      context: ${WEB_CONTEXT:-./web}',
      '  worker:',
      '    build:',
      '      context: ${WORKER_CONTEXT}',
    );
    const index = memoryIndex({
      'deploy/docker-compose.yml': compose,
      'deploy/.env': src('# images and builds', 'CART_DOCKERFILE=./src/cart/Dockerfile', 'export OTHER="x"'),
    });
    assert.deepEqual(index.serviceRoots('cart-service'), ['deploy/src/cart']);
    assert.deepEqual(index.serviceRoots('cart'), ['deploy/src/cart']);
    assert.deepEqual(index.serviceRoots('checkout'), ['deploy/checkout']);
    assert.deepEqual(index.serviceRoots('web'), ['deploy/web'], 'a default in the variable');
    assert.deepEqual(index.serviceRoots('worker'), [], 'a variable nobody sets');
    assert.deepEqual(index.serviceRoots('jaeger'), [], 'an image, no build');
  });

  it('gives no service a folder that several share or that holds another service’s folder', () => {
    const compose = src(
      'services:',
      '  frontend:',
      '    build:',
      '      context: ./',
      '  ads:',
      '    build:',
      '      context: ./',
      '  payments:',
      '    build: ./payments',
      '  root:',
      '    build: .',
    );
    const index = memoryIndex({ 'docker-compose.yaml': compose });
    assert.deepEqual(index.serviceRoots('payments'), ['payments']);
    assert.deepEqual(index.serviceRoots('frontend'), []);
    assert.deepEqual(index.serviceRoots('root'), []);
  });

  it('reads manifests and settings, each naming the folder it sits in', () => {
    const at = (file: string, text: string) => extractServiceDeclarations(file, text).map((d) => `${d.name} @ ${d.root}`);
    assert.deepEqual(at('web/package.json', '{\n  "name": "@shop/web",\n  "private": true\n}\n'), ['web @ web']);
    assert.deepEqual(at('search/Cargo.toml', '[package]\nname = "search-api"\nversion = "0.1.0"\n'), ['search-api @ search']);
    assert.deepEqual(at('pay/go.mod', 'module github.com/shop/payments\n\ngo 1.22\n'), ['payments @ pay']);
    assert.deepEqual(at('pay2/go.mod', 'module github.com/shop/payments/v2\n'), ['payments @ pay2'], 'not "v2"');
    assert.deepEqual(at('ui/mix.exs', 'def project do\n  [app: :shop_ui, version: "0.1.0"]\nend\n'), ['shop_ui @ ui']);
    assert.deepEqual(at('ads/src/main/resources/application.yml', 'spring:\n  application:\n    name: ads\n'), ['ads @ ads']);
    assert.deepEqual(at('ads2/src/main/resources/application.properties', 'spring.application.name=ads-two\n'), [
      'ads-two @ ads2',
    ]);
    assert.deepEqual(at('Billing/appsettings.json', '{ "ServiceName": "billing-api" }'), ['billing-api @ Billing']);
    assert.deepEqual(at('email/Dockerfile', 'FROM ruby:3.3\nENV OTEL_SERVICE_NAME=email\n'), ['email @ email']);
    assert.deepEqual(at('Shop.Cart/Shop.Cart.csproj', '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>'), [
      'Shop.Cart @ Shop.Cart',
    ]);
    assert.equal(isServiceManifest('a/compose.override.yaml'), true);
    assert.equal(isServiceManifest('a/config.yaml'), false);
  });

  it('reads Spring settings by indentation, in time linear in the file', () => {
    const noName = src('spring:', ...Array.from({ length: 400 }, (_v, i) => `  key${i}:\n    value: ${i}`), 'other: 1');
    assert.deepEqual(extractServiceDeclarations('svc/src/main/resources/application.yml', noName), []);
    const nested = src(
      'server:',
      '  port: 8080',
      'spring:',
      '  datasource:',
      '    name: db',
      '  application:',
      '    name: "ads"',
    );
    assert.deepEqual(
      extractServiceDeclarations('ads/src/main/resources/application.yml', nested).map((d) => d.name),
      ['ads'],
    );
  });

  it('reads service names written into tracing setup code, for the project that holds the file', () => {
    const names = (text: string) => extractServiceDeclarations('svc/src/tracing.ts', text).map((d) => [d.name, d.root]);
    assert.deepEqual(names("const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'quote-api' });"), [
      ['quote-api', undefined],
    ]);
    assert.deepEqual(names("new NodeSDK({ serviceName: 'quote-api' });"), [['quote-api', undefined]]);
    assert.deepEqual(names("setupTracing('example-worker');"), [['example-worker', undefined]]);
    assert.deepEqual(names('resource = Resource.create({"service.name": "recommender"})'), [['recommender', undefined]]);
    assert.deepEqual(names('semconv.ServiceName("catalog")'), [['catalog', undefined]]);
    assert.deepEqual(names('builder.AddService(serviceName: "cart")'), [['cart', undefined]]);
    assert.deepEqual(names("c.service_name = 'email'"), [['email', undefined]]);
    assert.deepEqual(names('const name = "not-a-service";'), []);
    assert.deepEqual(names('const hotel = bookHotel("grand-budapest");'), [], 'otel inside a word is not OpenTelemetry');
    assert.deepEqual(extractServiceDeclarations('svc/src/tracing.test.ts', "setupTracing('fixture-svc');"), [], 'tests');
    assert.deepEqual(names("init_otel('ledger')"), [['ledger', undefined]]);
    // a tracer's name is its instrumentation scope, which many services share: not a service
    assert.deepEqual(names("const tracer = trace.getTracer('shared-lib');"), []);
    assert.deepEqual(names('tracer := otel.Tracer("shared-lib")'), []);
    assert.deepEqual(names('tracer = trace.get_tracer("shared-lib")'), []);
  });

  it('picks the span start in the declared service’s folder when several give the name', () => {
    const start = (service: string) =>
      src(
        'package shop;',
        '',
        'public class Worker {',
        '  public void run() {',
        '    Span span = tracer.spanBuilder("doWork").startSpan();', // 5
        '    span.end();',
        '  }',
        '}',
        `// ${service}`,
      );
    const index = memoryIndex({
      'examples/agent/docker-compose.yml': src(
        'services:',
        '  app:',
        '    build: ./',
        '    environment:',
        '      OTEL_SERVICE_NAME: "agent-example"',
      ),
      'examples/agent/src/main/java/shop/Worker.java': start('agent'),
      'examples/logging/src/main/java/shop/Worker.java': start('logging'),
      'examples/sdk/src/main/java/shop/Worker.java': start('sdk'),
    });
    const m = locateSpan(sdkSpan('doWork', 'internal', 'agent-example', 'java'), index)[0];
    assert.equal(`${m?.file}:${m?.line}`, 'examples/agent/src/main/java/shop/Worker.java:5');
    assert.match(m!.reason, /picked by service name "agent-example"/);
    assert.deepEqual(locateSpan(sdkSpan('doWork', 'internal', 'other-service', 'java'), index), [], 'nothing picks one');
  });

  it('takes a folder named exactly like the service, whatever its length', () => {
    const handler = src(
      'package main',
      '',
      'func serve(ctx context.Context) {',
      '\tctx, span := tracer.Start(ctx, "ad.fetch")',
      '}',
    );
    const index = memoryIndex({ 'src/ad/main.go': handler, 'src/cart/main.go': handler });
    const m = locateSpan(sdkSpan('ad.fetch', 'internal', 'ad', 'go'), index)[0];
    assert.equal(m?.file, 'src/ad/main.go');
  });

  describe('another service’s code', () => {
    const index = memoryIndex({
      'docker-compose.yml': src(
        'services:',
        '  cart:',
        '    build: ./src/cart',
        '    environment:',
        '      - OTEL_SERVICE_NAME=cart',
        '  accounting:',
        '    build: ./src/accounting',
        '    environment:',
        '      - OTEL_SERVICE_NAME=accounting',
      ),
      'src/cart/Program.cs': src('var app = builder.Build();', 'app.MapGet("/healthz", () => Results.Ok());', 'app.Run();'),
      'src/accounting/Program.cs': src('var app = builder.Build();', 'app.MapHealthChecks("/healthz");', 'app.Run();'),
      'src/cart/Worker.cs': src(
        'public class Worker',
        '{',
        '    public void Run() { using var a = Source.StartActivity("db.query"); }',
        '}',
      ),
      'libs/Telemetry/Db.cs': src(
        'public static class Db',
        '{',
        '    public static void Query() { using var a = Source.StartActivity("db.query.shared"); }',
        '}',
      ),
    });

    it('is never the answer for a span of this service, even where the name or route fits nothing else', () => {
      const health = sdkSpan('GET /healthz', 'server', 'accounting', 'dotnet', {
        'http.route': '/healthz',
        'http.request.method': 'GET',
      });
      const { matches, steps } = explainSpan(health, index);
      assert.deepEqual(matches, []);
      assert.match(steps.at(-1)!.detail, /none is in the code of service "accounting", only in other services' code/);
      assert.deepEqual(locateSpan(sdkSpan('db.query', 'internal', 'accounting', 'dotnet'), index), []);
      assert.equal(locateSpan(sdkSpan('db.query', 'internal', 'cart', 'dotnet'), index)[0]?.file, 'src/cart/Worker.cs');
    });

    it('leaves code that belongs to no service (a shared library) to any service', () => {
      assert.equal(
        locateSpan(sdkSpan('db.query.shared', 'internal', 'accounting', 'dotnet'), index)[0]?.file,
        'libs/Telemetry/Db.cs',
      );
    });
  });

  it('tells whether a file is inside one of a few or of many folders, by whole folder names', () => {
    for (const count of [2, 40]) {
      const folders = Array.from({ length: count }, (_, i) => `services/svc${i}`);
      assert.ok(isUnder('services/svc1/src/a.ts', folders), `${count} folders`);
      assert.ok(!isUnder('services/svc10x/src/a.ts', folders.slice(0, 2)), `${count} folders: a longer name`);
      assert.ok(!isUnder('services/svc1', folders), `${count} folders: the folder itself is no file in it`);
      assert.ok(!isUnder('other/svc1/a.ts', folders), `${count} folders: same name elsewhere`);
      assert.ok(isUnder('anything.ts', [...folders, '']), `${count} folders and the root`);
    }
  });
});
