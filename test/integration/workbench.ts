/**
 * What a person sees, for tests inside the extension host: screenshots of the workbench and the text of
 * rendered elements and webviews. The headless runner (scripts/host-tests/control-server.js) serves these at
 * HOST_TEST_CONTROL_URL; in desktop VS Code there is no such server, and tests that need it skip.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const controlUrl = process.env.HOST_TEST_CONTROL_URL;

/** CSS selectors of workbench parts, for VS Code 1.100's DOM. */
export const Selectors = {
  /**
   * A view's pane (header and body). The DOM does not carry view ids: a pane is found by its container's id
   * (`contributes.viewsContainers`) and the view's name.
   */
  view: (containerId: string, viewName: string) =>
    `[id="workbench.view.extension.${containerId}"] .pane:has(> .pane-header[aria-label="${viewName} Section"])`,
  /** the tree or list rows of a view (`view` is a selector from `Selectors.view`) */
  rows: (view: string) => `${view} .monaco-list-row`,
  /** each row's label, and its description drawn beside it in a lighter colour */
  rowLabels: (view: string) => `${view} .monaco-list-row .label-name`,
  rowDescriptions: (view: string) => `${view} .monaco-list-row .label-description`,
  /** the welcome content a view shows while it is empty */
  welcome: (view: string) => `${view} .welcome-view-content`,
  /** the text of notification toasts once they have faded in, and their buttons */
  notifications: '.notifications-toasts .notification-fade-in-done .notification-list-item-message',
  notificationButtons:
    '.notifications-toasts .notification-fade-in-done .notification-list-item-buttons-container .monaco-button',
  /** the lines shown in the Output panel */
  outputView: '.part.panel .monaco-editor .view-lines',
  codeLenses: '.monaco-editor .codelens-decoration',
} as const;

export const workbench = {
  /** false in desktop VS Code: the rendered workbench can be checked only under the headless runner */
  available: controlUrl !== undefined,

  /** Skips the calling test when the rendered workbench cannot be checked. */
  require(test: Mocha.Context): void {
    if (!workbench.available) test.skip();
  },

  /** Saves test-results/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    return (await get(`/screenshot?name=${encodeURIComponent(name)}`)).text();
  },

  /** The innerText of every rendered element matching `selector`, in document order; no-break spaces read as spaces. */
  async texts(selector: string): Promise<string[]> {
    const texts = (await (await get(`/dom-text?selector=${encodeURIComponent(selector)}`)).json()) as string[];
    return texts.map((text) => text.replace(/\u00a0/g, ' '));
  },

  /** The outerHTML of every rendered element matching `selector`: for finding selectors while writing a test. */
  async html(selector: string): Promise<string[]> {
    return (await get(`/dom-html?selector=${encodeURIComponent(selector)}`)).json() as Promise<string[]>;
  },

  /**
   * Clicks the first element matching `selector` (a Playwright selector) in the open webviews, at `at` inside
   * it when given, else at its middle; false when nothing matches.
   */
  async clickInWebview(selector: string, at?: { x: number; y: number }): Promise<boolean> {
    const position = at ? `&x=${at.x}&y=${at.y}` : '';
    return (await (await get(`/webview-click?selector=${encodeURIComponent(selector)}${position}`)).text()) === '1';
  },

  /** The innerText of every open webview's document. */
  async webviewTexts(): Promise<string[]> {
    return (await get('/webview-text')).json() as Promise<string[]>;
  },

  /**
   * Runs a command that shows part of the workbench (e.g. `workbench.view.extension.<container>`) until
   * `selector` renders, repeating it every second: early in a session the workbench may still be restoring
   * its own layout over it. Without the headless runner it runs the command once.
   */
  async show(command: string, selector: string, { timeoutMs = 10_000 } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await vscode.commands.executeCommand(command);
      if (!workbench.available) return;
      for (const until = Math.min(Date.now() + 1000, deadline); Date.now() < until;) {
        if ((await workbench.texts(selector)).length > 0) return;
        await sleep(100);
      }
      if (Date.now() >= deadline) assert.fail(`${selector} did not render within ${timeoutMs} ms of running ${command}`);
    }
  },

  /**
   * Polls `texts(selector)` until `accept` holds (rendering is asynchronous) and returns them; fails with
   * what was rendered last when it does not hold within `timeoutMs`.
   */
  async waitForTexts(
    selector: string,
    accept: (texts: string[]) => boolean,
    { timeoutMs = 10_000, what = selector }: { timeoutMs?: number; what?: string } = {},
  ): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = await workbench.texts(selector);
      if (accept(texts)) return texts;
      if (Date.now() > deadline)
        assert.fail(`${what} did not render as expected within ${timeoutMs} ms; rendered: ${JSON.stringify(texts)}`);
      await sleep(100);
    }
  },
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function get(pathAndQuery: string): Promise<Response> {
  if (!controlUrl) throw new Error('No headless runner: HOST_TEST_CONTROL_URL is not set (call workbench.require(this) first)');
  const response = await fetch(controlUrl + pathAndQuery);
  if (!response.ok) throw new Error(`${pathAndQuery}: ${response.status} ${await response.text()}`);
  return response;
}
