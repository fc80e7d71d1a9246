#!/usr/bin/env node
// `npm run test:host`: builds the suite and runs it through @vscode/test-electron's runTests, the standard
// front door. By default "VS Code" is code-shim.js (headless code-server + Chromium, what CI runs). On a
// desktop, the same suite runs in Electron VS Code unchanged:
//   VSCODE_EXECUTABLE_PATH=/path/to/code npm run test:host     an installed VS Code
//   HOST_TEST_DESKTOP=1 npm run test:host                      one that test-electron downloads into .vscode-test/
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');
const { buildSuite } = require('./build-suite');
const { PROJECT_ROOT, SUITE_ENTRY, SAMPLE_WORKSPACE } = require('./paths');

const SHIM = path.join(__dirname, 'code-shim.js');

async function main() {
  await buildSuite();
  const desktop = process.env.HOST_TEST_DESKTOP === '1';
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH ?? (desktop ? undefined : SHIM);
  // test-electron spawns the executable directly, so the shim must stay executable whatever git kept.
  if (vscodeExecutablePath === SHIM) fs.chmodSync(SHIM, 0o755);
  await runTests({
    ...(vscodeExecutablePath ? { vscodeExecutablePath } : {}),
    extensionDevelopmentPath: PROJECT_ROOT,
    extensionTestsPath: SUITE_ENTRY,
    launchArgs: [SAMPLE_WORKSPACE, '--disable-extensions'],
  });
}

main().then(
  () => process.exit(0),
  (e) => {
    // A failing suite surfaces as TestRunFailedError carrying the runner's exit status.
    const code = typeof e?.code === 'number' && e.code > 0 ? e.code : 1;
    if (!(typeof e?.code === 'number')) console.error(`Host tests could not run: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(code);
  },
);
