/**
 * The waterfall webview in real headless Chromium, for the browser tests and the benchmark: the same page
 * the panel serves (waterfallHtml, same CSP), dist/webview.js and media/waterfall.css, VS Code's theme
 * variables, and a stub acquireVsCodeApi whose messages go to a real WaterfallSession in this process.
 * Every request outside the page's own origin is refused and recorded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Trace } from '../../src/core/model/types';
import { WaterfallSession, type WaterfallActions } from '../../src/core/waterfall/waterfallSession';
import type { HostMessage, WebviewMessage } from '../../src/protocol/messages';
import { waterfallHtml } from '../../src/vscode/waterfall/waterfallHtml';
import CHROMIUM_ARGS from '../../scripts/host-tests/chromium-args.json';
import { THEMES, type ThemeKind } from './themes';

export const REPO = path.resolve(__dirname, '../..');
const ORIGIN = 'https://waterfall.test';
export const SCREENSHOT_DIR = path.join(REPO, 'test-results', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Fails with a clear message when the webview bundle has not been built. */
export function requireBundle(): void {
  if (!fs.existsSync(path.join(REPO, 'dist', 'webview.js')))
    throw new Error('dist/webview.js is missing: run `node esbuild.mjs` first');
}

export interface WaterfallPage {
  page: Page;
  session: WaterfallSession;
  /** every message the webview posted, in order */
  posted: WebviewMessage[];
  /** requests the page tried to make outside its own files (should stay empty) */
  blockedRequests: string[];
  /** console errors, page errors and CSP violations */
  errors: string[];
  /** actions the session performed (goToCode, openExternal, copy, ...), as [name, ...args] */
  actions: unknown[][];
  /** Shows a trace and waits until the webview has drawn all of it. */
  show(trace: Trace, options?: { focusSpanId?: string }): Promise<void>;
  /** Waits until all messages to the page are delivered and the page has handled them. */
  settle(): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface PageOptions {
  theme?: ThemeKind;
  width?: number;
  height?: number;
  /** extra session actions; each call is also recorded in `actions` */
  actions?: WaterfallActions;
  /** state a previous page left (VS Code's getState after a reload) */
  state?: unknown;
}

export async function openWaterfallPage(browser: Browser, options: PageOptions = {}): Promise<WaterfallPage> {
  requireBundle();
  const theme = options.theme ?? 'dark';
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1400, height: options.height ?? 820 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const posted: WebviewMessage[] = [];
  const blockedRequests: string[] = [];
  const errors: string[] = [];
  const actions: unknown[][] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (process.env.WATERFALL_DEBUG) page.on('console', (m) => console.log('[page]', m.type(), m.text()));
  if (process.env.WATERFALL_DEBUG) page.on('pageerror', (e) => console.log('[page error]', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });

  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      blockedRequests.push(route.request().url());
      return route.abort();
    }
    if (url.pathname === '/index.html') {
      const html = waterfallHtml({
        cspSource: ORIGIN,
        scriptUri: `${ORIGIN}/dist/webview.js`,
        styleUri: `${ORIGIN}/media/waterfall.css`,
      });
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    }
    const file = path.join(REPO, url.pathname);
    if ((url.pathname.startsWith('/dist/') || url.pathname.startsWith('/media/')) && fs.existsSync(file)) {
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      return route.fulfill({ status: 200, contentType: type, body: fs.readFileSync(file) });
    }
    return route.fulfill({ status: 404, body: '' });
  });

  const record =
    (name: string) =>
    (...args: unknown[]) => {
      actions.push([name, ...args]);
    };
  const allActions: WaterfallActions = {
    goToCode: (_t, i) => record('goToCode')(i),
    openExternal: record('openExternal'),
    openLinkedTrace: record('openLinkedTrace'),
    openInBackend: (_t, i) => record('openInBackend')(i),
    copy: record('copy'),
    log: (level, message) => {
      if (level === 'error') errors.push(`webview: ${message}`);
    },
    ...options.actions,
  };

  // Messages to the page go one after another, in order, each as a real window message event. They cross as
  // VS Code's postMessage sends them: JSON, with the typed arrays' bytes beside it (here: base64 within it).
  let queue: Promise<unknown> = Promise.resolve();
  const session = new WaterfallSession((message: HostMessage) => {
    const json = toWire(message);
    queue = queue
      .then(() => page.evaluate((m) => (window as unknown as { __fromHost(json: string): void }).__fromHost(m), json))
      .catch((e: unknown) => errors.push(`post: ${String(e)}`));
  }, allActions);
  let handling: Promise<unknown> = Promise.resolve();
  await page.exposeFunction('__toHost', (message: WebviewMessage) => {
    posted.push(message);
    handling = handling.then(() => session.handle(message));
  });

  // A string, not a function: the test runner's transpiler would decorate a function with helpers the page lacks.
  await page.addInitScript(stubScript(THEMES[theme], theme, options.state));

  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { traceLensWaterfall?: unknown }).traceLensWaterfall !== undefined);

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      await queue;
      await handling;
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    }
  };

  return {
    page,
    session,
    posted,
    blockedRequests,
    errors,
    actions,
    async show(trace, showOptions) {
      await page.waitForFunction(() => true);
      while (!posted.some((m) => m.type === 'ready')) await new Promise((r) => setTimeout(r, 10));
      session.show(trace, showOptions);
      await settle();
      await page.waitForFunction(() => {
        const app = (window as unknown as { traceLensWaterfall: { metrics: { completeAt: number } } }).traceLensWaterfall;
        return app.metrics.completeAt > 0;
      });
      await settle();
    },
    settle,
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `waterfall-${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
    },
  };
}

/** The text of the rows on screen, as a screen reader would read their names: "name service". */
export async function rowTexts(page: Page): Promise<string[]> {
  return page.$$eval('.names .row:not([hidden])', (rows) =>
    rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
  );
}

/** A host message as JSON, each typed array as {"\u0000typed": kind, "b64": bytes}. */
function toWire(message: HostMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    ArrayBuffer.isView(value)
      ? {
          '\u0000typed': value.constructor.name,
          b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
        }
      : value,
  );
}

/** VS Code's webview API as a stub, and the theme as VS Code sets it: CSS variables on <html>, a class on <body>. */
function stubScript(vars: Record<string, string>, theme: ThemeKind, state: unknown): string {
  const bodyClass = theme === 'dark' ? 'vscode-dark' : 'vscode-light';
  return `(() => {
  let saved = ${JSON.stringify(state ?? null)} ?? undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__toHost(m),
    getState: () => saved,
    setState: (s) => { saved = s; window.__savedState = s; },
  });
  const typed = { Int32Array, Uint16Array, Uint8Array, Float64Array, Float32Array, Uint32Array, Int8Array, Int16Array };
  window.__fromHost = (json) => {
    const message = JSON.parse(json, (key, value) => {
      if (value === null || typeof value !== 'object' || typeof value['\\u0000typed'] !== 'string') return value;
      const text = atob(value.b64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      return new typed[value['\\u0000typed']](bytes.buffer);
    });
    window.postMessage(message, '*');
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
  });
  const vars = ${JSON.stringify(vars)};
  const apply = () => {
    for (const k of Object.keys(vars)) document.documentElement.style.setProperty(k, vars[k]);
    document.body.classList.add(${JSON.stringify(bodyClass)});
    document.body.dataset.vscodeThemeKind = ${JSON.stringify(bodyClass)};
  };
  if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply, { once: true });
})();`;
}
