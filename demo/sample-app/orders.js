// Orders: this service's spans carry OpenTelemetry code attributes (code.file.path, code.line.number,
// code.function.name), recorded by a span processor at span start.
'use strict';
const { setupTracing } = require('./tracing');
const { createApp, call, sleep } = require('./http');
const ports = require('./ports');

const tracer = setupTracing('orders', { codeAttributes: true });
const app = createApp(tracer);
const orders = new Map();

async function priceOrder(items) {
  return tracer.startActiveSpan('price order', async (span) => {
    await sleep(5 + Math.random() * 20);
    const total = items.reduce((sum, item) => sum + item.quantity * 9.5, 0);
    span.setAttribute('order.total', total);
    span.end();
    return total;
  });
}

async function saveOrder(order) {
  return tracer.startActiveSpan(
    'db.insert orders',
    { attributes: { 'db.system': 'postgresql', 'db.operation.name': 'INSERT' } },
    async (span) => {
      await sleep(3 + Math.random() * 10);
      orders.set(order.id, order);
      span.end();
    },
  );
}

app.post('/orders', async ({ body }) => {
  const items = body?.items ?? [{ sku: 'sku-1', quantity: 1 }];
  await call(tracer, 'POST', `${ports.url('inventory')}/reservations`, { items });
  const total = await priceOrder(items);
  await call(tracer, 'POST', `${ports.url('payments')}/charges`, { amount: total });
  const order = { id: `ord-${Date.now().toString(36)}`, items, total };
  await saveOrder(order);
  return order;
});

app.get('/orders/:id', async ({ params }) => {
  return tracer.startActiveSpan(
    'db.select orders',
    { attributes: { 'db.system': 'postgresql', 'db.operation.name': 'SELECT' } },
    async (span) => {
      await sleep(2 + Math.random() * 6);
      span.end();
      return orders.get(params.id) ?? { id: params.id, items: [], total: 0 };
    },
  );
});

app.listen(ports.orders);
