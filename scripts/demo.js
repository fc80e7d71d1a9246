#!/usr/bin/env node
// `npm run demo`: the whole product on a fresh machine. Builds and packages the extension (.vsix), installs it
// into a local VS Code (code-server, the same one the host tests use), opens demo/sample-app, and runs the
// sample app, whose four services send real traces to Trace Lens's embedded OTLP receiver on 127.0.0.1:4318.
//
//   npm run demo                 prints the URL to open; traffic flows until Ctrl+C
//   npm run demo -- --smoke      headless: waits until traces show in the Traces view and orders.js shows its
//                                latency lenses, saves screenshots of both, exits 0 only if they did (1 if not,
//                                2 on a timeout)
//   --port <n>                   the port VS Code listens on (default: 8080, or a free one when taken)
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { ensureCodeServer } = require('./host-tests/install-code-server');
const { USER_SETTINGS, isolatedEnv, isHealthy, freePort, launchChromium } = require('./host-tests/runner');
const { PROJECT_ROOT, SCREENSHOTS_DIR } = require('./host-tests/paths');

const WORKSPACE = path.join(PROJECT_ROOT, 'demo/sample-app');
const OTLP_ENDPOINT = 'http://127.0.0.1:4318';
const SMOKE = process.argv.includes('--smoke');
const SMOKE_TIMEOUT_MS = Number(process.env.DEMO_SMOKE_TIMEOUT_MS) || 180_000;
const log = (line) => process.stderr.write(`[demo] ${line}\n`);

/** Everything started is ended on every way out: Ctrl+C, a failure, the end of the smoke run. */
const children = [];
let browser;
let tmp;
let exiting = false;

async function main() {
  const vsix = buildAndPackage();
  const entry = ensureCodeServer(log);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-demo-'));
  for (const sub of ['xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state', 'tmp', 'user-data/User', 'extensions', 'chromium']) {
    fs.mkdirSync(path.join(tmp, sub), { recursive: true });
  }
  fs.writeFileSync(path.join(tmp, 'user-data/User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const env = { ...process.env, ...isolatedEnv(tmp) };
  const dirs = ['--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')];

  log('installing the .vsix into VS Code (code-server)');
  cp.execFileSync(
    process.execPath,
    [entry, ...dirs, '--config', path.join(tmp, 'code-server.yaml'), '--install-extension', vsix],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );

  await assertPortFree(4318, 'the embedded OTLP receiver');
  const port = await choosePort();
  const authority = `127.0.0.1:${port}`;
  const serverLog = fs.createWriteStream(path.join(tmp, 'code-server.log'));
  const server = spawnGroup(
    process.execPath,
    [
      entry,
      ...['--bind-addr', authority, '--auth', 'none', ...dirs, '--config', path.join(tmp, 'code-server.yaml')],
      ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
      ...['--ignore-last-opened', '--disable-proxy'],
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  server.on(
    'exit',
    (code, signal) => !exiting && fail(`VS Code (code-server) exited (${signal ?? code}); see ${serverLog.path}`),
  );
  for (let i = 0; !(await isHealthy(authority)); i++) {
    if (i > 300) throw new Error(`VS Code did not start on ${authority}; see ${serverLog.path}`);
    await sleep(100);
  }

  log(`starting the sample app (4 services) sending OTLP to ${OTLP_ENDPOINT}`);
  const app = spawnGroup(process.execPath, [path.join(WORKSPACE, 'run.js'), ...(SMOKE ? ['--quiet'] : [])], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT },
    stdio: ['ignore', SMOKE ? 'ignore' : 'inherit', 'inherit'],
  });
  app.on('exit', (code) => !exiting && fail(`the sample app exited (${code})`));

  const url = `http://${authority}/?folder=${encodeURIComponent(WORKSPACE)}`;
  if (!SMOKE) {
    process.stdout.write(
      `\nTrace Lens demo is running.\n\n  Open ${url}\n\n` +
        `VS Code opens the sample app; its services send traces to Trace Lens's receiver on ${OTLP_ENDPOINT}.\n` +
        `Open the Trace Lens view in the activity bar. Ctrl+C stops everything.\n\n`,
    );
    return;
  }
  await smoke(url);
}

/** Opens the workbench headless, opens the Traces view, and waits for rows of the sample app's traces. */
async function smoke(url) {
  const deadline = Date.now() + SMOKE_TIMEOUT_MS;
  const timer = setTimeout(
    () => fail(`no traces showed up within ${SMOKE_TIMEOUT_MS / 1000} s`, 2, 'demo-timeout'),
    SMOKE_TIMEOUT_MS,
  );
  timer.unref();
  browser = await launchChromium(tmp);
  const page = browser.pages()[0] ?? (await browser.newPage());
  log('opening the workbench headless');
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const container = page.locator('.activitybar [aria-label^="Trace Lens"]').first();
  await container.waitFor({ timeout: deadline - Date.now() });
  await container.click();
  const rows = page.locator('[id="workbench.view.extension.traceLens"] .monaco-list-row');
  log('waiting for the sample app traces in the Traces view');
  while (Date.now() < deadline) {
    const texts = await rows.allInnerTexts().catch(() => []);
    const traces = texts.filter((t) => /\/api\/(checkout|orders)/.test(t));
    if (traces.length >= 3) {
      await sleep(1500); // let the live view settle before the picture
      const shot = await screenshot(page, 'demo-smoke');
      process.stdout.write(
        `demo smoke: ${traces.length} trace rows in the Traces view, e.g. "${traces[0].replace(/\s+/g, ' ')}"\n`,
      );
      process.stdout.write(`screenshot: ${path.relative(process.cwd(), shot)}\n`);
      await smokeCodeLens(page, deadline);
      return stop(0);
    }
    await sleep(1000);
  }
}

/**
 * Opens orders.js and waits for its latency lenses: each line that starts spans has its own figures (the two
 * anonymous route handlers, both `Object.handler` to Node, and their calls to inventory and payments must not share
 * one bucket). Saves a screenshot of the editor.
 */
async function smokeCodeLens(page, deadline) {
  log('opening orders.js for its latency lenses');
  await page.keyboard.press('Control+P');
  await page
    .locator('.quick-input-widget input')
    .first()
    .waitFor({ timeout: deadline - Date.now() });
  await page.keyboard.type('orders.js');
  await page
    .locator('.quick-input-widget .monaco-list-row')
    .first()
    .waitFor({ timeout: deadline - Date.now() });
  await page.keyboard.press('Enter');
  await page
    .locator('.monaco-editor .view-lines')
    .first()
    .waitFor({ timeout: deadline - Date.now() });
  // the route handlers (lines 34–54) in view: an editor renders the lenses of the lines it shows only
  await page.keyboard.press('Control+G');
  await page
    .locator('.quick-input-widget input')
    .first()
    .waitFor({ timeout: deadline - Date.now() });
  await page.keyboard.type('42');
  await page.keyboard.press('Enter');
  const lenses = page.locator('.monaco-editor .codelens-decoration');
  while (Date.now() < deadline) {
    const texts = (await lenses.allInnerTexts().catch(() => [])).map((t) => t.replace(/\s+/g, ' ').trim());
    // priceOrder, saveOrder, the POST /orders route, and its inventory and payments calls, each with its own figures
    if (texts.length >= 5 && new Set(texts).size === texts.length) {
      await sleep(1500);
      const shot = await screenshot(page, 'demo-codelens');
      process.stdout.write(`demo smoke: ${texts.length} latency lenses in orders.js, each with its own figures\n`);
      process.stdout.write(`screenshot: ${path.relative(process.cwd(), shot)}\n`);
      return;
    }
    await sleep(1000);
  }
  throw new Error('orders.js did not show a latency lens of its own for each line that starts spans');
}

function buildAndPackage() {
  log('building the extension (production)');
  cp.execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'esbuild.mjs'), '--production'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const outDir = path.join(PROJECT_ROOT, '.vscode-test/demo');
  fs.mkdirSync(outDir, { recursive: true });
  const vsix = path.join(outDir, 'trace-lens.vsix');
  log(`packaging ${path.relative(PROJECT_ROOT, vsix)} with @vscode/vsce`);
  const vsce = require.resolve('@vscode/vsce/vsce');
  cp.execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return vsix;
}

function spawnGroup(cmd, args, options) {
  const child = cp.spawn(cmd, args, { ...options, detached: true });
  children.push(child);
  return child;
}

async function choosePort() {
  const wanted = Number(argValue('--port') ?? 8080);
  return (await isPortFree(wanted)) ? wanted : freePort();
}

async function assertPortFree(port, what) {
  if (!(await isPortFree(port))) {
    throw new Error(
      `port ${port} on 127.0.0.1, which ${what} needs, is taken: stop what listens there (another collector?) and retry`,
    );
  }
}

function isPortFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

async function fail(message, code = 1, shotName = 'demo-failure') {
  if (exiting) return;
  process.stderr.write(`\nDEMO FAILED: ${message}\n`);
  const page = browser?.pages()[0];
  if (page) {
    const shot = await screenshot(page, shotName).catch(() => undefined);
    if (shot) process.stderr.write(`screenshot: ${path.relative(process.cwd(), shot)}\n`);
  }
  await stop(code);
}

async function stop(code) {
  if (exiting) return;
  exiting = true;
  await Promise.race([browser?.close().catch(() => {}), sleep(10_000)]);
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    for (const child of children) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
    if (signal === 'SIGTERM') await sleep(2000);
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(143));
main().catch((e) => fail(e instanceof Error ? e.message : String(e), 1));
