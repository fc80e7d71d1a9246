/**
 * File-system routers: Next.js pages and app router pages, SvelteKit, Nuxt. The paths follow each framework's
 * documented layout; the file contents are HAND-WRITTEN minimal components and handlers.
 */
import * as assert from 'node:assert/strict';
import { extractRoutes, RouteIndex } from '../../../../src/core/codeLocation/routes';
import { routesOf, src } from './routeSnippets';

const PAGE = src(
  "import { useRouter } from 'next/router';",
  '',
  'const OrderPage = ({ order }) => {', // 3
  '  const router = useRouter();',
  '  return <h1>{order.title}</h1>;',
  '};',
  'OrderPage.getInitialProps = async ({ query }) => ({ order: await load(query.id) });',
  'export default OrderPage;',
);

describe('Next.js pages', () => {
  it('maps pages router pages to their URL, landing on the default export', () => {
    assert.deepEqual(routesOf('web/pages/orders/[id].tsx', PAGE), ['* /orders/{} → 3 OrderPage']);
    assert.deepEqual(routesOf('web/src/pages/index.jsx', PAGE), ['* / → 3 OrderPage']);
    assert.deepEqual(routesOf('web/pages/docs/[[...slug]].tsx', PAGE), ['* /docs/{} → 3 OrderPage']);
    for (const special of ['_app', '_document', '_error'])
      assert.deepEqual(extractRoutes(`web/pages/${special}.tsx`, PAGE), [], special);
    assert.deepEqual(
      extractRoutes('web/pages/orders/helpers.ts', 'export const format = (o) => o.id;\n'),
      [],
      'no default export',
    );
  });

  it('maps app router pages, dropping route groups and slots, skipping private folders', () => {
    const page = src(
      "import { notFound } from 'next/navigation';",
      'export async function generateStaticParams() { return []; }',
      'export default async function PostPage({ params }) {', // 3
      '  const post = await getPost(params.slug);',
      '  if (!post) notFound();',
      '}',
    );
    assert.deepEqual(routesOf('site/app/(marketing)/blog/[...slug]/page.tsx', page), ['* /blog/{} → 3 PostPage']);
    assert.deepEqual(routesOf('site/src/app/@modal/orders/[id]/page.tsx', page), ['* /orders/{} → 3 PostPage']);
    assert.deepEqual(extractRoutes('site/app/_components/page.tsx', page), []);
    assert.deepEqual(extractRoutes('site/app/(shop)/orders/layout.tsx', page), [], 'a layout is not a route');
  });

  it('finds a page by the route Next reports for it', () => {
    const index = new RouteIndex();
    index.addFile('web/pages/orders/[id].tsx', PAGE);
    assert.equal(index.match('GET', '/orders/[id]')[0]?.line, 3);
  });
});

describe('SvelteKit routes', () => {
  it('maps +server.ts exports, +page.server.ts load and actions, and +page.svelte', () => {
    const server = src(
      "import { json } from '@sveltejs/kit';",
      'export async function GET({ params }) {', // 2
      '  return json(await orders.find(params.id));',
      '}',
      'export const DELETE = async ({ params }) => new Response(null, { status: 204 });', // 5
    );
    assert.deepEqual(routesOf('src/routes/api/orders/[id]/+server.ts', server), [
      'DELETE /api/orders/{} → 5 DELETE',
      'GET /api/orders/{} → 2 GET',
    ]);
    const pageServer = src(
      'export async function load({ params }) {', // 1
      '  return { order: await orders.find(params.id) };',
      '}',
      'export const actions = {', // 4
      '  default: async ({ request }) => {},',
      '};',
    );
    assert.deepEqual(routesOf('src/routes/(shop)/orders/[id]/+page.server.ts', pageServer), [
      'GET /orders/{} → 1 load',
      'POST /orders/{} → 4 actions',
    ]);
    assert.deepEqual(routesOf('src/routes/(shop)/orders/[id]/+page.svelte', '<script>\n  export let data;\n</script>\n'), [
      '* /orders/{} → 1',
    ]);
    assert.deepEqual(extractRoutes('src/routes/orders/+layout.svelte', '<slot />\n'), []);
  });

  it('prefers the server load over the page component for a GET', () => {
    const index = new RouteIndex();
    index.addFile('src/routes/orders/[id]/+page.svelte', '<h1>order</h1>\n');
    index.addFile('src/routes/orders/[id]/+page.server.ts', 'export async function load() {\n  return {};\n}\n');
    const [best, next] = index.candidates('GET', '/orders/[id]');
    assert.equal(best?.def.file, 'src/routes/orders/[id]/+page.server.ts');
    assert.ok(best.score > (next?.score ?? 0), 'the GET of the server load fits better than the any-method page');
  });
});

describe('Nuxt routes', () => {
  it('maps pages to their URL and server routes with method suffixes', () => {
    const vue = src(
      '<template>',
      '  <h1>{{ order.title }}</h1>',
      '</template>',
      '<script setup lang="ts">',
      'const route = useRoute();',
      '</script>',
    );
    assert.deepEqual(routesOf('app/pages/orders/[id].vue', vue), ['GET /orders/{} → 4']);
    assert.deepEqual(routesOf('pages/index.vue', vue), ['GET / → 4']);
    const handler = src(
      "import { defineEventHandler } from 'h3';",
      '',
      'export default defineEventHandler(async (event) => {',
      '  return orders.find(getRouterParam(event, "id"));',
      '});',
    );
    assert.deepEqual(routesOf('server/api/orders/[id].get.ts', handler), ['GET /api/orders/{} → 3 default']);
    assert.deepEqual(routesOf('server/api/orders/index.post.ts', handler), ['POST /api/orders → 3 default']);
    assert.deepEqual(routesOf('server/routes/health.ts', handler), ['* /health → 3 default']);
  });
});
