/**
 * Where a service's code lives, read from the files that name the service: compose files, manifests, Spring
 * and .NET settings, Dockerfiles and tracing setup code — and how that picks among same-named span starts.
 */
import * as assert from 'node:assert/strict';
import { locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { extractServiceDeclarations, isServiceManifest } from '../../../../src/core/codeLocation/serviceNames';
import { memoryIndex, sdkSpan } from './spans';

const src = (...lines: string[]) => lines.join('\n') + '\n';

describe('service name declarations', () => {
  it('reads compose services: OTEL_SERVICE_NAME and the folder the image builds from', () => {
    const compose = src(
      'services:',
      '  cart:',
      '    build:',
      '      context: ./',
      '      dockerfile: ./src/cart/Dockerfile',
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
      '      context: ${WEB_CONTEXT}',
    );
    assert.deepEqual(
      extractServiceDeclarations('deploy/docker-compose.yml', compose).map((d) => [d.name, d.root]),
      [
        ['cart-service', 'deploy/src/cart'],
        ['cart', 'deploy/src/cart'],
        ['checkout', 'deploy/checkout'],
        ['checkout', 'deploy/checkout'],
      ],
    );
  });

  it('reads manifests and settings, each naming the folder it sits in', () => {
    const at = (file: string, text: string) => extractServiceDeclarations(file, text).map((d) => `${d.name} @ ${d.root}`);
    assert.deepEqual(at('web/package.json', '{\n  "name": "@shop/web",\n  "private": true\n}\n'), ['web @ web']);
    assert.deepEqual(at('search/Cargo.toml', '[package]\nname = "search-api"\nversion = "0.1.0"\n'), ['search-api @ search']);
    assert.deepEqual(at('pay/go.mod', 'module github.com/shop/payments\n\ngo 1.22\n'), ['payments @ pay']);
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
});
