// Inventory: spans carry no code attributes at all; Trace Lens finds them by their unique span names,
// the string passed to tracer.startActiveSpan below.
'use strict';
const { setupTracing, fail } = require('./tracing');
const { createApp, sleep } = require('./http');
const ports = require('./ports');

const tracer = setupTracing('inventory');
const app = createApp(tracer);
const stock = new Map([
  ['sku-1', 1000],
  ['sku-2', 40],
  ['sku-3', 5],
]);

async function reserve(items) {
  return tracer.startActiveSpan('inventory.reserve', async (span) => {
    try {
      await sleep(5 + Math.random() * 25);
      for (const item of items) {
        const left = stock.get(item.sku) ?? 0;
        if (left < item.quantity) throw new Error(`out of stock: ${item.sku}`);
        stock.set(item.sku, left - item.quantity);
      }
      span.setAttribute('inventory.items', items.length);
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

async function restock() {
  return tracer.startActiveSpan('inventory.restock', async (span) => {
    await sleep(2);
    for (const sku of stock.keys()) stock.set(sku, Math.max(stock.get(sku), 50));
    span.end();
  });
}

app.post('/reservations', async ({ body }) => {
  await reserve(body?.items ?? []);
  if (Math.random() < 0.05) await restock();
  return { reserved: true };
});

app.listen(ports.inventory);
