#!/usr/bin/env node
// Builds the host-test suite (test/integration/*.ts) into out/test/integration/ for the extension host to load:
// one CommonJS file per test file plus the index; `vscode` and node_modules (mocha) stay external.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { PROJECT_ROOT, SUITE_SOURCES, SUITE_ENTRY } = require('./paths');

/** @returns {Promise<void>} */
async function buildSuite() {
  const outdir = path.dirname(SUITE_ENTRY);
  fs.rmSync(outdir, { recursive: true, force: true });
  const entryPoints = fs
    .readdirSync(SUITE_SOURCES)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(SUITE_SOURCES, f));
  await esbuild.build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints,
    outdir,
    bundle: true,
    packages: 'external',
    external: ['vscode'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
  });
}

module.exports = { buildSuite };

if (require.main === module) {
  buildSuite().catch(() => process.exit(1));
}
