// Payments: spans name only the function that produced them (code.function.name, no file), as some SDKs
// do; about one charge in ten is declined and recorded as an exception with its stack trace.
'use strict';
const { setupTracing, fail } = require('./tracing');
const { createApp, sleep } = require('./http');
const ports = require('./ports');

const tracer = setupTracing('payments');
const app = createApp(tracer);

class CardDeclinedError extends Error {}

async function chargeCard(amount) {
  return tracer.startActiveSpan(
    'charge card',
    { attributes: { 'code.function.name': 'chargeCard', 'payment.amount': amount } },
    async (span) => {
      try {
        await sleep(20 + Math.random() * 80);
        if (Math.random() < 0.1) throw new CardDeclinedError(`card declined: insufficient funds for ${amount.toFixed(2)}`);
        return { id: `ch-${Date.now().toString(36)}`, amount };
      } catch (error) {
        fail(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

async function checkFraud(amount) {
  return tracer.startActiveSpan('fraud check', { attributes: { 'code.function.name': 'checkFraud' } }, async (span) => {
    await sleep(5 + Math.random() * 15);
    span.setAttribute('fraud.score', Math.round(Math.random() * 100) / 100);
    span.end();
    return amount < 10_000;
  });
}

app.post('/charges', async ({ body }) => {
  const amount = Number(body?.amount ?? 0);
  if (!(await checkFraud(amount))) throw new Error('charge refused by fraud check');
  return chargeCard(amount);
});

app.listen(ports.payments);
