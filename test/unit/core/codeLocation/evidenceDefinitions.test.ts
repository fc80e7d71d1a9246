// Evidence that needs the workspace's definitions: frames without a path (release builds), PHP trait frames,
// compiled JavaScript, look-alike container paths, and class names without a file. The workspace is the real
// WorkspaceIndex over hand-written sources of an imagined "shop".
import * as assert from 'node:assert/strict';
import { locateFromEvidence, type CodeMatch } from '../../../../src/core/codeLocation/evidence';
import { WorkspaceIndex } from '../../../../src/core/codeLocation/workspaceIndex';
import type { Span } from '../../../../src/core/model/types';
import { attrs, exceptionEvent, span } from './spans';

const SOURCES: Record<string, string> = {
  'services/api-rs/src/orders/mod.rs': [
    'use std::str::FromStr;',
    'pub mod handlers;',
    'pub struct OrderId(u64);',
    'impl FromStr for OrderId {',
    '    type Err = String;',
    '    fn from_str(s: &str) -> Result<Self, Self::Err> {',
    '        Ok(OrderId(s.parse().unwrap()))',
    '    }',
    '}',
  ].join('\n'),
  'services/api-rs/src/orders/handlers.rs': [
    'pub async fn get_order(id: String) -> String {',
    '    let id: super::OrderId = id.parse().unwrap();',
    '    format!("{}", id.0)',
    '}',
  ].join('\n'),
  'services/inventory-cpp/src/stock_service.cpp': [
    '#include "stock_service.hpp"',
    'namespace inventory {',
    'int StockService::reserve(const std::string& sku, int qty) {',
    '  if (qty <= 0) throw std::invalid_argument("qty");',
    '  return db_->reserve(sku, qty);',
    '}',
    '}  // namespace inventory',
  ].join('\n'),
  'services/api-rs/src/inventory.rs': [
    'pub struct StockService;',
    'impl StockService {',
    '    pub fn reserve(&self, sku: &str, qty: i32) -> i32 {',
    '        qty',
    '    }',
    '}',
  ].join('\n'),
  'services/reviews-php/app/Models/User.php': [
    '<?php',
    'namespace App\\Models;',
    'use App\\Social\\Follow\\Followable;',
    'class User extends Model',
    '{',
    '    use Followable;',
    '}',
  ].join('\n'),
  'services/reviews-php/app/Social/Follow/Followable.php': [
    '<?php',
    'namespace App\\Social\\Follow;',
    'trait Followable',
    '{',
    '    public function follow(User $user)',
    '    {',
    '        return $this->following()->attach($user);',
    '    }',
    '}',
  ].join('\n'),
  'services/reviews-php/app/Http/Kernel.php': [
    '<?php',
    'namespace App\\Http;',
    'class Kernel extends HttpKernel',
    '{',
    '    protected $middleware = [];',
    '}',
  ].join('\n'),
  'services/web-ts/src/orders/orders.service.ts': [
    "import { Injectable } from '@nestjs/common';",
    '',
    '@Injectable()',
    'export class OrdersService {',
    '  async cancel(id: string): Promise<void> {',
    '    const order = await this.repo.findOne(id);',
    '    order.cancel();',
    '  }',
    '}',
  ].join('\n'),
  'services/cart-node/src/server.ts': ["app.get('/cart', async (req, res) => {", '  res.json(await cart());', '});'].join('\n'),
  'services/search-node/src/server.ts': [
    'export async function startSearch(q: string) {',
    '  return index.query(q);',
    '}',
    "app.get('/search', async (req, res) => {",
    "  throw new Error('index offline');",
    '});',
  ].join('\n'),
  'services/storefront-next/src/pages/api/checkout.ts': [
    "import type { NextApiRequest, NextApiResponse } from 'next';",
    '',
    'export default async function handler(req: NextApiRequest, res: NextApiResponse) {',
    '  res.json({ total: req.body.items.length });',
    '}',
  ].join('\n'),
  'services/cart-java/src/main/java/com/acme/common/Money.java': [
    'package com.acme.common;',
    'public record Money(long cents) {',
    '    public Money add(Money o) { return new Money(Math.addExact(cents, o.cents)); }',
    '}',
  ].join('\n'),
  'services/billing-java/src/main/java/com/acme/common/Money.java': [
    'package com.acme.common;',
    'public record Money(long cents) {',
    '    public Money add(Money o) {',
    '        return new Money(Math.addExact(cents, o.cents));',
    '    }',
    '}',
  ].join('\n'),
  'services/catalog-java/src/main/java/com/acme/catalog/CatalogService.java': [
    'package com.acme.catalog;',
    '',
    'public class CatalogService {',
    '    public Item find(String sku) {',
    '        return repo.find(sku);',
    '    }',
    '}',
  ].join('\n'),
};

function index(): WorkspaceIndex {
  const files = Object.keys(SOURCES);
  const ix = new WorkspaceIndex({ folders: [{ name: 'shop', root: '/home/dev/shop' }], files });
  for (const f of files) ix.indexText(f, SOURCES[f]!);
  return ix;
}

function from(service: string, sdk: string, s: Span): Span {
  return { ...s, service, resource: attrs({ 'service.name': service, 'telemetry.sdk.language': sdk }) };
}

function at(m: CodeMatch | undefined): string | undefined {
  return m && `${m.file}:${m.line ?? '-'}`;
}

describe('locateFromEvidence with the workspace definitions', () => {
  const ix = index();
  const locate = (s: Span): CodeMatch[] => locateFromEvidence(s, ix.mapper, undefined, ix);

  it('places a release-build Rust frame without a location at its function’s definition', () => {
    const text = [
      "thread 'tokio-runtime-worker' panicked at library/core/src/result.rs:1653:5:",
      'called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }',
      '   0: rust_begin_unwind',
      '   1: core::result::unwrap_failed',
      '   2: <shop_api::orders::OrderId as core::str::traits::FromStr>::from_str',
      '   3: shop_api::orders::handlers::get_order::{{closure}}',
      '   4: tokio::runtime::task::core::Core<T,S>::poll',
    ].join('\n');
    const matches = locate(from('api', 'rust', span({}, [exceptionEvent(text, 'panic')])));
    assert.deepEqual(matches.map(at), ['services/api-rs/src/orders/mod.rs:6', 'services/api-rs/src/orders/handlers.rs:1']);
    assert.match(matches[0]!.reason, /no location in the frame; the definition of orders::OrderId::from_str/);
    assert.ok(matches[0]!.confidence < 0.7, 'a definition is weaker evidence than a recorded line');
    // without the definitions nothing places such frames
    assert.deepEqual(locateFromEvidence(from('api', 'rust', span({}, [exceptionEvent(text, 'panic')])), ix.mapper), []);
  });

  it('tells a C++ symbol from a Rust one of the same name by the SDK language', () => {
    const glibc = [
      './inventory(_ZN9inventory12StockService7reserveERKSsi+0x4c) [0x55d0c1a2b3c4]',
      './inventory(main+0x21) [0x55d0c1a2a021]',
      '/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0xf3) [0x7f3a9c229e3f]',
    ].join('\n');
    const [cpp] = locate(from('inventory', 'cpp', span({}, [exceptionEvent(glibc)])));
    assert.equal(at(cpp), 'services/inventory-cpp/src/stock_service.cpp:3');
    const rust = '   0: rust_begin_unwind\n   1: shop_api::inventory::StockService::reserve\n   2: shop_api::main';
    const [rs] = locate(from('api', 'rust', span({}, [exceptionEvent(rust, 'panic')])));
    assert.equal(at(rs), 'services/api-rs/src/inventory.rs:3');
    // a name defined in both, from a span that says neither: no answer
    const both = '   0: rust_begin_unwind\n   1: StockService::reserve\n';
    assert.deepEqual(locate({ ...span({}, [exceptionEvent(both, 'panic')]), service: 'shop' }), []);
  });

  it('finds a PHP trait method by the file the frame names, and not a look-alike class of another namespace', () => {
    const text = [
      "Illuminate.Database.QueryException: SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry '3-7'",
      '\tat Illuminate.Database.Connection.runQueryCallback(Connection.php:742)',
      '\tat Illuminate.Database.Eloquent.Relations.BelongsToMany.attach(InteractsWithPivotTable.php:215)',
      '\tat App.Models.User.follow(Followable.php:7)',
      '\tat Illuminate.Foundation.Http.Kernel.handle(Kernel.php:145)',
      '\tat {main}(index.php:51)',
    ].join('\n');
    const matches = locate(from('reviews', 'php', span({}, [exceptionEvent(text, 'QueryException')])));
    assert.deepEqual(matches.map(at), ['services/reviews-php/app/Social/Follow/Followable.php:7']);
    assert.match(matches[0]!.reason, /Followable\.php defines follow \(App\.Models\.User uses it from there\)/);
  });

  it('finds the TypeScript source of compiled dist/*.js that is not in the workspace, at the function’s definition', () => {
    const text = [
      "TypeError: Cannot read properties of null (reading 'cancel')",
      '    at OrdersService.cancel (/usr/src/app/dist/orders/orders.service.js:31:19)',
      '    at async OrdersController.cancel (/usr/src/app/dist/orders/orders.controller.js:22:9)',
      '    at async /usr/src/app/node_modules/@nestjs/core/router/router-execution-context.js:46:28',
    ].join('\n');
    const [m] = locate(from('web', 'nodejs', span({}, [exceptionEvent(text, 'TypeError')])));
    assert.equal(at(m), 'services/web-ts/src/orders/orders.service.ts:5');
    assert.match(m!.reason, /compiled output; source src\/orders\/orders\.service\.ts/);
    assert.equal(m!.column, undefined, 'the compiled column is not the source’s either');
    // without definitions: the file, and no line
    const [bare] = locateFromEvidence(from('web', 'nodejs', span({}, [exceptionEvent(text, 'TypeError')])), ix.mapper);
    assert.equal(at(bare), 'services/web-ts/src/orders/orders.service.ts:-');
  });

  it('finds the page of a Next.js server build without source maps', () => {
    const text = [
      "TypeError: Cannot read properties of undefined (reading 'items')",
      '    at handler (/app/.next/server/pages/api/checkout.js:1:2203)',
      '    at async apiResolver (/app/node_modules/next/dist/server/api-utils/node.js:372:9)',
    ].join('\n');
    const [m] = locate(from('storefront', 'nodejs', span({}, [exceptionEvent(text, 'TypeError')])));
    assert.equal(at(m), 'services/storefront-next/src/pages/api/checkout.ts:3');
  });

  describe('a recorded path that fits several services', () => {
    it('is placed by the service name, and keeps its recorded line', () => {
      const text =
        'Error: index offline\n    at /usr/src/app/src/server.ts:5:9\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)';
      const [m] = locate(from('shop-search', 'nodejs', span({}, [exceptionEvent(text)])));
      assert.equal(at(m), 'services/search-node/src/server.ts:5');
      assert.match(m!.reason, /one of 2 files ending in "src\/server\.ts"; picked by service name "shop-search"/);
    });

    it('is placed by the function it defines, and keeps its recorded line', () => {
      const s = span({ 'code.filepath': '/usr/src/app/src/server.ts', 'code.lineno': 2, 'code.function': 'startSearch' });
      const [m] = locate({ ...s, service: 'shop' });
      assert.equal(at(m), 'services/search-node/src/server.ts:2');
      assert.match(m!.reason, /picked by it defines startSearch/);
    });

    it('places a JVM frame whose class two services share by the service name', () => {
      const text = [
        'java.lang.ArithmeticException: long overflow',
        '\tat java.base/java.lang.Math.addExact(Math.java:903)',
        '\tat com.acme.common.Money.add(Money.java:4)',
      ].join('\n');
      const [m] = locate(from('billing', 'java', span({}, [exceptionEvent(text, 'ArithmeticException')])));
      assert.equal(at(m), 'services/billing-java/src/main/java/com/acme/common/Money.java:4');
      assert.deepEqual(locate(from('shop', 'java', span({}, [exceptionEvent(text, 'ArithmeticException')]))), []);
    });

    it('gives no answer when nothing tells the services apart', () => {
      const s = span({ 'code.filepath': '/usr/src/app/src/server.ts', 'code.lineno': 2 });
      assert.deepEqual(locate({ ...s, service: 'shop' }), []);
    });
  });

  describe('a class named without a file', () => {
    it('answers the member’s definition when the class defines it', () => {
      const [m] = locate(span({ 'code.function.name': 'com.acme.catalog.CatalogService.find' }));
      assert.equal(at(m), 'services/catalog-java/src/main/java/com/acme/catalog/CatalogService.java:4');
    });

    it('answers nothing for a member the class does not define', () => {
      assert.deepEqual(locate(span({ 'code.function.name': 'com.acme.catalog.CatalogService.archive' })), []);
    });

    it('keeps a recorded line over the definition’s', () => {
      const [m] = locate(
        span({ 'code.namespace': 'com.acme.catalog.CatalogService', 'code.function': 'find', 'code.lineno': 5 }),
      );
      assert.equal(at(m), 'services/catalog-java/src/main/java/com/acme/catalog/CatalogService.java:5');
    });
  });
});
