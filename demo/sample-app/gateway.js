// The public API. Its spans carry only what HTTP instrumentation records (method and http.route), so
// Trace Lens maps them to the route handlers below.
'use strict';
const { setupTracing } = require('./tracing');
const { createApp, call } = require('./http');
const ports = require('./ports');

const tracer = setupTracing('gateway');
const app = createApp(tracer);

app.get('/api/orders/:id', async ({ params }) => {
  return call(tracer, 'GET', `${ports.url('orders')}/orders/${params.id}`);
});

app.post('/api/checkout', async ({ body }) => {
  const order = await call(tracer, 'POST', `${ports.url('orders')}/orders`, body);
  return { orderId: order.id, total: order.total };
});

app.get('/api/health', async () => ({ ok: true }));

app.listen(ports.gateway);
