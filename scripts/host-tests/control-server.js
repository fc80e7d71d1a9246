// A small HTTP API on 127.0.0.1 through which tests inside the extension host see what a person sees: they
// reach it at HOST_TEST_CONTROL_URL (test/integration/workbench.ts is the client).
//   GET /screenshot?name=N          PNG of the workbench → test-results/screenshots/N.png; answers the path
//   GET /dom-text?selector=S        JSON string[]: innerText of every workbench element matching the CSS selector
//   GET /dom-html?selector=S        JSON string[]: outerHTML of the same, for finding selectors while writing tests
//   GET /webview-text               JSON string[]: innerText of every webview document's body
'use strict';
const http = require('node:http');
const path = require('node:path');

/** Webview content lives in a nested iframe: .../webview/browser/pre/index.html → fake.html?id=... */
const WEBVIEW_DOCUMENT = /\/webview\/browser\/pre\/fake\.html/;

/**
 * @param {() => import('playwright-core').Page | undefined} getPage the workbench page, once there is one
 * @param {string} screenshotsDir
 * @param {(line: string) => void} info
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
async function startControlServer(getPage, screenshotsDir, info) {
  const routes = {
    /** @param {import('playwright-core').Page} page @param {URLSearchParams} q */
    '/screenshot': async (page, q) => {
      const name = (q.get('name') ?? 'screenshot').replace(/[^\w.-]/g, '_');
      const file = path.join(screenshotsDir, `${name}.png`);
      await page.screenshot({ path: file });
      info(`screenshot ${path.relative(process.cwd(), file)}`);
      return { type: 'text/plain', body: file };
    },
    '/dom-text': async (page, q) => {
      const selector = q.get('selector');
      if (!selector) throw new RangeError('selector is required');
      const texts = await page.$$eval(selector, (els) => els.map((e) => /** @type {HTMLElement} */ (e).innerText));
      return { type: 'application/json', body: JSON.stringify(texts) };
    },
    '/dom-html': async (page, q) => {
      const selector = q.get('selector');
      if (!selector) throw new RangeError('selector is required');
      const html = await page.$$eval(selector, (els) => els.map((e) => e.outerHTML));
      return { type: 'application/json', body: JSON.stringify(html) };
    },
    '/webview-text': async (page) => {
      const texts = [];
      for (const frame of page.frames()) {
        if (!WEBVIEW_DOCUMENT.test(frame.url())) continue;
        texts.push(await frame.locator('body').innerText());
      }
      return { type: 'application/json', body: JSON.stringify(texts) };
    },
    /** Clicks the first element matching `selector` in the open webviews (at x, y inside it when given); answers how many were clicked. */
    '/webview-click': async (page, q) => {
      const selector = q.get('selector');
      if (!selector) throw new RangeError('selector is required');
      for (const frame of page.frames()) {
        if (!WEBVIEW_DOCUMENT.test(frame.url())) continue;
        const target = frame.locator(selector).first();
        if ((await target.count()) === 0) continue;
        const x = Number(q.get('x'));
        const y = Number(q.get('y'));
        await target.click(q.has('x') && q.has('y') && Number.isFinite(x + y) ? { position: { x, y } } : {});
        return { type: 'text/plain', body: '1' };
      }
      return { type: 'text/plain', body: '0' };
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const route = routes[/** @type {keyof typeof routes} */ (url.pathname)];
    const page = getPage();
    if (!route || !page) {
      res.writeHead(route ? 503 : 404).end(route ? 'the workbench page is not open' : `no route ${url.pathname}`);
      return;
    }
    route(page, url.searchParams).then(
      ({ type, body }) => res.writeHead(200, { 'content-type': type }).end(body),
      (e) => res.writeHead(e instanceof RangeError ? 400 : 500).end(e instanceof Error ? e.message : String(e)),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

module.exports = { startControlServer };
