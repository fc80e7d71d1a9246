#!/usr/bin/env node
// Starts the four sample services and sends them traffic until stopped (Ctrl+C), or for --duration=<s> once it
// flows. Every request becomes a trace exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT; traffic starts once
// that endpoint answers. SAMPLE_APP_PORT moves the services' ports (default 7070–7073).
'use strict';
const { fork } = require('node:child_process');
const path = require('node:path');
const ports = require('./ports');

const durationArg = process.argv.find((a) => a.startsWith('--duration='));
const durationMs = durationArg ? Number(durationArg.split('=')[1]) * 1000 : Infinity;
const quiet = process.argv.includes('--quiet');
const services = ['inventory', 'payments', 'orders', 'gateway'].map((name) =>
  fork(path.join(__dirname, `${name}.js`), { stdio: 'inherit' }),
);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    services.map(
      (child) =>
        new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))),
    ),
  );
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
for (const child of services)
  child.on('exit', (code) => !stopping && (console.error(`sample service exited (${code})`), stop(1)));

const skus = ['sku-1', 'sku-2', 'sku-3'];
async function once(i) {
  const gateway = ports.url('gateway');
  const items = [{ sku: skus[i % 3], quantity: 1 + (i % 2) }];
  const res =
    i % 4 === 3
      ? await fetch(`${gateway}/api/orders/ord-${i}`)
      : await fetch(`${gateway}/api/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ items }),
        });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Waits until the OTLP endpoint answers (any HTTP status: it listens), so that no trace is sent into the void: in the
 * demo, Trace Lens's receiver starts only once VS Code has opened this folder. Says so once while waiting.
 */
async function waitForReceiver(endpoint) {
  for (let i = 0; !stopping; i++) {
    try {
      await fetch(`${endpoint.replace(/\/$/, '')}/v1/traces`, { method: 'GET', signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      if (i === 0) console.log(`sample app: waiting for the OTLP receiver at ${endpoint} (open VS Code on this folder)…`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function waitForGateway() {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${ports.url('gateway')}/api/health`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the sample gateway did not start');
}

(async () => {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:4318';
  // before the first request: even the gateway's health check makes a trace
  await waitForReceiver(endpoint);
  await waitForGateway();
  const started = Date.now();
  console.log(`sample app: sending traces to ${endpoint} (gateway on ${ports.url('gateway')})`);
  for (let i = 0; Date.now() - started < durationMs && !stopping; i++) {
    const status = await once(i).catch((e) => `error ${e.message}`);
    if (!quiet) process.stdout.write(status === 200 ? '.' : 'x');
    await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
  }
  await new Promise((r) => setTimeout(r, 1500)); // let the batch processors export
  await stop(0);
})().catch((e) => {
  console.error(e.message);
  stop(1);
});
