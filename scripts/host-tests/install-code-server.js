#!/usr/bin/env node
// Installs code-server (a real VS Code 1.100.3 with the Node extension host) into .vscode-test/, outside the
// project's dependency tree, on first use; later runs reuse it. The install happens in a staging folder that
// is renamed into place only when complete, so an interrupted install is redone, never reused half-built.
// Run directly to pre-install (e.g. in a CI cache step): node scripts/host-tests/install-code-server.js
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** 4.100.3 is the newest code-server whose engines accept Node 20 (4.101+ need Node 22). */
const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep that code-server 4.100.3 pins in lib/vscode/npm-shrinkwrap.json, and the rg release it fetches. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
/** Debian packages: the browser, rg for the ripgrep seed, and what code-server's native modules build with. */
const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'pkg-config', 'build-essential', 'python3'];

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const CACHE_DIR = process.env.HOST_TEST_CACHE_DIR ?? path.join(PROJECT_ROOT, '.vscode-test');
const INSTALL_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const ENTRY = path.join(INSTALL_DIR, 'node_modules/code-server/out/node/entry.js');

/**
 * Returns the path of code-server's `out/node/entry.js`, installing code-server first if needed. Checks on
 * every call that the Debian packages are there (the browser is needed at run time, not only to install).
 * @param {(line: string) => void} [log]
 * @returns {string}
 */
function ensureCodeServer(log = (line) => process.stderr.write(`[install] ${line}\n`)) {
  ensureDebianPackages(log);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  removeAbandonedStagingDirs();
  if (fs.existsSync(ENTRY)) return ENTRY;
  const started = Date.now();
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, `.code-server-${CODE_SERVER_VERSION}-staging-`));
  try {
    const tmp = path.join(staging, '.tmp');
    seedRipgrepDownload(tmp);
    log(
      `installing code-server ${CODE_SERVER_VERSION} into ${path.relative(PROJECT_ROOT, INSTALL_DIR)} (about 1-2 minutes, once)`,
    );
    // allowScripts lists the packages whose install scripts must run; npm 11 reports (and future npm blocks) the rest.
    const manifest = { private: true, allowScripts: { 'code-server': true, argon2: true } };
    fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
    runNpmInstall(staging, tmp, log);
    verifyInstall(staging);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, INSTALL_DIR);
    } catch (e) {
      // Another runner finished first; its install is as good as ours.
      if (!fs.existsSync(ENTRY)) throw e;
    }
    log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return ENTRY;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Installs the missing Debian packages when running as root; otherwise says which command to run. */
function ensureDebianPackages(log) {
  if (cp.spawnSync('dpkg-query', ['--version']).error) {
    log(`not Debian or Ubuntu: make sure the equivalents of ${DEBIAN_PACKAGES.join(', ')} are installed`);
    return;
  }
  const missing = DEBIAN_PACKAGES.filter((pkg) => !isDebianPackageInstalled(pkg));
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`Host tests need these Debian packages: ${missing.join(', ')}. Install them with: sudo ${command}`);
  }
  log(`apt-get update && ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execOrThrow('apt-get', ['update'], { env });
  execOrThrow('apt-get', ['install', '-y', ...missing], { env }); // with recommends: chromium's bring its fonts
}

function isDebianPackageInstalled(pkg) {
  const r = cp.spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub, which CI cannot reach. It first looks in
 * `<os.tmpdir()>/vscode-ripgrep-cache-<version>/`; a tarball of Debian's rg there satisfies it. The install
 * runs with TMPDIR pointing into the staging folder so that nothing is left in the machine's /tmp.
 */
function seedRipgrepDownload(tmp) {
  const target = os.arch() === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
  const dir = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const bin = path.join(tmp, 'rg-bin');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(bin, { recursive: true });
  fs.copyFileSync('/usr/bin/rg', path.join(bin, 'rg'));
  fs.chmodSync(path.join(bin, 'rg'), 0o755);
  execOrThrow('tar', ['-czf', path.join(dir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`), '-C', bin, 'rg']);
}

function runNpmInstall(staging, tmp, log) {
  const env = {
    ...process.env,
    TMPDIR: tmp,
    // code-server's postinstall runs `npx node-gyp` (needs --yes) and refuses to run as root without unsafe-perm.
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // Build native modules against the running Node's headers when they are installed, instead of downloading them.
  const nodeDir = path.resolve(process.execPath, '../..');
  if (fs.existsSync(path.join(nodeDir, 'include/node/node.h'))) env.npm_config_nodedir = nodeDir;
  const logFile = path.join(CACHE_DIR, 'code-server-install.log');
  const out = fs.openSync(logFile, 'w');
  try {
    const r = cp.spawnSync('npm', ['install', '--prefix', staging, `code-server@${CODE_SERVER_VERSION}`], {
      cwd: staging,
      env,
      stdio: ['ignore', out, out],
    });
    if (r.error || r.status !== 0) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (log: ${logFile}):\n${tail}`);
    }
  } finally {
    fs.closeSync(out);
  }
  log(`npm log: ${path.relative(PROJECT_ROOT, logFile)}`);
}

/** The postinstall builds VS Code's own dependencies; without them code-server starts but the workbench breaks. */
function verifyInstall(staging) {
  const root = path.join(staging, 'node_modules/code-server');
  for (const rel of ['out/node/entry.js', 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg', 'lib/vscode/node_modules.asar']) {
    if (!fs.existsSync(path.join(root, rel))) throw new Error(`code-server install is incomplete: ${rel} is missing`);
  }
}

function removeAbandonedStagingDirs() {
  for (const name of fs.readdirSync(CACHE_DIR)) {
    if (!name.startsWith(`.code-server-${CODE_SERVER_VERSION}-staging-`)) continue;
    const dir = path.join(CACHE_DIR, name);
    // A staging folder untouched for an hour belongs to an install that was interrupted.
    if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function execOrThrow(command, args, options = {}) {
  // stdout is kept for test results; tool output goes to stderr.
  const r = cp.spawnSync(command, args, { stdio: ['ignore', 2, 2], ...options });
  if (r.error || r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${r.error?.message ?? `exit status ${r.status}`}`);
  }
}

module.exports = { ensureCodeServer };

if (require.main === module) {
  try {
    process.stdout.write(`${ensureCodeServer()}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
