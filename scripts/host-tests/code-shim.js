#!/usr/bin/env node
// Stands in for the VS Code executable in @vscode/test-electron's runTests({ vscodeExecutablePath }): it maps
// the VS Code command line it is given onto the headless runner (code-server + Chromium) and exits with the
// suite's status. Flags the runner has no use for (--no-sandbox, --user-data-dir=..., ...) are ignored.
'use strict';
const { runHostTests } = require('./runner');

/** @type {import('./runner').HostTestOptions} */
const options = {};
for (const arg of process.argv.slice(2)) {
  const flag = /^--(extensionDevelopmentPath|extensionTestsPath)=(.*)$/.exec(arg);
  if (flag?.[1] === 'extensionDevelopmentPath') options.extensionDevelopmentPath = flag[2];
  else if (flag?.[1] === 'extensionTestsPath') options.extensionTestsPath = flag[2];
  else if (!arg.startsWith('-')) options.workspace = arg;
}

runHostTests(options).then((code) => process.exit(code));
