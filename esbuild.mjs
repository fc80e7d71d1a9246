// One build script for the five bundles. Flags: --watch, --production (minified, no source maps).
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  // The extension host entry, the activation shell: Node, CommonJS; `vscode` is provided by the host. It must stay
  // small (activation time): it requires dist/main.js, everything else, on first use.
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  // The vscode-free core as a library for scripts, benchmarks and other editors.
  { ...common, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The trace worker: reads and encodes trace files off the extension host's thread (worker_threads).
  {
    ...common,
    entryPoints: ['src/core/traceWorker/traceWorker.ts'],
    outfile: 'dist/traceWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // `trace-lens-mcp`: the agent tools as an MCP server on stdio (the package's `bin`, and what the extension offers).
  {
    ...common,
    entryPoints: ['src/mcp/main.ts'],
    outfile: 'dist/mcp.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { TRACE_LENS_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  },
  // The waterfall webview: a browser program that speaks only the protocol in src/protocol.
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
