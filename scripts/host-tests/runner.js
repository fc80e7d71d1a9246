#!/usr/bin/env node
// Runs an extension test suite inside a real VS Code, headless: code-server (VS Code 1.100.3, Node extension
// host) serves the workbench, Debian's Chromium renders it through playwright-core. The exit status is the
// suite's; mocha's output reaches stdout; everything else is logged under test-results/host/.
// Usage (after `node esbuild.mjs && node scripts/host-tests/build-suite.js`):
//   node scripts/host-tests/runner.js [--extension DIR] [--tests MODULE] [--workspace DIR]
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { ensureCodeServer } = require('./install-code-server');
const { startControlServer } = require('./control-server');
const { PROJECT_ROOT, RESULTS_DIR, SCREENSHOTS_DIR, SUITE_ENTRY, SAMPLE_WORKSPACE } = require('./paths');

/** Exit statuses besides the suite's own 0 (passed) and 1 (failed). */
const EXIT = { timeout: 2, infrastructure: 3, sigint: 130, sigterm: 143 };
/** Covers starting code-server and the browser, and the whole suite; not the one-time install. */
const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** Lines the suite's index tags so that the runner can tell test output from workbench noise. */
const SUITE_OUTPUT_TAG = '[exthost] ';
/** Headless Debian Chromium on a machine whose only network is the package registries (shared with the browser tests). */
const CHROMIUM_ARGS = require('./chromium-args.json');
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'typescript.disableAutomaticTypeAcquisition': true,
  // The sample workspace lives inside this repository; the offer to open the parent repository covers the view.
  'git.openRepositoryInParentFolders': 'never',
  // code-server offers to forward every port that starts listening, the receiver's too.
  'remote.autoForwardPorts': false,
};

/**
 * @typedef {object} HostTestOptions
 * @property {string} [extensionDevelopmentPath] the extension under test (default: this project)
 * @property {string} [extensionTestsPath] module exporting `run(): Promise<void>` (default: the built suite)
 * @property {string} [workspace] folder to open (default: the sample workspace)
 * @property {number} [timeoutMs] global timeout (default: HOST_TEST_TIMEOUT_MS, else 5 minutes)
 */

/**
 * Runs the suite and resolves with the exit status: 0 passed, 1 failed, 2 timed out, 3 the harness broke,
 * 130/143 interrupted. Every process it starts is ended before it resolves.
 * @param {HostTestOptions} [options]
 * @returns {Promise<number>}
 */
async function runHostTests(options = {}) {
  const extensionPath = path.resolve(options.extensionDevelopmentPath ?? PROJECT_ROOT);
  const testsPath = path.resolve(options.extensionTestsPath ?? SUITE_ENTRY);
  const workspace = path.resolve(options.workspace ?? SAMPLE_WORKSPACE);
  const timeoutMs = options.timeoutMs ?? (Number(process.env.HOST_TEST_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS);
  const verbose = process.env.HOST_TEST_VERBOSE === '1';
  const started = Date.now();
  const info = (line) => process.stderr.write(`[host-tests ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

  // A reader that went away (e.g. the front door was killed) must not crash the runner before it cleans up.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  const run = new Run(info);
  // Setup runs beside the outcome, not before it: a timeout or a signal while code-server or the browser is
  // still starting ends the run too. Setup stops at its next step then; cleanup waits (briefly) for the step
  // in flight so that what it creates is registered, and ended, like everything else.
  const setUpDone = setUp().catch((e) => {
    if (!run.settled)
      run.settle(EXIT.infrastructure, `the host-test runner failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  });
  const code = await run.outcome;
  await Promise.race([setUpDone, new Promise((r) => setTimeout(r, 10_000).unref())]);
  await run.cleanup();
  info(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${path.relative(process.cwd(), RESULTS_DIR)}/`);
  return code;

  async function setUp() {
    const codeServerEntry = ensureCodeServer((line) => info(line));
    run.armTimeout(timeoutMs);
    resetDir(RESULTS_DIR);
    resetDir(SCREENSHOTS_DIR);
    const tmp = run.tempDir();
    const logs = {
      codeServer: fs.createWriteStream(path.join(RESULTS_DIR, 'code-server.log')),
      workbench: fs.createWriteStream(path.join(RESULTS_DIR, 'workbench.log')),
      page: fs.createWriteStream(path.join(RESULTS_DIR, 'page.log')),
    };
    run.onCleanup(() => Promise.all(Object.values(logs).map((s) => new Promise((r) => s.end(r)))));

    const control = await startControlServer(() => run.page, SCREENSHOTS_DIR, info);
    run.onCleanup(() => control.close());

    const port = await freePort();
    run.throwIfSettled();
    const authority = `127.0.0.1:${port}`;
    await run.startCodeServer(codeServerEntry, authority, tmp, logs.codeServer, { HOST_TEST_CONTROL_URL: control.url });
    info(`code-server ready on ${authority}`);

    run.throwIfSettled();
    const page = await run.launchBrowser(tmp);
    page.on('console', (m) => logs.page.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => logs.page.write(`[pageerror] ${e.stack ?? e}\n`));
    page.on('requestfailed', (r) => logs.page.write(`[requestfailed] ${r.url()} ${r.failure()?.errorText ?? ''}\n`));
    page.on('crash', () => run.settle(EXIT.infrastructure, 'the workbench page crashed'));

    // The workbench reports extension-host console output and the suite's end through these two functions.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? args.join(' ') : String(args);
      logs.workbench.write(`[${type}] ${text}\n`);
      const tagged = text.indexOf(SUITE_OUTPUT_TAG);
      if (tagged >= 0 && tagged <= '[Extension Host] '.length) {
        const line = text.slice(tagged + SUITE_OUTPUT_TAG.length);
        process.stdout.write(`${line}\n`);
        if (line.trim()) run.lastSuiteLine = line.trim();
      } else if (verbose) {
        process.stderr.write(`[workbench ${type}] ${text}\n`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code, workbenchLogs) => {
      saveWorkbenchLogs(workbenchLogs);
      run.settle(code === 0 ? 0 : 1, code === 0 ? 'the suite passed' : 'the suite failed');
    });

    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionPath)],
      ['extensionTestsPath', remote(testsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `http://${authority}/?folder=${encodeURIComponent(remote(workspace))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    run.throwIfSettled();
    info(`opening the workbench on ${path.relative(PROJECT_ROOT, workspace) || workspace}`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
  }
}

/** One run's processes, timers and outcome; `cleanup` ends all of them, whatever path led there. */
class Run {
  constructor(info) {
    this.info = info;
    /** @type {import('playwright-core').Page | undefined} */
    this.page = undefined;
    /** @type {import('playwright-core').BrowserContext | undefined} */
    this.browser = undefined;
    /** @type {cp.ChildProcess | undefined} */
    this.codeServer = undefined;
    this.lastSuiteLine = '';
    /** @type {(() => unknown)[]} */
    this.cleanups = [];
    /** @type {(code: number) => void} */
    let resolve = () => {};
    /** @type {Promise<number>} */
    this.outcome = new Promise((r) => (resolve = r));
    this.resolve = resolve;
    this.settled = false;
    this.cleanedUp = false;

    const parent = process.ppid;
    const watchParent = setInterval(() => {
      if (process.ppid !== parent) this.settle(EXIT.infrastructure, 'the process that started the host tests has exited');
    }, 1000);
    const onSigint = () => this.settle(EXIT.sigint, 'interrupted (SIGINT)');
    const onSigterm = () => this.settle(EXIT.sigterm, 'terminated (SIGTERM)');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    // Last resort, kept for the life of the process: never leave code-server behind, even one that started
    // after cleanup or when the process exits some other way. (Playwright does the same for the browser.)
    process.on('exit', () => this.killCodeServer('SIGKILL'));
    this.onCleanup(() => {
      clearInterval(watchParent);
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    });
  }

  /** The first outcome wins; later ones (e.g. code-server dying during cleanup) are ignored. */
  settle(code, why) {
    if (this.settled) return;
    this.settled = true;
    if (code === 0) this.info(why);
    else process.stderr.write(`\nHOST TESTS ${code === 1 ? 'FAILED' : 'ABORTED'}: ${why} (exit status ${code})\n`);
    this.resolve(code);
  }

  /** Stops setup once the outcome is known. */
  throwIfSettled() {
    if (this.settled) throw new Error('the run has ended');
  }

  /** Registers how to end something; once the run has been cleaned up, that happens at once. */
  onCleanup(fn) {
    if (this.cleanedUp)
      void Promise.resolve()
        .then(fn)
        .catch(() => {});
    else this.cleanups.push(fn);
  }

  armTimeout(ms) {
    const timer = setTimeout(async () => {
      if (this.settled) return;
      const shot = path.join(SCREENSHOTS_DIR, 'timeout.png');
      let saved = false;
      try {
        if (this.page) await this.page.screenshot({ path: shot, timeout: 10_000 });
        saved = Boolean(this.page);
      } catch {
        // The page may be what hung; the message below says so.
      }
      const last = this.lastSuiteLine ? ` The last test output was: "${this.lastSuiteLine.trim()}".` : ' No test had started.';
      this.settle(
        EXIT.timeout,
        `timed out after ${ms / 1000} s (HOST_TEST_TIMEOUT_MS).${last} ` +
          (saved ? `Screenshot: ${path.relative(process.cwd(), shot)}.` : 'No screenshot could be taken.'),
      );
    }, ms);
    this.onCleanup(() => clearTimeout(timer));
  }

  tempDir() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-lens-host-'));
    this.onCleanup(() => {
      // code-server's own logs, among them the Node extension host's (exthost*/remoteexthost.log).
      const serverLogs = path.join(dir, 'user-data/logs');
      if (fs.existsSync(serverLogs)) fs.cpSync(serverLogs, path.join(RESULTS_DIR, 'server-logs'), { recursive: true });
      if (process.env.HOST_TEST_KEEP === '1') this.info(`kept ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    });
    // code-server and Chromium write their config, caches and crash reports here instead of $HOME, and
    // temporary files (the tests' own too) here instead of /tmp, so that an interrupted run leaves nothing.
    for (const sub of ['xdg-config', 'xdg-data', 'xdg-cache', 'xdg-state', 'tmp', 'user-data/User', 'extensions', 'chromium']) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
    }
    fs.writeFileSync(path.join(dir, 'user-data/User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    return dir;
  }

  /** Starts code-server in its own process group (so that cleanup ends its whole tree) and waits until it serves. */
  async startCodeServer(entry, authority, tmp, log, extraEnv) {
    const args = [
      entry,
      ...['--bind-addr', authority, '--auth', 'none', '--log', 'info'],
      ...['--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions')],
      // Without --config it reads, or creates, ~/.config/code-server/config.yaml.
      ...['--config', path.join(tmp, 'code-server.yaml')],
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--disable-proxy',
    ];
    const child = cp.spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...isolatedEnv(tmp), ...extraEnv },
    });
    this.codeServer = child;
    this.onCleanup(() => this.stopCodeServer());
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('exit', (code, signal) => this.settle(EXIT.infrastructure, `code-server exited unexpectedly (${signal ?? code})`));
    await new Promise((resolve, reject) => {
      let seen = '';
      const onData = (chunk) => {
        seen = (seen + chunk).slice(-4096);
        if (seen.includes('HTTP server listening on')) resolve(undefined);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () => reject(new Error('code-server exited before listening; see test-results/host/code-server.log')));
    });
    for (let attempt = 0; !(await isHealthy(authority)); attempt++) {
      if (attempt > 100) throw new Error('code-server listens but /healthz does not answer');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async launchBrowser(tmp) {
    this.browser = await launchChromium(tmp);
    this.onCleanup(() => this.closeBrowser());
    this.page = this.browser.pages()[0] ?? (await this.browser.newPage());
    return this.page;
  }

  async closeBrowser() {
    const browser = this.browser;
    this.browser = undefined;
    this.page = undefined;
    if (!browser) return;
    // Playwright kills the browser's process group when a graceful close does not finish.
    await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
  }

  /**
   * Asks code-server to stop, then kills what is left of its process group: an extension host can outlive
   * code-server (e.g. while a test hangs) and would otherwise linger for its hours-long reconnection grace.
   */
  async stopCodeServer() {
    const child = this.codeServer;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      this.killCodeServer('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    this.killCodeServer('SIGKILL');
  }

  killCodeServer(signal) {
    const pid = this.codeServer?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Runs every cleanup once, last registered first; a failing one does not stop the others. */
  async cleanup() {
    this.cleanedUp = true;
    while (this.cleanups.length > 0) {
      const fn = /** @type {() => unknown} */ (this.cleanups.pop());
      try {
        await fn();
      } catch (e) {
        this.info(`cleanup: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/**
 * Debian's Chromium, headless, 1280×800, with its profile and environment inside `tmp`. The caller ends it
 * (after the suite's outcome is known), so Chromium does not act on signals itself.
 */
function launchChromium(tmp) {
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(path.join(tmp, 'chromium'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    env: { ...process.env, ...isolatedEnv(tmp) },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

function isolatedEnv(tmp) {
  return {
    TMPDIR: path.join(tmp, 'tmp'),
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
    XDG_STATE_HOME: path.join(tmp, 'xdg-state'),
  };
}

function isHealthy(authority) {
  return new Promise((resolve) => {
    http
      .get(`http://${authority}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function resetDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

/** The workbench hands over its log files (window, extension host, ...) when the suite ends. */
function saveWorkbenchLogs(files) {
  if (!Array.isArray(files)) return;
  const root = path.join(RESULTS_DIR, 'workbench-logs');
  for (const { relativePath, contents } of files) {
    const file = path.resolve(root, String(relativePath));
    if (!file.startsWith(root + path.sep)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, String(contents));
  }
}

/** Reads `--name value` and `--name=value`. */
function argValue(argv, name) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i]?.startsWith(`${name}=`)) return argv[i]?.slice(name.length + 1);
  }
  return undefined;
}

// The demo (scripts/demo.js) starts the same code-server and browser the same way.
module.exports = { runHostTests, CHROMIUM_ARGS, USER_SETTINGS, isolatedEnv, isHealthy, freePort, launchChromium };

if (require.main === module) {
  const argv = process.argv.slice(2);
  runHostTests({
    extensionDevelopmentPath: argValue(argv, '--extension'),
    extensionTestsPath: argValue(argv, '--tests'),
    workspace: argValue(argv, '--workspace'),
  }).then((code) => process.exit(code));
}
