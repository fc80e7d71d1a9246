/**
 * Which registration answers a server span when several could: the same route served by services in other
 * languages, by other services of the same language, a concrete request path in the span name, and spans
 * whose code attributes say a library made them. Sources are hand-written in each framework's usual style.
 */
import * as assert from 'node:assert/strict';
import { explainSpan, locateSpan } from '../../../../src/core/codeLocation/locateSpan';
import { memoryIndex, sdkSpan } from './spans';

const src = (...lines: string[]) => lines.join('\n') + '\n';

const FILES = {
  // the same route, four times
  'billing/routes/api.php': src('<?php', "Route::get('invoices/{invoice}', 'InvoiceController@show');"),
  'billing/app/Http/Controllers/InvoiceController.php': src(
    '<?php',
    'class InvoiceController extends Controller',
    '{',
    '    public function show($invoice)', // 4
    '    {',
    '    }',
    '}',
  ),
  'ledger/src/server.ts': src(
    "import express from 'express';",
    "import { showInvoice } from './invoices';",
    'const app = express();',
    "app.get('/api/invoices/:invoice', showInvoice);",
  ),
  'ledger/src/invoices.ts': src('export async function showInvoice(req, res) {', '  res.json({});', '}'),
  // a router mounted elsewhere in a second Node service: a tail of the path
  'portal/src/invoices.js': src(
    "const router = require('express').Router();",
    "router.get('/invoices/:invoice', (req, res) => res.json({}));", // 2
    'module.exports = router;',
  ),
  'ratings/main.go': src(
    'package main',
    '',
    'import "github.com/go-chi/chi/v5"',
    '',
    'func main() {',
    '\tr := chi.NewRouter()',
    '\tr.Get("/api/ratings/{id:\\\\d+}", func(w http.ResponseWriter, r *http.Request) {', // 7
    '\t})',
    '\tr.Put("/api/ratings/{id:\\\\d+}", updateRating)',
    '\tr.Get("/api/ratings/top", topRatings)',
    '}',
    'func updateRating(w http.ResponseWriter, r *http.Request) {}', // 12
    'func topRatings(w http.ResponseWriter, r *http.Request) {}', // 13
  ),
  'ledger/package.json': src('{', '  "name": "@acme/ledger",', '  "version": "1.0.0"', '}'),
  'portal/package.json': src('{', '  "name": "portal-web"', '}'),
};

describe('choosing among route registrations', () => {
  const index = memoryIndex(FILES);
  const route = (service: string, language: string) =>
    sdkSpan('GET /api/invoices/{invoice}', 'server', service, language, {
      'http.route': '/api/invoices/{invoice}',
      'http.request.method': 'GET',
    });

  it('takes the span’s language first, then resolves the named handler', () => {
    const php = locateSpan(route('billing', 'php'), index)[0];
    assert.equal(`${php?.file}:${php?.line}`, 'billing/app/Http/Controllers/InvoiceController.php:4');
    const node = locateSpan(route('ledger', 'nodejs'), index)[0];
    assert.equal(`${node?.file}:${node?.line}`, 'ledger/src/invoices.ts:1');
    assert.match(node!.reason, /its handler showInvoice is defined at ledger\/src\/invoices\.ts:1/);
  });

  it('lets the service decide before how well the template fits', () => {
    // portal only has a tail of the route, ledger has it whole: the span came from portal
    const m = locateSpan(route('portal-web', 'nodejs'), index)[0];
    assert.equal(`${m?.file}:${m?.line}`, 'portal/src/invoices.js:2');
    assert.match(m!.reason, /service name "portal-web"/);
  });

  it('says nothing when the language of the span has no such route', () => {
    const { matches, steps } = explainSpan(route('billing', 'ruby'), index);
    assert.deepEqual(matches, []);
    assert.match(steps.at(-1)!.detail, /none is ruby code, the language of the span's SDK/);
  });

  it('matches a concrete path in a "<METHOD> <path>" span name against the templates, by method', () => {
    const at = (name: string) => {
      const m = locateSpan(sdkSpan(name, 'server', 'ratings', 'go', { 'http.response.status_code': 200 }), index)[0];
      return m ? `${m.file}:${m.line}` : 'nothing';
    };
    assert.equal(at('GET /api/ratings/17'), 'ratings/main.go:7', 'the inline GET handler: its registration');
    assert.equal(at('PUT /api/ratings/17'), 'ratings/main.go:12');
    assert.equal(at('GET /api/ratings/top'), 'ratings/main.go:13', 'a literal segment fits better than a placeholder');
    assert.equal(at('DELETE /api/ratings/17'), 'nothing');
  });

  it('does not route a server span that carries only a request path (it was not routed)', () => {
    const span = sdkSpan('GET', 'server', 'ratings', 'go', { 'url.path': '/api/ratings/17', 'http.response.status_code': 404 });
    assert.deepEqual(locateSpan(span, index), []);
  });

  it('maps nothing by name or route when the span’s code attributes say a library made it', () => {
    const span = sdkSpan('Kernel::handle', 'server', 'billing', 'php', {
      'code.filepath': '/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Http/Kernel.php',
      'code.lineno': 111,
      'http.route': 'api/invoices/{invoice}',
      'http.request.method': 'GET',
    });
    const { matches, steps } = explainSpan(span, index);
    assert.deepEqual(matches, []);
    assert.equal(steps.at(-1)!.outcome, 'skipped');
    assert.match(steps.at(-1)!.detail, /library code made this span/);
  });
});

describe('routers mounted under a prefix the code does not say', () => {
  const router = (verb: string) =>
    src(
      "const router = require('express').Router();",
      `router.${verb}('/:id', (req, res) => res.json({}));`,
      'module.exports = router;',
    );
  const index = memoryIndex({
    'src/routes/invoices.js': router('get'),
    'src/routes/jobs.js': router('get'),
    'src/routes/requests.js': router('post'),
  });
  const span = (route: string, path: string) =>
    sdkSpan(`GET ${route}`, 'server', 'api', 'nodejs', { 'http.route': route, 'http.request.method': 'GET', 'url.path': path });

  it('takes the router whose file is named like the prefix the request path was served under', () => {
    const m = locateSpan(span('/:id', '/invoices/42017'), index)[0];
    assert.equal(`${m?.file}:${m?.line}`, 'src/routes/invoices.js:2');
    assert.match(m!.reason, /url\.path \/invoices\/42017 \(served under \/invoices\)/);
    const full = locateSpan(span('/v3/jobs/:id', '/v3/jobs/7'), index)[0];
    assert.equal(`${full?.file}:${full?.line}`, 'src/routes/jobs.js:2', 'a placeholder-only tail, named by the path');
  });

  it('answers nothing when the path names no router', () => {
    assert.deepEqual(locateSpan(span('/:id', '/artifacts/12'), index), []);
    assert.deepEqual(locateSpan(span('/v3/artifacts/:id', '/v3/artifacts/12'), index), []);
  });
});

describe('HTTP clients that look like routers', () => {
  it('does not take calls on an imported client for registrations, nor an object as a handler', () => {
    const index = memoryIndex({
      'web/pages/api/cart.ts': src('export default async function handler(req, res) {', '  res.json({});', '}'),
      'web/gateways/cart.ts': src(
        "import request from '../utils/request';",
        "import router from '../utils/router';",
        'export const getCart = (userId: string) => request.get(`/api/cart`, { params: { userId } });',
        "export const sync = () => router.get('/api/cart', { cache: 'no-store' });",
      ),
    });
    const span = sdkSpan('GET /api/cart', 'server', 'web', 'nodejs', { 'http.route': '/api/cart', 'http.request.method': 'GET' });
    const m = locateSpan(span, index)[0];
    assert.equal(`${m?.file}:${m?.line}`, 'web/pages/api/cart.ts:1');
  });
});
